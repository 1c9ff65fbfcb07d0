"""The web editors' pages: write, publish, withdraw, attachments, visits. Outsiders get 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.portal.models import Article, ArticleStatus

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def staff_urls(article):
    return [
        reverse("portal:manage_list"),
        reverse("portal:manage_new"),
        reverse("portal:manage_edit", args=[article.pk]),
        reverse("portal:visits"),
    ]


def post_urls(article):
    return [
        reverse("portal:manage_publish", args=[article.pk]),
        reverse("portal:manage_withdraw", args=[article.pk]),
        reverse("portal:attachment_add", args=[article.pk]),
    ]


@pytest.mark.parametrize("role", [Role.WEB_EDITOR, Role.SECTION_CHIEF])
def test_editors_and_the_chief_see_the_pages(client, published, role):
    client.force_login(UserFactory(role=role))
    for url in staff_urls(published):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "role", [Role.PERSONNEL, Role.UNIT_CLERK, Role.DISCIPLINE, Role.SECURITY_ADMIN, Role.CANDIDATE]
)
def test_outsiders_get_404_and_change_nothing(client, published, role):
    client.force_login(UserFactory(role=role))
    for url in staff_urls(published):
        assert client.get(url).status_code == 404, url
    for url in post_urls(published):
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    published.refresh_from_db()
    assert published.status == ArticleStatus.PUBLISHED


def test_anonymous_visitors_are_sent_to_log_in(client, published):
    response = client.get(reverse("portal:manage_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_editor_writes_publishes_and_withdraws(client, editor, columns):
    client.force_login(editor)
    response = client.post(
        reverse("portal:manage_new"),
        {
            "category": columns["notices"].pk,
            "title": "关于开展年度考核的通知",
            "source": "人事科",
            "body": '<p style="color:red" onclick="x()">各单位：</p><script>alert(1)</script>',
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:manage_edit", args=[article.pk])
    assert article.body == "<p>各单位：</p>" and article.status == ArticleStatus.DRAFT
    edit = text(client.get(response["Location"]))
    assert "pell.min.js" in edit and "发布" in edit
    client.post(reverse("portal:manage_publish", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert client.get(reverse("portal:article", args=[article.pk])).status_code == 200
    refused = client.post(reverse("portal:manage_withdraw", args=[article.pk]), {"reason": ""})
    assert "请填写撤回原因" in text(client.get(refused["Location"]))
    client.post(reverse("portal:manage_withdraw", args=[article.pk]), {"reason": "重复发布"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.WITHDRAWN
    assert list(
        AuditEvent.objects.filter(object_id=str(article.pk), object_type="portal.article")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["portal.article_create", "portal.article_publish", "portal.article_withdraw"]


def test_bad_input_gets_a_chinese_message_and_saves_nothing(client, editor, columns, published):
    client.force_login(editor)
    bad = {"category": columns["news"].pk, "title": "标题", "body": "<script>x</script>"}
    response = client.post(reverse("portal:manage_new"), bad)
    assert response.status_code == 400 and "正文不能为空" in text(response)
    response = client.post(reverse("portal:manage_edit", args=[published.pk]), {**bad, "title": ""})
    assert response.status_code == 400 and "这个字段是必填项" in text(response)
    assert Article.objects.count() == 1
    published.refresh_from_db()
    assert published.title == "市人事局召开年度工作会议"


def test_attachments_upload_and_bad_files_are_refused(client, editor, published):
    client.force_login(editor)
    url = reverse("portal:attachment_add", args=[published.pk])
    edit = reverse("portal:manage_edit", args=[published.pk])
    client.post(url, {"file": SimpleUploadedFile("名单.pdf", b"%PDF-1.7 data")})
    client.post(url, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90")})
    page = text(client.get(edit))
    assert "名单.pdf" in page and "内容与扩展名 .pdf 不符" in page
    assert published.attachments.count() == 1
    client.post(url)
    assert "请选择要上传的附件" in text(client.get(edit))
    item = published.attachments.get()
    client.post(reverse("portal:attachment_remove", args=[item.pk]))
    assert not published.attachments.exists()


def test_the_visits_page_flushes_and_shows_counts(client, editor, published):
    client.get(reverse("portal:home"))
    client.get(reverse("portal:home"))
    client.force_login(editor)
    page = text(client.get(reverse("portal:visits")))
    assert "/site/" in page and ">2<" in page


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.WEB_EDITOR, True), (Role.SECTION_CHIEF, True), (Role.PERSONNEL, False)],
)
def test_the_staff_navigation_links_the_site_pages_for_editors_only(client, role, shown):
    client.force_login(UserFactory(role=role))
    page = text(client.get(reverse("portal:manage_list") if shown else reverse("hall:task_list")))
    for url in (reverse("portal:manage_list"), reverse("policies:manage_list")):
        assert (f'href="{url}"' in page) is shown
