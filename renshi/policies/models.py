"""The policy library (政策法规): documents with validity and the links between them, and the
online legal study column (网上说法).

The full-text index is not a model field: PostgreSQL keeps a `search_vector tsvector` column on
`policies_policy` and SQLite an FTS5 table `policies_policy_fts`, both created by migration 0002
and written only by `renshi.policies.search.reindex` (called by every service that saves text).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    LAW = "law", _("法律")
    ADMIN_REGULATION = "admin_reg", _("行政法规")
    DEPARTMENT_RULE = "dept_rule", _("部门规章")
    LOCAL_REGULATION = "local_reg", _("地方性法规")
    NORMATIVE = "normative", _("规范性文件")
    BUREAU = "bureau", _("本局文件")


class Validity(models.TextChoices):
    IN_FORCE = "in_force", _("现行有效")
    AMENDED = "amended", _("已修订")
    REPEALED = "repealed", _("已废止")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class LinkKind(models.TextChoices):
    # Read as "source <kind> target"; the target's validity follows (see services.link_add).
    AMENDS = "amends", _("修订")
    REPEALS = "repeals", _("废止")
    REPLACES = "replaces", _("替代")


class Policy(models.Model):
    title = models.CharField(_("标题"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuer = models.CharField(_("发布机关"), max_length=100)
    level = models.CharField(_("效力级别"), max_length=16, choices=Level.choices)
    published_on = models.DateField(_("发布日期"))
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    validity = models.CharField(
        _("时效性"), max_length=16, choices=Validity.choices, default=Validity.IN_FORCE
    )
    repealed_on = models.DateField(_("失效日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    body = models.TextField(_("正文"))
    is_sample = models.BooleanField(_("示例文件"), default=False)
    # True when the document is longer than a PostgreSQL tsvector can position (16,383) or a
    # bigram repeats past 256 positions: phrase matching is then confirmed by LIKE instead.
    index_partial = models.BooleanField(default=False, editable=False)
    published_at = models.DateTimeField(_("上网时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_on", "-id"], name="policy_public_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(validity="repealed") | models.Q(repealed_on__isnull=False),
                name="policy_repealed_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policies:detail", args=[self.pk])


class PolicyLink(models.Model):
    """`source` amends / repeals / replaces `target` (a newer document acting on an older one)."""

    source = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("关系"), max_length=16, choices=LinkKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="policy_link_once"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="policy_link_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.source_id} {self.kind} {self.target_id}"


class PolicyAttachment(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="policies/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class StudyKind(models.TextChoices):
    QA = "qa", _("以案释法问答")
    CASE = "case", _("案例评析")


class StudyArticle(models.Model):
    """网上说法: a short question and answer, or a case, explained by the policies it cites."""

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("类型"), max_length=8, choices=StudyKind.choices)
    question = models.TextField(_("问题 / 案情"))
    answer = models.TextField(_("解答 / 评析"))
    policies = models.ManyToManyField(Policy, blank=True, related_name="study_articles")
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("网上说法")
        verbose_name_plural = _("网上说法")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policies:study_detail", args=[self.pk])
