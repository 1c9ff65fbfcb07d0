"""Finance export (财务导出): orders and refunds of a set of payers as an .xlsx workbook."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from renshi.payments import hooks
from renshi.payments.gateways.base import CHINA
from renshi.payments.models import CHARGED_STATUSES, FeeOrder, Refund, RefundStatus

ORDER_HEADERS = [
    "商户订单号",
    "缴费对象",
    "说明",
    "支付渠道",
    "金额(元)",
    "状态",
    "渠道交易号",
    "创建时间",
    "支付时间",
    "到账方式",
]
REFUND_HEADERS = [
    "退款单号",
    "商户订单号",
    "缴费对象",
    "说明",
    "退款金额(元)",
    "退款原因",
    "状态",
    "申请时间",
    "完成时间",
    "渠道退款号",
]
CHUNK = 500


def _local(dt):
    return dt.astimezone(CHINA).replace(tzinfo=None) if dt else None


def describe_payer(payer_ref: str, cache: dict) -> str:
    """The owner's label for a payer ref (cached in `cache` for a list)."""
    if payer_ref not in cache:
        payer = hooks.hooks_for(payer_ref)
        cache[payer_ref] = payer.describe(payer_ref) if payer and payer.describe else ""
    return cache[payer_ref]


def _sheet(wb, title, headers, rows, *, first=False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for column in ws.columns:
        ws.column_dimensions[column[0].column_letter].width = 20
    ws.freeze_panes = "A2"
    return ws


def _chunks(refs):
    refs = sorted(set(refs))
    for i in range(0, len(refs), CHUNK):
        yield refs[i : i + CHUNK]


def finance_export(payer_refs, title: str) -> bytes:
    """The .xlsx bytes: 订单, 退费 and 汇总 sheets for the given payer refs."""
    orders, refunds = [], []
    for chunk in _chunks(payer_refs):
        orders += FeeOrder.objects.filter(payer_ref__in=chunk).order_by("created_at", "pk")
        refunds += Refund.objects.filter(order__payer_ref__in=chunk).select_related("order")
    names: dict = {}
    wb = Workbook()
    _sheet(
        wb,
        "订单",
        ORDER_HEADERS,
        [
            [
                o.out_trade_no,
                o.payer_ref,
                describe_payer(o.payer_ref, names),
                o.get_channel_display(),
                o.amount,
                o.get_status_display(),
                o.gateway_trade_no,
                _local(o.created_at),
                _local(o.paid_at),
                o.get_paid_via_display(),
            ]
            for o in orders
        ],
        first=True,
    )
    _sheet(
        wb,
        "退费",
        REFUND_HEADERS,
        [
            [
                r.out_refund_no,
                r.order.out_trade_no,
                r.order.payer_ref,
                describe_payer(r.order.payer_ref, names),
                r.amount,
                r.get_reason_display(),
                r.get_status_display(),
                _local(r.requested_at),
                _local(r.completed_at),
                r.gateway_refund_id,
            ]
            for r in refunds
        ],
    )
    received = sum((o.amount for o in orders if o.status in CHARGED_STATUSES), Decimal(0))
    returned = sum((r.amount for r in refunds if r.status == RefundStatus.SUCCEEDED), Decimal(0))
    summary = _sheet(
        wb,
        "汇总",
        ["项目", "数值"],
        [
            ["导出", title],
            ["订单数", len(orders)],
            ["已收款笔数", sum(o.status in CHARGED_STATUSES for o in orders)],
            ["已收金额(元)", received],
            ["已退金额(元)", returned],
            ["净收入(元)", received - returned],
        ],
    )
    summary.column_dimensions["B"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
