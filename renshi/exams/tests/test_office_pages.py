import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from renshi.core.models import AuditEvent
from renshi.core.tests.factories import UserFactory
from renshi.exams import positions_import
from renshi.exams.errors import ExamError
from renshi.exams.models import Announcement, Exam, ExamStatus, Position
from renshi.exams.services import office
from renshi.exams.tests.factories import make_exam, make_position
from renshi.personnel.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def local(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


WINDOWS = {
    "registration_opens": "2030-03-01T08:00",
    "registration_closes": "2030-03-10T18:00",
    "review_closes": "2030-03-12T18:00",
    "payment_closes": "2030-03-14T18:00",
    "ticket_opens": "2030-04-01T09:00",
    "ticket_closes": "2030-04-06T09:00",
}


@pytest.fixture
def staff(client):
    user = UserFactory(role="exam_office")
    client.force_login(user)
    return user


def exam_post(**overrides):
    data = {
        "kind": "civil_service",
        "code": "2030",
        "name": "2030年鞍山市公务员考试录用",
        "review_mode": "manual",
        "ratio_default": 3,
        "ratio_special": 2,
        "ratio_basis": "paid",
        **WINDOWS,
    }
    data.update(overrides)
    return data


def test_outsiders_get_404(client):
    exam = make_exam(status=ExamStatus.DRAFT)
    urls = [
        reverse("exams:office_exam_list"),
        reverse("exams:office_exam_create"),
        reverse("exams:office_exam_detail", args=[exam.pk]),
        reverse("exams:office_position_import", args=[exam.pk]),
        reverse("exams:office_position_template"),
        reverse("exams:office_change_notice", args=[exam.pk]),
    ]
    for role in ("unit_clerk", "candidate", "personnel"):
        client.force_login(UserFactory(role=role))
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)
        assert client.post(reverse("exams:office_exam_publish", args=[exam.pk])).status_code == 404
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to login


def test_create_exam_and_window_order_in_chinese(client, staff):
    bad = exam_post(review_closes="2030-03-09T18:00")
    response = client.post(reverse("exams:office_exam_create"), bad)
    assert "审核截止时间不能早于报名截止时间" in response.content.decode()
    assert not Exam.objects.exists()
    response = client.post(reverse("exams:office_exam_create"), exam_post())
    exam = Exam.objects.get()
    assert response.url == reverse("exams:office_exam_detail", args=[exam.pk])
    assert exam.registration_closes == local("2030-03-10T18:00")
    assert AuditEvent.objects.filter(action="exam.create").count() == 1
    again = client.post(reverse("exams:office_exam_create"), exam_post(name="另一个"))
    assert "考试代码「2030」已被使用" in again.content.decode()


def test_window_rules():
    windows = {k: local(v) for k, v in WINDOWS.items()}
    exam = Exam(kind="civil_service", code="01", name="x", review_mode="auto", **windows)
    office.validate_exam(exam)
    exam.review_closes = exam.registration_closes  # review may end with registration
    office.validate_exam(exam)
    exam.payment_closes = local("2030-03-10T12:00")
    with pytest.raises(ExamError, match="缴费截止时间不能早于审核截止时间") as e:
        office.validate_exam(exam)
    assert e.value.field == "payment_closes"
    exam.payment_closes = local("2030-03-14T18:00")
    exam.ticket_closes = None
    with pytest.raises(ExamError, match="同时填写"):
        office.validate_exam(exam)


def setup_draft(client, staff):
    exam = make_exam(status=ExamStatus.DRAFT, published_at=None)
    make_position(exam)
    return exam


def test_publish_needs_announcement_then_locks_the_rules(client, staff):
    exam = setup_draft(client, staff)
    publish = reverse("exams:office_exam_publish", args=[exam.pk])
    client.post(publish)
    exam.refresh_from_db()
    assert exam.status == ExamStatus.DRAFT
    client.post(
        reverse("exams:office_announcement", args=[exam.pk]),
        {"title": "2026年招考公告", "body": "第一条……"},
    )
    client.post(publish)
    exam.refresh_from_db()
    assert exam.status == ExamStatus.PUBLISHED and exam.published_at
    ann = Announcement.objects.get(exam=exam, number=1)
    assert ann.published_at and ann.published_by == staff
    with pytest.raises(ExamError, match="变更公告"):
        office.exam_update(actor=staff, exam=exam, name="改名")
    with pytest.raises(ExamError, match="变更公告"):
        office.subject_update(actor=staff, subject=exam.subjects.first(), fee=Decimal("1"))
    with pytest.raises(ExamError, match="变更公告"):
        office.announcement_save(actor=staff, exam=exam, title="x", body="y")
    response = client.get(reverse("exams:office_exam_edit", args=[exam.pk]))
    assert response.url == reverse("exams:office_change_notice", args=[exam.pk])


