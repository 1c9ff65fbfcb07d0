"""The simulated provider's books: trades, payments, closes, refunds and its daily bill files."""

import csv
import datetime
import gzip
import io
import secrets
import zipfile
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from renshi.payments import conf
from renshi.payments.gateways.base import CHINA
from renshi.payments.models import Channel, SimRefund, SimStatus, SimTrade
from renshi.payments.sim import notices


class SimError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _number(prefix: str) -> str:
    now = timezone.now().astimezone(CHINA)
    return f"{prefix}{now:%Y%m%d}{secrets.randbelow(10**18):018d}"


def trade_open(
    *,
    channel,
    app_id,
    merchant_id,
    out_trade_no,
    subject,
    amount,
    notify_url,
    return_url="",
    expires_at=None,
) -> SimTrade:
    """The provider's trade for this order: the existing one if any (the amount must match)."""
    with transaction.atomic():
        trade = (
            SimTrade.objects.select_for_update()
            .filter(channel=channel, merchant_id=merchant_id, out_trade_no=out_trade_no)
            .first()
        )
        if trade is None:
            prefix = "2026" if channel == Channel.ALIPAY else "4200"
            return SimTrade.objects.create(
                channel=channel,
                app_id=app_id,
                merchant_id=merchant_id,
                out_trade_no=out_trade_no,
                trade_no=_number(prefix)[:28],
                subject=subject,
                amount=amount,
                notify_url=notify_url,
                return_url=return_url or "",
                expires_at=expires_at,
            )
    if trade.amount != amount:
        raise SimError("INVALID_REQUEST", "同一商户订单号的金额不一致")
    if trade.status == SimStatus.PAID:
        raise SimError("ORDER_PAID", "订单已支付")
    if trade.status == SimStatus.CLOSED:
        raise SimError("ORDER_CLOSED", "订单已关闭")
    return trade


def trade_pay(
    trade: SimTrade, *, notify: bool = True, copies: int = 1, paid_amount: Decimal | None = None
) -> SimTrade:
    """The payer confirms in the cashier. notify=False is a lost notification (掉单)."""
    with transaction.atomic():
        trade = SimTrade.objects.select_for_update().get(pk=trade.pk)
        if trade.status != SimStatus.WAITING:
            raise SimError(
                "TRADE_STATUS_ERROR", f"交易状态为{trade.get_status_display()}，不能支付"
            )
        if trade.expires_at and trade.expires_at < timezone.now():
            trade.status, trade.closed_at = SimStatus.CLOSED, timezone.now()
            trade.save(update_fields=["status", "closed_at"])
            raise SimError("ORDER_CLOSED", "订单已超时关闭")
        trade.status = SimStatus.PAID
        trade.paid_at = timezone.now()
        trade.paid_amount = paid_amount if paid_amount is not None else trade.amount
        trade.save(update_fields=["status", "paid_at", "paid_amount"])
        if notify:
            for _ in range(copies):
                notices.queue(trade, *notices.build(trade))
    return trade


def trade_close(trade: SimTrade) -> SimTrade:
    with transaction.atomic():
        trade = SimTrade.objects.select_for_update().get(pk=trade.pk)
        if trade.status == SimStatus.PAID:
            raise SimError("ORDER_PAID", "订单已支付")
        if trade.status == SimStatus.WAITING:
            trade.status, trade.closed_at = SimStatus.CLOSED, timezone.now()
            trade.save(update_fields=["status", "closed_at"])
    return trade


