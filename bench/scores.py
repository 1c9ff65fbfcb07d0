"""Written scores for a large exam: N seated candidates over N/50 positions (plan 2 each), a
score file written by openpyxl, then timed: the dry run (read + check), the import (scores,
written totals, ranks, audit), a second identical import and the shortlist for every position.

.venv/bin/python bench/scores.py --candidates 20000        # SQLite file /tmp/bench_scores.sqlite3
DATABASE_URL=postgres://postgres@127.0.0.1:5432/renshi_bench_scores \
    .venv/bin/python bench/scores.py --candidates 100000   # PostgreSQL (dropped and re-created)
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")
SQLITE_FILE = Path("/tmp/bench_scores.sqlite3")


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


def seat_everyone(exam, positions, n):
    """Approved, paid and seated applications, written straight with bulk_create."""
    from renshi.core.models import User
    from renshi.exams.models import (
        Application,
        Candidate,
        Draw,
        ExamRoom,
        ExamSite,
        Seat,
    )

    users = User.objects.bulk_create(
        (User(username=f"b{i}", full_name=f"考生{i}", role="candidate") for i in range(n)),
        batch_size=5000,
    )
    candidates = Candidate.objects.bulk_create(
        (
            Candidate(user=u, name=u.full_name, id_number_cipher="", id_number_hash=f"h{i}",
                      id_number_masked="", birth_date=datetime.date(1996, 1, 1), sex="1",
                      phone_cipher="", phone_hash="", phone_masked="")
            for i, u in enumerate(users)
        ),
        batch_size=5000,
    )  # fmt: skip
    applications = Application.objects.bulk_create(
        (
            Application(exam=exam, candidate=c, position=positions[i % len(positions)],
                        status="approved", fee_status="paid")
            for i, c in enumerate(candidates)
        ),
        batch_size=5000,
    )  # fmt: skip
    room_count = n // 30 + 1
    sites = ExamSite.objects.bulk_create(
        ExamSite(exam=exam, area=exam.areas.first(), code=f"{k + 1:02d}", name=f"考点{k}",
                 school=f"学校{k}")
        for k in range(room_count // 99 + 1)
    )  # fmt: skip
    rooms = ExamRoom.objects.bulk_create(
        ExamRoom(site=sites[r // 99], code=f"{r % 99 + 1:02d}") for r in range(room_count)
    )
    draw = Draw.objects.create(
        exam=exam, kind="seats", seed="1", input_digest="0" * 64, result_digest="0" * 64
    )
    Seat.objects.bulk_create(
        (
            Seat(application=a, room=rooms[i // 30], number=i % 30 + 1, draw=draw,
                 ticket_number=f"{exam.code}{i:08d}")
            for i, a in enumerate(applications)
        ),
        batch_size=5000,
    )  # fmt: skip
    return [f"{exam.code}{i:08d}" for i in range(n)]


def score_file(tickets, rng) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("笔试成绩")
    sheet.append(["准考证号", "姓名", "行政职业能力测验", "申论"])
    for ticket in tickets:
        if rng.random() < 0.03:
            sheet.append([ticket, "", "缺考", "缺考"])
        else:
            sheet.append([ticket, "", round(rng.uniform(30, 90), 2), rng.randint(30, 85)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(label, work):
    started = time.perf_counter()
    value = work()
    print(f"{label:<34} {time.perf_counter() - started:7.2f} s")
    return value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=20000)
    args = parser.parse_args()
    fresh_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from renshi.core.tests.factories import UserFactory
    from renshi.exams import scores_import
    from renshi.exams.models import Result, ShortlistEntry
    from renshi.exams.services import scores, shortlist
    from renshi.exams.tests.factories import make_exam, make_position
    from renshi.exams.tests.factories_scores import make_rules

    n = args.candidates
    exam = make_exam()
    make_rules(exam)
    positions = [make_position(exam, plan_count=2) for _ in range(max(1, n // 50))]
    office = UserFactory(role="exam_office", username="bench_office")
    tickets = timed(f"seat {n} candidates (setup)", lambda: seat_everyone(exam, positions, n))
    data = timed("write the .xlsx (setup)", lambda: score_file(tickets, random.Random(2026)))
    print(f"file: {len(data) / 1e6:.1f} MB, {len(positions)} positions")
    report = timed("dry run (read + check)", lambda: scores_import.score_check(data, exam))
    assert not report.errors, report.errors[:3]
    timed(
        "import (scores, totals, ranks)",
        lambda: scores_import.score_import(
            actor=office, exam=exam, report=report, only_valid=False
        ),
    )
    again = scores_import.score_check(data, exam)
    result = timed(
        "same file again (check + import)",
        lambda: scores_import.score_import(actor=office, exam=exam, report=again, only_valid=False),
    )
    assert result.results == 0
    scores.scores_publish(
        actor=office, exam=exam, published_at=timezone.now() - datetime.timedelta(days=5)
    )
    timed(
        "shortlist for every position", lambda: shortlist.shortlist_build(actor=office, exam=exam)
    )
    print(
        f"results: {Result.objects.filter(written__isnull=False).count()} written, "
        f"{Result.objects.filter(written_passed=True).count()} passed, "
        f"{ShortlistEntry.objects.count()} on the shortlists"
    )


if __name__ == "__main__":
    main()
