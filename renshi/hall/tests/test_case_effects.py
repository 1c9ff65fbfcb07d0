"""What cases do to the personnel database, in the same transaction as the step that causes it:
reserve on acceptance, take on conclusion, release when the case ends unused; hire on 用编;
free the slot on retirement. A refusal by the personnel side stops the step and changes nothing."""

import datetime

import pytest

from renshi.core.crypto import decrypt
from renshi.core.models import AuditEvent
from renshi.hall import cases
from renshi.hall.errors import HallError
from renshi.hall.models import CaseStatus, Outcome, TaskStatus
from renshi.hall.tests.cases_helpers import (
    INST,
    Bureau,
    file_transfer,
    item,
    load_items,
    transfer_setup,
    walk_through,
)
from renshi.hall.tests.engine_helpers import counts, line, on, open_tasks, sign
from renshi.personnel.models import (
    LedgerEntry,
    LedgerKind,
    Person,
    PersonStatus,
    ReservationStatus,
    SlotOccupancy,
)
from renshi.personnel.services import establishment, events
from renshi.personnel.services.people import find_by_id_number
from renshi.personnel.tests.factories import id_number, make_clerk, make_person, make_unit

pytestmark = pytest.mark.django_db

NO_SUCH_PERSON = "人员库中没有与该身份证号码和姓名相符的在职人员"


@pytest.fixture(autouse=True)
def _items(time_machine):
    load_items()
    on(time_machine, datetime.date(2026, 11, 2))


@pytest.fixture
def bureau():
    return Bureau()


def kinds(unit, number):
    return list(
        LedgerEntry.objects.filter(unit=unit, document_number__in=["", number])
        .exclude(kind=LedgerKind.APPROVE)
        .order_by("pk")
        .values_list("kind", "delta")
    )


def to_last_step(case, bureau):
    """Sign every step but the last (the leader's)."""
    while True:
        case.refresh_from_db()
        if case.step_index == len(case.version.steps) - 1:
            return case
        for task in open_tasks(case):
            user = task.assignee or bureau.by_role(task.role)
            cases.complete(actor=user, case=case, task=task, decision="approve")


def test_a_transfer_in_reserves_on_acceptance_and_takes_on_conclusion(bureau):
    a, b, person, clerk = transfer_setup()
    case = file_transfer(clerk, b, person)
    assert line(b).reserved == 0  # filing holds nothing
    case = cases.accept(actor=bureau.window, case=case)
    assert (line(b).approved, line(b).occupied, line(b).reserved) == (1, 0, 1)
    assert case.reservation.status == ReservationStatus.OPEN
    assert case.reservation.reference == case.number
    assert AuditEvent.objects.filter(action="establishment.reserve").count() == 1
    walk_through(case, bureau)
    person.refresh_from_db()
    case.refresh_from_db()
    assert person.unit == b and person.category == INST
    assert (line(b).occupied, line(b).reserved, line(a).occupied) == (1, 0, 0)
    assert case.reservation.status == ReservationStatus.USED
    assert kinds(b, case.number) == [(LedgerKind.RESERVE, 1), (LedgerKind.TAKE, 1)]
    assert kinds(a, case.number)[-1] == (LedgerKind.RELEASE, -1)
    occupancy = SlotOccupancy.objects.get(person=person, end_date__isnull=True)
    assert (occupancy.unit, occupancy.in_document) == (b, case.number)
    transfer = AuditEvent.objects.get(action="person.transfer")
    assert transfer.after["unit"] == "乙单位" and transfer.note == case.number


@pytest.mark.parametrize("ending", ["withdraw", "deny"])
def test_the_reservation_is_given_back_when_the_case_ends_unused(bureau, ending):
    a, b, person, clerk = transfer_setup()
    case = cases.accept(actor=bureau.window, case=file_transfer(clerk, b, person))
    if ending == "withdraw":
        cases.withdraw(actor=clerk, case=case, reason="不调了")
    else:
        case = to_last_step(case, bureau)
        sign(case, bureau.leader, decision="deny", opinion="不符合调入条件")
    case.refresh_from_db()
    person.refresh_from_db()
    assert case.reservation.status == ReservationStatus.RELEASED
    assert (line(b).occupied, line(b).reserved) == (0, 0) and person.unit == a
    assert kinds(b, case.number) == [(LedgerKind.RESERVE, 1), (LedgerKind.UNRESERVE, -1)]
    assert AuditEvent.objects.filter(action="establishment.release_reservation").count() == 1


def test_a_refused_case_never_held_a_slot(bureau):
    _a, b, person, clerk = transfer_setup()
    case = file_transfer(clerk, b, person)
    cases.refuse(actor=bureau.window, case=case, reasons="材料虚假")
    assert line(b).reserved == 0 and kinds(b, case.number) == []


def test_slot_use_hires_the_new_person_on_conclusion(bureau):
    unit = make_unit("乙单位")
    establishment.establishment_approve(
        actor="测试", unit=unit, category=INST, approved=2, document_number="鞍编〔2026〕3号"
    )
    clerk = make_clerk(unit)
    number = id_number(datetime.date(1998, 5, 6))
    case = cases.case_file(
        actor=clerk,
        item=item("BZ-001"),
        unit=unit,
        applicant_name="王经办",
        form={"name": "赵六", "id_number": number, "category": INST, "post_name": "会计"},
    )
    assert case.subject == "入编 赵六（事业编制）"
    case = cases.accept(actor=bureau.window, case=case)
    assert line(unit).reserved == 1 and find_by_id_number(number) is None
    walk_through(case, bureau)
    person = find_by_id_number(number)
    assert person.name == "赵六" and person.unit == unit and person.status == PersonStatus.ACTIVE
    assert (line(unit).occupied, line(unit).reserved) == (1, 0)
    assert kinds(unit, case.number) == [(LedgerKind.RESERVE, 1), (LedgerKind.TAKE, 1)]
    assert AuditEvent.objects.filter(action="person.hire", object_id=str(person.pk)).exists()


