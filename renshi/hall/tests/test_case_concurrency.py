"""Cases under concurrency, on real row locks (PostgreSQL; SQLite serialises writers anyway).

Every engine service locks the case row first, then its tasks, then the personnel rows (person,
establishment lines in a fixed order), so two people acting on one case queue on the case row and
two cases meeting on one unit queue on its establishment line."""

import datetime

import pytest
from django.db import connection

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.core.tests.races import race as _race
from renshi.hall import cases
from renshi.hall.errors import HallError
from renshi.hall.models import Case, CaseStatus, CaseTask, TaskStatus
from renshi.hall.tests.cases_helpers import (
    INST,
    Bureau,
    file_transfer,
    item,
    load_items,
    transfer_setup,
)
from renshi.hall.tests.engine_helpers import line, on, open_tasks, the_task
from renshi.personnel.models import LedgerEntry, ReservationStatus, SlotReservation
from renshi.personnel.services import establishment
from renshi.personnel.tests.factories import make_clerk, make_person, make_unit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.fixture(autouse=True)
def _items(time_machine):
    on(time_machine, datetime.date(2026, 11, 2))
    load_items()


def race(jobs):
    """Run the callables at once, each on its own connection; (results, refusal messages)."""
    results, refusals = _race(jobs, HallError)
    return results, [e.message for e in refusals]


def ledger_agrees(unit, category=INST):
    """The counters equal the sums of the ledger, and the open reservations hold `reserved`."""
    counter = line(unit, category)
    rows = LedgerEntry.objects.filter(unit=unit, category=category).order_by("pk")
    last = rows.last()
    assert (last.approved_after, last.occupied_after, last.reserved_after) == (
        counter.approved,
        counter.occupied,
        counter.reserved,
    )
    held = sum(
        r.remaining
        for r in SlotReservation.objects.filter(
            unit=unit, category=category, status=ReservationStatus.OPEN
        )
    )
    assert counter.reserved == held
    return counter


def accepted_transfer():
    _a, b, person, clerk = transfer_setup()
    bureau = Bureau()
    case = cases.accept(actor=bureau.window, case=file_transfer(clerk, b, person))
    return case, bureau, clerk


def test_two_people_signing_the_same_step_one_wins():
    case, bureau, _clerk = accepted_transfer()
    colleague = UserFactory(role=Role.PERSONNEL, full_name="人事科二")
    task = the_task(case)
    done, refused = race(
        [
            lambda user=user: cases.complete(actor=user, case=case, task=task, decision="approve")
            for user in (bureau.personnel, colleague)
        ]
    )
    assert len(done) == 1 and len(refused) == 1
    task.refresh_from_db()
    assert refused == [f"「科室审核」已由{task.done_by}办理，请刷新页面查看最新进度"]
    case.refresh_from_db()
    assert case.step_index == 2
    assert CaseTask.objects.filter(case=case, step_index=2).count() == 1
    assert case.events.filter(action="sign").count() == 1


def test_signing_and_returning_the_same_task_at_once_one_wins():
    case, bureau, _clerk = accepted_transfer()
    cases.complete(actor=bureau.personnel, case=case, task=the_task(case), decision="approve")
    cases.complete(actor=bureau.establishment, case=case, task=the_task(case), decision="approve")
    chief = UserFactory(role=Role.SECTION_CHIEF, full_name="科长二")
    task = the_task(case)
    done, refused = race(
        [
            lambda: cases.complete(actor=bureau.chief, case=case, task=task, decision="approve"),
            lambda: cases.return_to(actor=chief, case=case, task=task, opinion="请补充"),
        ]
    )
    assert len(done) == 1 and len(refused) == 1 and "请刷新页面查看最新进度" in refused[0]
    case.refresh_from_db()
    assert case.step_index in (2, 4) and len(open_tasks(case)) == 1


