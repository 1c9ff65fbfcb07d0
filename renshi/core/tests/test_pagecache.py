"""Shared anonymous pages (core.pagecache): who gets the copy, what is never stored, and when
a copy stops being served."""

import pytest
from django.test import Client

from renshi.core import pagecache
from renshi.core.tests import pagecache_urls as views
from renshi.core.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("renshi.core.tests.pagecache_urls")]


@pytest.fixture(autouse=True)
def _fresh():
    views.calls.clear()
    views.served.clear()


def test_an_anonymous_visitor_gets_the_copy_with_the_first_answers_headers(
    client, django_assert_num_queries
):
    first = client.get("/page/")
    with django_assert_num_queries(0):
        second = client.get("/page/")
    assert second.content == first.content == "<p>第1次渲染 访客</p>".encode()
    assert views.calls == ["/page/"]
    for header in ("Content-Type", "X-Frame-Options", "Vary"):
        assert second[header] == first[header]
    assert views.served == ["/page/", "/page/"]  # counted whether rendered or from memory


def test_query_strings_and_hosts_are_separate_pages(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "rsj.anshan.gov.cn"]
    client.get("/page/")
    client.get("/page/?page=2")
    client.get("/page/", HTTP_ACCEPT_LANGUAGE="en")  # one language: the same page
    client.get("/page/?page=2")
    client.get("/page/", HTTP_HOST="rsj.anshan.gov.cn")
    assert views.calls == ["/page/", "/page/?page=2", "/page/"]


def test_a_host_the_site_refuses_is_refused_every_time(client):
    assert client.get("/page/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/page/", HTTP_HOST="evil.example").status_code == 400
    assert views.calls == []


def test_a_logged_in_user_always_gets_a_fresh_page_of_their_own(client):
    client.get("/page/")
    client.force_login(UserFactory(username="zhangsan"))
    assert "zhangsan" in client.get("/page/").content.decode()
    assert "zhangsan" in client.get("/page/").content.decode()
    assert Client().get("/page/").content == "<p>第1次渲染 访客</p>".encode()  # not theirs


@pytest.mark.parametrize("cookie", ["sessionid", "messages", "django_language"])
def test_a_visitor_with_something_of_their_own_is_not_served_the_copy(client, cookie):
    client.get("/page/")
    client.cookies[cookie] = "x"
    client.get("/page/")
    assert len(views.calls) == 2


def test_the_csrf_cookie_alone_still_gets_the_copy(client):
    client.get("/page/")
    client.cookies["csrftoken"] = "a" * 32
    client.get("/page/")
    assert len(views.calls) == 1


def test_pages_with_a_form_and_failures_are_never_shared(client):
    tokens = {client.get("/form/").content, Client().get("/form/").content}
    assert len(tokens) == 2 and views.calls == ["/form/", "/form/"]
    assert client.get("/missing/").status_code == 404
    assert client.get("/missing/").status_code == 404
    assert views.calls[-2:] == ["/missing/", "/missing/"]


def test_only_get_is_answered_from_memory(client):
    client.get("/page/")
    client.head("/page/")
    assert len(views.calls) == 2


def test_invalidating_the_scope_and_age_end_the_copy(client, monkeypatch):
    client.get("/page/")
    pagecache.invalidate("test")
    assert "第2次" in client.get("/page/").content.decode()
    pagecache.invalidate("other")
    assert "第2次" in client.get("/page/").content.decode()
    now = pagecache.time.monotonic()
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now + 31)
    assert "第3次" in client.get("/page/").content.decode()


def test_another_process_invalidating_reaches_this_one_within_a_second(client, monkeypatch):
    client.get("/page/")
    # Another process bumps the shared number; this one reads it at most once a second.
    pagecache.cache.set(pagecache._generation_key("test"), 12345, None)
    assert "第1次" in client.get("/page/").content.decode()
    now = pagecache.time.monotonic()
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: now + 1.5)
    assert "第2次" in client.get("/page/").content.decode()


def test_a_flood_of_query_strings_costs_renders_not_unbounded_memory(client, monkeypatch):
    monkeypatch.setattr(pagecache, "MAX_BYTES", 100)
    for n in range(10):
        client.get(f"/page/?q={n}")
    assert pagecache._stored_bytes[0] <= 100
    assert pagecache._stored_bytes[0] == sum(len(p.content) for p in pagecache._pages.values())
    pagecache.invalidate("test")
    assert pagecache._stored_bytes[0] == 0 and not pagecache._pages
