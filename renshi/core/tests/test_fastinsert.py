import pytest
from django.db import transaction

from renshi.core.audit import audit_record
from renshi.core.models import AuditEvent
from renshi.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_fast_audit_row_equals_a_regular_one():
    user = UserFactory()
    with transaction.atomic():
        slow = audit_record(actor=user, action="x.y", object_type="t", object_id=1, after={"a": 1})
        assert (
            audit_record(
                actor=user,
                action="x.y",
                object_type="t",
                object_id=1,
                after={"a": 1},
                returning=False,
            )
            is None
        )
    fast = AuditEvent.objects.exclude(pk=slow.pk).get()
    for field in ("actor_id", "actor_name", "action", "object_type", "object_id", "after"):
        assert getattr(fast, field) == getattr(slow, field)
    assert fast.at is not None
