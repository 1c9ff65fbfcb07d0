import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from renshi.exams import selectors
from renshi.exams.models import Announcement, Application, ExamStatus
from renshi.exams.tests.factories import make_candidate, make_exam, make_position

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def exam():
    exam = make_exam()
    Announcement.objects.create(
        exam=exam,
        number=1,
        kind="announcement",
        title="招考公告",
        body="正文",
        published_at=timezone.now(),
    )
    Announcement.objects.create(
        exam=exam,
        number=2,
        kind="change",
        title="关于延长报名时间的变更公告",
        body="报名延长",
        published_at=timezone.now(),
    )
    return exam


def apply(candidate, position, status="submitted"):
    return Application.objects.create(
        exam=position.exam, candidate=candidate, position=position, status=status
    )


def test_exam_list_and_detail_show_published_only(client, exam):
    draft = make_exam(status=ExamStatus.DRAFT, name="草稿考试")
    page = client.get(reverse("exams:exam_list")).content.decode()
    assert exam.name in page and "草稿考试" not in page and "报名中" in page
    detail = client.get(reverse("exams:exam_detail", args=[exam.pk])).content.decode()
    assert detail.index("招考公告") < detail.index("关于延长报名时间的变更公告")
    assert "行政职业能力测验" in detail and "100.00" in detail
    assert client.get(reverse("exams:exam_detail", args=[draft.pk])).status_code == 404


def test_position_list_search_filter_and_counts(client, exam):
    law = make_position(exam, title="法律事务岗", major_codes=["0301"], education_levels=["21"])
    make_position(exam, title="财务岗", major_names=["会计学"], education_levels=["11", "14"])
    apply(make_candidate(), law, "approved")
    apply(make_candidate(), law)
    url = reverse("exams:position_list", args=[exam.pk])
    page = client.get(url).content.decode()
    assert "法律事务岗" in page and "财务岗" in page and "数据更新于" in page
    assert '审核通过 <strong class="text-success">1</strong> · 待审核 <strong>1</strong>' in page
    assert "财务岗" not in client.get(url, {"q": "法学"}).content.decode()  # 法学 ∈ 0301
    assert "法律事务岗" in client.get(url, {"q": "法学"}).content.decode()
    assert "法律事务岗" in client.get(url, {"q": law.code[:6]}).content.decode()
    assert "法律事务岗" not in client.get(url, {"edu": "14"}).content.decode()
    assert "财务岗" in client.get(url, {"edu": "14"}).content.decode()


def test_position_list_is_a_fixed_number_of_queries(client, exam, django_assert_max_num_queries):
    for n in range(30):
        make_position(exam, title=f"岗位{n}")
    url = reverse("exams:position_list", args=[exam.pk])
    with django_assert_max_num_queries(3):  # exam, positions, counts
        client.get(url)
    with django_assert_max_num_queries(1):  # only the exam: rows, counts and fragment cached
        client.get(url)
    with django_assert_max_num_queries(1):
        client.get(url, {"page": 2})


def test_counts_are_cached_then_refreshed(exam):
    position = make_position(exam)
    assert selectors.position_counts(exam) == {}
    apply(make_candidate(), position)
    assert selectors.position_counts(exam) == {}  # cached for 60 s
    selectors.refresh_counts(exam)
    assert selectors.position_counts(exam) == {position.pk: (0, 1)}


def test_position_detail_in_plain_chinese(client, exam):
    position = make_position(
        exam,
        education_levels=["11", "14", "21"],
        degree_rule="bachelor",
        major_codes=["0301"],
        born_from=datetime.date(1990, 10, 16),
        born_to=datetime.date(2008, 10, 16),
        political_rule="party",
        sex="1",
        conditions="限鞍山市户籍",
    )
    page = client.get(reverse("exams:position_detail", args=[position.pk])).content.decode()
    for text in (
        "本科及以上",
        "学士",
        "0301 法学类",
        "中共党员",
        "1990年10月16日至2008年10月16日期间出生",
        "限男性",
        "限鞍山市户籍",
        "报考此职位",
    ):
        assert text in page
    draft_position = make_position(make_exam(status=ExamStatus.DRAFT))
    assert client.get(reverse("exams:position_detail", args=[draft_position.pk])).status_code == 404


def test_underfilled_lists(client, exam):
    empty = make_position(exam, title="无人岗")
    below = make_position(exam, title="不足岗", plan_count=1)
    full = make_position(exam, title="充足岗", plan_count=1)
    apply(make_candidate(), below, "approved")
    for _ in range(3):
        apply(make_candidate(), full, "approved")
    nobody, short, _at = selectors.underfilled(exam)
    assert [r[0].pk for r in nobody] == [empty.pk]
    assert [r[0].pk for r in short] == [below.pk]
    page = client.get(reverse("exams:position_underfilled", args=[exam.pk])).content.decode()
    assert "无人岗" in page and "不足岗" in page and "充足岗" not in page


def test_anonymous_visitors_share_a_page_for_ten_seconds_logged_in_ones_do_not(
    client, exam, django_assert_num_queries
):
    make_position(exam, title="首个岗位")
    url = reverse("exams:position_list", args=[exam.pk])
    client.get(url)
    with django_assert_num_queries(0):  # held in this process's memory
        assert "首个岗位" in client.get(url).content.decode()
    client.force_login(make_candidate().user)
    page = client.get(url).content.decode()
    assert "我的报名" in page  # rendered for this candidate, not the anonymous copy
