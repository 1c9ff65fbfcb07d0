"""Candidate side of an application: apply or change position, follow it, pay, ask for a waiver."""

import copy
import functools
import time

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renshi.core.roles import Role
from renshi.exams import education_copy, eligibility
from renshi.exams.errors import ExamError
from renshi.exams.hotreads import CompiledGet
from renshi.exams.models import (
    Application,
    ApplicationStatus,
    Candidate,
    FeeStatus,
    Position,
    WaiverKind,
    WaiverStatus,
)
from renshi.exams.services import applications as services
from renshi.exams.services import fees
from renshi.exams.services.ratio import refund_cancelled
from renshi.payments import services as payments

CHANNELS = [("alipay", "支付宝"), ("wechat", "微信支付")]


def candidate_required(view):
    """Candidates only; anyone else logged in gets 404, the anonymous go to the login page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("exams:candidate_login"))
        if user.role != Role.CANDIDATE:
            raise Http404
        try:
            candidate = user.candidate  # loaded with the user (exams.auth backend)
        except Candidate.DoesNotExist as exc:
            raise Http404 from exc
        request.candidate = candidate
        return view(request, *args, **kwargs)

    return wrapper


def _own_application(request, pk):
    return get_object_or_404(
        Application.objects.select_related("exam", "position", "area"),
        pk=pk,
        candidate=request.candidate,
    )


class ApplyForm(forms.Form):
    declared = forms.BooleanField(
        label="本人承诺符合职位要求的其他招录条件，所填信息真实准确", required=False
    )


_positions: dict[int, tuple[float, Position]] = {}  # this process's copies, see _position()
POSITION_SECONDS = 10
position_with_exam = CompiledGet(lambda: Position.objects.select_related("exam", "area"))


def _position(pk) -> Position:
    """The position with its exam and area, held 10 s in this process: during the surge every
    candidate of a position reads the same row. A copy at most 10 seconds old serves the
    eligibility check and the windows (a change notice takes effect within 10 s); the deadline
    itself, one application per exam and the area capacity are decided exactly, by the clock,
    the unique constraint and the locked area row."""
    now = time.monotonic()
    hit = _positions.get(pk)
    if hit is None or hit[0] <= now:
        position = position_with_exam(pk)
        if position is None:
            raise Http404
        if len(_positions) > 5000:
            _positions.clear()
        hit = _positions[pk] = (now + POSITION_SECONDS, position)
    return copy.copy(hit[1])


@candidate_required
def apply(request, position_pk):
    """Show every rule as passed / failed / to be reviewed, then submit (or change to) it.

    This is the last-day hot path: a first submission costs the profile, one insert each of
    application, timeline and audit, and no page render (the application page shows the news).
    A second submission to the same exam is told by the unique constraint."""
    position = _position(position_pk)
    candidate = request.candidate
    # Education from the copy on the candidate row (no query); work experience matters only
    # to positions that ask for grassroots years.
    education_copy.prefetch(candidate, works=bool(position.min_grassroots_years))
    form = ApplyForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        declared = form.cleaned_data["declared"]
        try:
            if request.POST.get("change") != "1":
                application = services.application_submit(
                    candidate=candidate, position=position, declared=declared
                )
                return redirect(
                    reverse("exams:application_detail", args=[application.pk]) + "?new=1"
                )
            existing = _existing(position, candidate)
            if existing is None:
                raise ExamError("原报名已不存在，请刷新页面")
            application = services.application_change_position(
                application_id=existing.pk,
                candidate=candidate,
                position=position,
                declared=declared,
            )
            messages.success(request, f"已改报职位：{position.code} {position.title}")
            return redirect("exams:application_detail", application.pk)
        except ExamError as exc:
            form.add_error(None, exc.message)
    existing = existing or _existing(position, candidate)
    checks = eligibility.evaluate(candidate, position, today=timezone.localdate())
    return render(
        request,
        "exams/apply/apply.html",
        {
            "position": position,
            "exam": position.exam,
            "checks": checks,
            "verdict": eligibility.summary(checks),
            "existing": existing,
            "form": form,
            "fee": position.fee(),
        },
    )


def _existing(position, candidate):
    return (
        Application.objects.filter(exam_id=position.exam_id, candidate=candidate)
        .select_related("position")
        .first()
    )


@candidate_required
def my_applications(request):
    rows = (
        Application.objects.filter(candidate=request.candidate)
        .select_related("exam", "position")
        .order_by("-submitted_at")
    )
    return render(request, "exams/apply/my_applications.html", {"applications": rows})


STAGES = [
    ("submitted", "提交报名"),
    ("approved", "资格审查"),
    ("paid", "缴费确认"),
    ("ticket", "打印准考证"),
]


def _stage_state(application):
    """Where the application stands on the four-step bar (done / current / failed / todo)."""
    done = {"submitted"}
    status, fee = application.status, application.fee_status
    if status == ApplicationStatus.APPROVED:
        done.add("approved")
    if fee in (FeeStatus.PAID, FeeStatus.WAIVED) and status == ApplicationStatus.APPROVED:
        done.add("paid")
    failed = {"approved"} if status == ApplicationStatus.REJECTED else set()
    steps, current_set = [], False
    for key, label in STAGES:
        state = "done" if key in done else "failed" if key in failed else "todo"
        if state == "todo" and not current_set:
            state, current_set = "current", True
        steps.append({"key": key, "label": label, "state": state})
    return steps


@candidate_required
def application_detail(request, pk):
    application = _own_application(request, pk)
    order = payments.order_current(application.payer_ref)
    waiver = getattr(application, "waiver", None)
    now = timezone.now()
    return render(
        request,
        "exams/apply/application_detail.html",
        {
            "application": application,
            "exam": application.exam,
            "steps": _stage_state(application),
            "events": services.timeline(application),
            "order": order,
            "waiver": waiver,
            "fee": fees.fee_due(application),
            "can_pay": application.status == ApplicationStatus.APPROVED
            and application.fee_status == FeeStatus.UNPAID
            and application.exam.payment_open(now),
            "can_change": (
                application.status in services.CHANGEABLE
                and application.exam.registration_open(now)
            )
            or (
                application.status == ApplicationStatus.CANCELLED
                and application.exam.reapply_open(now)
            ),
            "can_withdraw": application.status in services.CHANGEABLE,
            "can_waive": application.fee_status == FeeStatus.UNPAID
            and application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED)
            and (waiver is None or waiver.status == WaiverStatus.REJECTED),
            "can_refund": application.status == ApplicationStatus.CANCELLED
            and application.fee_status == FeeStatus.PAID,
            "channels": CHANNELS,
            "ticket_open": bool(
                application.exam.ticket_opens
                and application.exam.ticket_opens <= now < (application.exam.ticket_closes or now)
            ),
        },
    )


@candidate_required
@require_POST
def application_withdraw(request, pk):
    application = _own_application(request, pk)
    try:
        services.application_withdraw(application_id=application.pk, candidate=request.candidate)
        messages.success(request, "已撤销报名")
    except ExamError as exc:
        messages.error(request, exc.message)
    return redirect("exams:application_detail", application.pk)


@candidate_required
@require_POST
def payment_start(request, pk):
    """Open the application's one order and go to the gateway's cashier."""
    application = _own_application(request, pk)
    channel = request.POST.get("channel", "")
    if channel not in dict(CHANNELS):
        messages.error(request, "请选择支付方式")
        return redirect("exams:application_detail", application.pk)
    return_url = request.build_absolute_uri(reverse("exams:payment_return", args=[application.pk]))
    try:
        _order, url = fees.payment_start(
            application_id=application.pk,
            candidate=request.candidate,
            channel=channel,
            return_url=return_url,
        )
    except ExamError as exc:
        messages.error(request, exc.message)
        return redirect("exams:application_detail", application.pk)
    return redirect(url)


@candidate_required
def payment_return(request, pk):
    """The browser coming back from the cashier decides nothing: it asks the gateway (active
    query) and shows what the application's own state says."""
    application = _own_application(request, pk)
    order = payments.order_current(application.payer_ref)
    if order is not None and application.fee_status == FeeStatus.UNPAID:
        try:
            payments.order_query(order)
        except Exception:  # the gateway being slow must not break the page
            messages.info(request, "正在确认支付结果，请稍后刷新本页")
        application.refresh_from_db()
    if application.fee_status == FeeStatus.PAID:
        messages.success(request, "缴费成功，报名已确认")
    elif order is not None:
        messages.info(request, "尚未收到支付结果。如已付款，系统会自动确认，请勿重复支付")
    return redirect("exams:application_detail", application.pk)


