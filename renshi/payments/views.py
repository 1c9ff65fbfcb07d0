"""Notify endpoints (the providers call them), the return page, and the exam office's pages."""

import logging

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from renshi.payments import services
from renshi.payments.errors import PaymentError
from renshi.payments.models import FeeOrder
from renshi.payments.services.notifications import notification_receive

log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def notify_alipay(request):
    return notification_receive(channel="alipay", request=request)


@csrf_exempt
@require_POST
def notify_wechat(request):
    return notification_receive(channel="wechat", request=request)


def payment_return(request, out_trade_no):
    """The browser comes back from the cashier. Its parameters decide nothing: we ask the gateway
    ourselves (active query), then show the order or go on to `next`."""
    order = get_object_or_404(FeeOrder, out_trade_no=out_trade_no)
    error = ""
    if order.is_open:
        try:
            order = services.order_query(order)
        except PaymentError as e:
            error = e.message
        except Exception:  # the payer's hook failed: the notification or the sweep will retry
            log.exception("active query of %s failed", out_trade_no)
            error = "正在确认缴费结果，请稍后刷新"
    following = request.GET.get("next", "")
    if following and url_has_allowed_host_and_scheme(following, {request.get_host()}):
        return HttpResponseRedirect(following)
    return render(request, "payments/return.html", {"order": order, "error": error})
