import yaml
from django import forms

from renshi.hall import definitions
from renshi.hall.models import Section


class YamlField(forms.CharField):
    """A list edited as YAML text in a textarea."""

    widget = forms.Textarea(attrs={"rows": 12, "class": "font-monospace"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return definitions.dump(value) if value else ""
        return value

    def to_python(self, value):
        value = super().to_python(value)
        try:
            data = yaml.safe_load(value) if value.strip() else []
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"第{mark.line + 1}行" if mark else ""
            raise forms.ValidationError(f"YAML 格式错误{where}") from None
        if not isinstance(data, list):
            raise forms.ValidationError("应为 YAML 列表（每项以 - 开头）")
        return data


class VersionForm(forms.Form):
    legal_basis = forms.CharField(
        label="设定依据", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = forms.CharField(
        label="办理条件", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fee = forms.CharField(label="收费", required=False, max_length=100)
    legal_limit_days = forms.IntegerField(label="法定时限(工作日)", min_value=1)
    promised_limit_days = forms.IntegerField(label="承诺时限(工作日)", min_value=1)
    materials = YamlField(
        label="申请材料",
        required=False,
        help_text=(
            "每项：name 名称, original 原件(true)/复印件(false), count 份数,"
            " optional 是否可选, note 说明"
        ),
    )
    steps = YamlField(
        label="办理环节",
        required=False,
        help_text=(
            "每项：code 编码, name 名称, role 角色, limit_days 时限(工作日),"
            " sign_mode all 会签 / any 或签"
        ),
    )
    result_documents = YamlField(label="办理结果", required=False, help_text="结果文书名称列表")


class ImportForm(forms.Form):
    text = forms.CharField(
        label="YAML", widget=forms.Textarea(attrs={"rows": 20, "class": "font-monospace"})
    )


class ItemForm(VersionForm):
    code = forms.CharField(label="事项编码", max_length=40)
    name = forms.CharField(label="事项名称", max_length=100)
    section = forms.ChoiceField(label="承办科室", choices=Section.choices)
    field_order = ["code", "name", "section"]
