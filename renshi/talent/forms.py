from django import forms

from renshi.core.idnumbers import validate_id_number, validate_phone
from renshi.talent.models import (
    CheckInKind,
    Education,
    Opening,
    PartyNotice,
    PartyOrganisation,
    Resume,
)

EDUCATION_ANY = [("", "不限"), *Education.choices]


def _bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class OpeningForm(forms.ModelForm):
    class Meta:
        model = Opening
        fields = [
            "title", "headcount", "education", "major", "experience_years", "salary_min",
            "salary_max", "location", "closes_on", "description",
        ]  # fmt: skip
        widgets = {
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["education"].choices = EDUCATION_ANY
        self.fields["headcount"].min_value = 1
        self.fields["headcount"].widget.attrs["min"] = 1
        _bootstrap(self)

    def clean(self):
        data = super().clean()
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", "月薪上限不能低于下限")
        if (count := data.get("headcount")) is not None and count < 1:
            self.add_error("headcount", "招聘人数至少为1人")
        return data


class OpeningSearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=50)
    education = forms.ChoiceField(label="我的学历", choices=EDUCATION_ANY, required=False)
    major = forms.CharField(label="专业", required=False, max_length=50)
    location = forms.CharField(label="地点", required=False, max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ResumeSearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=50)
    education = forms.ChoiceField(label="学历（及以上）", choices=EDUCATION_ANY, required=False)
    major = forms.CharField(label="专业", required=False, max_length=50)
    experience = forms.IntegerField(
        label="工作年限（至少）", required=False, min_value=0, max_value=50,
        error_messages={"invalid": "工作年限请填写整数", "min_value": "工作年限不能为负数",
                        "max_value": "工作年限不超过50年"},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ResumeForm(forms.ModelForm):
    class Meta:
        model = Resume
        fields = [
            "desired_title", "education", "major", "experience_years", "desired_location",
            "expected_salary", "skills", "summary", "email", "visibility",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experience_years"].widget.attrs["min"] = 0
        _bootstrap(self)


class ContactRequestForm(forms.Form):
    opening = forms.ModelChoiceField(
        label="关联岗位", queryset=Opening.objects.none(), required=False, empty_label="（不关联）"
    )
    message = forms.CharField(
        label="留言", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opening"].queryset = Opening.objects.filter(unit=unit).exclude(status="draft")
        _bootstrap(self)


class MemberRegisterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="所属党组织", queryset=PartyOrganisation.objects.all(), empty_label="请选择"
    )
    id_number = forms.CharField(label="公民身份号码", max_length=24)
    phone = forms.CharField(label="手机号码", max_length=20)
    city = forms.CharField(label="现居住城市", max_length=60)
    employer = forms.CharField(label="现工作单位", max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_id_number(self):
        return validate_id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        return validate_phone(self.cleaned_data["phone"])


class MemberUpdateForm(forms.Form):
    city = forms.CharField(label="现居住城市", max_length=60)
    employer = forms.CharField(label="现工作单位", max_length=100)
    phone = forms.CharField(
        label="新手机号码", max_length=20, required=False, help_text="不换号码请留空"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return validate_phone(phone) if phone else ""


class CheckInForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=CheckInKind.choices, widget=forms.RadioSelect, initial="checkin"
    )
    text = forms.CharField(
        label="汇报内容", min_length=10, max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"min_length": "汇报内容至少10个字"},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class PartyNoticeForm(forms.ModelForm):
    class Meta:
        model = PartyNotice
        fields = ["title", "body", "attachment"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = "可选；PDF、JPG、PNG，不超过5 MB"
        _bootstrap(self)
