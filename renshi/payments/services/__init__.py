"""The payments app's public API (used by the exams app through payer refs and hooks)."""

from renshi.payments.services.export import finance_export
from renshi.payments.services.orders import (
    AmountMismatch,
    order_close_local,
    order_current,
    order_expire,
    order_open,
    order_pay_url,
    order_query,
    orders_for,
    payment_apply,
    query_stale_orders,
)
from renshi.payments.services.reconciliation import (
    discrepancy_apply_payment,
    discrepancy_refund,
    discrepancy_resolve,
    reconciliation_run,
)
from renshi.payments.services.refunds import (
    refund_follow_up,
    refund_record,
    refund_request,
    refund_submit,
    refundable,
)

__all__ = [
    "AmountMismatch",
    "discrepancy_apply_payment",
    "discrepancy_refund",
    "discrepancy_resolve",
    "finance_export",
    "order_close_local",
    "order_current",
    "order_expire",
    "order_open",
    "order_pay_url",
    "order_query",
    "orders_for",
    "payment_apply",
    "query_stale_orders",
    "reconciliation_run",
    "refund_follow_up",
    "refund_record",
    "refund_request",
    "refund_submit",
    "refundable",
]
