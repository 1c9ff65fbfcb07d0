import pytest
import time_machine
from django.urls import reverse

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.models import HireNotice, HireStep, Objection
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.test_hiring import interviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    client.force_login(UserFactory(role=Role.EXAM_OFFICE))
    return client


def _post(client, name, *args, data=None):
    return client.post(reverse(f"exams:{name}", args=args), data or {}, follow=True)


@time_machine.travel("2025-09-30 10:00 +0800", tick=False)
def test_from_ranking_to_a_public_notice(office, client):
    exam = make_exam()
    position = make_position(exam, plan_count=1)
    first, second = interviewed(position, [(90, 88), (85, 80)])
    _post(
        office,
        "interviews_weights",
        exam.pk,
        data={"written_weight": "0.4", "interview_weight": "0.6"},
    )
    page = _post(office, "interviews_composite", exam.pk).content.decode()
    assert "2名面试合格考生参加排名" in page and "88.80" in page  # 36 + 52.8
    _post(office, "interviews_physical_list", exam.pk)
    step = HireStep.objects.get()
    page = _post(
        office, "interviews_step", step.pk, "physical", data={"outcome": "failed"}
    ).content.decode()
    assert "第1次递补" in page
    replacement = HireStep.objects.get(application=second)
    _post(office, "interviews_step", replacement.pk, "physical", data={"outcome": "passed"})
    _post(office, "interviews_step", replacement.pk, "inspection", data={"outcome": "passed"})
    _post(office, "interviews_notice_create", exam.pk)
    notice = HireNotice.objects.get()
    public = reverse("exams:interviews_public_notice", args=[notice.pk])
    office.logout()
    assert client.get(public).status_code == 404  # a draft is not public
    office.force_login(UserFactory(role=Role.EXAM_OFFICE))
    page = _post(office, "interviews_notice_publish", notice.pk).content.decode()
    assert "公示期至2025年10月14日" in page
    _post(
        office, "interviews_objection_create", notice.pk, data={"text": "学历存疑", "contact": ""}
    )
    assert not Objection.objects.exists()
    _post(
        office,
        "interviews_objection_create",
        notice.pk,
        data={"text": "学历存疑", "contact": "13800000000"},
    )
    office.logout()
    page = client.get(public).content.decode()
    assert second.candidate.name in page and first.candidate.name not in page
    assert second.candidate.id_number_masked not in page
    listing = client.get(reverse("exams:interviews_public_notices")).content.decode()
    assert notice.title in listing


@pytest.mark.parametrize("role", [Role.UNIT_CLERK, Role.CANDIDATE, Role.EXAMINER])
def test_outsiders_get_404_on_hiring_pages(client, role):
    exam = make_exam()
    notice = HireNotice.objects.create(exam=exam, title="公示")
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("exams:interviews_notice", args=[notice.pk])).status_code == 404
    assert client.post(reverse("exams:interviews_composite", args=[exam.pk])).status_code == 404
    assert (
        client.post(reverse("exams:interviews_notice_publish", args=[notice.pk])).status_code == 404
    )
    notice.refresh_from_db()
    assert notice.status == "draft"
