"""Forms for the sub-records (A02 … A36), built from the models with code-table choices."""

from django import forms

from renshi.core import codes
from renshi.personnel.forms import DateInput
from renshi.personnel.models import RECORD_MODELS

# Which code table backs each coded field.
CODED = {
    "post_level": "post_level",
    "title": "title",
    "education": "education",
    "degree": "degree",
    "result": "appraisal",
    "entry_type": "entry_type",
    "exit_type": "exit_type",
    "relation": "family_relation",
    "political_status": "political",
}
LABELS = {
    "post": "职务（A02）",
    "rank": "职级（A05）",
    "title": "专业技术职务（A06）",
    "education": "学历（A08）",
    "degree": "学位（A09）",
    "reward": "奖惩（A14）",
    "appraisal": "年度考核（A15）",
    "entry": "进入（A29）",
    "exit": "退出（A30）",
    "family": "家庭成员（A36）",
}
# Entry and exit records are written by the event services; users correct the others.
EDITABLE_KINDS = [k for k in LABELS if k not in ("entry", "exit")]


def rank_choices():
    return [("", "——"), *codes.choices("cs_rank"), *codes.choices("institution_grade")]


def form_for(kind, units=None):
    model = RECORD_MODELS[kind]
    exclude = ["person"]

    class RecordForm(forms.ModelForm):
        class Meta:
            pass

        Meta.model = model
        Meta.exclude = exclude
        Meta.widgets = {name: DateInput() for name in ("start_date", "end_date", "birth_date")}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, field in self.fields.items():
                if name in CODED:
                    self.fields[name] = forms.ChoiceField(
                        label=field.label,
                        required=field.required,
                        choices=[("", "——"), *codes.choices(CODED[name])],
                        initial=field.initial,
                    )
                elif name == "rank":
                    self.fields[name] = forms.ChoiceField(label=field.label, choices=rank_choices())
                elif name == "unit" and units is not None:
                    field.queryset = units

    RecordForm.__name__ = f"{model.__name__}Form"
    return RecordForm
