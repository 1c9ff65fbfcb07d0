"""Exams, positions, candidates and applications (网上报名). Payment lives in `payments`.

State rules live in services.py; this module holds fields, constraints and small helpers.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renshi.core.idnumbers import mask_id


class ExamKind(models.TextChoices):
    CIVIL_SERVICE = "civil_service", _("公务员考试录用")
    INSTITUTION = "institution", _("事业单位公开招聘")


class ExamStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")


class ReviewMode(models.TextChoices):
    MANUAL = "manual", _("招录单位人工审核")
    AUTO = "auto", _("系统自动初审")


class RatioBasis(models.TextChoices):
    PAID = "paid", _("按缴费人数")
    APPROVED = "approved", _("按审核通过人数")


class Exam(models.Model):
    """One recruitment exam (考试) with its time windows and rules."""

    code = models.CharField(
        _("考试代码"), max_length=6, unique=True, help_text=_("2–6 位数字，用于准考证号与订单号")
    )
    name = models.CharField(_("考试名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=20, choices=ExamKind.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=ExamStatus.choices, default=ExamStatus.DRAFT
    )
    registration_opens = models.DateTimeField(_("报名开始"))
    registration_closes = models.DateTimeField(_("报名截止"))
    review_closes = models.DateTimeField(_("审核截止"), help_text=_("可晚于报名截止"))
    payment_closes = models.DateTimeField(_("缴费截止"))
    ticket_opens = models.DateTimeField(_("准考证打印开始"), null=True, blank=True)
    ticket_closes = models.DateTimeField(_("准考证打印截止"), null=True, blank=True)
    reapply_closes = models.DateTimeField(
        _("改报截止"), null=True, blank=True, help_text=_("核减或取消职位后的改报窗口")
    )
    review_mode = models.CharField(
        _("审核方式"), max_length=10, choices=ReviewMode.choices, default=ReviewMode.MANUAL
    )
    ratio_default = models.PositiveSmallIntegerField(_("开考比例"), default=3)
    ratio_special = models.PositiveSmallIntegerField(_("特殊职位开考比例"), default=2)
    ratio_basis = models.CharField(
        _("开考比例计算依据"), max_length=10, choices=RatioBasis.choices, default=RatioBasis.PAID
    )
    ratio_applied_at = models.DateTimeField(_("开考比例执行时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考试")
        verbose_name_plural = _("考试")
        ordering = ["-registration_opens", "-id"]

    def __str__(self):
        return self.name

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == ExamStatus.PUBLISHED and (
            self.registration_opens <= now < self.registration_closes
        )

    def review_open(self, now=None) -> bool:
        now = now or timezone.now()
        in_window = self.registration_opens <= now < self.review_closes
        return self.status == ExamStatus.PUBLISHED and (in_window or self.reapply_open(now))

    def payment_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == ExamStatus.PUBLISHED and self.registration_opens <= now < (
            self.payment_closes
        )

    def reapply_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            bool(self.reapply_closes)
            and self.ratio_applied_at is not None
            and (now < self.reapply_closes)
        )

    @property
    def fee_total(self) -> Decimal:
        return sum((s.fee for s in self.subjects.all()), Decimal("0"))


class AnnouncementKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("招考公告")
    CHANGE = "change", _("变更公告")


class Announcement(models.Model):
    """The announcement and its change notices. Once published a row never changes."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="announcements")
    number = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=16, choices=AnnouncementKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["exam_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "number"], name="announcement_exam_number")
        ]

    def __str__(self):
        return self.title


