from django import forms

from renshi.sunshine.models import (
    MilitaryRound,
    NoticeKind,
    ReportCategory,
    Section,
    SubjectKind,
)


class Styled:
    """Bootstrap classes on every widget, so templates render fields with one include."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class NoticeForm(Styled, forms.Form):
    kind = forms.ChoiceField(label="公示类别", choices=NoticeKind.choices)
    section = forms.ChoiceField(
        label="承办科室", choices=[("", "按类别默认"), *Section.choices], required=False
    )
    title = forms.CharField(label="标题", max_length=200)
    batch = forms.CharField(label="批次（军转安置）", max_length=60, required=False)
    round = forms.TypedChoiceField(
        label="榜次（军转安置）", choices=[("", "—"), *MilitaryRound.choices],
        coerce=int, empty_value=None, required=False,
    )  # fmt: skip
    starts_on = forms.DateField(label="公示开始日", widget=forms.DateInput(attrs={"type": "date"}))
    workdays = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=30, initial=5)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    table = forms.CharField(
        label="名单（第一行为表头，每行一人，以逗号或制表符分隔）",
        widget=forms.Textarea(attrs={"rows": 6}), required=False,
    )  # fmt: skip

    def clean_table(self):
        lines = [line for line in self.cleaned_data["table"].splitlines() if line.strip()]
        cells = [[c.strip() for c in line.replace("\t", ",").split(",")] for line in lines]
        if cells and any(len(row) != len(cells[0]) for row in cells):
            bad = next(i for i, row in enumerate(cells, 1) if len(row) != len(cells[0]))
            raise forms.ValidationError(f"第{bad}行的列数与表头（{len(cells[0])}列）不一致")
        return cells


class WithdrawForm(Styled, forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=200)


class ObjectionForm(Styled, forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号码", max_length=20)
    text = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label="附件（可选，PDF/JPG/PNG，5 MB 以内）", required=False)


class ObjectionAnswerForm(Styled, forms.Form):
    answer = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 4}))
    public_summary = forms.CharField(
        label="公开摘要（可选，在公示页面显示）", max_length=300, required=False
    )


class ReportForm(Styled, forms.Form):
    category = forms.ChoiceField(label="举报类别", choices=ReportCategory.choices)
    subject_kind = forms.ChoiceField(
        label="被举报对象", choices=SubjectKind.choices, widget=forms.RadioSelect,
        initial=SubjectKind.UNIT,
    )  # fmt: skip
    subject = forms.CharField(label="被举报单位/人员/事项名称", max_length=100)
    text = forms.CharField(label="举报内容", widget=forms.Textarea(attrs={"rows": 6}))
    anonymous = forms.BooleanField(label="匿名举报", required=False)
    name = forms.CharField(label="姓名（实名举报）", max_length=50, required=False)
    phone = forms.CharField(label="手机号码（实名举报）", max_length=20, required=False)
    attachments = MultipleFileField(
        label="附件（可选，最多3个，PDF/JPG/PNG，每个 5 MB 以内）", required=False
    )


class LookupForm(Styled, forms.Form):
    code = forms.CharField(label="查询码", max_length=16)
    password = forms.CharField(label="查询密码", max_length=20, widget=forms.PasswordInput)


class ObjectionLookupForm(Styled, forms.Form):
    code = forms.CharField(label="查询码", max_length=16)


class RouteForm(Styled, forms.Form):
    section = forms.ChoiceField(label="转交科室", choices=Section.choices)


class FindingsForm(Styled, forms.Form):
    findings = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 4}))


class ReportAnswerForm(Styled, forms.Form):
    answer = forms.CharField(label="答复举报人", widget=forms.Textarea(attrs={"rows": 4}))
