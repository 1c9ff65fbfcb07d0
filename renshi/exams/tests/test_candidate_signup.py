"""Sign-up with an SMS code: one account per ID number, codes that expire, rate limits."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from renshi.core import crypto, notify
from renshi.core.models import AuditEvent, User
from renshi.core.roles import Role
from renshi.exams.models import Candidate
from renshi.exams.services.candidates import (
    CandidateError,
    candidate_send_code,
    candidate_verify_code,
)
from renshi.exams.tests.candidate_helpers import (  # noqa: F401 (fixture)
    PASSWORD,
    candidate_state,
    last_code,
    send_code,
    signup_data,
)
from renshi.exams.tests.factories import make_candidate

pytestmark = pytest.mark.django_db
SIGNUP = "/exams/me/signup/"
PHONE = "13912345678"


def register(client, **fields):
    data = signup_data(**fields)
    send_code(client, SIGNUP, data["phone"])
    data.setdefault("code", last_code(data["phone"]))
    return client.post(SIGNUP, data), data


def test_it_signs_up_with_the_code_texted_to_the_phone(client):
    response, data = register(client, name="王考生")
    assert response.status_code == 302
    assert response["Location"] == reverse("exams:candidate_home")
    candidate = Candidate.objects.get()
    assert candidate.id_number_hash == crypto.blind_index(data["id_number"])
    assert crypto.decrypt(candidate.phone_cipher) == PHONE
    assert candidate.birth_date == datetime.date(1985, 3, 12) and candidate.sex == "1"
    assert candidate.phone_verified_at is not None
    user = candidate.user
    assert user.role == Role.CANDIDATE and user.check_password(PASSWORD)
    assert data["id_number"] not in user.username and user.username.startswith("c")
    assert AuditEvent.objects.filter(action="candidate.register", object_id=candidate.pk).exists()
    assert client.get(reverse("exams:candidate_home")).status_code == 200


def test_it_refuses_a_wrong_checksum_and_keeps_nothing(client):
    good = signup_data()["id_number"]
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    response, _ = register(client, id_number=wrong)
    assert "身份证号码校验位错误" in response.content.decode()
    assert not Candidate.objects.exists() and not User.objects.exists()


@pytest.mark.parametrize("code", ["000000", ""])
def test_it_refuses_a_wrong_or_missing_code(client, code):
    response, _ = register(client, code=code)
    assert ("验证码错误" if code else "请填写短信验证码") in response.content.decode()
    assert not Candidate.objects.exists()


def test_it_refuses_an_expired_code(client):
    data = signup_data()
    send_code(client, SIGNUP, PHONE)
    data["code"] = last_code(PHONE)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        response = client.post(SIGNUP, data)
    assert "验证码已过期" in response.content.decode()
    assert not Candidate.objects.exists()


def test_it_voids_a_code_after_five_wrong_tries():
    candidate_send_code(phone=PHONE, purpose="signup")
    code = last_code(PHONE)
    for _ in range(4):
        with pytest.raises(CandidateError, match="验证码错误，还可尝试"):
            candidate_verify_code(phone=PHONE, purpose="signup", code="999999")
    with pytest.raises(CandidateError, match="错误次数过多"):
        candidate_verify_code(phone=PHONE, purpose="signup", code="999999")
    with pytest.raises(CandidateError, match="已过期或未获取"):
        candidate_verify_code(phone=PHONE, purpose="signup", code=code)


def test_it_accepts_a_code_once_and_for_its_purpose_only():
    candidate_send_code(phone=PHONE, purpose="signup")
    code = last_code(PHONE)
    with pytest.raises(CandidateError):
        candidate_verify_code(phone=PHONE, purpose="reset", code=code)
    candidate_verify_code(phone=PHONE, purpose="signup", code=code)
    with pytest.raises(CandidateError, match="已过期或未获取"):
        candidate_verify_code(phone=PHONE, purpose="signup", code=code)


def test_it_throttles_resends_per_phone_for_a_minute(client):
    send_code(client, SIGNUP, PHONE)
    response = send_code(client, SIGNUP, PHONE)
    assert "60秒后再重新获取" in response.content.decode()
    assert len(notify.outbox) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        candidate_send_code(phone=PHONE, purpose="signup")
    assert len(notify.outbox) == 2


def test_it_throttles_codes_per_address():
    for n in range(5):
        candidate_send_code(phone=f"1390000000{n}", purpose="signup", ip="10.0.0.9")
    with pytest.raises(CandidateError, match="过于频繁"):
        candidate_send_code(phone="13900000009", purpose="signup", ip="10.0.0.9")
    candidate_send_code(phone="13900000009", purpose="signup", ip="10.0.0.10")


def test_it_keeps_what_was_typed_when_sending_the_code(client):
    data = signup_data(name="赵考生")
    response = send_code(client, SIGNUP, PHONE, name=data["name"], id_number=data["id_number"])
    page = response.content.decode()
    assert "验证码已发送至139****5678" in page
    assert 'value="赵考生"' in page and data["id_number"] in page


def test_it_refuses_a_taken_id_number_and_offers_the_reclaim_path(client):
    holder = make_candidate()
    response, _ = register(client, id_number=holder.id_number)
    page = response.content.decode()
    assert "已被注册" in page and reverse("exams:reclaim") in page
    assert Candidate.objects.count() == 1


def test_it_refuses_a_phone_bound_to_another_account(client):
    make_candidate(phone=PHONE)
    response, _ = register(client)
    assert "该手机号码已绑定其他考生账号" in response.content.decode()


def test_it_refuses_a_weak_password_in_chinese(client):
    response, _ = register(client, password="abc12345", password2="abc12345")
    assert "密码" in response.content.decode()
    assert not Candidate.objects.exists()


def captcha_answer(client, purpose):
    client.get(reverse("exams:captcha", args=[purpose]))
    return client.session[f"captcha:{purpose}"]


def test_it_asks_for_a_captcha_after_repeated_sign_up_attempts(client):
    data = signup_data()
    for _ in range(3):
        client.post(SIGNUP, {**data, "code": "123456"})
    assert reverse("exams:captcha", args=["signup"]) in client.get(SIGNUP).content.decode()
    # No code is sent without the right answer, and the answer works once.
    response = send_code(client, SIGNUP, PHONE, captcha="WRONG")
    assert "图形验证码错误" in response.content.decode() and not notify.outbox
    send_code(client, SIGNUP, PHONE, captcha=captcha_answer(client, "signup"))
    data["code"] = last_code(PHONE)
    response = client.post(SIGNUP, data)
    assert "图形验证码错误" in response.content.decode()
    assert not Candidate.objects.exists()
    data["captcha"] = captcha_answer(client, "signup")
    assert client.post(SIGNUP, data).status_code == 302


def test_the_captcha_is_a_real_png_and_single_use(client):
    response = client.get(reverse("exams:captcha", args=["login"]))
    assert response["Content-Type"] == "image/png" and response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get("/exams/me/captcha/other.png").status_code == 404


def test_a_phone_set_to_english_still_gets_every_message_in_chinese(client):
    response = client.post(SIGNUP, {"id_number": "123"}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert "这个字段是必填项。" in page and "This field is required" not in page
