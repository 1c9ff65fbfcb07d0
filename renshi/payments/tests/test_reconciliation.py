"""Daily reconciliation against the simulator's bill (downloaded through the SDKs or uploaded)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.payments import conf, services
from renshi.payments.errors import PaymentError
from renshi.payments.gateways import gateway_for
from renshi.payments.gateways.base import TradeState, TradeStatus
from renshi.payments.models import (
    Discrepancy,
    DiscrepancyKind,
    FeeOrder,
    OrderStatus,
    ReconciliationRun,
    Refund,
    Resolution,
    SimStatus,
    SimTrade,
)
from renshi.payments.sim import trades
from renshi.payments.tests.helpers import (
    new_ref,
    notify,
    open_at_gateway,
    open_order,
    pay_silently,
)

pytestmark = pytest.mark.django_db
K = DiscrepancyKind


def make_day(client, payer, channel):
    """One of each: matched, lost notification, wrong amount, unknown order, paid twice, a refund
    we never asked for, and a payment we recorded that the provider never had."""
    matched, matched_trade = open_at_gateway(channel)
    pay_silently(matched_trade)
    notify(client, matched_trade)
    lost, lost_trade = open_at_gateway(channel)
    pay_silently(lost_trade)
    wrong, wrong_trade = open_at_gateway(channel)
    pay_silently(wrong_trade, paid_amount=Decimal("99.00"))
    merchant = conf.alipay().seller_id if channel == "alipay" else conf.wechat().mch_id
    stranger = trades.trade_open(
        channel=channel,
        app_id="app",
        merchant_id=merchant,
        out_trade_no="RSUNKNOWN0001",
        subject="?",
        amount=Decimal(50),
        notify_url="http://x/",
    )
    pay_silently(stranger)
    payer.accepted.clear()  # the owner (wrongly) takes a second payment: paid twice
    twice = FeeOrder.objects.create(
        out_trade_no="RSTWICE0001", payer_ref=matched.payer_ref, channel=channel,
        amount=Decimal(100), subject="报名费", status=OrderStatus.PAYING,
        expires_at=timezone.now() + timezone.timedelta(minutes=30),
    )  # fmt: skip
    services.order_pay_url(twice, return_url="http://testserver/")
    if channel == "alipay":
        client.get(services.order_pay_url(twice, return_url="http://testserver/"))
    twice_trade = SimTrade.objects.get(out_trade_no=twice.out_trade_no)
    pay_silently(twice_trade)
    notify(client, twice_trade)
    trades.trade_refund(matched_trade, out_refund_no="RFNOTOURS01", amount=Decimal("10.00"))
    ghost = open_order(channel)
    services.payment_apply(
        order=ghost,
        state=TradeState(ghost.out_trade_no, TradeStatus.PAID, ghost.amount),
        via="query",
    )
    return {"lost": lost, "wrong": wrong, "twice": twice, "ghost": ghost, "matched": matched}


@pytest.mark.parametrize("channel", ["alipay", "wechat"])
def test_it_finds_every_kind_of_discrepancy(client, payer, channel):
    orders = make_day(client, payer, channel)
    run = services.reconciliation_run(bill_date=timezone.localdate(), channel=channel)
    found = {(d.kind, d.out_trade_no or d.out_refund_no) for d in run.items.all()}
    assert found == {
        (K.CHARGED_UNPAID, orders["lost"].out_trade_no),
        (K.AMOUNT_MISMATCH, orders["wrong"].out_trade_no),
        (K.UNKNOWN_ORDER, "RSUNKNOWN0001"),
        (K.PAID_TWICE, "RSTWICE0001"),
        (K.REFUND_MISMATCH, orders["matched"].out_trade_no),
        (K.MISSING_IN_BILL, orders["ghost"].out_trade_no),
    }
    assert run.matched == 2  # the matched order and the second (paid twice is reported apart)
    assert run.bill_trades == 5 and run.bill_refunds == 1
    assert run.discrepancy_count == 6 and run.bill_file.name


def test_the_fixes(client, payer, django_capture_on_commit_callbacks):
    orders = make_day(client, payer, "alipay")
    run = services.reconciliation_run(bill_date=timezone.localdate(), channel="alipay")
    office = UserFactory(role=Role.EXAM_OFFICE)
    unpaid = run.items.get(kind=K.CHARGED_UNPAID)
    services.discrepancy_apply_payment(item=unpaid, actor=office)
    lost = FeeOrder.objects.get(pk=orders["lost"].pk)
    assert lost.status == OrderStatus.PAID and lost.paid_via == "reconciliation"
    twice = run.items.get(kind=K.PAID_TWICE)
    with django_capture_on_commit_callbacks(execute=True):
        services.discrepancy_refund(item=twice, actor=office, note="重复缴费退回")
    assert Refund.objects.get(order=orders["twice"]).status == "succeeded"
    with pytest.raises(PaymentError, match="核实说明"):
        services.discrepancy_resolve(
            item=run.items.get(kind=K.UNKNOWN_ORDER), actor=office, note=""
        )
    services.discrepancy_resolve(
        item=run.items.get(kind=K.UNKNOWN_ORDER), actor=office, note="测试交易"
    )
    with pytest.raises(PaymentError, match="已处理"):
        services.discrepancy_apply_payment(item=unpaid, actor=office)
    with pytest.raises(PaymentError, match="补记到账"):
        services.discrepancy_apply_payment(item=run.items.get(kind=K.MISSING_IN_BILL), actor=office)
    assert set(run.items.exclude(resolution="").values_list("resolution", flat=True)) == {
        Resolution.APPLIED,
        Resolution.REFUNDED,
        Resolution.NOTED,
    }


def test_an_uploaded_bill_and_the_command(client, payer):
    make_day(client, payer, "wechat")
    content = gateway_for("wechat").download_bill(timezone.localdate())
    run = services.reconciliation_run(
        bill_date=timezone.localdate(), channel="wechat", content=content
    )
    assert run.source == "upload" and run.discrepancy_count == 6
    out = StringIO()
    call_command("reconcile", date=timezone.localdate().isoformat(), channel="alipay", stdout=out)
    assert "差错0笔" in out.getvalue()


def test_it_refuses_a_file_that_is_not_a_bill(payer):
    with pytest.raises(PaymentError, match="业务明细"):
        services.reconciliation_run(
            bill_date=timezone.localdate(), channel="alipay", content=b"not a zip"
        )
    assert not ReconciliationRun.objects.exists()


# --- The office pages ------------------------------------------------------------------------


@pytest.fixture
def office(client):
    user = UserFactory(role=Role.EXAM_OFFICE)
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.PERSONNEL, Role.UNIT_CLERK])
def test_outsiders_get_404(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get("/pay/office/reconciliation/").status_code == 404
    assert client.get("/pay/office/orders/").status_code == 404


def test_the_office_runs_and_fixes_from_the_pages(office, client, payer):
    orders = make_day(client, payer, "alipay")
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    response = office.post(
        "/pay/office/reconciliation/", {"bill_date": yesterday.isoformat(), "channel": "alipay"}
    )
    run = ReconciliationRun.objects.get()
    assert response.status_code == 302 and run.discrepancy_count == 0
    today = office.post(
        "/pay/office/reconciliation/",
        {"bill_date": timezone.localdate().isoformat(), "channel": "alipay"},
    )
    assert "须早于今天" in today.content.decode()
    run = services.reconciliation_run(bill_date=timezone.localdate(), channel="alipay")
    page = office.get(f"/pay/office/reconciliation/{run.pk}/")
    assert "已扣款未到账" in page.content.decode()
    item = run.items.get(kind=K.CHARGED_UNPAID)
    office.post(f"/pay/office/discrepancies/{item.pk}/apply/", {"note": ""})
    item.refresh_from_db()
    assert item.resolution == Resolution.APPLIED
    bill = office.get(f"/pay/office/reconciliation/{run.pk}/bill/")
    assert bill.status_code == 200
    orders_page = office.get(f"/pay/office/orders/?q={orders['wrong'].out_trade_no}")
    assert orders["wrong"].out_trade_no in orders_page.content.decode()
    office.post(f"/pay/office/orders/{orders['wrong'].out_trade_no}/query/")
    assert Discrepancy.objects.filter(resolution="").count() == 5


def test_the_sim_refuses_unsigned_calls_and_is_off_in_production(client, settings, payer):
    order, trade = open_at_gateway("alipay")
    assert trade.status == SimStatus.WAITING
    assert b"isv.invalid-signature" in client.get("/pay/sim/alipay/gateway.do?method=x").content
    settings.PAY_SIMULATOR = "0"
    assert client.get(f"/pay/sim/cashier/{trade.trade_no}/").status_code == 404
    assert new_ref() != order.payer_ref
