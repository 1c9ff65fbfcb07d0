"""Opening ratio (开考比例) after registration: cut plans (核减) until the ratio holds, cancel
positions that fail even at a plan of one, and settle the affected candidates (改报 or refund)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from renshi.core.audit import audit_record
from renshi.exams import notices
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    ACTIVE_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Exam,
    FeeStatus,
    Position,
    PositionStatus,
    RatioBasis,
)
from renshi.exams.services.applications import area_release
from renshi.payments import services as payments


@dataclass(frozen=True)
class RatioOutcome:
    position_id: int
    code: str
    title: str
    counted: int
    ratio: int
    plan_before: int
    plan_after: int
    status: str  # open | cut | cancelled


def plan_for(counted: int, plan: int, ratio: int) -> int:
    """The largest plan ≤ the original for which counted : plan ≥ ratio (0 = cancel).

    >>> plan_for(5, 2, 3), plan_for(2, 2, 3), plan_for(9, 3, 3)
    (1, 0, 3)
    """
    return min(plan, counted // ratio)


def counted_by_position(exam) -> dict[int, int]:
    counted = Q(applications__status=ApplicationStatus.APPROVED)
    if exam.ratio_basis == RatioBasis.PAID:
        counted &= Q(applications__fee_status__in=[FeeStatus.PAID, FeeStatus.WAIVED])
    rows = Position.objects.filter(exam=exam).annotate(n=Count("applications", filter=counted))
    return dict(rows.values_list("pk", "n"))


def ratio_basis_ready(exam, now) -> datetime.datetime:
    return exam.payment_closes if exam.ratio_basis == RatioBasis.PAID else exam.review_closes


def opening_ratio_preview(exam) -> list[RatioOutcome]:
    counted = counted_by_position(exam)
    outcomes = []
    for position in Position.objects.filter(exam=exam).exclude(status=PositionStatus.CANCELLED):
        ratio = exam.ratio_special if position.special_ratio else exam.ratio_default
        n = counted.get(position.pk, 0)
        after = plan_for(n, position.plan_count, ratio)
        status = (
            PositionStatus.OPEN
            if after == position.plan_count
            else PositionStatus.CUT
            if after
            else PositionStatus.CANCELLED
        )
        outcomes.append(
            RatioOutcome(
                position.pk,
                position.code,
                position.title,
                n,
                ratio,
                position.plan_count,
                after,
                status,
            )
        )
    return outcomes


def opening_ratio_apply(*, exam_id, actor, reapply_closes=None, now=None) -> list[RatioOutcome]:
    """Apply the ratio once per exam. Cancelled positions' candidates may re-apply until
    `reapply_closes`; paid fees of those who do not are refunded (refunds_for_cancelled)."""
    now = now or timezone.now()
    with transaction.atomic():
        exam = Exam.objects.select_for_update().get(pk=exam_id)
        if exam.ratio_applied_at:
            raise ExamError(
                f"开考比例已于 {timezone.localtime(exam.ratio_applied_at):%Y-%m-%d %H:%M} 执行"
            )
        ready = ratio_basis_ready(exam, now)
        if now < ready:
            raise ExamError(
                f"须在{'缴费' if exam.ratio_basis == RatioBasis.PAID else '资格审查'}截止"
                f"（{timezone.localtime(ready):%m月%d日%H:%M}）后执行开考比例"
            )
        if reapply_closes is not None and reapply_closes <= now:
            raise ExamError("改报截止时间须晚于当前时间", field="reapply_closes")
        outcomes = opening_ratio_preview(exam)
        for outcome in outcomes:
            if outcome.status == PositionStatus.OPEN:
                continue
            Position.objects.filter(pk=outcome.position_id).update(
                plan_count=outcome.plan_after, status=outcome.status
            )
            audit_record(
                actor=actor,
                action="position.cut"
                if outcome.status == PositionStatus.CUT
                else "position.cancel",
                object_type="exams.position",
                object_id=outcome.position_id,
                label=f"{outcome.code} {outcome.title}",
                before={"plan_count": outcome.plan_before},
                after={"plan_count": outcome.plan_after, "counted": outcome.counted},
            )
            if outcome.status == PositionStatus.CANCELLED:
                _cancel_applications(outcome.position_id, actor)
        exam.ratio_applied_at = now
        exam.reapply_closes = reapply_closes
        exam.save(update_fields=["ratio_applied_at", "reapply_closes"])
        audit_record(
            actor=actor,
            action="exam.opening_ratio",
            obj=exam,
            after={
                "cut": sum(o.status == PositionStatus.CUT for o in outcomes),
                "cancelled": sum(o.status == PositionStatus.CANCELLED for o in outcomes),
            },
        )
    return outcomes


def _cancel_applications(position_id, actor):
    applications = Application.objects.select_for_update().filter(
        position_id=position_id, status__in=ACTIVE_STATUSES
    )
    for application in applications:
        area_release(application.area_id)
        application.status = ApplicationStatus.CANCELLED
        application.version += 1
        application.save(update_fields=["status", "version"])
        ApplicationEvent.objects.create(
            application=application,
            kind="cancelled",
            position_id=position_id,
            text="职位未达到开考比例，已取消",
        )
        notices.application_changed(application)


def refund_cancelled(*, application_id, actor, reason="cancelled_position"):
    """Refund the fee of an application whose position was cancelled (on request, or for
    everyone left when the re-apply window closes)."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.status != ApplicationStatus.CANCELLED:
            raise ExamError("只有职位取消的报名可以申请退费")
        if application.fee_status != FeeStatus.PAID:
            raise ExamError("该报名没有可退的费用")
        if application.events.filter(kind="refund_requested").exists():
            raise ExamError("退费申请已提交，请等待退回原支付账户")
        paid = [o for o in payments.orders_for(application.payer_ref) if o.status == "paid"]
        if not paid:
            raise ExamError("未找到已支付的订单，请联系考试中心")
        refund = payments.refund_request(
            order=paid[0], amount=paid[0].amount, reason=reason, actor=actor
        )
        ApplicationEvent.objects.create(
            application=application,
            kind="refund_requested",
            position_id=application.position_id,
            text=f"{refund.amount} 元",
        )
    return refund


def refunds_for_cancelled(*, exam, actor="系统", now=None) -> int:
    """After the re-apply window: refund everyone still on a cancelled position."""
    now = now or timezone.now()
    if exam.reapply_closes and now < exam.reapply_closes:
        return 0
    ids = Application.objects.filter(
        exam=exam, status=ApplicationStatus.CANCELLED, fee_status=FeeStatus.PAID
    ).values_list("pk", flat=True)
    done = 0
    for pk in list(ids):
        try:
            refund_cancelled(application_id=pk, actor=actor)
            done += 1
        except ExamError:
            continue
    return done
