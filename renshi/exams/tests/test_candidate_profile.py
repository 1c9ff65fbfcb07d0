"""The reusable profile: basic fields, education and work rows, home checklist, phone layout."""

import datetime

import pytest
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.exams.models import Education, WorkExperience
from renshi.exams.tests.candidate_helpers import candidate_state  # noqa: F401 (fixture)
from renshi.exams.tests.factories import make_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(client):
    candidate = make_candidate(name="刘考生", photo="")
    client.force_login(candidate.user)
    return candidate


EDUCATION = {
    "level": "14",
    "degree": "master",
    "school": "东北大学",
    "major_code": "0812",
    "major_name": "计算机科学与技术",
    "started_on": "2020-09-01",
    "graduated_on": "2023-07-01",
    "full_time": "on",
}
WORK = {
    "employer": "海城市某镇政府",
    "post": "科员",
    "started_on": "2023-08-01",
    "grassroots": "on",
}


def test_it_shows_the_masked_numbers_only(client, candidate):
    page = client.get(reverse("exams:profile")).content.decode()
    assert candidate.masked_id in page and candidate.phone_masked in page
    assert candidate.id_number not in page and candidate.phone not in page


def test_it_saves_the_basic_profile_with_an_audit_row(client, candidate):
    data = {"political_status": "01", "fresh_graduate": "on", "household": "辽宁省鞍山市"}
    assert client.post(reverse("exams:profile"), data).status_code == 302
    candidate.refresh_from_db()
    assert (candidate.political_status, candidate.fresh_graduate) == ("01", True)
    event = AuditEvent.objects.get(action="candidate.profile")
    assert event.after == {
        "political_status": "01",
        "fresh_graduate": True,
        "household": "辽宁省鞍山市",
    }


def test_it_refuses_an_unknown_political_code(client, candidate):
    response = client.post(reverse("exams:profile"), {"political_status": "99"})
    assert response.status_code == 200 and "政治面貌" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.political_status == "13"


def test_it_adds_changes_and_deletes_an_education_row(client, candidate):
    assert client.post(reverse("exams:education_add"), EDUCATION).status_code == 302
    row = candidate.educations.get(school="东北大学")
    assert (row.level, row.degree, row.major_code, row.full_time) == ("14", "master", "0812", True)
    changed = {**EDUCATION, "major_name": "软件工程", "full_time": ""}
    client.post(reverse("exams:education_edit", args=[row.pk]), changed)
    row.refresh_from_db()
    assert (row.major_name, row.full_time) == ("软件工程", False)
    page = client.get(reverse("exams:profile")).content.decode()
    assert "硕士研究生毕业" in page and "非全日制" in page
    client.post(reverse("exams:education_delete", args=[row.pk]))
    assert not Education.objects.filter(pk=row.pk).exists()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == [
        "candidate.education_save",
        "candidate.education_save",
        "candidate.education_delete",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": ""}, "学历"),
        ({"graduated_on": "2019-07-01"}, "结束时间不能早于开始时间"),
        ({"major_code": "ab"}, "专业代码应以4位数字开头"),
    ],
)
def test_it_refuses_a_bad_education_row(client, candidate, change, message):
    response = client.post(reverse("exams:education_add"), {**EDUCATION, **change})
    assert message in response.content.decode()
    assert not candidate.educations.filter(school="东北大学").exists()


def test_it_adds_changes_and_deletes_a_work_row(client, candidate):
    client.post(reverse("exams:work_add"), WORK)
    work = candidate.works.get()
    assert work.grassroots and work.started_on == datetime.date(2023, 8, 1)
    client.post(reverse("exams:work_edit", args=[work.pk]), {**WORK, "ended_on": "2025-12-31"})
    work.refresh_from_db()
    assert work.ended_on == datetime.date(2025, 12, 31)
    assert "至今" not in client.get(reverse("exams:profile")).content.decode()
    client.post(reverse("exams:work_delete", args=[work.pk]))
    assert not WorkExperience.objects.exists()


def test_it_refuses_work_starting_in_the_future(client, candidate):
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = client.post(reverse("exams:work_add"), {**WORK, "started_on": future})
    assert "开始时间不能晚于今天" in response.content.decode()
    assert not WorkExperience.objects.exists()


def test_another_candidate_gets_404_on_my_rows(client, candidate):
    other = make_candidate(name="他人")
    education = other.educations.get()
    work = WorkExperience.objects.create(
        candidate=other, employer="某单位", started_on=datetime.date(2020, 1, 1)
    )
    assert client.get(reverse("exams:education_edit", args=[education.pk])).status_code == 404
    assert client.post(reverse("exams:education_delete", args=[education.pk])).status_code == 404
    assert client.post(reverse("exams:work_edit", args=[work.pk]), WORK).status_code == 404
    assert client.post(reverse("exams:work_delete", args=[work.pk])).status_code == 404
    assert Education.objects.filter(pk=education.pk).exists()
    assert WorkExperience.objects.filter(pk=work.pk, employer="某单位").exists()


def test_the_home_lists_what_is_still_missing(client, candidate):
    response = client.get(reverse("exams:candidate_home"))
    items = {i["label"]: i["done"] for i in response.context["items"]}
    assert items == {
        "手机号码已验证": True,
        "填写政治面貌等基本信息": True,
        "填写学历信息": True,
        "上传证件照": False,
    }
    assert reverse("exams:photo") in response.content.decode()
    assert not response.context["complete"]


def test_the_profile_is_cards_not_wide_tables_on_a_phone(client, candidate):
    client.post(reverse("exams:work_add"), WORK)
    page = client.get(reverse("exams:profile")).content.decode()
    assert 'name="viewport" content="width=device-width' in page
    assert "<table" not in page and page.count("rs-row-card") == 2
