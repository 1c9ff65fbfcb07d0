"""Public pages held in each process's memory and served before the session is even read.

The crowd on the public pages (the site's home and news, 公示 notices, the exam's position list
on the last day) is anonymous, and every one of them gets the same page. A view marked with
`shared_page` renders it once per process and scope generation; `SharedPageMiddleware`, placed
before the session, authentication, CSRF and message middleware, answers the next anonymous
request for the same address from memory, with the headers the first answer left the stack with.

Only a request that carries no cookie but the CSRF one is served or stored (a session, pending
messages or a language choice all mean a page of one's own); only a 200 that sets no cookie is
stored (a page with a form sets the CSRF cookie, so forms are never shared). The key is the scheme,
the host and the full path with its query string (the interface has one language, so the
browser's Accept-Language changes nothing).

Scopes: each app invalidates its own pages (`invalidate(scope)` after the commit that changed
them). The generation number lives in the shared cache (Redis in production); each process reads
it at most once per GENERATION_SECONDS, so every process stops serving old copies within a
second and a hit costs no round trip. With the per-process memory cache (demo, tests) the bump
reaches only its own process; the others' copies expire by their age limit.
"""

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_SECONDS = 1.0
# A worker's copies are dropped all at once past either bound (a flood of made-up query strings
# costs a re-render, never unbounded memory).
MAX_PAGES = 3000
MAX_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class _Page:
    scope: str
    generation: int
    expires: float
    content: bytes
    headers: tuple[tuple[str, str], ...]
    on_serve: Callable | None


_pages: dict[tuple[str, ...], _Page] = {}
_stored_bytes = [0]
_generations: dict[str, tuple[int, float]] = {}  # scope → (number as last read, when)


def _generation_key(scope: str) -> str:
    return f"pagecache:generation:{scope}"


def generation(scope: str) -> int:
    now = time.monotonic()
    known = _generations.get(scope)
    if known is None or now - known[1] >= GENERATION_SECONDS:
        known = (cache.get(_generation_key(scope), 0), now)
        _generations[scope] = known
    return known[0]


def invalidate(scope: str) -> None:
    """Drop every process's copies of the scope's pages (this one's at once, others' within a
    second). Call it after the commit that changed what the pages show."""
    value = time.time_ns()
    cache.set(_generation_key(scope), value, None)
    _generations[scope] = (value, time.monotonic())
    for key in [k for k, page in _pages.items() if page.scope == scope]:
        page = _pages.pop(key, None)
        if page is not None:
            _stored_bytes[0] -= len(page.content)


def forget_pages() -> None:
    _pages.clear()
    _stored_bytes[0] = 0


def forget() -> None:
    """Drop this process's copies and its readings of the generations (tests)."""
    forget_pages()
    _generations.clear()


def shareable_request(request) -> bool:
    """A visitor with nothing of their own: no session, no messages, no language choice."""
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    return not cookies or cookies.keys() <= _safe_cookies()


@functools.cache
def _safe_cookies() -> frozenset:
    return frozenset({settings.CSRF_COOKIE_NAME})


def _key(request) -> tuple[str, ...]:
    # The host as sent: a host the site refuses never gets a copy stored (the first request is a
    # 400), and one allowed host's page is never another's.
    meta = request.META
    return request.scheme, meta.get("HTTP_HOST", ""), request.get_full_path()


def shared_page(seconds: int, *, scope: str, on_serve: Callable | None = None):
    """Let anonymous visitors share this view's page for up to `seconds`, or until the scope is
    invalidated. `on_serve(request)` runs for every page served, rendered or from memory (the
    site counts its visits with it)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            shareable = shareable_request(request)
            # Read before rendering: a change committed meanwhile makes this copy stale at once.
            current = generation(scope) if shareable else 0
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and on_serve is not None:
                on_serve(request)
            if (
                shareable
                and response.status_code == 200
                and not response.cookies
                and not response.streaming
            ):
                response._shared_page = (scope, current, seconds, on_serve)
            return response

        return wrapper

    return decorate


class SharedPageMiddleware:
    """Answer anonymous requests for shared pages from memory; store what `shared_page` marked.

    Sits after WhiteNoise and before the session middleware: a hit skips the session, the user,
    CSRF, messages and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not shareable_request(request):
            return self.get_response(request)
        key = _key(request)
        page = _pages.get(key)
        if (
            page is not None
            and page.expires > time.monotonic()
            and page.generation == generation(page.scope)
        ):
            response = HttpResponse(page.content)
            for name, value in page.headers:
                response.headers[name] = value
            if page.on_serve is not None:
                page.on_serve(request)
            return response
        response = self.get_response(request)
        marked = getattr(response, "_shared_page", None)
        if marked is not None and not response.cookies:
            scope, current, seconds, on_serve = marked
            content = response.content
            if len(_pages) >= MAX_PAGES or _stored_bytes[0] + len(content) > MAX_BYTES:
                forget_pages()
            old = _pages.get(key)
            _pages[key] = _Page(
                scope=scope,
                generation=current,
                expires=time.monotonic() + seconds,
                content=content,
                headers=tuple(response.headers.items()),
                on_serve=on_serve,
            )
            _stored_bytes[0] += len(content) - (len(old.content) if old else 0)
        return response
