from django import forms

from renshi.policies.models import LinkKind, Policy, StudyArticle

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = [
            "title",
            "doc_number",
            "issuer",
            "level",
            "published_on",
            "effective_on",
            "body",
            "is_sample",
        ]
        widgets = {
            "published_on": DATE,
            "effective_on": DATE,
            "body": forms.Textarea(attrs={"rows": 16}),
        }
        help_texts = {
            "doc_number": "如 人社部发〔2019〕1号；没有文号留空",
            "is_sample": "演示用的示例文件（非真实公文）",
        }


class RepealForm(forms.Form):
    repealed_on = forms.DateField(label="失效日期", widget=DATE)
    note = forms.CharField(label="说明", required=False, max_length=200)


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label="本文件", choices=LinkKind.choices)
    target = forms.IntegerField(
        label="对象文件 ID", min_value=1, help_text="在文件管理列表中查看 ID"
    )


class AttachmentForm(forms.Form):
    name = forms.CharField(label="附件名称", required=False, max_length=200)
    file = forms.FileField(label="文件")


class StudyForm(forms.ModelForm):
    policies = forms.ModelMultipleChoiceField(
        label="相关政策",
        queryset=Policy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = StudyArticle
        fields = ["title", "kind", "question", "answer"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 5}),
            "answer": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policies"].queryset = Policy.objects.only("id", "title").order_by("title")
        if self.instance.pk:
            self.initial["policies"] = list(self.instance.policies.values_list("pk", flat=True))
