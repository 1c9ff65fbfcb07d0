"""Forms of candidate accounts, profile and ID-number reclaim. Rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError

from renshi.core import codes, idnumbers
from renshi.exams.models import DegreeRule, Education, WorkExperience

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _id_number(value):
    return idnumbers.validate_id_number(value)


def _phone(value):
    return idnumbers.validate_phone(value)


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates render fields in one loop."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


def style_widgets(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class CaptchaMixin(StyledForm):
    captcha = forms.CharField(label="图形验证码", max_length=8, required=False)


class SignupForm(CaptchaMixin):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=20)
    phone = forms.CharField(label="手机号码", max_length=11)
    code = forms.CharField(label="短信验证码", max_length=6, required=False)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput)
    email = forms.EmailField(label="电子邮箱（选填）", required=False)

    def clean_id_number(self):
        return _id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        return _phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        if not (data.get("code") or "").strip():
            self.add_error("code", "请填写短信验证码")
        return data


class PhoneForm(CaptchaMixin):
    """The phone number alone, for sending a code before the rest of a form is complete."""

    phone = forms.CharField(label="手机号码", max_length=11)

    def clean_phone(self):
        return _phone(self.cleaned_data["phone"])


class LoginForm(CaptchaMixin):
    identifier = forms.CharField(label="身份证号码或手机号码", max_length=20)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


class ResetForm(CaptchaMixin):
    id_number = forms.CharField(label="身份证号码", max_length=20)
    phone = forms.CharField(label="绑定的手机号码", max_length=11)
    code = forms.CharField(label="短信验证码", max_length=6)
    password = forms.CharField(label="新密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput)

    def clean_id_number(self):
        return _id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        return _phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class ReclaimForm(CaptchaMixin):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=20)
    phone = forms.CharField(label="手机号码", max_length=11)
    code = forms.CharField(label="短信验证码", max_length=6)
    statement = forms.CharField(
        label="情况说明",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="说明何时发现身份证号码已被注册、是否曾在本网站注册过等情况。",
    )
    proof = forms.FileField(
        label="身份证正反面照片或扫描件",
        help_text="JPG、PNG 或 PDF，不超过 5 MB。",
    )

    def clean_id_number(self):
        return _id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        return _phone(self.cleaned_data["phone"])


class ReclaimLookupForm(StyledForm):
    tracking_code = forms.CharField(label="查询码", max_length=16)


class ReclaimDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label="处理结果", choices=[("grant", "核准找回"), ("refuse", "不予找回")]
    )
    note = forms.CharField(label="处理意见", max_length=300, required=False)


class ProfileForm(StyledForm):
    political_status = forms.ChoiceField(label="政治面貌")
    fresh_graduate = forms.BooleanField(label="应届毕业生", required=False)
    household = forms.CharField(label="户籍所在地", max_length=100, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["political_status"].choices = [("", "请选择"), *codes.choices("political")]


class EducationForm(forms.ModelForm):
    level = forms.ChoiceField(label="学历")
    degree = forms.ChoiceField(
        label="学位",
        required=False,
        choices=[("", "无")]
        + [(c, label) for c, label in DegreeRule.choices if c not in ("none", "matching")],
    )

    class Meta:
        model = Education
        fields = [
            "level",
            "degree",
            "school",
            "major_code",
            "major_name",
            "started_on",
            "graduated_on",
            "full_time",
        ]
        widgets = {"started_on": DATE, "graduated_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "请选择"), *codes.choices("education")]
        self.fields["major_code"].help_text = "专业目录代码，如 030101K；不清楚可不填"
        style_widgets(self)

    def clean_major_code(self):
        value = idnumbers.normalize(self.cleaned_data["major_code"])
        if value and not (value[:4].isdigit() and len(value) <= 10 and value.isalnum()):
            raise ValidationError("专业代码应以4位数字开头，如 0301、030101K")
        return value


class WorkForm(forms.ModelForm):
    class Meta:
        model = WorkExperience
        fields = ["employer", "post", "started_on", "ended_on", "grassroots"]
        widgets = {"started_on": DATE, "ended_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class PhotoForm(StyledForm):
    photo = forms.FileField(label="证件照", help_text="JPG格式，295×413像素，10–100 KB")
