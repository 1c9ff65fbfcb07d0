"""The establishment section's work on a unit: approvals, leadership posts, reservations."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from renshi.personnel import selectors
from renshi.personnel.errors import PersonnelError
from renshi.personnel.event_forms import ApproveForm, LeaderPostForm, ReserveForm
from renshi.personnel.models import SlotReservation
from renshi.personnel.services import establishment
from renshi.personnel.views.common import personnel_reader
from renshi.personnel.views.forms import run_form


def _unit_for_establishment(request, pk):
    unit = selectors.get_unit_for(request.user, pk)
    if not selectors.can_edit_establishment(request.user):
        raise Http404
    return unit


def _unit_form(request, pk, form_class, service, *, title, success):
    """One of the section's forms on a unit: the service gets the unit and the cleaned data."""
    unit = _unit_for_establishment(request, pk)
    back = reverse("personnel:unit_detail", args=[unit.pk])
    return run_form(
        request,
        form_class(request.POST or None),
        lambda d: service(actor=request.user, unit=unit, **d),
        title=f"{unit.name} · {title}",
        cancel_url=back,
        success=success,
        done_url=back,
    )


@personnel_reader
@require_http_methods(["GET", "POST"])
def establishment_approve(request, pk):
    return _unit_form(
        request, pk, ApproveForm, establishment.establishment_approve,
        title="核定编制", success="已核定编制。",
    )  # fmt: skip


@personnel_reader
@require_http_methods(["GET", "POST"])
def leader_posts(request, pk):
    return _unit_form(
        request, pk, LeaderPostForm, establishment.leader_posts_approve,
        title="核定领导职数", success="已核定领导职数。",
    )  # fmt: skip


@personnel_reader
@require_http_methods(["GET", "POST"])
def reservation_create(request, pk):
    return _unit_form(
        request, pk, ReserveForm, establishment.slot_reserve,
        title="编制预留（用编核准）", success="已预留编制。",
    )  # fmt: skip


@personnel_reader
@require_POST
def reservation_release(request, pk, reservation_id):
    unit = _unit_for_establishment(request, pk)
    reservation = get_object_or_404(SlotReservation, pk=reservation_id, unit=unit)
    try:
        establishment.reservation_release(actor=request.user, reservation=reservation)
    except PersonnelError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "已释放预留编制。")
    return redirect("personnel:unit_detail", pk=unit.pk)
