"""Visits counted in the web process, added to the PageVisit table in batches (no third party).

Each process keeps counts per page in memory and adds them to the table every FLUSH_SECONDS
(one UPDATE per page, not one write per request) under the day of the flush. A process that
dies loses at most that many seconds of counts; visits in the last seconds before midnight may
land on the next day.
"""

import threading
import time
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import F
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
    """Add this process's counts to the table."""
    with _lock:
        items = list(_pending.items())
        _pending.clear()
    day = timezone.localdate()
    for path, n in items:
        _add(day, path, n)


def _add(day, path, n) -> None:
    rows = PageVisit.objects.filter(day=day, path=path)
    if rows.update(count=F("count") + n):
        return
    try:
        with transaction.atomic():
            PageVisit.objects.create(day=day, path=path, count=n)
    except IntegrityError:  # another process created the row first
        rows.update(count=F("count") + n)


def reset() -> None:
    """Forget unflushed counts (tests)."""
    with _lock:
        _pending.clear()
