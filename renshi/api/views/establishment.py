from django.db.models import Case, F, Sum, Value, When

from renshi.api.decorators import api_get
from renshi.api.http import bad_request, json_response, paginate
from renshi.api.serializers import ESTABLISHMENT_ROW, keyed, line_data
from renshi.api.views.common import wants_codes
from renshi.personnel import selectors
from renshi.personnel.models import EstablishmentCategory, EstablishmentLine


def _lines(request):
    lines = EstablishmentLine.objects.filter(unit__in=selectors.visible_units(request.user))
    if unit_id := request.GET.get("unit"):
        unit = selectors.get_unit_for(request.user, unit_id)
        lines = lines.filter(unit__path__startswith=unit.path)
    if category := request.GET.get("category"):
        if category not in EstablishmentCategory.values:
            raise bad_request(f"参数category（编制类别）无效：「{category}」")
        lines = lines.filter(category=category)
    return lines


# Vacancies of one unit do not cancel another's over-establishment: sum them line by line.
# (Aliased, because an annotation named "approved" would shadow the column in the next one.)
TOTALS = {
    "sum_approved": Sum("approved"),
    "sum_occupied": Sum("occupied"),
    "sum_reserved": Sum("reserved"),
    "sum_vacant": Sum(
        Case(When(approved__gt=F("occupied"), then=F("approved") - F("occupied")), default=Value(0))
    ),
    "sum_over": Sum(
        Case(When(occupied__gt=F("approved"), then=F("occupied") - F("approved")), default=Value(0))
    ),
}
COUNTERS = ["approved", "occupied", "reserved", "vacant", "over", "vacant_or_over"]


def _totals(lines) -> dict:
    by_category = {}
    for row in lines.order_by().values("category").annotate(**TOTALS).order_by("category"):
        sums = {name.removeprefix("sum_"): row[name] for name in TOTALS}
        sums["vacant_or_over"] = sums["approved"] - sums["occupied"]
        by_category[row["category"]] = sums
    overall = {k: sum(c[k] for c in by_category.values()) for k in COUNTERS}
    return {"all": overall, "by_category": by_category}


@api_get()
def establishment_usage(request):
    """Usage per unit and category, and totals over everything the token sees (city-wide)."""
    codes = wants_codes(request)
    lines = _lines(request)
    page, envelope = paginate(request, lines.select_related("unit").order_by("unit__path", "id"))
    rows = [
        {"unit_id": line.unit_id, "unit_name": line.unit.name, **line_data(line)} for line in page
    ]
    totals = _totals(lines)
    if codes:
        rows = [keyed(row, ESTABLISHMENT_ROW) for row in rows]
        totals = {
            "all": keyed(totals["all"], ESTABLISHMENT_ROW),
            "by_category": {
                k: keyed(v, ESTABLISHMENT_ROW) for k, v in totals["by_category"].items()
            },
        }
    return json_response({**envelope, "totals": totals, "results": rows})
