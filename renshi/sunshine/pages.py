"""Anonymous notice pages are cached for a minute; any change to notices or objections bumps a
version after commit, so a new objection shows in the counts at once."""

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

SECONDS = 60
VERSION_KEY = "sunshine:pages:version"


def _version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def changed() -> None:
    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, None)

    transaction.on_commit(bump)


def cached(request, name: str, build):
    """The page `build()` renders, from the cache for visitors who are not logged in."""
    if request.user.is_authenticated:
        return build()
    key = f"sunshine:page:{_version()}:{name}"
    content = cache.get(key)
    if content is not None:
        return HttpResponse(content)
    response = build()
    if response.status_code == 200:
        cache.set(key, response.content, SECONDS)
    return response
