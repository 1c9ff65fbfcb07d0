"""Finance export: a real .xlsx read back with openpyxl."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from renshi.payments import services
from renshi.payments.models import RefundReason
from renshi.payments.tests.helpers import new_ref, notify, open_at_gateway, open_order, pay_silently

pytestmark = pytest.mark.django_db


def test_it_exports_orders_refunds_and_totals(client, payer, django_capture_on_commit_callbacks):
    paid, trade = open_at_gateway("alipay", amount="100.00")
    pay_silently(trade)
    notify(client, trade)
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_request(order=paid, amount="40.00", reason=RefundReason.CANCELLED_POSITION)
    waiting = open_order("wechat", amount="50.00")
    other = open_order(payer_ref=new_ref())
    content = services.finance_export([paid.payer_ref, waiting.payer_ref], "2026年度考试")
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["订单", "退费", "汇总"]
    orders = list(wb["订单"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in orders} == {paid.out_trade_no, waiting.out_trade_no}
    assert other.out_trade_no not in {row[0] for row in orders}
    assert any(row[2].startswith("测试考生") for row in orders)
    refunds = list(wb["退费"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], Decimal(str(r[4])), r[5]) for r in refunds] == [
        (paid.out_trade_no, Decimal("40"), "职位取消")
    ]
    summary = dict(wb["汇总"].iter_rows(min_row=2, values_only=True))
    assert summary["导出"] == "2026年度考试"
    assert Decimal(str(summary["净收入(元)"])) == Decimal("60")
