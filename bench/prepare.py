"""Write a logged-in session cookie and a mix of search URLs for the wrk benchmark.

DATABASE_URL=... .venv/bin/python bench/prepare.py [--user personnel] [--out bench/out]
"""

import argparse
import os
import random
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from renshi.core import crypto  # noqa: E402
from renshi.core.models import User  # noqa: E402
from renshi.personnel.models import Person, Unit  # noqa: E402


def session_for(user) -> str:
    """What django.contrib.auth.login stores, without a request."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "renshi.exams.auth.UserWithCandidateBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(settings.SESSION_COOKIE_AGE)
    session.create()
    return session.session_key


def sample_people(rng, count):
    top = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(count * 2)]
    return list(Person.objects.filter(id__in=ids)[:count])


def search_paths(rng) -> list[str]:
    people = sample_people(rng, 200)
    units = list(Unit.objects.values_list("id", flat=True))
    queries = []
    for p in people[:50]:
        queries.append({"q": p.name_initials[:2]})  # pinyin initials
        queries.append({"q": p.name_initials})
    for p in people[50:100]:
        queries.append({"q": p.name[:2]})  # name substring
        queries.append({"q": p.name[1:]})
    for p in people[100:150]:
        queries.append({"q": crypto.decrypt(p.id_number_cipher)})  # exact ID number
    for unit in rng.sample(units, min(40, len(units))):
        queries.append({"unit": unit})
        queries.append({"unit": unit, "education": rng.choice(["21", "20", "14"])})
    for _ in range(40):
        queries.append({"education": rng.choice(["21", "20", "14", "31", "10"])})
        queries.append({"education": "21", "status": "active", "page": rng.randint(2, 50)})
    for p in people[150:200]:
        queries.append({"q": p.name_initials[:2], "status": "active", "title_level": "中级"})
    rng.shuffle(queries)
    return ["/personnel/people/?" + urllib.parse.urlencode(q) for q in queries]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="personnel")
    parser.add_argument("--out", default="bench/out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    user = User.objects.get(username=args.user)
    (out / "cookie.txt").write_text(session_for(user) + "\n")
    paths = search_paths(random.Random(args.seed))
    (out / "paths.txt").write_text("\n".join(paths) + "\n")
    people = sample_people(random.Random(args.seed + 1), 100)
    details = [f"/personnel/people/{p.pk}/" for p in people]
    (out / "detail_paths.txt").write_text("\n".join(details) + "\n")
    print(f"{out}/cookie.txt, {len(paths)} search and {len(details)} detail URLs")


if __name__ == "__main__":
    main()
