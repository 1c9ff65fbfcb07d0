"""Cache counters for rate limits (sign-up, SMS codes, logins) and the address they key on."""

from django.core.cache import cache


def client_ip(request) -> str:
    # Behind a proxy, the proxy sets REMOTE_ADDR from X-Forwarded-For (never trust the header here).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(key: str, *, window: int) -> int:
    """Count one more event in a fixed window of `window` seconds; return the count so far."""
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


def count(key: str) -> int:
    return cache.get(key, 0)


def clear(key: str) -> None:
    cache.delete(key)
