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


def test_a_family_is_inserted_with_its_new_id_in_the_children():
    from renshi.core import fastinsert
    from renshi.core.audit import audit_values
    from renshi.core.models import User

    actor = UserFactory()
    with transaction.atomic():
        user = User(username="family", role="personnel", full_name="家")
        new_id = fastinsert.insert_family(
            user,
            [
                (
                    AuditEvent,
                    audit_values(
                        actor=actor,
                        action="user.create",
                        object_type="core.user",
                        object_id=fastinsert.NEW_ID_TEXT,
                        unit_id=None,
                        after={"username": "family"},
                    ),
                )
            ],
        )
    assert user.pk == new_id == User.objects.get(username="family").pk
    row = AuditEvent.objects.get(action="user.create")
    assert row.object_id == str(new_id) and row.after == {"username": "family"}
