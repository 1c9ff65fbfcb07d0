import datetime
from decimal import Decimal

from renshi.core import crypto
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.talent import services
from renshi.talent.models import PartyOrganisation

CLOSES = datetime.date(2099, 12, 31)


def opening(clerk, unit, publish=True, **fields):
    data = {
        "title": "会计", "headcount": 2, "education": "21", "major": "会计学",
        "experience_years": 2, "salary_min": Decimal("4000"), "salary_max": Decimal("6000"),
        "location": "鞍山市铁东区", "closes_on": CLOSES, "description": "负责单位财务核算",
    }  # fmt: skip
    data.update(fields)
    row = services.opening_save(actor=clerk, unit=unit, **data)
    if publish:
        row = services.opening_publish(actor=clerk, unit=unit, opening_id=row.pk)
    return row


def resume(candidate, **fields):
    data = {
        "visibility": "public", "education": "21", "major": "会计学", "experience_years": 3,
        "desired_title": "出纳会计", "desired_location": "鞍山", "expected_salary": None,
        "skills": "用友 Excel", "summary": "三年企业财务工作经历", "email": "job@example.com",
    }  # fmt: skip
    data.update(fields)
    return services.resume_save(actor=candidate.user, candidate=candidate, **data)


def organisation(name="中共鞍山市财政局机关支部委员会", cycle="monthly"):
    secretary = UserFactory(role=Role.PARTY_SECRETARY, full_name="王书记")
    return PartyOrganisation.objects.create(name=name, secretary=secretary, report_cycle=cycle)


def id_of(candidate) -> str:
    return crypto.decrypt(candidate.id_number_cipher)


def member(candidate, org, *, confirm=True, **fields):
    data = {"city": "深圳市", "employer": "某科技公司", "phone": "13800138000"}
    data.update(fields)
    row = services.member_register(
        actor=candidate.user, candidate=candidate, organisation=org,
        id_number=id_of(candidate), **data,
    )  # fmt: skip
    if confirm:
        row = services.member_decide(
            actor=org.secretary, organisation=org, member_id=row.pk, accept=True
        )
    return row
