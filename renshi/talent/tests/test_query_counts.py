"""List pages run a fixed number of queries, however many rows they show."""

import pytest
from django.urls import reverse

from renshi.exams.tests.factories import make_candidate
from renshi.personnel.tests.factories import make_clerk, make_unit
from renshi.talent import services
from renshi.talent.tests import helpers

pytestmark = pytest.mark.django_db


def _queries(client, url, django_assert_max_num_queries, n):
    with django_assert_max_num_queries(n):
        assert client.get(url).status_code == 200


def _grow(clerk, unit, org, i):
    helpers.opening(clerk, unit, title=f"岗位{i}")
    candidate = make_candidate(name=f"求职{i}")
    resume = helpers.resume(candidate)
    services.contact_request(actor=clerk, unit=unit, resume_id=resume.pk)
    helpers.member(candidate, org, phone=f"1380013{i:04d}")


def test_list_pages_do_not_grow_with_rows(client, django_assert_max_num_queries):
    unit = make_unit("鞍山市财政局")
    clerk = make_clerk(unit)
    org = helpers.organisation()
    _grow(clerk, unit, org, 0)
    urls = {
        clerk: [reverse(n) for n in ("talent:index", "talent:unit_home", "talent:unit_resumes",
                                     "talent:unit_requests")],
        org.secretary: [reverse("talent:party_org", args=[org.pk])],
    }  # fmt: skip
    counts = {}
    for user, pages in urls.items():
        client.force_login(user)
        for url in pages:
            with django_assert_max_num_queries(50) as captured:
                client.get(url)
            counts[url] = len(captured)
    for i in range(1, 6):
        _grow(clerk, unit, org, i)
    for user, pages in urls.items():
        client.force_login(user)
        for url in pages:
            _queries(client, url, django_assert_max_num_queries, counts[url])


def test_visitors_get_the_market_page_from_the_cache(client, django_assert_num_queries):
    unit = make_unit("鞍山市财政局")
    opening = helpers.opening(make_clerk(unit), unit)
    for url in (reverse("talent:index"), reverse("talent:opening", args=[opening.pk])):
        assert "鞍山市财政局" in client.get(url).text
        with django_assert_num_queries(0):
            assert "鞍山市财政局" in client.get(url).text
