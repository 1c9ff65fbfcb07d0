"""Sunshine personnel (阳光人事): public notices (公示), their objections (异议) and reports (举报).

A notice runs for a number of working days counted by `core.workdays` from the day after it
starts; objections are accepted only inside that period and go to the owning section (a bureau
role). A report's reporter is known only to the discipline office (纪检监察): the identity columns
are read through `selectors.reporter_identity` alone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renshi.core.roles import Role


class NoticeKind(models.TextChoices):
    PROPOSED_HIRE = "hire", _("拟录用/拟聘用人员公示")
    TITLE_RESULT = "title", _("职称评审结果公示")
    RECRUITMENT = "recruit", _("事业单位公开招聘结果公示")
    MILITARY = "military", _("军转安置公示")
    OTHER = "other", _("其他公示")


class Section(models.TextChoices):
    """The owning section of a notice or a routed report: a bureau role."""

    PERSONNEL = Role.PERSONNEL.value, _("人事科")
    ESTABLISHMENT = Role.ESTABLISHMENT.value, _("编制科")
    EXAM_OFFICE = Role.EXAM_OFFICE.value, _("考试中心")


# Who owns each kind unless the notice names another section (titles and military transfer
# placement are run by the personnel section in this bureau).
DEFAULT_SECTION = {
    NoticeKind.PROPOSED_HIRE: Section.EXAM_OFFICE,
    NoticeKind.TITLE_RESULT: Section.PERSONNEL,
    NoticeKind.RECRUITMENT: Section.PERSONNEL,
    NoticeKind.MILITARY: Section.PERSONNEL,
    NoticeKind.OTHER: Section.PERSONNEL,
}
# Usual periods in working days: civil-service hires 5 (公务员法 第三十二条), institution
# recruitment 7, title results 5, each 军转 round 5.
DEFAULT_WORKDAYS = {
    NoticeKind.PROPOSED_HIRE: 5,
    NoticeKind.TITLE_RESULT: 5,
    NoticeKind.RECRUITMENT: 7,
    NoticeKind.MILITARY: 5,
    NoticeKind.OTHER: 5,
}


class MilitaryRound(models.IntegerChoices):
    """军转安置 “五项公开、六榜定案”: one public notice per round."""

    PLAN = 1, _("第一榜：安置计划及接收岗位")
    ROSTER = 2, _("第二榜：军转干部名单及基本情况")
    SCORES = 3, _("第三榜：考试考核成绩")
    RANKING = 4, _("第四榜：综合积分排序")
    CHOICE = 5, _("第五榜：选岗结果")
    PLACEMENT = 6, _("第六榜：安置去向（定案）")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Notice(models.Model):
    kind = models.CharField(_("公示类别"), max_length=10, choices=NoticeKind.choices)
    section = models.CharField(_("承办科室"), max_length=20, choices=Section.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    columns = models.JSONField(_("名单表头"), default=list, blank=True)
    rows = models.JSONField(_("名单"), default=list, blank=True)
    batch = models.CharField(_("批次"), max_length=60, blank=True)
    round = models.PositiveSmallIntegerField(
        _("榜次"), choices=MilitaryRound.choices, null=True, blank=True
    )
    starts_on = models.DateField(_("公示开始日"))
    workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    ends_on = models.DateField(_("公示截止日"))
    status = models.CharField(
        _("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    # "exams.hirenotice:<id>" when imported from an exam's proposed-hire notice.
    source = models.CharField(max_length=60, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["status", "-starts_on"], name="sunshine_notice_public")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=NoticeKind.MILITARY, round__gte=1, round__lte=6)
                | (~Q(kind=NoticeKind.MILITARY) & Q(round__isnull=True)),
                name="sunshine_notice_round_only_military",
            ),
            models.UniqueConstraint(
                fields=["batch", "round"],
                condition=Q(kind=NoticeKind.MILITARY) & ~Q(status=NoticeStatus.WITHDRAWN),
                name="sunshine_notice_one_per_round",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="sunshine_notice_period"
            ),
        ]

    def __str__(self):
        return self.title

    def phase(self, today=None) -> str:
        """ "draft", "withdrawn", "upcoming", "open" or "closed"."""
        if self.status != NoticeStatus.PUBLISHED:
            return self.status
        today = today or timezone.localdate()
        if today < self.starts_on:
            return "upcoming"
        return "open" if today <= self.ends_on else "closed"


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("待办理")
    ANSWERED = "answered", _("已答复")


class Objection(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=200)  # SM4 ciphertext
    phone_masked = models.CharField(max_length=11)
    text = models.TextField(_("异议内容"))
    attachment = models.FileField(_("附件"), upload_to="sunshine/objections/%Y/%m/", blank=True)
    code = models.CharField(_("查询码"), max_length=16, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED
    )
    received_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("答复"), blank=True)
    public_summary = models.CharField(_("公开摘要"), max_length=300, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The exams objection recorded alongside, for a notice imported from an exam.
    exam_objection_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.code} {self.text[:20]}"


class SubjectKind(models.TextChoices):
    UNIT = "unit", _("单位")
    PERSON = "person", _("个人")
    MATTER = "matter", _("事项")


class ReportCategory(models.TextChoices):
    RECRUITMENT = "recruit", _("招考招聘违规")
    TITLES = "titles", _("职称评审违规")
    ESTABLISHMENT = "establish", _("机构编制违规")
    CONDUCT = "conduct", _("工作作风问题")
    CORRUPTION = "corrupt", _("违纪违法问题")
    GRIEVANCE = "grievance", _("本人合法权益受侵害")
    OTHER = "other", _("其他")


# A complaint about one's own rights must be answered to the person concerned, so it is named
# only; everything else may be anonymous (the office still takes it up).
NAMED_ONLY = frozenset({ReportCategory.GRIEVANCE})


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ROUTED = "routed", _("转办中")
    HANDLED = "handled", _("已办结待答复")
    ANSWERED = "answered", _("已答复")


class Report(models.Model):
    code = models.CharField(_("查询码"), max_length=16, unique=True)
    password = models.CharField(max_length=128)  # Django password hash
    category = models.CharField(_("举报类别"), max_length=10, choices=ReportCategory.choices)
    subject_kind = models.CharField(_("被举报对象类型"), max_length=10, choices=SubjectKind.choices)
    subject = models.CharField(_("被举报单位/人员/事项"), max_length=100)
    text = models.TextField(_("举报内容"))
    anonymous = models.BooleanField(_("匿名"), default=False)
    # Identity: only the discipline office reads these (selectors.reporter_identity).
    reporter_name = models.CharField(max_length=50, blank=True)
    reporter_phone = models.CharField(max_length=200, blank=True)  # SM4 ciphertext
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    section = models.CharField(_("承办科室"), max_length=20, choices=Section.choices, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    routed_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(_("办理情况"), blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=True, reporter_name="", reporter_phone="")
                | Q(anonymous=False) & ~Q(reporter_name="") & ~Q(reporter_phone=""),
                name="sunshine_report_identity",
            ),
        ]

    def __str__(self):
        return self.code


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="sunshine/reports/%Y/%m/")
    name = models.CharField(max_length=120)
    size = models.PositiveIntegerField()

    def __str__(self):
        return self.name
