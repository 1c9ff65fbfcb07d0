"""News and announcements of the public site (人事人才网) and its visit counts.

An article is written as a draft, published, and may be withdrawn (and published again); its body
is stored already cleaned (`portal.richtext`), so pages print it as it is.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A news column (栏目): 工作动态, 通知公告, 考试录用, 人事任免 …"""

    slug = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    # 考试录用: the exams' published announcements and change notices are listed here too.
    shows_exam_notices = models.BooleanField(_("显示考试公告"), default=False)

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:category", args=[self.slug])


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Article(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("栏目")
    )
    title = models.CharField(_("标题"), max_length=120)
    source = models.CharField(_("来源"), max_length=60, blank=True, default="鞍山市人事局")
    body = models.TextField(_("正文"), blank=True)  # cleaned HTML
    status = models.CharField(
        _("状态"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("新闻公告")
        verbose_name_plural = _("新闻公告")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(
                fields=["category", "status", "-published_at"], name="article_category_list"
            ),
            models.Index(fields=["status", "-published_at"], name="article_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_time",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:article", args=[self.pk])


def attachment_path(instance, filename):
    return f"portal/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=120)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    size = models.PositiveIntegerField(_("大小(字节)"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["article_id", "id"]

    def __str__(self):
        return self.name


class PageVisit(models.Model):
    """Visits per page and day, counted in the web process and added here in batches."""

    day = models.DateField(_("日期"))
    path = models.CharField(_("页面"), max_length=200)
    count = models.PositiveIntegerField(_("访问次数"), default=0)

    class Meta:
        verbose_name = _("访问统计")
        verbose_name_plural = _("访问统计")
        constraints = [models.UniqueConstraint(fields=["day", "path"], name="page_visit_day_path")]

    def __str__(self):
        return f"{self.day} {self.path} {self.count}"
