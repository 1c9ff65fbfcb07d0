"""CPU time per anonymous request to the public site, in-process (the Django test client): a
figure that other load on the box inflates less than wall-clock throughput.

DATABASE_URL=... REDIS_URL=... ALLOWED_HOSTS=testserver .venv/bin/python bench/portal_cpu.py [n]
Run bench/portal.sh (or manage.py load_demo_portal) first; paths from bench/out/portal_pages.txt.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")


def cpu_ms(client, paths, n) -> float:
    for path in paths:  # warm: each page rendered and cached once
        client.get(path)
    start = time.process_time()
    for i in range(n):
        response = client.get(paths[i % len(paths)])
        assert response.status_code == 200, paths[i % len(paths)]
    return (time.process_time() - start) / n * 1000


def main():
    import django

    django.setup()
    from django.test import Client

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    pages = Path("bench/out/portal_pages.txt").read_text().split()
    client = Client()
    for name, paths in [("/healthz/", ["/healthz/"]), ("/site/", ["/site/"]), ("news", pages)]:
        print(f"{name}: {cpu_ms(client, paths, n):.3f} ms CPU per request")


if __name__ == "__main__":
    main()
