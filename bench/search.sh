#!/bin/sh
# Search (and detail) pages under load: gunicorn -w 3 on loopback, wrk with a session cookie.
#   DATABASE_URL=... bench/search.sh [connections] [seconds] [paths file]
# Needs a loaded database (manage.py load_demo_city, or bench/make_million.py for PostgreSQL).
set -eu
cd "$(dirname "$0")/.."
CONNS=${1:-8}
SECONDS_=${2:-30}
PATHS=${3:-bench/out/paths.txt}
PORT=${BENCH_PORT:-28765}
THREADS=$([ "$CONNS" -ge 2 ] && echo 2 || echo 1)
export REQUIRE_STAFF_2FA=0 DEBUG=0 LOG_LEVEL=ERROR
.venv/bin/python bench/prepare.py --out bench/out
.venv/bin/gunicorn renshi.wsgi -w "${BENCH_WORKERS:-3}" -b 127.0.0.1:$PORT --log-level warning --pid bench/out/gunicorn.pid &
trap 'kill "$(cat bench/out/gunicorn.pid)" 2>/dev/null || true' EXIT
sleep 4
curl -s -o /dev/null -w "warm-up: HTTP %{http_code} in %{time_total}s\n" \
  -b "sessionid=$(cat bench/out/cookie.txt)" "http://127.0.0.1:$PORT$(head -1 "$PATHS")"
BENCH_PATHS=$PATHS BENCH_COOKIE=bench/out/cookie.txt \
  wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_}s" --timeout 10s -s bench/search.lua "http://127.0.0.1:$PORT"
