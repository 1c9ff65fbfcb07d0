"""The demo's cases: every state, a consistent history, the clerks' units, idempotent."""

import datetime

import pytest
import time_machine

from renshi.hall import demo
from renshi.hall.models import Case, CaseEvent, CaseStatus, CaseTask, Rating, Reminder, TaskStatus
from renshi.hall.tests.cases_helpers import load_items
from renshi.personnel import demo as city

pytestmark = pytest.mark.django_db
QUIET = {"log": lambda text: None}


@pytest.fixture
def loaded():
    city.load_city(units=40, people=500, seed=7, **QUIET)
    city.create_accounts(**QUIET)
    load_items()
    with time_machine.travel(datetime.datetime(2026, 11, 25, 2, tzinfo=datetime.UTC)):
        return demo.load(count=120, **QUIET)


def test_it_loads_every_state_with_tasks_history_and_reminders(loaded):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    assert loaded["tick"]["red_tasks"] > 0 and Reminder.objects.exists()
    assert Rating.objects.filter(level__lte=2).exists()
    for case in Case.objects.all():
        assert case.events.exists()
        open_tasks = case.tasks.filter(status=TaskStatus.OPEN).count()
        if case.status in (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED):
            assert open_tasks >= 1, case.status
        else:
            assert open_tasks == 0, case.status
        if case.accepted_on:
            assert case.due_date > case.accepted_on
            assert case.received_at.date() <= case.accepted_on
        if case.concluded_workdays is not None:
            assert case.concluded_at and case.outcome


def test_the_clerks_and_every_bureau_role_have_something_to_see(loaded):
    clerk_units = demo.clerk_units()
    assert len(set(clerk_units.values())) == 4
    assert Case.objects.filter(unit_id__in=list(clerk_units)).count() >= 40
    roles = set(CaseTask.objects.filter(status=TaskStatus.OPEN).values_list("role", flat=True))
    assert {"hall_window", "personnel", "establishment", "section_chief", "bureau_leader"} <= roles


def test_the_engine_made_cases_with_effects_and_numbers_do_not_clash(loaded):
    assert loaded["engine"] >= 2
    assert Case.objects.filter(item__effect="transfer_in").exists()
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))


def test_a_second_load_changes_nothing(loaded):
    before = (Case.objects.count(), CaseEvent.objects.count())
    assert demo.load(count=120, **QUIET) is None
    assert (Case.objects.count(), CaseEvent.objects.count()) == before
