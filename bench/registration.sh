#!/bin/sh
# Registration under load: gunicorn on 127.0.0.1, wrk as the load tool, PostgreSQL.
#   DATABASE_URL=postgres://... bench/registration.sh [connections] [seconds]
# Three runs against the same server, one after another:
#   1. /healthz/      a minimal Django view (the whole middleware stack, no query) — the yardstick
#   2. apply POSTs    every request a different candidate submitting an application
#   3. position list  the public position list of the bench exam (anonymous, as candidates browse)
# BENCH_RUNS="health submit list" picks runs (e.g. BENCH_RUNS=submit for A/B runs of one change);
# BENCH_CANDIDATES (40000) sets how many fresh candidates the submissions can use.
set -eu
cd "$(dirname "$0")/.."
CONNS=${1:-32}
SECS=${2:-30}
PORT=${BENCH_PORT:-28766}
WORKERS=${BENCH_WORKERS:-6}
THREADS=2
export REQUIRE_STAFF_2FA=0 DEBUG=0 LOG_LEVEL=ERROR
# Sessions and counts in Redis as in production; SMS to memory (a provider call is async there).
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3}
export SMS_BACKEND=${SMS_BACKEND:-renshi.core.notify.LocmemSMSBackend}
mkdir -p bench/out
.venv/bin/python bench/prepare_registration.py --out bench/out --candidates "${BENCH_CANDIDATES:-40000}"
.venv/bin/gunicorn renshi.wsgi -c bench/registration_gunicorn.py -w "$WORKERS" ${BENCH_GUNICORN_ARGS:-} \
  -b 127.0.0.1:$PORT --log-level warning \
  --pid bench/out/gunicorn-reg.pid &
trap 'kill "$(cat bench/out/gunicorn-reg.pid)" 2>/dev/null || true' EXIT
sleep 4
BASE=http://127.0.0.1:$PORT
curl -s -o /dev/null -w "warm-up list: HTTP %{http_code} in %{time_total}s\n" "$BASE$(head -1 bench/out/reg_list_paths.txt)"
RUNS=${BENCH_RUNS:-health submit list}
THREADS=$((CONNS < THREADS ? CONNS : THREADS))
case " $RUNS " in *" health "*)
echo "== minimal Django view (/healthz/), ${CONNS} connections, ${SECS}s"
wrk -t$THREADS -c"$CONNS" -d"${SECS}s" --latency "$BASE/healthz/" | grep -E "Requests/sec|99%|50%"
esac
case " $RUNS " in *" submit "*)
echo "== application submissions, ${CONNS} connections, ${SECS}s"
BENCH_THREADS=$THREADS BENCH_SESSIONS=bench/out/reg_sessions.txt BENCH_PATHS=bench/out/reg_positions.txt \
  wrk -t$THREADS -c"$CONNS" -d"${SECS}s" --timeout 10s -s bench/registration.lua "$BASE"
esac
case " $RUNS " in *" list "*)
echo "== public position list, ${CONNS} connections, ${SECS}s"
BENCH_PATHS=bench/out/reg_list_paths.txt \
  wrk -t$THREADS -c"$CONNS" -d"${SECS}s" --timeout 10s -s bench/anon_get.lua "$BASE"
esac
