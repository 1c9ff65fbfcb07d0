"""Forms of the seating and ticket pages. Rules live in services/seating.py and tickets.py."""

from django import forms

from renshi.exams.forms_office import NoUniqueCheck, _datetime_widgets
from renshi.exams.models import ExamRoom, ExamSession, ExamSite


class SessionForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = ExamSession
        fields = ["code", "name", "starts_at", "ends_at", "subjects"]
        widgets = {
            **_datetime_widgets(["starts_at", "ends_at"]),
            "subjects": forms.CheckboxSelectMultiple,
        }
        help_texts = {"code": "如 AM、PM", "name": "如 上午、下午"}

    def __init__(self, *args, exam, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = exam.subjects.order_by("order", "code")


class SiteForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = ExamSite
        fields = ["area", "code", "name", "school", "address"]
        help_texts = {"code": "两位数字 01–99，编入准考证号"}

    def __init__(self, *args, exam, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = exam.areas.order_by("code")
        self.fields["area"].empty_label = None


class RoomForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = ExamRoom
        fields = ["code", "name", "capacity"]
        help_texts = {"code": "两位数字 01–99", "name": "如 教学楼301"}


class RoomsAddForm(forms.Form):
    count = forms.IntegerField(label="增加考场数", min_value=1, max_value=99, initial=10)
    capacity = forms.IntegerField(label="每考场座位数", min_value=1, max_value=99, initial=30)
    first_code = forms.CharField(
        label="起始考场号", max_length=2, required=False, help_text="留空则接着现有最大考场号"
    )


class AssignForm(forms.Form):
    area = forms.ChoiceField(label="考区")
    witnesses = forms.CharField(
        label="现场监督人员",
        max_length=200,
        error_messages={"required": "请填写现场监督人员姓名"},
        help_text="填写在场监督人员的姓名与身份，如：纪检组 王某某、人大代表 李某某",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, exam, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [
            ("", "全部考区"),
            *((str(a.pk), f"{a.code} {a.name}") for a in exam.areas.order_by("code")),
        ]
        self.fields["area"].required = False


class VerifyForm(forms.Form):
    text = forms.CharField(
        label="扫描得到的二维码内容",
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}),
        max_length=1000,
    )
