"""The exam clock: what happens when a deadline passes (run by `manage.py exams_tick`)."""

import logging

from django.utils import timezone

from renshi.exams.models import Application, ApplicationStatus, Exam, ExamStatus, FeeStatus
from renshi.exams.services.applications import applications_expire_unpaid
from renshi.exams.services.ratio import refunds_for_cancelled
from renshi.payments import services as payments

log = logging.getLogger(__name__)


def settle_open_orders(exam) -> int:
    """Before anyone is withdrawn for not paying, ask the gateway about every order still
    open: a payment made in time whose notification is late must not cost a place."""
    asked = 0
    unpaid = Application.objects.filter(
        exam=exam, status=ApplicationStatus.APPROVED, fee_status=FeeStatus.UNPAID
    )
    for application in unpaid.iterator():
        order = payments.order_current(application.payer_ref)
        if order is not None and order.status in ("created", "paying"):
            try:
                payments.order_query(order)
            except Exception:  # a gateway timeout leaves the application for the next tick
                log.warning("order query failed for %s", order.out_trade_no, exc_info=True)
                continue
            asked += 1
    return asked


def exams_tick(*, now=None, say=print) -> dict:
    now = now or timezone.now()
    done = {"queried": 0, "expired": 0, "refunds": 0}
    for exam in Exam.objects.filter(status=ExamStatus.PUBLISHED):
        if now >= exam.payment_closes:
            done["queried"] += settle_open_orders(exam)
            done["expired"] += applications_expire_unpaid(exam=exam, now=now)
        if exam.ratio_applied_at and exam.reapply_closes and now >= exam.reapply_closes:
            done["refunds"] += refunds_for_cancelled(exam=exam, now=now)
    say(
        f"查询未完成订单 {done['queried']} 笔，逾期未缴费 {done['expired']} 人，"
        f"退费 {done['refunds']} 笔"
    )
    return done
