"""Screenshots of the main pages, desktop and phone, from a server that is already running.

    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000

It starts nothing: run `make demo` (or `manage.py runserver` with REQUIRE_STAFF_2FA=0) first.
It logs in through the real form as a few demo users (staff at /accounts/login/, the demo
candidate at /exams/me/login/) and writes PNGs to screenshots/ (gitignored), one folder per
viewport. A page wider than the screen is reported (the usual phone bug).
`--only exams` keeps to the exam registration pages (`--only personnel` to the others);
`--only admin` to the exam administration pages (issue 4: seating, tickets, proctors, scores,
interviews, hiring) of the demo exam 2602 (`manage.py load_demo_exam_admin`), seen by the exam
office, the `proctor` and `examiner` accounts, the public and a seated candidate
(`--admin-candidate`: the phone number load_demo_exam_admin prints).
The browser test renshi/tests/browser/test_exam_journey.py also takes pictures of every page it
passes through when RENSHI_SCREENSHOTS names a folder.
"""

import argparse
import os
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

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
    "desktop": {"viewport": {"width": 1366, "height": 900}},
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
    "exam_office": [
        "office_exam_list",
        "office_exam_detail",
        "office_position_list",
        "review_list",
        "review_detail",
        "waiver_list",
        "opening_ratio",
        "payment_orders",
        "reconciliation",
        # Exam administration (issue 4), the demo exam 2602.
        "seating_exam",
        "seating_assign",
        "seating_site",
        "seating_room",
        "seating_draw",
        "ticket_verify",
        "proctor_pool",
        "proctor_detail",
        "proctor_exam",
        "proctor_site",
        "incident_list",
        "scores_exam",
        "scores_rules",
        "scores_import",
        "scores_reviews",
        "scores_position",
        "interviews_examiners",
        "interviews_exam",
        "interviews_panel",
        "interviews_hiring",
    ],
    "proctor": ["proctor_mine", "room_sheet"],
    "examiner": ["interviews_my_panels", "interviews_my_panel"],
}
# The demo candidate (王小明, `make demo`), logged in by phone number.
DEFAULT_CANDIDATE = "13904120001"
CANDIDATE_PAGES = [
    "candidate_home",
    "profile",
    "education_add",
    "photo",
    "exam_list",
    "exam_detail",
    "position_list",
    "position_detail",
    "apply",
    "my_applications",
    "application_detail",
]
ADMIN_CANDIDATE_PAGES = ["admin_application", "scores_mine", "candidate_incidents"]
ANONYMOUS_PAGES = [
    "login",
    "candidate_login",
    "candidate_signup",
    "exam_list",
    "underfilled",
    "scores_lookup",
    "public_notices",
    "public_notice",
]
ADMIN_USERS = {"proctor", "examiner"}  # made by load_demo_exam_admin
ADMIN_EXAM = "2602"  # the demo exam with seats, proctors, scores and panels
ADMIN_PAGES = {
    *DEFAULT_USERS["exam_office"][DEFAULT_USERS["exam_office"].index("seating_exam") :],
    *DEFAULT_USERS["proctor"],
    *DEFAULT_USERS["examiner"],
    *ADMIN_CANDIDATE_PAGES,
    "scores_lookup",
    "public_notices",
    "public_notice",
}
EXAM_PAGES = {*DEFAULT_USERS["exam_office"], *CANDIDATE_PAGES, *ANONYMOUS_PAGES} - {"login"}
STATIC_PAGES = {
    "home": "/",
    "login": "/accounts/login/",
    "person_list": "/personnel/people/",
    "unit_list": "/personnel/units/",
    "stats": "/personnel/stats/",
    "import": "/personnel/import/",
    "audit_list": "/audit/",
    "candidate_login": "/exams/me/login/",
    "candidate_signup": "/exams/me/signup/",
    "candidate_home": "/exams/me/",
    "profile": "/exams/me/profile/",
    "education_add": "/exams/me/profile/education/new/",
    "photo": "/exams/me/photo/",
    "exam_list": "/exams/",
    "my_applications": "/exams/my/",
    "office_exam_list": "/exams/office/",
    "review_list": "/exams/review/",
    "waiver_list": "/exams/waivers/",
    "payment_orders": "/pay/office/orders/",
    "reconciliation": "/pay/office/reconciliation/",
    "ticket_verify": "/exams/seating/verify/",
    "proctor_pool": "/exams/proctors/pool/",
    "proctor_mine": "/exams/proctors/mine/",
    "candidate_incidents": "/exams/proctors/me/",
    "scores_lookup": "/exams/scores/lookup/",
    "interviews_examiners": "/exams/interviews/examiners/",
    "interviews_my_panels": "/exams/interviews/me/",
    "public_notices": "/exams/interviews/public/",
}
PERSON_LINK = re.compile(r"/personnel/people/\d+/$")
UNIT_LINK = re.compile(r"/personnel/units/\d+/$")
# (page, the page whose first matching link it is, link pattern, pages under it by suffix),
# in the order they are found: a page's source comes before it.
LINKS = [
    ("person_detail", "person_list", PERSON_LINK, {"person_edit": "edit/"}),
    ("unit_detail", "unit_list", UNIT_LINK, {"unit_ledger": "ledger/"}),
    (
        "exam_detail",
        "exam_list",
        re.compile(r"/exams/\d+/$"),
        {"position_list": "positions/", "underfilled": "positions/underfilled/"},
    ),
    (
        "position_detail",
        "position_list",
        re.compile(r"/exams/positions/\d+/$"),
        {"apply": "apply/"},
    ),
    ("application_detail", "my_applications", re.compile(r"/exams/my/\d+/$"), {}),
    ("review_detail", "review_list", re.compile(r"/exams/review/\d+/$"), {}),
    (
        "office_exam_detail",
        "office_exam_list",
        re.compile(r"/exams/office/\d+/$"),
        {"office_position_list": "positions/"},
    ),
    ("opening_ratio", "office_exam_detail", re.compile(r"/exams/ratio/\d+/$"), {}),
    # Exam administration: the demo exam's office page (found by its code), then its parts.
    ("admin_exam", "office_exam_list", ADMIN_EXAM, {}),
    (
        "seating_exam",
        "admin_exam",
        re.compile(r"/exams/seating/\d+/$"),
        {"seating_assign": "assign/"},
    ),
    ("seating_site", "seating_exam", re.compile(r"/exams/seating/sites/\d+/$"), {}),
    ("seating_room", "seating_site", re.compile(r"/exams/seating/rooms/\d+/$"), {}),
    ("seating_draw", "seating_exam", re.compile(r"/exams/seating/draws/\d+/$"), {}),
    ("proctor_detail", "proctor_pool", re.compile(r"/exams/proctors/pool/\d+/$"), {}),
    (
        "proctor_exam",
        "admin_exam",
        re.compile(r"/exams/proctors/exam/\d+/$"),
        {"incident_list": "incidents/"},
    ),
    ("proctor_site", "proctor_exam", re.compile(r"/exams/proctors/site/\d+/$"), {}),
    (
        "scores_exam",
        "admin_exam",
        re.compile(r"/exams/scores/exam/\d+/$"),
        {"scores_rules": "rules/", "scores_import": "import/", "scores_reviews": "reviews/"},
    ),
    ("scores_position", "scores_exam", re.compile(r"/exams/scores/exam/\d+/positions/\d+/$"), {}),
    (
        "interviews_exam",
        "admin_exam",
        re.compile(r"/exams/interviews/exams/\d+/$"),
        {"interviews_hiring": "hiring/"},
    ),
    ("interviews_panel", "interviews_exam", re.compile(r"/exams/interviews/panels/\d+/$"), {}),
    ("room_sheet", "proctor_mine", re.compile(r"/exams/proctors/session/\d+/room/\d+/$"), {}),
    ("interviews_my_panel", "interviews_my_panels", re.compile(r"/interviews/me/panels/\d+/$"), {}),
    ("admin_application", "my_applications", ADMIN_EXAM, {}),
    ("scores_mine", "admin_application", re.compile(r"/exams/scores/me/\d+/$"), {}),
    ("public_notice", "public_notices", re.compile(r"/exams/interviews/public/\d+/$"), {}),
]


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
    parser.add_argument(
        "--candidate",
        default=DEFAULT_CANDIDATE,
        metavar="PHONE_OR_ID[:PASSWORD]",
        help="the candidate shown on the exam pages ('' for none)",
    )
    parser.add_argument(
        "--admin-candidate",
        default="",
        metavar="PHONE_OR_ID[:PASSWORD]",
        help="with --only admin: a seated candidate of the demo exam 2602 (default: --candidate)",
    )
    parser.add_argument(
        "--only", choices=["exams", "admin", "personnel"], help="keep to these pages"
    )
    return parser.parse_args()


