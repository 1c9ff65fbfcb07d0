"""Eligibility review by the hiring unit, fee waivers and the opening ratio (exam office)."""

import datetime
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renshi.core import roles
from renshi.core.decorators import role_required
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Application,
    ApplicationStatus,
    Exam,
    ExamStatus,
    FeeWaiver,
    RejectReason,
    WaiverStatus,
)
from renshi.exams.services import applications as services
from renshi.exams.services import fees, ratio


def _visible_applications(user):
    return Application.objects.filter(position__in=services.reviewable_positions(user))


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    position_id = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("approve", "审核通过"), ("reject", "审核不通过")],
        widget=forms.RadioSelect,
    )
    reason_code = forms.ChoiceField(
        label="不通过原因", choices=[("", "—"), *RejectReason.choices], required=False
    )
    reason_text = forms.CharField(
        label="审核意见（考生可见）",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@role_required(roles.REVIEW_APPLICATIONS)
def review_list(request):
    exams = Exam.objects.filter(status=ExamStatus.PUBLISHED).order_by("-registration_opens")
    exam_id = request.GET.get("exam") or (exams[0].pk if exams else None)
    status = request.GET.get("status", ApplicationStatus.SUBMITTED)
    q = (request.GET.get("q") or "").strip()
    rows = _visible_applications(request.user).filter(exam_id=exam_id)
    if status in ApplicationStatus.values:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(position__code__startswith=q) | rows.filter(candidate__name=q)
    rows = rows.select_related("candidate", "position").order_by("submitted_at", "pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "exams/review/review_list.html",
        {
            "exams": exams,
            "exam_id": int(exam_id) if exam_id else None,
            "status": status,
            "q": q,
            "page": page,
            "statuses": ApplicationStatus.choices,
            "can_run": roles.has_role(request.user, roles.RUN_EXAMS),
        },
    )


@role_required(roles.REVIEW_APPLICATIONS)
def review_detail(request, pk):
    application = get_object_or_404(
        _visible_applications(request.user).select_related("exam", "position", "candidate"),
        pk=pk,
    )
    form = DecisionForm(
        request.POST or None,
        initial={"version": application.version, "position_id": application.position_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_review(
                application_id=application.pk,
                actor=request.user,
                approve=data["decision"] == "approve",
                version=data["version"],
                position_id=data["position_id"],
                reason_code=data["reason_code"],
                reason_text=data["reason_text"],
            )
            messages.success(request, f"已审核：{application.candidate.name}")
            return redirect(f"{reverse('exams:review_list')}?exam={application.exam_id}")
        except Application.DoesNotExist as exc:
            raise Http404 from exc
        except ExamError as exc:
            form.add_error(None, exc.message)
    candidate = application.candidate
    return render(
        request,
        "exams/review/review_detail.html",
        {
            "application": application,
            "candidate": candidate,
            "educations": candidate.educations.all(),
            "works": candidate.works.all(),
            "events": services.timeline(application),
            "form": form,
            "can_decide": application.status == ApplicationStatus.SUBMITTED,
        },
    )


@role_required(roles.RUN_EXAMS)
def waiver_list(request):
    status = request.GET.get("status", WaiverStatus.PENDING)
    rows = (
        FeeWaiver.objects.filter(status=status)
        .select_related("application__candidate", "application__position", "application__exam")
        .order_by("submitted_at")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "exams/review/waiver_list.html",
        {"page": page, "status": status, "statuses": WaiverStatus.choices},
    )


@role_required(roles.RUN_EXAMS)
@require_POST
def waiver_decide(request, pk):
    waiver = get_object_or_404(FeeWaiver, pk=pk)
    try:
        fees.waiver_decide(
            waiver_id=waiver.pk,
            actor=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "已处理减免申请")
    except ExamError as exc:
        messages.error(request, exc.message)
    return redirect("exams:waiver_list")


@role_required(roles.RUN_EXAMS)
def waiver_proof(request, pk):
    waiver = get_object_or_404(FeeWaiver, pk=pk)
    return FileResponse(waiver.proof.open("rb"), as_attachment=False)


class RatioForm(forms.Form):
    reapply_closes = forms.DateTimeField(
        label="改报截止时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


@role_required(roles.RUN_EXAMS)
def opening_ratio(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    outcomes = [] if exam.ratio_applied_at else ratio.opening_ratio_preview(exam)
    applied = (
        exam.positions.exclude(status="open").order_by("status", "code")
        if exam.ratio_applied_at
        else []
    )
    default_reapply = timezone.localtime() + datetime.timedelta(days=2)
    form = RatioForm(
        request.POST or None, initial={"reapply_closes": default_reapply.strftime("%Y-%m-%dT%H:%M")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            ratio.opening_ratio_apply(
                exam_id=exam.pk,
                actor=request.user,
                reapply_closes=form.cleaned_data["reapply_closes"],
            )
            messages.success(request, "开考比例已执行，相关考生已收到改报/退费通知")
            return redirect("exams:opening_ratio", exam.pk)
        except ExamError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "exams/review/opening_ratio.html",
        {
            "exam": exam,
            "outcomes": outcomes,
            "applied": applied,
            "form": form,
            "cut": [o for o in outcomes if o.status == "cut"],
            "cancelled": [o for o in outcomes if o.status == "cancelled"],
        },
    )


@role_required(roles.RUN_EXAMS)
def finance_export(request, exam_pk):
    """Every order and refund of the exam's applications, for the finance office."""
    from renshi.payments.services import finance_export as export

    exam = get_object_or_404(Exam, pk=exam_pk)
    ids = Application.objects.filter(exam=exam).values_list("pk", flat=True).iterator()
    data = export((f"{fees.PAYER_PREFIX}:{pk}" for pk in ids), f"{exam.name} 考务费")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = quote(f"{exam.code}-考务费对账-{timezone.localdate():%Y%m%d}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