def trade_refund(trade: SimTrade, *, out_refund_no: str, amount: Decimal, notify_url: str = ""):
    """Refund once per out_refund_no; a repeat returns the same refund (as providers do)."""
    with transaction.atomic():
        trade = SimTrade.objects.select_for_update().get(pk=trade.pk)
        existing = trade.refunds.filter(out_refund_no=out_refund_no).first()
        if existing:
            return existing, False
        if trade.status != SimStatus.PAID and not trade.paid_at:
            raise SimError("TRADE_STATUS_ERROR", "交易未支付，不能退款")
        paid = trade.paid_amount or trade.amount
        if amount <= 0 or trade.refunded + amount > paid:
            raise SimError("NOT_ENOUGH", "退款金额超过可退金额")
        refund = SimRefund.objects.create(
            trade=trade, out_refund_no=out_refund_no, refund_id=_number("50")[:30], amount=amount
        )
        if trade.refunded >= paid and trade.channel == Channel.ALIPAY:
            # A fully refunded Alipay trade is TRADE_CLOSED, and Alipay says so asynchronously —
            # after the TRADE_SUCCESS notification (our handler must not "close" a paid order).
            trade.status, trade.closed_at = SimStatus.CLOSED, timezone.now()
            trade.save(update_fields=["status", "closed_at"])
            notices.queue(trade, *notices.build(trade, refund=refund))
        if trade.channel == Channel.WECHAT and notify_url:
            notices.queue(trade, *notices.build(trade, refund=refund), url=notify_url)
    return refund, True


def find(channel: str, out_trade_no: str, merchant_id: str | None = None) -> SimTrade | None:
    qs = SimTrade.objects.filter(channel=channel, out_trade_no=out_trade_no)
    if merchant_id:
        qs = qs.filter(merchant_id=merchant_id)
    return qs.first()


def _day(date: datetime.date):
    start = datetime.datetime.combine(date, datetime.time(0), tzinfo=CHINA)
    return start, start + datetime.timedelta(days=1)


def _bill_lines(channel: str, date: datetime.date):
    start, end = _day(date)
    trades = SimTrade.objects.filter(channel=channel, paid_at__gte=start, paid_at__lt=end)
    refunds = SimRefund.objects.filter(
        trade__channel=channel, created_at__gte=start, created_at__lt=end
    ).select_related("trade")
    return trades.order_by("paid_at", "pk"), refunds.order_by("created_at", "pk")


def _local(dt) -> str:
    return dt.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")


ALIPAY_COLUMNS = [
    "支付宝交易号",
    "商户订单号",
    "业务类型",
    "商品名称",
    "创建时间",
    "完成时间",
    "门店编号",
    "门店名称",
    "操作员",
    "终端号",
    "对方账户",
    "订单金额（元）",
    "商家实收（元）",
    "支付宝红包（元）",
    "集分宝（元）",
    "支付宝优惠（元）",
    "商家优惠（元）",
    "券核销金额（元）",
    "券名称",
    "商家红包消费金额（元）",
    "卡消费金额（元）",
    "退款批次号/请求号",
    "服务费（元）",
    "分润（元）",
    "备注",
]


