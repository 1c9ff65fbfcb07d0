"""Score pages: the office's rules, import, publication, reviews and shortlist; the candidate's own
scores and review requests; the public lookup. Outsiders get 404."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams import scores_import
from renshi.exams.models import (
    Result,
    ScoreReviewRequest,
    ScoringRules,
    ShortlistEntry,
    SubjectScore,
)
from renshi.exams.services import scores
from renshi.exams.tests.factories import make_candidate, make_exam, make_position
from renshi.exams.tests.factories_scores import (
    make_rules,
    office_user,
    score_file,
    seated_applications,
)
from renshi.personnel.tests.factories import make_clerk, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    exam = make_exam()
    office = office_user()
    position = make_position(exam, plan_count=1)
    apps = seated_applications(position, office, 5)
    return {"exam": exam, "office": office, "position": position, "apps": apps}


def _imported(setting, published_ago=None):
    exam, office, apps = setting["exam"], setting["office"], setting["apps"]
    make_rules(exam)
    rows = [(a.ticket, "", 90 - 5 * i, 90 - 5 * i) for i, a in enumerate(apps)]
    report = scores_import.score_check(score_file(rows), exam)
    scores_import.score_import(actor=office, exam=exam, report=report, only_valid=False)
    if published_ago is not None:
        scores.scores_publish(actor=office, exam=exam, published_at=timezone.now() - published_ago)


def _office_urls(setting):
    exam, position = setting["exam"], setting["position"]
    return [
        reverse("exams:scores_exam", args=[exam.pk]),
        reverse("exams:scores_rules", args=[exam.pk]),
        reverse("exams:scores_import", args=[exam.pk]),
        reverse("exams:scores_template", args=[exam.pk]),
        reverse("exams:scores_reviews", args=[exam.pk]),
        reverse("exams:scores_position", args=[exam.pk, position.pk]),
    ]


def test_it_shows_the_office_pages(client, setting):
    _imported(setting, published_ago=datetime.timedelta(days=7))
    client.force_login(setting["office"])
    for url in _office_urls(setting):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.UNIT_CLERK, Role.CANDIDATE, Role.PERSONNEL])
def test_outsiders_get_404_on_office_pages(client, setting, role):
    user = (
        make_clerk(make_unit())
        if role == Role.UNIT_CLERK
        else make_candidate().user
        if role == Role.CANDIDATE
        else UserFactory(role=role)
    )
    client.force_login(user)
    for url in _office_urls(setting):
        assert client.get(url).status_code == 404, url
    post = reverse("exams:scores_publish", args=[setting["exam"].pk])
    assert client.post(post, {"published_at": "2030-01-01T09:00"}).status_code == 404


def test_it_saves_rules_from_the_form_and_refuses_bad_weights(client, setting):
    exam = setting["exam"]
    client.force_login(setting["office"])
    url = reverse("exams:scores_rules", args=[exam.pk])
    data = {"min_written": "60", "interview_ratio": "3", "tie_break": "written，subject:01"}
    bad = client.post(url, {**data, "weight_01": "0.6", "weight_02": "0.6"})
    assert "各科目权重之和须等于1（现为1.2）" in bad.content.decode()
    assert not ScoringRules.objects.filter(exam=exam).exists()
    good = client.post(url, {**data, "weight_01": "0.5", "weight_02": "0.5", "line_01": "45"})
    assert good.status_code == 302
    rules = ScoringRules.objects.get(exam=exam)
    assert rules.min_subject == {"01": "45"} and rules.tie_break == ["written", "subject:01"]
    page = client.get(reverse("exams:scores_exam", args=[exam.pk])).content.decode()
    assert "行政职业能力测验×0.5 + 申论×0.5" in page and "笔试成绩 → 行政职业能力测验" in page


def test_import_dry_run_then_good_rows_then_publish(client, setting):
    exam, apps = setting["exam"], setting["apps"]
    make_rules(exam)
    client.force_login(setting["office"])
    data = score_file([(apps[0].ticket, "", 70.25, 64), (apps[1].ticket, "", "x", 60)])
    upload = SimpleUploadedFile("成绩.xlsx", data)
    report = client.post(reverse("exams:scores_import", args=[exam.pk]), {"file": upload})
    page = report.content.decode()
    assert "第3行" in page and "成绩「x」不是数字" in page
    assert not SubjectScore.objects.exists()
    token = report.context["token"]
    confirm = reverse("exams:scores_import_confirm", args=[exam.pk, token])
    refused = client.post(confirm, {"mode": "all"})
    assert "1行错误" in refused.content.decode() and not SubjectScore.objects.exists()
    assert client.post(confirm, {"mode": "valid"}).status_code == 302
    assert Result.objects.get(application=apps[0]).written == Decimal("67.13")
    assert client.post(confirm, {"mode": "valid"}).status_code == 404  # token used up

    publish = reverse("exams:scores_publish", args=[exam.pk])
    assert client.post(publish, {"published_at": "2030-01-01T09:00"}).status_code == 302
    rules = ScoringRules.objects.get(exam=exam)
    assert timezone.localtime(rules.scores_published_at).hour == 9
    assert rules.review_closes - rules.scores_published_at == datetime.timedelta(days=3)


def test_import_page_explains_a_missing_subject_column(client, setting):
    exam = setting["exam"]
    make_rules(exam)
    client.force_login(setting["office"])
    upload = SimpleUploadedFile("s.xlsx", score_file([("1", 1)], headers=("准考证号", "01")))
    response = client.post(reverse("exams:scores_import", args=[exam.pk]), {"file": upload})
    assert response.status_code == 400
    assert "缺少科目成绩列：申论（02）" in response.content.decode()


def test_candidate_sees_scores_only_after_publication(client, setting):
    apps = setting["apps"]
    _imported(setting)
    client.force_login(apps[1].candidate.user)
    url = reverse("exams:scores_mine", args=[apps[1].pk])
    before = client.get(url).content.decode()
    assert "笔试成绩尚未公布" in before and "85.00" not in before
    later = timezone.now() + datetime.timedelta(hours=2)
    scores.scores_publish(actor=setting["office"], exam=setting["exam"], published_at=later)
    assert "笔试成绩将于" in client.get(url).content.decode()
    ScoringRules.objects.filter(exam=setting["exam"]).update(
        scores_published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    after = client.get(url).content.decode()
    assert "85.00" in after and "第2名 / 5人" in after and "已达到" in after


def test_another_candidate_and_a_clerk_get_404(client, setting):
    apps = setting["apps"]
    _imported(setting, published_ago=datetime.timedelta(hours=1))
    url = reverse("exams:scores_mine", args=[apps[0].pk])
    client.force_login(apps[1].candidate.user)
    assert client.get(url).status_code == 404
    review = reverse("exams:scores_review_request", args=[apps[0].pk])
    assert client.post(review, {"subject": 1, "reason": "x"}).status_code == 404
    client.force_login(make_clerk(make_unit()))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the candidate login


def test_review_request_once_then_office_corrects(client, setting):
    exam, apps = setting["exam"], setting["apps"]
    _imported(setting, published_ago=datetime.timedelta(hours=1))
    subject = exam.subjects.get(code="02")
    client.force_login(apps[2].candidate.user)
    url = reverse("exams:scores_review_request", args=[apps[2].pk])
    client.post(url, {"subject": subject.pk, "reason": "申论分数偏低，怀疑漏评"})
    again = client.post(url, {"subject": subject.pk, "reason": "再次申请"}, follow=True)
    assert "每科只能申请一次" in again.content.decode()
    review = ScoreReviewRequest.objects.get()

    client.force_login(setting["office"])
    decide = reverse("exams:scores_review_decide", args=[review.pk])
    client.post(decide, {"outcome": "corrected", "new_score": "100", "note": "漏评一题"})
    assert Result.objects.get(application=apps[2]).written_rank == 1

    client.force_login(apps[2].candidate.user)
    page = client.get(reverse("exams:scores_mine", args=[apps[2].pk])).content.decode()
    assert "成绩已更正，更正为 100.00 分" in page and "漏评一题" in page


def test_shortlist_pages_build_decide_replace(client, setting):
    exam, apps, position = setting["exam"], setting["apps"], setting["position"]
    _imported(setting, published_ago=datetime.timedelta(days=7))
    client.force_login(setting["office"])
    client.post(reverse("exams:scores_shortlist_build", args=[exam.pk]))
    assert ShortlistEntry.objects.count() == 3
    first = ShortlistEntry.objects.get(application=apps[0])
    decide = reverse("exams:scores_entry_decide", args=[first.pk])
    refused = client.post(decide, {"status": "disqualified", "note": ""}, follow=True)
    assert "资格复审不合格须写明原因" in refused.content.decode()
    client.post(decide, {"status": "disqualified", "note": "不符合专业要求"})
    replace = reverse("exams:scores_entry_replace", args=[first.pk])
    page = client.post(replace, {"reason": "资格复审不合格"}, follow=True).content.decode()
    assert "已从下一名次递补" in page
    fourth = ShortlistEntry.objects.get(application=apps[3])
    assert fourth.replaces_id == first.pk
    assert "递补 考生1（第1名）" in page

    client.force_login(apps[3].candidate.user)
    mine = client.get(reverse("exams:scores_mine", args=[apps[3].pk])).content.decode()
    assert "您已进入面试名单" in mine
    client.force_login(apps[4].candidate.user)
    mine = client.get(reverse("exams:scores_mine", args=[apps[4].pk])).content.decode()
    assert "您未进入本职位面试名单" in mine
    client.force_login(apps[0].candidate.user)
    mine = client.get(reverse("exams:scores_mine", args=[apps[0].pk])).content.decode()
    assert "资格复审不合格" in mine and "不符合专业要求" in mine
    assert position.shortlist.count() == 4


def test_public_lookup_by_ticket_and_id_number_is_rate_limited(client, setting):
    apps = setting["apps"]
    _imported(setting, published_ago=datetime.timedelta(hours=1))
    url = reverse("exams:scores_lookup")
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"ticket": apps[0].ticket, "id_number": make_candidate().id_number})
    assert wrong.status_code == 400 and "准考证号或公民身份号码不正确" in wrong.content.decode()
    unknown = client.post(url, {"ticket": "000", "id_number": "x"})
    assert "准考证号或公民身份号码不正确" in unknown.content.decode()
    ok = client.post(url, {"ticket": apps[0].ticket, "id_number": apps[0].id_number.lower()})
    assert ok.status_code == 200 and "90.00" in ok.content.decode()
    for _ in range(17):
        client.post(url, {"ticket": "000", "id_number": "x"})
    limited = client.post(url, {"ticket": apps[0].ticket, "id_number": apps[0].id_number})
    assert "查询过于频繁" in limited.content.decode() and "90.00" not in limited.content.decode()


def test_public_lookup_is_limited_per_ticket_across_addresses(client, setting):
    apps = setting["apps"]
    _imported(setting, published_ago=datetime.timedelta(hours=1))
    url = reverse("exams:scores_lookup")
    for n in range(10):
        client.post(url, {"ticket": apps[0].ticket, "id_number": "x"}, REMOTE_ADDR=f"10.0.0.{n}")
    right = {"ticket": apps[0].ticket, "id_number": apps[0].id_number}
    limited = client.post(url, right, REMOTE_ADDR="10.0.1.1").content.decode()
    assert "查询过于频繁" in limited and "90.00" not in limited
    other = client.post(url, {"ticket": apps[1].ticket, "id_number": apps[1].id_number})
    assert "85.00" in other.content.decode()


def test_public_lookup_before_publication_says_when(client, setting):
    apps = setting["apps"]
    _imported(setting)
    response = client.post(
        reverse("exams:scores_lookup"),
        {"ticket": apps[0].ticket, "id_number": apps[0].id_number},
    )
    page = response.content.decode()
    assert "笔试成绩尚未公布" in page and "90.00" not in page


def test_position_page_query_count_is_fixed(client, setting, django_assert_max_num_queries):
    _imported(setting, published_ago=datetime.timedelta(days=7))
    client.force_login(setting["office"])
    client.post(reverse("exams:scores_shortlist_build", args=[setting["exam"].pk]))
    url = reverse("exams:scores_position", args=[setting["exam"].pk, setting["position"].pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_candidate_sees_interview_and_composite_once_computed(client, setting):
    from renshi.exams.models import Result

    apps = setting["apps"]
    _imported(setting)
    ScoringRules.objects.filter(exam=setting["exam"]).update(
        scores_published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(apps[1].candidate.user)
    url = reverse("exams:scores_mine", args=[apps[1].pk])
    assert "面试与综合成绩" not in client.get(url).content.decode()
    Result.objects.filter(application=apps[1]).update(
        interview=Decimal("82.40"),
        interview_passed=True,
        composite=Decimal("83.70"),
        composite_rank=1,
    )
    page = client.get(url).content.decode()
    assert "82.40" in page and "83.70" in page and "第 1 名" in page
