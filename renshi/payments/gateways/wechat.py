"""WeChat Pay APIv3 through wechatpayv3 in public-key mode: its callback() verifies and decrypts
notifications, its request() verifies every answer. The SDK does not check the timestamp, so a
notification older or newer than PAY_REPLAY_WINDOW_SECONDS (±5 min) is refused here."""

import gzip
import json
import time
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse, JsonResponse
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.core import Core
from wechatpayv3.type import RequestType
from wechatpayv3.utils import build_authorization

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

TRADE_STATE = {
    "SUCCESS": TradeStatus.PAID,
    "REFUND": TradeStatus.PAID,  # paid, and a refund followed
    "NOTPAY": TradeStatus.WAITING,
    "USERPAYING": TradeStatus.WAITING,
    "CLOSED": TradeStatus.CLOSED,
    "REVOKED": TradeStatus.CLOSED,
    "PAYERROR": TradeStatus.CLOSED,
}
REFUND_STATUS = {
    "SUCCESS": RefundStatus.SUCCEEDED,
    "PROCESSING": RefundStatus.REQUESTED,
    "CLOSED": RefundStatus.FAILED,
    "ABNORMAL": RefundStatus.FAILED,
}


class RoutedCore(Core):
    """The SDK core; with a transport, requests reach the simulator in-process (same signing and
    the SDK's own response verification, only without a socket)."""

    transport = None

    def request(self, path, method=RequestType.GET, data=None, skip_verify=False, **kwargs):
        if self.transport is None:
            return super().request(path, method, data, skip_verify, **kwargs)
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Wechatpay-Serial": self._public_key_id,
            "Authorization": build_authorization(
                path, method.value, self._mchid, self._cert_serial_no, self._private_key, data=data
            ),
        }
        body = json.dumps(data) if data else ""
        resp = self.transport.request(
            method.value, self._gate_way + path, headers=headers, body=body
        )
        ok = skip_verify or not 200 <= resp.status < 300
        if not ok and not self._verify_signature(resp.headers, resp.text):
            raise GatewayError("微信支付应答验签失败，已拒绝该应答")
        is_json = "application/json" in resp.headers.get("Content-Type", "")
        return resp.status, resp.text if is_json else resp.content


class RoutedWeChatPay(WeChatPay):
    def __init__(self, *, gateway: str, transport=None, **kwargs):
        super().__init__(**kwargs)
        core = self._core
        core.__class__ = RoutedCore  # same state, our request(); set before any call is made
        core._gate_way = gateway.rstrip("/")
        core.transport = transport


def fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def from_fen(value) -> Decimal:
    return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


