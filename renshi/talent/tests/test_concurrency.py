"""Races on real row locks: these run on PostgreSQL (SQLite serialises writers anyway)."""

import pytest
from django.db import connection

from renshi.core.models import AuditEvent
from renshi.core.tests.races import race as _race
from renshi.exams.tests.factories import make_candidate
from renshi.personnel.tests.factories import make_clerk, make_unit
from renshi.talent import services
from renshi.talent.errors import TalentError
from renshi.talent.models import ContactRequest, RequestStatus
from renshi.talent.tests import helpers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def race(jobs):
    """Run the callables at once; return (successes, errors)."""
    return _race(jobs, TalentError)


def test_two_clerks_of_one_unit_ask_once():
    unit = make_unit("鞍山市财政局")
    clerks = [make_clerk(unit) for _ in range(4)]
    resume = helpers.resume(make_candidate(name="张三"))
    jobs = [
        lambda c=c: services.contact_request(actor=c, unit=unit, resume_id=resume.pk)
        for c in clerks
    ]
    done, errors = race(jobs)
    assert (len(done), len(errors)) == (1, 3)
    assert all("不能重复请求" in e.message for e in errors)
    assert ContactRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="talent.contact_request").count() == 1


def test_accept_racing_decline_gives_one_answer():
    unit = make_unit("鞍山市财政局")
    candidate = make_candidate(name="张三")
    resume = helpers.resume(candidate)
    request = services.contact_request(actor=make_clerk(unit), unit=unit, resume_id=resume.pk)
    jobs = [
        lambda a=accept: services.contact_answer(
            actor=candidate.user, candidate=candidate, request_id=request.pk, accept=a
        )
        for accept in (True, False, True, False)
    ]
    done, errors = race(jobs)
    assert (len(done), len(errors)) == (1, 3)
    request.refresh_from_db()
    assert request.status == done[0].status != RequestStatus.PENDING
    assert AuditEvent.objects.filter(action="talent.contact_answer").count() == 1
