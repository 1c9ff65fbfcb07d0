"""Real-browser tests: Playwright drives Debian's chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "Renshi-Test-2026!"
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
# A phone as the browser sees it: touch, mobile viewport meta honoured.
PHONE_DEVICE = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
STAFF = {"width": 1366, "height": 768}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an asyncio loop running in this thread, which Django's
    # async-safety check mistakes for async code touching the ORM.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_api.sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()
    playwright.stop()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.5 s per login; the journeys log in a dozen times through the real form."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh context (own cookies) at the given viewport size."""
    contexts = []

    def open_page(viewport=DESKTOP, **options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            **options,
        )
        context.set_default_timeout(5000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, username, password=PASSWORD):
    """Fill in and submit the real login form; returns the response to the POST."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as nav:
        page.locator("main form button[type=submit]").click()
    return nav.value


def overflow(page) -> int:
    """How many pixels the page is wider than the configured viewport (a phone widens
    innerWidth to fit overflowing content, so compare with the viewport size)."""
    return page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]


def snap(page, name: str) -> None:
    """A full-page PNG of what the test sees, when RENSHI_SCREENSHOTS names a folder."""
    folder = os.environ.get("RENSHI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.wait_for_load_state("load")  # pictures in, not just the text
        page.screenshot(path=Path(folder) / f"{name}.png", full_page=True)


def pytest_terminal_summary(terminalreporter):
    """Say plainly whether the browser tests ran, since a skip is easy to miss."""
    counts = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        reports = terminalreporter.stats.get(outcome, [])
        n = sum(1 for r in reports if getattr(r, "keywords", {}).get("browser"))
        if n:
            counts[outcome] = n
    if counts:
        summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items())
        terminalreporter.write_line(f"browser tests (chromium via Playwright): {summary}")
