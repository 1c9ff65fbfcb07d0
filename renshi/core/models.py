from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renshi.core.roles import ADMIN_ROLES, BUREAU_ROLES, PORTAL_STAFF_ROLES, Role


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.UNIT_CLERK)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_bureau_staff(self) -> bool:
        return self.role in BUREAU_ROLES

    @property
    def needs_two_factor(self) -> bool:
        """Bureau staff and the three administrators log in with a second factor."""
        return (
            self.role in BUREAU_ROLES
            or self.role in PORTAL_STAFF_ROLES
            or self.role in ADMIN_ROLES
            or self.is_superuser
        )


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("审计记录不可修改")

    def delete(self):
        raise PermissionDenied("审计记录不可删除")


class AuditEvent(models.Model):
    """One row per change, written in the same transaction as the change. Append-only."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_label = models.CharField(_("对象"), max_length=200, blank=True)
    unit_id = models.BigIntegerField(_("相关单位"), null=True, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计记录不可删除")


class CodeTable(models.Model):
    """A national (GB/T) or local code table, kept as data with its standard and version."""

    key = models.SlugField(_("键"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    standard = models.CharField(_("标准"), max_length=60, blank=True)
    version = models.CharField(_("版本"), max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("代码表")
        verbose_name_plural = _("代码表")
        ordering = ["key"]

    def __str__(self):
        return f"{self.name}（{self.standard}）" if self.standard else self.name


class CodeItem(models.Model):
    table = models.ForeignKey(CodeTable, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=80)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    parent_code = models.CharField(_("上级代码"), max_length=20, blank=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("代码项")
        verbose_name_plural = _("代码项")
        ordering = ["table", "sort", "code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="codeitem_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class ApiToken(models.Model):
    """A bearer token for another government system; it acts with its user's role and scope."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class WorkCalendarDay(models.Model):
    """One day of the official working calendar (工作日历): the truth for every working-day limit.

    Seeded from chinesecalendar for the years it knows; the system administrator edits days and
    enters a whole year the package does not know yet (the State Council notice comes out in
    November or December)."""

    class Kind(models.TextChoices):
        WORKDAY = "workday", _("工作日")
        WEEKEND = "weekend", _("周末")
        HOLIDAY = "holiday", _("法定节假日")
        MAKEUP = "makeup", _("调休上班")

    class Source(models.TextChoices):
        CHINESECALENDAR = "chinesecalendar", _("chinesecalendar")
        ADMIN = "admin", _("管理员录入")

    WORKING_KINDS = frozenset({Kind.WORKDAY, Kind.MAKEUP})

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True)
    source = models.CharField(
        _("来源"), max_length=20, choices=Source.choices, default=Source.CHINESECALENDAR
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_workday=True, kind__in=["workday", "makeup"])
                | models.Q(is_workday=False, kind__in=["weekend", "holiday"]),
                name="workcalendarday_kind_matches_is_workday",
            ),
        ]

    def __str__(self):
        label = self.name or self.get_kind_display()
        return f"{self.date.isoformat()} {label}"