class WechatGateway(Gateway):
    channel = "wechat"

    def __init__(self, config=None, transport=None):
        self.config = config or conf.wechat()
        self.sdk = RoutedWeChatPay(
            wechatpay_type=WeChatPayType.H5,
            mchid=self.config.mch_id,
            private_key=self.config.private_key,
            cert_serial_no=self.config.cert_serial_no,
            appid=self.config.app_id,
            apiv3_key=self.config.apiv3_key,
            public_key=self.config.public_key,
            public_key_id=self.config.public_key_id,
            timeout=(5, 15),
            gateway=self.config.gateway,
            transport=transport,
        )

    def _call(self, method, *args, **kwargs):
        try:
            code, body = method(*args, **kwargs)
        except GatewayError:
            raise
        except Exception as e:  # the SDK raises bare Exception (network, signature)
            raise GatewayError() from e
        if code >= 500:
            raise GatewayError()
        return code, (json.loads(body) if isinstance(body, str) and body else body)

    def pay_url(self, order, *, return_url: str, notify_url: str, client_ip: str = "") -> str:
        code, data = self._call(
            self.sdk.pay,
            description=order.subject,
            out_trade_no=order.out_trade_no,
            amount={"total": order.amount_fen, "currency": "CNY"},
            time_expire=order.expires_at.astimezone(CHINA).isoformat(timespec="seconds"),
            notify_url=notify_url,
            scene_info={"payer_client_ip": client_ip or "127.0.0.1", "h5_info": {"type": "Wap"}},
            pay_type=WeChatPayType.H5,
        )
        if code != 200:
            raise GatewayError(f"微信支付下单失败：{data.get('message', code)}")
        h5_url = data["h5_url"]
        return f"{h5_url}{'&' if '?' in h5_url else '?'}redirect_url={quote(return_url, safe='')}"

    def _state(self, data) -> TradeState:
        return TradeState(
            out_trade_no=data["out_trade_no"],
            status=TRADE_STATE.get(data.get("trade_state"), TradeStatus.WAITING),
            amount=from_fen(data["amount"]["total"]) if data.get("amount") else None,
            trade_no=data.get("transaction_id", ""),
            paid_at=china_time(data.get("success_time", "")),
        )

    def query(self, order) -> TradeState:
        code, data = self._call(self.sdk.query, out_trade_no=order.out_trade_no)
        if code == 200:
            return self._state(data)
        if code == 404 or data.get("code") == "ORDER_NOT_EXIST":
            return TradeState(order.out_trade_no, TradeStatus.MISSING)
        raise GatewayError(f"微信支付查询失败：{data.get('message', code)}")

    def close(self, order) -> TradeState:
        code, _ = self._call(self.sdk.close, order.out_trade_no)
        if code == 204:
            return TradeState(order.out_trade_no, TradeStatus.CLOSED)
        return self.query(order)  # ORDER_PAID or ORDER_NOT_EXIST: the query says which

    def _refund_state(self, data) -> RefundState:
        return RefundState(
            out_refund_no=data["out_refund_no"],
            status=REFUND_STATUS.get(data.get("status"), RefundStatus.REQUESTED),
            refund_id=data.get("refund_id", ""),
            amount=from_fen(data["amount"]["refund"]) if data.get("amount") else None,
        )

    def refund(self, refund, *, notify_url: str) -> RefundState:
        code, data = self._call(
            self.sdk.refund,
            out_refund_no=refund.out_refund_no,
            amount={
                "refund": fen(refund.amount),
                "total": refund.order.amount_fen,
                "currency": "CNY",
            },
            out_trade_no=refund.order.out_trade_no,
            reason=refund.get_reason_display(),
            notify_url=notify_url,
        )
        if code == 200:
            return self._refund_state(data)
        return RefundState(
            refund.out_refund_no, RefundStatus.FAILED, detail=data.get("message", "")
        )

    def refund_query(self, refund) -> RefundState:
        code, data = self._call(self.sdk.query_refund, out_refund_no=refund.out_refund_no)
        if code == 200:
            return self._refund_state(data)
        return RefundState(refund.out_refund_no, RefundStatus.REQUESTED, detail="渠道无退款记录")

    def download_bill(self, date) -> bytes:
        code, data = self._call(self.sdk.trade_bill, bill_date=date.isoformat())
        if code != 200:
            raise GatewayError(f"微信支付对账单申请失败：{data.get('message', code)}")
        code, content = self._call(self.sdk.download_bill, data["download_url"])
        if code != 200:
            raise GatewayError("微信支付对账单下载失败")
        return content

    def parse_bill(self, content: bytes) -> list[BillRow]:
        """WeChat's trade bill (gzip): a CSV whose values start with a backtick, totals after."""
        try:
            text = (gzip.decompress(content) if content[:2] == b"\x1f\x8b" else content).decode()
        except (OSError, UnicodeDecodeError) as e:
            raise GatewayError("文件不是微信支付交易账单（gzip 压缩的 CSV）") from e
        lines = text.splitlines()
        end = next((i for i, line in enumerate(lines) if line.startswith("总交易单数")), len(lines))
        return bill_rows(lines[:end], self._bill_row)

    @staticmethod
    def _bill_row(rec) -> BillRow:
        is_refund = rec["交易状态"] == "REFUND"
        return BillRow(
            kind="refund" if is_refund else "trade",
            out_trade_no=rec["商户订单号"],
            trade_no=rec["微信订单号"],
            amount=Decimal(rec["退款金额"] if is_refund else rec["订单金额"]).quantize(
                Decimal("0.01")
            ),
            at=china_time(rec["交易时间"]),
            out_refund_no=rec.get("商户退款单号", "") if is_refund else "",
        )

    def verify_notification(self, request) -> Notice:
        meta = request.META
        try:
            stamp = int(meta.get("HTTP_WECHATPAY_TIMESTAMP", ""))
        except ValueError:
            stamp = 0
        if abs(time.time() - stamp) > conf.replay_window_seconds():
            raise Rejected(NotificationOutcome.REJECTED_REPLAY, "通知时间戳超出±5分钟，疑似重放")
        try:
            data = self.sdk.callback(meta, request.body)
        except Exception:  # the SDK raises bare Exception on an unknown algorithm or serial
            data = None
        if not data:
            raise Rejected(NotificationOutcome.REJECTED_SIGNATURE, "微信支付通知验签或解密失败")
        resource = data["resource"]
        if resource.get("mchid") != self.config.mch_id:
            raise Rejected(NotificationOutcome.REJECTED_MERCHANT, "商户号与本系统不符", parsed=data)
        if data.get("event_type", "").startswith("REFUND."):
            return self._refund_notice(data, resource)
        if resource.get("appid") != self.config.app_id:
            raise Rejected(NotificationOutcome.REJECTED_APP, "应用ID与本系统不符", parsed=data)
        return Notice(
            event="trade",
            app_id=resource["appid"],
            merchant_id=resource["mchid"],
            notify_id=data.get("id", ""),
            trade=self._state(resource),
            raw=data,
        )

    @staticmethod
    def _refund_notice(data, resource) -> Notice:
        refund = RefundState(
            out_refund_no=resource["out_refund_no"],
            status=REFUND_STATUS.get(resource.get("refund_status"), RefundStatus.REQUESTED),
            refund_id=resource.get("refund_id", ""),
            amount=from_fen(resource["amount"]["refund"]),
        )
        trade = TradeState(resource.get("out_trade_no", ""), TradeStatus.PAID)
        return Notice(
            event="refund",
            app_id="",
            merchant_id=resource["mchid"],
            notify_id=data.get("id", ""),
            trade=trade,
            refund=refund,
            raw=data,
        )

    def ack(self):
        return HttpResponse(status=204)

    def nack(self):
        return JsonResponse({"code": "FAIL", "message": "失败"}, status=400)
