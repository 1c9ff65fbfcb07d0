"""Talent market (人才市场: openings, résumés, contact requests) and mobile party members."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Education(models.TextChoices):
    """GB/T 4658 codes, the ones a market posting uses."""

    SECONDARY = "61", _("高中/中专")
    COLLEGE = "31", _("大专")
    BACHELOR = "21", _("本科")
    MASTER = "14", _("硕士研究生")
    DOCTOR = "11", _("博士研究生")


EDUCATION_ORDER = ["61", "31", "21", "14", "11"]  # ascending


def education_at_least(code: str) -> list[str]:
    return EDUCATION_ORDER[EDUCATION_ORDER.index(code) :]


def education_at_most(code: str) -> list[str]:
    return EDUCATION_ORDER[: EDUCATION_ORDER.index(code) + 1]


def masked_name(name: str) -> str:
    """张三丰 → 张**: units see only the surname until the person accepts their request."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class OpeningStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("招聘中")
    CLOSED = "closed", _("已结束")


class Opening(models.Model):
    """A unit's job opening (招聘岗位), posted by the unit's personnel clerk."""

    unit = models.ForeignKey(
        "personnel.Unit", on_delete=models.PROTECT, related_name="talent_openings"
    )
    title = models.CharField(_("岗位名称"), max_length=60)
    headcount = models.PositiveSmallIntegerField(_("招聘人数"))
    education = models.CharField(
        _("学历要求"), max_length=2, choices=Education.choices, blank=True, help_text=_("最低学历")
    )
    major = models.CharField(_("专业要求"), max_length=100, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("工作经验（年）"), default=0)
    salary_min = models.DecimalField(_("月薪下限（元）"), max_digits=9, decimal_places=2)
    salary_max = models.DecimalField(_("月薪上限（元）"), max_digits=9, decimal_places=2)
    location = models.CharField(_("工作地点"), max_length=60)
    closes_on = models.DateField(_("截止日期"))
    description = models.TextField(_("岗位职责与其他要求"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")
        indexes = [models.Index(fields=["status", "-published_at"], name="talent_open_status")]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="talent_open_headcount"),
            models.CheckConstraint(
                condition=Q(salary_min__lte=F("salary_max")), name="talent_open_salary"
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == OpeningStatus.PUBLISHED and self.closes_on >= today


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公开（单位可检索，姓名显示为“张**”，联系方式经我同意后可见）")
    HIDDEN = "hidden", _("不公开（任何单位都检索不到）")


class Resume(models.Model):
    """One résumé per public account (the exams candidate: real name, verified phone)."""

    candidate = models.OneToOneField(
        "exams.Candidate", on_delete=models.CASCADE, related_name="talent_resume"
    )
    visibility = models.CharField(
        _("隐私设置"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    education = models.CharField(_("最高学历"), max_length=2, choices=Education.choices)
    major = models.CharField(_("所学专业"), max_length=100)
    experience_years = models.PositiveSmallIntegerField(_("工作年限"), default=0)
    desired_title = models.CharField(_("求职意向"), max_length=60)
    desired_location = models.CharField(_("期望工作地点"), max_length=60, blank=True)
    expected_salary = models.DecimalField(
        _("期望月薪（元）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    skills = models.CharField(_("技能与关键词"), max_length=200, blank=True)
    summary = models.TextField(_("工作经历与自我评价"), blank=True)
    email = models.EmailField(_("联系邮箱"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("求职简历")
        verbose_name_plural = _("求职简历")

    def __str__(self):
        return f"{self.masked_name}的简历"

    @property
    def masked_name(self) -> str:
        return masked_name(self.candidate.name)


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待答复")
    ACCEPTED = "accepted", _("已同意")
    DECLINED = "declined", _("已婉拒")


class ContactRequest(models.Model):
    """A unit asks a person for their contact details; only an accepted request reveals them."""

    unit = models.ForeignKey("personnel.Unit", on_delete=models.PROTECT, related_name="+")
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="contact_requests")
    opening = models.ForeignKey(
        Opening, on_delete=models.SET_NULL, null=True, blank=True, related_name="contact_requests"
    )
    message = models.CharField(_("留言"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("请求时间"), default=timezone.now)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联系请求")
        verbose_name_plural = _("联系请求")
        constraints = [
            # One request per unit and résumé: a declined person is not asked again.
            models.UniqueConstraint(fields=["unit", "resume"], name="talent_request_once"),
        ]

    def __str__(self):
        return f"{self.unit_id} → {self.resume_id}"


# Mobile party members (流动党员)


class ReportCycle(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


def period_of(day: datetime.date, cycle: str) -> str:
    if cycle == ReportCycle.QUARTERLY:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def period_label(period: str) -> str:
    year, part = period.split("-")
    if part.startswith("Q"):
        return f"{year}年第{part[1:]}季度"
    return f"{year}年{int(part)}月"


class PartyOrganisation(models.Model):
    name = models.CharField(_("党组织名称"), max_length=100, unique=True)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="party_organisations",
        verbose_name=_("书记"),
    )
    report_cycle = models.CharField(
        _("汇报周期"), max_length=10, choices=ReportCycle.choices, default=ReportCycle.MONTHLY
    )

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def current_period(self, day=None) -> str:
        return period_of(day or timezone.localdate(), self.report_cycle)


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("待党组织确认")
    ACTIVE = "active", _("已确认")
    REJECTED = "rejected", _("未通过")


class MobileMember(models.Model):
    """A party member working away from home, registered by themselves with their public account."""

    organisation = models.ForeignKey(
        PartyOrganisation, on_delete=models.PROTECT, related_name="members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mobile_member"
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number_cipher = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("公民身份号码"), max_length=18, editable=False)
    phone_cipher = models.TextField(editable=False)
    phone_masked = models.CharField(_("手机号码"), max_length=11, editable=False)
    city = models.CharField(_("现居住城市"), max_length=60)
    employer = models.CharField(_("现工作单位"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.PENDING
    )
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("流动党员")
        verbose_name_plural = _("流动党员")
        ordering = ["organisation_id", "name", "id"]

    def __str__(self):
        return masked_name(self.name)


class PartyNotice(models.Model):
    """A notice or study material from the organisation to its mobile members."""

    organisation = models.ForeignKey(
        PartyOrganisation, on_delete=models.PROTECT, related_name="notices"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    attachment = models.FileField(_("附件"), upload_to="talent/party/", blank=True)
    attachment_name = models.CharField(max_length=120, blank=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    class Meta:
        verbose_name = _("党组织通知")
        verbose_name_plural = _("党组织通知")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title


class CheckInKind(models.TextChoices):
    CHECK_IN = "checkin", _("报到")
    THOUGHT = "thought", _("思想汇报")


class CheckIn(models.Model):
    """One report per member and period (报到 / 思想汇报)."""

    member = models.ForeignKey(MobileMember, on_delete=models.CASCADE, related_name="checkins")
    period = models.CharField(_("汇报期"), max_length=7)
    kind = models.CharField(_("类型"), max_length=10, choices=CheckInKind.choices)
    text = models.TextField(_("汇报内容"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("报到与思想汇报")
        verbose_name_plural = _("报到与思想汇报")
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "period"], name="talent_checkin_once"),
        ]

    def __str__(self):
        return f"{self.member} {self.period}"


class Reminder(models.Model):
    member = models.ForeignKey(MobileMember, on_delete=models.CASCADE, related_name="reminders")
    period = models.CharField(max_length=7)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("汇报提醒")
        verbose_name_plural = _("汇报提醒")

    def __str__(self):
        return f"{self.member} {self.period}"
