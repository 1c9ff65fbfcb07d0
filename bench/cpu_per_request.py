"""CPU time per request (in-process test client): a figure other load on the box inflates less.

DATABASE_URL=... ALLOWED_HOSTS=testserver .venv/bin/python bench/cpu_per_request.py [paths] [n]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")
os.environ["REQUIRE_STAFF_2FA"] = "0"


def main():
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from renshi.core.models import User

    paths_file = sys.argv[1] if len(sys.argv) > 1 else "bench/out/paths.txt"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    paths = Path(paths_file).read_text().split()[:count]
    client = Client()
    client.force_login(User.objects.get(username="personnel"))
    client.get(paths[0])
    cpu, wall, db = [], [], []
    for path in paths:
        with CaptureQueriesContext(connection) as ctx:
            c0, w0 = time.process_time(), time.perf_counter()
            assert client.get(path).status_code == 200, path
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        db.append(sum(float(q["time"]) for q in ctx.captured_queries))

    def pct(values, p):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000

    for label, values in (("app CPU", cpu), ("DB time", db), ("wall", wall)):
        cells = "  ".join(f"p{p}={pct(values, p):6.1f} ms" for p in (50, 90, 95, 99))
        print(f"{label:8} {cells}")
    print(f"{len(paths)} requests, {connection.vendor}")


if __name__ == "__main__":
    main()
