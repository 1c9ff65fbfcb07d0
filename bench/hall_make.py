"""A PostgreSQL database with the demo city, the service items and many cases (办件), for the
hall benchmarks (tick, task list, unit case list).

    .venv/bin/python bench/hall_make.py [--cases 100000] [--open 0.3] [--reset]
                                        [--url postgres://…/renshi_bench_hall]

Cases are laid out by renshi.hall.demo.CasePlanner (the same as `load_demo_cases`, over every
published item and every unit; a unit with a demo clerk files online) and streamed in with COPY:
each with its tasks, history, notices, materials and, for some, a rating. `--cases 100000
--open 1` gives 100,000 open cases for the tick. `--reset` empties the hall's case tables first;
without it the new cases are added.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.make_million import ensure_database, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/renshi_bench_hall"
CHUNK = 20000
CASE_TABLES = [
    "hall_reminder",
    "hall_rating",
    "hall_extension",
    "hall_casematerial",
    "hall_casenotice",
    "hall_caseevent",
    "hall_casetask",
    "hall_case",
    "hall_casesequence",
]


def prepare(url: str) -> None:
    from django.core.management import call_command

    from renshi.personnel.models import Unit

    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        call_command("load_demo_city")
    call_command("load_service_items")


def reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(CASE_TABLES)}")


def generate(total: int, open_share: float, seed: int) -> dict:
    from django.db import connection, transaction

    from renshi.hall import demo
    from renshi.hall.models import ItemVersion, VersionStatus
    from renshi.personnel.models import Unit

    versions = list(
        ItemVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("item")
    )
    units = list(Unit.objects.values_list("id", "name"))
    clerks, staff = demo.clerk_units(), demo.staff_by_role()
    counts: dict[str, int] = {}
    done = 0
    while done < total:
        n = min(CHUNK, total - done)
        with transaction.atomic():
            planner = demo.CasePlanner(
                versions=versions, units=units, clerks=clerks, staff=staff, seed=seed + done
            )
            for table, rows in demo.write(planner.plan(n, open_share)).items():
                counts[table] = counts.get(table, 0) + rows
        done += n
        print(f"{done} cases", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("BENCH_HALL_URL", DEFAULT_URL))
    parser.add_argument("--cases", type=int, default=100000)
    parser.add_argument("--open", type=float, default=0.3, help="share of open cases")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    ensure_database(args.url)
    setup_django(args.url)
    started = time.monotonic()
    prepare(args.url)
    print(f"database ready in {time.monotonic() - started:.1f} s", flush=True)
    if args.reset:
        reset()
    started = time.monotonic()
    counts = generate(args.cases, args.open, args.seed)
    print(f"{counts} in {time.monotonic() - started:.1f} s")

    from renshi.hall.models import Case, CaseStatus

    for status, label in CaseStatus.choices:
        print(f"  {label}: {Case.objects.filter(status=status).count()}")


if __name__ == "__main__":
    main()
