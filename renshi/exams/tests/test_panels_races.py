"""Races on real row locks: these run on PostgreSQL (SQLite serialises writers anyway)."""

from decimal import Decimal

import pytest
from django.db import connection

from renshi.core.models import AuditEvent
from renshi.core.tests.races import race as _race
from renshi.exams.errors import ExamError
from renshi.exams.models import ExaminerScore, Result
from renshi.exams.services import panels
from renshi.exams.tests.factories_interviews import drawn_panel

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def race(jobs):
    """Run the callables at once; return (successes, errors)."""
    return _race(jobs, ExamError)


def test_seven_examiners_scoring_at_once_give_one_interview_score():
    panel = drawn_panel(size=7)
    slot = panel.slots.get(order=1)
    users = [m.examiner.user for m in panel.members.select_related("examiner__user")]
    scores = ["80", "85.5", "90", "70", "88", "86", "84"]
    jobs = [
        (lambda u=u, s=s: panels.score_enter(actor=u, slot_id=slot.pk, score=s))
        for u, s in zip(users, scores, strict=True)
    ]
    results, errors = race(jobs)
    assert len(results) == 7 and not errors
    assert Result.objects.get(application=slot.application).interview == Decimal("84.70")
    assert AuditEvent.objects.filter(action="interview.result").count() == 1


def test_a_double_click_stores_one_score():
    panel = drawn_panel()
    slot = panel.slots.get(order=1)
    user = panel.members.first().examiner.user
    results, errors = race(
        [lambda: panels.score_enter(actor=user, slot_id=slot.pk, score="80")] * 4
    )
    assert len(results) == 1 and len(errors) == 3
    assert ExaminerScore.objects.count() == 1
