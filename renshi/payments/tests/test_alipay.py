"""Alipay notifications from the simulator, checked by python-alipay-sdk's own verify()."""

from decimal import Decimal

import pytest

from renshi.core.models import AuditEvent
from renshi.payments.models import NotificationOutcome, OrderStatus, PaymentNotification
from renshi.payments.sim import notices
from renshi.payments.tests.helpers import (
    notify,
    open_at_gateway,
    pay_silently,
    post_notification,
)

pytestmark = pytest.mark.django_db


def outcomes():
    return list(PaymentNotification.objects.values_list("outcome", flat=True))


def test_it_applies_a_signed_payment_notification(client, payer):
    order, trade = open_at_gateway("alipay")
    pay_silently(trade)
    response = notify(client, trade)
    assert response.content == b"success"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.gateway_trade_no == trade.trade_no
    assert order.paid_via == "notification"
    assert payer.calls == [order.out_trade_no]
    assert outcomes() == [NotificationOutcome.APPLIED]
    assert AuditEvent.objects.filter(action="payments.order_paid", object_id=order.pk).count() == 1


def test_it_pays_through_the_cashier_and_the_delivered_notification(
    client, payer, django_capture_on_commit_callbacks
):
    order, trade = open_at_gateway("alipay")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/pay/sim/cashier/{trade.trade_no}/pay/", {"scenario": "normal"})
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert trade.notifications.get().delivered_at is not None


def test_it_applies_duplicates_once(client, payer):
    order, trade = open_at_gateway("alipay")
    pay_silently(trade)
    for _ in range(4):
        assert notify(client, trade).content == b"success"
    assert payer.calls == [order.out_trade_no]
    assert sorted(outcomes()) == ["applied", "duplicate", "duplicate", "duplicate"]
    assert AuditEvent.objects.filter(action="payments.order_paid").count() == 1


def test_it_replays_the_same_signed_notification_once(client, payer):
    order, trade = open_at_gateway("alipay")
    pay_silently(trade)
    trade.refresh_from_db()
    headers, body = notices.alipay_notification(trade)
    for _ in range(3):
        assert post_notification(client, "alipay", headers, body).content == b"success"
    assert payer.calls == [order.out_trade_no]


@pytest.mark.parametrize(
    ("kwargs", "outcome"),
    [
        ({"forge": True}, NotificationOutcome.REJECTED_SIGNATURE),
        ({"app_id": "2021009999999999"}, NotificationOutcome.REJECTED_APP),
        ({"seller_id": "2088999999999999"}, NotificationOutcome.REJECTED_MERCHANT),
        ({"total_amount": "0.01"}, NotificationOutcome.REJECTED_AMOUNT),
        ({"out_trade_no": "RS20260101000000NOSUCH"}, NotificationOutcome.UNKNOWN_ORDER),
    ],
)
def test_it_rejects_a_bad_notification_and_changes_nothing(client, payer, kwargs, outcome):
    order, trade = open_at_gateway("alipay")
    pay_silently(trade)
    audit_before = AuditEvent.objects.count()
    response = notify(client, trade, **kwargs)
    assert response.content == b"fail"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAYING
    assert payer.calls == []
    assert AuditEvent.objects.count() == audit_before
    assert outcomes() == [outcome]


def test_it_rejects_a_tampered_field_after_signing(client, payer):
    _order, trade = open_at_gateway("alipay")
    pay_silently(trade)
    trade.refresh_from_db()
    headers, body = notices.alipay_notification(trade)
    body = body.replace("total_amount=100.00", "total_amount=1.00")
    assert post_notification(client, "alipay", headers, body).content == b"fail"
    assert outcomes() == [NotificationOutcome.REJECTED_SIGNATURE]


def test_it_ignores_a_close_that_arrives_after_the_payment(client, payer):
    order, trade = open_at_gateway("alipay")
    pay_silently(trade)
    notify(client, trade)
    assert notify(client, trade, trade_status="TRADE_CLOSED").content == b"success"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert outcomes()[0] == NotificationOutcome.IGNORED


def test_it_closes_an_open_order_the_gateway_closed(client, payer):
    order, trade = open_at_gateway("alipay")
    assert notify(client, trade, trade_status="TRADE_CLOSED").content == b"success"
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED


def test_it_refuses_a_get(client):
    assert client.get("/pay/notify/alipay/").status_code == 405


def test_it_records_the_amount_in_yuan(client, payer):
    order, trade = open_at_gateway("alipay", amount="75.50")
    pay_silently(trade)
    notify(client, trade)
    order.refresh_from_db()
    assert order.amount == Decimal("75.50") and order.status == OrderStatus.PAID


def test_a_payer_type_nobody_registered_fails_and_is_retried_not_refunded(client, payer):
    from renshi.payments import hooks

    order, trade = open_at_gateway("alipay")
    pay_silently(trade)
    registered = hooks._registry.pop("paytest.payer")
    try:
        assert notify(client, trade).content == b"fail"
    finally:
        hooks.register("paytest.payer", registered)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAYING
    assert outcomes() == [NotificationOutcome.ERROR]
    assert notify(client, trade).content == b"success"
