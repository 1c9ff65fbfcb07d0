from django import forms

from renshi.portal.models import Category


class ArticleForm(forms.Form):
    category = forms.ModelChoiceField(
        label="栏目", queryset=Category.objects.all(), empty_label=None
    )
    title = forms.CharField(label="标题", max_length=120)
    source = forms.CharField(label="来源", max_length=60, required=False)
    # The editor's HTML; cleaned by the service, whatever the browser sent.
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 12}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=500)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件")
