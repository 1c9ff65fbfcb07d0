import pytest

from renshi.hall import cases
from renshi.hall.errors import HallError
from renshi.hall.models import CaseStatus, NoticeKind, Outcome
from renshi.hall.tests.cases_helpers import (
    INST,
    Bureau,
    file_transfer,
    load_items,
    transfer_setup,
    walk_through,
)
from renshi.personnel.models import EstablishmentLine, LedgerEntry, ReservationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _items():
    load_items()


def line(unit):
    return EstablishmentLine.objects.get(unit=unit, category=INST)


def test_transfer_in_from_filing_to_conclusion_moves_the_person_and_the_slot():
    a, b, person, clerk = transfer_setup()
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    assert case.status == CaseStatus.RECEIVED and len(case.number) == 19
    missing = cases.missing_materials(case)
    assert "现实表现鉴定" in missing and "事业单位人员商调表" not in missing
    notice = cases.request_supplement(
        actor=bureau.window, case=case, items=[{"name": n, "reason": "未提交"} for n in missing]
    )
    assert notice.kind == NoticeKind.SUPPLEMENT and "现实表现鉴定" in notice.text
    with pytest.raises(HallError):  # one-time notice: not twice
        cases.request_supplement(actor=bureau.window, case=case, items=[{"name": "x"}])
    cases.supply(actor=clerk, case=case, materials=missing)
    assert cases.missing_materials(case) == []
    cases.accept(actor=bureau.window, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.due_date and case.reservation
    assert line(b).reserved == 1
    walk_through(case, bureau)
    case.refresh_from_db()
    person.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED and case.outcome == Outcome.APPROVED
    assert person.unit == b
    assert (line(b).occupied, line(b).reserved) == (1, 0)
    assert line(a).occupied == 0
    assert case.reservation.status == ReservationStatus.USED
    assert LedgerEntry.objects.filter(unit=b, document_number=case.number).count() == 1
    assert case.events.filter(public=True).count() >= 5


def test_withdraw_after_acceptance_gives_the_slot_back():
    a, b, person, clerk = transfer_setup()
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    cases.accept(actor=bureau.window, case=case)
    assert line(b).reserved == 1
    cases.withdraw(actor=clerk, case=case, reason="不调了")
    assert line(b).reserved == 0
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    with pytest.raises(HallError):
        cases.accept(actor=bureau.window, case=case)


def test_acceptance_without_a_free_slot_is_refused_and_changes_nothing():
    a, b, person, clerk = transfer_setup(free_slots=0)
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    with pytest.raises(HallError, match="不足"):
        cases.accept(actor=bureau.window, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.accepted_on is None


def test_a_second_signature_on_the_same_step_gets_a_clear_message():
    a, b, person, clerk = transfer_setup()
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    cases.accept(actor=bureau.window, case=case)
    task = case.tasks.get(status="open")
    cases.complete(actor=bureau.personnel, case=case, task=task, decision="approve")
    with pytest.raises(HallError, match="刷新"):
        cases.complete(actor=bureau.personnel, case=case, task=task, decision="approve")
