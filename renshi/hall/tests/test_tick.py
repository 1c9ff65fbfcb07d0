"""The hall's clock: yellow one working day before, red after, each reminder exactly once."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from renshi.core.models import WorkCalendarDay
from renshi.core.roles import Role
from renshi.core.tests.races import race
from renshi.hall import cases
from renshi.hall.errors import HallError
from renshi.hall.models import Case, CaseStatus, CaseTask, Reminder, TaskStatus
from renshi.hall.tests.cases_helpers import Bureau, file_transfer, load_items, transfer_setup
from renshi.hall.tick import tick

D = datetime.date
# 国庆节 2026: 1–7 October are holidays, so the working day before 8 October is 30 September.
DUE = D(2026, 10, 8)


@pytest.fixture
def running_case(db):
    """An accepted transfer-in with its open review task, both due on DUE."""
    load_items()
    _a, b, person, clerk = transfer_setup()
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    cases.accept(actor=bureau.window, case=case)
    Case.objects.filter(pk=case.pk).update(due_date=DUE)
    CaseTask.objects.filter(case=case, status=TaskStatus.OPEN).update(due_date=DUE)
    case.refresh_from_db()
    case.bureau, case.clerk = bureau, clerk
    return case


def counts(result):
    keys = ("yellow_cases", "red_cases", "yellow_tasks", "red_tasks")
    return tuple(result[k] for k in keys)


def test_it_warns_one_working_day_before_across_the_national_day(running_case):
    assert counts(tick(today=D(2026, 9, 29))) == (0, 0, 0, 0)
    assert counts(tick(today=D(2026, 9, 30))) == (1, 0, 1, 0)
    reminders = Reminder.objects.filter(case=running_case, kind="yellow")
    task = running_case.tasks.get(status=TaskStatus.OPEN)
    assert sorted(reminders.values_list("role", flat=True)) == sorted(
        [task.role, Role.SECTION_CHIEF, Role.PERSONNEL]  # RS-003 belongs to 人事科
    )
    text = reminders.get(task=task).text
    assert text.startswith("【临期】办件" + running_case.number) and "2026-10-08" in text


def test_it_turns_red_the_day_after_the_due_date_and_sends_each_reminder_once(running_case):
    tick(today=D(2026, 9, 30))
    assert counts(tick(today=DUE)) == (0, 0, 0, 0)  # yellow already sent, not red yet
    assert counts(tick(today=D(2026, 10, 9))) == (0, 1, 0, 1)
    assert counts(tick(today=D(2026, 10, 9))) == (0, 0, 0, 0)
    assert counts(tick(today=D(2026, 10, 12))) == (0, 0, 0, 0)
    assert Reminder.objects.filter(case=running_case, kind="red").count() == 3
    assert Reminder.objects.filter(case=running_case).count() == 6
    assert "已超期" in Reminder.objects.filter(kind="red", task__isnull=False).get().text


def test_an_assigned_task_reminds_its_assignee(running_case):
    task = running_case.tasks.get(status=TaskStatus.OPEN)
    user = running_case.bureau.by_role(task.role)
    cases.claim(actor=user, case=running_case, task=task)
    tick(today=D(2026, 10, 9))
    reminder = Reminder.objects.get(task=task)
    assert reminder.user == user and reminder.role == ""


def test_suspended_and_concluded_cases_are_not_reminded(running_case):
    cases.suspend(actor=running_case.bureau.chief, case=running_case, reason="专家评审")
    assert counts(tick(today=D(2026, 10, 9))) == (0, 0, 0, 0)
    Case.objects.filter(pk=running_case.pk).update(status=CaseStatus.CONCLUDED)
    assert counts(tick(today=D(2026, 10, 9))) == (0, 0, 0, 0)
    assert not Reminder.objects.exists()


def test_a_window_intake_task_is_reminded_before_acceptance(db):
    load_items()
    _a, b, person, clerk = transfer_setup()
    case = file_transfer(clerk, b, person)
    CaseTask.objects.filter(case=case).update(due_date=D(2026, 11, 27))
    assert counts(tick(today=D(2026, 11, 30))) == (0, 0, 0, 1)
    assert Reminder.objects.get().role == Role.HALL_WINDOW


def test_it_runs_a_fixed_number_of_queries(running_case, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        tick(today=D(2026, 10, 9))


def test_the_command_prints_what_it_sent(running_case, capsys):
    with time_machine.travel(datetime.datetime(2026, 10, 9, 9, tzinfo=datetime.UTC)):
        call_command("hall_tick")
    assert "办件临期 0、超期 1；环节临期 0、超期 1" in capsys.readouterr().out


def test_a_deadline_in_a_year_without_calendar_is_refused(db):
    load_items()
    _a, b, person, clerk = transfer_setup()
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    assert not WorkCalendarDay.objects.filter(date__year=2027).exists()
    at = datetime.datetime(2026, 12, 28, 9, tzinfo=datetime.UTC)
    with time_machine.travel(at), pytest.raises(HallError, match="2027年的工作日历尚未录入"):
        cases.accept(actor=bureau.window, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.due_date is None


def test_from_november_it_warns_when_next_year_is_missing(db):
    assert tick(today=D(2026, 10, 30))["calendar_missing_year"] is None
    assert tick(today=D(2026, 11, 2))["calendar_missing_year"] == 2027


# --- Two ticks at once (PostgreSQL row locks) -------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_two_ticks_at_once_send_each_reminder_once():
    load_items()
    _a, b, person, clerk = transfer_setup(free_slots=3)
    bureau = Bureau()
    for _ in range(3):
        case = file_transfer(clerk, b, person)
        cases.accept(actor=bureau.window, case=case)
    Case.objects.update(due_date=DUE)
    CaseTask.objects.filter(status=TaskStatus.OPEN).update(due_date=DUE)
    results, refusals = race([lambda: counts(tick(today=D(2026, 10, 9)))] * 4, ())
    assert len(results) == 4 and refusals == []
    assert tuple(map(sum, zip(*results, strict=True))) == (0, 3, 0, 3)
    assert Reminder.objects.filter(task__isnull=False).count() == 3
    assert Reminder.objects.filter(task__isnull=True).count() == 6
