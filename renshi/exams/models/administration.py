"""Exam administration (考务): sites and rooms, seats and tickets, proctors, the day's incidents,
written scores and reviews, the interview shortlist, examiner panels and their scores, composite
ranking, physical examination, inspection and the proposed-hire notice.

Every random draw is a `Draw` row: its seed, a digest of its inputs and of its result, so
`manage.py verify_draw` can reproduce it later and show it is the same."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renshi.exams.models.registration import Application, Exam, ExamArea, Position, Subject


class DrawKind(models.TextChoices):
    SEATS = "seats", _("考场座位编排")
    PROCTORS = "proctors", _("监考人员抽签")
    EXAMINERS = "examiners", _("面试考官抽签")
    INTERVIEW_ORDER = "interview_order", _("面试顺序抽签")


class Draw(models.Model):
    """One random draw, recorded so that it can be reproduced and checked afterwards."""

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="draws")
    kind = models.CharField(_("类型"), max_length=20, choices=DrawKind.choices)
    scope = models.CharField(_("范围"), max_length=100, blank=True, help_text=_("场次、面试组等"))
    seed = models.CharField(_("随机种子"), max_length=64)
    witnesses = models.CharField(_("监督人"), max_length=200, blank=True)
    input_digest = models.CharField(_("输入摘要(SHA-256)"), max_length=64)
    result_digest = models.CharField(_("结果摘要(SHA-256)"), max_length=64)
    summary = models.JSONField(_("结果概要"), default=dict, blank=True)
    drawn_at = models.DateTimeField(_("抽签时间"), default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded = models.BooleanField(_("已被重新编排取代"), default=False)

    class Meta:
        verbose_name = _("抽签记录")
        verbose_name_plural = _("抽签记录")
        ordering = ["-drawn_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.scope} {self.seed}"


class ExamSession(models.Model):
    """场次: one sitting (e.g. 上午 行测, 下午 申论) with the subjects written in it."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="sessions")
    code = models.CharField(_("场次代码"), max_length=4)
    name = models.CharField(_("场次"), max_length=40)
    subjects = models.ManyToManyField(Subject, verbose_name=_("科目"), related_name="sessions")
    starts_at = models.DateTimeField(_("开考时间"))
    ends_at = models.DateTimeField(_("结束时间"))

    class Meta:
        verbose_name = _("考试场次")
        verbose_name_plural = _("考试场次")
        ordering = ["exam_id", "starts_at", "code"]
        constraints = [models.UniqueConstraint(fields=["exam", "code"], name="session_exam_code")]

    def __str__(self):
        return self.name


class ExamSite(models.Model):
    """考点, usually a school; its rooms (考场) hold 30 by default."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="sites")
    area = models.ForeignKey(ExamArea, on_delete=models.PROTECT, related_name="sites")
    code = models.CharField(_("考点代码"), max_length=2)
    name = models.CharField(_("考点名称"), max_length=100)
    school = models.CharField(_("所在学校"), max_length=100, help_text=_("监考人员不得来自本校"))
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("考点")
        verbose_name_plural = _("考点")
        ordering = ["exam_id", "area_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "area", "code"], name="site_exam_area_code")
        ]

    def __str__(self):
        return self.name


class ExamRoom(models.Model):
    site = models.ForeignKey(ExamSite, on_delete=models.CASCADE, related_name="rooms")
    code = models.CharField(_("考场号"), max_length=2, help_text=_("01–99"))
    name = models.CharField(_("位置"), max_length=60, blank=True)
    capacity = models.PositiveSmallIntegerField(_("座位数"), default=30)

    class Meta:
        verbose_name = _("考场")
        verbose_name_plural = _("考场")
        ordering = ["site_id", "code"]
        constraints = [models.UniqueConstraint(fields=["site", "code"], name="room_site_code")]

    def __str__(self):
        return f"{self.site.name} 第{self.code}考场"


class Seat(models.Model):
    """A paid application's room and seat, with its ticket number
    (exam code + area + site + room + seat, zero-padded)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="seat")
    room = models.ForeignKey(ExamRoom, on_delete=models.PROTECT, related_name="seats")
    number = models.PositiveSmallIntegerField(_("座位号"))
    ticket_number = models.CharField(_("准考证号"), max_length=20, unique=True)
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="seats")

    class Meta:
        verbose_name = _("座位")
        verbose_name_plural = _("座位")
        constraints = [models.UniqueConstraint(fields=["room", "number"], name="seat_room_number")]

    def __str__(self):
        return self.ticket_number


