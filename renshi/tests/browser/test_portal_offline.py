"""Issue 6 item 8 in a real browser: the public site asks nothing of another host (no CDN, fonts
or analytics), each page weighs under 200 KB before images, and it reads well on a phone.

The site is served here the way production serves it — every request, static files included,
through the WSGI application and WhiteNoise (which sends the gzip copies `make assets` writes
beside the vendored files) — rather than through the test server's own static handler.
"""

from urllib.parse import urlsplit

import pytest
from django.db import connections, transaction
from django.test.testcases import LiveServerThread
from django.utils import timezone

from renshi.core.tests.factories import UserFactory
from renshi.exams.models import Announcement, AnnouncementKind
from renshi.exams.tests.factories import make_exam
from renshi.portal import pages, services
from renshi.tests.browser.conftest import DESKTOP, PHONE_DEVICE, overflow, snap

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
BUDGET = 200 * 1024  # bytes on the wire before images


@pytest.fixture
def site_url(transactional_db):
    """The whole site behind one WSGI server thread, static files through WhiteNoise."""
    overrides = {
        c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()
    }
    for connection in overrides.values():  # as LiveServerTestCase does: one in-memory database
        connection.inc_thread_sharing()
    thread = LiveServerThread("127.0.0.1", lambda app: app, connections_override=overrides)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        for connection in overrides.values():
            connection.dec_thread_sharing()


@pytest.fixture
def content():
    pages.forget()
    with transaction.atomic():
        editor = UserFactory(role="web_editor")
        columns = {c.slug: c for c in services.categories_ensure()}
        article = None
        for n in range(8):
            for slug in ("news", "notices", "appointments"):
                article = services.article_create(
                    actor=editor,
                    category_id=columns[slug].pk,
                    title=f"关于做好2026年度机关事业单位工作人员年度考核工作的通知（{slug}{n}）",
                    body="<p>各县（市）区人事局，市直各单位：</p>" * 20
                    + "<table><tr><td>单位</td><td>人数</td></tr></table>",
                )
                services.article_publish(actor=editor, article=article)
        exam = make_exam(name="鞍山市2026年考试录用公务员")
        Announcement.objects.create(
            exam=exam,
            number=1,
            kind=AnnouncementKind.ANNOUNCEMENT,
            title="鞍山市2026年考试录用公务员公告",
            body="正文",
            published_at=timezone.now(),
        )
    return {"article": article}


def _watch(page):
    """Every URL the page asks for, and the requests that finished."""
    seen = {"urls": [], "finished": []}
    page.on("request", lambda request: seen["urls"].append(request.url))
    page.on("requestfinished", lambda request: seen["finished"].append(request))
    return seen


def _weight(seen) -> tuple[int, int]:
    """Bytes of the non-image responses: on the wire, and decoded."""
    wire = decoded = 0
    for request in seen["finished"]:
        if request.resource_type == "image":
            continue
        wire += request.sizes()["responseBodySize"]
        decoded += len(request.response().body())
    return wire, decoded


def _open(browser, site_url, path, **context_options):
    context = browser.new_context(
        base_url=site_url, locale="zh-CN", timezone_id="Asia/Shanghai", **context_options
    )
    context.set_default_timeout(10000)
    page = context.new_page()
    seen = _watch(page)
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    return context, page, response, seen


def _paths(content):
    paths = ["/site/", "/site/news/notices/", f"/site/article/{content['article'].pk}/"]
    # The policy library and the 公示 list belong to other apps; checked when they are there.
    return [*paths, "/policies/", "/sunshine/notices/"]


def test_no_request_leaves_the_host_and_pages_are_light(browser, site_url, content):
    checked = []
    for path in _paths(content):
        context, page, response, seen = _open(browser, site_url, path, viewport=DESKTOP)
        try:
            if path.startswith(("/policies/", "/sunshine/")) and response.status != 200:
                continue  # not built yet
            assert response.status == 200, path
            outside = [u for u in seen["urls"] if urlsplit(u).hostname not in LOCAL_HOSTS]
            assert outside == [], (path, outside)
            wire, decoded = _weight(seen)
            assert wire < BUDGET, (path, wire, decoded)
            checked.append((path, wire, decoded))
            snap(page, "portal_desktop" + path.replace("/", "_").rstrip("_"))
        finally:
            context.close()
    print("page weight before images (bytes on the wire, decoded):", checked)
    assert len(checked) >= 3


def test_the_site_reads_well_on_a_phone(browser, site_url, content):
    for name, path in [
        ("portal_home_phone", "/site/"),
        ("portal_column_phone", "/site/news/exams/"),
        ("portal_article_phone", f"/site/article/{content['article'].pk}/"),
    ]:
        context, page, response, seen = _open(browser, site_url, path, **PHONE_DEVICE)
        try:
            assert response.status == 200
            assert overflow(page) <= 0, path
            assert all(urlsplit(u).hostname in LOCAL_HOSTS for u in seen["urls"])
            snap(page, name)
        finally:
            context.close()
    context, page, _, _ = _open(browser, site_url, "/site/", **PHONE_DEVICE)
    try:
        page.fill("#policy-q", "公务员 考核")
        with page.expect_navigation():
            page.locator("form[role=search] button").click()
        assert "/policies/?q=" in page.url
    finally:
        context.close()
