"""The asynchronous notification handler: verify, apply once, log every arrival, and answer the
provider's exact success reply only after the change has committed."""

import logging

from django.db import transaction

from renshi.payments.gateways import gateway_for
from renshi.payments.gateways.base import Notice, Rejected, TradeStatus
from renshi.payments.models import FeeOrder, NotificationOutcome, PaymentNotification, Refund
from renshi.payments.services.orders import AmountMismatch, order_close_local, payment_apply
from renshi.payments.services.refunds import refund_record

log = logging.getLogger(__name__)
UNVERIFIED = (NotificationOutcome.REJECTED_SIGNATURE, NotificationOutcome.REJECTED_REPLAY)
ACKED = (
    NotificationOutcome.APPLIED,
    NotificationOutcome.DUPLICATE,
    NotificationOutcome.IGNORED,
    NotificationOutcome.REFUND_UPDATED,
)


def _raw(request) -> dict:
    headers = {k: v for k, v in request.META.items() if k.startswith("HTTP_WECHATPAY_")}
    return {
        "headers": headers,
        "body": request.body.decode(errors="replace")[:20000],
        "remote_addr": request.META.get("REMOTE_ADDR") or None,
    }


def _log(
    channel, raw, outcome, detail="", *, notice: Notice | None = None, order=None, parsed=None
):
    parsed = parsed or {}
    resource = parsed.get("resource") if isinstance(parsed.get("resource"), dict) else parsed
    return PaymentNotification.objects.create(
        channel=channel,
        outcome=outcome,
        detail=detail[:300],
        verified=outcome not in UNVERIFIED,
        notify_id=(notice.notify_id if notice else parsed.get("notify_id", parsed.get("id", "")))[
            :64
        ],
        event=(
            notice.event if notice else parsed.get("trade_status", parsed.get("event_type", ""))
        )[:40],
        out_trade_no=(
            notice.trade.out_trade_no
            if notice and notice.trade
            else resource.get("out_trade_no", "")
        )[:64],
        order=order,
        **raw,
    )


def notification_receive(*, channel: str, request):
    """Returns the HTTP answer for the provider (ack only after commit, nack otherwise)."""
    gateway = gateway_for(channel)
    raw = _raw(request)
    try:
        notice = gateway.verify_notification(request)
        outcome = _handle(channel, raw, notice)
    except Rejected as r:
        _log(channel, raw, r.outcome, r.detail, parsed=r.parsed)
        return gateway.nack()
    except Exception as e:  # the payer's hook failed, the database was busy…: the provider retries
        log.exception("payment notification failed")
        _log(channel, raw, NotificationOutcome.ERROR, f"{type(e).__name__}: {e}")
        return gateway.nack()
    return gateway.ack() if outcome in ACKED else gateway.nack()


def _handle(channel, raw, notice: Notice) -> str:
    order = FeeOrder.objects.filter(out_trade_no=notice.trade.out_trade_no, channel=channel).first()
    if order is None:
        _log(channel, raw, NotificationOutcome.UNKNOWN_ORDER, "本系统无此订单", notice=notice)
        return NotificationOutcome.UNKNOWN_ORDER
    if notice.event == "refund":
        return _handle_refund(channel, raw, notice, order)
    trade = notice.trade
    if trade.status == TradeStatus.PAID:
        if trade.amount != order.amount:
            detail = f"通知金额{trade.amount}元，订单金额{order.amount}元"
            _log(
                channel,
                raw,
                NotificationOutcome.REJECTED_AMOUNT,
                detail,
                notice=notice,
                order=order,
            )
            return NotificationOutcome.REJECTED_AMOUNT
        try:
            with transaction.atomic():
                order, applied = payment_apply(order=order, state=trade, via="notification")
                outcome = NotificationOutcome.APPLIED if applied else NotificationOutcome.DUPLICATE
                _log(channel, raw, outcome, notice=notice, order=order)
        except AmountMismatch as e:
            _log(
                channel,
                raw,
                NotificationOutcome.REJECTED_AMOUNT,
                e.message,
                notice=notice,
                order=order,
            )
            return NotificationOutcome.REJECTED_AMOUNT
        return outcome
    with transaction.atomic():
        detail = "交易未完成，无需处理"
        if trade.status == TradeStatus.CLOSED:
            was_open = order.is_open
            order = order_close_local(order=order, note="支付渠道通知交易关闭")
            # A close after a payment (full refund, or an out-of-order delivery) changes nothing.
            detail = "订单已关闭" if was_open else f"订单{order.get_status_display()}，忽略关闭通知"
        _log(channel, raw, NotificationOutcome.IGNORED, detail, notice=notice, order=order)
    return NotificationOutcome.IGNORED


def _handle_refund(channel, raw, notice, order) -> str:
    refund = Refund.objects.filter(order=order, out_refund_no=notice.refund.out_refund_no).first()
    if refund is None:
        _log(
            channel,
            raw,
            NotificationOutcome.UNKNOWN_ORDER,
            "本系统无此退款单",
            notice=notice,
            order=order,
        )
        return NotificationOutcome.UNKNOWN_ORDER
    with transaction.atomic():
        refund_record(refund=refund, state=notice.refund)
        _log(channel, raw, NotificationOutcome.REFUND_UPDATED, notice=notice, order=order)
    return NotificationOutcome.REFUND_UPDATED
