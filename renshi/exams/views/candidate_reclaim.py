"""ID-number reclaim (身份号码被占用找回): the claimant's form and status, the bureau's decision."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from renshi.core import roles
from renshi.core.decorators import role_required
from renshi.exams.forms_candidate import ReclaimDecisionForm, ReclaimForm, ReclaimLookupForm
from renshi.exams.models import IdReclaim, ReclaimStatus
from renshi.exams.services.candidates import (
    CandidateError,
    reclaim_decide,
    reclaim_holder,
    reclaim_submit,
)
from renshi.exams.views.candidate import apply_error, code_form


@require_http_methods(["GET", "POST"])
def reclaim_new(request):
    def submit(data):
        fields = ["name", "id_number", "phone", "code", "statement", "proof"]
        return reclaim_submit(**{f: data[f] for f in fields})

    keep = ["name", "id_number", "phone", "statement"]
    reclaim, context = code_form(request, ReclaimForm, "reclaim", keep, submit)
    if reclaim is None:
        return render(request, "exams/candidate/reclaim_form.html", context)
    return render(request, "exams/candidate/reclaim_done.html", {"reclaim": reclaim})


@require_GET
def reclaim_status(request):
    form = ReclaimLookupForm(request.GET or None)
    reclaim = None
    if form.is_valid():
        code = form.cleaned_data["tracking_code"].strip().upper()
        reclaim = IdReclaim.objects.filter(tracking_code=code).first()
        if reclaim is None:
            form.add_error("tracking_code", "未找到该查询码对应的申请，请核对后重新输入")
    context = {"form": form, "reclaim": reclaim}
    return render(request, "exams/candidate/reclaim_status.html", context)


@require_GET
@role_required(roles.RUN_EXAMS)
def reclaim_review_list(request):
    pending = IdReclaim.objects.filter(status=ReclaimStatus.PENDING).order_by("created_at")
    decided = IdReclaim.objects.exclude(status=ReclaimStatus.PENDING).order_by("-decided_at")
    context = {"pending": pending, "decided": decided.select_related("decided_by")[:50]}
    return render(request, "exams/candidate/reclaim_review_list.html", context)


@require_http_methods(["GET", "POST"])
@role_required(roles.RUN_EXAMS)
def reclaim_review(request, pk):
    reclaim = get_object_or_404(IdReclaim, pk=pk)
    form = ReclaimDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reclaim_decide(
                actor=request.user,
                reclaim=reclaim,
                grant=form.cleaned_data["decision"] == "grant",
                note=form.cleaned_data["note"],
            )
        except CandidateError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"找回申请 {reclaim.tracking_code} 已处理。")
            return redirect("exams:reclaim_review_list")
    holder = reclaim_holder(reclaim)
    others = IdReclaim.objects.filter(id_number_hash=reclaim.id_number_hash).exclude(pk=pk)
    context = {"reclaim": reclaim, "holder": holder, "form": form, "others": others}
    return render(request, "exams/candidate/reclaim_review.html", context)


@require_GET
@role_required(roles.RUN_EXAMS)
def reclaim_proof(request, pk):
    reclaim = get_object_or_404(IdReclaim, pk=pk)
    response = FileResponse(reclaim.proof.open("rb"))
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response
