"""Deadline colours (电子监察 黄牌/红牌): yellow from one working day before the due date, red
once it has passed. The same rule serves the lists (colour of a row), the SQL filters (due on
or before the warning horizon) and the tick (reminders)."""

import datetime

from django.utils import timezone

from renshi.core import workdays

GREEN, YELLOW, RED = "green", "yellow", "red"
LABELS = {GREEN: "正常", YELLOW: "临期", RED: "超期"}


def warn_horizon(today: datetime.date | None = None) -> datetime.date:
    """A due date on or before this day is yellow (or red): the next working day after today.

    Beyond the calendar's last known year the next calendar day stands in, so the colours keep
    working on 31 December while next year's calendar is still missing."""
    today = today or timezone.localdate()
    try:
        return workdays.add_workdays(today, 1)
    except workdays.CalendarUnknown:
        return today + datetime.timedelta(days=1)


def colour(due_date, today: datetime.date | None = None, horizon=None) -> str:
    """The colour of a due date ("" when there is none); pass `horizon` for many rows."""
    if due_date is None:
        return ""
    today = today or timezone.localdate()
    if due_date < today:
        return RED
    if due_date <= (horizon or warn_horizon(today)):
        return YELLOW
    return GREEN
