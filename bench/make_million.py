"""A PostgreSQL database with the demo city and then up to 1,000,000 people, for search bench.

    .venv/bin/python bench/make_million.py [--people 1000000] [--url postgres://…/renshi_bench_1m]

The first 40,000 come from `load_demo_city` (with all their records); the rest are A01 rows only,
each a copy of a random demo person (unit, category, education, title, post, birth date, sex) with a
new name and a new valid, unique ID number, streamed in with COPY. Re-running adds nothing.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/renshi_bench_1m"


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")
    import django

    django.setup()


def copy_people(url: str, total: int, seed: int) -> int:
    from renshi.core import crypto, idnumbers
    from renshi.personnel.demo.catalogue import FEMALE, MALE, SURNAMES
    from renshi.personnel.demo.people import areas_for, name_pinyin
    from renshi.personnel.models import Person
    from renshi.personnel.services.people import given_name_of

    have = Person.objects.count()
    if have >= total:
        return 0
    fields = [f for f in Person._meta.concrete_fields if f.attname != "id"]
    names = [f.attname for f in fields]
    templates = list(Person.objects.values_list(*names))
    seen = set(Person.objects.values_list("id_number_hash", flat=True))
    at = {name: i for i, name in enumerate(names)}
    rng = random.Random(seed)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    started, written = time.monotonic(), 0
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY personnel_person ({columns}) FROM STDIN") as copy:
            while have + written < total:
                row = list(rng.choice(templates))
                male, birth = row[at["sex"]] == "1", row[at["birth_date"]]
                while True:
                    seq = rng.randrange(500) * 2 + (1 if male else 0)
                    number = idnumbers.make_id_number(rng.choice(areas_for(birth.year)), birth, seq)
                    digest = crypto.blind_index(number)
                    if digest not in seen:
                        seen.add(digest)
                        break
                given = MALE if male else FEMALE
                name = rng.choice(SURNAMES) + "".join(
                    rng.choice(given) for _ in range(1 if rng.random() < 0.35 else 2)
                )
                row[at["name"]] = name
                row[at["name_pinyin"]], row[at["name_initials"]] = name_pinyin(name)
                row[at["given_name"]] = given_name_of(name)
                row[at["id_number_cipher"]] = crypto.encrypt(number)
                row[at["id_number_hash"]] = digest
                row[at["id_number_masked"]] = idnumbers.mask_id(number)
                row[at["phone_cipher"]] = row[at["phone_hash"]] = row[at["phone_masked"]] = ""
                copy.write_row(row)
                written += 1
                if written % 100_000 == 0:
                    print(f"people {have + written:>9,}  {time.monotonic() - started:6.1f} s")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE personnel_person")
    return written


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    ensure_database(args.url)
    setup_django(args.url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo_city")
    started = time.monotonic()
    written = copy_people(args.url, args.people, args.seed)
    print(f"copied {written:,} people in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
