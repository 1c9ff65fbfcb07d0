from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render

from renshi.personnel import selectors
from renshi.personnel.models import (
    EstablishmentLine,
    LeaderPostLine,
    LedgerEntry,
    Person,
    PersonStatus,
    ReservationStatus,
    SlotReservation,
)
from renshi.personnel.views.common import personnel_reader
from renshi.personnel.views.events import can_run_events


@personnel_reader
def unit_list(request):
    """The unit tree with establishment totals per unit (two queries whatever the size)."""
    units = list(
        selectors.visible_units(request.user).only(
            "id", "name", "path", "depth", "unit_type", "level", "parent_id"
        )
    )
    # Vacant and over are per category, then summed (a unit can be short in one, over in another).
    totals = defaultdict(
        lambda: dict.fromkeys(("approved", "occupied", "reserved", "vacant", "over"), 0)
    )
    lines = EstablishmentLine.objects.filter(
        unit__in=selectors.visible_units(request.user)
    ).values_list("unit_id", "approved", "occupied", "reserved")
    for unit_id, approved, occupied, reserved in lines:
        t = totals[unit_id]
        t["approved"] += approved
        t["occupied"] += occupied
        t["reserved"] += reserved
        t["vacant"] += max(approved - occupied, 0)
        t["over"] += max(occupied - approved, 0)
    q = request.GET.get("q", "").strip()
    min_depth = min((u.depth for u in units), default=0)
    for u in units:
        for key, value in totals[u.pk].items():
            setattr(u, key, value)
        u.indent = u.depth - min_depth
    if q:
        units = [u for u in units if q in u.name]
    city = {
        k: sum(getattr(u, k) for u in units)
        for k in ("approved", "occupied", "reserved", "vacant", "over")
    }
    return render(
        request,
        "personnel/unit_list.html",
        {
            "units": units,
            "q": q,
            "city": city,
            "can_edit": selectors.can_edit_establishment(request.user),
        },
    )


@personnel_reader
def unit_detail(request, pk):
    unit = selectors.get_unit_for(request.user, pk)
    lines = EstablishmentLine.objects.filter(unit=unit).order_by("category")
    leader_posts = LeaderPostLine.objects.filter(unit=unit).order_by("level")
    reservations = SlotReservation.objects.filter(unit=unit, status=ReservationStatus.OPEN)
    children = selectors.visible_units(request.user).filter(parent=unit).order_by("sort", "name")
    people = Person.objects.filter(unit=unit).aggregate(
        active=Count("id", filter=Q(status=PersonStatus.ACTIVE)),
        retired=Count("id", filter=Q(status=PersonStatus.RETIRED)),
    )
    return render(
        request,
        "personnel/unit_detail.html",
        {
            "unit": unit,
            "lines": lines,
            "leader_posts": leader_posts,
            "reservations": reservations,
            "children": children,
            "people": people,
            "can_edit": selectors.can_edit_establishment(request.user),
            "can_hire": can_run_events(request.user),
        },
    )


@personnel_reader
def unit_ledger(request, pk):
    unit = selectors.get_unit_for(request.user, pk)
    entries = LedgerEntry.objects.filter(unit=unit).select_related("person", "actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "personnel/unit_ledger.html", {"unit": unit, "page": page})
