"""Fee orders: opening one (closing the old one at the gateway first), pay URLs, active query,
and the paid transition every source of truth (notification, query, bill) goes through."""

import datetime
import logging
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from renshi.core.audit import audit_record, snapshot
from renshi.payments import conf, hooks
from renshi.payments.errors import PaymentError
from renshi.payments.gateways import gateway_for
from renshi.payments.gateways.base import CHINA, TradeState, TradeStatus
from renshi.payments.models import (
    CHARGED_STATUSES,
    OPEN_STATUSES,
    Channel,
    FeeOrder,
    OrderStatus,
    PaidVia,
    RefundReason,
)
from renshi.payments.services.common import ORDER_FIELDS, audit_change, lock_order, notify_url

log = logging.getLogger(__name__)


class AmountMismatch(PaymentError):
    def __init__(self, order, amount):
        super().__init__(
            f"订单{order.out_trade_no}金额为{order.amount}元，渠道报告{amount}元，不予入账",
            code="amount_mismatch",
        )


def _out_trade_no() -> str:
    # 24 characters: fits WeChat's 6–32 and Alipay's 64, sortable by day.
    return f"RS{timezone.now().astimezone(CHINA):%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"


def _clean_amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount))
    except InvalidOperation as e:
        raise PaymentError("金额无效", field="amount") from e
    if value <= 0 or value != value.quantize(Decimal("0.01")):
        raise PaymentError("金额须为大于0、最多两位小数的元数", field="amount")
    return value


def _check_open_args(payer_ref, channel, subject):
    if channel not in Channel.values:
        raise PaymentError(f"支付渠道「{channel}」无效", field="channel")
    if hooks.hooks_for(payer_ref) is None or ":" not in payer_ref:
        raise PaymentError(f"缴费对象「{payer_ref}」未登记", field="payer_ref")
    if not subject.strip():
        raise PaymentError("订单标题不能为空", field="subject")


def order_open(*, payer_ref: str, amount, subject: str, channel: str, actor=None) -> FeeOrder:
    """A new open order for the payer. An open order the payer already has is closed at the
    gateway first; if the gateway says it was paid, that payment is applied and the paid order
    is returned instead (status "paid") — so a second click can never make a second payment."""
    amount = _clean_amount(amount)
    _check_open_args(payer_ref, channel, subject)
    for _ in range(3):
        try:
            with transaction.atomic():
                return _order_open_locked(payer_ref, amount, subject.strip()[:128], channel, actor)
        except IntegrityError:
            # A concurrent click inserted its open order after our lock read (the partial unique
            # index refused ours): go round again — the next pass sees and closes it.
            continue
    raise PaymentError("订单正在创建中，请稍后刷新页面")


def _order_open_locked(payer_ref, amount, subject, channel, actor) -> FeeOrder:
    # Lock every order of the payer: clicks queue here. Then read (and lock) them again: a
    # SELECT … FOR UPDATE that waited re-checks the rows it found but cannot see an order the
    # click before it inserted; a fresh statement does.
    mine = FeeOrder.objects.select_for_update().filter(payer_ref=payer_ref).order_by("pk")
    list(mine.values_list("pk", flat=True))
    orders = list(mine.all())
    if any(o.status == OrderStatus.PAID for o in orders):
        raise PaymentError("已缴费成功，无需再次支付", code="already_paid")
    for old in (o for o in orders if o.status in OPEN_STATUSES):
        state = gateway_for(old.channel).close(old)
        if state.status == TradeStatus.PAID:
            return _apply_locked(old, state, via=PaidVia.QUERY, actor=actor)[0]
        _close_locked(old, actor=actor, note="重新下单前已在支付渠道关闭原订单")
    now = timezone.now()
    order = FeeOrder(
        out_trade_no=_out_trade_no(),
        payer_ref=payer_ref,
        channel=channel,
        amount=amount,
        subject=subject,
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=conf.order_timeout_minutes()),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    order.full_clean(validate_unique=False, validate_constraints=False)
    order.save()
    audit_record(
        actor=actor,
        action="payments.order_open",
        obj=order,
        after=snapshot(order, ["payer_ref", "channel", "amount", "status", "expires_at"]),
    )
    return order


def order_pay_url(order: FeeOrder, *, return_url: str, client_ip: str = "") -> str:
    """Where the payer pays (Alipay wap cashier / WeChat H5 URL); the order becomes "paying"."""
    order = FeeOrder.objects.get(pk=order.pk)
    if not order.is_open:
        raise PaymentError(f"订单{order.get_status_display()}，不能再支付", code="not_open")
    if order.expires_at <= timezone.now():
        raise PaymentError("订单已超过支付时限，请重新下单", code="expired")
    gateway = gateway_for(order.channel)
    kwargs = {"client_ip": client_ip} if order.channel == Channel.WECHAT else {}
    url = gateway.pay_url(
        order, return_url=return_url, notify_url=notify_url(order.channel), **kwargs
    )
    with transaction.atomic():
        if FeeOrder.objects.filter(pk=order.pk, status=OrderStatus.CREATED).update(
            status=OrderStatus.PAYING
        ):
            order.status = OrderStatus.PAYING
            audit_record(
                actor=None,
                action="payments.order_paying",
                obj=order,
                before={"status": OrderStatus.CREATED},
                after={"status": OrderStatus.PAYING},
            )
    return url


