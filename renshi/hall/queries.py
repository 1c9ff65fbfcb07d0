"""Read-side queries of the case pages: who sees which case, task lists, the unit's case list.

The lists read one page straight off an index and never count everything: the task lists use
the partial indexes on open tasks (role, due_date) and (assignee, due_date), the unit list the
(unit, -received_at) index; tab counts stop at COUNT_CAP.
"""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from renshi.core import roles
from renshi.core.roles import Role
from renshi.hall import deadlines
from renshi.hall.models import Case, CaseStatus, CaseTask, Rating, Reminder, TaskStatus
from renshi.personnel import selectors as personnel_selectors
from renshi.personnel.models import Unit
from renshi.personnel.views.people import WindowPage

PAGE_SIZE = 20
COUNT_CAP = 999
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
    """COUNT over at most COUNT_CAP + 1 rows (shown as "999+")."""
    return queryset[: COUNT_CAP + 1].count()


def colour_rows(rows, due=lambda r: r.due_date) -> None:
    horizon = deadlines.warn_horizon()
    for row in rows:
        row.colour = deadlines.colour(due(row), horizon=horizon)


# --- Task lists (bureau) ---------------------------------------------------------------------

TABS = {"mine": "我的待办", "role": "本角色待办", "due": "超期/临期"}


def _open_tasks():
    return CaseTask.objects.filter(status=TaskStatus.OPEN)


def tasks_mine(user):
    return _open_tasks().filter(assignee=user)


def tasks_role(user):
    return _open_tasks().filter(role=user.role, assignee__isnull=True)


def tasks_due(user):
    """Open tasks of mine or of my role (unassigned) due by the next working day."""
    horizon = deadlines.warn_horizon()
    mine = Q(assignee=user) | Q(role=user.role, assignee__isnull=True)
    return _open_tasks().filter(mine, due_date__lte=horizon)


TAB_QUERIES = {"mine": tasks_mine, "role": tasks_role, "due": tasks_due}


def task_page(user, tab, number):
    rows = (
        TAB_QUERIES[tab](user)
        .select_related("case__item", "case__unit", "assignee")
        .order_by("due_date", "id")
    )
    page = page_of(rows, number)
    colour_rows(page)
    for task in page:
        task.case_colour = deadlines.colour(task.case.due_date)
    return page


def task_counts(user) -> dict:
    return {tab: capped_count(query(user)) for tab, query in TAB_QUERIES.items()}


def reminders(user, limit=5):
    """The tick's latest unread reminders to this person or to their role."""
    mine = Q(user=user) | Q(role=user.role, user__isnull=True)
    return list(Reminder.objects.filter(mine, read=False).order_by("-at", "-id")[:limit])


# --- The unit's cases ------------------------------------------------------------------------


def unit_cases(user, *, status="", item=None, overdue=False):
    """The cases of the clerk's unit subtree (bureau users: every unit), newest first."""
    rows = visible_cases(user)
    if status:
        rows = rows.filter(status=status)
    if item:
        rows = rows.filter(item=item)
    if overdue:
        # A case is overdue when its clock runs past the promised date (the tick's rule).
        rows = rows.filter(
            status__in=(CaseStatus.IN_PROGRESS, CaseStatus.RECEIVED),
            due_date__lt=timezone.localdate(),
        )
    return rows.select_related("item", "unit").order_by("-received_at", "-id")


def unit_case_page(user, number, **filters):
    page = page_of(unit_cases(user, **filters), number)
    colour_rows(page, due=lambda c: c.due_date if c.is_open else None)
    return page


def intake_queue():
    """Cases waiting at the window (open intake tasks), oldest deadline first."""
    return (
        _open_tasks()
        .filter(role=Role.HALL_WINDOW)
        .select_related("case__item", "case__unit")
        .order_by("due_date", "id")
    )


def bad_ratings_open():
    """Bad ratings not yet followed up, oldest deadline first (chiefs' list)."""
    return (
        Rating.objects.filter(level__lte=2, followed_up_at__isnull=True)
        .select_related("case__item", "case__unit")
        .order_by("follow_up_due", "id")
    )
