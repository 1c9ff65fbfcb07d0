"""The candidate's home, reusable profile (education, work), and registration photo."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renshi.core import codes
from renshi.exams import photos
from renshi.exams.candidate_access import photo_visible_to
from renshi.exams.forms_candidate import EducationForm, PhotoForm, ProfileForm, WorkForm
from renshi.exams.models import Candidate, Education, WorkExperience
from renshi.exams.services.candidates import (
    EDUCATION_FIELDS,
    PROFILE_FIELDS,
    WORK_FIELDS,
    CandidateError,
    candidate_set_photo,
    candidate_update_profile,
    education_save,
    profile_row_delete,
    work_save,
)
from renshi.exams.views.apply import candidate_required

PHOTO_UPLOAD_LIMIT = 2 * 1024 * 1024


def completeness(candidate) -> list[dict]:
    """What a candidate must have before applying, each with whether it is done."""
    return [
        {"label": "手机号码已验证", "done": bool(candidate.phone_verified_at), "url": ""},
        {
            "label": "填写政治面貌等基本信息",
            "done": bool(candidate.political_status),
            "url": "exams:profile",
        },
        {
            "label": "填写学历信息",
            "done": candidate.educations.exists(),
            "url": "exams:education_add",
        },
        {"label": "上传证件照", "done": bool(candidate.photo), "url": "exams:photo"},
    ]


@require_GET
@candidate_required
def candidate_home(request):
    candidate = request.candidate
    items = completeness(candidate)
    context = {
        "candidate": candidate,
        "items": items,
        "complete": all(i["done"] for i in items),
    }
    return render(request, "exams/candidate/home.html", context)


@require_http_methods(["GET", "POST"])
@candidate_required
def profile(request):
    candidate = request.candidate
    initial = {f: getattr(candidate, f) for f in PROFILE_FIELDS}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            candidate_update_profile(actor=request.user, candidate=candidate, **form.cleaned_data)
        except CandidateError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, "基本信息已保存。")
            return redirect("exams:profile")
    context = {
        "candidate": candidate,
        "form": form,
        "political": codes.name("political", candidate.political_status),
        "educations": [(e, codes.name("education", e.level)) for e in candidate.educations.all()],
        "works": candidate.works.all(),
    }
    return render(request, "exams/candidate/profile.html", context)


ROWS = {
    "education": (Education, EducationForm, EDUCATION_FIELDS, education_save, "学历信息"),
    "work": (WorkExperience, WorkForm, WORK_FIELDS, work_save, "工作经历"),
}


def _row_form(request, kind, pk=None):
    """Add or change one education or work row of the logged-in candidate."""
    model, form_class, fields, save, title = ROWS[kind]
    row = get_object_or_404(model, pk=pk, candidate=request.candidate) if pk else None
    form = form_class(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in fields}
        try:
            save(actor=request.user, candidate=request.candidate, **{kind: row}, **data)
        except CandidateError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, f"{title}已保存。")
            return redirect("exams:profile")
    context = {"form": form, "title": title, "row": row, "kind": kind}
    return render(request, "exams/candidate/row_form.html", context)


def _row_delete(request, kind, pk):
    model, *_, title = ROWS[kind]
    row = get_object_or_404(model, pk=pk, candidate=request.candidate)
    profile_row_delete(actor=request.user, row=row)
    messages.success(request, f"{title}已删除。")
    return redirect("exams:profile")


@require_http_methods(["GET", "POST"])
@candidate_required
def education_form(request, pk=None):
    return _row_form(request, "education", pk)


@require_POST
@candidate_required
def education_delete(request, pk):
    return _row_delete(request, "education", pk)


@require_http_methods(["GET", "POST"])
@candidate_required
def work_form(request, pk=None):
    return _row_form(request, "work", pk)


@require_POST
@candidate_required
def work_delete(request, pk):
    return _row_delete(request, "work", pk)


@require_http_methods(["GET", "POST"])
@candidate_required
def photo(request):
    candidate = request.candidate
    form, reasons = PhotoForm(request.POST or None, request.FILES or None), []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["photo"]
        if upload.size > PHOTO_UPLOAD_LIMIT:
            reasons = [f"照片文件大小为{upload.size / 1024:.1f} KB，过大"]
        else:
            try:
                candidate_set_photo(actor=request.user, candidate=candidate, data=upload.read())
            except photos.PhotoRejected as e:
                reasons = e.reasons
            else:
                messages.success(request, "照片已通过检查并保存。")
                return redirect("exams:photo")
    context = {"candidate": candidate, "form": form, "reasons": reasons, "rules": photos.rules()}
    return render(request, "exams/candidate/photo.html", context, status=400 if reasons else 200)


@require_GET
def candidate_photo(request, pk):
    """The photo, to its owner and to reviewers who may see it; 404 to everyone else."""
    candidate = get_object_or_404(Candidate, pk=pk)
    if not candidate.photo or not photo_visible_to(request.user, candidate):
        raise Http404
    try:
        handle = candidate.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response
