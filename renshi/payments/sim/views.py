"""The simulated gateway's HTTP side: Alipay's gateway.do, WeChat Pay APIv3, bills, the cashier."""

import datetime
import functools
import json
import secrets
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.core import signing as django_signing
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from renshi.payments import conf
from renshi.payments.gateways.base import CHINA, china_time
from renshi.payments.models import Channel, SimStatus, SimTrade
from renshi.payments.sim import notices, signing, trades
from renshi.payments.sim.trades import SimError

ALIPAY_PAGE_METHODS = ("alipay.trade.wap.pay", "alipay.trade.page.pay")
BILL_SALT = "renshi.paysim.bill"


def simulator_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not conf.simulator_on():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def cashier_url(trade) -> str:
    return notices.public_url(reverse("payments:sim_cashier", args=[trade.trade_no]))


# --- Alipay openapi gateway ------------------------------------------------------------------


def alipay_answer(method: str, body: dict) -> HttpResponse:
    """{"<method>_response": {...}, "sign": ...}: the sign covers the inner JSON text exactly."""
    inner = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    sign = signing.rsa_sign(_alipay_private(), inner)
    key = method.replace(".", "_") + "_response"
    return HttpResponse(
        f'{{"{key}":{inner},"sign":"{sign}"}}', content_type="application/json;charset=utf-8"
    )


def _alipay_private():
    from renshi.payments import keys

    return keys.sim_keys()["alipay_platform_private"]


def _alipay_error(sub_code: str, sub_msg: str) -> dict:
    return {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_msg}


def _alipay_trade_fields(trade) -> dict:
    status = {SimStatus.PAID: "TRADE_SUCCESS", SimStatus.CLOSED: "TRADE_CLOSED"}.get(
        trade.status, "WAIT_BUYER_PAY"
    )
    fields = {
        "code": "10000",
        "msg": "Success",
        "out_trade_no": trade.out_trade_no,
        "trade_no": trade.trade_no,
        "trade_status": status,
        "total_amount": f"{trade.paid_amount or trade.amount:.2f}",
    }
    if trade.paid_at:
        fields["send_pay_date"] = trade.paid_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")
    return fields


@csrf_exempt
@simulator_only
def alipay_gateway(request):
    params = request.GET.dict() | request.POST.dict()
    method = params.get("method", "")
    if not signing.alipay_request_ok(params):
        body = {
            "code": "40002",
            "msg": "Invalid Arguments",
            "sub_code": "isv.invalid-signature",
            "sub_msg": "验签出错",
        }
        return alipay_answer(method, body)
    try:
        biz = json.loads(params.get("biz_content") or "{}")
    except ValueError:
        biz = {}
    if method in ALIPAY_PAGE_METHODS:
        return _alipay_page_pay(request, params, biz)
    handler = ALIPAY_METHODS.get(method)
    if handler is None:
        return alipay_answer(method, _alipay_error("isv.invalid-method", "不存在的方法名"))
    trade = trades.find(Channel.ALIPAY, biz.get("out_trade_no", ""))
    if trade is None and method != BILL_METHOD:
        return alipay_answer(method, _alipay_error("ACQ.TRADE_NOT_EXIST", "交易不存在"))
    try:
        return alipay_answer(method, handler(trade, biz))
    except SimError as e:
        return alipay_answer(method, _alipay_error(f"ACQ.{e.code}", e.message))


def _alipay_page_pay(request, params, biz):
    try:
        expires = china_time(biz.get("time_expire", ""))
        trade = trades.trade_open(
            channel=Channel.ALIPAY,
            app_id=params["app_id"],
            merchant_id=conf.alipay().seller_id,
            out_trade_no=biz["out_trade_no"],
            subject=biz.get("subject", ""),
            amount=Decimal(str(biz["total_amount"])),
            notify_url=params.get("notify_url", ""),
            return_url=params.get("return_url", ""),
            expires_at=expires,
        )
    except (KeyError, InvalidOperation, ValueError):
        return _sim_error(request, "参数错误", "缺少订单号或金额无效")
    except SimError as e:
        return _sim_error(request, "无法支付", e.message)
    return HttpResponseRedirect(cashier_url(trade))


def _alipay_query(trade, biz):
    return _alipay_trade_fields(trade)


def _alipay_close(trade, biz):
    if trade.status != SimStatus.WAITING:
        raise SimError("TRADE_STATUS_ERROR", "交易状态不合法")
    trades.trade_close(trade)
    return {
        "code": "10000",
        "msg": "Success",
        "out_trade_no": trade.out_trade_no,
        "trade_no": trade.trade_no,
    }


def _alipay_refund(trade, biz):
    refund, fresh = trades.trade_refund(
        trade,
        out_refund_no=biz.get("out_request_no") or trade.out_trade_no,
        amount=Decimal(str(biz.get("refund_amount", "0"))),
    )
    trade.refresh_from_db()
    return {
        "code": "10000",
        "msg": "Success",
        "out_trade_no": trade.out_trade_no,
        "trade_no": trade.trade_no,
        "fund_change": "Y" if fresh else "N",
        "refund_fee": f"{trade.refunded:.2f}",
        "gmt_refund_pay": refund.created_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"),
    }


