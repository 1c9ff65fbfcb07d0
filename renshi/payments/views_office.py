"""The exam office's payment pages: reconciliation runs, discrepancies and their fixes, orders."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renshi.core.decorators import role_required
from renshi.core.roles import RUN_EXAMS
from renshi.payments import services
from renshi.payments.errors import PaymentError
from renshi.payments.models import Channel, Discrepancy, FeeOrder, ReconciliationRun
from renshi.payments.services.export import describe_payer


class RunForm(forms.Form):
    bill_date = forms.DateField(
        label="账单日期",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    channel = forms.ChoiceField(
        label="支付渠道",
        choices=Channel.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    bill_file = forms.FileField(
        label="对账单文件（不选则从渠道下载）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def clean_bill_date(self):
        date = self.cleaned_data["bill_date"]
        if date >= timezone.localdate():
            raise forms.ValidationError("账单日期须早于今天（当日账单次日才能生成）")
        return date


@role_required(RUN_EXAMS)
def reconciliation_list(request):
    form = RunForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bill_file"]
        try:
            run = services.reconciliation_run(
                bill_date=form.cleaned_data["bill_date"],
                channel=form.cleaned_data["channel"],
                content=upload.read() if upload else None,
                actor=request.user,
            )
        except PaymentError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request, f"对账完成：一致{run.matched}笔，差错{run.discrepancy_count}笔"
            )
            return redirect("payments:reconciliation_detail", pk=run.pk)
    runs = Paginator(ReconciliationRun.objects.select_related("created_by"), 30)
    page = runs.get_page(request.GET.get("page"))
    return render(request, "payments/office/reconciliation_list.html", {"form": form, "page": page})


@role_required(RUN_EXAMS)
def reconciliation_detail(request, pk):
    run = get_object_or_404(ReconciliationRun, pk=pk)
    items = run.items.select_related("order", "refund", "resolved_by")
    if request.GET.get("open"):
        items = items.filter(resolution="")
    return render(
        request, "payments/office/reconciliation_detail.html", {"run": run, "items": items}
    )


@role_required(RUN_EXAMS)
def reconciliation_bill(request, pk):
    run = get_object_or_404(ReconciliationRun, pk=pk)
    name = run.bill_file.name.rsplit("/", 1)[-1]
    return FileResponse(run.bill_file.open("rb"), as_attachment=True, filename=name)


ACTIONS = {
    "apply": services.discrepancy_apply_payment,
    "refund": services.discrepancy_refund,
    "resolve": services.discrepancy_resolve,
}


@require_POST
@role_required(RUN_EXAMS)
def discrepancy_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    item = get_object_or_404(Discrepancy, pk=pk)
    try:
        ACTIONS[action](item=item, actor=request.user, note=request.POST.get("note", ""))
    except PaymentError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "已处理")
    return redirect("payments:reconciliation_detail", pk=item.run_id)


@role_required(RUN_EXAMS)
def order_list(request):
    q = request.GET.get("q", "").strip()
    orders = FeeOrder.objects.all()
    if q:
        orders = orders.filter(
            Q(out_trade_no=q) | Q(gateway_trade_no=q) | Q(payer_ref=q) | Q(payer_ref__startswith=q)
        )
    page = Paginator(orders.prefetch_related("refunds"), 50).get_page(request.GET.get("page"))
    names: dict = {}
    for order in page:  # who paid, in the owner's words (payments never imports the owner)
        order.payer_label = describe_payer(order.payer_ref, names)
    return render(request, "payments/office/order_list.html", {"page": page, "q": q})


@require_POST
@role_required(RUN_EXAMS)
def order_query(request, out_trade_no):
    order = get_object_or_404(FeeOrder, out_trade_no=out_trade_no)
    try:
        order = services.order_query(order)
    except PaymentError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已向支付渠道查询：{order.get_status_display()}")
    return redirect(reverse("payments:order_list") + f"?q={order.out_trade_no}")
