"""Examiner draw for a 7,000-candidate exam: ~40 panels from a pool of ~400, then every panel's
candidates draw their order, then every draw is verified again from its seed.

    .venv/bin/python bench/examiners.py [--url sqlite:////tmp/bench_examiners.sqlite3]
        [--candidates 7000] [--panels 40] [--pool 400]
    .venv/bin/python bench/examiners.py --url postgres://postgres@127.0.0.1:5432/renshi_bench_examiners

The database is created afresh (SQLite file removed, PostgreSQL database dropped and re-created)
and migrated. Setup (candidates, shortlist, pool, panels) is not timed; each draw is timed end to
end through its service (inputs read from the database, draw, Draw + audit row, rows saved).
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "sqlite:////tmp/bench_examiners.sqlite3"


def fresh_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(candidates: int, panel_count: int, pool: int):
    from django.utils import timezone

    from renshi.core.models import User
    from renshi.core.roles import Role
    from renshi.exams import models as m

    now = timezone.now()
    exam = m.Exam.objects.create(
        code="7000",
        name="基准：7000人考试",
        kind=m.ExamKind.CIVIL_SERVICE,
        status=m.ExamStatus.PUBLISHED,
        registration_opens=now,
        registration_closes=now,
        review_closes=now,
        payment_closes=now,
    )
    positions_per_panel = 10
    units = [f"鞍山市第{n}局" for n in range(panel_count * positions_per_panel // 2)]
    positions = m.Position.objects.bulk_create(
        m.Position(
            exam=exam,
            code=f"{n:012d}",
            hiring_unit_name=units[n % len(units)],
            title="综合管理岗",
            plan_count=1 + n % 2,
            original_plan_count=1 + n % 2,
        )
        for n in range(panel_count * positions_per_panel)
    )
    users = User.objects.bulk_create(
        User(username=f"bench{n}", role=Role.CANDIDATE, password="!", full_name=f"考生{n}")
        for n in range(candidates)
    )
    people = m.Candidate.objects.bulk_create(
        m.Candidate(
            user=u,
            name=u.full_name,
            id_number_cipher="-",
            id_number_hash=f"h{n}",
            id_number_masked="-",
            birth_date=datetime.date(1998, 1, 1),
            sex="1",
            phone_cipher="-",
            phone_hash=f"p{n}",
            phone_masked="-",
        )
        for n, u in enumerate(users)
    )
    applications = m.Application.objects.bulk_create(
        m.Application(
            exam=exam,
            candidate=c,
            position=positions[n % len(positions)],
            status=m.ApplicationStatus.APPROVED,
            fee_status=m.FeeStatus.PAID,
        )
        for n, c in enumerate(people)
    )
    by_position = {}
    for a in applications:
        by_position.setdefault(a.position_id, []).append(a)
    entries, results = [], []
    for position in positions:
        for rank, a in enumerate(by_position[position.pk][: 3 * position.plan_count], 1):
            entries.append(m.ShortlistEntry(position=position, application=a, written_rank=rank))
            results.append(m.Result(application=a, written=Decimal(90 - rank)))
    m.ShortlistEntry.objects.bulk_create(entries)
    m.Result.objects.bulk_create(results)
    m.Examiner.objects.bulk_create(
        m.Examiner(
            name=f"考官{n}",
            certificate_level=1 + n % 3,
            unit_name=units[n % len(units)] if n % 4 == 0 else f"考官单位{n}",
            city="营口市" if n % 3 == 0 else "鞍山市",
        )
        for n in range(pool)
    )
    day = datetime.date(2026, 5, 16)
    for p in range(panel_count):
        panel = m.InterviewPanel.objects.create(exam=exam, date=day, code=f"{p + 1:02d}")
        panel.positions.set(positions[p * positions_per_panel : (p + 1) * positions_per_panel])
    return exam, day, len(entries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--candidates", type=int, default=7000)
    parser.add_argument("--panels", type=int, default=40)
    parser.add_argument("--pool", type=int, default=400)
    args = parser.parse_args()
    fresh_database(args.url)
    setup(args.url)
    from renshi.exams import draws
    from renshi.exams.models import Draw, InterviewPanel
    from renshi.exams.services import panels

    exam, day, shortlisted = populate(args.candidates, args.panels, args.pool)
    print(
        f"{args.candidates} candidates, {shortlisted} shortlisted, "
        f"{args.panels} panels × 7 from a pool of {args.pool} ({args.url.split(':')[0]})"
    )
    started = time.perf_counter()
    panels.examiners_draw(actor="基准", exam=exam, date=day, seed="20260516")
    examiners = time.perf_counter() - started
    started = time.perf_counter()
    for panel in InterviewPanel.objects.filter(exam=exam).order_by("code"):
        panels.interview_order_draw(actor="基准", panel=panel, seed=f"{panel.pk}")
    orders = time.perf_counter() - started
    started = time.perf_counter()
    ok = all(draws.verify(d).ok for d in Draw.objects.filter(exam=exam))
    verify = time.perf_counter() - started
    print(f"examiner draw (all panels, saved): {examiners:.2f} s")
    print(f"interview order draws ({args.panels} panels, {shortlisted} candidates): {orders:.2f} s")
    print(f"total draws: {examiners + orders:.2f} s (target ≤ 5 s)")
    print(f"verify every draw again: {verify:.2f} s, all reproduced: {ok}")


if __name__ == "__main__":
    main()
