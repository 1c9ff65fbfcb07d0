"""Races on real row locks (PostgreSQL): a double-clicked replacement fills a gap once, two
replacements for one gap add one, and a review request is stored once per subject."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from renshi.core.tests.races import race
from renshi.exams import scores_import
from renshi.exams.errors import ExamError
from renshi.exams.models import ScoreReviewRequest, ShortlistEntry
from renshi.exams.services import scores
from renshi.exams.services import shortlist as services
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.factories_scores import (
    make_rules,
    office_user,
    score_file,
    seated_applications,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def listed_exam(totals, published_ago=datetime.timedelta(days=7)):
    exam = make_exam()
    office = office_user()
    make_rules(exam, min_written=Decimal("60"))
    position = make_position(exam, plan_count=1)
    apps = seated_applications(position, office, len(totals))
    rows = [(a.ticket, "", t, t) for a, t in zip(apps, totals, strict=True)]
    report = scores_import.score_check(score_file(rows), exam)
    scores_import.score_import(actor=office, exam=exam, report=report, only_valid=False)
    scores.scores_publish(actor=office, exam=exam, published_at=timezone.now() - published_ago)
    return exam, office, apps


def test_a_double_clicked_replacement_adds_once():
    exam, office, apps = listed_exam([90, 85, 80, 75, 70])
    services.shortlist_build(actor=office, exam=exam)
    entry = ShortlistEntry.objects.get(application=apps[0])
    services.entry_decide(actor=office, entry_id=entry.pk, status="withdrawn")

    def replace():
        return services.shortlist_replace(actor=office, entry_id=entry.pk, reason="放弃")

    added, refused = race([replace for _ in range(6)], ExamError)
    assert (len(added), len(refused)) == (1, 5)
    assert ShortlistEntry.objects.filter(replaces=entry).count() == 1
    assert all("已经递补过" in e.message for e in refused)


def test_two_replacements_for_one_gap_add_one():
    #                         ranks 1   2   3   3   5   6
    exam, office, apps = listed_exam([90, 85, 80, 80, 75, 70])
    services.shortlist_build(actor=office, exam=exam)  # 4 enter (tie at the 3rd place)
    out = [ShortlistEntry.objects.get(application=a) for a in apps[:2]]
    for entry in out:
        services.entry_decide(actor=office, entry_id=entry.pk, status="withdrawn")
    jobs = [
        (lambda e=e: services.shortlist_replace(actor=office, entry_id=e.pk, reason="放弃"))
        for e in out
    ]
    added, refused = race(jobs, ExamError)
    assert (len(added), len(refused)) == (1, 1)
    assert "无需递补" in refused[0].message
    assert ShortlistEntry.objects.filter(status__in=services.ACTIVE).count() == 3


def test_a_review_request_is_stored_once_per_subject():
    exam, _office, apps = listed_exam([90, 85], published_ago=datetime.timedelta(hours=1))
    subject = exam.subjects.first()

    def ask():
        return scores.review_request_submit(
            candidate=apps[0].candidate,
            application_id=apps[0].pk,
            subject_id=subject.pk,
            reason="漏评",
        )

    done, refused = race([ask for _ in range(6)], ExamError)
    assert (len(done), len(refused)) == (1, 5)
    assert ScoreReviewRequest.objects.count() == 1
