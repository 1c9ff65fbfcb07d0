import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Renshi-Test-2026!"


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_it_logs_in_with_the_right_password(client):
    user = UserFactory(role=Role.UNIT_CLERK)
    assert login(client, user.username, PASSWORD).status_code == 302


def test_it_says_why_in_chinese_on_a_wrong_password(client):
    user = UserFactory()
    response = login(client, user.username, "wrong")
    assert response.status_code == 200
    assert "用户名" in response.content.decode()


def test_it_locks_the_account_after_five_failures(client):
    user = UserFactory()
    for _ in range(5):
        login(client, user.username, "wrong")
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()


def test_it_unlocks_after_thirty_minutes(client, settings):
    user = UserFactory()
    for _ in range(5):
        login(client, user.username, "wrong")
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=31)):
        assert login(client, user.username, PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["short1A!", "alllowercase123", "12345678901"])
def test_it_refuses_weak_passwords(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_it_accepts_a_strong_password():
    validate_password("Anshan-Renshi-2026")


def test_it_logs_out_an_idle_session(client, settings):
    settings.IDLE_TIMEOUT_SECONDS = 60
    user = UserFactory(role=Role.AUDIT_ADMIN)
    client.force_login(user)
    assert client.get("/audit/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 120
    session.save()
    response = client.get("/audit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_requires_staff_two_factor(client, settings):
    settings.REQUIRE_STAFF_2FA = True
    user = UserFactory(role=Role.PERSONNEL)
    login(client, user.username, PASSWORD)
    response = client.get("/personnel/people/")
    assert response.status_code == 302 and response["Location"].endswith("/accounts/2fa/")
    # First visit enrols a device; a wrong code is refused, the right one lets the user in.
    assert "二维码" in client.get("/accounts/2fa/").content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert "不正确" in client.post("/accounts/2fa/", {"token": "000000"}).content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a failure throttles the next try for a second
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post("/accounts/2fa/", {"token": f"{totp.token():06d}"})
    assert response.status_code == 302
    assert client.get("/personnel/people/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_it_does_not_ask_unit_clerks_for_a_second_factor(client, settings):
    settings.REQUIRE_STAFF_2FA = True
    user = UserFactory(role=Role.UNIT_CLERK)
    login(client, user.username, PASSWORD)
    assert client.get("/").status_code == 200
