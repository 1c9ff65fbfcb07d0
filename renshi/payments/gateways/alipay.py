"""Alipay through python-alipay-sdk: its sign_data() signs our calls, its verify() checks every
notification and every server_api answer (RSA2 over the sorted k=v, sign and sign_type left out)."""

import io
import zipfile
from decimal import Decimal, InvalidOperation
from urllib.request import urlopen

from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from django.http import HttpResponse

from renshi.payments import conf
from renshi.payments.errors import GatewayError
from renshi.payments.gateways.base import (
    CHINA,
    BillRow,
    Gateway,
    Notice,
    RefundState,
    Rejected,
    TradeState,
    TradeStatus,
    bill_rows,
    china_time,
)
from renshi.payments.models import NotificationOutcome, RefundStatus

TRADE_STATUS = {
    "TRADE_SUCCESS": TradeStatus.PAID,
    "TRADE_FINISHED": TradeStatus.PAID,
    "WAIT_BUYER_PAY": TradeStatus.WAITING,
    "TRADE_CLOSED": TradeStatus.CLOSED,
}
BILL_METHOD = "alipay.data.dataservice.bill.downloadurl.query"


class RoutedAliPay(AliPay):
    """The SDK with a configurable gateway; a transport reaches the simulator in-process."""

    def __init__(self, *, gateway: str, transport=None, **kwargs):
        super().__init__(**kwargs)
        self._gateway = gateway
        self._transport = transport

    def verified_sync_response(self, data, response_type):
        if self._transport is None:
            return super().verified_sync_response(data, response_type)
        url = self._gateway + "?" + self.sign_data(data)
        raw = self._transport.get(url).text
        return self._verify_and_return_sync_response(raw, response_type)


def yuan(text) -> Decimal:
    return Decimal(str(text).strip()).quantize(Decimal("0.01"))