def test_slot_use_does_not_tell_a_unit_which_id_numbers_exist(bureau):
    elsewhere = make_person(make_unit("甲单位"), name="李四", category=INST)
    unit = make_unit("乙单位")
    establishment.establishment_approve(
        actor="测试", unit=unit, category=INST, approved=1, document_number="鞍编〔2026〕3号"
    )
    clerk = make_clerk(unit)
    number = decrypt(elsewhere.id_number_cipher)
    form = {"name": "李四", "id_number": number, "category": INST}
    with pytest.raises(HallError, match="该人员已在人员库中"):  # name and number both known
        cases.case_file(actor=clerk, item=item("BZ-001"), unit=unit, applicant_name="王", form=form)
    # Another name with that number: nothing is said at filing; the bureau is refused at the end.
    case = cases.case_file(
        actor=clerk,
        item=item("BZ-001"),
        unit=unit,
        applicant_name="王",
        form=form | {"name": "钱七"},
    )
    case = to_last_step(cases.accept(actor=bureau.window, case=case), bureau)
    before = counts(case)
    with pytest.raises(HallError, match="已存在于人员库中"):
        sign(case, bureau.leader)
    assert counts(case) == before and line(unit).reserved == 1


def test_retirement_frees_the_slot(bureau):
    unit = make_unit("乙单位")
    person = make_person(unit, name="孙八", category=INST, birth=datetime.date(1966, 1, 5))
    clerk = make_clerk(unit)
    assert line(unit).occupied == 1
    case = cases.case_file(
        actor=clerk,
        item=item("RS-005"),
        unit=unit,
        applicant_name="王经办",
        form={"name": "孙八", "id_number": decrypt(person.id_number_cipher)},
    )
    case = cases.accept(actor=bureau.window, case=case)
    assert case.reservation is None
    walk_through(case, bureau)
    person.refresh_from_db()
    assert person.status == PersonStatus.RETIRED and line(unit).occupied == 0
    assert kinds(unit, case.number)[-1] == (LedgerKind.RELEASE, -1)
    assert AuditEvent.objects.filter(action="person.retire", object_id=str(person.pk)).exists()


def test_the_person_left_meanwhile_stops_the_last_step_and_changes_nothing(bureau):
    _a, b, person, clerk = transfer_setup()
    case = cases.accept(actor=bureau.window, case=file_transfer(clerk, b, person))
    case = to_last_step(case, bureau)
    events.person_retire(
        actor="测试",
        person=person,
        date=datetime.date(2026, 11, 2),
        document_number="退〔2026〕1号",
    )
    before = counts(case)
    with pytest.raises(HallError, match="李四当前状态为「退休」，不能办理此业务"):
        sign(case, bureau.leader)
    assert counts(case) == before
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.reservation.status == "open"
    assert (line(b).occupied, line(b).reserved) == (0, 1)
    # The bureau can still conclude it as denied, which gives the slot back.
    sign(case, bureau.leader, decision="deny", opinion="本人已退休")
    case.refresh_from_db()
    assert case.outcome == Outcome.DENIED and line(b).reserved == 0


def test_no_free_slot_at_acceptance_leaves_the_case_at_the_window(bureau):
    a, b, person, clerk = transfer_setup(free_slots=1)
    other = make_person(a, name="王五", category=INST)
    first = cases.accept(actor=bureau.window, case=file_transfer(clerk, b, person))
    second = file_transfer(clerk, b, other)
    before = counts(second)
    with pytest.raises(HallError) as e:
        cases.accept(actor=bureau.window, case=second)
    assert e.value.message == (
        "「乙单位」事业编制不足：核定1名，实有0名，预留1名，可用0名，本次需1名。"
    )
    assert counts(second) == before
    assert [t.status for t in open_tasks(second)] == [TaskStatus.OPEN]
    cases.withdraw(actor=clerk, case=first)
    cases.accept(actor=bureau.window, case=second)
    assert line(b).reserved == 1


@pytest.mark.parametrize("wrong", ["name", "id_number", "retired"])
def test_a_unit_cannot_probe_for_people(bureau, wrong):
    _a, b, person, clerk = transfer_setup()
    form = {"name": person.name, "id_number": decrypt(person.id_number_cipher), "category": INST}
    if wrong == "name":
        form["name"] = "李四四"
    elif wrong == "id_number":
        form["id_number"] = id_number(datetime.date(1990, 1, 1))
    else:
        events.person_retire(
            actor="测试", person=person, date=datetime.date(2026, 11, 2), document_number="退1号"
        )
    with pytest.raises(HallError) as e:
        cases.case_file(actor=clerk, item=item("RS-003"), unit=b, applicant_name="王", form=form)
    assert e.value.message == NO_SUCH_PERSON


def test_a_unit_cannot_retire_another_units_person(bureau):
    _a, b, person, clerk = transfer_setup()
    form = {"name": person.name, "id_number": decrypt(person.id_number_cipher)}
    with pytest.raises(HallError) as e:
        cases.case_file(actor=clerk, item=item("RS-005"), unit=b, applicant_name="王", form=form)
    assert e.value.message == NO_SUCH_PERSON
    assert Person.objects.get().status == PersonStatus.ACTIVE
