"""Races on real row locks: these run on PostgreSQL (SQLite serialises writers anyway)."""

import pytest
from django.db import connection
from django.test import Client

from renshi.core.models import AuditEvent
from renshi.core.tests.races import race as _race
from renshi.payments.errors import PaymentError
from renshi.payments.models import FeeOrder, OrderStatus, PaymentNotification, Refund
from renshi.payments.sim import notices
from renshi.payments.tests.helpers import (
    new_ref,
    open_at_gateway,
    open_order,
    pay_silently,
    post_notification,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def race(jobs):
    """Run the callables at once; return (results, errors)."""
    return _race(jobs, PaymentError)


@pytest.mark.parametrize("channel", ["alipay", "wechat"])
def test_fifty_copies_of_a_notification_pay_once(payer, channel):
    order, trade = open_at_gateway(channel)
    pay_silently(trade)
    trade.refresh_from_db()
    headers, body = notices.build(trade)

    def deliver():
        return post_notification(Client(), channel, headers, body).status_code

    statuses, errors = race([deliver] * 50)
    assert errors == []
    assert set(statuses) == ({200} if channel == "alipay" else {204})
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert payer.calls == [order.out_trade_no]
    assert AuditEvent.objects.filter(action="payments.order_paid", object_id=order.pk).count() == 1
    outcomes = list(PaymentNotification.objects.values_list("outcome", flat=True))
    assert sorted(outcomes) == ["applied"] + ["duplicate"] * 49


def test_two_clicks_at_once_leave_one_open_order(payer):
    ref = new_ref()
    _, errors = race([lambda: open_order("wechat", payer_ref=ref)] * 2)
    assert errors == []
    assert FeeOrder.objects.filter(payer_ref=ref, status__in=["created", "paying"]).count() == 1
    assert FeeOrder.objects.filter(payer_ref=ref).count() in (1, 2)


def test_clicks_racing_over_an_open_order_close_it_once(payer):
    first, _ = open_at_gateway("alipay")
    _, errors = race([lambda: open_order("alipay", payer_ref=first.payer_ref)] * 5)
    assert errors == []
    first.refresh_from_db()
    assert first.status == OrderStatus.CLOSED
    open_orders = FeeOrder.objects.filter(payer_ref=first.payer_ref, status="created")
    assert open_orders.count() == 1


def test_a_payment_racing_a_second_click_is_never_lost(payer):
    # The payer pays the open order at the very moment they click "pay" again.
    first, trade = open_at_gateway("wechat")
    pay_silently(trade)
    trade.refresh_from_db()
    headers, body = notices.build(trade)
    _, errors = race(
        [
            lambda: open_order("wechat", payer_ref=first.payer_ref),
            lambda: post_notification(Client(), "wechat", headers, body).status_code,
        ]
    )
    # Whichever wins: the click returns the paid order, or says it is paid already.
    assert [e.code for e in errors] in ([], ["already_paid"])
    first.refresh_from_db()
    assert first.status == OrderStatus.PAID
    assert payer.calls == [first.out_trade_no]
    assert not FeeOrder.objects.filter(payer_ref=first.payer_ref, status="created").exists()
    assert not Refund.objects.exists()
