import pytest

from renshi.core.models import AuditEvent, User
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secadmin(client):
    user = UserFactory(role=Role.SECURITY_ADMIN)
    client.force_login(user)
    return user


def test_it_creates_an_account_with_a_strong_password(client, secadmin):
    data = {"username": "clerk1", "full_name": "王五", "role": "unit_clerk"}
    response = client.post("/users/new/", data | {"password": "weak"})
    assert response.status_code == 200 and not User.objects.filter(username="clerk1").exists()
    response = client.post("/users/new/", data | {"password": "Anshan-Renshi-2026"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="user.create").count() == 1


def test_it_changes_roles_with_an_audit_row(client, secadmin):
    user = UserFactory(role=Role.UNIT_CLERK)
    response = client.post(
        f"/users/{user.pk}/", {"full_name": "x", "role": "personnel", "is_active": "on"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.role == Role.PERSONNEL
    event = AuditEvent.objects.get(action="user.update")
    assert event.before["role"] == "unit_clerk" and event.after["role"] == "personnel"


def test_it_refuses_to_change_its_own_role(client, secadmin):
    response = client.post(
        f"/users/{secadmin.pk}/", {"full_name": "x", "role": "audit_admin", "is_active": "on"}
    )
    assert response.status_code == 200 and "三员分立" in response.content.decode()
    secadmin.refresh_from_db()
    assert secadmin.role == Role.SECURITY_ADMIN


def test_it_unlocks_a_locked_account(client, secadmin):
    from axes.models import AccessAttempt
    from django.test import Client

    user = UserFactory()
    stranger = Client()
    for _ in range(5):
        stranger.post("/accounts/login/", {"username": user.username, "password": "bad"})
    assert AccessAttempt.objects.filter(username=user.username).exists()
    client.force_login(secadmin)
    assert client.post(f"/users/{user.pk}/unlock/").status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()


@pytest.mark.parametrize(
    "role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.PERSONNEL, Role.UNIT_CLERK]
)
def test_it_hides_account_admin_from_other_roles(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get("/users/").status_code == 404
    assert client.post("/users/new/", {"username": "x"}).status_code == 404
