"""Forms of the proctor pages; the rules themselves are checked in the services."""

from django import forms

from renshi.exams.models import IncidentKind


class ProctorForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    school = forms.CharField(label="所在学校", max_length=100)
    phone = forms.CharField(
        label="手机号码", max_length=20, required=False, help_text="只保存打码后的号码"
    )
    active = forms.BooleanField(label="可参加抽签", required=False, initial=True)


class RelativeForm(forms.Form):
    name = forms.CharField(label="亲属姓名", max_length=50)
    id_number = forms.CharField(label="亲属身份证号码", max_length=20)
    relation = forms.CharField(label="与本人关系", max_length=20)


class AccountForm(forms.Form):
    username = forms.CharField(label="登录用户名", max_length=150)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput)


class ImportForm(forms.Form):
    file = forms.FileField(label="监考人员表（.xlsx）")


class DrawForm(forms.Form):
    seed = forms.CharField(
        label="随机种子", max_length=64, required=False, help_text="留空则由系统现场生成"
    )
    witnesses = forms.CharField(label="监督人员", max_length=200, required=False)


class IncidentForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="类型", choices=IncidentKind.choices)
    description = forms.CharField(label="情况", required=False, widget=forms.Textarea)
    decision = forms.CharField(label="处理决定", max_length=200, required=False)


class IncidentEditForm(forms.Form):
    description = forms.CharField(label="情况", required=False, widget=forms.Textarea)
    decision = forms.CharField(label="处理决定", max_length=200, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200)