def _alipay_refund_query(trade, biz):
    refund = trade.refunds.filter(out_refund_no=biz.get("out_request_no", "")).first()
    base = {
        "code": "10000",
        "msg": "Success",
        "out_trade_no": trade.out_trade_no,
        "trade_no": trade.trade_no,
    }
    if refund is None:
        return base
    return base | {
        "out_request_no": refund.out_refund_no,
        "refund_status": "REFUND_SUCCESS",
        "refund_amount": f"{refund.amount:.2f}",
        "total_amount": f"{trade.amount:.2f}",
    }


BILL_METHOD = "alipay.data.dataservice.bill.downloadurl.query"


def _alipay_bill_url(trade, biz):
    date = datetime.date.fromisoformat(biz.get("bill_date", ""))
    token = django_signing.dumps({"c": "alipay", "d": date.isoformat()}, salt=BILL_SALT)
    url = reverse("payments:sim_bill", args=["alipay"]) + "?" + urlencode({"token": token})
    return {"code": "10000", "msg": "Success", "bill_download_url": notices.public_url(url)}


ALIPAY_METHODS = {
    "alipay.trade.query": _alipay_query,
    "alipay.trade.close": _alipay_close,
    "alipay.trade.refund": _alipay_refund,
    "alipay.trade.fastpay.refund.query": _alipay_refund_query,
    BILL_METHOD: _alipay_bill_url,
}


@simulator_only
def bill_download(request, channel):
    try:
        data = django_signing.loads(request.GET.get("token", ""), salt=BILL_SALT, max_age=3600)
    except django_signing.BadSignature as e:
        raise Http404 from e
    if data["c"] != channel:
        raise Http404
    date = datetime.date.fromisoformat(data["d"])
    if channel == "alipay":
        content, kind = trades.alipay_bill(date), "application/zip"
    else:
        content, kind = trades.wechat_bill(date), "application/octet-stream"
    return HttpResponse(content, content_type=kind)


# --- WeChat Pay APIv3 ------------------------------------------------------------------------


def wechat_answer(data=None, *, status=200) -> HttpResponse:
    """A signed APIv3 answer: Wechatpay-* headers over "{ts}\\n{nonce}\\n{body}\\n"."""
    body = "" if data is None else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in notices.signed_headers(body).items():
        if name != "Content-Type":
            response[name] = value
    return response


def wechat_error(code: str, message: str, status=400) -> HttpResponse:
    return wechat_answer({"code": code, "message": message}, status=status)


def wechat_api(view):
    """Checks the merchant's Authorization signature, as WeChat does, before any APIv3 call."""

    @csrf_exempt
    @simulator_only
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        path = request.get_full_path().removeprefix(reverse("payments:sim_wechat_root").rstrip("/"))
        body = request.body.decode()
        auth = request.headers.get("Authorization", "")
        if not signing.wechat_request_ok(request.method, path, body, auth):
            return wechat_error("SIGN_ERROR", "签名错误", status=401)
        if request.headers.get("Wechatpay-Serial") not in ("", None, _wechat_key_id()):
            return wechat_error("INVALID_REQUEST", "Wechatpay-Serial 无效")
        try:
            data = json.loads(body) if body else {}
        except ValueError:
            return wechat_error("PARAM_ERROR", "请求体不是JSON")
        try:
            return view(request, data, *args, **kwargs)
        except SimError as e:
            return wechat_error(e.code, e.message)
        except (KeyError, InvalidOperation, ValueError, TypeError) as e:
            return wechat_error("PARAM_ERROR", f"参数错误：{e}")

    return wrapper


def _wechat_key_id():
    from renshi.payments import keys

    return keys.sim_keys()["wechat_public_key_id"]


@wechat_api
@require_POST
def wechat_pay(request, data, kind):
    trade = trades.trade_open(
        channel=Channel.WECHAT,
        app_id=data["appid"],
        merchant_id=data["mchid"],
        out_trade_no=data["out_trade_no"],
        subject=data["description"],
        amount=Decimal(int(data["amount"]["total"])) / 100,
        notify_url=data["notify_url"],
        expires_at=china_time(data.get("time_expire", "")),
    )
    url = cashier_url(trade) + f"?prepay_id=wx{secrets.token_hex(14)}"
    if kind == "native":
        return wechat_answer({"code_url": url})
    return wechat_answer({"h5_url": url})


def _wechat_trade_json(trade) -> dict:
    resource = notices.wechat_resource(trade)
    if trade.status == SimStatus.PAID and trade.refunds.exists():
        resource["trade_state"] = "REFUND"
    if not trade.paid_at:
        resource.pop("success_time")
    return resource


@wechat_api
@require_http_methods(["GET"])
def wechat_query(request, data, out_trade_no):
    trade = trades.find(Channel.WECHAT, out_trade_no, request.GET.get("mchid"))
    if trade is None:
        return wechat_error("ORDER_NOT_EXIST", "订单不存在", status=404)
    return wechat_answer(_wechat_trade_json(trade))