class Subject(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="subjects")
    code = models.CharField(_("科目代码"), max_length=8)
    name = models.CharField(_("科目名称"), max_length=50)
    fee = models.DecimalField(_("考务费(元)"), max_digits=8, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    starts_at = models.DateTimeField(_("开考时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考试科目")
        verbose_name_plural = _("考试科目")
        ordering = ["exam_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["exam", "code"], name="subject_exam_code")]

    def __str__(self):
        return self.name


class ExamArea(models.Model):
    """考区. `capacity` (optional) caps the active applications choosing it. For a capped area
    `taken` is kept by the same transaction that adds or removes one; uncapped areas keep no
    counter (nothing to lock during the surge) and are counted when shown."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("考区代码"), max_length=4)
    name = models.CharField(_("考区名称"), max_length=50)
    capacity = models.PositiveIntegerField(_("容量"), null=True, blank=True)
    taken = models.PositiveIntegerField(_("已报名"), default=0)

    class Meta:
        verbose_name = _("考区")
        verbose_name_plural = _("考区")
        ordering = ["exam_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "code"], name="area_exam_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity


class DegreeRule(models.TextChoices):
    NONE = "none", _("无要求")
    BACHELOR = "bachelor", _("学士")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")
    MATCHING = "matching", _("与最高学历相对应的学位")


class PoliticalRule(models.TextChoices):
    ANY = "any", _("不限")
    PARTY = "party", _("中共党员")
    PARTY_OR_LEAGUE = "party_or_league", _("中共党员或共青团员")


class PositionStatus(models.TextChoices):
    OPEN = "open", _("正常")
    CUT = "cut", _("核减")
    CANCELLED = "cancelled", _("取消")


class Position(models.Model):
    """One row of the position table (职位表) with its eligibility rules."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="positions")
    code = models.CharField(_("职位代码"), max_length=20)
    department_code = models.CharField(_("部门代码"), max_length=20, blank=True)
    hiring_unit_name = models.CharField(_("招录机关"), max_length=100)
    unit = models.ForeignKey(
        "personnel.Unit",
        verbose_name=_("招录单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exam_positions",
    )
    bureau = models.CharField(_("用人司局/处室"), max_length=100, blank=True)
    title = models.CharField(_("招考职位"), max_length=100)
    description = models.TextField(_("职位简介"), blank=True)
    area = models.ForeignKey(
        ExamArea, verbose_name=_("考区"), null=True, blank=True, on_delete=models.PROTECT
    )
    plan_count = models.PositiveSmallIntegerField(_("招考人数"))
    original_plan_count = models.PositiveSmallIntegerField(_("原招考人数"))
    # Eligibility (structured). Empty education_levels = 不限.
    education_levels = models.JSONField(_("学历(允许集合)"), default=list, blank=True)
    degree_rule = models.CharField(
        _("学位"), max_length=12, choices=DegreeRule.choices, default=DegreeRule.NONE
    )
    major_codes = models.JSONField(_("专业代码(2/4/6位前缀)"), default=list, blank=True)
    major_names = models.JSONField(_("专业名称"), default=list, blank=True)
    political_rule = models.CharField(
        _("政治面貌"), max_length=20, choices=PoliticalRule.choices, default=PoliticalRule.ANY
    )
    min_grassroots_years = models.PositiveSmallIntegerField(_("基层工作最低年限"), default=0)
    born_from = models.DateField(_("出生日期不早于"), null=True, blank=True)
    born_to = models.DateField(_("出生日期不晚于"), null=True, blank=True)
    sex = models.CharField(
        _("性别"), max_length=1, blank=True, choices=[("1", _("限男性")), ("2", _("限女性"))]
    )
    fresh_graduate_only = models.BooleanField(_("限应届毕业生"), default=False)
    conditions = models.TextField(_("其他条件(备注，人工审核)"), blank=True)
    special_ratio = models.BooleanField(
        _("特殊职位(适用特殊开考比例)"), default=False, help_text=_("艰苦边远、村社区干部等")
    )
    interview_ratio = models.PositiveSmallIntegerField(_("面试人员比例"), default=3)
    subjects = models.ManyToManyField(Subject, verbose_name=_("考试科目"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=PositionStatus.choices, default=PositionStatus.OPEN
    )
    work_place = models.CharField(_("工作地点"), max_length=100, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    raw = models.JSONField(_("职位表原始行"), default=dict, blank=True)

    class Meta:
        verbose_name = _("职位")
        verbose_name_plural = _("职位")
        ordering = ["exam_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "code"], name="position_exam_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.hiring_unit_name} {self.title}"

    @property
    def open_ratio(self) -> int:
        return self.exam.ratio_special if self.special_ratio else self.exam.ratio_default

    def fee_subjects(self):
        """The subjects this position sits (all of the exam's when none are listed)."""
        chosen = list(self.subjects.all())
        return chosen or list(self.exam.subjects.all())

    def fee(self) -> Decimal:
        return sum((s.fee for s in self.fee_subjects()), Decimal("0"))


class Candidate(models.Model):
    """A candidate's account and reusable profile (one per ID number)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidate"
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number_cipher = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("公民身份号码"), max_length=18, editable=False)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=1)
    phone_cipher = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=64, db_index=True, editable=False)
    phone_masked = models.CharField(_("手机号码"), max_length=11, editable=False)
    phone_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    # Profile reused across exams.
    political_status = models.CharField(_("政治面貌"), max_length=4, blank=True)
    fresh_graduate = models.BooleanField(_("应届毕业生"), default=False)
    household = models.CharField(_("户籍所在地"), max_length=100, blank=True)
    photo = models.ImageField(_("照片"), upload_to="candidates/photos/", blank=True)
    photo_checked_at = models.DateTimeField(_("照片检查时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("注册时间"), default=timezone.now)
    suspended = models.BooleanField(
        _("已冻结"), default=False, help_text=_("身份号码被申诉找回后冻结原账号")
    )
    # The education rows as JSON (exams.education_copy), rewritten with them under the
    # candidate's lock: a submission checks eligibility without reading the rows. NULL: no
    # copy (rows written by a bulk loader) — the rows are read.
    educations_copy = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("考生")
        verbose_name_plural = _("考生")

    def __str__(self):
        return self.name

    @property
    def masked_id(self) -> str:
        return self.id_number_masked or mask_id("")


class Education(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="educations")
    level = models.CharField(_("学历"), max_length=4, help_text=_("GB/T 4658"))
    degree = models.CharField(_("学位"), max_length=12, blank=True, choices=DegreeRule.choices)
    school = models.CharField(_("毕业院校"), max_length=100)
    major_code = models.CharField(_("专业代码"), max_length=10, blank=True)
    major_name = models.CharField(_("专业名称"), max_length=100)
    started_on = models.DateField(_("入学时间"), null=True, blank=True)
    graduated_on = models.DateField(_("毕业时间"), null=True, blank=True)
    full_time = models.BooleanField(_("全日制"), default=True)

    class Meta:
        verbose_name = _("学历经历")
        verbose_name_plural = _("学历经历")
        ordering = ["candidate_id", "-graduated_on", "-id"]

    def __str__(self):
        return f"{self.school} {self.major_name}"


class WorkExperience(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="works")
    employer = models.CharField(_("工作单位"), max_length=100)
    post = models.CharField(_("职务/岗位"), max_length=60, blank=True)
    started_on = models.DateField(_("开始时间"))
    ended_on = models.DateField(_("结束时间"), null=True, blank=True)
    grassroots = models.BooleanField(_("基层工作经历"), default=False)

    class Meta:
        verbose_name = _("工作经历")
        verbose_name_plural = _("工作经历")
        ordering = ["candidate_id", "-started_on", "-id"]

    def __str__(self):
        return self.employer

    def days(self, until: datetime.date) -> int:
        end = min(self.ended_on or until, until)
        return max(0, (end - self.started_on).days)


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核不通过")
    WITHDRAWN = "withdrawn", _("已撤销")
    CANCELLED = "cancelled", _("职位取消")


ACTIVE_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED)


class FeeStatus(models.TextChoices):
    UNPAID = "unpaid", _("未缴费")
    PAID = "paid", _("已缴费")
    WAIVED = "waived", _("已减免")
    REFUNDED = "refunded", _("已退费")


class RejectReason(models.TextChoices):
    EDUCATION = "E01", _("学历不符合职位要求")
    DEGREE = "E02", _("学位不符合职位要求")
    MAJOR = "E03", _("专业不符合职位要求")
    AGE = "E04", _("年龄不符合职位要求")
    POLITICAL = "E05", _("政治面貌不符合职位要求")
    GRASSROOTS = "E06", _("基层工作经历不符合要求")
    PHOTO = "E07", _("照片不合格")
    CONDITIONS = "E08", _("不符合职位其他条件")
    FALSE_INFO = "E09", _("填报信息不实或不完整")
    OTHER = "E99", _("其他")


class Application(models.Model):
    """报名: exactly one per candidate per exam. The position may change while unreviewed
    or rejected; approval freezes it. `version` increases on every change so a reviewer's
    decision can name the exact state it saw."""

    # Indexes: (exam, candidate) is unique and (position, status) indexed, which serve the
    # lookups by exam and by position; none on decided_by either (fewer index writes per
    # submission during the surge).
    exam = models.ForeignKey(
        Exam, on_delete=models.PROTECT, related_name="applications", db_index=False
    )
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="applications", db_index=False
    )
    area = models.ForeignKey(  # indexed: the seat draw reads an exam area's applications
        ExamArea, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("审核状态"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    fee_status = models.CharField(
        _("缴费状态"), max_length=10, choices=FeeStatus.choices, default=FeeStatus.UNPAID
    )
    fee_amount = models.DecimalField(
        _("已缴金额"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    paid_at = models.DateTimeField(_("缴费时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    checks = models.JSONField(_("资格预检结果"), default=list, blank=True)
    declared = models.BooleanField(_("承诺符合其他条件"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    reason_code = models.CharField(
        _("不通过原因"), max_length=4, blank=True, choices=RejectReason.choices
    )
    reason_text = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            models.UniqueConstraint(fields=["exam", "candidate"], name="one_application_per_exam"),
        ]
        indexes = [models.Index(fields=["position", "status"], name="application_pos_status")]

    def __str__(self):
        return f"{self.candidate} → {self.position.code}"

    @property
    def payer_ref(self) -> str:
        """How the payments app names this application (payments never imports exams)."""
        return f"exams.application:{self.pk}"

    @property
    def frozen(self) -> bool:
        return self.status == ApplicationStatus.APPROVED


EVENT_LABELS = {
    "submitted": "提交报名",
    "changed": "改报职位",
    "approved": "资格审查通过",
    "rejected": "资格审查未通过",
    "withdrawn": "撤销报名",
    "expired": "逾期未缴费",
    "paid": "缴费成功",
    "refund_requested": "申请退费",
    "refunded": "已退费",
    "cancelled": "职位取消",
    "waiver_submitted": "申请减免考务费",
    "waiver_approved": "减免已批准",
    "waiver_rejected": "减免未批准",
}


class ApplicationEvent(models.Model):
    """The candidate's status timeline (every stage, in order)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(_("事件"), max_length=24)
    # Read through the application only: no index on position or actor (append-only, hot).
    position = models.ForeignKey(
        Position, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    text = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["application_id", "at", "id"]

    def __str__(self):
        return self.kind

    def get_kind_label(self) -> str:
        return EVENT_LABELS.get(self.kind, self.kind)


class WaiverKind(models.TextChoices):
    MINIMUM_LIVING = "dibao", _("城乡最低生活保障家庭")
    POVERTY = "poverty", _("建档立卡贫困家庭")


class WaiverStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class FeeWaiver(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="waiver")
    kind = models.CharField(_("减免类型"), max_length=10, choices=WaiverKind.choices)
    proof = models.FileField(_("证明材料"), upload_to="candidates/waivers/")
    status = models.CharField(
        _("状态"), max_length=10, choices=WaiverStatus.choices, default=WaiverStatus.PENDING
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("审核意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("费用减免申请")
        verbose_name_plural = _("费用减免申请")

    def __str__(self):
        return self.get_kind_display()


class ReclaimStatus(models.TextChoices):
    PENDING = "pending", _("待核验")
    GRANTED = "granted", _("已找回")
    REFUSED = "refused", _("不予找回")


class IdReclaim(models.Model):
    """Someone finds their ID number already registered: the bureau verifies and reassigns."""

    id_number_cipher = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    id_number_masked = models.CharField(_("公民身份号码"), max_length=18, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    phone_cipher = models.TextField(editable=False)
    phone_masked = models.CharField(_("手机号码"), max_length=11, editable=False)
    proof = models.FileField(_("身份证明"), upload_to="candidates/reclaims/")
    statement = models.TextField(_("情况说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReclaimStatus.choices, default=ReclaimStatus.PENDING
    )
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("处理意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("身份号码找回申请")
        verbose_name_plural = _("身份号码找回申请")
        ordering = ["-created_at"]

    def __str__(self):
        return self.tracking_code