def test_change_notice_applies_new_windows_and_fees(client, staff):
    exam = make_exam()
    Announcement.objects.create(exam=exam, number=1, kind="announcement", title="公告", body="b")
    subject = exam.subjects.first()
    form = client.get(reverse("exams:office_change_notice", args=[exam.pk])).content.decode()
    assert "报名截止" in form and f"fee_{subject.pk}" in form
    later = timezone.localtime(exam.registration_closes + datetime.timedelta(days=2))
    data = {
        "title": "关于延长报名时间的公告",
        "body": "报名截止时间延长48小时。",
        "registration_opens": timezone.localtime(exam.registration_opens).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "registration_closes": later.strftime("%Y-%m-%dT%H:%M"),
        "review_closes": timezone.localtime(exam.review_closes).strftime("%Y-%m-%dT%H:%M"),
        "payment_closes": timezone.localtime(exam.payment_closes).strftime("%Y-%m-%dT%H:%M"),
    }
    for s in exam.subjects.all():
        data[f"fee_{s.pk}"] = "45.00" if s.pk == subject.pk else str(s.fee)
    response = client.post(reverse("exams:office_change_notice", args=[exam.pk]), data)
    assert response.status_code == 302, response.content.decode()
    exam.refresh_from_db()
    subject.refresh_from_db()
    assert (
        timezone.localtime(exam.registration_closes).strftime("%Y-%m-%dT%H:%M")
        == data["registration_closes"]
    )
    assert subject.fee == Decimal("45.00")
    notice = Announcement.objects.get(exam=exam, number=2)
    assert notice.kind == "change" and notice.published_at
    event = AuditEvent.objects.get(action="exam.change_notice")
    assert set(event.after) == {"registration_closes", "fees"}
    # A notice that would break the window order changes nothing.
    data["registration_closes"] = "2099-01-01T00:00"
    response = client.post(reverse("exams:office_change_notice", args=[exam.pk]), data)
    assert "审核截止时间不能早于报名截止时间" in response.content.decode()
    assert Announcement.objects.filter(exam=exam).count() == 2


def test_subjects_and_areas(client, staff):
    exam = make_exam(status=ExamStatus.DRAFT)
    url = reverse("exams:office_subject_create", args=[exam.pk])
    response = client.post(url, {"code": "01", "name": "重复", "fee": "50", "order": 1})
    assert "科目代码「01」已存在" in response.content.decode()
    client.post(url, {"code": "03", "name": "公共基础知识", "fee": "50", "order": 3})
    assert exam.subjects.count() == 3
    area = exam.areas.get()
    area.taken = 5
    area.save()
    response = client.post(
        reverse("exams:office_area_edit", args=[area.pk]),
        {"code": "01", "name": "鞍山", "capacity": 4},
    )
    assert "容量不能小于已报名人数（5人）" in response.content.decode()
    client.post(
        reverse("exams:office_area_edit", args=[area.pk]),
        {"code": "01", "name": "鞍山", "capacity": 500},
    )
    area.refresh_from_db()
    assert area.capacity == 500


def test_import_pages_dry_run_then_confirm(client, staff):
    exam = make_exam(status=ExamStatus.DRAFT)
    unit = make_unit(name="鞍山市财政局")
    template = client.get(reverse("exams:office_position_template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("职位表.xlsx", positions_import.template_workbook())
    url = reverse("exams:office_position_import", args=[exam.pk])
    report = client.post(url, {"file": upload, "born_from": "1991-01-01", "born_to": "2008-01-01"})
    page = report.content.decode()
    assert "尚未写入任何数据" in page and not Position.objects.filter(exam=exam).exists()
    token = report.context["token"]
    confirm = reverse("exams:office_position_import_confirm", args=[exam.pk, token])
    response = client.post(confirm, {"mode": "all"})
    assert response.status_code == 302
    position = Position.objects.get(exam=exam)
    assert position.unit == unit
    assert position.born_from == datetime.date(1990, 10, 16)  # the row's own window wins
    assert client.post(confirm, {"mode": "all"}).status_code == 404  # used up


def test_import_page_reports_a_bad_file(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exam = make_exam(status=ExamStatus.DRAFT)
    url = reverse("exams:office_position_import", args=[exam.pk])
    response = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"hello")})
    assert response.status_code == 400
    assert "不是有效的Excel" in response.content.decode()


def test_office_pages_render(client, staff):
    exam = make_exam()
    make_position(exam)
    for url in (
        reverse("exams:office_exam_list"),
        reverse("exams:office_exam_detail", args=[exam.pk]),
        reverse("exams:office_position_list", args=[exam.pk]),
        reverse("exams:office_exam_create"),
    ):
        assert client.get(url).status_code == 200
