"""Races on real row locks: these run on PostgreSQL (SQLite serialises writers anyway)."""

import pytest
from django.db import connection

from renshi.core.tests.races import race as _race
from renshi.hall import services
from renshi.hall.errors import HallError
from renshi.hall.models import ItemVersion, VersionStatus
from renshi.hall.tests.test_versions import SYSTEM, make_item, publish

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def race(jobs):
    """Run the callables at once; return (successes, errors)."""
    return _race(jobs, HallError)


def test_two_publishers_one_wins():
    v1 = publish(make_item())
    draft = services.version_draft_from(actor=SYSTEM, version=v1)
    review = services.version_submit(actor=SYSTEM, version=draft)
    results, errors = race([lambda: services.version_publish(actor=SYSTEM, version=review)] * 2)
    assert len(results) == 1 and [e.message for e in errors] == ["只有待审核的版本可以发布"]
    assert (
        ItemVersion.objects.filter(item=v1.item, status=VersionStatus.PUBLISHED).get().pk
        == review.pk
    )


def test_two_new_drafts_at_once_one_wins():
    v1 = publish(make_item())
    results, errors = race([lambda: services.version_draft_from(actor=SYSTEM, version=v1)] * 3)
    assert len(results) == 1 and len(errors) == 2
    assert v1.item.versions.filter(status=VersionStatus.DRAFT).count() == 1
