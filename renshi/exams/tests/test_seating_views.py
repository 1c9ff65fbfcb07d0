"""Seating and ticket pages: the exam office's pages, the draw in front of witnesses, the batch
job, the QR check, a candidate's own ticket in the print window; outsiders get 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams import ticket_qr
from renshi.exams.models import Draw, ExamRoom, ExamSession, ExamSite, Seat, TicketBatch
from renshi.exams.services import seating
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.factories_seating import make_sessions, make_sites, paid_applications

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    user = UserFactory(role=Role.EXAM_OFFICE)
    client.force_login(user)
    return user


@pytest.fixture
def seated():
    exam = make_exam(code="3301")
    make_sessions(exam)
    applications = paid_applications(make_position(exam), 5)
    (site,) = make_sites(exam, rooms=2, capacity=3)
    user = UserFactory(role=Role.EXAM_OFFICE)
    draw = seating.seats_assign(actor=user, exam=exam, area=exam.areas.get(), witnesses="王监督")
    return exam, applications, site, draw


def office_urls(exam, site, draw, seat, batch):
    room = site.rooms.first()
    session = exam.sessions.first()
    return [
        ("get", reverse("exams:seating_exam", args=[exam.pk])),
        ("get", reverse("exams:seating_session_create", args=[exam.pk])),
        ("get", reverse("exams:seating_session_edit", args=[session.pk])),
        ("post", reverse("exams:seating_session_delete", args=[session.pk])),
        ("get", reverse("exams:seating_site_create", args=[exam.pk])),
        ("get", reverse("exams:seating_site", args=[site.pk])),
        ("get", reverse("exams:seating_site_edit", args=[site.pk])),
        ("post", reverse("exams:seating_site_delete", args=[site.pk])),
        ("post", reverse("exams:seating_rooms_add", args=[site.pk])),
        ("get", reverse("exams:seating_room", args=[room.pk])),
        ("get", reverse("exams:seating_room_edit", args=[room.pk])),
        ("post", reverse("exams:seating_room_delete", args=[room.pk])),
        ("get", reverse("exams:seating_assign", args=[exam.pk])),
        ("get", reverse("exams:seating_draw", args=[draw.pk])),
        ("post", reverse("exams:seating_draw_verify", args=[draw.pk])),
        ("get", reverse("exams:ticket_office_pdf", args=[seat.pk])),
        ("post", reverse("exams:ticket_batch_start", args=[exam.pk])),
        ("get", reverse("exams:ticket_batch", args=[batch.pk])),
        ("get", reverse("exams:ticket_batch_status", args=[batch.pk])),
        ("get", reverse("exams:ticket_batch_download", args=[batch.pk])),
    ]


@pytest.mark.parametrize("role", [Role.UNIT_CLERK, Role.PERSONNEL, Role.PROCTOR, Role.CANDIDATE])
def test_outsiders_get_404_on_office_pages(client, seated, role):
    exam, _, site, draw = seated
    batch = TicketBatch.objects.create(exam=exam, total=5, status="done", file="x.zip")
    client.force_login(UserFactory(role=role))
    for method, url in office_urls(exam, site, draw, Seat.objects.first(), batch):
        assert getattr(client, method)(url).status_code == 404, url
    assert Draw.objects.count() == 1 and ExamRoom.objects.count() == 2
    assert ExamSession.objects.count() == 2 and not TicketBatch.objects.exclude(pk=batch.pk)


def test_anonymous_goes_to_login(client, seated):
    exam = seated[0]
    response = client.get(reverse("exams:seating_exam", args=[exam.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_office_sets_up_sessions_sites_and_rooms(client, office):
    exam = make_exam()
    area = exam.areas.get()
    response = client.get(reverse("exams:seating_exam", args=[exam.pk]))
    assert response.status_code == 200 and "考场与准考证" in response.text
    data = {
        "code": "AM", "name": "上午",
        "starts_at": "2026-12-20T09:00", "ends_at": "2026-12-20T11:00",
        "subjects": [exam.subjects.get(code="01").pk],
    }  # fmt: skip
    response = client.post(reverse("exams:seating_session_create", args=[exam.pk]), data)
    assert response.status_code == 302 and exam.sessions.get().name == "上午"
    bad = data | {"code": "PM", "ends_at": "2026-12-20T08:00"}
    response = client.post(reverse("exams:seating_session_create", args=[exam.pk]), bad)
    assert "结束时间应晚于开考时间" in response.text and exam.sessions.count() == 1

    site_data = {
        "area": area.pk,
        "code": "7",
        "name": "一中考点",
        "school": "鞍山一中",
        "address": "",
    }
    response = client.post(reverse("exams:seating_site_create", args=[exam.pk]), site_data)
    assert "考点代码应为01–99的两位数字" in response.text and not ExamSite.objects.exists()
    response = client.post(
        reverse("exams:seating_site_create", args=[exam.pk]), site_data | {"code": "07"}
    )
    site = ExamSite.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/sites/{site.pk}/")

    add = reverse("exams:seating_rooms_add", args=[site.pk])
    response = client.post(add, {"count": 12, "capacity": 30, "first_code": ""})
    assert response.status_code == 302 and site.rooms.count() == 12
    response = client.post(add, {"count": 90, "capacity": 30, "first_code": ""})
    assert response.status_code == 400 and "考场号最大为99" in response.text
    assert site.rooms.count() == 12
    page = client.get(reverse("exams:seating_site", args=[site.pk]))
    assert page.status_code == 200 and "批量增加考场" in page.text

    room = site.rooms.get(code="01")
    response = client.post(
        reverse("exams:seating_room_edit", args=[room.pk]),
        {"code": "01", "name": "教学楼101", "capacity": 28},
    )
    room.refresh_from_db()
    assert response.status_code == 302 and (room.name, room.capacity) == ("教学楼101", 28)
    client.post(reverse("exams:seating_room_delete", args=[room.pk]))
    assert site.rooms.count() == 11


def test_draw_in_front_of_witnesses_shows_the_seed_and_verifies(client, office):
    exam = make_exam()
    paid_applications(make_position(exam), 7)
    make_sites(exam, rooms=1, capacity=5)
    url = reverse("exams:seating_assign", args=[exam.pk])
    assert "监督人员" in client.get(url).text
    response = client.post(url, {"area": "", "witnesses": "纪检组 王某"})
    assert response.status_code == 200 and "还差2个" in response.text
    assert not Draw.objects.exists()
    response = client.post(url, {"area": "", "witnesses": ""})
    assert not Draw.objects.exists()
    ExamRoom.objects.create(site=ExamSite.objects.get(), code="02", capacity=5)
    response = client.post(url, {"area": str(exam.areas.get().pk), "witnesses": "纪检组 王某"})
    draw = Draw.objects.get()
    assert response.status_code == 302
    page = client.get(response.url)
    assert draw.seed in page.text and "纪检组 王某" in page.text and "rs-seed" in page.text
    checked = client.post(reverse("exams:seating_draw_verify", args=[draw.pk]))
    assert "核验一致" in checked.text
    Seat.objects.filter(draw=draw, number=1).update(number=50)
    assert "核验不一致" in client.post(reverse("exams:seating_draw_verify", args=[draw.pk])).text
    room = Seat.objects.first().room
    seats = client.get(reverse("exams:seating_room", args=[room.pk]))
    assert Seat.objects.first().ticket_number in seats.text


def test_ticket_batch_pages(client, office, seated, django_capture_on_commit_callbacks):
    exam = seated[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exams:ticket_batch_start", args=[exam.pk]))
    batch = TicketBatch.objects.get()
    assert response.url == reverse("exams:ticket_batch", args=[batch.pk])
    page = client.get(response.url)
    assert "下载全部准考证" in page.text
    status = client.get(reverse("exams:ticket_batch_status", args=[batch.pk])).json()
    assert status == {"status": "done", "done": 5, "total": 5, "percent": 100, "finished": True,
                      "error": ""}  # fmt: skip
    download = client.get(reverse("exams:ticket_batch_download", args=[batch.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:2] == b"PK"
    empty = make_exam()
    response = client.post(reverse("exams:ticket_batch_start", args=[empty.pk]), follow=True)
    assert "尚未编排考场座位" in response.text


def test_office_prints_any_ticket(client, office, seated):
    seat = Seat.objects.first()
    response = client.get(reverse("exams:ticket_office_pdf", args=[seat.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", [Role.EXAM_OFFICE, Role.PROCTOR])
def test_verify_page(client, seated, role):
    client.force_login(UserFactory(role=role))
    seat = Seat.objects.select_related("application__candidate", "application__exam").first()
    candidate = seat.application.candidate
    text = ticket_qr.sign(
        ticket_qr.payload_for(
            exam_code="3301", ticket_number=seat.ticket_number, name=candidate.name,
            masked_id=candidate.masked_id, id_hash=candidate.id_number_hash,
        )
    )  # fmt: skip
    url = reverse("exams:ticket_verify")
    page = client.post(url, {"text": text})
    assert "有效：签名正确，与系统中的考位一致" in page.text and seat.ticket_number in page.text
    forged = client.post(url, {"text": text.replace(candidate.name, "冒名者")})
    assert "无效" in forged.text and "签名无效" in forged.text


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.UNIT_CLERK])
def test_verify_page_is_404_for_others(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("exams:ticket_verify")).status_code == 404


def _window(exam, *, opens, closes):
    now = timezone.now()
    exam.ticket_opens = now + datetime.timedelta(days=opens)
    exam.ticket_closes = now + datetime.timedelta(days=closes)
    exam.save(update_fields=["ticket_opens", "ticket_closes"])


def test_candidate_downloads_own_ticket_only_in_the_window(client, seated):
    exam, applications, _, _ = seated
    mine, other = applications[0], applications[1]
    client.force_login(mine.candidate.user)
    url = reverse("exams:ticket_download", args=[mine.pk])

    response = client.get(url)
    assert response.status_code == 403 and "准考证打印时间尚未公布" in response.text
    _window(exam, opens=1, closes=5)
    response = client.get(url)
    assert response.status_code == 403 and "尚未开始" in response.text
    _window(exam, opens=-5, closes=-1)
    assert "已经结束" in client.get(url).text

    _window(exam, opens=-1, closes=3)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(reverse("exams:ticket_download", args=[other.pk])).status_code == 404
    assert client.get(reverse("exams:ticket_download", args=[999999])).status_code == 404

    client.force_login(UserFactory(role=Role.EXAM_OFFICE))
    assert client.get(url).status_code == 404


def test_candidate_without_a_seat_is_told_so(client, seated):
    exam = seated[0]
    _window(exam, opens=-1, closes=3)
    late = paid_applications(exam.positions.first(), 1)[0]
    client.force_login(late.candidate.user)
    response = client.get(reverse("exams:ticket_download", args=[late.pk]))
    assert response.status_code == 403 and "尚未编排" in response.text
