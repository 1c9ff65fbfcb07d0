"""Set up the registration benchmark: a bench exam with open positions, N candidates who have
not applied yet, one logged-in session per candidate, and the URL lists for wrk.

DATABASE_URL=... .venv/bin/python bench/prepare_registration.py [--candidates N] [--out DIR]
Writes bench/out/reg_sessions.txt (one session key per line), reg_positions.txt (apply URLs),
reg_list_paths.txt (public position-list URLs).
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from renshi.core.models import User  # noqa: E402
from renshi.core.roles import Role  # noqa: E402
from renshi.exams import demo, education_copy  # noqa: E402
from renshi.exams.models import (  # noqa: E402
    Application,
    Candidate,
    Education,
    Exam,
    ExamArea,
    ExamKind,
    ExamStatus,
    Position,
    Subject,
)

CODE = "9901"


@transaction.atomic
def bench_exam(positions: int) -> Exam:
    exam = Exam.objects.filter(code=CODE).first()
    if exam:
        Application.objects.filter(exam=exam).delete()  # a fresh run: nobody has applied
        return exam
    now = timezone.now()
    exam = Exam.objects.create(
        code=CODE,
        name="压力测试考试（bench）",
        kind=ExamKind.CIVIL_SERVICE,
        status=ExamStatus.PUBLISHED,
        registration_opens=now - datetime.timedelta(days=1),
        registration_closes=now + datetime.timedelta(days=30),
        review_closes=now + datetime.timedelta(days=31),
        payment_closes=now + datetime.timedelta(days=32),
        published_at=now,
    )
    Subject.objects.create(exam=exam, code="01", name="行测", fee=Decimal("50"), order=1)
    Subject.objects.create(exam=exam, code="02", name="申论", fee=Decimal("50"), order=2)
    area = ExamArea.objects.create(exam=exam, code="01", name="鞍山考区")
    Position.objects.bulk_create(
        Position(
            exam=exam,
            code=f"{CODE}{i:08d}",
            hiring_unit_name=f"鞍山市压力测试局{i % 50}",
            title=f"综合岗{i}",
            area=area,
            plan_count=2,
            original_plan_count=2,
            education_levels=["21", "14", "11"],
            major_codes=["03", "02", "12", "08"],
            born_from=datetime.date(1980, 1, 1),
            born_to=datetime.date(2008, 1, 1),
        )
        for i in range(positions)
    )
    return exam


@transaction.atomic
def candidates(n: int) -> list[Candidate]:
    existing = list(Candidate.objects.filter(user__username__startswith="bench"))
    if len(existing) >= n:
        return existing[:n]
    import random

    from renshi.core.idnumbers import make_id_number

    rng = random.Random(99)
    hashed = make_password("Renshi@2026")
    start = len(existing)
    users = User.objects.bulk_create(
        User(username=f"bench{i:07d}", role=Role.CANDIDATE, password=hashed)
        for i in range(start, n)
    )
    rows = []
    for i, user in zip(range(start, n), users, strict=True):
        birth = datetime.date(1985, 1, 1) + datetime.timedelta(days=(i * 97) % 6000)
        number = make_id_number("210303", birth, (i // 6000) % 999 + 1)
        rows.append(demo._candidate_row(user, f"压测{i}", number, f"137{i:08d}", rng))
    made = Candidate.objects.bulk_create(rows, batch_size=2000)
    Education.objects.bulk_create(
        (
            Education(
                candidate=c,
                level="21",
                degree="bachelor",
                school="辽宁大学",
                major_code="030101",
                major_name="法学",
                graduated_on=datetime.date(2020, 7, 1),
            )
            for c in made
        ),
        batch_size=2000,
    )
    education_copy.fill([c.pk for c in made])  # as the profile service keeps it
    return existing + made


def sessions(people) -> list[str]:
    Session.objects.filter(session_key__startswith="bench").delete()
    expire = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    store, rows, keys = SessionStore(), [], []
    users = User.objects.in_bulk([c.user_id for c in people])
    for n, c in enumerate(people):
        user = users[c.user_id]
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "renshi.exams.auth.UserWithCandidateBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            # Logged in a moment ago (the idle-timeout stamp is written at most once a minute).
            "last_seen": int(time.time()),
        }
        key = f"bench{n:07d}{'x' * 20}"[:32]
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=2000)
    if settings.SESSION_ENGINE.endswith("cached_db"):
        # A real login writes the session through to the cache as well; do the same.
        from django.contrib.sessions.backends.cached_db import KEY_PREFIX
        from django.core.cache import caches

        cache = caches[settings.SESSION_CACHE_ALIAS]
        for start in range(0, len(rows), 2000):
            cache.set_many(
                {
                    KEY_PREFIX + r.session_key: store.decode(r.session_data)
                    for r in rows[start : start + 2000]
                },
                settings.SESSION_COOKIE_AGE,
            )
    return keys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=40000)
    parser.add_argument("--positions", type=int, default=300)
    parser.add_argument("--out", default="bench/out")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    exam = bench_exam(args.positions)
    people = candidates(args.candidates)
    keys = sessions(people)
    (out / "reg_sessions.txt").write_text("\n".join(keys) + "\n")
    ids = list(exam.positions.values_list("pk", flat=True))
    (out / "reg_positions.txt").write_text(
        "\n".join(reverse("exams:apply", args=[pk]) for pk in ids) + "\n"
    )
    list_url = reverse("exams:position_list", args=[exam.pk])
    pages = [list_url] + [f"{list_url}?page={p}" for p in range(2, 6)]
    (out / "reg_list_paths.txt").write_text("\n".join(pages) + "\n")
    print(f"exam {exam.pk}: {len(ids)} positions, {len(keys)} candidate sessions")


if __name__ == "__main__":
    main()
