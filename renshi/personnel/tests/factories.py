"""Factories that go through the services, so test data obeys the same rules as real data."""

import datetime
import itertools

from renshi.core.idnumbers import make_id_number
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.models import EstablishmentCategory, EstablishmentLine, UnitType, UserScope
from renshi.personnel.services import establishment, events, units

_seq = itertools.count(1)
SYSTEM = "测试"


def make_unit(name=None, parent=None, **fields):
    n = next(_seq)
    defaults = {
        "level": "division",
        "unit_type": UnitType.AGENCY,
        "funding_form": "full",
        "division": "210300",
    }
    defaults.update(fields)
    return units.unit_create(actor=SYSTEM, name=name or f"测试单位{n}", parent=parent, **defaults)


def id_number(birth=datetime.date(1985, 3, 12), male=True):
    seq = next(_seq) % 500 * 2 + (1 if male else 0)
    # 210302 (铁东区) is valid from 1984; 210321 (台安县) for anyone born earlier.
    area = "210302" if birth.year >= 1984 else "210321"
    return make_id_number(area, birth, seq)


def make_person(
    unit,
    name="张三",
    category=EstablishmentCategory.ADMINISTRATIVE,
    approve=True,
    birth=datetime.date(1985, 3, 12),
    male=True,
    **fields,
):
    """Hire a person into a slot (approving one more slot first unless told not to)."""
    if approve:
        line, _ = EstablishmentLine.objects.get_or_create(unit=unit, category=category)
        establishment.establishment_approve(
            actor=SYSTEM,
            unit=unit,
            category=category,
            approved=line.approved + 1,
            document_number="鞍编发〔2026〕1号",
        )
    return events.person_hire(
        actor=SYSTEM,
        unit=unit,
        category=category,
        date=datetime.date(2010, 7, 1),
        document_number="鞍人发〔2010〕8号",
        name=name,
        id_number=id_number(birth, male),
        **fields,
    )


def make_clerk(unit, **fields):
    user = UserFactory(role=Role.UNIT_CLERK, **fields)
    UserScope.objects.create(user=user, unit=unit)
    return user