def first_link(page, pattern):
    """The first link in the page's main part matching the pattern; an exam code instead finds
    the link of that exam: its row in a table, or a card of one of its positions (the demo's
    position codes start with the exam code)."""
    if isinstance(pattern, str):
        return page.evaluate(
            r"""code => {
              for (const row of document.querySelectorAll("main tr")) {
                const cells = [...row.cells].map(c => c.textContent.trim());
                const link = row.querySelector("a[href]");
                if (link && cells.includes(code)) return link.href;
              }
              for (const card of document.querySelectorAll("main a.card")) {
                const codes = card.textContent.match(/\d{12}/g) || [];
                if (codes.some(c => c.startsWith(code))) return card.href;
              }
              return null;
            }""",
            pattern,
        )
    for href in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)"):
        if pattern.search(href):
            return href
    return None


def discover(page, base_url, wanted=None):
    """Find a person, a unit, an exam, a position, an application… this user can see, by
    following the list pages; only the lists that lead to a `wanted` page are opened."""
    urls = {name: urljoin(base_url, path) for name, path in STATIC_PAGES.items()}
    needed = set(wanted) if wanted else None
    for name, source, _pattern, below in reversed(LINKS):
        if needed is not None and ({name, *below} & needed):
            needed.add(source)
    for name, source, pattern, below in LINKS:
        if source not in urls or (needed is not None and not {name, *below} & needed):
            continue
        page.goto(urls[source])
        if link := first_link(page, pattern):
            urls[name] = link
            urls.update({sub: link + suffix for sub, suffix in below.items()})
    return urls


