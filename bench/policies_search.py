"""Policy search benchmark data: 10,000 published documents on PostgreSQL and a mix of query URLs.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/renshi_bench_policies \
    .venv/bin/python bench/policies_search.py [--count 10000] [--out bench/out] [--timing]

Migrates, loads the demo library (94 documents), tops up with synthetic documents
(renshi.policies.demo.generated_policy: notices and articles of 1–3 k characters about the same
subjects, so common terms match thousands of documents), VACUUM ANALYZE, and writes
<out>/policies_paths.txt: 2–4 character terms, two-term queries, filters and deeper pages.
--timing also runs every URL in-process once and prints p50/p95 of wall time, Python CPU and
database time (no HTTP, no concurrency).
"""

import argparse
import os
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/renshi_bench_policies")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from renshi.policies import demo  # noqa: E402
from renshi.policies.models import Policy  # noqa: E402

TWO = [
    "考核",
    "招聘",
    "培训",
    "奖励",
    "处分",
    "工资",
    "调动",
    "退休",
    "职称",
    "岗位",
    "公示",
    "档案",
]
THREE_FOUR = [
    "公务员",
    "事业单位",
    "专业技术",
    "公开招聘",
    "职称评审",
    "年休假",
    "人事档案",
    "工作实绩",
    "社会保险",
    "军队转业",
    "聘用合同",
    "德才兼备",
]
PAIRS = [
    "公务员 考核",
    "事业单位 招聘",
    "专业技术人员 培训",
    "考核 结果",
    "公开 择优",
    "处分 复核",
    "退休 档案",
    "工资 预算",
    "岗位设置 备案",
    "年度 考核",
    "公务员 奖励 实绩",
    "聘用合同 考核",
]
FILTERS = [{}, {}, {}, {"level": "normative"}, {"validity": "in_force"}, {"year": "2019"}]


def paths(rng: random.Random, n: int = 600) -> list[str]:
    out = []
    for _ in range(n):
        pool = rng.choices([TWO, THREE_FOUR, PAIRS], weights=[4, 3, 3])[0]
        params = {"q": rng.choice(pool), **rng.choice(FILTERS)}
        if rng.random() < 0.2:
            params["page"] = rng.randint(2, 5)
        out.append("/policies/?" + urllib.parse.urlencode(params))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--out", default="bench/out")
    parser.add_argument("--timing", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    demo.load()
    missing = args.count - Policy.objects.count()
    if missing > 0:
        started = time.perf_counter()
        demo.bulk_generate(missing, log=lambda m: None)
        print(f"generated {missing} documents in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE policies_policy")
    print(f"documents: {Policy.objects.count()}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    urls = paths(random.Random(11))
    (out / "policies_paths.txt").write_text("\n".join(urls) + "\n")
    (out / "anonymous_cookie.txt").write_text("anonymous\n")  # search.lua sends a cookie
    print(f"wrote {len(urls)} URLs to {out / 'policies_paths.txt'}")
    if args.timing:
        timing(urls)


def timing(urls):
    """Each URL once in-process: wall, CPU of this process, and database wall time (the last two
    are less inflated by other load on the box than the wall time)."""
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(urls[0])
    wall, cpu, db = [], [], []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            c0, w0 = time.process_time(), time.perf_counter()
            assert client.get(url).status_code == 200, url
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        db.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    for name, values in (("wall", wall), ("python_cpu", cpu), ("db_wall", db)):
        q = statistics.quantiles(values, n=100)
        print(f"in-process {name}: p50={q[49]:.1f} ms p95={q[94]:.1f} ms max={max(values):.1f} ms")


if __name__ == "__main__":
    main()
