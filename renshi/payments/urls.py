from django.urls import path, re_path

from renshi.payments import views, views_office
from renshi.payments.sim import views as sim

app_name = "payments"

sim_wechat = [
    path("sim/wechat/", sim.wechat_root, name="sim_wechat_root"),
    re_path(
        r"^sim/wechat/v3/pay/transactions/(?P<kind>h5|native)$",
        sim.wechat_pay,
        name="sim_wechat_pay",
    ),
    path(
        "sim/wechat/v3/pay/transactions/out-trade-no/<str:out_trade_no>",
        sim.wechat_query,
        name="sim_wechat_query",
    ),
    path(
        "sim/wechat/v3/pay/transactions/out-trade-no/<str:out_trade_no>/close",
        sim.wechat_close,
        name="sim_wechat_close",
    ),
    path("sim/wechat/v3/refund/domestic/refunds", sim.wechat_refund, name="sim_wechat_refund"),
    path(
        "sim/wechat/v3/refund/domestic/refunds/<str:out_refund_no>",
        sim.wechat_refund_query,
        name="sim_wechat_refund_query",
    ),
    path("sim/wechat/v3/bill/tradebill", sim.wechat_trade_bill, name="sim_wechat_trade_bill"),
    path("sim/wechat/v3/billdownload/file", sim.wechat_bill_file, name="sim_wechat_bill_file"),
]

urlpatterns = [
    path("notify/alipay/", views.notify_alipay, name="notify_alipay"),
    path("notify/wechat/", views.notify_wechat, name="notify_wechat"),
    path("return/<str:out_trade_no>/", views.payment_return, name="return"),
    path("office/orders/", views_office.order_list, name="order_list"),
    path("office/orders/<str:out_trade_no>/query/", views_office.order_query, name="order_query"),
    path("office/reconciliation/", views_office.reconciliation_list, name="reconciliation_list"),
    path(
        "office/reconciliation/<int:pk>/",
        views_office.reconciliation_detail,
        name="reconciliation_detail",
    ),
    path(
        "office/reconciliation/<int:pk>/bill/",
        views_office.reconciliation_bill,
        name="reconciliation_bill",
    ),
    path(
        "office/discrepancies/<int:pk>/<str:action>/",
        views_office.discrepancy_action,
        name="discrepancy_action",
    ),
    # The simulated gateway (404 unless PAY_SIMULATOR is on).
    path("sim/alipay/gateway.do", sim.alipay_gateway, name="sim_alipay_gateway"),
    path("sim/bill/<str:channel>/", sim.bill_download, name="sim_bill"),
    path("sim/cashier/<str:trade_no>/", sim.cashier, name="sim_cashier"),
    path(
        "sim/cashier/<str:trade_no>/<str:action>/",
        sim.cashier_action,
        name="sim_cashier_action",
    ),
    *sim_wechat,
]
