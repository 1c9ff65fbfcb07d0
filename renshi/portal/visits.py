"""Visits counted in the web process, added to the PageVisit table in batches (no third party).

Each process keeps counts per page in memory and adds them to the table every FLUSH_SECONDS
(one UPDATE per page, not one write per request) under the day of the flush. A process that
dies loses at most that many seconds of counts; visits in the last seconds before midnight may
land on the next day.
"""

import threading
import time
from collections import Counter

from django.db import connection
from django.utils import timezone

from renshi.portal.models import PageVisit

FLUSH_SECONDS = 10
_pending: Counter = Counter()
_lock = threading.Lock()
_last_flush = time.monotonic()


def count(path: str) -> None:
    global _last_flush
    now = time.monotonic()
    with _lock:
        _pending[path[:200]] += 1
        due = now - _last_flush >= FLUSH_SECONDS
        if due:
            _last_flush = now
    if due:
        flush()


def flush() -> None:
    """Add this process's counts to the table: one statement, whatever the number of pages."""
    with _lock:
        items = list(_pending.items())
        _pending.clear()
    if not items:
        return
    table = PageVisit._meta.db_table
    rows = ", ".join(["(%s, %s, %s)"] * len(items))
    day = timezone.localdate()
    params = [value for path, n in items for value in (day, path, n)]
    # Both databases add to an existing row (ON CONFLICT … DO UPDATE); no read, no race.
    sql = (
        f"INSERT INTO {table} (day, path, count) VALUES {rows} "  # noqa: S608 (no user input)
        f"ON CONFLICT (day, path) DO UPDATE SET count = {table}.count + excluded.count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def reset() -> None:
    """Forget unflushed counts (tests)."""
    with _lock:
        _pending.clear()
