#!/bin/sh
# The public site under load (issue 6: home and notice pages ≥ 2,000 req/s, cache allowed):
# gunicorn on 127.0.0.1, wrk, PostgreSQL, Redis for the shared cache (the pages' generation).
#   DATABASE_URL=postgres://... bench/portal.sh [connections] [seconds]
# Four runs against the same server, one after another, all anonymous GETs:
#   1. /healthz/       a minimal Django view (the whole middleware stack, no query) — the yardstick
#   2. the home page   /site/
#   3. news pages      the 通知公告 column and 40 of its articles, round robin
#   4. 公示 pages       the notice list (all and by kind) and every demo notice, round robin
set -eu
cd "$(dirname "$0")/.."
CONNS=${1:-32}
SECS=${2:-20}
PORT=${BENCH_PORT:-28791}
WORKERS=${BENCH_WORKERS:-4}
THREADS=2
export REQUIRE_STAFF_2FA=0 DEBUG=0 LOG_LEVEL=ERROR
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/4}
mkdir -p bench/out
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py load_demo_portal
.venv/bin/python manage.py load_demo_sunshine > /dev/null
.venv/bin/python manage.py shell -c "
from renshi.portal.models import Article
ids = Article.objects.filter(status='published', category__slug='notices').values_list('pk', flat=True)
ids = list(ids) + list(Article.objects.filter(status='published').values_list('pk', flat=True))
lines = ['/site/news/notices/'] + [f'/site/article/{pk}/' for pk in ids[:40]]
open('bench/out/portal_pages.txt', 'w').write('\n'.join(lines) + '\n')
open('bench/out/portal_home.txt', 'w').write('/site/\n')
from renshi.sunshine.models import Notice, NoticeKind
lines = ['/sunshine/notices/'] + [f'/sunshine/notices/?kind={k}' for k in NoticeKind.values]
lines += [f'/sunshine/notices/{pk}/' for pk in Notice.objects.values_list('pk', flat=True)[:40]]
open('bench/out/portal_notices.txt', 'w').write('\n'.join(lines) + '\n')
"
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  echo "port $PORT is taken by another server: set BENCH_PORT" >&2
  exit 1
fi
.venv/bin/gunicorn renshi.wsgi -w "$WORKERS" -b 127.0.0.1:$PORT --log-level warning \
  --pid bench/out/gunicorn-portal.pid &
trap 'kill "$(cat bench/out/gunicorn-portal.pid)" 2>/dev/null || true' EXIT
sleep 4
BASE=http://127.0.0.1:$PORT
# Steady state: every worker has rendered every page once (a busy site's caches are warm).
for _ in $(seq $((WORKERS * 3))); do
  for path in /site/ $(cat bench/out/portal_pages.txt bench/out/portal_notices.txt); do
    curl -s -o /dev/null "$BASE$path"
  done
done
curl -s -o /dev/null -w "warm-up home: HTTP %{http_code}, %{size_download} bytes in %{time_total}s\n" "$BASE/site/"
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== minimal Django view (/healthz/), ${CONNS} connections, ${SECS}s"
wrk -t$THREADS -c"$CONNS" -d"${SECS}s" --latency "$BASE/healthz/" | grep -E "Requests/sec|99%|50%"
echo "== home page /site/, ${CONNS} connections, ${SECS}s"
BENCH_PATHS=bench/out/portal_home.txt \
  wrk -t$THREADS -c"$CONNS" -d"${SECS}s" --timeout 10s -s bench/anon_get.lua "$BASE"
echo "== news column and articles, ${CONNS} connections, ${SECS}s"
BENCH_PATHS=bench/out/portal_pages.txt \
  wrk -t$THREADS -c"$CONNS" -d"${SECS}s" --timeout 10s -s bench/anon_get.lua "$BASE"
echo "== 公示 notice list and notices, ${CONNS} connections, ${SECS}s"
BENCH_PATHS=bench/out/portal_notices.txt \
  wrk -t$THREADS -c"$CONNS" -d"${SECS}s" --timeout 10s -s bench/anon_get.lua "$BASE"
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
