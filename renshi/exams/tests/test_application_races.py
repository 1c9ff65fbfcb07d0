"""Registration races on real PostgreSQL row locks (skipped on SQLite, which serialises writers).

200 clients go through 40 connections at once (the server allows 100, shared with other tests)."""

import collections

import pytest
from django.db import connection

from renshi.core import notify
from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.core.tests.races import race
from renshi.exams.errors import ExamError, StaleDecision
from renshi.exams.models import Application, ApplicationEvent, ApplicationStatus, ExamArea
from renshi.exams.services import applications as services
from renshi.exams.tests.factories import make_candidate, make_exam, make_position

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
THREADS = 40


def run_clients(jobs, threads=THREADS):
    """Run the jobs on `threads` threads that start together; collect results and errors."""
    return race(jobs, ExamError, threads=threads)


def test_200_clients_with_duplicates_and_a_full_area_lose_and_double_nothing():
    exam = make_exam(area_capacity=120)
    positions = [make_position(exam) for _ in range(10)]
    candidates = [make_candidate(name=f"考生{i}") for i in range(150)]
    jobs = []
    for i, candidate in enumerate(candidates):
        jobs.append((candidate, positions[i % 10]))
        if i % 3 == 0:  # 50 candidates double-submit, the second time to another position
            jobs.append((candidate, positions[(i + 1) % 10]))
    assert len(jobs) == 200

    def job(candidate, position):
        return lambda: services.application_submit(
            candidate=candidate, position=position, declared=True
        )

    done, refused = run_clients([job(c, p) for c, p in jobs])

    apps = Application.objects.filter(exam=exam)
    per_candidate = collections.Counter(apps.values_list("candidate_id", flat=True))
    assert max(per_candidate.values()) == 1  # no duplicate
    assert apps.count() == len(done) == 120  # capacity never exceeded
    assert ExamArea.objects.get(exam=exam).taken == 120
    full = [e for e in refused if "已满" in e.message]
    duplicate = [e for e in refused if "只能报考一个职位" in e.message]
    assert len(full) + len(duplicate) == len(refused) == 80
    # Nobody lost: the 120 places went to 120 different candidates; each of the other 30
    # was told the area is full (a double-submitter may hear both answers).
    assert len(per_candidate) == 120 and len(full) >= 30


def test_uncapped_double_submissions_outside_a_transaction_keep_one_application_each():
    """Uncapped, each submission is one statement in autocommit (no BEGIN/COMMIT): the
    unique constraint still answers the duplicates, and every application has exactly its
    timeline row, its audit row and its SMS."""
    exam = make_exam()  # no area capacity
    positions = [make_position(exam) for _ in range(5)]
    candidates = [make_candidate(name=f"考生{i}") for i in range(60)]
    jobs = [(c, positions[(i + k) % 5]) for i, c in enumerate(candidates) for k in (0, 1)]

    def job(candidate, position):
        return lambda: services.application_submit(
            candidate=candidate, position=position, declared=True
        )

    done, refused = run_clients([job(c, p) for c, p in jobs])

    apps = Application.objects.filter(exam=exam)
    assert len(done) == len(refused) == apps.count() == 60
    assert all("只能报考一个职位" in e.message for e in refused)
    assert set(apps.values_list("candidate_id", flat=True)) == {c.pk for c in candidates}
    ids = {str(pk) for pk in apps.values_list("pk", flat=True)}
    events = ApplicationEvent.objects.filter(kind="submitted")
    assert sorted(events.values_list("application_id", flat=True)) == sorted(map(int, ids))
    audit = AuditEvent.objects.filter(action="application.submit")
    assert sorted(audit.values_list("object_id", flat=True)) == sorted(ids)
    assert len([m for m in notify.outbox if "请等待资格审查" in m.text]) == 60


def test_a_review_racing_a_change_of_position_never_approves_the_left_position():
    office = UserFactory(role=Role.EXAM_OFFICE)
    exam = make_exam()
    a, b = make_position(exam), make_position(exam)
    outcomes = collections.Counter()
    for n in range(15):
        candidate = make_candidate(name=f"改报{n}")
        application = services.application_submit(candidate=candidate, position=a, declared=True)
        seen = (application.version, application.position_id)

        def approve(application=application, seen=seen):
            return services.application_review(
                application_id=application.pk,
                actor=office,
                approve=True,
                version=seen[0],
                position_id=seen[1],
            )

        def change(application=application, candidate=candidate):
            return services.application_change_position(
                application_id=application.pk, candidate=candidate, position=b, declared=True
            )

        _, errors = run_clients([approve, change], threads=2)
        application.refresh_from_db()
        assert len(errors) == 1
        if application.status == ApplicationStatus.APPROVED:
            assert application.position_id == a.pk  # approved what the reviewer saw
            assert "锁定" in errors[0].message
            outcomes["approved first"] += 1
        else:
            assert application.status == ApplicationStatus.SUBMITTED
            assert application.position_id == b.pk
            assert isinstance(errors[0], StaleDecision)
            outcomes["changed first"] += 1
    assert sum(outcomes.values()) == 15
