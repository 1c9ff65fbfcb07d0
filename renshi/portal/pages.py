"""Anonymous pages held in each process's memory, dropped when published content changes.

A visitor without a session (no login, no pending messages) gets the copy this process rendered
within LOCAL_SECONDS, provided the shared generation number has not moved since: publishing or
withdrawing bumps it in the shared cache (Redis in production). Each process reads that number
at most once per GENERATION_SECONDS, so the others stop serving their copies within a second
and a cached page costs no round trip to the cache. With the per-process memory cache (demo,
tests) the bump reaches only its own process; the others' copies expire within LOCAL_SECONDS.
Exam notices published by the exams app reach the site the same way, within LOCAL_SECONDS.
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from renshi.portal import visits

GENERATION_KEY = "portal:pages:generation"
LOCAL_SECONDS = 60
GENERATION_SECONDS = 1.0
MAX_PAGES = 2000
_pages: dict[str, tuple[object, float, bytes]] = {}
_generation = [0, float("-inf")]  # the shared number as last read, and when


def generation():
    now = time.monotonic()
    if now - _generation[1] >= GENERATION_SECONDS:
        _generation[:] = [cache.get(GENERATION_KEY, 0), now]
    return _generation[0]


def invalidate() -> None:
    value = time.time_ns()
    cache.set(GENERATION_KEY, value, None)
    _generation[:] = [value, time.monotonic()]
    _pages.clear()


def forget() -> None:
    """Drop this process's copies and its reading of the generation (tests)."""
    _pages.clear()
    _generation[:] = [0, float("-inf")]


def _cacheable_request(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def anonymous_cached(view):
    """Serve anonymous visitors the shared page; count the visit either way."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            response = view(request, *args, **kwargs)
        else:
            key = request.get_full_path()
            current = generation()
            now = time.monotonic()
            hit = _pages.get(key)
            if hit is not None and hit[0] == current and hit[1] > now:
                response = HttpResponse(hit[2])
            else:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.cookies:
                    if len(_pages) >= MAX_PAGES:
                        _pages.clear()
                    _pages[key] = (current, now + LOCAL_SECONDS, response.content)
        if response.status_code == 200:
            visits.count(request.path)
        return response

    return wrapper
