"""The hall's clock (电子监察): yellow and red reminders for running cases and their open tasks.

Run every minute by `manage.py clock` (or cron: `manage.py hall_tick`). Each reminder is sent
exactly once: the tick marks the rows with one UPDATE ... WHERE warned_at IS NULL ... RETURNING
and writes the Reminder rows from what it returned, in the same transaction. The marking
subquery takes the rows FOR UPDATE SKIP LOCKED, so a second tick running at the same moment
skips the rows the first one holds (and finds them marked once it commits), and a row an
engine service is changing right now is left for the next tick instead of waiting: the tick
never waits for a lock, so it can never deadlock with a user's action.

The work is set-based: one statement per kind on PostgreSQL (a data-modifying CTE feeds the
INSERT), whatever the number of open cases. Suspended cases are skipped: their clock stands still.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from renshi.core import work_calendar
from renshi.core.roles import Role
from renshi.hall import deadlines
from renshi.hall.models import RUNNING, Case, CaseTask, Reminder, ServiceItem, TaskStatus

log = logging.getLogger(__name__)

YELLOW, RED = deadlines.YELLOW, deadlines.RED
# The bureau role that handles the cases of a section (科室); the section chief always hears too.
SECTION_ROLES = {"personnel": Role.PERSONNEL, "establishment": Role.ESTABLISHMENT}
CHUNK = 500

# The SQL below holds table names and code constants only; every value is a parameter.
NAMES = {
    "case": Case._meta.db_table,
    "task": CaseTask._meta.db_table,
    "item": ServiceItem._meta.db_table,
    "reminder": Reminder._meta.db_table,
    "user": get_user_model()._meta.db_table,
    "running": ", ".join(f"'{s}'" for s in RUNNING),
    "open": TaskStatus.OPEN,
    "chief": Role.SECTION_CHIEF,
    "section_role": " ".join(f"WHEN '{s}' THEN '{r}'" for s, r in SECTION_ROLES.items()),
    "sections": ", ".join(f"'{s}'" for s in SECTION_ROLES),
}
DUE = {
    YELLOW: "x.warned_at IS NULL AND x.due_date BETWEEN %(today)s AND %(horizon)s",
    RED: "x.overdue_at IS NULL AND x.due_date < %(today)s",
}
COLUMN = {YELLOW: "warned_at", RED: "overdue_at"}
PICK = {
    "case": "SELECT x.id FROM {case} x WHERE x.status IN ({running}) AND {due}",
    "task": (
        "SELECT x.id FROM {task} x JOIN {case} c ON c.id = x.case_id "
        "WHERE x.status = '{open}' AND c.status IN ({running}) AND {due}"
    ),
}
MARK = "UPDATE {table} SET {column} = %(now)s WHERE id IN ({pick}{lock}) RETURNING id"
COLUMNS = 'INSERT INTO {reminder} (case_id, task_id, kind, role, user_id, text, "at", "read") '
# An assigned task reminds its assignee; an unclaimed one the whole role; one held by a
# deactivated account the section chiefs, who can reassign it (改派).
TASK_REMINDERS = COLUMNS + (
    "SELECT t.case_id, t.id, '{kind}', "
    "CASE WHEN t.assignee_id IS NULL THEN t.role WHEN u.is_active THEN '' ELSE '{chief}' END, "
    "CASE WHEN u.is_active THEN t.assignee_id END, {text}, %(now)s, FALSE "
    "FROM {task} t JOIN {case} c ON c.id = t.case_id JOIN {item} i ON i.id = c.item_id "
    "LEFT JOIN {user} u ON u.id = t.assignee_id {source}"
)
# The section chief hears of every case; the section's own role too, where it has one.
# (A bare NULL in a UNION is text to PostgreSQL: the id columns want a number.)
CASE_REMINDER = (
    "SELECT c.id, CAST(NULL AS bigint), '{kind}', {role}, CAST(NULL AS bigint), {text}, "
    "%(now)s, FALSE FROM {case} c JOIN {item} i ON i.id = c.item_id {source}"
)
CASE_REMINDERS = (
    COLUMNS
    + CASE_REMINDER.replace("{role}", "'{chief}'")
    + " UNION ALL "
    + CASE_REMINDER.replace("{role}", "CASE i.section {section_role} END")
    + " AND i.section IN ({sections})"
)
TEXT = "substr('{head}办件' || c.number || '「' || i.name || '」{what}{tail}', 1, 200)"
WHEN = "' || CAST({due} AS text) || '"
# Appended to a task's text when its assignee's account is deactivated (u: the assignee).
STUCK = (
    "' || CASE WHEN t.assignee_id IS NOT NULL AND NOT u.is_active THEN "
    "'（办理人' || COALESCE(NULLIF(u.full_name, ''), u.username) || '已停用，请改派）' "
    "ELSE '' END || '"
)
CTE = "WITH marked AS ({mark}), sent AS ({insert}) SELECT count(*) FROM marked"


def _mark_sql(kind: str, level: str) -> str:
    """UPDATE ... RETURNING id of the cases (or open tasks) due for a `kind` reminder."""
    lock = " FOR UPDATE OF x SKIP LOCKED" if connection.vendor == "postgresql" else ""
    pick = PICK[level].format(due=DUE[kind], **NAMES)
    return MARK.format(table=NAMES[level], column=COLUMN[kind], pick=pick, lock=lock)


def _text(kind: str, level: str) -> str:
    """The reminder's text as an SQL expression over c (case), i (item) and t (task)."""
    when = WHEN.format(due="t.due_date" if level == "task" else "c.due_date")
    return TEXT.format(
        head="【临期】" if kind == YELLOW else "【超期】",
        what="' || t.step_name || '环节" if level == "task" else "承诺办结日期",
        tail=(f"将于{when}到期" if kind == YELLOW else f"已于{when}到期，已超期")
        + (STUCK if level == "task" else ""),
    )