@wechat_api
@require_POST
def wechat_close(request, data, out_trade_no):
    trade = trades.find(Channel.WECHAT, out_trade_no, data.get("mchid"))
    if trade is None:
        return wechat_error("ORDER_NOT_EXIST", "订单不存在", status=404)
    trades.trade_close(trade)
    return wechat_answer(status=204)


def _wechat_refund_json(refund) -> dict:
    trade = refund.trade
    return {
        "refund_id": refund.refund_id,
        "out_refund_no": refund.out_refund_no,
        "transaction_id": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "channel": "ORIGINAL",
        "user_received_account": "支付用户零钱",
        "create_time": refund.created_at.astimezone(CHINA).isoformat(timespec="seconds"),
        "status": "SUCCESS",
        "amount": {
            "total": int(trade.amount * 100),
            "refund": int(refund.amount * 100),
            "payer_total": int(trade.amount * 100),
            "payer_refund": int(refund.amount * 100),
            "currency": "CNY",
        },
    }


@wechat_api
@require_POST
def wechat_refund(request, data):
    trade = trades.find(Channel.WECHAT, data.get("out_trade_no", ""))
    if trade is None:
        return wechat_error("RESOURCE_NOT_EXISTS", "订单不存在", status=404)
    refund, fresh = trades.trade_refund(
        trade,
        out_refund_no=data["out_refund_no"],
        amount=Decimal(int(data["amount"]["refund"])) / 100,
        notify_url=data.get("notify_url", ""),
    )
    body = _wechat_refund_json(refund)
    if fresh:
        body["status"] = "PROCESSING"  # WeChat settles refunds asynchronously (and notifies)
    return wechat_answer(body)


@wechat_api
@require_http_methods(["GET"])
def wechat_refund_query(request, data, out_refund_no):
    trade = SimTrade.objects.filter(
        channel=Channel.WECHAT, refunds__out_refund_no=out_refund_no
    ).first()
    if trade is None:
        return wechat_error("RESOURCE_NOT_EXISTS", "退款单不存在", status=404)
    return wechat_answer(_wechat_refund_json(trade.refunds.get(out_refund_no=out_refund_no)))


@wechat_api
@require_http_methods(["GET"])
def wechat_trade_bill(request, data):
    date = datetime.date.fromisoformat(request.GET["bill_date"])
    token = django_signing.dumps({"c": "wechat", "d": date.isoformat()}, salt=BILL_SALT)
    url = f"{conf.wechat().gateway}/v3/billdownload/file?" + urlencode({"token": token})
    return wechat_answer({"hash_type": "SHA1", "hash_value": "", "download_url": url})


@csrf_exempt
def wechat_bill_file(request):
    return bill_download(request, "wechat")


@simulator_only
def wechat_root(request):
    raise Http404


# --- The cashier (what the payer sees) -------------------------------------------------------

SCENARIOS = {
    "normal": "正常支付并通知",
    "lost": "支付成功但通知丢失（掉单）",
    "duplicate": "支付成功并重复通知3次",
}


def _sim_error(request, title, message, status=400):
    return render(
        request, "payments/sim/error.html", {"title": title, "message": message}, status=status
    )


@simulator_only
def cashier(request, trade_no):
    trade = get_object_or_404(SimTrade, trade_no=trade_no)
    return render(
        request,
        "payments/sim/cashier.html",
        {
            "trade": trade,
            "brand": "模拟支付宝" if trade.channel == Channel.ALIPAY else "模拟微信支付",
            "scenarios": SCENARIOS,
            "redirect": request.GET.get("redirect_url", ""),
        },
    )


def _return_to(trade, redirect: str) -> str:
    if trade.channel == Channel.ALIPAY and trade.return_url:
        # The synchronous return carries signed fields; the merchant must not trust them anyway.
        params = {
            "out_trade_no": trade.out_trade_no,
            "trade_no": trade.trade_no,
            "total_amount": f"{trade.amount:.2f}",
            "app_id": trade.app_id,
            "seller_id": trade.merchant_id,
            "method": "alipay.trade.wap.pay.return",
            "charset": "utf-8",
            "sign_type": "RSA2",
        }
        params["sign"] = signing.alipay_sign(params)
        sep = "&" if "?" in trade.return_url else "?"
        return f"{trade.return_url}{sep}{urlencode(params)}"
    return redirect or trade.return_url or "/"


@require_POST
@simulator_only
def cashier_action(request, trade_no, action):
    trade = get_object_or_404(SimTrade, trade_no=trade_no)
    redirect = request.POST.get("redirect", "")
    if redirect and not url_has_allowed_host_and_scheme(redirect, {request.get_host()}):
        redirect = ""
    if action == "pay":
        scenario = request.POST.get("scenario", "normal")
        try:
            trades.trade_pay(
                trade,
                notify=scenario != "lost",
                copies=3 if scenario == "duplicate" else 1,
            )
        except SimError as e:
            return _sim_error(request, "支付失败", e.message)
        trade.refresh_from_db()
    elif action != "cancel":
        raise Http404
    context = {"trade": trade, "next": _return_to(trade, redirect)}
    return render(request, "payments/sim/done.html", context)