def part_of(page) -> str:
    if page in ADMIN_PAGES:
        return "admin"
    return "exams" if page in EXAM_PAGES else "personnel"


def keep(pages, only):
    """The pages of one part of the site (--only), in their order."""
    if only is None or pages is None:
        return pages
    return [p for p in pages if part_of(p) == only]


def submit_login(page, url, name_field, name, password):
    """Fill in and submit a real login form; True when it let us in."""
    page.goto(url)
    page.fill(name_field, name)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return urlsplit(page.url).path != urlsplit(url).path


def log_in(page, base_url, username, password):
    """Log in or stop; the accounts of the exam administration demo may be missing (False)."""
    url = urljoin(base_url, "/accounts/login/")
    ok = submit_login(page, url, "#id_username", username, password)
    if "/accounts/2fa/" in page.url:
        sys.exit("the server asks for two-factor codes: run it with REQUIRE_STAFF_2FA=0")
    if not ok and username in ADMIN_USERS:
        return False
    if not ok:
        sys.exit(f"could not log in as {username}: check the password (--password / --user)")
    return True


def log_in_candidate(page, base_url, identifier, password):
    url = urljoin(base_url, "/exams/me/login/")
    if not submit_login(page, url, "#id_identifier", identifier, password):
        sys.exit(f"could not log in as candidate {identifier}: check --candidate")


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


def shoot_pages(context, args, who, pages, folder, problems):
    page = context.new_page()
    urls = discover(page, args.base_url, pages)
    for n, name in enumerate(pages or urls, start=1):
        if name not in urls:
            problems.append(f"{who}/{name}: no link found to follow")
            continue
        shoot(page, urls[name], folder / f"{who}-{n:02d}-{name}.png", problems)
    return page


def main():
    args = parse_args()
    if args.user:
        users = {u.split(":", 1)[0]: (u.split(":", 1)[1], None) for u in args.user}
    else:
        users = {name: (args.password, pages) for name, pages in DEFAULT_USERS.items()}
    users = {name: (pw, keep(pages, args.only)) for name, (pw, pages) in users.items()}
    users = {name: value for name, value in users.items() if value[1] != []}
    chosen = args.admin_candidate if args.only == "admin" and args.admin_candidate else None
    candidate, _, candidate_password = (chosen or args.candidate).partition(":")
    problems = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for viewport, options in VIEWPORTS.items():
            folder = args.out / viewport
            folder.mkdir(parents=True, exist_ok=True)
            context = browser.new_context(locale="zh-CN", **options)
            shoot_pages(
                context, args, "anonymous", keep(ANONYMOUS_PAGES, args.only), folder, problems
            )
            context.close()
            for username, (password, pages) in users.items():
                context = browser.new_context(locale="zh-CN", **options)
                if not log_in(context.new_page(), args.base_url, username, password):
                    problems.append(f"{username}: cannot log in (run load_demo_exam_admin)")
                    context.close()
                    continue
                shoot_pages(context, args, username, pages, folder, problems)
                context.close()
            if candidate and args.only != "personnel":
                context = browser.new_context(locale="zh-CN", **options)
                password = candidate_password or args.password
                log_in_candidate(context.new_page(), args.base_url, candidate, password)
                pages = ADMIN_CANDIDATE_PAGES if args.only == "admin" else CANDIDATE_PAGES
                shoot_pages(context, args, "candidate", pages, folder, problems)
                context.close()
        browser.close()
    for problem in problems:
        print("problem:", problem, file=sys.stderr)


if __name__ == "__main__":
    main()
