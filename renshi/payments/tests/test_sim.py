"""The simulated gateway: the cashier a payer sees, and notifications re-sent on schedule."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from renshi.payments import services
from renshi.payments.models import OrderStatus, SimNotification, SimStatus
from renshi.payments.sim import notices, trades
from renshi.payments.tests.helpers import open_at_gateway

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("channel", "brand"), [("alipay", "模拟支付宝"), ("wechat", "模拟微信支付")]
)
def test_the_cashier_shows_the_trade(client, payer, channel, brand):
    order, trade = open_at_gateway(channel)
    page = client.get(f"/pay/sim/cashier/{trade.trade_no}/").content.decode()
    assert f"{brand}收银台" in page and "确认支付" in page and "取消" in page
    assert str(order.amount) in page and 'name="viewport"' in page


def test_cancel_changes_nothing_and_goes_back(client, payer):
    order, trade = open_at_gateway("wechat")
    response = client.post(
        f"/pay/sim/cashier/{trade.trade_no}/cancel/", {"redirect": "http://testserver/back/"}
    )
    assert 'href="http://testserver/back/"' in response.content.decode()
    trade.refresh_from_db()
    order.refresh_from_db()
    assert trade.status == SimStatus.WAITING and order.status == OrderStatus.PAYING


def test_the_alipay_return_carries_signed_fields_that_decide_nothing(client, payer):
    order, trade = open_at_gateway("alipay")
    response = client.post(f"/pay/sim/cashier/{trade.trade_no}/pay/", {"scenario": "lost"})
    assert "http://testserver/done/?out_trade_no=" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAYING  # the notification was lost; a query will find it


def test_a_closed_trade_cannot_be_paid(client, payer):
    order, trade = open_at_gateway("alipay")
    services.order_open(
        payer_ref=order.payer_ref, amount=order.amount, subject="报名费", channel="alipay"
    )
    response = client.post(f"/pay/sim/cashier/{trade.trade_no}/pay/", {"scenario": "normal"})
    assert response.status_code == 400 and "不能支付" in response.content.decode()


def test_an_unacknowledged_notification_is_sent_again_on_schedule(client, payer):
    order, trade = open_at_gateway("alipay")
    trades.trade_pay(trade, notify=False)
    trade.refresh_from_db()
    headers, body = notices.build(trade)
    note = SimNotification.objects.create(
        trade=trade, url=trade.notify_url, headers=headers, body=body + "&tampered=1"
    )
    assert notices.deliver(note) is False
    note.refresh_from_db()
    assert note.attempts == 1 and note.last_response == "fail"
    assert note.next_attempt_at - timezone.now() > datetime.timedelta(minutes=3)
    SimNotification.objects.filter(pk=note.pk).update(body=body)  # the provider's real copy
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        call_command("paysim_deliver")
    note.refresh_from_db()
    order.refresh_from_db()
    assert note.delivered_at and note.attempts == 2
    assert order.status == OrderStatus.PAID
