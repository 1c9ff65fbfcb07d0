"""Room and seat assignment, end to end (read the paid applications, deal, write the seats).

    .venv/bin/python bench/seating.py                       # PostgreSQL, 1,000,000 candidates
    .venv/bin/python bench/seating.py --sqlite              # SQLite, 20,000 candidates
    .venv/bin/python bench/seating.py --candidates 200000 --url postgres://…/other_db

Targets (issue 4): 1,000,000 on PostgreSQL in ≤ 30 s, 20,000 on SQLite in ≤ 5 s.

The script makes its own database (PostgreSQL `renshi_bench_seats`, or /tmp/renshi_bench_seats
.sqlite3), migrates it, and writes one exam with 14 exam areas, 2,000 positions, the candidates
(accounts, candidates and approved, paid applications; COPY on PostgreSQL) and enough rooms of
30 (sites of 60 rooms) for every area. Re-running reuses the data. It then times
`seats_assign_exam` three times: the first draw (empty seat table), a re-draw straight after it
(deleting and rewriting every seat while the old rows are not yet vacuumed: the worst case), and
a re-draw after VACUUM (as when autovacuum has run between two draws); then checks the seats.
"""

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/renshi_bench_seats"
SQLITE_PATH = Path("/tmp/renshi_bench_seats.sqlite3")
EXAM_CODE = "9001"
AREAS = 14
POSITIONS = 2000
ROOMS_PER_SITE = 60


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"], env=env, check=True
    )


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")
    import django

    django.setup()


def make_exam():
    from django.utils import timezone

    from renshi.exams.models import Exam, ExamArea, Position

    exam = Exam.objects.filter(code=EXAM_CODE).first()
    if exam:
        return exam
    now = timezone.now()
    exam = Exam.objects.create(
        code=EXAM_CODE,
        name="座位编排基准考试",
        kind="civil_service",
        status="published",
        registration_opens=now - datetime.timedelta(days=30),
        registration_closes=now - datetime.timedelta(days=20),
        review_closes=now - datetime.timedelta(days=18),
        payment_closes=now - datetime.timedelta(days=15),
    )
    areas = ExamArea.objects.bulk_create(
        ExamArea(exam=exam, code=f"{a:02d}", name=f"考区{a:02d}") for a in range(1, AREAS + 1)
    )
    Position.objects.bulk_create(
        Position(
            exam=exam,
            code=f"{p:012d}",
            hiring_unit_name=f"招录机关{p}",
            title="综合管理岗",
            area=areas[p % AREAS],
            plan_count=2,
            original_plan_count=2,
        )
        for p in range(POSITIONS)
    )
    return exam