class TicketBatch(models.Model):
    """The whole exam's admission tickets generated in the background, with progress."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="ticket_batches")
    status = models.CharField(
        _("状态"),
        max_length=10,
        default="queued",
        choices=[
            ("queued", _("排队中")),
            ("running", _("生成中")),
            ("done", _("已完成")),
            ("failed", _("失败")),
        ],
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exams/tickets/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("准考证批量生成")
        verbose_name_plural = _("准考证批量生成")

    def __str__(self):
        return f"{self.exam} {self.done}/{self.total}"


class Proctor(models.Model):
    """A teacher in the proctor pool (监考人员库)."""

    name = models.CharField(_("姓名"), max_length=50)
    school = models.CharField(_("所在学校"), max_length=100)
    phone_masked = models.CharField(_("手机号码"), max_length=11, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proctor",
        help_text=_("登录后查看本人监考安排"),
    )
    active = models.BooleanField(_("可用"), default=True)

    class Meta:
        verbose_name = _("监考人员")
        verbose_name_plural = _("监考人员")
        ordering = ["school", "name", "id"]

    def __str__(self):
        return f"{self.name}（{self.school}）"


class ProctorRelative(models.Model):
    """A candidate a proctor declared as a relative (回避): never at the site where they sit."""

    proctor = models.ForeignKey(Proctor, on_delete=models.CASCADE, related_name="relatives")
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    name = models.CharField(_("亲属姓名"), max_length=50)
    relation = models.CharField(_("关系"), max_length=20)

    class Meta:
        verbose_name = _("监考回避亲属")
        verbose_name_plural = _("监考回避亲属")

    def __str__(self):
        return f"{self.proctor.name}—{self.name}"


class ProctorAssignment(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="proctor_assignments")
    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="proctors")
    room = models.ForeignKey(ExamRoom, on_delete=models.CASCADE, related_name="proctors")
    proctor = models.ForeignKey(Proctor, on_delete=models.PROTECT, related_name="assignments")
    position = models.PositiveSmallIntegerField(_("序号"), help_text=_("1 主监考，2 副监考"))

    class Meta:
        verbose_name = _("监考安排")
        verbose_name_plural = _("监考安排")
        constraints = [
            models.UniqueConstraint(fields=["draw", "session", "proctor"], name="proctor_once"),
            models.UniqueConstraint(
                fields=["draw", "session", "room", "position"], name="proctor_room_slot"
            ),
        ]

    def __str__(self):
        return f"{self.session} {self.room} {self.proctor}"


class IncidentKind(models.TextChoices):
    ABSENT = "absent", _("缺考")
    VIOLATION = "violation", _("违纪")


class Incident(models.Model):
    """On the day: an absence or a rule violation (违纪) with its handling decision."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="incidents")
    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(_("类型"), max_length=10, choices=IncidentKind.choices)
    description = models.TextField(_("情况"), blank=True)
    decision = models.CharField(_("处理决定"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("考场记录")
        verbose_name_plural = _("考场记录")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "session", "kind"], name="incident_once_per_session"
            )
        ]

    def __str__(self):
        return self.get_kind_display()


