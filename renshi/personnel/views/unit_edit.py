"""The establishment section creates and corrects units (B01)."""

from django import forms
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renshi.core import codes
from renshi.personnel import selectors
from renshi.personnel.models import Unit
from renshi.personnel.services import units as unit_services
from renshi.personnel.views.common import personnel_reader
from renshi.personnel.views.forms import run_form


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name", "short_name", "credit_code", "parent", "unit_type", "level", "affiliation",
            "funding_form", "division", "sort", "is_active", "note",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"] = forms.ChoiceField(
            label="行政区划", choices=codes.choices("division"), initial="210300"
        )
        self.fields["parent"].queryset = Unit.objects.filter(is_active=True).only("id", "name")
        self.fields["credit_code"].help_text = "18位，按GB 32100校验"

    def validate_unique(self):
        """Uniqueness is checked by the service, which gives the Chinese message."""


def _check_role(request):
    if not selectors.can_edit_establishment(request.user):
        raise Http404


def _data(form):
    return {f: form.cleaned_data[f] for f in UnitForm.Meta.fields}


@personnel_reader
@require_http_methods(["GET", "POST"])
def unit_create(request):
    _check_role(request)
    form = UnitForm(request.POST or None, initial={"parent": request.GET.get("parent")})

    def create(_):
        data = _data(form)
        return unit_services.unit_create(actor=request.user, **data)

    return run_form(
        request,
        form,
        create,
        title="新建单位",
        cancel_url=reverse("personnel:unit_list"),
        success="已新建单位。",
        done_url=lambda unit: reverse("personnel:unit_detail", args=[unit.pk]),
    )


@personnel_reader
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    unit = selectors.get_unit_for(request.user, pk)
    _check_role(request)
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk))
    back = reverse("personnel:unit_detail", args=[unit.pk])
    return run_form(
        request,
        form,
        lambda _: unit_services.unit_update(actor=request.user, unit=unit, **_data(form)),
        title=f"修改单位 · {unit.name}",
        cancel_url=back,
        success="已保存单位信息。",
        done_url=back,
    )
