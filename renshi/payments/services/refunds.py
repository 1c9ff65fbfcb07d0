"""Refunds: recorded with the order locked, sent to the gateway after commit, and followed
(answer, notification or query) until the provider says succeeded or failed."""

import datetime
import logging
import secrets
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from renshi.core.audit import audit_record, snapshot
from renshi.payments import hooks
from renshi.payments.errors import GatewayError, PaymentError
from renshi.payments.gateways import gateway_for
from renshi.payments.gateways.base import CHINA, RefundState
from renshi.payments.models import OrderStatus, Refund, RefundReason, RefundStatus
from renshi.payments.services.common import (
    ORDER_FIELDS,
    REFUND_FIELDS,
    audit_change,
    lock_order,
    lock_refund,
    notify_url,
)

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def refundable(order) -> Decimal:
    taken = order.refunds.exclude(status=RefundStatus.FAILED).aggregate(s=Sum("amount"))["s"]
    return order.amount - (taken or Decimal("0"))


def refund_request(*, order, amount, reason: str, actor=None, note: str = "") -> Refund:
    """Refund (part of) a paid order; the gateway is called after commit."""
    if reason not in RefundReason.values:
        raise PaymentError(f"退款原因「{reason}」无效", field="reason")
    with transaction.atomic():
        order = lock_order(order)
        return refund_create_locked(
            order=order, amount=amount, reason=reason, actor=actor, note=note
        )


def refund_create_locked(*, order, amount, reason, actor, note="") -> Refund:
    if order.status not in (OrderStatus.PAID, OrderStatus.REFUNDING):
        raise PaymentError(f"订单{order.get_status_display()}，不能退款", code="not_paid")
    amount = Decimal(str(amount))
    if amount <= 0 or amount > refundable(order):
        raise PaymentError(f"退款金额须大于0且不超过可退金额{refundable(order)}元", field="amount")
    stamp = timezone.now().astimezone(CHINA)
    refund = Refund.objects.create(
        order=order,
        amount=amount,
        reason=reason,
        note=note[:200],
        out_refund_no=f"RF{stamp:%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}",
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="payments.refund_request",
        obj=refund,
        after=snapshot(refund, ["order", "amount", "reason", "status"]),
        note=note,
    )
    _order_status_locked(order, actor=actor)
    from renshi.payments import tasks

    transaction.on_commit(lambda: tasks.refund_submit.enqueue(refund.pk), robust=True)
    return refund


def _order_status_locked(order, *, actor):
    """paid → refunding while a refund is open → refunded once all the money went back."""
    refunds = list(order.refunds.all())
    done = sum((r.amount for r in refunds if r.status == RefundStatus.SUCCEEDED), Decimal("0"))
    if done >= order.amount:
        status = OrderStatus.REFUNDED
    elif any(r.status == RefundStatus.REQUESTED for r in refunds):
        status = OrderStatus.REFUNDING
    else:
        status = OrderStatus.PAID
    if status != order.status:
        before = snapshot(order, ORDER_FIELDS)
        order.status = status
        order.save(update_fields=["status"])
        audit_change(
            actor=actor,
            action="payments.order_refund_status",
            obj=order,
            before=before,
            fields=ORDER_FIELDS,
        )


def refund_submit(refund_id: int) -> Refund:
    """Send a requested refund to the gateway (idempotent there by out_refund_no)."""
    refund = Refund.objects.select_related("order").get(pk=refund_id)
    if refund.status != RefundStatus.REQUESTED:
        return refund
    try:
        state = gateway_for(refund.order.channel).refund(
            refund, notify_url=notify_url(refund.order.channel)
        )
    except GatewayError as e:
        state = RefundState(refund.out_refund_no, RefundStatus.REQUESTED, detail=e.message)
    return refund_record(refund=refund, state=state, submitted=True)


def refund_record(*, refund, state: RefundState, submitted=False, actor=None) -> Refund:
    """What the provider said about a refund (answer, notification or query), applied once."""
    with transaction.atomic():
        order = lock_order(refund.order)
        refund = lock_refund(refund)
        if refund.status != RefundStatus.REQUESTED:
            return refund
        before = snapshot(refund, REFUND_FIELDS)
        if submitted:
            refund.attempts += 1
            refund.submitted_at = refund.submitted_at or timezone.now()
        refund.gateway_refund_id = state.refund_id or refund.gateway_refund_id
        refund.failure = state.detail[:200]
        if state.status == RefundStatus.REQUESTED:
            refund.save()
            return refund
        refund.status = state.status
        refund.completed_at = timezone.now()
        refund.save()
        audit_change(
            actor=actor,
            action="payments.refund_" + state.status,
            obj=refund,
            before=before,
            fields=REFUND_FIELDS,
        )
        _order_status_locked(order, actor=actor)
        payer = hooks.hooks_for(order.payer_ref)
        if state.status == RefundStatus.SUCCEEDED and payer and payer.on_refunded:
            payer.on_refunded(refund)
    return refund


def refund_follow_up(*, minutes: int = 3) -> dict:
    """Refunds still open: ask the gateway; re-send those it has never seen."""
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    counts = {"queried": 0, "succeeded": 0, "failed": 0}
    pending = Refund.objects.filter(status=RefundStatus.REQUESTED, requested_at__lte=cutoff)
    for refund in pending.select_related("order")[:500]:
        counts["queried"] += 1
        try:
            state = gateway_for(refund.order.channel).refund_query(refund)
        except GatewayError:
            continue
        if state.status == RefundStatus.REQUESTED and refund.attempts < MAX_ATTEMPTS:
            refund = refund_submit(refund.pk)
        else:
            refund = refund_record(refund=refund, state=state)
        if refund.status in (RefundStatus.SUCCEEDED, RefundStatus.FAILED):
            counts[refund.status] += 1
    return counts
