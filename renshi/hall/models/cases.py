"""Cases (办件): one application of a unit for one service item, from filing to rating.

The lifecycle is set by law (行政许可法 §32, §42, §45, §82) and is the same for every item:

    received (收件, at the window) ─┬─ supplement (一次性补正告知) ── back to received when supplied
                                    ├─ refused (不予受理, with reasons)
                                    └─ in_progress (受理: the clock starts)
    in_progress ── steps of the item version, one after another (会签 all / 或签 any),
                   returnable to an earlier step; suspended ⇄ in_progress (paused time not
                   counted); extension with approval
               └── concluded (办结, approved or denied) ── delivered (送达) ── rated (好差评)
    anything before concluded ── withdrawn (撤回)

The services in renshi.hall.cases change these rows; every change locks the case row first.
Deadlines are dates in working days (renshi.core.workdays): the start day is not counted.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone

from renshi.core.models import AuditQuerySet


class CaseStatus(models.TextChoices):
    RECEIVED = "received", "待受理"
    SUPPLEMENT = "supplement", "待补正"
    REFUSED = "refused", "不予受理"
    IN_PROGRESS = "in_progress", "办理中"
    SUSPENDED = "suspended", "已中止"
    CONCLUDED = "concluded", "已办结"
    DELIVERED = "delivered", "已送达"
    WITHDRAWN = "withdrawn", "已撤回"


# A case whose clock runs (ticked, counted as open); a suspended case's clock stands still.
RUNNING = (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS)
OPEN_STATUSES = (
    CaseStatus.RECEIVED,
    CaseStatus.SUPPLEMENT,
    CaseStatus.IN_PROGRESS,
    CaseStatus.SUSPENDED,
)
CLOSED_STATUSES = (
    CaseStatus.REFUSED,
    CaseStatus.CONCLUDED,
    CaseStatus.DELIVERED,
    CaseStatus.WITHDRAWN,
)


class Channel(models.TextChoices):
    ONLINE = "online", "网上申报"
    WINDOW = "window", "窗口收件"


class Outcome(models.TextChoices):
    NONE = "", "—"
    APPROVED = "approved", "准予"
    DENIED = "denied", "不予"


class Case(models.Model):
    number = models.CharField("办件编号", max_length=32, unique=True)
    check_code = models.CharField("查询码", max_length=8)
    item = models.ForeignKey("hall.ServiceItem", on_delete=models.PROTECT, related_name="cases")
    # The version the case started on; a later version never changes a running case.
    version = models.ForeignKey("hall.ItemVersion", on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(
        "personnel.Unit", verbose_name="申请单位", on_delete=models.PROTECT, related_name="cases"
    )
    applicant_name = models.CharField("经办人", max_length=50)
    applicant_phone = models.CharField("联系电话", max_length=20, blank=True)
    subject = models.CharField("事由", max_length=200, blank=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="收件人"
    )
    # What the item's effect needs (e.g. the person transferred in); see renshi.hall.effects.
    form = models.JSONField("申请内容", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    # Index into version.steps of the step now being handled (0 = the window's intake step).
    step_index = models.PositiveSmallIntegerField("当前环节", default=0)
    outcome = models.CharField(
        "办理结果", max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    outcome_note = models.TextField("结果说明", blank=True)
    received_at = models.DateTimeField("收件时间", default=timezone.now)
    supplement_requested = models.BooleanField("已一次性告知补正", default=False)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    # Promised deadline (承诺时限) and legal deadline (法定时限), pauses and extensions included.
    due_date = models.DateField("承诺办结日期", null=True, blank=True)
    legal_due_date = models.DateField("法定办结日期", null=True, blank=True)
    paused_days = models.PositiveIntegerField("中止工作日", default=0)
    extended_days = models.PositiveIntegerField("延期工作日", default=0)
    suspended_on = models.DateField("中止日期", null=True, blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    concluded_workdays = models.PositiveIntegerField("实际用时(工作日)", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    delivery_method = models.CharField("送达方式", max_length=40, blank=True)
    # The establishment reservation a transfer-in or slot-use case holds from acceptance.
    reservation = models.ForeignKey(
        "personnel.SlotReservation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The tick's reminders, each sent once: set by one UPDATE ... WHERE ... IS NULL.
    warned_at = models.DateTimeField("临期提醒时间", null=True, blank=True)
    overdue_at = models.DateTimeField("超期提醒时间", null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "办件"
        verbose_name_plural = "办件"
        indexes = [
            models.Index(fields=["unit", "-received_at"], name="hall_case_unit_idx"),
            # A clerk's list filtered by status, read per unit in received order.
            models.Index(
                fields=["unit", "status", "-received_at", "-id"], name="hall_case_unit_status_idx"
            ),
            models.Index(fields=["status", "due_date"], name="hall_case_status_due_idx"),
            models.Index(fields=["item", "status"], name="hall_case_item_status_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.item.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def step(self, index=None) -> dict | None:
        steps = self.version.steps
        i = self.step_index if index is None else index
        return steps[i] if 0 <= i < len(steps) else None


class TaskStatus(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已办"
    RETURNED = "returned", "已退回"
    CANCELLED = "cancelled", "已取消"


class Decision(models.TextChoices):
    NONE = "", "—"
    APPROVE = "approve", "同意"
    DENY = "deny", "不同意"
    RETURN = "return", "退回"


class CaseTask(models.Model):
    """One person's (or one role's) share of a step (环节任务). A 或签 step has one task for the
    role; a 会签 step has one per member of the role, and is done when all of them are."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    step_index = models.PositiveSmallIntegerField("环节序号")
    step_code = models.CharField("环节编码", max_length=40)
    step_name = models.CharField("环节", max_length=60)
    role = models.CharField("办理角色", max_length=32)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hall_tasks",
        verbose_name="办理人",
    )
    delegated_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="转办人",
    )
    sign_mode = models.CharField("签批方式", max_length=3, default="any")
    status = models.CharField(
        "状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    opened_at = models.DateTimeField("到达时间", default=timezone.now)
    due_date = models.DateField("环节期限", null=True, blank=True)
    done_at = models.DateTimeField("办理时间", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        "意见", max_length=10, choices=Decision.choices, blank=True, default=""
    )
    opinion = models.TextField("办理意见", blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "opened_at", "id"]
        verbose_name = "环节任务"
        indexes = [
            models.Index(
                fields=["role", "due_date"],
                name="hall_task_open_role_idx",
                condition=Q(status="open"),
            ),
            models.Index(
                fields=["assignee", "due_date"],
                name="hall_task_open_assignee_idx",
                condition=Q(status="open"),
            ),
        ]

    def __str__(self):
        return f"{self.case.number} {self.step_name}"


class CaseEventQuerySet(AuditQuerySet):
    """Append-only, like the audit trail: a case's history is never rewritten."""

    def update(self, **kwargs):
        raise PermissionDenied("办件记录不可修改")

    def delete(self):
        raise PermissionDenied("办件记录不可删除")


class CaseEvent(models.Model):
    """One line of a case's history; the public ones make up the progress lookup (进度查询)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField("动作", max_length=40)
    title = models.CharField("事项", max_length=100)
    note = models.TextField("说明", blank=True)
    public = models.BooleanField("公开", default=True)
    payload = models.JSONField(default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "办件记录"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.title}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("办件记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("办件记录不可删除")


class NoticeKind(models.TextChoices):
    SUPPLEMENT = "supplement", "补正材料通知书"
    ACCEPT = "accept", "受理通知书"
    REFUSE = "refuse", "不予受理通知书"
    EXTENSION = "extension", "延长办理期限通知书"
    DECISION = "decision", "办理结果通知书"


class CaseNotice(models.Model):
    """A printable written notice (书面凭证) with its own number; the text never changes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("种类", max_length=12, choices=NoticeKind.choices)
    number = models.CharField("文书编号", max_length=40, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For a supplement notice: every missing item [{name, reason}]; for a refusal: the reasons.
    items = models.JSONField(default=list, blank=True)
    text = models.TextField("正文")

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = "办件文书"

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class CaseMaterial(models.Model):
    """A material of the case: checked at the window, or uploaded by the unit online."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField("材料名称", max_length=100)
    file = models.FileField("文件", upload_to="hall/%Y/%m/", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["name", "uploaded_at"]
        verbose_name = "办件材料"

    def __str__(self):
        return self.name


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class Extension(models.Model):
    """A request to extend the case's time limit (延期), approved by a leader (§42)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField("延长工作日")
    reason = models.TextField("理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        "状态", max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "延期申请"
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="hall_one_pending_extension"
            )
        ]

    def __str__(self):
        return f"延期{self.days}个工作日（{self.get_status_display()}）"


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASIC = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


class Rating(models.Model):
    """The applicant's rating of the service (好差评, 一事一评); a bad one opens a follow-up."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField("评价", choices=RatingLevel.choices)
    comment = models.TextField("评价内容", blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(default=timezone.now)
    # 差评 (不满意 / 非常不满意): rectified and answered within 15 working days (回访).
    follow_up_due = models.DateField("整改期限", null=True, blank=True)
    follow_up_note = models.TextField("整改回访情况", blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "办件评价"

    def __str__(self):
        return self.get_level_display()

    @property
    def is_bad(self) -> bool:
        return self.level <= RatingLevel.DISSATISFIED


class CaseSequence(models.Model):
    """The last case number handed out on a day (locked with SELECT ... FOR UPDATE)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.day} #{self.last}"


class Reminder(models.Model):
    """A reminder the tick sent (临期 / 超期), to a role or a person; shown in their task list."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    task = models.ForeignKey(CaseTask, null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=10)  # "yellow" | "red"
    role = models.CharField(max_length=32, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["role", "-at"], name="hall_reminder_role_idx")]

    def __str__(self):
        return self.text
