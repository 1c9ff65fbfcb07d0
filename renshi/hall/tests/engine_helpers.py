"""Small helpers for the case engine tests: a frozen clock, open tasks, signing a step."""

import datetime
import zoneinfo

from renshi.core.models import AuditEvent
from renshi.hall import cases
from renshi.hall.models import CaseEvent, TaskStatus
from renshi.hall.tests.cases_helpers import INST
from renshi.personnel.models import EstablishmentLine

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def on(time_machine, day: datetime.date, hour=10):
    """Move the clock to `day` (Beijing time) and keep it there."""
    time_machine.move_to(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


def open_tasks(case):
    return list(case.tasks.filter(status=TaskStatus.OPEN).order_by("pk"))


def the_task(case):
    (task,) = open_tasks(case)
    return task


def sign(case, user, decision="approve", opinion="同意"):
    """`user` signs their open task of the case's current step."""
    task = next(t for t in open_tasks(case) if cases.can_handle(user, t))
    return cases.complete(actor=user, case=case, task=task, decision=decision, opinion=opinion)


def line(unit, category=INST):
    return EstablishmentLine.objects.get(unit=unit, category=category)


def counts(case):
    """What a refused action must leave as it was."""
    case.refresh_from_db()
    return {
        "status": case.status,
        "step": case.step_index,
        "due": case.due_date,
        "reservation": case.reservation_id,
        "tasks": list(case.tasks.values_list("pk", "status", "assignee_id", "due_date")),
        "events": CaseEvent.objects.filter(case=case).count(),
        "audit": AuditEvent.objects.count(),
        "notices": case.notices.count(),
    }
