"""Contact details stay hidden until the person accepts; units see only their own requests."""

import pytest
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.exams.tests.factories import make_candidate
from renshi.personnel.tests.factories import make_clerk, make_unit
from renshi.talent.models import ContactRequest, RequestStatus
from renshi.talent.tests import helpers

pytestmark = pytest.mark.django_db
PHONE = "13912340001"


@pytest.fixture
def unit():
    return make_unit("鞍山市财政局")


@pytest.fixture
def clerk(unit):
    return make_clerk(unit)


@pytest.fixture
def seeker():
    return make_candidate(name="张三丰", phone=PHONE)


@pytest.fixture
def resume(seeker):
    return helpers.resume(seeker)


def _ask(client, clerk, resume, message="欢迎来我单位面试"):
    client.force_login(clerk)
    return client.post(reverse("talent:unit_resume", args=[resume.pk]), {"message": message})


def test_contact_is_hidden_until_the_person_accepts(client, clerk, seeker, resume):
    url = reverse("talent:unit_resume", args=[resume.pk])
    client.force_login(clerk)
    page = client.get(url).text
    assert "张**" in page and "张三丰" not in page and PHONE not in page

    _ask(client, clerk, resume)
    request = ContactRequest.objects.get()
    page = client.get(url).text
    assert request.status == RequestStatus.PENDING
    assert PHONE not in page and "张三丰" not in page and "job@example.com" not in page

    client.force_login(seeker.user)
    page = client.get(reverse("talent:my_requests")).text
    assert "鞍山市财政局" in page and "欢迎来我单位面试" in page
    client.post(reverse("talent:request_answer", args=[request.pk, "accept"]))

    client.force_login(clerk)
    page = client.get(url).text
    assert PHONE in page and "张三丰" in page and "job@example.com" in page
    assert AuditEvent.objects.filter(action="talent.contact_answer").count() == 1


def test_a_declined_request_keeps_contact_hidden_and_cannot_be_repeated(
    client, clerk, seeker, resume
):
    _ask(client, clerk, resume)
    request = ContactRequest.objects.get()
    client.force_login(seeker.user)
    client.post(reverse("talent:request_answer", args=[request.pk, "decline"]))
    response = client.post(reverse("talent:request_answer", args=[request.pk, "accept"]))
    assert "该请求已答复" in client.get(response.url).text
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED

    response = _ask(client, clerk, resume)
    assert ContactRequest.objects.count() == 1
    page = client.get(reverse("talent:unit_resume", args=[resume.pk])).text
    assert PHONE not in page and "已婉拒" in page


def test_a_unit_cannot_see_another_units_requests_or_contact(client, clerk, seeker, resume):
    _ask(client, clerk, resume, message="财政局的留言")
    request = ContactRequest.objects.get()
    client.force_login(seeker.user)
    client.post(reverse("talent:request_answer", args=[request.pk, "accept"]))

    other = make_clerk(make_unit("鞍山市教育局"))
    client.force_login(other)
    page = client.get(reverse("talent:unit_requests")).text
    assert "张" not in page.split("<tbody>")[1].split("</tbody>")[0].replace("张**", "")
    assert "还没有发出联系请求" in page
    page = client.get(reverse("talent:unit_resume", args=[resume.pk])).text
    assert PHONE not in page and "张三丰" not in page and "发出联系请求" in page


def test_a_person_cannot_answer_someone_elses_request(client, clerk, resume):
    _ask(client, clerk, resume)
    request = ContactRequest.objects.get()
    intruder = make_candidate(name="李四")
    client.force_login(intruder.user)
    client.post(reverse("talent:request_answer", args=[request.pk, "accept"]))
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert (
        client.post(reverse("talent:request_answer", args=[request.pk, "maybe"])).status_code == 404
    )


def test_a_hidden_resume_is_not_searchable_nor_reachable(client, clerk, seeker):
    resume = helpers.resume(seeker, visibility="hidden")
    client.force_login(clerk)
    page = client.get(reverse("talent:unit_resumes")).text
    assert "出纳会计" not in page
    assert client.get(reverse("talent:unit_resume", args=[resume.pk])).status_code == 404
    _ask(client, clerk, resume)
    assert not ContactRequest.objects.exists()


def test_resume_pages_are_for_candidates_and_clerks_only(client, resume, seeker):
    assert client.get(reverse("talent:resume_edit")).status_code == 302  # to the login page
    assert client.get(reverse("talent:unit_resume", args=[resume.pk])).status_code == 302
    client.force_login(seeker.user)
    assert client.get(reverse("talent:unit_resume", args=[resume.pk])).status_code == 404


def test_a_candidate_keeps_one_resume_and_edits_it(client, seeker, resume):
    client.force_login(seeker.user)
    data = {
        "desired_title": "审计", "education": "14", "major": "审计学", "experience_years": "5",
        "desired_location": "", "expected_salary": "", "skills": "", "summary": "", "email": "",
        "visibility": "hidden",
    }  # fmt: skip
    assert client.post(reverse("talent:resume_edit"), data).status_code == 302
    resume.refresh_from_db()
    assert (resume.desired_title, resume.visibility) == ("审计", "hidden")
    bad = client.post(
        reverse("talent:resume_edit"), {**data, "experience_years": "-1", "email": "x"}
    )
    assert bad.status_code == 200 and "有效的 Email 地址" in bad.text
    assert "确保该值大于或等于0" in bad.text
    resume.refresh_from_db()
    assert resume.experience_years == 5


def test_units_search_resumes_by_education_major_experience_keywords(client, clerk):
    helpers.resume(make_candidate(name="甲"), education="31", major="会计", experience_years=1,
                   desired_title="出纳", skills="用友")  # fmt: skip
    helpers.resume(make_candidate(name="乙"), education="14", major="计算机",
                   experience_years=6, desired_title="软件工程师", skills="Django")  # fmt: skip
    helpers.resume(make_candidate(name="丙"), education="21", major="会计学", experience_years=4,
                   desired_title="会计主管", skills="税务筹划")  # fmt: skip
    client.force_login(clerk)

    def found(**query):
        response = client.get(reverse("talent:unit_resumes"), query)
        return {r.desired_title for r in response.context["page"]}

    assert found() == {"出纳", "软件工程师", "会计主管"}
    assert found(education="21") == {"软件工程师", "会计主管"}
    assert found(major="会计") == {"出纳", "会计主管"}
    assert found(experience="4") == {"软件工程师", "会计主管"}
    assert found(q="Django") == {"软件工程师"}
    assert found(q="会计 税务") == {"会计主管"}
    response = client.get(reverse("talent:unit_resumes"), {"experience": "abc"})
    assert "工作年限请填写整数" in response.text
