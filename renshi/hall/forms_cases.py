"""Forms of the case pages. They only shape input; the rules are checked by renshi.hall.cases."""

from django import forms
from django.contrib.auth import get_user_model

from renshi.hall.effects import CATEGORIES
from renshi.hall.models import CaseStatus, RatingLevel

PHONE_ATTRS = {"inputmode": "tel", "autocomplete": "tel"}


def _effect_field(spec):
    required = not spec.get("optional")
    if spec["kind"] == "category":
        choices = [("", "请选择"), *CATEGORIES.items()]
        return forms.ChoiceField(label=spec["label"], choices=choices, required=required)
    attrs = {"autocomplete": "off"}
    if spec["kind"] == "id_number":
        attrs.update(maxlength=18, inputmode="text", pattern="[0-9Xx]{18}")
    return forms.CharField(
        label=spec["label"], max_length=60, required=required, widget=forms.TextInput(attrs)
    )


class FilingForm(forms.Form):
    """Online filing (a unit's clerk uploads one file per material) or a walk-in at the window
    (the window picks the unit and ticks the materials handed in)."""

    token = forms.CharField(widget=forms.HiddenInput)
    applicant_name = forms.CharField(label="经办人", max_length=50)
    applicant_phone = forms.CharField(
        label="联系电话", max_length=20, required=False, widget=forms.TextInput(PHONE_ATTRS)
    )

    def __init__(self, *args, version, effect, window, units, **kwargs):
        """`units`: the units the filer may file for (the window: all; a clerk: the subtree);
        no choice is shown when there is only one."""
        super().__init__(*args, **kwargs)
        self.window = window
        self.effect_names = []
        if window or len(units) > 1:
            self.fields["unit"] = forms.ModelChoiceField(
                label="申请单位",
                queryset=units,
                empty_label="请选择" if window else None,
            )
        for spec in effect.fields:
            name = f"f_{spec['name']}"
            self.fields[name] = _effect_field(spec)
            self.effect_names.append(name)
        self.material_names = []
        for i, material in enumerate(version.materials):
            label = material["name"] + ("（按情况提供）" if material["optional"] else "")
            if window:
                field = forms.BooleanField(label=label, required=False)
            else:
                field = forms.FileField(label=label, required=False)
            self.fields[f"m_{i}"] = field
            self.material_names.append((f"m_{i}", material["name"]))
        self.fields["note"] = forms.CharField(
            label="备注", required=False, max_length=500, widget=forms.Textarea({"rows": 2})
        )

    def effect_fields(self):
        return [self[n] for n in self.effect_names]

    def material_fields(self):
        return [self[n] for n, _ in self.material_names]

    def effect_form(self) -> dict:
        return {n[2:]: self.cleaned_data.get(n) or "" for n in self.effect_names}

    def handed_in(self) -> tuple[list[str], dict]:
        """(names ticked at the window, {name: uploaded file})."""
        data = self.cleaned_data
        if self.window:
            return [name for key, name in self.material_names if data.get(key)], {}
        return [], {name: data[key] for key, name in self.material_names if data.get(key)}


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *CaseStatus.choices]
    )
    item = forms.CharField(label="事项", required=False)
    overdue = forms.BooleanField(label="只看超期", required=False)


class RefuseForm(forms.Form):
    reasons = forms.CharField(
        label="不予受理理由", required=False, widget=forms.Textarea({"rows": 3})
    )


class RateForm(forms.Form):
    level = forms.TypedChoiceField(
        label="评价", coerce=int, choices=RatingLevel.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="评价内容", required=False, max_length=500, widget=forms.Textarea({"rows": 2})
    )


class ReassignForm(forms.Form):
    """改派: to a person, or back to the role's list (no one chosen). `assignee` is who held the
    task on the page the chief saw (empty: nobody), so a reassignment made meanwhile is noticed."""

    to_user = forms.ModelChoiceField(
        label="改派给", queryset=get_user_model().objects.all(), required=False
    )
    reason = forms.CharField(label="改派理由", required=False)
    assignee = forms.IntegerField(required=False, widget=forms.HiddenInput)
