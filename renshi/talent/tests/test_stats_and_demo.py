import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from renshi.core.models import User
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.tests.factories import make_candidate
from renshi.personnel.tests.factories import make_clerk, make_unit
from renshi.talent import statistics
from renshi.talent.models import (
    CheckIn,
    ContactRequest,
    MemberStatus,
    MobileMember,
    Opening,
    PartyOrganisation,
    RequestStatus,
    Resume,
)
from renshi.talent.tests import helpers

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-28 10:00 +0800", tick=False)
def test_intake_statistics_count_openings_requests_and_acceptances(client):
    unit = make_unit("鞍山市中心医院", unit_type="public1")
    clerk = make_clerk(unit)
    helpers.opening(clerk, unit, education="14")
    helpers.opening(clerk, unit, publish=False)  # drafts are not counted
    resumes = [helpers.resume(make_candidate(name=f"求职{i}")) for i in range(3)]
    for resume in resumes:
        ContactRequest.objects.create(unit=unit, resume=resume, requested_by=clerk)
    ContactRequest.objects.filter(resume=resumes[0]).update(status=RequestStatus.ACCEPTED)

    stats = statistics.intake()
    assert (stats["openings"], stats["requests"], stats["accepted"]) == (1, 3, 1)
    assert stats["accept_rate"] == 33.3
    assert stats["month"]["labels"][-1] == "2026-11"
    assert stats["month"]["openings"][-1] == 1 and stats["month"]["requests"][-1] == 3
    assert stats["opening_education"] == [["硕士研究生", 1]]
    assert stats["sector"] == [["公益一类事业单位", 1]]

    client.force_login(UserFactory(role=Role.PERSONNEL))
    response = client.get(reverse("talent:stats"))
    assert response.status_code == 200 and "echarts.min.js" in response.text
    client.force_login(clerk)
    assert client.get(reverse("talent:stats")).status_code == 404


def _counts():
    return [
        m.objects.count()
        for m in (Opening, Resume, ContactRequest, PartyOrganisation, MobileMember, CheckIn)
    ]


@time_machine.travel("2026-11-28 10:00 +0800", tick=False)
def test_the_demo_loads_every_state_once(settings, tmp_path):
    with pytest.raises(CommandError, match="load_demo_city"):
        call_command("load_demo_talent", stdout=io.StringIO())
    for name in ["鞍山市财政局", "鞍山市教育局", "鞍山市中心医院"]:
        make_clerk(make_unit(name, unit_type="public1"))
    make_unit("鞍山市第一中学", unit_type="public2")
    for i in range(40):
        make_candidate(name=f"演示{i}")
    out = io.StringIO()
    call_command("load_demo_talent", stdout=out)
    first = _counts()
    call_command("load_demo_talent", stdout=io.StringIO())
    assert _counts() == first
    assert first[0] == 40 and first[3] == 3
    assert set(ContactRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert "dangzhibu_caizheng" in out.getvalue() and "Renshi@2026" in out.getvalue()
    assert User.objects.get(username="dangzhibu_jiaoyu").check_password("Renshi@2026")
    # some have reported this period and some have not, in every organisation
    for organisation in PartyOrganisation.objects.all():
        period = organisation.current_period()
        active = organisation.members.filter(status=MemberStatus.ACTIVE)
        reported = active.filter(checkins__period=period).distinct().count()
        assert 0 < reported < active.count()
