"""Interview shortlist: plan × ratio by written rank, ties at the cut-off, nobody below the lines,
资格复审 outcomes and replacements (递补) with their chain."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from renshi.core.models import AuditEvent
from renshi.exams import scores_import
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    ScoreReviewRequest,
    ScoringRules,
    ShortlistEntry,
    ShortlistStatus,
)
from renshi.exams.services import scores
from renshi.exams.services import shortlist as services
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.factories_scores import (
    make_rules,
    office_user,
    score_file,
    seated_applications,
)

pytestmark = pytest.mark.django_db


def published_exam(totals_by_position, **rules):
    """Seated candidates with equal subject scores (so written == the given total), imported and
    published a week ago (the review window is over). Returns exam, office, {position: apps}."""
    exam = make_exam()
    office = office_user()
    make_rules(exam, min_written=Decimal("60"), **rules)
    seated, rows = {}, []
    for plan, totals in totals_by_position:
        position = make_position(exam, plan_count=plan)
        apps = seated_applications(position, office, len(totals))
        for app, total in zip(apps, totals, strict=True):
            rows.append((app.ticket, "", total, total))
        seated[position] = apps
    report = scores_import.score_check(score_file(rows), exam)
    scores_import.score_import(actor=office, exam=exam, report=report, only_valid=False)
    scores.scores_publish(
        actor=office, exam=exam, published_at=timezone.now() - datetime.timedelta(days=7)
    )
    return exam, office, seated


def listed(position):
    return list(
        ShortlistEntry.objects.filter(position=position)
        .order_by("written_rank", "application_id")
        .values_list("application_id", "written_rank")
    )


def test_ratio_with_ties_at_the_cut_off_and_nobody_below_the_line():
    #              ranks: 1   2   3   4   4   6   7
    exam, office, seated = published_exam([(1, [90, 85, 80, 75, 75, 70, 55])])
    position, apps = next(iter(seated.items()))
    # 1 × 4 → the 4th place is tied, both enter.
    ScoringRules.objects.filter(exam=exam).update(interview_ratio=4)
    built = services.shortlist_build(actor=office, exam=exam)
    assert built == {position.pk: 5}
    assert listed(position) == [(a.pk, r) for a, r in zip(apps[:5], [1, 2, 3, 4, 4], strict=True)]
    assert AuditEvent.objects.filter(action="shortlist.build").count() == 1
    with pytest.raises(ExamError, match="均已确定"):
        services.shortlist_build(actor=office, exam=exam)


def test_the_line_limits_the_list_and_position_ratio_overrides():
    exam, office, seated = published_exam([(2, [80, 59, 50, 40]), (1, [90, 80, 70, 65, 61, 60])])
    short, long_ = seated
    long_.interview_ratio = 5  # the position table says 5:1
    long_.save()
    services.shortlist_build(actor=office, exam=exam)
    assert [a for a, _r in listed(short)] == [seated[short][0].pk]  # only one above 60
    assert len(listed(long_)) == 5


def test_build_waits_for_publication_window_and_pending_reviews():
    exam = make_exam()
    office = office_user()
    make_rules(exam)
    position = make_position(exam)
    (app,) = seated_applications(position, office, 1)
    report = scores_import.score_check(score_file([(app.ticket, "", 70, 70)]), exam)
    scores_import.score_import(actor=office, exam=exam, report=report, only_valid=False)
    with pytest.raises(ExamError, match="成绩发布后"):
        services.shortlist_build(actor=office, exam=exam)
    published_at = timezone.now() - datetime.timedelta(days=1)
    scores.scores_publish(actor=office, exam=exam, published_at=published_at)
    with pytest.raises(ExamError, match="复核申请截止"):
        services.shortlist_build(actor=office, exam=exam)
    ScoreReviewRequest.objects.create(
        application=app, subject=exam.subjects.first(), reason="漏评", old_score=70
    )
    later = published_at + datetime.timedelta(days=4)
    with pytest.raises(ExamError, match="1件成绩复核申请未处理"):
        services.shortlist_build(actor=office, exam=exam, now=later)
    assert not ShortlistEntry.objects.exists()


def test_decisions_and_the_replacement_chain():
    #                                    1   2   3   4   4   6   7(below)
    exam, office, seated = published_exam([(1, [90, 85, 80, 75, 75, 70, 50])])
    position, apps = next(iter(seated.items()))
    services.shortlist_build(actor=office, exam=exam)
    entries = {e.application_id: e for e in ShortlistEntry.objects.filter(position=position)}
    first, second, third = (entries[a.pk] for a in apps[:3])

    with pytest.raises(ExamError, match="须写明原因"):
        services.entry_decide(actor=office, entry_id=first.pk, status="disqualified")
    services.entry_decide(actor=office, entry_id=first.pk, status="qualified")
    with pytest.raises(ExamError, match="只有资格复审不合格或放弃"):
        services.shortlist_replace(actor=office, entry_id=first.pk, reason="x")
    services.entry_decide(
        actor=office, entry_id=second.pk, status="disqualified", note="学历证书与报名不符"
    )
    with pytest.raises(ExamError, match="递补原因"):
        services.shortlist_replace(actor=office, entry_id=second.pk, reason="")

    # Second place out → both at rank 4 enter, linked to the entry they replace.
    added = services.shortlist_replace(actor=office, entry_id=second.pk, reason="资格复审不合格")
    assert sorted(e.application_id for e in added) == [apps[3].pk, apps[4].pk]
    assert {e.replaces_id for e in added} == {second.pk} and added[0].note == "递补：资格复审不合格"
    assert AuditEvent.objects.filter(action="shortlist.replace").count() == 2
    with pytest.raises(ExamError, match="已经递补过"):
        services.shortlist_replace(actor=office, entry_id=second.pk, reason="again")

    # Third withdraws: 3 active remain (≥ 1 × 3), no replacement needed.
    services.entry_decide(actor=office, entry_id=third.pk, status="withdrawn", note="本人放弃")
    with pytest.raises(ExamError, match="无需递补"):
        services.shortlist_replace(actor=office, entry_id=third.pk, reason="放弃")

    # One of the replacements withdraws too → the 6th enters; then nobody is left above the line.
    fourth = added[0]
    services.entry_decide(actor=office, entry_id=fourth.pk, status="withdrawn")
    (sixth,) = services.shortlist_replace(actor=office, entry_id=fourth.pk, reason="放弃面试")
    assert (sixth.application_id, sixth.written_rank, sixth.replaces_id) == (
        apps[5].pk,
        6,
        fourth.pk,
    )
    services.entry_decide(actor=office, entry_id=sixth.pk, status="withdrawn")
    with pytest.raises(ExamError, match="已没有达到笔试合格分数线的考生可以递补"):
        services.shortlist_replace(actor=office, entry_id=sixth.pk, reason="放弃")
    statuses = dict(ShortlistEntry.objects.values_list("application_id", "status"))
    assert apps[6].pk not in statuses
    assert statuses[apps[0].pk] == ShortlistStatus.QUALIFIED


def test_a_decision_cannot_go_back():
    exam, office, _seated = published_exam([(1, [90, 80, 70])])
    services.shortlist_build(actor=office, exam=exam)
    entry = ShortlistEntry.objects.first()
    services.entry_decide(actor=office, entry_id=entry.pk, status="withdrawn")
    with pytest.raises(ExamError, match="不能改为此结果"):
        services.entry_decide(actor=office, entry_id=entry.pk, status="qualified")
    with pytest.raises(ExamError, match="请选择"):
        services.entry_decide(actor=office, entry_id=entry.pk, status="invited")
