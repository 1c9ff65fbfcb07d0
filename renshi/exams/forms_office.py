"""Forms of the exam office pages. Rules live in services/office.py; these only read input."""

from django import forms

from renshi.exams.models import Exam, ExamArea, Subject
from renshi.exams.services.office import EXAM_FIELDS, WINDOW_FIELDS

DATETIME = {"type": "datetime-local"}


def _datetime_widgets(fields):
    return {f: forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M") for f in fields}


class NoUniqueCheck:
    def validate_unique(self):
        """Uniqueness is checked by the service, which gives the Chinese message."""


class ExamForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = Exam
        fields = EXAM_FIELDS
        widgets = _datetime_widgets(WINDOW_FIELDS)


class SubjectForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = Subject
        fields = ["code", "name", "fee", "order", "starts_at", "ends_at"]
        widgets = _datetime_widgets(["starts_at", "ends_at"])


class AreaForm(NoUniqueCheck, forms.ModelForm):
    class Meta:
        model = ExamArea
        fields = ["code", "name", "capacity"]
        help_texts = {"capacity": "留空表示不限"}


class AnnouncementForm(forms.Form):
    title = forms.CharField(label="公告标题", max_length=200)
    body = forms.CharField(label="公告正文", widget=forms.Textarea(attrs={"rows": 16}))


class ChangeNoticeForm(forms.Form):
    """Title and text of the notice, plus the new windows and fees it brings (pre-filled with the
    current values: whatever is changed here is applied with the notice)."""

    title = forms.CharField(label="变更公告标题", max_length=200)
    body = forms.CharField(
        label="变更内容", widget=forms.Textarea(attrs={"rows": 8}), help_text="写明变更了什么"
    )

    def __init__(self, *args, exam, **kwargs):
        super().__init__(*args, **kwargs)
        self.exam = exam
        for name in WINDOW_FIELDS:
            model_field = Exam._meta.get_field(name)
            self.fields[name] = forms.DateTimeField(
                label=model_field.verbose_name,
                required=not model_field.null,
                initial=getattr(exam, name),
                widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
            )
        self.subjects = list(exam.subjects.all())
        for subject in self.subjects:
            self.fields[f"fee_{subject.pk}"] = forms.DecimalField(
                label=f"{subject.name}考务费(元)",
                max_digits=8,
                decimal_places=2,
                min_value=0,
                initial=subject.fee,
            )

    def changes(self) -> dict:
        data = self.cleaned_data
        return {n: data[n] for n in WINDOW_FIELDS if _differs(data.get(n), getattr(self.exam, n))}

    def fees(self) -> dict:
        data = self.cleaned_data
        return {s.pk: data[f"fee_{s.pk}"] for s in self.subjects if data[f"fee_{s.pk}"] != s.fee}


def _differs(new, old) -> bool:
    """The form shows minutes: a value within the same minute is unchanged."""
    if new is None or old is None:
        return new is not old
    return abs((new - old).total_seconds()) >= 60


class PositionImportForm(forms.Form):
    file = forms.FileField(label="职位表（.xlsx）")
    born_from = forms.DateField(
        label="出生日期不早于（默认）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="职位表没有「出生日期起止」列或该列为空时使用，含当日",
    )
    born_to = forms.DateField(
        label="出生日期不晚于（默认）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    area = forms.ModelChoiceField(
        label="默认考区", queryset=ExamArea.objects.none(), required=False
    )

    def __init__(self, *args, exam, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = exam.areas.all()

    def clean(self):
        data = super().clean()
        start, end = data.get("born_from"), data.get("born_to")
        if start and end and start > end:
            self.add_error("born_to", "出生日期不晚于应在不早于之后")
        return data
