"""The simulator's asynchronous notifications: built and signed as each provider does, delivered
after commit and re-sent on the provider's schedule until the merchant acknowledges."""

import datetime
import json
import secrets
import time
import uuid
from urllib.parse import urlencode

from django.db import transaction
from django.utils import timezone

from renshi.payments import conf, keys
from renshi.payments.gateways.base import CHINA
from renshi.payments.models import Channel, SimNotification, SimStatus
from renshi.payments.sim import signing

# Re-send delays after each failed attempt (exam-registration.md §4.4).
ALIPAY_SCHEDULE = [240, 600, 600, 3600, 7200, 21600, 54000]
WECHAT_SCHEDULE = [
    15,
    15,
    30,
    180,
    600,
    1200,
    1800,
    1800,
    1800,
    3600,
    10800,
    10800,
    10800,
    21600,
    21600,
]


def _local(dt) -> str:
    return dt.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if dt else ""


def alipay_params(trade, *, refund=None) -> dict:
    status = {SimStatus.PAID: "TRADE_SUCCESS", SimStatus.CLOSED: "TRADE_CLOSED"}.get(
        trade.status, "WAIT_BUYER_PAY"
    )
    amount = f"{trade.paid_amount or trade.amount:.2f}"
    params = {
        "notify_time": _local(timezone.now()),
        "notify_type": "trade_status_sync",
        "notify_id": uuid.uuid4().hex,
        "charset": "utf-8",
        "version": "1.0",
        "sign_type": "RSA2",
        "app_id": trade.app_id,
        "auth_app_id": trade.app_id,
        "seller_id": trade.merchant_id,
        "out_trade_no": trade.out_trade_no,
        "trade_no": trade.trade_no,
        "trade_status": status,
        "subject": trade.subject,
        "total_amount": amount,
        "receipt_amount": amount,
        "buyer_pay_amount": amount,
        "invoice_amount": amount,
        "buyer_id": "2088102177846880",
        "gmt_create": _local(trade.created_at),
        "gmt_payment": _local(trade.paid_at),
    }
    if refund is not None:
        params |= {
            "out_biz_no": refund.out_refund_no,
            "refund_fee": f"{refund.amount:.2f}",
            "gmt_refund": _local(refund.created_at),
            "gmt_close": _local(trade.closed_at),
        }
    return params


def alipay_notification(trade, *, refund=None, forge=False, **overrides) -> tuple[dict, str]:
    """(headers, form body). overrides change fields before signing (a wrong app id, amount…);
    forge=True signs with a key that is not Alipay's."""
    params = alipay_params(trade, refund=refund) | {k: str(v) for k, v in overrides.items()}
    params = {k: v for k, v in params.items() if v != ""}  # Alipay sends no empty fields
    private = signing.other_private_key() if forge else None
    params["sign"] = signing.alipay_sign(params, private_pem=private)
    return {"Content-Type": "application/x-www-form-urlencoded"}, urlencode(params)


def wechat_resource(trade, *, refund=None) -> dict:
    state = {SimStatus.PAID: "SUCCESS", SimStatus.CLOSED: "CLOSED"}.get(trade.status, "NOTPAY")
    total = int((trade.paid_amount or trade.amount) * 100)
    if refund is not None:
        return {
            "mchid": trade.merchant_id,
            "out_trade_no": trade.out_trade_no,
            "transaction_id": trade.trade_no,
            "out_refund_no": refund.out_refund_no,
            "refund_id": refund.refund_id,
            "refund_status": "SUCCESS",
            "success_time": refund.created_at.astimezone(CHINA).isoformat(timespec="seconds"),
            "user_received_account": "支付用户零钱",
            "amount": {
                "total": total,
                "refund": int(refund.amount * 100),
                "payer_total": total,
                "payer_refund": int(refund.amount * 100),
            },
        }
    return {
        "appid": trade.app_id,
        "mchid": trade.merchant_id,
        "out_trade_no": trade.out_trade_no,
        "transaction_id": trade.trade_no,
        "trade_type": "MWEB",
        "trade_state": state,
        "trade_state_desc": "支付成功" if state == "SUCCESS" else state,
        "bank_type": "OTHERS",
        "success_time": (
            trade.paid_at.astimezone(CHINA).isoformat(timespec="seconds") if trade.paid_at else ""
        ),
        "payer": {"openid": "oSIM000payer"},
        "amount": {
            "total": total,
            "payer_total": total,
            "currency": "CNY",
            "payer_currency": "CNY",
        },
    }


