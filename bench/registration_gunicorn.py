"""gunicorn settings for bench/registration.sh: the site is imported once, in the master.

A worker's first request imports every view module through the URL conf (the pinyin tables
alone take seconds, and this box writes no bytecode cache); with four workers starting at once
on two busy cores that first request outlived gunicorn's 30 s timeout, the worker was killed and
the next one started over. Imported before the fork, every worker starts warm. No database or
cache connection is opened here: each worker opens its own."""

preload_app = True


def when_ready(server):
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