def orders_for(payer_ref: str):
    return FeeOrder.objects.filter(payer_ref=payer_ref).prefetch_related("refunds")


def order_current(payer_ref: str) -> FeeOrder | None:
    """The payer's open order, else its paid order, else None."""
    orders = FeeOrder.objects.filter(payer_ref=payer_ref)
    return (
        orders.filter(status__in=OPEN_STATUSES).first()
        or orders.filter(status=OrderStatus.PAID).order_by("-paid_at").first()
    )


def order_query(order: FeeOrder) -> FeeOrder:
    """Ask the gateway (never the browser) and apply what it says: paid, or closed there."""
    state = gateway_for(order.channel).query(order)
    if state.status == TradeStatus.PAID:
        return payment_apply(order=order, state=state, via=PaidVia.QUERY)[0]
    if state.status == TradeStatus.CLOSED:
        return order_close_local(order=order, note="支付渠道已关闭该交易")
    return FeeOrder.objects.get(pk=order.pk)


def order_expire(order: FeeOrder) -> FeeOrder:
    """Past its time limit and not paid: close it at the gateway (which may report it paid)."""
    if order.status == OrderStatus.CREATED:
        return order_close_local(order=order, note="超时未支付")
    state = gateway_for(order.channel).close(order)
    if state.status == TradeStatus.PAID:
        return payment_apply(order=order, state=state, via=PaidVia.QUERY)[0]
    return order_close_local(order=order, note="超时未支付，已在支付渠道关闭")


def order_close_local(*, order, note="", actor=None) -> FeeOrder:
    with transaction.atomic():
        order = lock_order(order)
        if order.is_open:
            _close_locked(order, actor=actor, note=note)
    return order


def _close_locked(order, *, actor, note):
    before = snapshot(order, ORDER_FIELDS)
    order.status = OrderStatus.CLOSED
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at"])
    audit_change(
        actor=actor,
        action="payments.order_close",
        obj=order,
        before=before,
        fields=ORDER_FIELDS,
        note=note,
    )


def payment_apply(*, order, state: TradeState, via: str, actor=None) -> tuple[FeeOrder, bool]:
    """The paid transition: lock, verify the amount, mark paid once, tell the payer's owner in the
    same transaction. Returns (order, applied); applied is False for a repeat."""
    with transaction.atomic():
        return _apply_locked(lock_order(order), state, via=via, actor=actor)


def _apply_locked(order, state, *, via, actor) -> tuple[FeeOrder, bool]:
    if state.amount != order.amount:
        raise AmountMismatch(order, state.amount)
    if order.status in CHARGED_STATUSES:
        return order, False
    before = snapshot(order, ORDER_FIELDS)
    # A closed order can still be paid: the payer may finish an old cashier page before the close
    # reached the gateway. The money was taken, so the order is paid; on_paid decides if needed.
    order.status = OrderStatus.PAID
    order.paid_at = state.paid_at or timezone.now()
    order.gateway_trade_no = state.trade_no or order.gateway_trade_no
    order.paid_via = via
    order.save(update_fields=["status", "paid_at", "gateway_trade_no", "paid_via"])
    audit_change(
        actor=actor,
        action="payments.order_paid",
        obj=order,
        before=before,
        fields=ORDER_FIELDS,
        note=PaidVia(via).label,
    )
    payer = hooks.hooks_for(order.payer_ref)
    if payer is None:
        # Never refund because an owner failed to register: fail, and the provider retries.
        raise PaymentError(f"缴费对象类型未登记：{order.payer_ref}", code="unknown_payer")
    if not payer.on_paid(order):
        from renshi.payments.services.refunds import refund_create_locked

        refund_create_locked(
            order=order,
            amount=order.amount,
            reason=RefundReason.DUPLICATE,
            actor=None,
            note="缴费对象已缴费或不再需要缴费，自动退回",
        )
    return order, True


def query_stale_orders(*, minutes: int | None = None) -> dict:
    """Orders still open after N minutes: ask the gateway; close those past their time limit."""
    minutes = conf.query_after_minutes() if minutes is None else minutes
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    counts = {"queried": 0, "paid": 0, "closed": 0, "errors": 0}
    stale = FeeOrder.objects.filter(status__in=OPEN_STATUSES, created_at__lte=cutoff)
    for order in stale.order_by("created_at")[:500]:
        counts["queried"] += 1
        try:
            result = order_query(order) if order.status == OrderStatus.PAYING else order
            if result.is_open and result.expires_at <= timezone.now():
                result = order_expire(result)
        except Exception:  # one order's gateway or hook failure must not stop the sweep
            log.exception("active query of %s failed", order.out_trade_no)
            counts["errors"] += 1
            continue
        if result.status in CHARGED_STATUSES:
            counts["paid"] += 1
        elif result.status == OrderStatus.CLOSED:
            counts["closed"] += 1
    return counts
