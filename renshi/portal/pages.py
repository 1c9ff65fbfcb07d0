"""The site's anonymous pages: shared by every visitor without a session (core.pagecache), held
LOCAL_SECONDS in each process and dropped when published content changes.

Publishing or withdrawing an article (and an exam notice reaching the site) calls `invalidate`
after the commit: every process stops serving its copies within a second. Visits are counted for
every page served, from memory or rendered.
"""

from renshi.core import pagecache
from renshi.portal import visits

SCOPE = "site"
LOCAL_SECONDS = 60


def _count_visit(request) -> None:
    visits.count(request.path)


anonymous_cached = pagecache.shared_page(LOCAL_SECONDS, scope=SCOPE, on_serve=_count_visit)


def invalidate() -> None:
    pagecache.invalidate(SCOPE)


def forget() -> None:
    """Drop this process's copies and its reading of the generations (tests)."""
    pagecache.forget()
