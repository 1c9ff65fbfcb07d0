import datetime

import pytest
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.tests.factories import make_clerk, make_unit
from renshi.talent.models import Opening, OpeningStatus
from renshi.talent.tests import helpers

pytestmark = pytest.mark.django_db

FORM = {
    "title": "办公室文员", "headcount": "1", "education": "31", "major": "",
    "experience_years": "0",
    "salary_min": "3000", "salary_max": "4500", "location": "鞍山市", "closes_on": "2099-06-30",
    "description": "",
}  # fmt: skip


@pytest.fixture
def unit():
    return make_unit("鞍山市财政局")


@pytest.fixture
def clerk(unit):
    return make_clerk(unit)


def test_it_creates_publishes_and_closes_an_opening_with_audit(client, unit, clerk):
    client.force_login(clerk)
    response = client.post(reverse("talent:opening_new"), FORM)
    assert response.status_code == 302
    opening = Opening.objects.get()
    assert (opening.unit, opening.status) == (unit, OpeningStatus.DRAFT)
    client.post(reverse("talent:opening_publish", args=[opening.pk]))
    client.post(reverse("talent:opening_close", args=[opening.pk]))
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.CLOSED
    actions = list(
        AuditEvent.objects.filter(action__startswith="talent.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["talent.opening_create", "talent.opening_publish", "talent.opening_close"]


def test_it_refuses_bad_salary_and_headcount_in_chinese(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("talent:opening_new"), {**FORM, "salary_min": "9000", "headcount": "0"}
    )
    assert response.status_code == 200
    assert "月薪上限不能低于下限" in response.text
    assert Opening.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="talent.").exists()


def test_publishing_twice_is_refused(clerk, unit):
    opening = helpers.opening(clerk, unit)
    from renshi.talent import services
    from renshi.talent.errors import TalentError

    with pytest.raises(TalentError, match="只有草稿可以发布"):
        services.opening_publish(actor=clerk, unit=unit, opening_id=opening.pk)


def test_another_units_clerk_gets_404(client, clerk, unit):
    opening = helpers.opening(clerk, unit, publish=False)
    outsider = make_clerk(make_unit("鞍山市教育局"))
    client.force_login(outsider)
    assert client.get(reverse("talent:opening_edit", args=[opening.pk])).status_code == 404
    client.post(reverse("talent:opening_publish", args=[opening.pk]))
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.DRAFT
    # a draft is not public, even to other units
    assert client.get(reverse("talent:opening", args=[opening.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.PERSONNEL, Role.CANDIDATE, Role.WEB_EDITOR])
def test_unit_pages_are_404_for_non_clerks(client, role):
    client.force_login(UserFactory(role=role))
    for name in ["unit_home", "opening_new", "unit_resumes", "unit_requests"]:
        assert client.get(reverse(f"talent:{name}")).status_code == 404


def test_clerk_without_unit_gets_404(client):
    client.force_login(UserFactory(role=Role.UNIT_CLERK))
    assert client.get(reverse("talent:unit_home")).status_code == 404


def test_public_search_by_keyword_education_major_location(client, clerk, unit):
    helpers.opening(clerk, unit, title="会计", education="21", major="会计学", location="铁东区")
    helpers.opening(clerk, unit, title="司机", education="", major="", location="立山区")
    helpers.opening(clerk, unit, title="研究员", education="11", major="化学", location="铁东区")
    helpers.opening(clerk, unit, title="草稿岗位", publish=False)
    expired = helpers.opening(clerk, unit, title="过期岗位")
    Opening.objects.filter(pk=expired.pk).update(closes_on=datetime.date(2020, 1, 1))

    def titles(**query):
        response = client.get(reverse("talent:index"), query)
        assert response.status_code == 200
        return {o.title for o in response.context["page"]}

    assert titles() == {"会计", "司机", "研究员"}
    assert titles(q="财务") == {"会计", "司机", "研究员"}  # description matches
    assert titles(q="研究") == {"研究员"}
    assert titles(education="21") == {"会计", "司机"}  # a bachelor qualifies for these
    assert titles(major="化学") == {"司机", "研究员"}  # 不限 counts
    assert titles(location="立山") == {"司机"}
    assert titles(q="鞍山市财政局") == {"会计", "司机", "研究员"}


def test_opening_detail_is_public(client, clerk, unit):
    opening = helpers.opening(clerk, unit)
    response = client.get(reverse("talent:opening", args=[opening.pk]))
    assert response.status_code == 200
    assert "鞍山市财政局" in response.text
