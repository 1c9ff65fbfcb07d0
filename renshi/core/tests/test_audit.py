import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError

from renshi.core.audit import audit_record
from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_event(**kwargs):
    with transaction.atomic():
        return audit_record(actor="测试", action="unit.update", label="鞍山市财政局", **kwargs)


def test_it_refuses_changes_through_the_orm():
    event = make_event(before={"name": "a"}, after={"name": "b"})
    event.note = "tamper"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().update(note="x")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger is PostgreSQL")
def test_it_is_refused_by_the_database_itself():
    event = make_event()
    for sql in (
        "UPDATE core_auditevent SET note = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, note="").exists()


@pytest.mark.django_db(transaction=True)
def test_it_needs_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(actor="测试", action="x")


def test_it_lets_the_audit_admin_search(client):
    make_event(after={"name": "b"})
    client.force_login(UserFactory(role=Role.AUDIT_ADMIN))
    response = client.get("/audit/", {"object": "财政"})
    assert response.status_code == 200
    assert "鞍山市财政局" in response.content.decode()
    assert "鞍山市财政局" not in client.get("/audit/", {"object": "教育"}).content.decode()


@pytest.mark.parametrize(
    "role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.PERSONNEL, Role.UNIT_CLERK]
)
def test_it_hides_the_trail_from_everyone_else(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get("/audit/").status_code == 404


def test_it_sends_anonymous_users_to_login(client):
    assert client.get("/audit/").status_code == 302
