"""Time the hall's tick on the benchmark database (bench/hall_make.py first).

    .venv/bin/python bench/hall_tick.py [--runs 3] [--url postgres://…/renshi_bench_hall]

Each run first forgets the reminders already sent (warned_at / overdue_at cleared, reminders
deleted, outside the timing), then times a full tick — every due case and task reminded, the
worst case, as after a long outage — and then a second tick that finds nothing new (the
steady state: every minute).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.hall_make import DEFAULT_URL
from bench.make_million import setup_django


def forget() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE hall_reminder")
        for table in ("hall_case", "hall_casetask"):
            cursor.execute(
                f"UPDATE {table} SET warned_at = NULL, overdue_at = NULL "
                "WHERE warned_at IS NOT NULL OR overdue_at IS NOT NULL"
            )
        cursor.execute("VACUUM ANALYZE hall_case")
        cursor.execute("VACUUM ANALYZE hall_casetask")


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("BENCH_HALL_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django(args.url)
    from django.db import connection

    from renshi.hall.models import OPEN_STATUSES, RUNNING, Case, CaseTask, Reminder
    from renshi.hall.tick import tick

    connection.ensure_connection()
    connection.connection.autocommit = True  # VACUUM cannot run in a transaction
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES).count()
    running = Case.objects.filter(status__in=RUNNING).count()
    tasks = CaseTask.objects.filter(status="open").count()
    print(
        f"cases: {Case.objects.count()}, open {open_cases} (running {running}), open tasks {tasks}"
    )
    for run in range(1, args.runs + 1):
        forget()
        full, counts = timed(tick)
        reminders = Reminder.objects.count()
        steady, again = timed(tick)
        print(
            f"run {run}: full tick {full:.2f} s ({counts}, {reminders} reminders); "
            f"next tick {steady:.3f} s ({again['red_cases'] + again['red_tasks']} new red)"
        )


if __name__ == "__main__":
    main()
