"""Candidate login by ID or phone number through axes, captcha after failures, logout, reset."""

import pytest
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.tests.candidate_helpers import (  # noqa: F401 (fixture)
    candidate_state,
    last_code,
    send_code,
)
from renshi.exams.tests.factories import make_candidate

pytestmark = pytest.mark.django_db
LOGIN = "/exams/me/login/"
RESET = "/exams/me/password-reset/"
FACTORY_PASSWORD = "Renshi-Test-2026!"
NEW_PASSWORD = "Xin-Mima-2026!"


def log_in(client, identifier, password=FACTORY_PASSWORD, **extra):
    return client.post(LOGIN, {"identifier": identifier, "password": password, **extra})


def captcha_answer(client):
    client.get(reverse("exams:captcha", args=["login"]))
    return client.session["captcha:login"]


@pytest.mark.parametrize("by", ["id_number", "phone"])
def test_it_logs_in_by_id_or_phone_number(client, by):
    candidate = make_candidate()
    response = log_in(client, getattr(candidate, by))
    assert response.status_code == 302 and response["Location"] == reverse("exams:candidate_home")
    assert client.get(reverse("exams:candidate_home")).context["candidate"] == candidate


def test_it_accepts_a_lower_case_x_and_spaces_in_the_id_number(client):
    candidate = make_candidate()
    typed = " ".join([candidate.id_number[:6], candidate.id_number[6:].lower()])
    assert log_in(client, typed).status_code == 302


def test_it_follows_a_safe_next_only(client):
    candidate = make_candidate()
    response = log_in(client, candidate.phone, next="/exams/me/profile/")
    assert response["Location"] == "/exams/me/profile/"
    client.post(reverse("exams:candidate_logout"))
    response = log_in(client, candidate.phone, next="https://evil.example/")
    assert response["Location"] == reverse("exams:candidate_home")


def test_it_says_why_in_chinese_on_a_wrong_password(client):
    candidate = make_candidate()
    response = log_in(client, candidate.id_number, "wrong-password")
    assert response.status_code == 200
    assert "身份证号码/手机号码或密码错误" in response.content.decode()


def test_it_does_not_let_staff_in_through_the_candidate_page(client):
    clerk = UserFactory(role=Role.UNIT_CLERK)
    assert log_in(client, clerk.username).status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_asks_for_a_captcha_after_three_failures_and_requires_it(client):
    candidate = make_candidate()
    for _ in range(3):
        page = log_in(client, candidate.id_number, "wrong-password").content.decode()
    assert reverse("exams:captcha", args=["login"]) in page
    # The right password alone is not enough now.
    response = log_in(client, candidate.id_number)
    assert "图形验证码错误" in response.content.decode()
    response = log_in(client, candidate.id_number, captcha="ZZZZ")
    assert "图形验证码错误" in response.content.decode()
    response = log_in(client, candidate.id_number, captcha=captcha_answer(client).lower())
    assert response.status_code == 302


def test_it_asks_a_new_session_from_the_same_address_for_the_captcha(client):
    from django.test import Client

    candidate = make_candidate()
    for _ in range(3):
        log_in(client, candidate.id_number, "wrong-password")
    other = Client()
    page = other.get(LOGIN).content.decode()
    assert reverse("exams:captcha", args=["login"]) in page


def test_it_locks_the_account_after_five_failures_with_a_chinese_page(client):
    candidate = make_candidate()
    for _ in range(5):
        answer = captcha_answer(client)
        response = log_in(client, candidate.id_number, "wrong-password", captcha=answer)
    assert response.status_code == 429
    page = response.content.decode()
    assert "账号已锁定" in page and "30分钟" in page and "考生登录" in page
    response = log_in(client, candidate.id_number, captcha=captcha_answer(client))
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_locks_an_unknown_number_like_a_known_one(client):
    for _ in range(5):
        response = log_in(client, "13800000000", "wrong", captcha=captcha_answer(client))
    assert response.status_code == 429


def test_it_logs_out_by_post_only(client):
    candidate = make_candidate()
    client.force_login(candidate.user)
    assert client.get(reverse("exams:candidate_logout")).status_code == 405
    response = client.post(reverse("exams:candidate_logout"))
    assert response["Location"] == reverse("exams:candidate_login")
    assert "_auth_user_id" not in client.session


def test_it_never_asks_candidates_for_the_staff_second_factor(client, settings):
    settings.REQUIRE_STAFF_2FA = True
    candidate = make_candidate()
    log_in(client, candidate.phone)
    assert client.get(reverse("exams:profile")).status_code == 200


def test_it_sends_others_to_the_candidate_login_or_404(client):
    response = client.get(reverse("exams:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("exams:candidate_login"))
    client.force_login(UserFactory(role=Role.EXAM_OFFICE))
    assert client.get(reverse("exams:profile")).status_code == 404


def test_it_resets_the_password_with_a_code_sent_to_the_bound_phone(client):
    candidate = make_candidate()
    send_code(client, RESET, candidate.phone)
    data = {
        "id_number": candidate.id_number,
        "phone": candidate.phone,
        "code": last_code(candidate.phone),
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "action": "reset",
    }
    response = client.post(RESET, data)
    assert response.status_code == 302
    candidate.user.refresh_from_db()
    assert candidate.user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="candidate.password_reset").count() == 1
    assert log_in(client, candidate.phone, NEW_PASSWORD).status_code == 302


def test_it_refuses_a_reset_with_a_phone_that_is_not_bound(client):
    candidate = make_candidate()
    send_code(client, RESET, "13700000000")
    data = {
        "id_number": candidate.id_number,
        "phone": "13700000000",
        "code": last_code("13700000000"),
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    response = client.post(RESET, data)
    assert "身份证号码与绑定的手机号码不一致" in response.content.decode()
    candidate.user.refresh_from_db()
    assert candidate.user.check_password(FACTORY_PASSWORD)
