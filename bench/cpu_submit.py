"""CPU time per application submission, in-process (Django test client against the same
database as the server would use), after bench/prepare_registration.py.

DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/cpu_submit.py [N] [--profile]
Uses the last N + 20 sessions of bench/out/reg_sessions.txt (BENCH_SKIP=K: skip K more first,
so that several runs after one prepare_registration.py each submit for fresh candidates).
--profile: cProfile the N submissions and print the 40 costliest functions (cumulative and own).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")
os.environ.setdefault("SMS_BACKEND", "renshi.core.notify.LocmemSMSBackend")

import django

django.setup()

from django.test import Client  # noqa: E402

CSRF = "benchbenchbenchbenchbenchbench12"
BODY = f"declared=on&csrfmiddlewaretoken={CSRF}"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 300
    profile = "--profile" in sys.argv
    skip = int(os.environ.get("BENCH_SKIP", "0"))
    keys = Path("bench/out/reg_sessions.txt").read_text().split()
    paths = Path("bench/out/reg_positions.txt").read_text().split()
    client = Client(HTTP_HOST="127.0.0.1")

    def submit(i):
        client.cookies["sessionid"] = keys[-1 - skip - i]
        client.cookies["csrftoken"] = CSRF
        response = client.post(  # the form as browsers (and bench/registration.lua) send it
            paths[i % len(paths)], BODY, content_type="application/x-www-form-urlencoded"
        )
        if response.status_code != 302 or "/exams/my/" not in response["Location"]:
            raise SystemExit(f"submission {i} failed: {response.status_code}")

    for i in range(20):  # warm: connections, prepared statements, caches
        submit(i)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
        profiler.runcall(lambda: [submit(i) for i in range(20, 20 + n)])
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(int(os.environ.get("PROFILE_LINES", "40")))
        stats.sort_stats("tottime").print_stats(int(os.environ.get("PROFILE_LINES", "40")))
        if os.environ.get("PROFILE_CALLEES"):
            stats.print_callees(os.environ["PROFILE_CALLEES"])
        return
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(20, 20 + n):
        submit(i)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    ping = Client(HTTP_HOST="127.0.0.1")
    base = time.process_time()
    for _ in range(n):
        ping.get("/healthz/")
    base = time.process_time() - base
    print(f"submission: {cpu / n * 1000:.2f} ms CPU, {wall / n * 1000:.2f} ms wall (n={n})")
    print(f"minimal view: {base / n * 1000:.2f} ms CPU")


if __name__ == "__main__":
    main()
