"""A proposed-hire notice published by the exam office is shown and objected to here."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from renshi.core.roles import Role
from renshi.exams.models import HireNoticeStatus
from renshi.exams.models import Objection as ExamObjection
from renshi.exams.services import hiring
from renshi.exams.tests.test_hiring import _ready_notice
from renshi.sunshine import services
from renshi.sunshine.errors import SunshineError
from renshi.sunshine.models import Notice, NoticeKind, NoticeStatus
from renshi.sunshine.tests.helpers import staff

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def hire():
    with time_machine.travel("2025-09-30 10:00 +0800", tick=False):
        notice, hired = _ready_notice()
        return hiring.notice_publish(actor="测试", notice_id=notice.pk, today=D(2025, 9, 30)), hired


@time_machine.travel("2025-10-09 10:00 +0800", tick=False)
def test_the_exam_office_imports_and_objections_reach_the_exam(client, hire):
    hire_notice, hired = hire
    client.force_login(staff(Role.EXAM_OFFICE))
    page = client.get(reverse("sunshine:manage_notices")).content.decode()
    assert "从考试导入拟录用名单" in page and hire_notice.title in page
    client.post(reverse("sunshine:import_exam", args=[hire_notice.pk]))
    notice = Notice.objects.get()
    assert notice.kind == NoticeKind.PROPOSED_HIRE and notice.status == NoticeStatus.PUBLISHED
    assert (notice.starts_on, notice.ends_on) == (D(2025, 9, 30), hire_notice.ends_on)
    assert notice.section == "exam_office" and notice.rows[0][3] == hired.candidate.name
    assert hired.candidate.id_number_masked not in str(notice.rows)
    objection = services.objection_submit(
        notice_id=notice.pk, name="孙", phone="13900002222", text="学历存疑"
    )
    exam_objection = ExamObjection.objects.get()
    assert objection.exam_objection_id == exam_objection.pk and exam_objection.text == "学历存疑"
    services.objection_answer(
        actor=staff(Role.EXAM_OFFICE), objection_id=objection.pk, answer="属实"
    )
    exam_objection.refresh_from_db()
    assert exam_objection.outcome == "属实" and exam_objection.decided_at
    # The exam's own rule still decides when the list is final.
    final = hiring.notice_finalise(actor="测试", notice_id=hire_notice.pk, today=D(2025, 10, 15))
    assert final.status == HireNoticeStatus.FINAL


def test_a_notice_is_imported_once_and_drafts_not_at_all(hire):
    hire_notice, _ = hire
    services.notice_from_exam(actor=staff(Role.EXAM_OFFICE), hire_notice_id=hire_notice.pk)
    with pytest.raises(SunshineError, match="该拟录用名单已导入"):
        services.notice_from_exam(actor=staff(Role.EXAM_OFFICE), hire_notice_id=hire_notice.pk)
    with pytest.raises(SunshineError, match="只能导入考试中已发布"):
        services.notice_from_exam(actor=staff(Role.EXAM_OFFICE), hire_notice_id=999999)
    assert Notice.objects.count() == 1


def test_only_the_exam_office_and_the_chief_import(client, hire):
    hire_notice, _ = hire
    client.force_login(staff(Role.PERSONNEL))
    assert (
        "从考试导入拟录用名单"
        not in client.get(reverse("sunshine:manage_notices")).content.decode()
    )
    assert client.post(reverse("sunshine:import_exam", args=[hire_notice.pk])).status_code == 404
    assert not Notice.objects.exists()
