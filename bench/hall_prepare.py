"""Session cookies and URL mixes for the hall's list pages (bench/hall_pages.sh).

    DATABASE_URL=... .venv/bin/python bench/hall_prepare.py [--out bench/out]

Writes hall_<who>.cookie and hall_<who>.txt for: `staff` (the personnel section's account on
its task list: mine, my role, due — first pages and deeper ones), `bureau` (the same account
on the list of all cases, filtered by status, item, overdue) and `clerk` (the unit clerk with
the most cases on their unit's case list).
"""

import argparse
import random
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.prepare import User, session_for
from renshi.hall.models import Case, CaseStatus, ServiceItem
from renshi.hall.queries import TABS
from renshi.personnel.models import Unit, UserScope


def task_paths(rng) -> list[str]:
    paths = []
    for tab in TABS:
        for page in (1, 1, 1, 2, 3, rng.randint(4, 20)):
            paths.append(f"/hall/tasks/?tab={tab}&page={page}")
    rng.shuffle(paths)
    return paths


def case_paths(rng, *, overdue=True) -> list[str]:
    codes = list(ServiceItem.objects.values_list("code", flat=True))
    queries = [{}, {}, {"page": 2}, {"page": rng.randint(3, 30)}]
    for status in CaseStatus.values:
        queries.append({"status": status})
    for code in rng.sample(codes, 6):
        queries.append({"item": code})
        queries.append({"item": code, "status": "in_progress"})
    if overdue:
        queries += [{"overdue": "on"}, {"overdue": "on", "page": 2}]
    rng.shuffle(queries)
    return ["/hall/cases/?" + urllib.parse.urlencode(q) for q in queries]


def busiest_clerk():
    best, most = None, -1
    for scope in UserScope.objects.select_related("unit", "user"):
        units = Unit.objects.filter(path__startswith=scope.unit.path).values("id")
        n = Case.objects.filter(unit__in=units).count()
        if n > most:
            best, most = scope.user, n
    return best, most


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="bench/out")
    parser.add_argument("--staff", default="personnel")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    staff = User.objects.get(username=args.staff)
    clerk, count = busiest_clerk()
    mixes = {
        "staff": (staff, task_paths(rng)),
        "bureau": (staff, case_paths(rng)),
        "clerk": (clerk, case_paths(rng)),
    }
    for who, (user, paths) in mixes.items():
        (out / f"hall_{who}.cookie").write_text(session_for(user) + "\n")
        (out / f"hall_{who}.txt").write_text("\n".join(paths) + "\n")
    print(f"staff {staff.username}, clerk {clerk.username} ({count} cases)")


if __name__ == "__main__":
    main()
