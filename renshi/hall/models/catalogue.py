"""The item catalogue (事项目录) of the online service hall. See docs/architecture.md.

An item (事项) has versions; exactly one version is published at a time and a published
version never changes (a case stays on the version it started with).
Edits happen on a draft copied from it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Section(models.TextChoices):
    PERSONNEL = "personnel", "人事科"
    ESTABLISHMENT = "establishment", "编制科"
    EXAM_CENTRE = "exam_centre", "考试中心"
    WAGES = "wages", "工资福利科"
    TITLES = "titles", "专业技术人员管理科(职改办)"
    MILITARY = "military", "军转安置办"
    REGISTRATION = "registration", "事业单位登记管理局"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审核"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class Effect(models.TextChoices):
    """What concluding a case of the item does to the personnel database (renshi.hall.effects)."""

    NONE = "", "无"
    TRANSFER_IN = "transfer_in", "调入：受理时预留编制，办结时调入并占编"
    SLOT_USE = "slot_use", "用编：受理时预留编制，办结时入编"
    RETIRE = "retire", "退休：办结时退休并出编"


class ServiceItem(models.Model):
    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=100)
    section = models.CharField("承办科室", max_length=20, choices=Section.choices)
    # Code, not content: which service of the personnel database a concluded case calls.
    effect = models.CharField("对人事数据的影响", max_length=20, choices=Effect.choices, blank=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "服务事项"

    def __str__(self):
        return f"{self.code} {self.name}"


# The definition fields of a version: what a published version freezes and what a diff compares.
CONTENT_FIELDS = [
    "legal_basis",
    "conditions",
    "fee",
    "legal_limit_days",
    "promised_limit_days",
    "materials",
    "steps",
    "result_documents",
]


class ItemVersion(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    legal_basis = models.TextField("设定依据", blank=True)
    conditions = models.TextField("办理条件", blank=True)
    fee = models.CharField("收费", max_length=100, default="不收费")
    legal_limit_days = models.PositiveIntegerField("法定时限(工作日)")
    promised_limit_days = models.PositiveIntegerField("承诺时限(工作日)")
    # [{name, original (True = 原件, False = 复印件), count, optional, note}]
    materials = models.JSONField("申请材料", default=list)
    # [{code, name, role, limit_days, sign_mode: "all" (会签) | "any" (或签)}]
    steps = models.JSONField("办理环节", default=list)
    result_documents = models.JSONField("办理结果", default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = "事项版本"
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="hall_version_number_unique"),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="published"), name="hall_one_published_version"
            ),
        ]

    def __str__(self):
        return f"{self.item.code} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                ItemVersion.objects.filter(pk=self.pk).values("status", *CONTENT_FIELDS).first()
            )
            frozen = stored and stored["status"] in (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
            if frozen and any(stored[f] != getattr(self, f) for f in CONTENT_FIELDS):
                raise ValueError("已发布的事项版本不能修改，请从它复制一个新草稿")
        super().save(*args, **kwargs)

    def content(self) -> dict:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}
