"""Read-side queries of the case pages: who sees which case, task lists, the unit's case list.

The lists read one page straight off an index and never count everything: the task lists use
the partial indexes on open tasks (role, due_date) and (assignee, due_date), the unit list the
(unit, -received_at) index; tab counts stop at COUNT_CAP.
"""

import heapq

from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from renshi.core import roles
from renshi.core.roles import Role
from renshi.hall import cases, deadlines
from renshi.hall.models import RUNNING, Case, CaseStatus, CaseTask, Rating, Reminder, TaskStatus
from renshi.personnel import selectors as personnel_selectors
from renshi.personnel.models import Unit
from renshi.personnel.views.people import WindowPage

PAGE_SIZE = 20
# A tab shows "99+" beyond this: counting further reads every open task of a busy role.
COUNT_CAP = 99
# Bureau roles see every case (the hall is the bureau's own business).
SEE_ALL_CASES = roles.BUREAU_ROLES
# Roles that always open materials; the roles of the case's own steps may too.
READ_ALL_MATERIALS = frozenset({Role.HALL_WINDOW, Role.SECTION_CHIEF, Role.BUREAU_LEADER})


def is_unit_clerk(user) -> bool:
    return roles.has_role(user, {Role.UNIT_CLERK}) and personnel_selectors.scope_unit(user)


def visible_cases(user):
    if roles.has_role(user, SEE_ALL_CASES):
        return Case.objects.all()
    if is_unit_clerk(user):
        return Case.objects.filter(unit__in=_subtree_ids(user))
    return Case.objects.none()


def _subtree_ids(user):
    unit = personnel_selectors.scope_unit(user)
    return Unit.objects.filter(path__startswith=unit.path).values("id")


def get_case_for(user, pk) -> Case:
    try:
        return visible_cases(user).select_related("item", "version", "unit", "filed_by").get(pk=pk)
    except (Case.DoesNotExist, ValueError):
        raise Http404 from None


def can_open_materials(user, case) -> bool:
    if roles.has_role(user, READ_ALL_MATERIALS) or (
        is_unit_clerk(user) and case.unit.path.startswith(personnel_selectors.scope_unit(user).path)
    ):
        return True
    return roles.has_role(user, {s["role"] for s in case.version.steps})


# --- Pages ---------------------------------------------------------------------------------


def page_of(queryset, number, size=PAGE_SIZE):
    """One page of rows and whether a next one exists, without counting (one row more)."""
    return WindowPage(queryset, number, size)


def capped_count(queryset) -> int:
    """COUNT over at most COUNT_CAP + 1 rows (shown as "99+"); without the model's ordering,
    which would join the case table."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


BADGES = {deadlines.GREEN: "success", deadlines.YELLOW: "warning", deadlines.RED: "danger"}


STATUS_BADGES = {
    CaseStatus.RECEIVED: "info",
    CaseStatus.SUPPLEMENT: "warning",
    CaseStatus.IN_PROGRESS: "primary",
    CaseStatus.SUSPENDED: "secondary",
    CaseStatus.CONCLUDED: "success",
    CaseStatus.DELIVERED: "success",
}


def colour_rows(rows, due=lambda r: r.due_date) -> None:
    """Set each row's deadline colour, its badge class and label (正常 / 临期 / 超期)."""
    horizon = deadlines.warn_horizon()
    for row in rows:
        row.colour = deadlines.colour(due(row), horizon=horizon)
        row.badge = BADGES.get(row.colour, "")
        row.colour_label = deadlines.LABELS.get(row.colour, "")


# --- Task lists (bureau) ---------------------------------------------------------------------

TABS = {"mine": "我的待办", "role": "本角色待办", "due": "超期/临期"}
# Those who reassign (改派) also see the tasks stuck on deactivated accounts.
STUCK_TAB = {"stuck": "停用人员名下的待办"}


def tabs_for(user) -> dict:
    return TABS | STUCK_TAB if roles.has_role(user, cases.REASSIGN_TASKS) else TABS


def _open_tasks():
    return CaseTask.objects.filter(status=TaskStatus.OPEN)


def tasks_mine(user):
    return _open_tasks().filter(assignee=user)


def tasks_role(user):
    return _open_tasks().filter(role=user.role, assignee__isnull=True)


def tasks_stuck(user):
    """Open tasks whose assignee's account is deactivated (停用人员名下的待办): nobody can sign
    them until a chief reassigns them. Chiefs only."""
    if not roles.has_role(user, cases.REASSIGN_TASKS):
        return _open_tasks().none()
    return _open_tasks().filter(assignee__is_active=False)


def _due_parts(user):
    """The due tab as two disjoint parts, each read in order off its own partial index."""
    horizon = deadlines.warn_horizon()
    return [q(user).filter(due_date__lte=horizon) for q in (tasks_mine, tasks_role)]


def tasks_due(user):
    """Open tasks of mine or of my role (unassigned) due by the next working day."""
    mine, role = _due_parts(user)
    return mine | role


TAB_QUERIES = {"mine": tasks_mine, "role": tasks_role, "due": tasks_due, "stuck": tasks_stuck}
TASK_ORDER = ("due_date", "id")


class IdRows:
    """A sliceable list of rows whose ids for a slice come from `ids(offset, limit)`; the rows
    are then read by primary key, in that order (one query)."""

    def __init__(self, ids, rows):
        self.ids, self.rows = ids, rows

    def __getitem__(self, part: slice):
        ids = self.ids(part.start or 0, part.stop - (part.start or 0))
        found = self.rows.in_bulk(ids)
        return [found[i] for i in ids]


