"""Exam fees: what is due, starting a payment, waivers, and what happens when an order is paid.

Payments owns orders and gateways; this module owns the application's fee state. The paid
callback (`application_paid`) runs inside the payments transaction that marks the order paid.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from renshi.core.audit import audit_record
from renshi.exams import notices
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    FeeStatus,
    FeeWaiver,
    WaiverStatus,
)
from renshi.payments import services as payments
from renshi.payments.errors import PaymentError

PAYER_PREFIX = "exams.application"


def application_id_of(payer_ref: str) -> int:
    prefix, _, pk = payer_ref.partition(":")
    if prefix != PAYER_PREFIX or not pk.isdigit():
        raise ValueError(payer_ref)
    return int(pk)


def fee_due(application) -> Decimal:
    waiver = getattr(application, "waiver", None) if application.pk else None
    if waiver is not None and waiver.status == WaiverStatus.APPROVED:
        return Decimal("0")
    return application.position.fee()


def _payable(application, now) -> None:
    if application.status != ApplicationStatus.APPROVED:
        raise ExamError("资格审查通过后才能缴费")
    if application.fee_status in (FeeStatus.PAID, FeeStatus.WAIVED):
        raise ExamError("您已完成缴费，无需重复缴费")
    if not application.exam.payment_open(now):
        raise ExamError("缴费已截止（未在截止前缴费视为放弃报名）")


def payment_start(*, application_id, candidate, channel: str, return_url: str, now=None):
    """Open (or reopen) the one order of this application and return its cashier URL.

    payments.order_open closes any earlier open order at the gateway first, so clicking
    "pay" twice never leaves two orders that could both be paid."""
    now = now or timezone.now()
    application = Application.objects.select_related("exam", "position").get(
        pk=application_id, candidate=candidate
    )
    _payable(application, now)
    amount = fee_due(application)
    if amount == 0:
        raise ExamError("您的减免申请已批准，无需缴费")
    try:
        order = payments.order_open(
            payer_ref=application.payer_ref,
            amount=amount,
            subject=f"{application.exam.name} 考务费",
            channel=channel,
            actor=candidate.user,
        )
        if order.status == "paid":  # an earlier order turned out paid when it was closed
            raise ExamError("您已完成缴费，无需重复缴费")
        return order, payments.order_pay_url(order, return_url=return_url)
    except PaymentError as exc:
        raise ExamError(exc.message) from exc


def _event(application, kind, text=""):
    ApplicationEvent.objects.create(
        application=application, kind=kind, position_id=application.position_id, text=text
    )


def application_paid(order) -> bool:
    """payments' on_paid hook. True: the application took the payment. False: it needs no
    payment any more (already paid or waived, withdrawn, or the amount is wrong) and payments
    refunds the order. Runs inside the payments transaction."""
    application = Application.objects.select_for_update().get(pk=application_id_of(order.payer_ref))
    if application.fee_status in (FeeStatus.PAID, FeeStatus.WAIVED):
        return False
    if order.amount != fee_due(application):
        return False
    late_but_started_in_time = (
        application.status == ApplicationStatus.WITHDRAWN
        and application.events.filter(kind="expired").exists()
        and order.created_at < application.exam.payment_closes
    )
    if late_but_started_in_time:
        # The notification for an order opened before the deadline arrived after it.
        from renshi.exams.services.applications import area_reinstate

        area_reinstate(application.area_id)
        application.status = ApplicationStatus.APPROVED
    elif application.status != ApplicationStatus.APPROVED:
        return False
    application.fee_status = FeeStatus.PAID
    application.fee_amount = order.amount
    application.paid_at = order.paid_at or timezone.now()
    application.version += 1
    application.save(update_fields=["status", "fee_status", "fee_amount", "paid_at", "version"])
    _event(application, "paid", f"{order.amount} 元，订单 {order.out_trade_no}")
    audit_record(
        actor="支付通知",
        action="application.paid",
        obj=application,
        before={"fee_status": FeeStatus.UNPAID},
        after={"fee_status": FeeStatus.PAID, "order": order.out_trade_no},
    )
    notices.send(application, "paid")
    return True


def application_refunded(refund) -> None:
    """payments' on_refunded hook: a refund of this application's fee completed."""
    application = Application.objects.select_for_update().get(
        pk=application_id_of(refund.order.payer_ref)
    )
    if application.fee_status != FeeStatus.PAID:
        return  # a duplicate payment was refunded; the application stays paid
    if application.status in (ApplicationStatus.APPROVED,):
        return
    application.fee_status = FeeStatus.REFUNDED
    application.save(update_fields=["fee_status"])
    _event(application, "refunded", f"{refund.amount} 元")
    audit_record(
        actor="退费",
        action="application.refunded",
        obj=application,
        after={"fee_status": FeeStatus.REFUNDED},
    )
    notices.send(application, "refunded")


def describe(payer_ref: str) -> str:
    try:
        application = Application.objects.select_related("candidate", "position").get(
            pk=application_id_of(payer_ref)
        )
    except (ValueError, Application.DoesNotExist):
        return payer_ref
    return f"{application.candidate.name} {application.position.code}"


def waiver_submit(*, application_id, candidate, kind, proof) -> FeeWaiver:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(
            pk=application_id, candidate=candidate
        )
        if application.fee_status != FeeStatus.UNPAID:
            raise ExamError("已缴费的报名不能再申请减免")
        if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED):
            raise ExamError("当前报名状态不能申请减免")
        waiver = FeeWaiver.objects.filter(application=application).first()
        if waiver is not None and waiver.status != WaiverStatus.REJECTED:
            raise ExamError("减免申请已提交，请等待审核")
        if waiver is None:
            waiver = FeeWaiver(application=application)
        waiver.kind, waiver.proof, waiver.status = kind, proof, WaiverStatus.PENDING
        waiver.submitted_at = timezone.now()
        waiver.save()
        _event(application, "waiver_submitted", waiver.get_kind_display())
        audit_record(actor=candidate.user, action="waiver.submit", obj=waiver)
    return waiver


def waiver_decide(*, waiver_id, actor, approve: bool, reason: str = "") -> FeeWaiver:
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ExamError("不批准须填写原因", field="reason")
    with transaction.atomic():
        waiver = FeeWaiver.objects.select_for_update().get(pk=waiver_id)
        application = Application.objects.select_for_update().get(pk=waiver.application_id)
        if waiver.status != WaiverStatus.PENDING:
            raise ExamError("该申请已审核")
        waiver.status = WaiverStatus.APPROVED if approve else WaiverStatus.REJECTED
        waiver.decided_at, waiver.decided_by, waiver.reason = timezone.now(), actor, reason
        waiver.save()
        if approve and application.fee_status == FeeStatus.UNPAID:
            # An order still open at the gateway may yet be paid: application_paid then
            # declines it and payments refunds it.
            application.fee_status = FeeStatus.WAIVED
            application.version += 1
            application.save(update_fields=["fee_status", "version"])
            notices.send(application, "waived")
        _event(
            application,
            "waiver_approved" if approve else "waiver_rejected",
            reason or ("减免申请已批准" if approve else ""),
        )
        audit_record(
            actor=actor,
            action="waiver.approve" if approve else "waiver.reject",
            obj=waiver,
            after={"status": waiver.status, "reason": reason},
        )
    return waiver
