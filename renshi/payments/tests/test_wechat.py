"""WeChat Pay notifications from the simulator, checked by wechatpayv3's callback()."""

import json
import time

import pytest

from renshi.payments import services
from renshi.payments.models import (
    NotificationOutcome,
    OrderStatus,
    PaymentNotification,
    RefundReason,
    RefundStatus,
)
from renshi.payments.sim import notices, trades
from renshi.payments.tests.helpers import notify, open_at_gateway, pay_silently, post_notification

pytestmark = pytest.mark.django_db


def outcomes():
    return list(PaymentNotification.objects.values_list("outcome", flat=True))


def test_it_applies_a_signed_encrypted_notification(client, payer):
    order, trade = open_at_gateway("wechat")
    pay_silently(trade)
    response = notify(client, trade)
    assert response.status_code == 204 and response.content == b""
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.gateway_trade_no == trade.trade_no
    assert payer.calls == [order.out_trade_no]
    log = PaymentNotification.objects.get()
    assert log.verified and log.outcome == NotificationOutcome.APPLIED
    assert "HTTP_WECHATPAY_SIGNATURE" in log.headers


def test_the_pay_url_is_the_h5_cashier_with_the_return_url(payer):
    order, trade = open_at_gateway("wechat")
    url = services.order_pay_url(order, return_url="http://testserver/back/")
    assert f"/pay/sim/cashier/{trade.trade_no}/" in url
    assert "redirect_url=http%3A%2F%2Ftestserver%2Fback%2F" in url


def test_it_applies_duplicates_and_a_fresh_replay_once(client, payer):
    order, trade = open_at_gateway("wechat")
    pay_silently(trade)
    trade.refresh_from_db()
    headers, body = notices.wechat_notification(trade)
    for _ in range(3):
        assert post_notification(client, "wechat", headers, body).status_code == 204
    assert notify(client, trade).status_code == 204
    assert payer.calls == [order.out_trade_no]
    assert sorted(outcomes()) == ["applied", "duplicate", "duplicate", "duplicate"]


@pytest.mark.parametrize(
    ("kwargs", "outcome"),
    [
        ({"forge": True}, NotificationOutcome.REJECTED_SIGNATURE),
        # Offsets from the moment the test runs (not when it was collected: a slow suite
        # would otherwise reach the "future" one after it has become the past).
        ({"timestamp_offset": -3600}, NotificationOutcome.REJECTED_REPLAY),
        ({"timestamp_offset": 600}, NotificationOutcome.REJECTED_REPLAY),
        ({"apiv3_key": "x" * 32}, NotificationOutcome.REJECTED_SIGNATURE),
        ({"appid": "wx00000000000000ff"}, NotificationOutcome.REJECTED_APP),
        ({"mchid": "1900009999"}, NotificationOutcome.REJECTED_MERCHANT),
        (
            {"amount": {"total": 1, "payer_total": 1, "currency": "CNY"}},
            NotificationOutcome.REJECTED_AMOUNT,
        ),
        ({"out_trade_no": "RS20260101000000NOSUCH"}, NotificationOutcome.UNKNOWN_ORDER),
    ],
)
def test_it_rejects_a_bad_notification_and_changes_nothing(client, payer, kwargs, outcome):
    order, trade = open_at_gateway("wechat")
    pay_silently(trade)
    if "timestamp_offset" in kwargs:
        kwargs = {"timestamp": time.time() + kwargs["timestamp_offset"]}
    response = notify(client, trade, **kwargs)
    assert response.status_code == 400
    assert json.loads(response.content) == {"code": "FAIL", "message": "失败"}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAYING
    assert payer.calls == []
    assert outcomes() == [outcome]


def test_it_rejects_a_tampered_body(client, payer):
    _order, trade = open_at_gateway("wechat")
    pay_silently(trade)
    trade.refresh_from_db()
    headers, body = notices.wechat_notification(trade)
    body = body.replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCES2")
    assert post_notification(client, "wechat", headers, body).status_code == 400
    assert outcomes() == [NotificationOutcome.REJECTED_SIGNATURE]


def test_it_completes_a_refund_from_the_refund_notification(client, payer):
    order, trade = open_at_gateway("wechat")
    pay_silently(trade)
    notify(client, trade)
    refund = services.refund_request(
        order=order, amount=order.amount, reason=RefundReason.CANCELLED_POSITION
    )
    sim_refund, _ = trades.trade_refund(
        trade, out_refund_no=refund.out_refund_no, amount=refund.amount
    )
    assert notify(client, trade, refund=sim_refund).status_code == 204
    refund.refresh_from_db()
    order.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert order.status == OrderStatus.REFUNDED
    assert payer.refunded == [refund.out_refund_no]