def ensure_rooms(exam) -> None:
    """Rooms of 30 (sites of 60 rooms) until every area has a seat for each paid candidate."""
    from django.db.models import Sum

    from renshi.exams.models import ExamRoom, ExamSite
    from renshi.exams.services.seating import seated_applications

    for area in exam.areas.order_by("code"):
        paid = seated_applications(exam.pk, area.pk).count()
        have = ExamRoom.objects.filter(site__area=area).aggregate(n=Sum("capacity"))["n"] or 0
        missing = -(-(paid - have) // 30)
        sites = exam.sites.filter(area=area).order_by("code")
        next_site = int(sites.last().code) + 1 if sites else 1
        while missing > 0:
            site = ExamSite.objects.create(
                exam=exam, area=area, code=f"{next_site:02d}", name=f"第{next_site}考点",
                school=f"第{next_site}中学",
            )  # fmt: skip
            count = min(missing, ROOMS_PER_SITE)
            ExamRoom.objects.bulk_create(
                ExamRoom(site=site, code=f"{r:02d}") for r in range(1, count + 1)
            )
            missing -= count
            next_site += 1


def rows_for(model, count, values):
    """Rows of every concrete column (id left to the database): `values(i)` for some, defaults
    for the rest."""
    fields = [f for f in model._meta.concrete_fields if f.attname != "id"]
    defaults = {}
    for f in fields:
        default = f.get_default()
        if f.get_internal_type() == "JSONField":
            default = "[]" if default == [] else "{}"
        defaults[f.attname] = default
    names = [f.attname for f in fields]
    for i in range(count):
        row = defaults | values(i)
        yield [row[n] for n in names]


def columns(model):
    fields = [f for f in model._meta.concrete_fields if f.attname != "id"]
    return ", ".join(f'"{f.column}"' for f in fields)


def make_candidates(exam, candidates: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from renshi.core.models import User
    from renshi.exams.models import Application, Candidate

    have = Application.objects.filter(exam=exam).count()
    if have >= candidates:
        return
    if have:
        raise SystemExit(f"{have} applications already there; drop the database to change size")
    started, now = time.monotonic(), timezone.now()
    positions = list(exam.positions.order_by("id").values_list("id", "area_id"))
    first_user = (User.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    first_cand = (Candidate.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1

    def user(i):
        return {"username": f"seatbench{i}", "password": "!", "role": "candidate",
                "date_joined": now, "is_active": True}  # fmt: skip

    def candidate(i):
        return {"user_id": first_user + i, "name": f"考生{i}", "id_number_cipher": "x",
                "id_number_hash": f"seatbench{i}", "id_number_masked": "2103**********0000",
                "birth_date": datetime.date(1995, 1, 1), "sex": "1", "phone_cipher": "x",
                "phone_hash": "x", "phone_masked": "139****0000", "created_at": now}  # fmt: skip

    def application(i):
        position, area = positions[(i * 7919) % len(positions)]
        return {"exam_id": exam.pk, "candidate_id": first_cand + i, "position_id": position,
                "area_id": area, "status": "approved", "fee_status": "paid",
                "submitted_at": now, "paid_at": now}  # fmt: skip

    steps = [(User, user), (Candidate, candidate), (Application, application)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model, values in steps:
                sql = f"COPY {model._meta.db_table} ({columns(model)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows_for(model, candidates, values):
                        copy.write_row(row)
            cursor.execute("ANALYZE")
    else:
        for model, values in steps:
            fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
            rows = rows_for(model, candidates, values)
            objects = (model(**dict(zip(fields, row, strict=True))) for row in rows)
            model.objects.bulk_create(objects, batch_size=500)
    print(f"data: {candidates:,} candidates written in {time.monotonic() - started:.1f} s")


def clear_seats() -> None:
    """Start from an empty seat table (the first draw of an exam)."""
    from django.db import connection

    from renshi.exams.models import Seat

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE exams_seat")
        vacuum()
    else:
        Seat.objects.all().delete()


def vacuum() -> None:
    """What autovacuum does between two draws made minutes apart."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE exams_seat" if connection.vendor == "postgresql" else "VACUUM"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--candidates", type=int)
    parser.add_argument("--url")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = args.url or (f"sqlite:///{SQLITE_PATH}" if args.sqlite else PG_URL)
    candidates = args.candidates or (20_000 if url.startswith("sqlite") else 1_000_000)
    ensure_database(url)
    migrate(url)
    setup_django(url)

    from django.db import connection

    from renshi.exams.models import Seat
    from renshi.exams.services import seating

    exam = make_exam()
    make_candidates(exam, candidates)
    ensure_rooms(exam)
    print(f"{connection.vendor}: {candidates:,} paid candidates, {AREAS} areas")
    labels = {1: "first draw (empty seat table)", 2: "re-draw at once (old rows not vacuumed)"}
    for run in range(1, args.runs + 1):
        if run == 1:
            clear_seats()
        elif run > 2:
            vacuum()
        started = time.monotonic()
        made = seating.seats_assign_exam(actor="基准测试", exam=exam, witnesses="基准测试")
        elapsed = time.monotonic() - started
        label = labels.get(run, "re-draw after VACUUM")
        print(f"run {run}: {len(made)} draws, {elapsed:.2f} s end to end — {label}")
    seats = Seat.objects.filter(room__site__exam=exam)
    assert seats.count() == candidates
    assert seats.values("ticket_number").distinct().count() == candidates
    print("checked: every candidate seated once, ticket numbers unique")


if __name__ == "__main__":
    main()
