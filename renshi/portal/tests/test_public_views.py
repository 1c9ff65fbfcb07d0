"""Public pages: home, columns, articles, attachments; exam notices appear by themselves;
anonymous pages come from the page cache until something is published or withdrawn."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.models import Announcement, AnnouncementKind, ExamStatus
from renshi.exams.services import office
from renshi.exams.tests.factories import make_exam
from renshi.portal import services, visits
from renshi.portal.models import PageVisit

pytestmark = pytest.mark.django_db
HOME = reverse("portal:home")


def text(response):
    return response.content.decode()


def notice(exam, number, title, *, published=True):
    return Announcement.objects.create(
        exam=exam,
        number=number,
        kind=AnnouncementKind.ANNOUNCEMENT if number == 1 else AnnouncementKind.CHANGE,
        title=title,
        body="正文",
        published_at=timezone.now() if published else None,
    )


def test_anonymous_visitors_land_on_the_site(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == HOME


def test_the_home_page_shows_columns_and_entries(client, published):
    page = text(client.get(HOME))
    for part in ("工作动态", "通知公告", "考试录用", "人事任免", published.title):
        assert part in page
    for link in (
        'action="/policies/"',
        'name="q"',
        "/hall/items/",
        "/talent/",
        "/sunshine/notices/",
    ):
        assert link in page


def test_the_home_page_lists_exams_open_for_registration(client, columns):
    open_exam = make_exam(name="2026年鞍山市公务员考试录用（报名中）")
    make_exam(name="未发布的考试", status=ExamStatus.DRAFT)
    make_exam(
        name="已截止的考试",
        registration_opens=timezone.now() - datetime.timedelta(days=30),
        registration_closes=timezone.now() - datetime.timedelta(days=20),
    )
    page = text(client.get(HOME))
    assert open_exam.name in page and reverse("exams:exam_detail", args=[open_exam.pk]) in page
    assert "未发布的考试" not in page and "已截止的考试" not in page


def test_exam_announcements_and_change_notices_appear_in_the_exams_column(client, columns):
    exam = make_exam()
    notice(exam, 1, "鞍山市2026年考试录用公务员公告")
    notice(exam, 2, "关于调整部分职位招考人数的变更公告")
    notice(exam, 3, "尚未发布的变更公告", published=False)
    hidden = make_exam(status=ExamStatus.DRAFT)
    notice(hidden, 1, "草稿考试的公告")
    page = text(client.get(reverse("portal:category", args=["exams"])))
    assert "鞍山市2026年考试录用公务员公告" in page and "招考公告" in page
    assert "关于调整部分职位招考人数的变更公告" in page and "变更公告" in page
    assert reverse("exams:exam_detail", args=[exam.pk]) + "#notice-2" in page
    assert "尚未发布的变更公告" not in page and "草稿考试的公告" not in page
    assert "关于调整部分职位招考人数的变更公告" in text(client.get(HOME))
    assert "鞍山市2026年考试录用公务员公告" not in text(
        client.get(reverse("portal:category", args=["news"]))
    )


def test_columns_are_paginated(client, columns, editor):
    for n in range(25):
        article = services.article_create(
            actor=editor, category_id=columns["notices"].pk, title=f"通知{n:02d}", body="<p>x</p>"
        )
        services.article_publish(actor=editor, article=article)
    url = reverse("portal:category", args=["notices"])
    first, second = text(client.get(url)), text(client.get(url + "?page=2"))
    assert "第 1 / 2 页" in first and "通知24" in first and "通知04" not in first
    assert "通知04" in second and "通知24" not in second
    assert client.get(reverse("portal:category", args=["nope"])).status_code == 404


def test_the_article_page_prints_the_cleaned_body(client, published):
    page = text(client.get(reverse("portal:article", args=[published.pk])))
    assert "<p>会议<strong>总结</strong>了全年工作。</p>" in page and "鞍山市人事局" in page


def test_drafts_and_withdrawn_articles_are_404(client, columns, editor, published):
    draft = services.article_create(
        actor=editor, category_id=columns["news"].pk, title="草稿标题", body="<p>x</p>"
    )
    assert client.get(reverse("portal:article", args=[draft.pk])).status_code == 404
    assert "草稿标题" not in text(client.get(HOME))
    services.article_withdraw(actor=editor, article=published, reason="过期")
    assert client.get(reverse("portal:article", args=[published.pk])).status_code == 404


def test_attachments_download_only_while_published(client, editor, published):
    item = services.attachment_add(
        actor=editor, article=published, upload=SimpleUploadedFile("表.pdf", b"%PDF-1.4 x")
    )
    url = reverse("portal:attachment", args=[item.pk])
    assert url in text(client.get(reverse("portal:article", args=[published.pk])))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert "attachment" in response["Content-Disposition"]
    services.article_withdraw(actor=editor, article=published, reason="过期")
    assert client.get(url).status_code == 404


def test_anonymous_pages_come_from_the_cache(client, published, django_assert_num_queries):
    url = reverse("portal:article", args=[published.pk])
    client.get(url)
    client.get(HOME)
    with django_assert_num_queries(0):
        assert published.title in text(client.get(url))
        assert published.title in text(client.get(HOME))


def test_publishing_and_withdrawing_drop_the_cached_pages(
    client, columns, editor, published, django_capture_on_commit_callbacks
):
    client.get(HOME)
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(
            actor=editor, category_id=columns["news"].pk, title="新发布的消息", body="<p>x</p>"
        )
    assert "新发布的消息" not in text(client.get(HOME))  # a draft changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(actor=editor, article=article)
    assert "新发布的消息" in text(client.get(HOME))
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(actor=editor, article=article, reason="误发")
    assert "新发布的消息" not in text(client.get(HOME))


def test_logged_in_visitors_get_a_fresh_page(published, django_assert_max_num_queries):
    client = Client()
    client.get(HOME)
    client.force_login(UserFactory())
    with django_assert_max_num_queries(20) as queries:
        client.get(HOME)
    assert len(queries) > 0


def test_visits_are_counted_without_a_write_per_request(
    client, published, django_assert_num_queries
):
    url = reverse("portal:article", args=[published.pk])
    client.get(url)
    with django_assert_num_queries(0):
        for _ in range(5):
            client.get(url)
    client.get(HOME)
    client.get(reverse("portal:article", args=[9999]))  # a 404 is not a visit
    visits.flush()
    today = timezone.localdate()
    assert PageVisit.objects.get(day=today, path=url).count == 6
    assert PageVisit.objects.get(day=today, path=HOME).count == 1
    assert not PageVisit.objects.filter(path__contains="9999").exists()
    client.get(url)
    visits.flush()
    assert PageVisit.objects.get(day=today, path=url).count == 7


def test_the_public_pages_make_no_request_to_other_hosts(client, published):
    for url in (HOME, reverse("portal:article", args=[published.pk])):
        page = text(client.get(url))
        assert "http://" not in page and "https://" not in page and "//cdn" not in page


def test_the_home_page_lists_notices_in_their_objection_period(client, columns):
    from renshi.sunshine.tests.helpers import make_notice

    today = timezone.localdate()
    current = make_notice(
        title="2026年度职称评审结果公示", starts_on=today - datetime.timedelta(days=2)
    )
    make_notice(title="2025年已结束的公示", starts_on=datetime.date(2025, 9, 30))
    make_notice(title="尚未发布的公示", starts_on=today, publish=False)
    page = text(client.get(HOME))
    assert current.title in page and reverse("sunshine:notice", args=[current.pk]) in page
    assert "2025年已结束的公示" not in page and "尚未发布的公示" not in page


def test_a_change_notice_reaches_the_shared_pages_at_once(
    client, columns, django_capture_on_commit_callbacks
):
    exam = make_exam()
    notice(exam, 1, "鞍山市2026年考试录用公务员公告")
    positions = reverse("exams:position_list", args=[exam.pk])
    assert "考试录用" in text(client.get(HOME)) and client.get(positions).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        office.change_notice_publish(
            actor=UserFactory(role=Role.EXAM_OFFICE), exam=exam, title="关于延长报名时间的变更公告",
            body="报名截止时间顺延一天。",
        )  # fmt: skip
    assert "关于延长报名时间的变更公告" in text(client.get(HOME))
