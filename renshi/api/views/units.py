from django.db.models import Sum

from renshi.api.decorators import api_get
from renshi.api.http import bad_request, int_param, json_response, paginate
from renshi.api.serializers import counters, line_data, unit_data, unit_keyed
from renshi.api.views.common import wants_codes
from renshi.personnel import selectors
from renshi.personnel.models import EstablishmentLine, UnitType


def _filtered_units(request):
    units = selectors.visible_units(request.user).select_related("parent")
    if (parent := int_param(request.GET, "parent", "上级单位编号")) is not None:
        units = units.filter(parent_id=parent)
    if q := request.GET.get("q", "").strip():
        units = units.filter(name__contains=q)
    if unit_type := request.GET.get("type"):
        if unit_type not in UnitType.values:
            raise bad_request(f"参数type（单位类型）无效：「{unit_type}」")
        units = units.filter(unit_type=unit_type)
    return units.order_by("path", "id")


@api_get()
def unit_list(request):
    """Units in the token's scope with their establishment totals (three queries a page)."""
    codes = wants_codes(request)
    units, envelope = paginate(request, _filtered_units(request))
    sums = {
        row["unit_id"]: row
        for row in EstablishmentLine.objects.filter(unit__in=[u.pk for u in units])
        .values("unit_id")
        .annotate(a=Sum("approved"), o=Sum("occupied"), r=Sum("reserved"))
    }
    results = []
    for unit in units:
        row = sums.get(unit.pk, {"a": 0, "o": 0, "r": 0})
        data = {**unit_data(unit), "totals": counters(row["a"], row["o"], row["r"])}
        results.append(unit_keyed(data, codes))
    return json_response({**envelope, "results": results})


@api_get()
def unit_detail(request, pk):
    codes = wants_codes(request)
    unit = selectors.get_unit_for(request.user, pk)
    lines = [line_data(line) for line in EstablishmentLine.objects.filter(unit=unit)]
    data = {
        **unit_data(unit),
        "totals": counters(
            sum(x["approved"] for x in lines),
            sum(x["occupied"] for x in lines),
            sum(x["reserved"] for x in lines),
        ),
        "establishment": lines,
    }
    return json_response(unit_keyed(data, codes))
