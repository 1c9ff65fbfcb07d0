"""Opening ratio after registration: cut plans until the ratio holds, cancel at one, let the
affected candidates re-apply in the window."""

import datetime

import pytest
from django.utils import timezone

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Application,
    ApplicationStatus,
    ExamArea,
    FeeStatus,
    PositionStatus,
    RatioBasis,
)
from renshi.exams.services import applications as services
from renshi.exams.services.ratio import opening_ratio_apply, plan_for
from renshi.exams.tests.factories import make_candidate, make_exam, make_position

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("counted", "plan", "ratio", "expected"),
    [(9, 3, 3, 3), (8, 3, 3, 2), (5, 2, 3, 1), (2, 2, 3, 0), (4, 2, 2, 2), (0, 1, 3, 0)],
)
def test_plan_for(counted, plan, ratio, expected):
    assert plan_for(counted, plan, ratio) == expected


def paid_applications(exam, position, n, office):
    for i in range(n):
        application = services.application_submit(
            candidate=make_candidate(name=f"考生{position.code[-3:]}{i}"),
            position=position,
            declared=True,
        )
        services.application_review(
            application_id=application.pk,
            actor=office,
            approve=True,
            version=application.version,
            position_id=position.pk,
        )
        Application.objects.filter(pk=application.pk).update(fee_status=FeeStatus.PAID)


def test_cut_cancel_and_reapply():
    office = UserFactory(role=Role.EXAM_OFFICE)
    exam = make_exam(ratio_basis=RatioBasis.PAID, area_capacity=1000)
    full = make_position(exam, plan_count=2)
    cut = make_position(exam, plan_count=2)
    cancelled = make_position(exam, plan_count=2)
    special = make_position(exam, plan_count=2, special_ratio=True)
    paid_applications(exam, full, 6, office)
    paid_applications(exam, cut, 5, office)  # 5 paid, plan 2 → cut to 1 (needs 3)
    paid_applications(exam, cancelled, 2, office)  # 2 paid → cancelled, refund or re-apply
    paid_applications(exam, special, 4, office)  # 2:1 for special positions → keeps 2
    # An approved but unpaid candidate does not count on the paid basis.
    unpaid = services.application_submit(candidate=make_candidate(), position=cut, declared=True)
    with pytest.raises(ExamError, match="缴费"):
        opening_ratio_apply(exam_id=exam.pk, actor=office)

    after_payment = exam.payment_closes + datetime.timedelta(hours=1)
    reapply_closes = after_payment + datetime.timedelta(days=2)
    outcomes = opening_ratio_apply(
        exam_id=exam.pk, actor=office, reapply_closes=reapply_closes, now=after_payment
    )
    by_code = {o.code: o for o in outcomes}
    assert (by_code[full.code].plan_after, by_code[full.code].status) == (2, "open")
    assert (by_code[cut.code].plan_after, by_code[cut.code].status) == (1, "cut")
    assert (by_code[cancelled.code].plan_after, by_code[cancelled.code].status) == (
        0,
        "cancelled",
    )
    assert by_code[special.code].plan_after == 2
    for p in (full, cut, cancelled, special):
        p.refresh_from_db()
    assert (cut.plan_count, cut.status, cut.original_plan_count) == (1, PositionStatus.CUT, 2)
    assert cancelled.status == PositionStatus.CANCELLED
    moved = Application.objects.filter(position=cancelled)
    assert set(moved.values_list("status", flat=True)) == {ApplicationStatus.CANCELLED}
    assert AuditEvent.objects.filter(action="position.cancel").count() == 1
    unpaid.refresh_from_db()
    assert unpaid.status == ApplicationStatus.SUBMITTED

    # Applied once only.
    with pytest.raises(ExamError, match="已于"):
        opening_ratio_apply(exam_id=exam.pk, actor=office, now=after_payment)

    # A cancelled candidate re-applies to another position during the window; the fee follows.
    application = moved.first()
    in_window = after_payment + datetime.timedelta(hours=1)
    changed = services.application_change_position(
        application_id=application.pk,
        candidate=application.candidate,
        position=full,
        declared=True,
        now=in_window,
    )
    assert changed.status == ApplicationStatus.SUBMITTED
    assert changed.fee_status == FeeStatus.PAID
    with pytest.raises(ExamError, match="已取消"):
        services.application_change_position(
            application_id=moved.last().pk,
            candidate=moved.last().candidate,
            position=cancelled,
            declared=True,
            now=in_window,
        )
    # After the window nobody changes any more.
    with pytest.raises(ExamError, match="改报时间已过"):
        services.application_change_position(
            application_id=moved.last().pk,
            candidate=moved.last().candidate,
            position=full,
            declared=True,
            now=reapply_closes + datetime.timedelta(minutes=1),
        )
    assert (
        ExamArea.objects.get(exam=exam).taken
        == Application.objects.filter(exam=exam, status__in=["submitted", "approved"]).count()
    )


def test_the_window_must_be_in_the_future():
    office = UserFactory(role=Role.EXAM_OFFICE)
    exam = make_exam(ratio_basis=RatioBasis.APPROVED)
    later = exam.review_closes + datetime.timedelta(hours=1)
    with pytest.raises(ExamError, match="改报截止"):
        opening_ratio_apply(exam_id=exam.pk, actor=office, reapply_closes=timezone.now(), now=later)
