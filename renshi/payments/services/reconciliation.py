"""Daily reconciliation (对账): the provider's bill for one day against our orders and refunds,
every difference listed with a way to fix it."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from renshi.core.audit import audit_record, snapshot
from renshi.payments.errors import PaymentError
from renshi.payments.gateways import gateway_for
from renshi.payments.gateways.base import CHINA, BillRow, TradeState, TradeStatus
from renshi.payments.models import (
    CHARGED_STATUSES,
    BillSource,
    Discrepancy,
    DiscrepancyKind,
    FeeOrder,
    OrderStatus,
    PaidVia,
    ReconciliationRun,
    Refund,
    RefundReason,
    RefundStatus,
    Resolution,
)
from renshi.payments.services.orders import payment_apply
from renshi.payments.services.refunds import refund_request, refundable

K = DiscrepancyKind


def day_bounds(date: datetime.date):
    start = datetime.datetime.combine(date, datetime.time(0), tzinfo=CHINA)
    return start, start + datetime.timedelta(days=1)


def reconciliation_run(
    *, bill_date: datetime.date, channel: str, content: bytes | None = None, actor=None
) -> ReconciliationRun:
    """Download the bill through the SDK (or take the uploaded file), compare, record the run."""
    gateway = gateway_for(channel)
    source = BillSource.UPLOAD if content is not None else BillSource.DOWNLOAD
    if content is None:
        content = gateway.download_bill(bill_date)
    rows = gateway.parse_bill(content)
    with transaction.atomic():
        run = ReconciliationRun(
            bill_date=bill_date,
            channel=channel,
            source=source,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        ext = "zip" if channel == "alipay" else "csv.gz"
        run.bill_file.save(f"{channel}-{bill_date:%Y%m%d}.{ext}", ContentFile(content), save=False)
        items, matched = compare(rows, channel=channel, bill_date=bill_date)
        run.bill_trades = sum(r.kind == "trade" for r in rows)
        run.bill_refunds = sum(r.kind == "refund" for r in rows)
        run.bill_total = sum(
            (r.amount if r.kind == "trade" else -r.amount for r in rows), Decimal(0)
        )
        run.matched, run.discrepancy_count = matched, len(items)
        run.save()
        for item in items:
            item.run = run
        Discrepancy.objects.bulk_create(items)
        audit_record(
            actor=actor,
            action="payments.reconcile",
            obj=run,
            after=snapshot(
                run,
                [
                    "bill_date",
                    "channel",
                    "source",
                    "bill_trades",
                    "bill_refunds",
                    "matched",
                    "discrepancy_count",
                ],
            ),
        )
    return run


def compare(rows: list[BillRow], *, channel: str, bill_date) -> tuple[list[Discrepancy], int]:
    trades = [r for r in rows if r.kind == "trade"]
    refunds = [r for r in rows if r.kind == "refund"]
    items, matched = [], 0
    orders = {
        o.out_trade_no: o
        for o in FeeOrder.objects.filter(
            channel=channel, out_trade_no__in={r.out_trade_no for r in trades}
        )
    }
    times = Counter(r.out_trade_no for r in trades)
    reported = set()
    for row in trades:
        item = _trade_item(row, orders.get(row.out_trade_no), times, reported)
        reported.add(row.out_trade_no)
        if item is None:
            matched += 1
        else:
            items.append(item)
    items += _paid_twice(orders.values())
    refund_items, refund_matched = _refund_items(refunds, channel, bill_date)
    items += refund_items + _missing_in_bill(channel, bill_date, set(times))
    return items, matched + refund_matched


def _item(kind, details, *, order=None, row: BillRow | None = None, **kwargs) -> Discrepancy:
    return Discrepancy(
        kind=kind,
        details=details[:300],
        order=order,
        out_trade_no=row.out_trade_no if row else (order.out_trade_no if order else ""),
        gateway_trade_no=row.trade_no if row else (order.gateway_trade_no if order else ""),
        bill_amount=row.amount if row else None,
        our_amount=order.amount if order else None,
        **kwargs,
    )


def _trade_item(row, order, times, reported):
    if order is None:
        return _item(K.UNKNOWN_ORDER, "账单有此交易，本系统无此订单", row=row)
    if times[row.out_trade_no] > 1:
        if row.out_trade_no in reported:
            return None
        return _item(
            K.PAID_TWICE, f"同一订单在账单中出现{times[row.out_trade_no]}次", order=order, row=row
        )
    if row.amount != order.amount:
        return _item(
            K.AMOUNT_MISMATCH,
            f"账单金额{row.amount}元，订单金额{order.amount}元",
            order=order,
            row=row,
        )
    if order.status not in CHARGED_STATUSES:
        return _item(
            K.CHARGED_UNPAID,
            f"渠道已扣款，订单仍为“{order.get_status_display()}”",
            order=order,
            row=row,
        )
    return None


def _paid_twice(orders) -> list[Discrepancy]:
    """A payer with more than one order still counted as paid (no refund under way)."""
    refs = {o.payer_ref for o in orders}
    paid = FeeOrder.objects.filter(payer_ref__in=refs, status=OrderStatus.PAID).order_by(
        "paid_at", "pk"
    )
    by_payer = defaultdict(list)
    for order in paid:
        by_payer[order.payer_ref].append(order)
    billed = {o.pk for o in orders}
    return [
        _item(K.PAID_TWICE, f"缴费对象{o.payer_ref}已有已支付订单{group[0].out_trade_no}", order=o)
        for group in by_payer.values()
        if len(group) > 1
        for o in group[1:]
        if o.pk in billed
    ]


def _refund_items(rows, channel, bill_date):
    ours = {
        r.out_refund_no: r
        for r in Refund.objects.filter(
            order__channel=channel, out_refund_no__in={r.out_refund_no for r in rows}
        ).select_related("order")
    }
    items, matched = [], 0
    for row in rows:
        refund = ours.get(row.out_refund_no)
        if refund is None:
            details = "账单有此退款，本系统无此退款单"
        elif refund.amount != row.amount:
            details = f"账单退款{row.amount}元，本系统{refund.amount}元"
        elif refund.status != RefundStatus.SUCCEEDED:
            details = f"渠道已退款，本系统退款单为“{refund.get_status_display()}”"
        else:
            matched += 1
            continue
        order = refund.order if refund else None
        items.append(
            _item(
                K.REFUND_MISMATCH,
                details,
                order=order,
                row=row,
                refund=refund,
                out_refund_no=row.out_refund_no,
            )
        )
    start, end = day_bounds(bill_date)
    missing = (
        Refund.objects.filter(
            order__channel=channel,
            status=RefundStatus.SUCCEEDED,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .exclude(out_refund_no__in={r.out_refund_no for r in rows})
        .select_related("order")
    )
    for refund in missing:
        items.append(
            _item(
                K.REFUND_MISMATCH,
                "本系统退款成功，账单无此退款",
                order=refund.order,
                refund=refund,
                out_refund_no=refund.out_refund_no,
            )
        )
    return items, matched


def _missing_in_bill(channel, bill_date, billed: set) -> list[Discrepancy]:
    start, end = day_bounds(bill_date)
    ours = FeeOrder.objects.filter(
        channel=channel, status__in=CHARGED_STATUSES, paid_at__gte=start, paid_at__lt=end
    ).exclude(out_trade_no__in=billed)
    return [_item(K.MISSING_IN_BILL, "本系统已支付，账单无此交易", order=o) for o in ours]


# --- Fixing ----------------------------------------------------------------------------------


def _lock_open_item(item) -> Discrepancy:
    item = (
        Discrepancy.objects.select_for_update(of=("self",)).select_related("order").get(pk=item.pk)
    )
    if not item.is_open:
        raise PaymentError("该差错已处理", code="resolved")
    return item


def _resolve(item, *, actor, resolution, note):
    item.resolution, item.note = resolution, note[:300]
    item.resolved_by = actor if getattr(actor, "pk", None) else None
    item.resolved_at = timezone.now()
    item.save(update_fields=["resolution", "note", "resolved_by", "resolved_at"])
    audit_record(
        actor=actor,
        action=f"payments.discrepancy_{resolution}",
        obj=item,
        before={"resolution": ""},
        after={"resolution": resolution},
        note=note,
    )


def discrepancy_apply_payment(*, item, actor, note: str = "") -> Discrepancy:
    """Charged but unpaid: the bill is the provider's word — apply the payment to the order."""
    with transaction.atomic():
        item = _lock_open_item(item)
        if item.kind != K.CHARGED_UNPAID or item.order is None:
            raise PaymentError("只有“已扣款未到账”的差错可以补记到账")
        state = TradeState(
            item.out_trade_no, TradeStatus.PAID, item.bill_amount, item.gateway_trade_no
        )
        payment_apply(order=item.order, state=state, via=PaidVia.RECONCILIATION, actor=actor)
        _resolve(item, actor=actor, resolution=Resolution.APPLIED, note=note or "按对账单补记到账")
    return item


def discrepancy_refund(*, item, actor, note: str = "") -> Discrepancy:
    """Paid twice or a wrong amount: refund what is left of that order."""
    with transaction.atomic():
        item = _lock_open_item(item)
        if item.kind not in (K.PAID_TWICE, K.AMOUNT_MISMATCH) or item.order is None:
            raise PaymentError("只有“重复缴费”“金额不符”的差错可以退款")
        amount = refundable(item.order)
        if amount <= 0:
            raise PaymentError("该订单已无可退金额")
        reason = (
            RefundReason.DUPLICATE if item.kind == K.PAID_TWICE else RefundReason.RECONCILIATION
        )
        refund_request(order=item.order, amount=amount, reason=reason, actor=actor, note=note)
        _resolve(item, actor=actor, resolution=Resolution.REFUNDED, note=note or "已发起退款")
    return item


def discrepancy_resolve(*, item, actor, note: str) -> Discrepancy:
    """Checked by hand and explained (e.g. refunded at the counter, bill error confirmed)."""
    if not note.strip():
        raise PaymentError("请填写核实说明", field="note")
    with transaction.atomic():
        item = _lock_open_item(item)
        _resolve(item, actor=actor, resolution=Resolution.NOTED, note=note.strip())
    return item
