"""Application services: one position per exam, change while unreviewed, frozen on approval,
reviews that name the version they saw, exam-area capacity, expiry, notifications."""

import datetime

import pytest
from django.utils import timezone

from renshi.core import notify
from renshi.core.models import AuditEvent
from renshi.exams.errors import ExamError, StaleDecision
from renshi.exams.models import (
    Application,
    ApplicationStatus,
    ExamArea,
    FeeStatus,
    RejectReason,
    ReviewMode,
)
from renshi.exams.services import applications as services
from renshi.exams.tests.factories import make_candidate, make_exam, make_position
from renshi.personnel.tests.factories import make_clerk, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    from renshi.core.roles import Role
    from renshi.core.tests.factories import UserFactory

    return UserFactory(role=Role.EXAM_OFFICE)


def submit(candidate, position, declared=True):
    return services.application_submit(candidate=candidate, position=position, declared=declared)


def review(application, actor, approve=True, **kw):
    application.refresh_from_db()
    defaults = {
        "version": application.version,
        "position_id": application.position_id,
        "reason_code": "" if approve else RejectReason.MAJOR,
        "reason_text": "" if approve else "专业不符合职位要求",
    }
    defaults.update(kw)
    return services.application_review(
        application_id=application.pk, actor=actor, approve=approve, **defaults
    )


def test_submit_records_the_timeline_audit_and_texts_the_candidate(
    django_capture_on_commit_callbacks,
):
    exam = make_exam(area_capacity=100)
    position = make_position(exam)
    candidate = make_candidate()
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(candidate, position)
    assert application.status == ApplicationStatus.SUBMITTED
    assert [e.kind for e in application.events.all()] == ["submitted"]
    assert AuditEvent.objects.filter(action="application.submit").count() == 1
    assert len(notify.outbox) == 1
    assert notify.outbox[0].phone == candidate.phone
    assert "等待资格审查" in notify.outbox[0].text
    assert ExamArea.objects.get(pk=position.area_id).taken == 1
    assert {c["rule"] for c in application.checks} >= {"education", "age", "photo"}


def test_one_position_per_exam():
    exam = make_exam()
    candidate = make_candidate()
    submit(candidate, make_position(exam))
    with pytest.raises(ExamError, match="只能报考一个职位"):
        submit(candidate, make_position(exam))
    assert Application.objects.count() == 1


def test_refused_when_a_rule_fails_or_not_declared_and_nothing_is_written():
    exam = make_exam(area_capacity=100)
    masters_only = make_position(exam, education_levels=["14"])
    candidate = make_candidate()
    with pytest.raises(ExamError, match="学历"):
        submit(candidate, masters_only)
    with pytest.raises(ExamError, match="其他招录条件"):
        submit(candidate, make_position(exam), declared=False)
    assert not Application.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="application").exists()
    assert ExamArea.objects.get(exam=exam).taken == 0


def test_refused_outside_the_registration_window():
    now = timezone.now()
    exam = make_exam(
        registration_opens=now - datetime.timedelta(days=10),
        registration_closes=now - datetime.timedelta(days=1),
    )
    with pytest.raises(ExamError, match="不在报名时间内"):
        submit(make_candidate(), make_position(exam))


def test_change_position_while_unreviewed_then_frozen_after_approval(office):
    exam = make_exam()
    first, second, third = (make_position(exam) for _ in range(3))
    candidate = make_candidate()
    application = submit(candidate, first)
    changed = services.application_change_position(
        application_id=application.pk, candidate=candidate, position=second, declared=True
    )
    assert changed.position == second and changed.version == 2
    review(changed, office)
    with pytest.raises(ExamError, match="锁定"):
        services.application_change_position(
            application_id=application.pk, candidate=candidate, position=third, declared=True
        )
    application.refresh_from_db()
    assert application.position == second and application.status == ApplicationStatus.APPROVED


