"""Exam fees end to end through the simulated gateway and the real SDKs: pay once, the second
click closes the first order, a paid fee survives a late notification, duplicates are refunded,
the clock withdraws only the truly unpaid, and the finance export lists the orders."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from renshi.core import notify
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.errors import ExamError
from renshi.exams.models import Application, ApplicationStatus, FeeStatus
from renshi.exams.services import applications as services
from renshi.exams.services import fees
from renshi.exams.services.tick import exams_tick
from renshi.exams.tests.factories import make_candidate, make_exam, make_position
from renshi.payments.models import FeeOrder, Refund, SimTrade
from renshi.payments.tests.helpers import notify as deliver_notification
from renshi.payments.tests.helpers import pay_silently

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _simulated_gateway(settings):
    settings.PAY_SIMULATOR = "1"
    settings.PAY_PUBLIC_BASE_URL = "http://testserver"


@pytest.fixture
def approved():
    office = UserFactory(role=Role.EXAM_OFFICE)
    exam = make_exam()
    candidate = make_candidate()
    application = services.application_submit(
        candidate=candidate, position=make_position(exam), declared=True
    )
    services.application_review(
        application_id=application.pk,
        actor=office,
        approve=True,
        version=application.version,
        position_id=application.position_id,
    )
    application.refresh_from_db()
    return application


def start(application, channel="alipay"):
    order, url = fees.payment_start(
        application_id=application.pk,
        candidate=application.candidate,
        channel=channel,
        return_url="http://testserver/back/",
    )
    return order, url


def open_in_cashier(client, application, channel="alipay"):
    order, url = start(application, channel)
    if channel == "alipay":
        assert client.get(url).status_code == 302  # the signed page-pay URL → cashier
    return order, SimTrade.objects.get(out_trade_no=order.out_trade_no)


@pytest.mark.parametrize("channel", ["alipay", "wechat"])
def test_pay_through_the_cashier_marks_the_application_paid(
    client, approved, channel, django_capture_on_commit_callbacks
):
    order, trade = open_in_cashier(client, approved, channel)
    assert order.amount == 100
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/pay/sim/cashier/{trade.trade_no}/pay/", {"scenario": "normal"})
    approved.refresh_from_db()
    assert approved.fee_status == FeeStatus.PAID and approved.fee_amount == 100
    assert approved.events.filter(kind="paid").count() == 1
    assert any("完成" in m.text and "缴费" in m.text for m in notify.outbox)
    with pytest.raises(ExamError, match="无需重复缴费"):
        start(approved)


def test_pay_before_approval_is_refused():
    application = services.application_submit(
        candidate=make_candidate(), position=make_position(make_exam()), declared=True
    )
    with pytest.raises(ExamError, match="资格审查通过后"):
        start(application)
    assert not FeeOrder.objects.exists()


def test_a_second_click_closes_the_first_order_at_the_gateway(client, approved):
    first, first_trade = open_in_cashier(client, approved)
    second, _ = open_in_cashier(client, approved)
    first.refresh_from_db()
    first_trade.refresh_from_db()
    assert first.status == "closed" and first_trade.status != "paid"
    open_orders = FeeOrder.objects.filter(
        payer_ref=approved.payer_ref, status__in=["created", "paying"]
    )
    assert open_orders.count() == 1
    assert second.pk != first.pk


def test_paid_at_the_gateway_but_notification_lost_is_found_on_the_next_click(client, approved):
    _first, trade = open_in_cashier(client, approved)
    pay_silently(trade)
    with pytest.raises(ExamError, match="无需重复缴费"):
        start(approved)  # closing the old order finds it paid and applies it
    approved.refresh_from_db()
    assert approved.fee_status == FeeStatus.PAID
    assert FeeOrder.objects.filter(payer_ref=approved.payer_ref).count() == 1


def test_the_return_page_asks_the_gateway_instead_of_trusting_the_browser(client, approved):
    _order, trade = open_in_cashier(client, approved)
    client.force_login(approved.candidate.user)
    back = reverse("exams:payment_return", args=[approved.pk])
    response = client.get(back + "?trade_status=TRADE_SUCCESS")
    approved.refresh_from_db()
    assert approved.fee_status == FeeStatus.UNPAID  # the browser's word counts for nothing
    pay_silently(trade)
    response = client.get(back)
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.fee_status == FeeStatus.PAID


def test_a_second_paid_order_is_refunded_not_applied_twice(client, approved):
    from renshi.payments.services import order_close_local

    first, first_trade = open_in_cashier(client, approved)
    pay_silently(first_trade)  # charged, but the notification is late…
    order_close_local(order=first, note="超时关闭")  # …and our side closed the order meanwhile
    second, second_trade = open_in_cashier(client, approved)
    deliver_notification(client, pay_silently(second_trade))
    approved.refresh_from_db()
    assert approved.fee_status == FeeStatus.PAID
    deliver_notification(client, first_trade)  # the late notification of the first payment
    approved.refresh_from_db()
    assert approved.fee_amount == second.amount  # applied once
    assert approved.events.filter(kind="paid").count() == 1
    assert Refund.objects.filter(order=first, reason="duplicate").count() == 1


def test_the_clock_withdraws_only_the_truly_unpaid(client, approved):
    _order, trade = open_in_cashier(client, approved)
    pay_silently(trade)  # paid in time, notification lost
    other = services.application_submit(
        candidate=make_candidate(name="未缴费"),
        position=make_position(approved.exam),
        declared=True,
    )
    services.application_review(
        application_id=other.pk,
        actor=UserFactory(role=Role.EXAM_OFFICE),
        approve=True,
        version=other.version,
        position_id=other.position_id,
    )
    later = approved.exam.payment_closes + datetime.timedelta(minutes=5)
    done = exams_tick(now=later, say=lambda text: None)
    approved.refresh_from_db()
    other.refresh_from_db()
    assert approved.fee_status == FeeStatus.PAID and approved.status == ApplicationStatus.APPROVED
    assert other.status == ApplicationStatus.WITHDRAWN
    assert done["expired"] == 1


def test_a_late_notification_for_an_order_opened_in_time_reinstates(client, approved):
    _order, trade = open_in_cashier(client, approved)
    later = approved.exam.payment_closes + datetime.timedelta(minutes=5)
    services.applications_expire_unpaid(exam=approved.exam, now=later)
    approved.refresh_from_db()
    assert approved.status == ApplicationStatus.WITHDRAWN
    deliver_notification(client, pay_silently(trade))
    approved.refresh_from_db()
    assert approved.status == ApplicationStatus.APPROVED
    assert approved.fee_status == FeeStatus.PAID


def test_finance_export_lists_the_exams_orders(client, approved):
    _order, trade = open_in_cashier(client, approved)
    deliver_notification(client, pay_silently(trade))
    client.force_login(UserFactory(role=Role.EXAM_OFFICE))
    response = client.get(reverse("exams:finance_export", args=[approved.exam_id]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert any(approved.candidate.name in " ".join(str(c) for c in row) for row in rows[1:])
    client.force_login(make_candidate(name="外人").user)
    assert client.get(reverse("exams:finance_export", args=[approved.exam_id])).status_code == 404


def test_office_exam_page_shows_the_registration_figures(client, approved):
    client.force_login(UserFactory(role=Role.EXAM_OFFICE))
    page = client.get(reverse("exams:office_exam_detail", args=[approved.exam_id]))
    html = page.content.decode()
    assert "每日报名人数" in html and "exam-stats" in html
    assert Application.objects.filter(exam=approved.exam).count() == 1


def test_the_clock_runs_every_job_once(client, approved):
    import io

    from django.core.management import call_command

    _order, trade = open_in_cashier(client, approved)
    pay_silently(trade)
    FeeOrder.objects.filter(payer_ref=approved.payer_ref).update(
        created_at=trade.created_at - datetime.timedelta(minutes=10)
    )
    out = io.StringIO()
    call_command("clock", once=True, stdout=out)
    approved.refresh_from_db()
    assert approved.fee_status == FeeStatus.PAID  # the stale order was queried
    assert "逾期未缴费" in out.getvalue() and "订单" in out.getvalue()
