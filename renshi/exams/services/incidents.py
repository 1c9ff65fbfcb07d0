"""The exam day (考场记录): absences (缺考) and rule violations (违纪) per candidate and session,
with the handling decision. The exam office records for any room, a proctor only for the room
they were drawn to in that session, from the start of the session until two hours after its end
(later corrections go through the office). Every write is audited.

An absent candidate cannot also have violated the rules in the same session, and each kind is
recorded once per candidate and session (the database constraint `incident_once_per_session`).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from renshi.core.audit import audit_record, changed
from renshi.core.roles import RUN_EXAMS, Role, has_role
from renshi.exams.errors import ExamError
from renshi.exams.models import Application, Incident, IncidentKind, ProctorAssignment, Seat

PROCTOR_GRACE = datetime.timedelta(hours=2)
# 《公务员录用违规违纪行为处理办法》 (2016) art. 7–8: the usual decisions, offered as suggestions.
DECISIONS = [
    "给予警告，继续考试",
    "责令离开考场，本场考试成绩无效",
    "本场考试成绩无效",
    "本次考试成绩无效",
    "本次考试成绩无效，五年内不得报考",
    "终身不得报考",
    "移交公安机关处理",
]


def is_room_proctor(user, session, room) -> bool:
    """The user was drawn (in the current draw) to this room in this session."""
    return (
        has_role(user, {Role.PROCTOR})
        and ProctorAssignment.objects.filter(
            draw__superseded=False, session=session, room=room, proctor__user=user
        ).exists()
    )


def may_record(user, session, room) -> bool:
    return has_role(user, RUN_EXAMS) or is_room_proctor(user, session, room)


def _check_window(actor, session):
    now = timezone.now()
    if now < session.starts_at:
        raise ExamError("本场考试尚未开考，不能记录缺考或违纪")
    if not has_role(actor, RUN_EXAMS) and now > session.ends_at + PROCTOR_GRACE:
        raise ExamError("本场考试已结束两小时以上，请联系考试中心补录或更正")


def _seat_of(application, session):
    seat = Seat.objects.select_related("room").filter(application=application).first()
    if seat is None or application.exam_id != session.exam_id:
        raise ExamError("该考生未安排在本次考试的考场")
    return seat


def _snapshot(incident) -> dict:
    return {
        "kind": incident.kind,
        "session": incident.session.name,
        "description": incident.description,
        "decision": incident.decision,
    }


@transaction.atomic
def incident_record(*, actor, application, session, kind, description="", decision="") -> Incident:
    if kind not in IncidentKind.values:
        raise ExamError("记录类型无效", field="kind")
    description, decision = (description or "").strip(), (decision or "").strip()
    if kind == IncidentKind.VIOLATION and not description:
        raise ExamError("请填写违纪情况", field="description")
    seat = _seat_of(application, session)
    if not may_record(actor, session, seat.room):
        raise ExamError("只能记录本人监考考场的考生", code="forbidden")
    _check_window(actor, session)
    # Two proctors of the room at once: the application row serialises their records.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    others = set(
        Incident.objects.filter(application=application, session=session).values_list(
            "kind", flat=True
        )
    )
    if kind in others:
        if kind == IncidentKind.ABSENT:
            raise ExamError("该考生本场已记录缺考")
        raise ExamError("该考生本场已有违纪记录，请在原记录中补充情况和处理决定")
    if others:
        raise ExamError("同一场次不能既记录缺考又记录违纪，请先撤销原记录")
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                application=application,
                session=session,
                kind=kind,
                description=description,
                decision=decision,
                recorded_by=actor,
            )
    except IntegrityError:  # a concurrent record of the same kind won
        raise ExamError("该考生本场已有同类记录") from None
    audit_record(
        actor=actor,
        action=f"incident.{kind}",
        obj=incident,
        label=f"{seat.ticket_number} {incident.get_kind_display()}",
        after={**_snapshot(incident), "ticket": seat.ticket_number},
    )
    return incident


def _editable(actor, incident):
    seat = _seat_of(incident.application, incident.session)
    if not may_record(actor, incident.session, seat.room):
        raise ExamError("只能更正本人监考考场的记录", code="forbidden")
    _check_window(actor, incident.session)
    return seat


@transaction.atomic
def incident_update(*, actor, incident, description, decision) -> Incident:
    """Add to what happened or record the handling decision (often decided after the session)."""
    incident = Incident.objects.select_for_update().select_related("session").get(pk=incident.pk)
    seat = _editable(actor, incident)
    description, decision = (description or "").strip(), (decision or "").strip()
    if incident.kind == IncidentKind.VIOLATION and not description:
        raise ExamError("请填写违纪情况", field="description")
    before = _snapshot(incident)
    incident.description, incident.decision = description, decision
    incident.save(update_fields=["description", "decision"])
    old, new = changed(before, _snapshot(incident))
    if new:
        audit_record(
            actor=actor,
            action="incident.update",
            obj=incident,
            label=f"{seat.ticket_number} {incident.get_kind_display()}",
            before=old,
            after=new,
        )
    return incident


@transaction.atomic
def incident_withdraw(*, actor, incident, reason) -> None:
    """Undo a mistaken record (a candidate marked absent who had come); the trail keeps it."""
    reason = (reason or "").strip()
    if not reason:
        raise ExamError("请填写撤销原因", field="reason")
    incident = Incident.objects.select_for_update().select_related("session").get(pk=incident.pk)
    seat = _editable(actor, incident)
    audit_record(
        actor=actor,
        action="incident.withdraw",
        obj=incident,
        label=f"{seat.ticket_number} {incident.get_kind_display()}",
        before={**_snapshot(incident), "ticket": seat.ticket_number},
        note=reason,
    )
    incident.delete()


def room_sheet(session, room) -> list:
    """The room's candidates by seat, each with this session's records (by kind)."""
    seats = list(
        Seat.objects.filter(room=room).select_related("application__candidate").order_by("number")
    )
    records = {}
    for incident in Incident.objects.filter(
        session=session, application_id__in=[s.application_id for s in seats]
    ):
        records.setdefault(incident.application_id, {})[incident.kind] = incident
    for seat in seats:
        seat.records = records.get(seat.application_id, {})
    return seats
