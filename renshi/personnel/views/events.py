"""Personnel events by the bureau's personnel section: appoint, transfer, retire, resign, death."""

from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renshi.core import roles
from renshi.personnel import selectors
from renshi.personnel.event_forms import AppointForm, HireForm, LeaveForm, TransferForm
from renshi.personnel.services import events
from renshi.personnel.views.common import personnel_reader
from renshi.personnel.views.forms import run_form

EVENT_ROLES = frozenset({roles.Role.PERSONNEL, roles.Role.SECTION_CHIEF})
LEAVES = {
    "retire": ("退休", events.person_retire),
    "resign": ("辞职", events.person_resign),
    "die": ("死亡", events.person_die),
}


def can_run_events(user) -> bool:
    return roles.has_role(user, EVENT_ROLES)


@personnel_reader
@require_http_methods(["GET", "POST"])
def person_event(request, pk, event):
    person = selectors.get_person_for(request.user, pk)
    if not can_run_events(request.user) or event not in ("appoint", "transfer", *LEAVES):
        raise Http404
    back = reverse("personnel:person_detail", args=[person.pk])
    if event == "appoint":
        form = AppointForm(request.POST or None)
        title, action = (
            "任职 / 晋升",
            lambda d: events.person_appoint(actor=request.user, person=person, **d),
        )
    elif event == "transfer":
        units = selectors.visible_units(request.user).exclude(pk=person.unit_id)
        form = TransferForm(request.POST or None, units=units)
        title, action = (
            "调动",
            lambda d: events.person_transfer(actor=request.user, person=person, **d),
        )
    else:
        label, service = LEAVES[event]
        form = LeaveForm(request.POST or None)
        title, action = label, lambda d: service(actor=request.user, person=person, **d)
    return run_form(
        request,
        form,
        action,
        title=f"{person.name} · {title}",
        cancel_url=back,
        success=f"已办理{person.name}的{title}。",
        done_url=back,
        intro="提交后立即生效：编制台账、人员状态和审计日志在同一事务中更新。",
    )


@personnel_reader
@require_http_methods(["GET", "POST"])
def unit_hire(request, pk):
    """Recruit or hire a new person into one of the unit's slots (录用 / 聘用入编)."""
    unit = selectors.get_unit_for(request.user, pk)
    if not can_run_events(request.user):
        raise Http404
    form = HireForm(request.POST or None, unit=unit)
    return run_form(
        request,
        form,
        lambda d: events.person_hire(actor=request.user, unit=unit, **d),
        title=f"{unit.name} · 录用 / 聘用入编",
        cancel_url=reverse("personnel:unit_detail", args=[unit.pk]),
        success="已入编。",
        done_url=lambda person: reverse("personnel:person_detail", args=[person.pk]),
        intro="入编前核对空编：超过核定编制数（扣除预留）将被拒绝。",
    )
