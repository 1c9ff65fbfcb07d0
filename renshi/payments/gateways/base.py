"""What every payment channel adapter offers; the services only talk to this."""

import csv
import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


class TradeStatus:
    PAID = "paid"
    WAITING = "waiting"
    CLOSED = "closed"
    MISSING = "missing"  # the provider has no such trade (the payer never opened the cashier)


@dataclass(frozen=True)
class TradeState:
    """The provider's word on one trade (from a query, a close, or a verified notification)."""

    out_trade_no: str
    status: str
    amount: Decimal | None = None
    trade_no: str = ""
    paid_at: datetime.datetime | None = None


@dataclass(frozen=True)
class RefundState:
    out_refund_no: str
    status: str  # RefundStatus value: requested (still processing) / succeeded / failed
    refund_id: str = ""
    amount: Decimal | None = None
    detail: str = ""


@dataclass(frozen=True)
class Notice:
    """A notification whose signature (and for WeChat, freshness and decryption) checked out."""

    event: str  # "trade" or "refund"
    app_id: str
    merchant_id: str
    notify_id: str
    trade: TradeState | None = None
    refund: RefundState | None = None
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class BillRow:
    """One line of a provider's daily bill: a trade (paid) or a refund."""

    kind: str  # "trade" / "refund"
    out_trade_no: str
    trade_no: str
    amount: Decimal
    at: datetime.datetime | None = None
    out_refund_no: str = ""


class Rejected(Exception):
    """A notification we refuse; outcome is a NotificationOutcome value."""

    def __init__(self, outcome: str, detail: str, *, parsed: dict | None = None):
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail
        self.parsed = parsed or {}


class Gateway:
    channel = ""

    def pay_url(self, order, *, return_url: str, notify_url: str) -> str:
        raise NotImplementedError

    def verify_notification(self, request) -> Notice:
        """Check the signature (with the SDK) and decode; raise Rejected if it does not hold."""
        raise NotImplementedError

    def query(self, order) -> TradeState:
        raise NotImplementedError

    def close(self, order) -> TradeState:
        """Close an unpaid trade; if the provider says it was paid meanwhile, return that state."""
        raise NotImplementedError

    def refund(self, refund, *, notify_url: str) -> RefundState:
        raise NotImplementedError

    def refund_query(self, refund) -> RefundState:
        raise NotImplementedError

    def download_bill(self, date: datetime.date) -> bytes:
        raise NotImplementedError

    def parse_bill(self, content: bytes) -> list[BillRow]:
        raise NotImplementedError

    def ack(self):
        """The provider's exact "received" answer."""
        raise NotImplementedError

    def nack(self):
        raise NotImplementedError


def bill_rows(lines: list[str], make_row) -> list[BillRow]:
    """A bill's CSV table as rows; values lose the padding and WeChat's leading backtick."""
    from renshi.payments.errors import GatewayError

    rows = []
    for n, rec in enumerate(csv.DictReader(lines), start=2):
        rec = {k.strip(): (v or "").strip().lstrip("`") for k, v in rec.items() if k}
        try:
            rows.append(make_row(rec))
        except (KeyError, InvalidOperation, ValueError) as e:
            raise GatewayError(f"对账单第{n}行无法识别：{e}") from e
    return rows


def china_time(text: str) -> datetime.datetime | None:
    """Alipay's "yyyy-MM-dd HH:mm:ss" (Beijing time) or WeChat's RFC 3339, as an aware datetime."""
    if not text:
        return None
    text = text.strip()
    if "T" in text:
        return datetime.datetime.fromisoformat(text)
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
