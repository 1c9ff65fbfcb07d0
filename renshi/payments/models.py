"""Fee orders, the notification log, refunds and reconciliation — plus the simulated gateway's
own books (Sim*), which stand in for the provider's side in the demo and the tests."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    ALIPAY = "alipay", _("支付宝")
    WECHAT = "wechat", _("微信支付")


class OrderStatus(models.TextChoices):
    CREATED = "created", _("待支付")
    PAYING = "paying", _("支付中")
    PAID = "paid", _("已支付")
    CLOSED = "closed", _("已关闭")
    REFUNDING = "refunding", _("退款中")
    REFUNDED = "refunded", _("已退款")


OPEN_STATUSES = (OrderStatus.CREATED, OrderStatus.PAYING)
# Money was taken for these (a refund may be under way or done).
CHARGED_STATUSES = (OrderStatus.PAID, OrderStatus.REFUNDING, OrderStatus.REFUNDED)


class PaidVia(models.TextChoices):
    NOTIFICATION = "notification", _("异步通知")
    QUERY = "query", _("主动查询")
    RECONCILIATION = "reconciliation", _("对账补单")


class FeeOrder(models.Model):
    """订单: one attempt to pay a payer's fee through one channel."""

    out_trade_no = models.CharField(_("商户订单号"), max_length=32, unique=True)
    payer_ref = models.CharField(_("缴费对象"), max_length=100, db_index=True)
    channel = models.CharField(_("支付渠道"), max_length=10, choices=Channel.choices)
    amount = models.DecimalField(_("金额(元)"), max_digits=10, decimal_places=2)
    subject = models.CharField(_("订单标题"), max_length=128)
    status = models.CharField(
        _("状态"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.CREATED
    )
    gateway_trade_no = models.CharField(_("渠道交易号"), max_length=64, blank=True)
    paid_via = models.CharField(_("到账方式"), max_length=16, choices=PaidVia.choices, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("支付截止"))
    paid_at = models.DateTimeField(_("支付时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("缴费订单")
        verbose_name_plural = _("缴费订单")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open order per payer: a second click can never leave two payable orders.
            models.UniqueConstraint(
                fields=["payer_ref"],
                condition=Q(status__in=["created", "paying"]),
                name="payments_one_open_order_per_payer",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_order_amount_gt_0"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="payments_order_status_created"),
            models.Index(fields=["channel", "paid_at"], name="payments_order_channel_paid"),
        ]

    def __str__(self):
        return f"{self.out_trade_no}（{self.get_channel_display()} ¥{self.amount}）"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def amount_fen(self) -> int:
        return int(self.amount * 100)


class AppendOnly(models.Model):
    """Rows that are written once and never changed (the history of what arrived)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name} 只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self._meta.verbose_name} 只能追加，不能删除")


class NotificationOutcome(models.TextChoices):
    APPLIED = "applied", _("已入账")
    DUPLICATE = "duplicate", _("重复通知")
    IGNORED = "ignored", _("无需处理")
    REFUND_UPDATED = "refund", _("退款状态更新")
    REJECTED_SIGNATURE = "bad_sign", _("验签失败")
    REJECTED_REPLAY = "replay", _("时间戳超窗(重放)")
    REJECTED_APP = "bad_app", _("应用ID不符")
    REJECTED_MERCHANT = "bad_mch", _("商户号不符")
    REJECTED_AMOUNT = "bad_amount", _("金额不符")
    UNKNOWN_ORDER = "unknown", _("订单不存在")
    ERROR = "error", _("处理出错")


class PaymentNotification(AppendOnly):
    """异步通知: every notification that reached us, verified or not, and what we did with it."""

    channel = models.CharField(_("支付渠道"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now, db_index=True)
    notify_id = models.CharField(_("通知ID"), max_length=64, blank=True)
    event = models.CharField(_("通知类型"), max_length=40, blank=True)
    out_trade_no = models.CharField(_("商户订单号"), max_length=64, blank=True, db_index=True)
    verified = models.BooleanField(_("验签通过"), default=False)
    outcome = models.CharField(_("处理结果"), max_length=12, choices=NotificationOutcome.choices)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    headers = models.JSONField(_("请求头"), default=dict, blank=True)
    body = models.TextField(_("原文"), blank=True)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    order = models.ForeignKey(
        FeeOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )

    class Meta:
        verbose_name = _("支付通知")
        verbose_name_plural = _("支付通知")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.get_channel_display()} {self.out_trade_no} {self.get_outcome_display()}"


class RefundReason(models.TextChoices):
    DUPLICATE = "duplicate", _("重复缴费")
    CANCELLED_POSITION = "cancelled_position", _("职位取消")
    MANUAL = "manual", _("人工退费")
    RECONCILIATION = "reconciliation", _("对账差错")


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("退款中")
    SUCCEEDED = "succeeded", _("已退款")
    FAILED = "failed", _("退款失败")


class Refund(models.Model):
    """退费: followed until the provider says it succeeded or failed."""

    order = models.ForeignKey(FeeOrder, on_delete=models.PROTECT, related_name="refunds")
    out_refund_no = models.CharField(_("退款单号"), max_length=64, unique=True)
    amount = models.DecimalField(_("退款金额(元)"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("退款原因"), max_length=20, choices=RefundReason.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    gateway_refund_id = models.CharField(_("渠道退款号"), max_length=64, blank=True)
    failure = models.CharField(_("失败原因"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("提交次数"), default=0)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交渠道时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("退费")
        verbose_name_plural = _("退费")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_refund_amount_gt_0"),
        ]

    def __str__(self):
        return f"{self.out_refund_no}（¥{self.amount} {self.get_status_display()}）"


class BillSource(models.TextChoices):
    DOWNLOAD = "download", _("渠道下载")
    UPLOAD = "upload", _("人工上传")


class ReconciliationRun(models.Model):
    """对账: one bill file of one channel for one day, compared with our orders and refunds."""

    bill_date = models.DateField(_("账单日期"))
    channel = models.CharField(_("支付渠道"), max_length=10, choices=Channel.choices)
    source = models.CharField(_("账单来源"), max_length=10, choices=BillSource.choices)
    bill_file = models.FileField(_("对账单"), upload_to="payments/bills/%Y/")
    bill_trades = models.PositiveIntegerField(_("账单交易笔数"), default=0)
    bill_refunds = models.PositiveIntegerField(_("账单退款笔数"), default=0)
    bill_total = models.DecimalField(
        _("账单净额(元)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    matched = models.PositiveIntegerField(_("一致笔数"), default=0)
    discrepancy_count = models.PositiveIntegerField(_("差错笔数"), default=0)
    created_at = models.DateTimeField(_("对账时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("对账批次")
        verbose_name_plural = _("对账批次")
        ordering = ["-bill_date", "-id"]

    def __str__(self):
        return f"{self.bill_date} {self.get_channel_display()}对账"


class DiscrepancyKind(models.TextChoices):
    CHARGED_UNPAID = "charged_unpaid", _("已扣款未到账")
    PAID_TWICE = "paid_twice", _("重复缴费")
    AMOUNT_MISMATCH = "amount_mismatch", _("金额不符")
    UNKNOWN_ORDER = "unknown_order", _("未知订单")
    REFUND_MISMATCH = "refund_mismatch", _("退款不符")
    MISSING_IN_BILL = "missing_in_bill", _("账单缺失")


class Resolution(models.TextChoices):
    OPEN = "", _("待处理")
    APPLIED = "applied", _("已补记到账")
    REFUNDED = "refunded", _("已发起退款")
    NOTED = "noted", _("已核实说明")


class Discrepancy(models.Model):
    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("差错类型"), max_length=20, choices=DiscrepancyKind.choices)
    order = models.ForeignKey(
        FeeOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="discrepancies"
    )
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="discrepancies"
    )
    out_trade_no = models.CharField(_("商户订单号"), max_length=64, blank=True)
    out_refund_no = models.CharField(_("退款单号"), max_length=64, blank=True)
    gateway_trade_no = models.CharField(_("渠道交易号"), max_length=64, blank=True)
    bill_amount = models.DecimalField(
        _("账单金额"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    our_amount = models.DecimalField(
        _("系统金额"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    details = models.CharField(_("说明"), max_length=300)
    resolution = models.CharField(
        _("处理"), max_length=10, choices=Resolution.choices, default=Resolution.OPEN, blank=True
    )
    note = models.CharField(_("处理说明"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("对账差错")
        verbose_name_plural = _("对账差错")
        ordering = ["run_id", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.out_trade_no or self.out_refund_no}"

    @property
    def is_open(self) -> bool:
        return not self.resolution


# --- The simulated gateway's side -----------------------------------------------------------


class SimStatus(models.TextChoices):
    WAITING = "waiting", _("等待付款")
    PAID = "paid", _("支付成功")
    CLOSED = "closed", _("已关闭")


class SimTrade(models.Model):
    """A trade as the simulated provider records it (what its query and bill report)."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    app_id = models.CharField(max_length=32)
    merchant_id = models.CharField(max_length=32)
    out_trade_no = models.CharField(max_length=64)
    trade_no = models.CharField(max_length=64, unique=True)
    subject = models.CharField(max_length=128)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    paid_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=SimStatus.choices, default=SimStatus.WAITING)
    notify_url = models.CharField(max_length=300)
    return_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("模拟渠道交易")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "merchant_id", "out_trade_no"], name="paysim_one_trade_per_no"
            )
        ]

    def __str__(self):
        return f"{self.channel}:{self.out_trade_no}"

    @property
    def refunded(self) -> Decimal:
        return sum((r.amount for r in self.refunds.all()), Decimal("0"))


class SimRefund(models.Model):
    trade = models.ForeignKey(SimTrade, on_delete=models.CASCADE, related_name="refunds")
    out_refund_no = models.CharField(max_length=64)
    refund_id = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("模拟渠道退款")
        constraints = [
            models.UniqueConstraint(fields=["trade", "out_refund_no"], name="paysim_one_refund_no")
        ]

    def __str__(self):
        return self.out_refund_no


class SimNotification(models.Model):
    """A notification the simulated provider sends (and re-sends on its schedule until acked)."""

    trade = models.ForeignKey(SimTrade, on_delete=models.CASCADE, related_name="notifications")
    url = models.CharField(max_length=300)
    headers = models.JSONField(default=dict, blank=True)
    body = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("模拟渠道通知")
        indexes = [models.Index(fields=["delivered_at", "next_attempt_at"], name="paysim_due")]

    def __str__(self):
        return f"{self.trade} → {self.url}"