def _reminder_sql(kind: str, level: str, source: str) -> str:
    """INSERT the reminders of the marked rows; `source` joins or filters the marked ids."""
    template = TASK_REMINDERS if level == "task" else CASE_REMINDERS
    alias = "t" if level == "task" else "c"
    return template.format(
        kind=kind, text=_text(kind, level), source=source.format(alias=alias), **NAMES
    )


def _remind(cursor, kind: str, level: str, params: dict) -> int:
    """Mark the due rows of one kind and level and write their reminders; returns rows marked."""
    if connection.vendor == "postgresql":
        insert = _reminder_sql(kind, level, "JOIN marked m ON m.id = {alias}.id WHERE TRUE")
        cursor.execute(CTE.format(mark=_mark_sql(kind, level), insert=insert), params)
        return cursor.fetchone()[0]
    # SQLite has no data-modifying CTE; it serialises writers, so two steps are as safe.
    cursor.execute(_mark_sql(kind, level), params)
    ids = [row[0] for row in cursor.fetchall()]
    for start in range(0, len(ids), CHUNK):
        listed = ", ".join(str(int(i)) for i in ids[start : start + CHUNK])
        source = "WHERE {alias}.id IN (" + listed + ")"
        cursor.execute(_reminder_sql(kind, level, source), params)
    return len(ids)


def tick(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> dict:
    """Send the reminders due today; returns how many rows of each kind were reminded."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    ops = connection.ops
    params = {
        "now": ops.adapt_datetimefield_value(now),
        "today": ops.adapt_datefield_value(today),
        "horizon": ops.adapt_datefield_value(deadlines.warn_horizon(today)),
    }
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for level in ("case", "task"):
            for kind in (RED, YELLOW):
                counts[f"{kind}_{level}s"] = _remind(cursor, kind, level, params)
    counts["calendar_missing_year"] = _calendar_check(today)
    return counts


_calendar_logged: set[datetime.date] = set()


def _calendar_check(today: datetime.date) -> int | None:
    """From November, next year's number while its calendar is missing (logged once a day;
    the system administrator also sees it on the home page)."""
    missing = work_calendar.missing_next_year(today)
    if missing and today not in _calendar_logged:
        _calendar_logged.add(today)
        log.warning("%s年的工作日历尚未录入，请系统管理员在“工作日历”中录入", missing)
    return missing
