"""Applications (报名): submit, change position, withdraw, review, expire unpaid.

Every function is one transaction that locks the application row (and the exam area when it
has a capacity), so a reviewer's decision and a candidate's change of position serialise: the
decision names the version and position it saw and is refused if either moved on.

Rows are locked without joins: PostgreSQL re-checks a join against the updated row after
waiting for a lock, and a joined position the candidate just left would make the row vanish.
"""

import contextlib
import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from renshi.core import fastinsert, roles
from renshi.core.audit import audit_record, audit_values
from renshi.core.models import AuditEvent
from renshi.exams import eligibility, notices
from renshi.exams.errors import ExamError, StaleDecision
from renshi.exams.models import (
    ACTIVE_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    ExamArea,
    FeeStatus,
    Position,
    PositionStatus,
    RejectReason,
    ReviewMode,
)

CHANGEABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.REJECTED)


def _event(application, kind, *, actor=None, text=""):
    fastinsert.insert(
        ApplicationEvent,
        application_id=application.pk,
        at=timezone.now(),
        kind=kind,
        position_id=application.position_id,
        actor_id=actor.pk if getattr(actor, "pk", None) else None,
        text=text[:300],
    )


def _checks_or_refuse(candidate, position, *, declared: bool, today) -> list:
    if position.status == PositionStatus.CANCELLED:
        raise ExamError(f"职位 {position.code} 已取消招考，请选择其他职位", field="position")
    checks = eligibility.evaluate(candidate, position, today=today)
    failed = [c for c in checks if c.outcome == "fail"]
    if failed:
        raise ExamError(
            "不符合报考条件：" + "；".join(f"{c.label}：{c.reason}" for c in failed),
            code="ineligible",
        )
    if not declared:
        raise ExamError(
            "请确认本人符合职位要求的其他招录条件（选择“否”不能报名）", field="declared"
        )
    return [
        {"rule": c.rule, "label": c.label, "outcome": c.outcome, "reason": c.reason} for c in checks
    ]


def _capped(area_id, known=None) -> bool:
    """Only areas with a capacity keep a counter: uncapped areas take no lock at all, so
    the last-day surge does not queue on one row. `known`: the area, when already loaded."""
    if area_id is None:
        return False
    if known is not None and known.pk == area_id:
        return known.capacity is not None
    return ExamArea.objects.filter(pk=area_id, capacity__isnull=False).exists()


def _area_take(area_id, known=None):
    """Count one more active application in a capped area, refusing when it is full."""
    if not _capped(area_id, known):
        return
    area = ExamArea.objects.select_for_update().get(pk=area_id)
    if area.taken >= area.capacity:
        raise ExamError(f"{area.name}报名人数已满（容量 {area.capacity} 人），请选择其他考区")
    ExamArea.objects.filter(pk=area_id).update(taken=area.taken + 1)


def area_release(area_id):
    if not _capped(area_id):
        return
    area = ExamArea.objects.select_for_update().get(pk=area_id)
    ExamArea.objects.filter(pk=area_id).update(taken=max(0, area.taken - 1))


def area_reinstate(area_id):
    """Count an application back in even over capacity (a payment started in time)."""
    if _capped(area_id):
        area = ExamArea.objects.select_for_update().get(pk=area_id)
        ExamArea.objects.filter(pk=area_id).update(taken=area.taken + 1)


