"""Opening orders (one open per payer), active query, expiry, and refunds of double payments."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from renshi.core.models import AuditEvent
from renshi.payments import services
from renshi.payments.errors import PaymentError
from renshi.payments.models import (
    FeeOrder,
    OrderStatus,
    Refund,
    RefundReason,
    RefundStatus,
    SimStatus,
)
from renshi.payments.tests.helpers import (
    new_ref,
    notify,
    open_at_gateway,
    open_order,
    pay_silently,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("channel", ["alipay", "wechat"])
def test_a_second_click_closes_the_first_order_at_the_gateway(payer, channel):
    first, trade = open_at_gateway(channel)
    second = open_order(channel, payer_ref=first.payer_ref)
    first.refresh_from_db()
    trade.refresh_from_db()
    assert first.status == OrderStatus.CLOSED and trade.status == SimStatus.CLOSED
    assert second.status == OrderStatus.CREATED
    assert FeeOrder.objects.filter(payer_ref=first.payer_ref, status="created").count() == 1
    assert AuditEvent.objects.filter(action="payments.order_close", object_id=first.pk).exists()


def test_an_order_never_opened_at_alipay_is_closed_here(payer):
    first = open_order("alipay")
    services.order_pay_url(first, return_url="http://testserver/")  # the payer never follows it
    open_order("alipay", payer_ref=first.payer_ref)
    first.refresh_from_db()
    assert first.status == OrderStatus.CLOSED


def test_a_second_click_after_paying_returns_the_paid_order(payer):
    first, trade = open_at_gateway("alipay")
    pay_silently(trade)  # paid, the notification has not arrived yet
    again = open_order("alipay", payer_ref=first.payer_ref)
    assert again.pk == first.pk and again.status == OrderStatus.PAID
    assert FeeOrder.objects.filter(payer_ref=first.payer_ref).count() == 1
    assert payer.calls == [first.out_trade_no]


def test_it_refuses_a_new_order_once_paid(client, payer):
    order, trade = open_at_gateway("wechat")
    pay_silently(trade)
    notify(client, trade)
    with pytest.raises(PaymentError, match="已缴费成功"):
        open_order("wechat", payer_ref=order.payer_ref)


def test_switching_channel_closes_the_other_channel_order(payer):
    first, trade = open_at_gateway("wechat")
    second = open_order("alipay", payer_ref=first.payer_ref)
    trade.refresh_from_db()
    assert trade.status == SimStatus.CLOSED and second.channel == "alipay"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": Decimal("0")}, "大于0"),
        ({"amount": Decimal("1.005")}, "两位小数"),
        ({"amount": "abc"}, "金额无效"),
        ({"channel": "unionpay"}, "支付渠道"),
        ({"payer_ref": "nobody:1"}, "未登记"),
        ({"subject": "  "}, "标题"),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(payer, kwargs, message):
    args = {"payer_ref": new_ref(), "amount": Decimal(100), "subject": "报名费"}
    args["channel"] = "alipay"
    with pytest.raises(PaymentError, match=message):
        services.order_open(**(args | kwargs))
    assert not FeeOrder.objects.exists()


def test_it_refuses_a_pay_url_for_a_closed_or_expired_order(payer):
    order = open_order()
    later = timezone.now() + datetime.timedelta(minutes=31)
    with time_machine.travel(later), pytest.raises(PaymentError, match="超过支付时限"):
        services.order_pay_url(order, return_url="/")
    services.order_close_local(order=order)
    with pytest.raises(PaymentError, match="已关闭"):
        services.order_pay_url(order, return_url="/")


def test_current_order_is_the_open_one_else_the_paid_one(client, payer):
    ref = new_ref()
    assert services.order_current(ref) is None
    order, trade = open_at_gateway("alipay", payer_ref=ref)
    assert services.order_current(ref) == order
    pay_silently(trade)
    notify(client, trade)
    assert services.order_current(ref).status == OrderStatus.PAID
    assert list(services.orders_for(ref)) == [order]


def test_active_query_finds_a_lost_notification(payer):
    order, trade = open_at_gateway("wechat")
    pay_silently(trade)
    order = services.order_query(order)
    assert order.status == OrderStatus.PAID and order.paid_via == "query"
    assert payer.calls == [order.out_trade_no]


def test_the_return_page_queries_the_gateway_not_the_browser(client, payer):
    order, trade = open_at_gateway("alipay")
    forged = client.get(f"/pay/return/{order.out_trade_no}/?trade_status=TRADE_SUCCESS")
    assert "支付中" in forged.content.decode()
    pay_silently(trade)
    response = client.get(f"/pay/return/{order.out_trade_no}/?next=/exams/")
    assert response.status_code == 302 and response["Location"] == "/exams/"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_the_return_page_never_redirects_off_site(client, payer):
    order, _ = open_at_gateway("alipay")
    response = client.get(f"/pay/return/{order.out_trade_no}/?next=https://evil.example/")
    assert response.status_code == 200


def test_stale_orders_are_queried_and_expired_ones_closed(payer):
    lost, lost_trade = open_at_gateway("alipay")
    pay_silently(lost_trade)
    waiting, waiting_trade = open_at_gateway("wechat")
    fresh = open_order()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        counts = services.query_stale_orders()
        assert counts["paid"] == 1 and counts["closed"] == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=40)):
        call_command("query_stale_orders", minutes=3)
    for o in (lost, waiting, fresh):
        o.refresh_from_db()
    waiting_trade.refresh_from_db()
    assert lost.status == OrderStatus.PAID and lost.paid_via == "query"
    assert waiting.status == OrderStatus.CLOSED and waiting_trade.status == SimStatus.CLOSED
    assert fresh.status == OrderStatus.CLOSED


def test_a_payment_of_a_payer_paid_already_is_refunded_automatically(
    client, payer, django_capture_on_commit_callbacks
):
    # Two cashier pages were open: the second order was made, the first one paid anyway.
    first, first_trade = open_at_gateway("wechat")
    ref = first.payer_ref
    pay_silently(first_trade)
    first.refresh_from_db()
    FeeOrder.objects.filter(pk=first.pk).update(status=OrderStatus.CLOSED)  # closed here first
    second, second_trade = open_at_gateway("wechat", payer_ref=ref)
    pay_silently(second_trade)
    notify(client, second_trade)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(client, first_trade).status_code == 204
    first.refresh_from_db()
    refund = Refund.objects.get(order=first)
    assert refund.reason == RefundReason.DUPLICATE and refund.amount == first.amount
    assert refund.status == RefundStatus.SUCCEEDED  # after the refund notification or a query
    assert first.status in (OrderStatus.REFUNDING, OrderStatus.REFUNDED)
    services.refund_follow_up(minutes=0)
    first.refresh_from_db()
    assert first.status == OrderStatus.REFUNDED
    assert payer.calls == [second.out_trade_no, first.out_trade_no]


def test_an_alipay_refund_succeeds_at_once(payer, client, django_capture_on_commit_callbacks):
    order, trade = open_at_gateway("alipay")
    pay_silently(trade)
    notify(client, trade)
    with django_capture_on_commit_callbacks(execute=True):
        refund = services.refund_request(order=order, amount="30.00", reason=RefundReason.MANUAL)
    refund.refresh_from_db()
    order.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED and refund.attempts == 1
    assert order.status == OrderStatus.PAID  # partly refunded
    assert services.refundable(order) == Decimal("70.00")


@pytest.mark.parametrize(("amount", "reason"), [("0", "manual"), ("100.01", "manual"), ("1", "x")])
def test_it_refuses_a_bad_refund(payer, client, amount, reason):
    order, trade = open_at_gateway("alipay")
    pay_silently(trade)
    notify(client, trade)
    with pytest.raises(PaymentError):
        services.refund_request(order=order, amount=amount, reason=reason)
    assert not Refund.objects.exists()


def test_it_refuses_to_refund_an_unpaid_order(payer):
    with pytest.raises(PaymentError, match="不能退款"):
        services.refund_request(order=open_order(), amount="1", reason=RefundReason.MANUAL)
