"""CPU and SQL time per request of the hall's list pages, in process (a figure other load on
the box inflates less than wrk's latency). Run bench/hall_prepare.py first.

    DATABASE_URL=... .venv/bin/python bench/hall_cpu.py [rounds]
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")
os.environ["REQUIRE_STAFF_2FA"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
USERS = {"staff": "personnel", "bureau": "personnel", "clerk": None}


def p95(values):
    return sorted(values)[int(len(values) * 0.95) - 1] * 1000


def main():
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.hall_prepare import busiest_clerk
    from renshi.core.models import User

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for who, username in USERS.items():
        user = User.objects.get(username=username) if username else busiest_clerk()[0]
        paths = Path(f"bench/out/hall_{who}.txt").read_text().split() * rounds
        client = Client()
        client.force_login(user)
        client.get(paths[0])
        cpu, wall, db = [], [], []
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                c0, w0 = time.process_time(), time.perf_counter()
                assert client.get(path).status_code == 200, path
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
            db.append(sum(float(q["time"]) for q in ctx.captured_queries))
        print(
            f"{who} ({user.username}, {len(paths)} requests): "
            f"CPU mean {statistics.mean(cpu) * 1000:.1f} ms p95 {p95(cpu):.1f}; "
            f"SQL mean {statistics.mean(db) * 1000:.1f} ms p95 {p95(db):.1f}; "
            f"wall p95 {p95(wall):.1f} ms"
        )


if __name__ == "__main__":
    main()