def _area_move(old_id, new_id):
    """Move one application between areas, locking both in a fixed order (no deadlock)."""
    if old_id == new_id:
        return
    ids = sorted(i for i in (old_id, new_id) if i is not None)
    list(ExamArea.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    _area_take(new_id)
    area_release(old_id)


def _auto_decide(application, checks):
    """Exams without online manual review approve what the automatic check passes."""
    if application.exam.review_mode == ReviewMode.AUTO:
        application.status = ApplicationStatus.APPROVED
        application.decided_at = timezone.now()
        return True
    return False


def _submission_transaction(capped: bool):
    """On PostgreSQL an uncapped submission is one INSERT statement (fastinsert.insert_family),
    atomic by itself: in autocommit it needs no BEGIN and COMMIT round trips. A capped area
    (its counter row is locked first), another database (three statements) or a caller's
    transaction (the error must not abort it: a savepoint) keep the atomic block."""
    connection = transaction.get_connection()
    if capped or connection.vendor != "postgresql" or connection.in_atomic_block:
        return transaction.atomic()
    return contextlib.nullcontext()


def application_submit(*, candidate, position, declared: bool, now=None) -> Application:
    """Apply to one position. A second application to the same exam is refused."""
    now = now or timezone.now()
    exam = position.exam
    if candidate.suspended:
        raise ExamError("该账号已被冻结，请联系考试中心")
    if not exam.registration_open(now):
        raise ExamError("不在报名时间内")
    checks = _checks_or_refuse(candidate, position, declared=declared, today=now.date())
    # A second application to the exam is refused by the unique constraint (no pre-check:
    # the constraint is the one answer that holds under concurrency).
    capped = _capped(position.area_id, known=position.area if position.area_id else None)
    try:
        with _submission_transaction(capped):
            if capped:
                _area_take(position.area_id, known=position.area)
            application = Application(
                exam=exam,
                candidate=candidate,
                position=position,
                area_id=position.area_id,
                checks=checks,
                declared=True,
                submitted_at=now,
            )
            auto = _auto_decide(application, checks)
            # The application, its timeline row(s) and its audit row: on PostgreSQL one
            # statement (the last-day hot path), elsewhere three.
            events = [("submitted", candidate.user, str(position), now)]
            if auto:  # a microsecond later: the timeline orders by time
                later = now + datetime.timedelta(microseconds=1)
                events.append(("approved", None, "系统自动初审通过", later))
            fastinsert.insert_family(
                application,
                [
                    *(
                        (
                            ApplicationEvent,
                            {
                                "application_id": fastinsert.NEW_ID,
                                "at": at,
                                "kind": kind,
                                "position_id": position.pk,
                                "actor_id": actor.pk if actor else None,
                                "text": text[:300],
                            },
                        )
                        for kind, actor, text, at in events
                    ),
                    (
                        AuditEvent,
                        audit_values(
                            actor=candidate.user,
                            action="application.submit",
                            object_type="exams.application",
                            object_id=fastinsert.NEW_ID_TEXT,
                            label=str(application),
                            after={"position": position.code, "status": application.status},
                        ),
                    ),
                ],
            )
            notices.application_changed(application)
    except IntegrityError as exc:  # the same candidate racing themselves: one row wins
        raise ExamError(
            "您已报名本次考试（每次考试只能报考一个职位），可在“我的报名”中改报"
        ) from exc
    return application


def application_change_position(
    *, application_id, candidate, position, declared: bool, now=None
) -> Application:
    """改报: allowed while unreviewed or rejected during registration, and after a position
    was cancelled during the re-apply window. A paid fee stays with the application."""
    now = now or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(
            pk=application_id, candidate=candidate
        )
        exam = application.exam
        if position.exam_id != exam.pk:
            raise ExamError("只能改报本次考试的职位")
        if application.status == ApplicationStatus.CANCELLED:
            if not exam.reapply_open(now):
                raise ExamError("改报时间已过")
        elif application.status not in CHANGEABLE:
            raise ExamError(
                f"报名状态为“{application.get_status_display()}”，不能改报"
                + ("（审核通过后报名信息已锁定）" if application.frozen else "")
            )
        elif not exam.registration_open(now):
            raise ExamError("报名已截止，不能改报")
        if position.pk == application.position_id and application.status == (
            ApplicationStatus.SUBMITTED
        ):
            raise ExamError("您已报考该职位")
        checks = _checks_or_refuse(candidate, position, declared=declared, today=now.date())
        was_active = application.status in ACTIVE_STATUSES
        if was_active:
            _area_move(application.area_id, position.area_id)
        else:
            _area_take(position.area_id)
        before = {"position": application.position.code, "status": application.status}
        application.position = position
        application.area_id = position.area_id
        application.status = ApplicationStatus.SUBMITTED
        application.checks = checks
        application.version += 1
        application.decided_at = None
        application.decided_by = None
        application.reason_code = ""
        application.reason_text = ""
        auto = _auto_decide(application, checks)
        application.save()
        _event(application, "changed", actor=candidate.user, text=str(position))
        if auto:
            _event(application, "approved", text="系统自动初审通过")
        audit_record(
            actor=candidate.user,
            action="application.change_position",
            obj=application,
            before=before,
            after={"position": position.code, "status": application.status},
        )
        notices.application_changed(application)
    return application


def application_withdraw(*, application_id, candidate, now=None) -> Application:
    """退订: the candidate gives up an application that is not yet approved."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(
            pk=application_id, candidate=candidate
        )
        if application.status not in CHANGEABLE:
            raise ExamError(f"报名状态为“{application.get_status_display()}”，不能撤销")
        if application.status in ACTIVE_STATUSES:
            area_release(application.area_id)
        before = {"status": application.status}
        application.status = ApplicationStatus.WITHDRAWN
        application.version += 1
        application.save(update_fields=["status", "version"])
        _event(application, "withdrawn", actor=candidate.user)
        audit_record(
            actor=candidate.user,
            action="application.withdraw",
            obj=application,
            before=before,
            after={"status": application.status},
        )
    return application


def applications_withdraw_suspended(*, candidate, actor) -> int:
    """An account frozen after an ID-number reclaim gives up its places (not paid ones: those
    stay for the bureau's investigation and refund decision)."""
    count = 0
    active = Application.objects.select_for_update().filter(
        candidate=candidate, status__in=CHANGEABLE
    )
    for application in active:
        if application.status in ACTIVE_STATUSES:
            area_release(application.area_id)
        application.status = ApplicationStatus.WITHDRAWN
        application.version += 1
        application.save(update_fields=["status", "version"])
        _event(application, "withdrawn", actor=actor, text="账号因身份号码找回被冻结")
        audit_record(
            actor=actor,
            action="application.withdraw_suspended",
            obj=application,
            after={"status": application.status},
        )
        count += 1
    return count


def reviewable_positions(user):
    """Positions whose applications this user reviews (exam office: all; clerks: their units)."""
    from renshi.personnel.selectors import visible_units

    if not roles.has_role(user, roles.REVIEW_APPLICATIONS):
        return Position.objects.none()
    if roles.has_role(user, roles.RUN_EXAMS):
        return Position.objects.all()
    return Position.objects.filter(unit__in=visible_units(user))


def application_review(
    *,
    application_id,
    actor,
    approve: bool,
    version: int,
    position_id: int,
    reason_code: str = "",
    reason_text: str = "",
    now=None,
) -> Application:
    """A reviewer's decision on exactly the version (and position) they looked at."""
    now = now or timezone.now()
    reason_text = (reason_text or "").strip()
    if not approve:
        if reason_code not in RejectReason.values:
            raise ExamError("审核不通过须选择原因", field="reason_code")
        if not reason_text:
            raise ExamError("审核不通过须填写具体意见，考生将看到该意见", field="reason_text")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if not reviewable_positions(actor).filter(pk=application.position_id).exists():
            raise Application.DoesNotExist
        if application.version != version or application.position_id != position_id:
            raise StaleDecision()
        if application.status != ApplicationStatus.SUBMITTED:
            raise ExamError(f"该报名已是“{application.get_status_display()}”状态，无需审核")
        if not application.exam.review_open(now):
            raise ExamError("不在资格审查时间内")
        application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
        application.decided_at = now
        application.decided_by = actor
        application.reason_code = "" if approve else reason_code
        application.reason_text = reason_text[:300]
        application.version += 1
        if not approve:
            area_release(application.area_id)
        application.save()
        text = reason_text if approve else f"{RejectReason(reason_code).label}：{reason_text}"
        _event(application, "approved" if approve else "rejected", actor=actor, text=text)
        audit_record(
            actor=actor,
            action="application.approve" if approve else "application.reject",
            obj=application,
            unit_id=application.position.unit_id,
            before={"status": ApplicationStatus.SUBMITTED},
            after={
                "status": application.status,
                "reason_code": application.reason_code,
                "reason_text": application.reason_text,
            },
        )
        notices.application_changed(application)
    return application


def applications_expire_unpaid(*, exam, now=None, actor="系统") -> int:
    """After the payment deadline an approved but unpaid application counts as withdrawn."""
    now = now or timezone.now()
    if now < exam.payment_closes:
        return 0
    count = 0
    ids = list(
        Application.objects.filter(
            exam=exam, status=ApplicationStatus.APPROVED, fee_status=FeeStatus.UNPAID
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=pk)
            if not (
                application.status == ApplicationStatus.APPROVED
                and application.fee_status == FeeStatus.UNPAID
            ):
                continue
            area_release(application.area_id)
            application.status = ApplicationStatus.WITHDRAWN
            application.version += 1
            application.save(update_fields=["status", "version"])
            _event(application, "expired", text="未在缴费截止前缴费，视为自动放弃")
            audit_record(
                actor=actor,
                action="application.expire_unpaid",
                obj=application,
                before={"status": ApplicationStatus.APPROVED},
                after={"status": application.status},
            )
            notices.application_changed(application)
            count += 1
    return count


def timeline(application) -> list[ApplicationEvent]:
    return list(application.events.select_related("position").order_by("at", "id"))
