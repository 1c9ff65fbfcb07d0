from django import forms

from renshi.exams.models import CheckOutcome, Position


class ExaminerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    certificate_level = forms.IntegerField(
        label="考官资格等级", min_value=1, max_value=9, initial=3, help_text="一级最高"
    )
    unit_name = forms.CharField(label="工作单位", max_length=100)
    city = forms.CharField(label="所在城市", max_length=20, initial="鞍山市")
    login = forms.CharField(
        label="登录账号（可选）",
        max_length=150,
        required=False,
        help_text="由安全管理员创建、角色为“面试考官”的账号，用于本人录入评分",
    )


class ExaminerImportForm(forms.Form):
    file = forms.FileField(label="考官库文件（.xlsx）")
    good_only = forms.BooleanField(label="只导入无误的行", required=False)


class PanelForm(forms.Form):
    date = forms.DateField(label="面试日期", widget=forms.DateInput(attrs={"type": "date"}))
    code = forms.CharField(label="考官组编号", max_length=4, initial="01")
    room = forms.CharField(label="面试室", max_length=60, required=False)
    positions = forms.ModelMultipleChoiceField(
        label="面试职位",
        queryset=Position.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, exam, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["positions"].queryset = Position.objects.filter(
            exam=exam, panels__isnull=True
        ).order_by("code")


class DrawForm(forms.Form):
    date = forms.DateField(label="面试日期", widget=forms.HiddenInput, required=False)
    seed = forms.CharField(
        label="随机种子（可现场摇号，留空则系统生成）", max_length=20, required=False
    )
    witnesses = forms.CharField(label="监督人", max_length=200, required=False)


class WeightsForm(forms.Form):
    written_weight = forms.DecimalField(label="笔试权重", max_digits=4, decimal_places=2)
    interview_weight = forms.DecimalField(label="面试权重", max_digits=4, decimal_places=2)


class StepForm(forms.Form):
    outcome = forms.ChoiceField(
        label="结果",
        choices=[(c.value, c.label) for c in CheckOutcome if c != CheckOutcome.PENDING],
    )
    note = forms.CharField(label="说明", max_length=300, required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}))
    contact = forms.CharField(label="反映人联系方式", max_length=60)
    application = forms.IntegerField(label="所涉人员", required=False, widget=forms.HiddenInput)


class DecideForm(forms.Form):
    outcome = forms.CharField(label="核查结果", max_length=300)


class ScoreForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.CharField(label="评分", max_length=10)
