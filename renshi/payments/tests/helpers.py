"""Helpers for the payments tests: a test payer, opening orders, and the simulator's side."""

import itertools
import threading
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from renshi.payments import services
from renshi.payments.models import FeeOrder, SimTrade
from renshi.payments.sim import notices, trades

PREFIX = "paytest.payer"
_seq = itertools.count(1)


class TestPayer:
    __test__ = False

    def __init__(self):
        self.accepted: dict[str, str] = {}
        self.calls: list[str] = []
        self.refunded: list[str] = []
        self.accept = True
        self._lock = threading.Lock()

    def on_paid(self, order) -> bool:
        with self._lock:
            self.calls.append(order.out_trade_no)
            if not self.accept or order.payer_ref in self.accepted:
                return False
            self.accepted[order.payer_ref] = order.out_trade_no
            return True

    def on_refunded(self, refund) -> None:
        self.refunded.append(refund.out_refund_no)

    def describe(self, payer_ref: str) -> str:
        return f"测试考生{payer_ref.rsplit(':', 1)[-1]}"


def new_ref() -> str:
    return f"{PREFIX}:{next(_seq)}"


def open_order(channel="alipay", amount="100.00", payer_ref=None) -> FeeOrder:
    return services.order_open(
        payer_ref=payer_ref or new_ref(),
        amount=Decimal(amount),
        subject="2026年度公务员考试报名费",
        channel=channel,
    )


def open_at_gateway(channel="alipay", amount="100.00", payer_ref=None) -> tuple[FeeOrder, SimTrade]:
    """An order the payer has opened in the cashier: the simulated provider knows the trade."""
    order = open_order(channel, amount, payer_ref)
    url = services.order_pay_url(order, return_url="http://testserver/done/")
    if channel == "alipay":
        response = Client().get(url)  # the browser follows the signed URL to the cashier
        assert response.status_code == 302, response.content
    order.refresh_from_db()
    return order, SimTrade.objects.get(out_trade_no=order.out_trade_no)


def pay_silently(trade: SimTrade, **kwargs) -> SimTrade:
    """Paid at the provider with no notification sent (the lost-notification case)."""
    return trades.trade_pay(trade, notify=False, **kwargs)


def post_notification(client, channel: str, headers: dict, body: str):
    content_type = headers.get("Content-Type")
    extra = {k: v for k, v in headers.items() if k != "Content-Type"}
    url = reverse(f"payments:notify_{channel}")
    return client.post(url, data=body, content_type=content_type, headers=extra)


def notify(client, trade: SimTrade, **kwargs):
    """Build the provider's notification for the trade's current state and deliver it."""
    trade.refresh_from_db()
    headers, body = notices.build(trade, **kwargs)
    return post_notification(client, trade.channel, headers, body)