class WaiverForm(forms.Form):
    kind = forms.ChoiceField(label="减免类型", choices=WaiverKind.choices)
    proof = forms.FileField(label="证明材料（低保证/特困证明等，JPG/PNG/PDF，不超过5MB）")

    def clean_proof(self):
        proof = self.cleaned_data["proof"]
        if proof.size > 5 * 1024 * 1024:
            raise forms.ValidationError("证明材料不能超过 5MB")
        name = proof.name.lower()
        if not name.endswith((".jpg", ".jpeg", ".png", ".pdf")):
            raise forms.ValidationError("证明材料须为 JPG、PNG 或 PDF 文件")
        head = proof.read(8)
        proof.seek(0)
        if not head.startswith((b"\xff\xd8", b"\x89PNG", b"%PDF")):
            raise forms.ValidationError("文件内容与扩展名不符，请上传真实的图片或PDF")
        return proof


@candidate_required
def waiver_apply(request, pk):
    application = _own_application(request, pk)
    form = WaiverForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            fees.waiver_submit(
                application_id=application.pk,
                candidate=request.candidate,
                kind=form.cleaned_data["kind"],
                proof=form.cleaned_data["proof"],
            )
            messages.success(request, "减免申请已提交，审核结果将以短信通知")
            return redirect("exams:application_detail", application.pk)
        except ExamError as exc:
            form.add_error(None, exc.message)
    return render(
        request, "exams/apply/waiver_form.html", {"application": application, "form": form}
    )


@candidate_required
@require_POST
def refund_request(request, pk):
    application = _own_application(request, pk)
    try:
        refund_cancelled(application_id=application.pk, actor=request.user)
        messages.success(request, "退费申请已提交，费用将退回原支付账户")
    except ExamError as exc:
        messages.error(request, exc.message)
    return redirect("exams:application_detail", application.pk)