class AlipayGateway(Gateway):
    channel = "alipay"

    def __init__(self, config=None, transport=None):
        self.config = config or conf.alipay()
        self.transport = transport
        self.sdk = RoutedAliPay(
            appid=self.config.app_id,
            app_private_key_string=self.config.app_private_key,
            alipay_public_key_string=self.config.alipay_public_key,
            sign_type="RSA2",
            gateway=self.config.gateway,
            transport=transport,
        )

    def _call(self, method, **kwargs) -> dict:
        try:
            return method(**kwargs)
        except AliPayValidationError as e:
            raise GatewayError("支付宝应答验签失败，已拒绝该应答") from e
        except (AliPayException, OSError, ValueError) as e:
            raise GatewayError() from e

    def pay_url(self, order, *, return_url: str, notify_url: str) -> str:
        query = self.sdk.api_alipay_trade_wap_pay(
            subject=order.subject,
            out_trade_no=order.out_trade_no,
            total_amount=str(order.amount),
            return_url=return_url,
            notify_url=notify_url,
            time_expire=order.expires_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"),
        )
        return f"{self.config.gateway}?{query}"

    def _state(self, order, resp) -> TradeState:
        return TradeState(
            out_trade_no=order.out_trade_no,
            status=TRADE_STATUS.get(resp.get("trade_status"), TradeStatus.WAITING),
            amount=yuan(resp["total_amount"]) if resp.get("total_amount") else None,
            trade_no=resp.get("trade_no", ""),
            paid_at=china_time(resp.get("send_pay_date", "")),
        )

    def query(self, order) -> TradeState:
        resp = self._call(self.sdk.api_alipay_trade_query, out_trade_no=order.out_trade_no)
        if resp.get("code") == "10000":
            return self._state(order, resp)
        if resp.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
            return TradeState(order.out_trade_no, TradeStatus.MISSING)
        raise GatewayError(f"支付宝查询失败：{resp.get('sub_msg') or resp.get('msg')}")

    def close(self, order) -> TradeState:
        resp = self._call(self.sdk.api_alipay_trade_close, out_trade_no=order.out_trade_no)
        if resp.get("code") == "10000":
            return TradeState(order.out_trade_no, TradeStatus.CLOSED)
        if resp.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
            # The payer never opened the cashier: nothing to close at Alipay.
            return TradeState(order.out_trade_no, TradeStatus.MISSING)
        # ACQ.TRADE_STATUS_ERROR: paid (or already closed) — the query says which.
        return self.query(order)

    def refund(self, refund, *, notify_url: str) -> RefundState:
        resp = self._call(
            self.sdk.api_alipay_trade_refund,
            refund_amount=str(refund.amount),
            out_trade_no=refund.order.out_trade_no,
            out_request_no=refund.out_refund_no,
            refund_reason=refund.get_reason_display(),
        )
        if resp.get("code") == "10000":
            return RefundState(
                refund.out_refund_no,
                RefundStatus.SUCCEEDED,
                resp.get("trade_no", ""),
                refund.amount,
            )
        if resp.get("sub_code") in ("ACQ.SYSTEM_ERROR", "aop.ACQ.SYSTEM_ERROR"):
            return RefundState(refund.out_refund_no, RefundStatus.REQUESTED, detail="渠道繁忙")
        return RefundState(
            refund.out_refund_no, RefundStatus.FAILED, detail=resp.get("sub_msg", "")[:200]
        )

    def refund_query(self, refund) -> RefundState:
        resp = self._call(
            self.sdk.api_alipay_trade_fastpay_refund_query,
            out_request_no=refund.out_refund_no,
            out_trade_no=refund.order.out_trade_no,
        )
        if resp.get("code") == "10000" and resp.get("refund_status") == "REFUND_SUCCESS":
            return RefundState(
                refund.out_refund_no,
                RefundStatus.SUCCEEDED,
                resp.get("trade_no", ""),
                yuan(resp.get("refund_amount", refund.amount)),
            )
        return RefundState(refund.out_refund_no, RefundStatus.REQUESTED, detail="渠道无退款记录")

    def download_bill(self, date) -> bytes:
        resp = self._call(
            self.sdk.server_api,
            api_name=BILL_METHOD,
            biz_content={"bill_type": "trade", "bill_date": date.isoformat()},
        )
        if resp.get("code") != "10000":
            raise GatewayError(f"支付宝对账单下载失败：{resp.get('sub_msg') or resp.get('msg')}")
        url = resp["bill_download_url"]
        if self.transport is not None:
            return self.transport.get(url).content
        with urlopen(url, timeout=30) as f:  # noqa: S310 - the URL comes from a verified answer
            return f.read()

    def parse_bill(self, content: bytes) -> list[BillRow]:
        """The 业务明细 CSV inside Alipay's zip (GBK, '#' comment lines around the table)."""
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                name = next(n for n in z.namelist() if "业务明细" in n and "汇总" not in n)
                text = z.read(name).decode("gbk")
        except (zipfile.BadZipFile, StopIteration, UnicodeDecodeError) as e:
            raise GatewayError("文件不是支付宝业务明细对账单（zip 内应有“业务明细”CSV）") from e
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        return bill_rows(lines, self._bill_row)

    @staticmethod
    def _bill_row(rec) -> BillRow:
        is_refund = rec["业务类型"] == "退款"
        return BillRow(
            kind="refund" if is_refund else "trade",
            out_trade_no=rec["商户订单号"],
            trade_no=rec["支付宝交易号"],
            amount=abs(yuan(rec["商家实收（元）"] if is_refund else rec["订单金额（元）"])),
            at=china_time(rec.get("完成时间", "")),
            out_refund_no=rec.get("退款批次号/请求号", "") if is_refund else "",
        )

    def verify_notification(self, request) -> Notice:
        data = request.POST.dict()
        parsed = dict(data)
        signature = data.pop("sign", "")
        try:
            ok = self.sdk.verify(data, signature)  # pops sign_type; refuses anything but RSA2
        except (AliPayException, ValueError, TypeError):
            ok = False
        if not ok:
            raise Rejected(
                NotificationOutcome.REJECTED_SIGNATURE, "支付宝通知验签失败", parsed=parsed
            )
        if parsed.get("app_id") != self.config.app_id:
            raise Rejected(NotificationOutcome.REJECTED_APP, "应用ID与本系统不符", parsed=parsed)
        if parsed.get("seller_id", self.config.seller_id) != self.config.seller_id:
            raise Rejected(
                NotificationOutcome.REJECTED_MERCHANT, "卖家ID与本系统不符", parsed=parsed
            )
        try:
            amount = yuan(parsed.get("total_amount", ""))
        except InvalidOperation as e:
            raise Rejected(
                NotificationOutcome.REJECTED_AMOUNT, "金额格式无效", parsed=parsed
            ) from e
        trade = TradeState(
            out_trade_no=parsed.get("out_trade_no", ""),
            status=TRADE_STATUS.get(parsed.get("trade_status"), TradeStatus.WAITING),
            amount=amount,
            trade_no=parsed.get("trade_no", ""),
            paid_at=china_time(parsed.get("gmt_payment", "")),
        )
        return Notice(
            event="trade",
            app_id=parsed["app_id"],
            merchant_id=parsed.get("seller_id", ""),
            notify_id=parsed.get("notify_id", ""),
            trade=trade,
            raw=parsed,
        )

    def ack(self):
        return HttpResponse("success", content_type="text/plain")

    def nack(self):
        return HttpResponse("fail", content_type="text/plain")
