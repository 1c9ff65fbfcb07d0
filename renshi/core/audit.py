"""The audit trail: who, when, what, before and after — written inside the caller's transaction."""

import datetime
import decimal

from django.db import models, transaction
from django.utils import timezone

from renshi.core import fastinsert
from renshi.core.models import AuditEvent


def jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance, fields) -> dict:
    """The audited view of an instance: plain JSON values for the named fields."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        data[name] = jsonable(value)
    return data


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, so the trail reads as a diff."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def audit_values(
    *,
    actor,
    action: str,
    obj=None,
    object_type: str = "",
    object_id="",
    label: str = "",
    unit_id=None,
    before=None,
    after=None,
    note: str = "",
    ip: str | None = None,
) -> dict:
    """The column values of one audit row (for callers that insert it with other rows)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        label = label or str(obj)[:200]
    actor_obj = actor if getattr(actor, "pk", None) else None
    return {
        "at": timezone.now(),
        "actor_id": actor_obj.pk if actor_obj else None,
        "actor_name": (str(actor) if actor_obj else (actor or "系统"))[:150],
        "action": action,
        "object_type": object_type,
        "object_id": object_id if isinstance(object_id, fastinsert.NewId) else str(object_id),
        "object_label": label[:200],
        "unit_id": unit_id,
        "before": before,
        "after": after,
        "note": note,
        "ip": ip,
    }


def audit_record(*, returning: bool = True, **kwargs) -> AuditEvent | None:
    """Record one change (keyword arguments as `audit_values`). `returning=False` writes the row
    without building the model instance (hot paths such as the registration surge)."""
    # The row must commit or roll back with the change it describes.
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change")
    values = audit_values(**kwargs)
    if not returning:
        fastinsert.insert(AuditEvent, **values)
        return None
    return AuditEvent.objects.create(**values)
