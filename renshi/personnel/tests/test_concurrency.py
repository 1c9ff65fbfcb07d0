"""Races on real row locks: these run on PostgreSQL (SQLite serialises writers anyway)."""

import datetime

import pytest
from django.db import connection

from renshi.core.models import AuditEvent
from renshi.core.tests.races import race as _race
from renshi.personnel.errors import PersonnelError
from renshi.personnel.models import EstablishmentCategory, EstablishmentLine, LedgerEntry, Person
from renshi.personnel.services import establishment, events
from renshi.personnel.tests.factories import SYSTEM, id_number, make_person, make_unit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
ADMIN = EstablishmentCategory.ADMINISTRATIVE


def race(jobs):
    """Run the callables at once; return (successes, errors)."""
    return _race(jobs, PersonnelError)


def test_it_never_hires_past_the_approved_number():
    unit = make_unit()
    establishment.establishment_approve(
        actor=SYSTEM, unit=unit, category=ADMIN, approved=5, document_number="鞍编发〔2026〕1号"
    )
    numbers = [id_number() for _ in range(12)]

    def hire(n):
        return lambda: events.person_hire(
            actor=SYSTEM,
            unit=unit,
            category=ADMIN,
            date=datetime.date(2026, 11, 1),
            document_number="鞍人发〔2026〕2号",
            name=f"考生{n}",
            id_number=numbers[n],
        )

    hired, refused = race([hire(n) for n in range(12)])
    line = EstablishmentLine.objects.get(unit=unit, category=ADMIN)
    assert (len(hired), len(refused)) == (5, 7)
    assert line.occupied == 5 == Person.objects.filter(unit=unit).count()
    assert LedgerEntry.objects.filter(unit=unit, kind="take").count() == 5
    assert all("不足" in e.message for e in refused)


def test_it_applies_a_double_clicked_retirement_once():
    person = make_person(make_unit())

    def retire():
        return events.person_retire(
            actor=SYSTEM,
            person=person,
            date=datetime.date(2026, 11, 1),
            document_number="鞍人退〔2026〕1号",
        )

    done, refused = race([retire] * 6)
    assert (len(done), len(refused)) == (1, 5)
    line = EstablishmentLine.objects.get(unit=person.unit, category=ADMIN)
    assert line.occupied == 0
    assert AuditEvent.objects.filter(action="person.retire").count() == 1
    assert LedgerEntry.objects.filter(person=person, kind="release").count() == 1


def test_it_never_registers_one_id_number_twice():
    unit = make_unit()
    establishment.establishment_approve(
        actor=SYSTEM, unit=unit, category=ADMIN, approved=10, document_number="鞍编发〔2026〕1号"
    )
    number = id_number()

    def hire():
        return events.person_hire(
            actor=SYSTEM,
            unit=unit,
            category=ADMIN,
            date=datetime.date(2026, 11, 1),
            document_number="鞍人发〔2026〕2号",
            name="重复",
            id_number=number,
        )

    done, refused = race([hire] * 5)
    assert len(done) == 1 and len(refused) == 4
    assert EstablishmentLine.objects.get(unit=unit, category=ADMIN).occupied == 1


def test_it_keeps_both_units_right_when_transfers_cross():
    a, b = make_unit("甲局"), make_unit("乙局")
    pa, pb = make_person(a, name="甲"), make_person(b, name="乙")

    def move(person, to):
        return lambda: events.person_transfer(
            actor=SYSTEM,
            person=person,
            to_unit=to,
            category=ADMIN,
            date=datetime.date(2026, 11, 1),
            document_number="鞍人调〔2026〕1号",
        )

    # Each unit is full, so a crossing swap may be refused, never corrupt counts; lock_lines
    # takes both lines in one order, so a deadlock would fail the test.
    race([move(pa, b), move(pb, a)])
    for unit in (a, b):
        line = EstablishmentLine.objects.get(unit=unit, category=ADMIN)
        assert line.occupied == Person.objects.filter(unit=unit, status="active").count()
