#!/bin/sh
# Load time of the demo city into a fresh SQLite database.
#   bench/load_time.sh [people] [units]
set -eu
cd "$(dirname "$0")/.."
DB=${BENCH_SQLITE:-/tmp/renshi_bench_load.sqlite3}
rm -f "$DB" "$DB-wal" "$DB-shm"
export DATABASE_URL="sqlite:///$DB"
.venv/bin/python manage.py migrate -v 0
uptime
/usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KB" \
  .venv/bin/python manage.py load_demo_city --people "${1:-40000}" --units "${2:-520}"
uptime
