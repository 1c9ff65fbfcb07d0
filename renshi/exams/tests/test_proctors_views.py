"""The draw page, the sites' lists and exports, and a proctor's own assignments."""

import io

import openpyxl
import pytest
from django.urls import reverse

from renshi.core.tests.factories import UserFactory
from renshi.exams.models import Draw, Proctor, ProctorAssignment
from renshi.exams.services import proctors as services
from renshi.exams.tests.factories_proctors import make_exam_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    user = UserFactory(role="exam_office")
    client.force_login(user)
    return user


@pytest.fixture
def drawn(db):
    day = make_exam_day(sites=2, rooms_per_site=3, proctors=24)
    day["draw"] = services.proctors_draw(
        actor=UserFactory(role="exam_office"), exam=day["exam"], seed="1234"
    )
    return day


def proctor_login(client, proctor):
    user = UserFactory(role="proctor")
    Proctor.objects.filter(pk=proctor.pk).update(user=user)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", [None, "candidate", "proctor", "unit_clerk", "hall_window"])
def test_outsiders_get_404(client, drawn, role):
    if role:
        client.force_login(UserFactory(role=role))
    exam, site = drawn["exam"], drawn["rooms"][0].site
    for url in [
        reverse("exams:proctor_exam", args=[exam.pk]),
        reverse("exams:incident_list", args=[exam.pk]),
        reverse("exams:proctor_site", args=[site.pk]),
        reverse("exams:proctor_site_export", args=[site.pk]),
    ]:
        assert client.get(url).status_code == (302 if role is None else 404), url
    for url in [
        reverse("exams:proctor_draw", args=[exam.pk]),
        reverse("exams:proctor_draw_verify", args=[drawn["draw"].pk]),
    ]:
        assert client.post(url).status_code == (302 if role is None else 404), url
    assert Draw.objects.filter(kind="proctors").count() == 1


def test_the_office_draws_on_the_page_and_sees_each_site(client, office):
    day = make_exam_day(sites=2, rooms_per_site=3, proctors=24)
    exam = day["exam"]
    response = client.post(
        reverse("exams:proctor_draw", args=[exam.pk]), {"seed": "20260618", "witnesses": "纪检组"}
    )
    assert response.status_code == 302
    page = client.get(reverse("exams:proctor_exam", args=[exam.pk]))
    assert "20260618" in page.content.decode()
    verify = client.post(
        reverse("exams:proctor_draw_verify", args=[Draw.objects.get(kind="proctors").pk]),
        follow=True,
    )
    assert "核验一致" in verify.content.decode()
    site = day["rooms"][0].site
    listing = client.get(reverse("exams:proctor_site", args=[site.pk]))
    body = listing.content.decode()
    assert "上午场" in body and "下午场" in body and "第03考场" in body
    export = client.get(reverse("exams:proctor_site_export", args=[site.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 2 * 3
    assert all(site.school not in (r[5], r[7]) for r in rows)


def test_a_refused_draw_says_where_on_the_page(client, office):
    day = make_exam_day(sites=1, rooms_per_site=2, proctors=0)
    response = client.post(reverse("exams:proctor_draw", args=[day["exam"].pk]), {"seed": "1"})
    assert response.status_code == 400
    assert "第1考点（鞍山一中）第01考场上午场：可用监考人员不足" in response.content.decode()


def test_tampered_assignments_fail_the_check_on_the_page(client, office, drawn):
    row = ProctorAssignment.objects.filter(draw=drawn["draw"]).first()
    spare = Proctor.objects.create(name="顶替者", school="外校")
    ProctorAssignment.objects.filter(pk=row.pk).update(proctor=spare)
    response = client.post(
        reverse("exams:proctor_draw_verify", args=[drawn["draw"].pk]), follow=True
    )
    assert "保存的监考安排已被改动" in response.content.decode()


def test_a_proctor_sees_only_their_own_assignments(client, drawn):
    mine = ProctorAssignment.objects.filter(draw=drawn["draw"]).select_related("proctor").first()
    proctor_login(client, mine.proctor)
    response = client.get(reverse("exams:proctor_mine"))
    shown = list(response.context["assignments"])
    assert shown and all(a.proctor_id == mine.proctor_id for a in shown)
    partner = ProctorAssignment.objects.get(
        draw=drawn["draw"], session=mine.session, room=mine.room, position=3 - mine.position
    ).proctor
    body = response.content.decode()
    assert partner.name in body and mine.room.site.address in body
    # Someone else's room sheet is a 404; their own is not.
    other = (
        ProctorAssignment.objects.filter(draw=drawn["draw"], session=mine.session)
        .exclude(room=mine.room)
        .first()
    )
    own = reverse("exams:room_sheet", args=[mine.session_id, mine.room_id])
    theirs = reverse("exams:room_sheet", args=[other.session_id, other.room_id])
    assert client.get(own).status_code == 200
    assert client.get(theirs).status_code == 404


def test_a_superseded_draw_no_longer_shows(client, drawn):
    mine = ProctorAssignment.objects.filter(draw=drawn["draw"]).first()
    proctor_login(client, mine.proctor)
    Draw.objects.filter(pk=drawn["draw"].pk).update(superseded=True)
    assert list(client.get(reverse("exams:proctor_mine")).context["assignments"]) == []
    assert (
        client.get(reverse("exams:room_sheet", args=[mine.session_id, mine.room_id])).status_code
        == 404
    )


def test_the_mine_page_is_for_proctors_only(client, office):
    assert client.get(reverse("exams:proctor_mine")).status_code == 404
