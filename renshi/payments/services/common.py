"""Shared pieces of the payment services: locking, audit snapshots, URLs."""

from django.urls import reverse

from renshi.core.audit import audit_record, changed, snapshot
from renshi.payments import conf
from renshi.payments.models import FeeOrder, Refund

ORDER_FIELDS = ["status", "amount", "gateway_trade_no", "paid_via", "paid_at", "closed_at"]
REFUND_FIELDS = ["status", "amount", "reason", "gateway_refund_id", "failure", "completed_at"]


def lock_order(order) -> FeeOrder:
    return FeeOrder.objects.select_for_update().get(pk=order.pk)


def lock_refund(refund) -> Refund:
    return Refund.objects.select_for_update().select_related("order").get(pk=refund.pk)


def audit_change(*, actor, action, obj, before: dict, fields, note=""):
    old, new = changed(before, snapshot(obj, fields))
    audit_record(actor=actor, action=action, obj=obj, before=old, after=new, note=note)


def notify_url(channel: str) -> str:
    return conf.public_base_url() + reverse(f"payments:notify_{channel}")
