"""Anonymous notice pages are shared for a minute (core.pagecache); any change to notices or
objections invalidates them after commit, so a new objection shows in the counts within a
second in every process (at once in the one that took it)."""

from django.db import transaction

from renshi.core import pagecache

SCOPE = "sunshine"
SECONDS = 60

cached = pagecache.shared_page(SECONDS, scope=SCOPE)


def changed() -> None:
    transaction.on_commit(lambda: pagecache.invalidate(SCOPE))