def test_rejected_candidate_may_change_position_and_is_reviewed_again(office):
    exam = make_exam(area_capacity=100)
    first, second = make_position(exam), make_position(exam)
    candidate = make_candidate()
    application = submit(candidate, first)
    review(application, office, approve=False)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert ExamArea.objects.get(exam=exam).taken == 0
    application = services.application_change_position(
        application_id=application.pk, candidate=candidate, position=second, declared=True
    )
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reason_code == "" and ExamArea.objects.get(exam=exam).taken == 1


def test_a_decision_on_a_position_the_candidate_left_is_refused(office):
    exam = make_exam()
    first, second = make_position(exam), make_position(exam)
    candidate = make_candidate()
    application = submit(candidate, first)
    seen_version, seen_position = application.version, application.position_id
    services.application_change_position(
        application_id=application.pk, candidate=candidate, position=second, declared=True
    )
    with pytest.raises(StaleDecision):
        review(application, office, version=seen_version, position_id=seen_position)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.position == second


def test_rejection_needs_a_reason_code_and_text(office):
    application = submit(make_candidate(), make_position(make_exam()))
    with pytest.raises(ExamError, match="原因"):
        review(application, office, approve=False, reason_code="")
    with pytest.raises(ExamError, match="意见"):
        review(application, office, approve=False, reason_text="  ")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_hiring_unit_clerk_reviews_only_their_positions():
    exam = make_exam()
    unit, other = make_unit(), make_unit()
    own = submit(make_candidate(), make_position(exam, unit=unit))
    foreign = submit(make_candidate(), make_position(exam, unit=other))
    clerk = make_clerk(unit)
    review(own, clerk)
    with pytest.raises(Application.DoesNotExist):
        review(foreign, clerk)
    foreign.refresh_from_db()
    assert foreign.status == ApplicationStatus.SUBMITTED


def test_exam_area_capacity_is_never_exceeded():
    exam = make_exam(area_capacity=2)
    position = make_position(exam)
    submit(make_candidate(), position)
    submit(make_candidate(), position)
    with pytest.raises(ExamError, match="已满"):
        submit(make_candidate(), position)
    assert ExamArea.objects.get(exam=exam).taken == 2


def test_withdraw_frees_the_area_place():
    exam = make_exam(area_capacity=1)
    position = make_position(exam)
    candidate = make_candidate()
    application = submit(candidate, position)
    services.application_withdraw(application_id=application.pk, candidate=candidate)
    assert ExamArea.objects.get(exam=exam).taken == 0
    submit(make_candidate(), position)


def test_automatic_review_mode_approves_what_the_checks_pass():
    exam = make_exam(review_mode=ReviewMode.AUTO)
    application = submit(make_candidate(), make_position(exam))
    assert application.status == ApplicationStatus.APPROVED
    assert [e.kind for e in application.events.all()] == ["submitted", "approved"]


def test_unpaid_approved_applications_are_withdrawn_after_the_deadline(office):
    exam = make_exam(area_capacity=100)
    paid = submit(make_candidate(), make_position(exam))
    unpaid = submit(make_candidate(), make_position(exam))
    review(paid, office)
    review(unpaid, office)
    Application.objects.filter(pk=paid.pk).update(fee_status=FeeStatus.PAID)
    assert services.applications_expire_unpaid(exam=exam) == 0  # before the deadline
    later = exam.payment_closes + datetime.timedelta(minutes=1)
    assert services.applications_expire_unpaid(exam=exam, now=later) == 1
    unpaid.refresh_from_db()
    paid.refresh_from_db()
    assert unpaid.status == ApplicationStatus.WITHDRAWN
    assert paid.status == ApplicationStatus.APPROVED
    assert ExamArea.objects.get(exam=exam).taken == 1


def test_uncapped_areas_take_no_lock_and_keep_no_counter():
    exam = make_exam()
    submit(make_candidate(), make_position(exam))
    assert ExamArea.objects.get(exam=exam).taken == 0


def test_the_approval_text_gives_the_deadline_in_local_time(
    office, django_capture_on_commit_callbacks
):
    import zoneinfo

    exam = make_exam()
    application = submit(make_candidate(), make_position(exam))
    with django_capture_on_commit_callbacks(execute=True):
        review(application, office)
    local = exam.payment_closes.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert f"{local:%m月%d日%H:%M}" in notify.outbox[-1].text
