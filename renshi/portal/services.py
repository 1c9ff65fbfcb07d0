"""News and announcements: every change in one transaction with its audit row.

Publishing, withdrawing and changing what the public sees drop the cached anonymous pages after
the commit (`pages.invalidate`).
"""

import os

from django.db import transaction
from django.utils import timezone

from renshi.core.audit import audit_record, changed, snapshot
from renshi.portal import pages, richtext
from renshi.portal.models import Article, ArticleStatus, Attachment, Category

AUDITED = ("category", "title", "source", "body", "status", "published_at")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
# Extension → the first bytes such a file starts with (the name alone proves nothing).
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class PortalError(Exception):
    """A rule of the public site was broken; the message is for the editor, in Chinese."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _lock(article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _when_public(article) -> None:
    if article.status == ArticleStatus.PUBLISHED:
        transaction.on_commit(pages.invalidate)


def _content(*, category_id, title, body, source) -> dict:
    title = (title or "").strip()
    if not title:
        raise PortalError("标题不能为空", field="title")
    if len(title) > 120:
        raise PortalError("标题不能超过120个字", field="title")
    if not Category.objects.filter(pk=category_id).exists():
        raise PortalError("请选择栏目", field="category")
    cleaned = richtext.clean(body)
    if not richtext.plain_text(cleaned) and "<img" not in cleaned:
        raise PortalError("正文不能为空", field="body")
    source = (source or "").strip()[:60]
    return {"category_id": category_id, "title": title, "body": cleaned, "source": source}


@transaction.atomic
def article_create(*, actor, category_id, title, body, source="") -> Article:
    """A new draft; the body is cleaned before it is stored."""
    content = _content(category_id=category_id, title=title, body=body, source=source)
    article = Article(created_by=_user(actor), **content)
    article.full_clean()
    article.save()
    audit_record(
        actor=actor, action="portal.article_create", obj=article, after=snapshot(article, AUDITED)
    )
    return article


@transaction.atomic
def article_update(*, actor, article, category_id, title, body, source="") -> Article:
    """Change the content (a published article changes on the site at once)."""
    article = _lock(article)
    content = _content(category_id=category_id, title=title, body=body, source=source)
    before = snapshot(article, AUDITED)
    for name, value in content.items():
        setattr(article, name, value)
    article.updated_at = timezone.now()
    article.full_clean()
    article.save()
    old, new = changed(before, snapshot(article, AUDITED))
    if new:
        audit_record(
            actor=actor, action="portal.article_update", obj=article, before=old, after=new
        )
    _when_public(article)
    return article


@transaction.atomic
def article_publish(*, actor, article) -> Article:
    """Draft or withdrawn → published; the first publication date stays."""
    article = _lock(article)
    if article.status == ArticleStatus.PUBLISHED:
        raise PortalError("该稿件已发布")
    before = snapshot(article, AUDITED)
    article.status = ArticleStatus.PUBLISHED
    article.published_at = article.published_at or timezone.now()
    article.save(update_fields=["status", "published_at"])
    old, new = changed(before, snapshot(article, AUDITED))
    audit_record(actor=actor, action="portal.article_publish", obj=article, before=old, after=new)
    _when_public(article)
    return article


@transaction.atomic
def article_withdraw(*, actor, article, reason) -> Article:
    """Published → withdrawn: the page disappears from the site; the reason goes on record."""
    reason = (reason or "").strip()
    if not reason:
        raise PortalError("请填写撤回原因", field="reason")
    article = _lock(article)
    if article.status != ArticleStatus.PUBLISHED:
        raise PortalError("只有已发布的稿件可以撤回")
    article.status = ArticleStatus.WITHDRAWN
    article.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="portal.article_withdraw",
        obj=article,
        before={"status": ArticleStatus.PUBLISHED},
        after={"status": ArticleStatus.WITHDRAWN},
        note=reason[:500],
    )
    transaction.on_commit(pages.invalidate)
    return article


def _check_upload(upload) -> tuple[str, str]:
    name = os.path.basename(upload.name or "").strip()
    extension = os.path.splitext(name)[1].lower()
    if extension not in SIGNATURES:
        allowed = "、".join(sorted({e.lstrip(".") for e in SIGNATURES}))
        raise PortalError(f"附件「{name}」的类型不允许，只能上传 {allowed}", field="file")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise PortalError(f"附件「{name}」超过 10 MB", field="file")
    if upload.size == 0:
        raise PortalError(f"附件「{name}」是空文件", field="file")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise PortalError(f"附件「{name}」的内容与扩展名 {extension} 不符", field="file")
    return name[-120:], CONTENT_TYPES[extension]


@transaction.atomic
def attachment_add(*, actor, article, upload) -> Attachment:
    name, content_type = _check_upload(upload)
    article = _lock(article)
    if article.attachments.count() >= MAX_ATTACHMENTS:
        raise PortalError(f"每篇稿件最多 {MAX_ATTACHMENTS} 个附件", field="file")
    attachment = Attachment(article=article, name=name, size=upload.size, content_type=content_type)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="portal.attachment_add",
        obj=article,
        after={"attachment": name, "size": upload.size},
    )
    _when_public(article)
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment) -> None:
    article = _lock(attachment.article)
    name = attachment.name
    attachment.delete()  # the file stays on disk: the audit trail may point at it
    audit_record(
        actor=actor, action="portal.attachment_remove", obj=article, before={"attachment": name}
    )
    _when_public(article)


DEFAULT_CATEGORIES = (
    ("news", "工作动态", False),
    ("notices", "通知公告", False),
    ("exams", "考试录用", True),
    ("appointments", "人事任免", False),
    ("talent", "人才工作", False),
)


def categories_ensure() -> list[Category]:
    """The standard columns (idempotent; names editors changed are kept)."""
    rows = []
    for order, (slug, name, exams) in enumerate(DEFAULT_CATEGORIES):
        row, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order, "shows_exam_notices": exams}
        )
        rows.append(row)
    return rows
