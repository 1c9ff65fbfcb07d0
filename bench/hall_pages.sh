#!/bin/sh
# The hall's list pages under load: the task list (staff), all cases (bureau) and a unit's
# case list (clerk), each with its own session. gunicorn -w 3 on loopback, wrk as search.sh.
#   DATABASE_URL=postgres://…/renshi_bench_hall bench/hall_pages.sh [connections] [seconds]
# Needs bench/hall_make.py first.
set -eu
cd "$(dirname "$0")/.."
CONNS=${1:-8}
SECONDS_=${2:-30}
PORT=${BENCH_PORT:-28766}
THREADS=$([ "$CONNS" -ge 2 ] && echo 2 || echo 1)
export REQUIRE_STAFF_2FA=0 DEBUG=0 LOG_LEVEL=ERROR
.venv/bin/python bench/hall_prepare.py --out bench/out
.venv/bin/gunicorn renshi.wsgi -w "${BENCH_WORKERS:-3}" -b 127.0.0.1:$PORT --log-level warning --pid bench/out/hall_gunicorn.pid &
trap 'kill "$(cat bench/out/hall_gunicorn.pid)" 2>/dev/null || true' EXIT
sleep 4
# Every worker imports the URL conf on its first request (seconds on a busy box): warm them all.
warm=""
for i in 1 2 3 4 5 6 7 8 9; do
  curl -s -o /dev/null -b "sessionid=$(cat bench/out/hall_staff.cookie)" "http://127.0.0.1:$PORT/hall/tasks/" &
  warm="$warm $!"
done
wait $warm
for who in ${BENCH_MIXES:-staff bureau clerk}; do
  echo "== $who: $(head -1 bench/out/hall_$who.txt)"
  curl -s -o /dev/null -w "first: HTTP %{http_code} in %{time_total}s\n" \
    -b "sessionid=$(cat bench/out/hall_$who.cookie)" "http://127.0.0.1:$PORT$(head -1 bench/out/hall_$who.txt)"
  BENCH_PATHS=bench/out/hall_$who.txt BENCH_COOKIE=bench/out/hall_$who.cookie \
    wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_}s" --timeout 10s -s bench/search.lua "http://127.0.0.1:$PORT"
done