class ScoringRules(models.Model):
    """An exam's scoring rules: subject weights, lines, ratios, composite weights, tie-breaks."""

    exam = models.OneToOneField(Exam, on_delete=models.CASCADE, related_name="scoring")
    # {"01": "0.5", "02": "0.5"}: written = Σ subject score × weight.
    subject_weights = models.JSONField(_("笔试科目权重"), default=dict)
    min_written = models.DecimalField(
        _("笔试最低合格分数线"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    # {"01": "60"}: a subject line on top of the total (e.g. 行测≥60).
    min_subject = models.JSONField(_("单科最低分数线"), default=dict, blank=True)
    written_weight = models.DecimalField(
        _("综合成绩中笔试权重"), max_digits=4, decimal_places=2, default=Decimal("0.5")
    )
    interview_weight = models.DecimalField(
        _("综合成绩中面试权重"), max_digits=4, decimal_places=2, default=Decimal("0.5")
    )
    interview_ratio = models.PositiveSmallIntegerField(_("面试比例(1:N)"), default=3)
    interview_pass = models.DecimalField(
        _("面试合格分数线"), max_digits=5, decimal_places=2, default=Decimal("60")
    )
    interview_pass_no_competition = models.DecimalField(
        _("无竞争面试合格线"), max_digits=5, decimal_places=2, default=Decimal("70")
    )
    panel_size = models.PositiveSmallIntegerField(_("每组考官人数"), default=7)
    panel_out_of_town = models.PositiveSmallIntegerField(_("异地考官最少人数"), default=2)
    # e.g. ["composite", "written", "subject:01", "interview"]
    tie_break = models.JSONField(_("同分排序规则"), default=list, blank=True)
    scores_published_at = models.DateTimeField(_("笔试成绩发布时间"), null=True, blank=True)
    review_closes = models.DateTimeField(_("成绩复核申请截止"), null=True, blank=True)
    max_replacements = models.PositiveSmallIntegerField(_("体检递补最多次数"), default=2)

    class Meta:
        verbose_name = _("成绩规则")
        verbose_name_plural = _("成绩规则")

    def __str__(self):
        return f"{self.exam} 成绩规则"


class SubjectScore(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="subject_scores"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("成绩"), max_digits=6, decimal_places=2)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("科目成绩")
        verbose_name_plural = _("科目成绩")
        constraints = [
            models.UniqueConstraint(fields=["application", "subject"], name="one_score_per_subject")
        ]

    def __str__(self):
        return f"{self.subject} {self.score}"


class Result(models.Model):
    """An application's scores and ranks, computed by the scoring services."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="result")
    written = models.DecimalField(_("笔试成绩"), max_digits=6, decimal_places=2, null=True)
    written_passed = models.BooleanField(_("达到笔试分数线"), default=False)
    written_rank = models.PositiveIntegerField(_("笔试职位排名"), null=True)
    interview = models.DecimalField(_("面试成绩"), max_digits=6, decimal_places=2, null=True)
    interview_passed = models.BooleanField(_("面试合格"), default=False)
    composite = models.DecimalField(_("综合成绩"), max_digits=6, decimal_places=2, null=True)
    composite_rank = models.PositiveIntegerField(_("综合排名"), null=True)

    class Meta:
        verbose_name = _("成绩")
        verbose_name_plural = _("成绩")

    def __str__(self):
        return f"{self.application_id} {self.written}"


class ReviewRequestStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    UNCHANGED = "unchanged", _("复核无误")
    CORRECTED = "corrected", _("成绩已更正")


class ScoreReviewRequest(models.Model):
    """成绩复核: once per subject, within the window; the outcome is recorded."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="score_reviews"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("申请理由"), max_length=300)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ReviewRequestStatus.choices,
        default=ReviewRequestStatus.PENDING,
    )
    old_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    new_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("复核说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("成绩复核申请")
        verbose_name_plural = _("成绩复核申请")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "subject"], name="one_review_per_subject"
            )
        ]

    def __str__(self):
        return f"{self.application_id} {self.subject}"


class ShortlistStatus(models.TextChoices):
    INVITED = "invited", _("进入面试")
    WITHDRAWN = "withdrawn", _("放弃")
    DISQUALIFIED = "disqualified", _("资格复审不合格")
    QUALIFIED = "qualified", _("资格复审合格")


