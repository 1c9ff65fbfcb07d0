"""Draft → publish → withdraw, each change audited; bad input changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renshi.core.models import AuditEvent
from renshi.portal import services
from renshi.portal.models import Article, ArticleStatus, Attachment
from renshi.portal.services import PortalError

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def actions(article):
    return list(
        AuditEvent.objects.filter(object_id=str(article.pk), object_type="portal.article")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_it_creates_a_draft_with_a_cleaned_body(columns, editor):
    article = services.article_create(
        actor=editor,
        category_id=columns["notices"].pk,
        title=" 关于年度考核的通知 ",
        body='<p onclick="x()">正文<script>alert(1)</script></p>',
    )
    assert article.status == ArticleStatus.DRAFT and article.published_at is None
    assert article.title == "关于年度考核的通知" and article.body == "<p>正文</p>"
    event = AuditEvent.objects.get(action="portal.article_create")
    assert event.after["body"] == "<p>正文</p>" and event.actor_id == editor.pk


def test_publish_withdraw_and_publish_again_are_audited(published, editor):
    first = published.published_at
    assert published.status == ArticleStatus.PUBLISHED and first is not None
    withdrawn = services.article_withdraw(actor=editor, article=published, reason="内容有误")
    assert withdrawn.status == ArticleStatus.WITHDRAWN
    again = services.article_publish(actor=editor, article=withdrawn)
    assert again.status == ArticleStatus.PUBLISHED and again.published_at == first
    assert actions(again) == [
        "portal.article_create",
        "portal.article_publish",
        "portal.article_withdraw",
        "portal.article_publish",
    ]
    assert AuditEvent.objects.get(action="portal.article_withdraw").note == "内容有误"


def test_an_update_records_only_what_changed(published, editor, columns):
    services.article_update(
        actor=editor,
        article=published,
        category_id=columns["news"].pk,
        title="市人事局召开年度工作会议（更正）",
        body=published.body,
        source=published.source,
    )
    event = AuditEvent.objects.get(action="portal.article_update")
    assert event.before == {"title": "市人事局召开年度工作会议"}
    assert event.after == {"title": "市人事局召开年度工作会议（更正）"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "标题不能为空"),
        ({"title": "长" * 121}, "标题不能超过120个字"),
        ({"body": "<script>alert(1)</script><p> </p>"}, "正文不能为空"),
        ({"category_id": 0}, "请选择栏目"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(published, editor, columns, fields, message):
    content = {
        "category_id": columns["news"].pk,
        "title": "新标题",
        "body": "<p>新正文</p>",
        **fields,
    }
    before = AuditEvent.objects.count()
    with pytest.raises(PortalError, match=message):
        services.article_create(actor=editor, **content)
    with pytest.raises(PortalError, match=message):
        services.article_update(actor=editor, article=published, **content)
    published.refresh_from_db()
    assert published.title == "市人事局召开年度工作会议"
    assert Article.objects.count() == 1 and AuditEvent.objects.count() == before


def test_state_rules(published, editor):
    with pytest.raises(PortalError, match="已发布"):
        services.article_publish(actor=editor, article=published)
    with pytest.raises(PortalError, match="撤回原因"):
        services.article_withdraw(actor=editor, article=published, reason=" ")
    services.article_withdraw(actor=editor, article=published, reason="过期")
    with pytest.raises(PortalError, match="只有已发布"):
        services.article_withdraw(actor=editor, article=published, reason="过期")


def test_attachments_are_checked_by_type_content_and_size(published, editor, monkeypatch):
    ok = services.attachment_add(
        actor=editor, article=published, upload=SimpleUploadedFile("考核表.pdf", PDF)
    )
    assert ok.name == "考核表.pdf" and ok.content_type == "application/pdf"
    assert ok.file.read() == PDF
    bad = [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "类型不允许"),
        (SimpleUploadedFile("page.html", b"<script>"), "类型不允许"),
        (SimpleUploadedFile("fake.pdf", b"<html><script>alert(1)</script>"), "内容与扩展名"),
        (SimpleUploadedFile("empty.pdf", b""), "空文件"),
    ]
    for upload, message in bad:
        with pytest.raises(PortalError, match=message):
            services.attachment_add(actor=editor, article=published, upload=upload)
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", len(PDF) - 1)
    with pytest.raises(PortalError, match="超过"):
        services.attachment_add(
            actor=editor, article=published, upload=SimpleUploadedFile("big.pdf", PDF)
        )
    assert Attachment.objects.count() == 1
    services.attachment_remove(actor=editor, attachment=ok)
    assert not Attachment.objects.exists()
    assert actions(published)[-2:] == ["portal.attachment_add", "portal.attachment_remove"]


def test_categories_are_created_once(db):
    first = services.categories_ensure()
    assert [c.name for c in first][:4] == ["工作动态", "通知公告", "考试录用", "人事任免"]
    assert services.categories_ensure() == first
