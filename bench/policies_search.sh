#!/bin/sh
# Policy search (10,000 documents) under load: gunicorn on loopback, wrk over anonymous GETs.
#   bench/policies_search.sh [connections] [seconds]
# DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/renshi_bench_policies; the data
# and bench/out/policies_paths.txt come from bench/policies_search.py (run here, idempotent).
set -eu
cd "$(dirname "$0")/.."
CONNS=${1:-2}
SECONDS_=${2:-30}
PORT=${BENCH_PORT:-28766}
THREADS=$([ "$CONNS" -ge 2 ] && echo 2 || echo 1)
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/renshi_bench_policies}
export REQUIRE_STAFF_2FA=0 DEBUG=0 LOG_LEVEL=ERROR
[ -n "${BENCH_SKIP_DATA:-}" ] || .venv/bin/python bench/policies_search.py --out bench/out
.venv/bin/gunicorn renshi.wsgi -w "${BENCH_WORKERS:-2}" -b 127.0.0.1:$PORT --log-level warning --pid bench/out/gunicorn_policies.pid &
trap 'kill "$(cat bench/out/gunicorn_policies.pid)" 2>/dev/null || true' EXIT
sleep 4
curl -s -o /dev/null -w "warm-up: HTTP %{http_code} in %{time_total}s\n" "http://127.0.0.1:$PORT$(head -1 bench/out/policies_paths.txt)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# search.lua sends a cookie; an unknown session id is simply an anonymous visitor.
BENCH_PATHS=bench/out/policies_paths.txt BENCH_COOKIE=bench/out/anonymous_cookie.txt \
  wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_}s" --timeout 10s -s bench/search.lua "http://127.0.0.1:$PORT"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
