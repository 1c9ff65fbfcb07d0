import datetime

import pytest

from renshi.core.models import AuditEvent
from renshi.personnel.errors import EstablishmentExceeded, PersonnelError
from renshi.personnel.models import (
    EstablishmentCategory,
    EstablishmentLine,
    LedgerEntry,
    PersonStatus,
    SlotOccupancy,
)
from renshi.personnel.services import establishment, events
from renshi.personnel.tests.factories import SYSTEM, id_number, make_person, make_unit

pytestmark = pytest.mark.django_db
ADMIN = EstablishmentCategory.ADMINISTRATIVE
TODAY = datetime.date(2026, 11, 1)


def line(unit, category=ADMIN):
    return EstablishmentLine.objects.get(unit=unit, category=category)


def hire(unit, name="李四", reservation=None):
    return events.person_hire(
        actor=SYSTEM,
        unit=unit,
        category=ADMIN,
        date=TODAY,
        document_number="鞍人发〔2026〕3号",
        name=name,
        id_number=id_number(),
        reservation=reservation,
    )


def test_it_counts_occupancy_in_the_same_transaction():
    unit = make_unit("鞍山市财政局")
    make_person(unit)
    assert (line(unit).approved, line(unit).occupied, line(unit).vacant) == (1, 1, 0)


def test_it_refuses_an_intake_over_the_approved_number_naming_unit_category_and_numbers():
    unit = make_unit("鞍山市财政局")
    make_person(unit)
    with pytest.raises(EstablishmentExceeded) as exc:
        hire(unit)
    message = exc.value.message
    assert "鞍山市财政局" in message and "行政编制" in message
    assert "核定1名" in message and "实有1名" in message and "本次需1名" in message
    assert line(unit).occupied == 1


def test_it_counts_reservations_against_the_approved_number():
    unit = make_unit()
    establishment.establishment_approve(
        actor=SYSTEM, unit=unit, category=ADMIN, approved=2, document_number="鞍编发〔2026〕2号"
    )
    reservation = establishment.slot_reserve(actor=SYSTEM, unit=unit, category=ADMIN, reason="调入")
    hire(unit, "王五")
    with pytest.raises(EstablishmentExceeded):
        hire(unit, "赵六")
    hire(unit, "赵六", reservation=reservation)
    current = line(unit)
    assert (current.occupied, current.reserved, current.available) == (2, 0, 0)


def test_it_releases_a_reservation_once():
    unit = make_unit()
    establishment.establishment_approve(
        actor=SYSTEM, unit=unit, category=ADMIN, approved=1, document_number="鞍编发〔2026〕2号"
    )
    reservation = establishment.slot_reserve(actor=SYSTEM, unit=unit, category=ADMIN, reason="调入")
    establishment.reservation_release(actor=SYSTEM, reservation=reservation)
    with pytest.raises(PersonnelError):
        establishment.reservation_release(actor=SYSTEM, reservation=reservation)
    assert line(unit).reserved == 0


def test_it_moves_the_slot_on_transfer():
    a, b = make_unit("甲局"), make_unit("乙局")
    person = make_person(a)
    establishment.establishment_approve(
        actor=SYSTEM, unit=b, category=ADMIN, approved=1, document_number="鞍编发〔2026〕4号"
    )
    events.person_transfer(
        actor=SYSTEM,
        person=person,
        to_unit=b,
        category=ADMIN,
        date=TODAY,
        document_number="鞍人调〔2026〕5号",
    )
    person.refresh_from_db()
    assert person.unit == b
    assert (line(a).occupied, line(b).occupied) == (0, 1)
    assert SlotOccupancy.objects.get(person=person, end_date__isnull=True).unit == b
    kinds = list(LedgerEntry.objects.filter(person=person).values_list("kind", flat=True))
    assert sorted(kinds) == ["release", "take", "take"]


def test_it_leaves_everything_as_it_was_when_the_target_unit_is_full():
    a, b = make_unit("甲局"), make_unit("乙局")
    person = make_person(a)
    with pytest.raises(EstablishmentExceeded):
        events.person_transfer(
            actor=SYSTEM,
            person=person,
            to_unit=b,
            category=ADMIN,
            date=TODAY,
            document_number="鞍人调〔2026〕5号",
        )
    person.refresh_from_db()
    assert person.unit == a and line(a).occupied == 1


def test_it_frees_the_slot_on_retirement_and_refuses_a_second_retirement():
    unit = make_unit()
    person = make_person(unit)
    events.person_retire(
        actor=SYSTEM, person=person, date=TODAY, document_number="鞍人退〔2026〕1号"
    )
    person.refresh_from_db()
    assert person.status == PersonStatus.RETIRED
    assert line(unit).occupied == 0
    with pytest.raises(PersonnelError):
        events.person_retire(
            actor=SYSTEM, person=person, date=TODAY, document_number="鞍人退〔2026〕1号"
        )
    assert AuditEvent.objects.filter(action="person.retire", object_id=str(person.pk)).count() == 1


def test_it_checks_leadership_posts_on_appointment():
    unit = make_unit()
    person = make_person(unit)
    with pytest.raises(EstablishmentExceeded):
        events.person_appoint(
            actor=SYSTEM,
            person=person,
            post_name="副局长",
            post_level="122",
            is_leader=True,
            date=TODAY,
            document_number="鞍委任〔2026〕1号",
        )
    establishment.leader_posts_approve(
        actor=SYSTEM, unit=unit, level="122", approved=1, document_number="鞍编发〔2026〕9号"
    )
    events.person_appoint(
        actor=SYSTEM,
        person=person,
        post_name="副局长",
        post_level="122",
        is_leader=True,
        date=TODAY,
        document_number="鞍委任〔2026〕1号",
        rank="3",
    )
    person.refresh_from_db()
    assert person.current_post == "副局长"
    assert person.current_rank == "3"


def test_it_audits_every_change():
    unit = make_unit()
    person = make_person(unit)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"unit.create", "establishment.approve", "person.create", "person.hire"} <= actions
    assert AuditEvent.objects.filter(object_id=str(person.pk), action="person.hire").exists()