def alipay_bill(date: datetime.date) -> bytes:
    """业务明细 CSV (GBK) in a zip, the way Alipay's bill download URL serves it."""
    trades, refunds = _bill_lines(Channel.ALIPAY, date)
    out = io.StringIO()
    seller = conf.alipay().seller_id
    out.write(f"#支付宝业务明细查询\n#账号：[{seller}0156]\n")
    out.write(
        f"#起始日期：[{date:%Y年%m月%d日} 00:00:00]   终止日期：[{date:%Y年%m月%d日} 23:59:59]\n"
    )
    out.write(
        "#-----------------------------------------业务明细列表----------------------------------------\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ALIPAY_COLUMNS)
    blank = [""] * 5
    for t in trades:
        amount = f"{t.paid_amount or t.amount:.2f}"
        writer.writerow(
            [
                t.trade_no,
                t.out_trade_no,
                "交易",
                t.subject,
                _local(t.created_at),
                _local(t.paid_at),
                *blank,
                amount,
                amount,
                *["0.00"] * 5,
                "",
                "0.00",
                "0.00",
                "",
                "0.00",
                "0.00",
                "",
            ]
        )
    for r in refunds:
        t = r.trade
        writer.writerow(
            [
                t.trade_no,
                t.out_trade_no,
                "退款",
                t.subject,
                _local(t.created_at),
                _local(r.created_at),
                *blank,
                f"{t.amount:.2f}",
                f"-{r.amount:.2f}",
                *["0.00"] * 5,
                "",
                "0.00",
                "0.00",
                r.out_refund_no,
                "0.00",
                "0.00",
                "",
            ]
        )
    out.write(
        "#-----------------------------------------业务明细列表结束------------------------------------\n"
    )
    out.write(f"#交易合计：{trades.count()}笔\n#退款合计：{refunds.count()}笔\n")
    out.write(f"#导出时间：[{_local(timezone.now())}]\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{seller}_{date:%Y%m%d}_业务明细.csv", out.getvalue().encode("gbk"))
        z.writestr(f"{seller}_{date:%Y%m%d}_业务明细(汇总).csv", "#汇总\n".encode("gbk"))
    return buf.getvalue()


WECHAT_COLUMNS = [
    "交易时间",
    "公众账号ID",
    "商户号",
    "特约商户号",
    "设备号",
    "微信订单号",
    "商户订单号",
    "用户标识",
    "交易类型",
    "交易状态",
    "付款银行",
    "货币种类",
    "应结订单金额",
    "代金券金额",
    "微信退款单号",
    "商户退款单号",
    "退款金额",
    "充值券退款金额",
    "退款类型",
    "退款状态",
    "商品名称",
    "商户数据包",
    "手续费",
    "费率",
    "订单金额",
    "申请退款金额",
    "费率备注",
]


def wechat_bill(date: datetime.date) -> bytes:
    """The APIv3 trade bill: every value prefixed with a backtick, totals after; gzip."""
    trades, refunds = _bill_lines(Channel.WECHAT, date)
    lines = [",".join(WECHAT_COLUMNS)]

    def row(values):
        return ",".join(f"`{v}" for v in values)

    for t in trades:
        amount = f"{t.paid_amount or t.amount:.2f}"
        lines.append(
            row(
                [
                    _local(t.paid_at),
                    t.app_id,
                    t.merchant_id,
                    "0",
                    "",
                    t.trade_no,
                    t.out_trade_no,
                    "oSIM000payer",
                    "MWEB",
                    "SUCCESS",
                    "OTHERS",
                    "CNY",
                    amount,
                    "0.00",
                    "0",
                    "0",
                    "0.00",
                    "0.00",
                    "",
                    "",
                    t.subject,
                    "",
                    "0.00000",
                    "0.60%",
                    amount,
                    "0.00",
                    "",
                ]
            )
        )
    for r in refunds:
        t = r.trade
        lines.append(
            row(
                [
                    _local(r.created_at),
                    t.app_id,
                    t.merchant_id,
                    "0",
                    "",
                    t.trade_no,
                    t.out_trade_no,
                    "oSIM000payer",
                    "MWEB",
                    "REFUND",
                    "OTHERS",
                    "CNY",
                    "0.00",
                    "0.00",
                    r.refund_id,
                    r.out_refund_no,
                    f"{r.amount:.2f}",
                    "0.00",
                    "ORIGINAL",
                    "SUCCESS",
                    t.subject,
                    "",
                    "0.00000",
                    "0.60%",
                    f"{t.amount:.2f}",
                    f"{r.amount:.2f}",
                    "",
                ]
            )
        )
    total = sum((t.paid_amount or t.amount for t in trades), Decimal("0"))
    lines.append(
        "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
    )
    refunded = sum((r.amount for r in refunds), Decimal("0"))
    lines.append(
        row(
            [
                trades.count(),
                f"{total:.2f}",
                f"{refunded:.2f}",
                "0.00",
                "0.00",
                f"{total:.2f}",
                f"{refunded:.2f}",
            ]
        )
    )
    return gzip.compress(("\n".join(lines) + "\n").encode())