def _merged_due_ids(user):
    """Both parts ordered by (due_date, id) and merged: a BitmapOr of the two indexes would read
    and sort every due task of the role (tens of thousands) for one page."""

    def ids(offset, limit):
        parts = [
            part.order_by(*TASK_ORDER).values_list(*TASK_ORDER)[: offset + limit]
            for part in _due_parts(user)
        ]
        return [pk for _, pk in heapq.merge(*parts)][offset : offset + limit]

    return ids


def _ids_in_order(tasks):
    """Ids first, rows after: joining the cases before the sort would join every task that ties
    on the first due date (a busy role has hundreds due the same day)."""

    def ids(offset, limit):
        return list(
            tasks.order_by(*TASK_ORDER).values_list("id", flat=True)[offset : offset + limit]
        )

    return ids


TASK_ROWS = CaseTask.objects.select_related("case__item", "case__unit", "assignee")


def task_page(user, tab, number):
    if tab == "due":
        source = IdRows(_merged_due_ids(user), TASK_ROWS)
    else:
        source = IdRows(_ids_in_order(TAB_QUERIES[tab](user)), TASK_ROWS)
    page = page_of(source, number)
    colour_rows(page)
    colour_rows([task.case for task in page])
    return page


def task_counts(user) -> dict:
    counts = {tab: capped_count(TAB_QUERIES[tab](user)) for tab in ("mine", "role")}
    counts["due"] = sum(capped_count(part) for part in _due_parts(user))
    if "stuck" in tabs_for(user):
        counts["stuck"] = capped_count(tasks_stuck(user))
    return counts


def reminders(user, limit=5):
    """The tick's latest unread reminders to this person or to their role."""
    mine = Q(user=user) | Q(role=user.role, user__isnull=True)
    return list(Reminder.objects.filter(mine, read=False).order_by("-at", "-id")[:limit])


# --- The unit's cases ------------------------------------------------------------------------


def _case_filters(status="", item=None, overdue=False) -> Q:
    q = Q()
    if status:
        q &= Q(status=status)
    if item:
        q &= Q(item=item)
    if overdue:
        # A case is overdue when its clock runs past the promised date (the tick's rule).
        q &= Q(status__in=RUNNING, due_date__lt=timezone.localdate())
    return q


def unit_cases(user, **filters):
    """The cases of the clerk's unit subtree (bureau users: every unit), newest first."""
    return (
        visible_cases(user)
        .filter(_case_filters(**filters))
        .select_related("item", "unit")
        .order_by("-received_at", "-id")
    )


def _lateral_ids(user, status="", item=None, overdue=False):
    """A clerk's subtree, newest first, read per unit off the (unit, -received_at) index.

    Matching and sorting all of a subtree's cases cost ~35 ms for 4,000 cases; taking at most
    `offset + limit` from each unit bounds the work by the subtree's size. PostgreSQL only."""
    where, params = [], []
    if status:
        where.append("c.status = %s")
        params.append(status)
    if item:
        where.append("c.item_id = %s")
        params.append(item.pk)
    if overdue:
        where.append("c.status IN (%s, %s) AND c.due_date < %s")
        params.extend([*RUNNING, timezone.localdate()])
    unit_params = [personnel_selectors.scope_unit(user).path + "%"]
    inner = " AND ".join(["c.unit_id = u.id", *where])
    # Only table names and fixed fragments are formatted in; every value is a parameter.
    sql = (
        f"SELECT c.id FROM {Unit._meta.db_table} u CROSS JOIN LATERAL ("  # noqa: S608
        f"SELECT c.id, c.received_at FROM {Case._meta.db_table} c WHERE {inner} "
        "ORDER BY c.received_at DESC, c.id DESC LIMIT %s) c "
        "WHERE u.path LIKE %s ORDER BY c.received_at DESC, c.id DESC LIMIT %s OFFSET %s"
    )

    def ids(offset, limit):
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, offset + limit, *unit_params, limit, offset])
            return [pk for (pk,) in cursor.fetchall()]

    return ids


def unit_case_page(user, number, **filters):
    if roles.has_role(user, SEE_ALL_CASES):
        # Every case: newest filed first straight off the primary key (the filing order).
        rows = Case.objects.filter(_case_filters(**filters)).select_related("item", "unit")
        rows = rows.order_by("-id")
    elif connection.vendor == "postgresql" and is_unit_clerk(user):
        rows = IdRows(_lateral_ids(user, **filters), Case.objects.select_related("item", "unit"))
    else:
        rows = unit_cases(user, **filters)
    page = page_of(rows, number)
    colour_rows(page, due=lambda c: c.due_date if c.is_open else None)
    for case in page:
        case.status_badge = STATUS_BADGES.get(case.status, "light border")
    return page


def intake_page(number):
    """Cases waiting at the window (open intake tasks), earliest deadline first."""
    page = page_of(
        IdRows(_ids_in_order(_open_tasks().filter(role=Role.HALL_WINDOW)), TASK_ROWS), number
    )
    colour_rows(page)
    return page


def bad_ratings_open():
    """Bad ratings not yet followed up, oldest deadline first (chiefs' list)."""
    return (
        Rating.objects.filter(level__lte=2, followed_up_at__isnull=True)
        .select_related("case__item", "case__unit")
        .order_by("follow_up_due", "id")
    )
