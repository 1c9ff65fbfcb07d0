"""Proctor draw for a 7,000-candidate exam (figure: ≤ 5 s): 9 sites × 26 rooms × 30 seats
(7,020 candidates, 234 rooms), 2 sessions, 600 proctors from 20 schools, 60 declared relatives
(half of them seated). Times the whole use case (inputs from the database, draw, saving 936
assignments, audit) and the verification, on a fresh database it builds itself.

.venv/bin/python bench/proctors.py          # SQLite file /tmp/bench_proctors.sqlite3
DATABASE_URL=postgres://postgres@127.0.0.1:5432/renshi_bench_proctors \
    .venv/bin/python bench/proctors.py      # PostgreSQL (the database is dropped and re-created)
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")
SQLITE_FILE = Path("/tmp/bench_proctors.sqlite3")


def fresh_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        SQLITE_FILE.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
        return
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    fresh_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from renshi.core.idnumbers import make_id_number
    from renshi.core.tests.factories import UserFactory
    from renshi.exams import draws
    from renshi.exams.models import ProctorAssignment, Seat
    from renshi.exams.services import proctors
    from renshi.exams.tests.factories import make_exam
    from renshi.exams.tests.factories_proctors import (
        make_proctors,
        make_sessions,
        make_sites,
        seat_candidates,
    )

    started = time.perf_counter()
    exam = make_exam()
    make_sessions(exam, count=2)
    schools = [f"鞍山第{n + 1}中学" for n in range(20)]
    rooms = make_sites(exam, sites=9, rooms_per_site=26, schools=schools)
    relatives = [
        make_id_number("210302", datetime.date(1990, 1, 1 + n % 28), n + 1) for n in range(60)
    ]
    seat_candidates(exam, rooms, per_room=30, id_numbers=relatives[:30])
    pool = make_proctors(600, schools=schools)
    office = UserFactory(role="exam_office", username="bench_office")
    for n, number in enumerate(relatives):
        proctors.proctor_relative_add(
            actor=office, proctor=pool[n * 7], name=f"亲属{n}", id_number=number, relation="子女"
        )
    print(
        f"{connection.vendor}: {Seat.objects.count()} candidates, {len(rooms)} rooms, "
        f"2 sessions, {len(pool)} proctors; data built in {time.perf_counter() - started:.1f} s"
    )
    for run in range(args.runs):
        t0 = time.perf_counter()
        draw = proctors.proctors_draw(actor=office, exam=exam, seed=f"{run + 1:012d}")
        t1 = time.perf_counter()
        ok = draws.verify(draw).ok and proctors.assignments_intact(draw)
        t2 = time.perf_counter()
        saved = ProctorAssignment.objects.filter(draw=draw).count()
        print(
            f"run {run + 1}: draw {t1 - t0:.2f} s ({saved} assignments, "
            f"{draw.summary['repeat_pairs']} repeated pairs); verify {t2 - t1:.2f} s, "
            f"{'一致' if ok else '不一致'}"
        )


if __name__ == "__main__":
    main()