class ShortlistEntry(models.Model):
    """面试名单: by written rank at the exam's ratio, ties at the cut-off included; replacements
    (递补) from the next in rank carry `replaces` and a reason."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="shortlist")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="shortlist_entry"
    )
    written_rank = models.PositiveIntegerField(_("笔试排名"))
    status = models.CharField(
        _("状态"), max_length=14, choices=ShortlistStatus.choices, default=ShortlistStatus.INVITED
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("面试名单")
        verbose_name_plural = _("面试名单")
        ordering = ["position_id", "written_rank", "id"]

    def __str__(self):
        return f"{self.position.code} #{self.written_rank}"


class Examiner(models.Model):
    """面试考官库: certificate level, unit, city."""

    name = models.CharField(_("姓名"), max_length=50)
    certificate_level = models.PositiveSmallIntegerField(_("考官资格等级"), default=3)
    unit_name = models.CharField(_("工作单位"), max_length=100)
    unit = models.ForeignKey(
        "personnel.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    city = models.CharField(_("所在城市"), max_length=20)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="examiner",
    )
    active = models.BooleanField(_("可用"), default=True)

    class Meta:
        verbose_name = _("面试考官")
        verbose_name_plural = _("面试考官")
        ordering = ["city", "unit_name", "name", "id"]

    def __str__(self):
        return f"{self.name}（{self.city}·{self.unit_name}）"


class InterviewPanel(models.Model):
    """面试考官组 for one day: members drawn with a recorded seed; positions it interviews."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="panels")
    code = models.CharField(_("考官组"), max_length=4)
    room = models.CharField(_("面试室"), max_length=60, blank=True)
    date = models.DateField(_("面试日期"))
    positions = models.ManyToManyField(Position, verbose_name=_("面试职位"), related_name="panels")
    draw = models.ForeignKey(
        Draw, null=True, blank=True, on_delete=models.PROTECT, related_name="panels"
    )
    order_draw = models.ForeignKey(
        Draw, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("面试考官组")
        verbose_name_plural = _("面试考官组")
        ordering = ["exam_id", "date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "date", "code"], name="panel_exam_day_code")
        ]

    def __str__(self):
        return f"第{self.code}考官组"


class PanelMember(models.Model):
    panel = models.ForeignKey(InterviewPanel, on_delete=models.CASCADE, related_name="members")
    examiner = models.ForeignKey(Examiner, on_delete=models.PROTECT, related_name="panel_seats")
    chief = models.BooleanField(_("主考官"), default=False)

    class Meta:
        verbose_name = _("考官组成员")
        verbose_name_plural = _("考官组成员")
        constraints = [
            models.UniqueConstraint(fields=["panel", "examiner"], name="member_once"),
        ]

    def __str__(self):
        return str(self.examiner)


class InterviewSlot(models.Model):
    """A shortlisted candidate's place in a panel's order (drawn by lot)."""

    panel = models.ForeignKey(InterviewPanel, on_delete=models.CASCADE, related_name="slots")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="interview_slot"
    )
    order = models.PositiveSmallIntegerField(_("面试顺序号"))
    absent = models.BooleanField(_("缺考"), default=False)

    class Meta:
        verbose_name = _("面试顺序")
        verbose_name_plural = _("面试顺序")
        ordering = ["panel_id", "order"]
        constraints = [models.UniqueConstraint(fields=["panel", "order"], name="slot_order")]

    def __str__(self):
        return f"{self.panel} {self.order}号"


class ExaminerScore(models.Model):
    """One examiner's score for one candidate: entered alone, never changed (append-only)."""

    slot = models.ForeignKey(InterviewSlot, on_delete=models.PROTECT, related_name="scores")
    examiner = models.ForeignKey(Examiner, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(_("评分"), max_digits=5, decimal_places=2)
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("考官评分")
        verbose_name_plural = _("考官评分")
        constraints = [
            models.UniqueConstraint(fields=["slot", "examiner"], name="one_score_per_examiner")
        ]

    def __str__(self):
        return f"{self.examiner} {self.score}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionDenied("考官评分提交后不可修改")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("考官评分不可删除")


class CheckOutcome(models.TextChoices):
    PENDING = "pending", _("待定")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")
    WAIVED = "waived", _("放弃")


class HireStep(models.Model):
    """体检 and 考察 for a candidate called 1:1 by composite rank (with at most two replacements
    per position for the physical examination)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="hire_step"
    )
    called_round = models.PositiveSmallIntegerField(_("递补轮次"), default=0)
    physical = models.CharField(
        _("体检"), max_length=10, choices=CheckOutcome.choices, default=CheckOutcome.PENDING
    )
    inspection = models.CharField(
        _("考察"), max_length=10, choices=CheckOutcome.choices, default=CheckOutcome.PENDING
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("体检与考察")
        verbose_name_plural = _("体检与考察")

    def __str__(self):
        return f"{self.application_id} {self.physical}/{self.inspection}"


class HireNoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("公示中")
    FINAL = "final", _("已确定")


class HireNotice(models.Model):
    """拟录用公示: ≥5 working days (civil service) or 7 (public institutions), objections kept."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="hire_notices")
    title = models.CharField(_("标题"), max_length=200)
    entries = models.ManyToManyField(Application, verbose_name=_("拟录用人员"), related_name="+")
    status = models.CharField(
        _("状态"), max_length=10, choices=HireNoticeStatus.choices, default=HireNoticeStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    ends_on = models.DateField(_("公示截止日"), null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("拟录用公示")
        verbose_name_plural = _("拟录用公示")

    def __str__(self):
        return self.title


class Objection(models.Model):
    notice = models.ForeignKey(HireNotice, on_delete=models.CASCADE, related_name="objections")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("异议内容"))
    contact = models.CharField(_("联系方式"), max_length=60)
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(_("核查结果"), max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")

    def __str__(self):
        return self.text[:30]