def signed_headers(body: str, *, timestamp=None, private_pem=None) -> dict:
    stamp = str(int(timestamp if timestamp is not None else time.time()))
    nonce = secrets.token_hex(16).upper()
    return {
        "Content-Type": "application/json",
        "Wechatpay-Timestamp": stamp,
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": signing.wechat_sign(stamp, nonce, body, private_pem=private_pem),
        "Wechatpay-Serial": keys.sim_keys()["wechat_public_key_id"],
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    }


def wechat_notification(
    trade, *, refund=None, forge=False, timestamp=None, apiv3_key=None, **overrides
) -> tuple[dict, str]:
    """(headers, JSON body): resource encrypted with the APIv3 key, headers signed with the
    platform key. overrides change resource fields (appid, mchid, amount…) before encryption."""
    resource = wechat_resource(trade, refund=refund) | overrides
    kind = "refund" if refund is not None else "transaction"
    event = "REFUND.SUCCESS" if refund is not None else "TRANSACTION.SUCCESS"
    payload = {
        "id": str(uuid.uuid4()),
        "create_time": timezone.now().astimezone(CHINA).isoformat(timespec="seconds"),
        "resource_type": "encrypt-resource",
        "event_type": event,
        "summary": "退款成功" if refund is not None else "支付成功",
        "resource": signing.wechat_encrypt(resource, kind, key=apiv3_key),
    }
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    private = signing.other_private_key() if forge else None
    return signed_headers(body, timestamp=timestamp, private_pem=private), body


def build(trade, *, refund=None, **kwargs) -> tuple[dict, str]:
    if trade.channel == Channel.ALIPAY:
        return alipay_notification(trade, refund=refund, **kwargs)
    return wechat_notification(trade, refund=refund, **kwargs)


def queue(trade, headers: dict, body: str, *, url: str | None = None) -> SimNotification:
    note = SimNotification.objects.create(
        trade=trade,
        url=url or trade.notify_url,
        headers=headers,
        body=body,
        next_attempt_at=timezone.now(),
    )
    from renshi.payments import tasks

    transaction.on_commit(lambda: tasks.sim_deliver.enqueue(note.pk), robust=True)
    return note


def acknowledged(channel: str, status: int, content: bytes) -> bool:
    if channel == Channel.ALIPAY:
        return status == 200 and content.strip() == b"success"
    return status in (200, 204)


def deliver(note: SimNotification) -> bool:
    """One attempt; on failure the next one is scheduled by the provider's timetable."""
    from renshi.payments.gateways.transport import InProcessTransport

    if note.delivered_at:
        return True
    headers = dict(note.headers)
    try:
        resp = InProcessTransport().post(note.url, headers=headers, body=note.body.encode())
        status, content = resp.status, resp.content
    except Exception as e:  # the merchant's handler failed: that is a failed delivery
        status, content = 500, str(e).encode()[:200]
    ok = acknowledged(note.trade.channel, status, content)
    schedule = ALIPAY_SCHEDULE if note.trade.channel == Channel.ALIPAY else WECHAT_SCHEDULE
    note.attempts += 1
    note.last_status = status
    note.last_response = content.decode(errors="replace")[:200]
    now = timezone.now()
    if ok:
        note.delivered_at, note.next_attempt_at = now, None
    elif note.attempts <= len(schedule):
        note.next_attempt_at = now + datetime.timedelta(seconds=schedule[note.attempts - 1])
    else:
        note.next_attempt_at = None  # the provider gives up (about 24 hours)
    note.save(
        update_fields=[
            "attempts",
            "last_status",
            "last_response",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return ok


def deliver_due() -> int:
    due = SimNotification.objects.filter(
        delivered_at__isnull=True, next_attempt_at__lte=timezone.now()
    ).select_related("trade")
    return sum(deliver(note) for note in due)


def public_url(path: str) -> str:
    return conf.public_base_url() + path if conf.public_base_url() else path