def test_all_members_signing_at_once_move_the_case_on_once():
    for _ in range(3):
        UserFactory(role=Role.ESTABLISHMENT)
    case, bureau, _clerk = accepted_transfer()
    cases.complete(actor=bureau.personnel, case=case, task=the_task(case), decision="approve")
    shares = open_tasks(case)
    assert len(shares) == 4  # the Bureau's member and three more
    done, refused = race(
        [
            lambda t=t: cases.complete(actor=t.assignee, case=case, task=t, decision="approve")
            for t in shares
        ]
    )
    assert len(done) == 4 and refused == []
    case.refresh_from_db()
    assert case.step_index == 3
    assert [t.step_code for t in open_tasks(case)] == ["chief"]
    assert case.events.filter(action="step_done").count() == 2


@pytest.mark.parametrize("attempt", range(4))
def test_acceptance_racing_withdrawal_leaves_a_consistent_case(attempt):
    _a, b, person, clerk = transfer_setup()
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    results, refused = race(
        [
            lambda: cases.accept(actor=bureau.window, case=case),
            lambda: cases.withdraw(actor=clerk, case=case, reason="不调了"),
        ]
    )
    case.refresh_from_db()
    counter = ledger_agrees(b)
    # The withdrawal succeeds whichever comes first; the slot is never left held.
    assert case.status == CaseStatus.WITHDRAWN
    assert counter.reserved == 0 and open_tasks(case) == []
    if refused:  # the withdrawal came first
        assert refused == ["办件当前状态为「已撤回」，不能受理"] and case.reservation is None
    else:  # the acceptance came first and its reservation was given back
        assert len(results) == 2 and case.reservation.status == ReservationStatus.RELEASED


def test_many_clerks_filing_at_once_get_unique_numbers_without_gaps():
    units = [make_unit(f"单位{i}") for i in range(8)]
    clerks = [make_clerk(u) for u in units]
    jobs = [
        lambda c=c, u=u: (
            cases.case_file(actor=c, item=item("RS-008"), unit=u, applicant_name="经办").number
        )
        for c, u in zip(clerks, units, strict=True)
    ]
    numbers, refused = race(jobs)
    assert refused == []
    assert sorted(numbers) == [f"21030020261102{n:05d}" for n in range(1, 9)]
    assert Case.objects.count() == 8


def test_two_transfers_for_the_last_free_slot_one_is_accepted():
    a, b, person, clerk = transfer_setup(free_slots=1)
    other = make_person(a, name="王五", category=INST)
    windows = [Bureau().window, UserFactory(role=Role.HALL_WINDOW)]
    first, second = file_transfer(clerk, b, person), file_transfer(clerk, b, other)
    accepted, refused = race(
        [
            lambda w=w, c=c: cases.accept(actor=w, case=c)
            for w, c in zip(windows, (first, second), strict=True)
        ]
    )
    assert len(accepted) == 1
    assert refused == ["「乙单位」事业编制不足：核定1名，实有0名，预留1名，可用0名，本次需1名。"]
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS}
    assert ledger_agrees(b).reserved == 1


def test_crossing_transfers_concluded_at_once_do_not_deadlock():
    """Case 1 moves P from A to B while case 2 moves Q from B to A: both lock both lines."""
    a, b = make_unit("甲单位"), make_unit("乙单位")
    p, q = make_person(a, name="李四", category=INST), make_person(b, name="王五", category=INST)
    for unit in (a, b):
        establishment.establishment_approve(
            actor="测试", unit=unit, category=INST, approved=2, document_number="鞍编〔2026〕9号"
        )
    bureau = Bureau()
    found = []
    for person, to in ((p, b), (q, a)):
        case = file_transfer(make_clerk(to), to, person)
        case = cases.accept(actor=bureau.window, case=case)
        while case.step_index < len(case.version.steps) - 1:
            for task in open_tasks(case):
                user = task.assignee or bureau.by_role(task.role)
                cases.complete(actor=user, case=case, task=task, decision="approve")
            case.refresh_from_db()
        found.append((case, the_task(case)))
    done, refused = race(
        [
            lambda c=c, t=t: cases.complete(actor=bureau.leader, case=c, task=t, decision="approve")
            for c, t in found
        ]
    )
    assert len(done) == 2 and refused == []
    p.refresh_from_db()
    q.refresh_from_db()
    assert (p.unit, q.unit) == (b, a)
    for unit in (a, b):
        assert ledger_agrees(unit).occupied == 1
    assert not CaseTask.objects.filter(status=TaskStatus.OPEN).exists()
