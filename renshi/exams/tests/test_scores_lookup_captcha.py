"""The public score lookup asks for the candidate login's captcha after 3 misses from an
address; nothing of any candidate shows on a miss."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from renshi.exams.tests.test_scores_views import _imported, setting  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = reverse("exams:scores_lookup")
CAPTCHA_URL = reverse("exams:captcha", args=["scores"])


@pytest.fixture
def apps(setting):  # noqa: F811
    _imported(setting, published_ago=datetime.timedelta(hours=1))
    return setting["apps"]


def _miss(client, apps, n=3):
    for _ in range(n):
        page = client.post(URL, {"ticket": apps[0].ticket, "id_number": apps[1].id_number})
    return page


def _answer(client):
    client.get(CAPTCHA_URL)
    return client.session["captcha:scores"]


def test_it_asks_no_captcha_before_three_misses(client, apps):
    page = _miss(client, apps, 2).content.decode()
    assert CAPTCHA_URL not in page
    right = {"ticket": apps[0].ticket, "id_number": apps[0].id_number}
    assert "90.00" in client.post(URL, right).content.decode()


def test_it_asks_for_the_captcha_after_three_misses_and_requires_it(client, apps):
    assert CAPTCHA_URL in _miss(client, apps).content.decode()
    assert CAPTCHA_URL in client.get(URL).content.decode()
    right = {"ticket": apps[0].ticket, "id_number": apps[0].id_number}
    missing = client.post(URL, right)
    assert missing.status_code == 400 and "图形验证码错误" in missing.content.decode()
    assert "90.00" not in missing.content.decode()
    wrong = client.post(URL, {**right, "captcha": "ZZZZ"})
    assert "图形验证码错误" in wrong.content.decode() and "90.00" not in wrong.content.decode()
    ok = client.post(URL, {**right, "captcha": _answer(client).lower()})
    assert ok.status_code == 200 and "90.00" in ok.content.decode()


def test_an_answer_works_once(client, apps):
    _miss(client, apps)
    answer = _answer(client)
    right = {"ticket": apps[0].ticket, "id_number": apps[0].id_number, "captcha": answer}
    assert client.post(URL, right).status_code == 200
    again = client.post(URL, right)
    assert "图形验证码错误" in again.content.decode()


def test_a_fresh_cookie_from_the_same_address_still_needs_the_captcha(client, apps):
    _miss(client, apps)
    fresh = Client()
    right = {"ticket": apps[0].ticket, "id_number": apps[0].id_number}
    assert "图形验证码错误" in fresh.post(URL, right).content.decode()
    other_address = Client(REMOTE_ADDR="10.9.8.7")
    assert "90.00" in other_address.post(URL, right).content.decode()


def test_a_miss_shows_nothing_of_either_candidate(client, apps):
    mine, theirs = apps[0], apps[1]
    page = client.post(URL, {"ticket": mine.ticket, "id_number": theirs.id_number})
    text = page.content.decode()
    assert page.status_code == 400 and "准考证号或公民身份号码不正确" in text
    for app in (mine, theirs):
        assert app.candidate.name not in text
        assert app.position.title not in text
    assert "90.00" not in text and "85.00" not in text
