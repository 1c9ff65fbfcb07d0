"""Screenshots of the main pages, desktop and phone, from a server that is already running.

    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000

It starts nothing: run `make demo` (or `manage.py runserver` with REQUIRE_STAFF_2FA=0) first.
It logs in through the real form as a few demo users and writes PNGs to screenshots/ (gitignored),
one folder per viewport. A page wider than the screen is reported (the usual phone bug).
"""

import argparse
import os
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",  # Chinese date inputs and file picker (Debian needs chromium-l10n)
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1400, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
# Which pages each demo account is shown on; discovered URLs fill in the <person>/<unit> parts.
DEFAULT_USERS = {
    "personnel": [
        "home",
        "person_list",
        "person_detail",
        "person_edit",
        "unit_list",
        "unit_detail",
        "unit_ledger",
        "stats",
        "import",
    ],
    "auditor": ["home", "audit_list"],
    "clerk_caizheng": ["home", "person_list", "person_detail", "unit_list"],
}
STATIC_PAGES = {
    "home": "/",
    "person_list": "/personnel/people/",
    "unit_list": "/personnel/units/",
    "stats": "/personnel/stats/",
    "import": "/personnel/import/",
    "audit_list": "/audit/",
}
PERSON_LINK = re.compile(r"/personnel/people/\d+/$")
UNIT_LINK = re.compile(r"/personnel/units/\d+/$")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="screenshots", type=Path)
    parser.add_argument(
        "--password",
        default=os.environ.get("DEMO_PASSWORD", "Renshi@2026"),
        help="password of the default demo users",
    )
    parser.add_argument(
        "--user",
        action="append",
        metavar="USERNAME:PASSWORD",
        help="log in as this user instead of the demo users (repeatable; shows every page)",
    )
    return parser.parse_args()


def first_link(page, pattern):
    for href in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)"):
        if pattern.search(href):
            return href
    return None


def discover(page, base_url):
    """Find a person and a unit this user can see, by following the list pages."""
    urls = {name: urljoin(base_url, path) for name, path in STATIC_PAGES.items()}
    page.goto(urls["person_list"])
    if person := first_link(page, PERSON_LINK):
        urls["person_detail"] = person
        urls["person_edit"] = person + "edit/"
    page.goto(urls["unit_list"])
    if unit := first_link(page, UNIT_LINK):
        urls["unit_detail"] = unit
        urls["unit_ledger"] = unit + "ledger/"
    return urls


def log_in(page, base_url, username, password):
    page.goto(urljoin(base_url, "/accounts/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if "/accounts/2fa/" in page.url:
        sys.exit("the server asks for two-factor codes: run it with REQUIRE_STAFF_2FA=0")
    if "/accounts/login/" in page.url:
        sys.exit(f"could not log in as {username}: check the password (--password / --user)")


def shoot(page, url, path, problems):
    response = page.goto(url, wait_until="networkidle")
    if response is None or response.status >= 400:
        status = response.status if response else "no response"
        problems.append(f"{path.name}: {url} answered {status}")
        return
    page.wait_for_timeout(600)  # let chart animations settle
    # Against the configured width: a phone browser widens innerWidth to fit overflowing content.
    overflow = page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]
    if overflow > 1:
        problems.append(f"{path.name}: page is {overflow}px wider than the viewport")
    page.screenshot(path=path, full_page=True)
    print(path)


def main():
    args = parse_args()
    if args.user:
        users = {u.split(":", 1)[0]: (u.split(":", 1)[1], None) for u in args.user}
    else:
        users = {name: (args.password, pages) for name, pages in DEFAULT_USERS.items()}
    problems = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for viewport, options in VIEWPORTS.items():
            folder = args.out / viewport
            folder.mkdir(parents=True, exist_ok=True)
            context = browser.new_context(locale="zh-CN", **options)
            page = context.new_page()
            shoot(page, urljoin(args.base_url, "/accounts/login/"), folder / "login.png", problems)
            context.close()
            for username, (password, pages) in users.items():
                context = browser.new_context(locale="zh-CN", **options)
                page = context.new_page()
                log_in(page, args.base_url, username, password)
                urls = discover(page, args.base_url)
                for n, name in enumerate(pages or urls, start=1):
                    if name not in urls:
                        problems.append(f"{username}/{name}: no link found to follow")
                        continue
                    shoot(page, urls[name], folder / f"{username}-{n:02d}-{name}.png", problems)
                context.close()
        browser.close()
    for problem in problems:
        print("problem:", problem, file=sys.stderr)


if __name__ == "__main__":
    main()
