"""Exam office pages (考试中心): exams, subjects, areas, announcement, publication, change notices
and the position table import. Everyone but RUN_EXAMS gets 404."""

import datetime
import re
import secrets

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from renshi.core.decorators import role_required
from renshi.core.roles import RUN_EXAMS
from renshi.exams import forms_office as f
from renshi.exams import positions_import, selectors
from renshi.exams.errors import ExamError
from renshi.exams.models import Exam, ExamArea, Position, Subject
from renshi.exams.services import office
from renshi.exams.stats import registration_stats
from renshi.personnel import import_jobs

office_only = role_required(RUN_EXAMS)
SESSION_KEY = "exam_position_imports"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
SHOWN_ERRORS = 500


def _run_form(request, form, action, *, title, back, success, intro=""):
    """Valid form → `action()`; an ExamError goes back onto the form, nothing changed."""
    if request.method == "POST" and form.is_valid():
        try:
            action()
        except ExamError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(
        request,
        "personnel/form.html",
        {"form": form, "title": title, "cancel_url": back, "intro": intro},
    )


def _exam_url(exam) -> str:
    return reverse("exams:office_exam_detail", args=[exam.pk])


@office_only
def exam_list(request):
    exams = Exam.objects.order_by("-created_at", "-pk")
    return render(request, "exams/office/exam_list.html", {"exams": exams})


@office_only
@require_http_methods(["GET", "POST"])
def exam_create(request):
    form = f.ExamForm(request.POST or None, initial={"ratio_default": 3, "ratio_special": 2})
    created = {}

    def create():
        created["exam"] = office.exam_create(actor=request.user, **form.cleaned_data)

    response = _run_form(
        request, form, create, title="新建考试", back=reverse("exams:office_exam_list"),
        success="已新建考试。",
    )  # fmt: skip
    if "exam" in created:
        return redirect(_exam_url(created["exam"]))
    return response


@office_only
def exam_detail(request, pk):
    exam = get_object_or_404(Exam, pk=pk)
    counts = selectors.position_counts(exam) if exam.status != "draft" else {}
    return render(
        request,
        "exams/office/exam_detail.html",
        {
            "exam": exam,
            "subjects": exam.subjects.all(),
            "areas": exam.areas.all(),
            "notices": exam.announcements.order_by("number"),
            "position_count": exam.positions.count(),
            "unmatched": exam.positions.filter(unit__isnull=True).count(),
            "problems": office.publish_problems(exam) if exam.status == "draft" else [],
            "approved": sum(a for a, _w in counts.values()),
            "waiting": sum(w for _a, w in counts.values()),
            "stats": registration_stats(exam) if exam.status != "draft" else None,
        },
    )


@office_only
@require_http_methods(["GET", "POST"])
def exam_edit(request, pk):
    exam = get_object_or_404(Exam, pk=pk)
    if exam.status != "draft":
        messages.error(request, office.PUBLISHED_LOCKED)
        return redirect("exams:office_change_notice", exam.pk)
    form = f.ExamForm(request.POST or None, instance=Exam.objects.get(pk=exam.pk))
    return _run_form(
        request,
        form,
        lambda: office.exam_update(actor=request.user, exam=exam, **form.cleaned_data),
        title=f"修改考试 · {exam.name}",
        back=_exam_url(exam),
        success="已保存考试设置。",
    )


# --- Subjects and areas ------------------------------------------------------------------------


@office_only
@require_http_methods(["GET", "POST"])
def subject_create(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = f.SubjectForm(request.POST or None, initial={"fee": "50.00"})
    return _run_form(
        request,
        form,
        lambda: office.subject_create(actor=request.user, exam=exam, **form.cleaned_data),
        title=f"新增科目 · {exam.name}",
        back=_exam_url(exam),
        success="已新增科目。",
    )


@office_only
@require_http_methods(["GET", "POST"])
def subject_edit(request, pk):
    subject = get_object_or_404(Subject.objects.select_related("exam"), pk=pk)
    form = f.SubjectForm(request.POST or None, instance=Subject.objects.get(pk=pk))
    return _run_form(
        request,
        form,
        lambda: office.subject_update(actor=request.user, subject=subject, **form.cleaned_data),
        title=f"修改科目 · {subject.name}",
        back=_exam_url(subject.exam),
        success="已保存科目。",
    )


@office_only
@require_POST
def subject_delete(request, pk):
    subject = get_object_or_404(Subject.objects.select_related("exam"), pk=pk)
    _try(
        request, lambda: office.subject_delete(actor=request.user, subject=subject), "已删除科目。"
    )
    return redirect(_exam_url(subject.exam))


@office_only
@require_http_methods(["GET", "POST"])
def area_create(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = f.AreaForm(request.POST or None)
    return _run_form(
        request,
        form,
        lambda: office.area_create(actor=request.user, exam=exam, **form.cleaned_data),
        title=f"新增考区 · {exam.name}",
        back=_exam_url(exam),
        success="已新增考区。",
    )


@office_only
@require_http_methods(["GET", "POST"])
def area_edit(request, pk):
    area = get_object_or_404(ExamArea.objects.select_related("exam"), pk=pk)
    form = f.AreaForm(request.POST or None, instance=ExamArea.objects.get(pk=pk))
    return _run_form(
        request,
        form,
        lambda: office.area_update(actor=request.user, area=area, **form.cleaned_data),
        title=f"修改考区 · {area.name}",
        back=_exam_url(area.exam),
        success="已保存考区。",
        intro=f"已报名 {area.taken} 人；容量不能小于已报名人数。",
    )


@office_only
@require_POST
def area_delete(request, pk):
    area = get_object_or_404(ExamArea.objects.select_related("exam"), pk=pk)
    _try(request, lambda: office.area_delete(actor=request.user, area=area), "已删除考区。")
    return redirect(_exam_url(area.exam))


def _try(request, action, success) -> bool:
    try:
        action()
    except ExamError as e:
        messages.error(request, e.message)
        return False
    messages.success(request, success)
    return True


# --- Announcement, publication, change notices -------------------------------------------------


@office_only
@require_http_methods(["GET", "POST"])
def announcement_edit(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    current = exam.announcements.filter(number=1).first()
    initial = {"title": current.title, "body": current.body} if current else {"title": exam.name}
    form = f.AnnouncementForm(request.POST or None, initial=initial)
    return _run_form(
        request,
        form,
        lambda: office.announcement_save(actor=request.user, exam=exam, **form.cleaned_data),
        title=f"招考公告 · {exam.name}",
        back=_exam_url(exam),
        success="已保存公告草稿。",
        intro="发布考试时公告同时发布；发布后只能通过变更公告修改。",
    )


@office_only
@require_POST
def exam_publish(request, pk):
    exam = get_object_or_404(Exam, pk=pk)
    _try(request, lambda: office.exam_publish(actor=request.user, exam=exam), "考试和公告已发布。")
    return redirect(_exam_url(exam))


@office_only
@require_http_methods(["GET", "POST"])
def change_notice(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = f.ChangeNoticeForm(request.POST or None, exam=exam)
    return _run_form(
        request,
        form,
        lambda: office.change_notice_publish(
            actor=request.user,
            exam=exam,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            changes=form.changes(),
            fees=form.fees(),
        ),
        title=f"发布变更公告 · {exam.name}",
        back=_exam_url(exam),
        success="变更公告已发布，变更内容已生效。",
        intro="下列时间和考务费已填入当前值；改动的项目随变更公告一并生效，考生可看到全部变更历史。",
    )


# --- Position table import ---------------------------------------------------------------------


@office_only
def position_template(request):
    response = HttpResponse(
        positions_import.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''position-table.xlsx"
    return response


def _import_options(form) -> dict:
    return {
        "default_born_from": form.cleaned_data.get("born_from"),
        "default_born_to": form.cleaned_data.get("born_to"),
        "default_area": form.cleaned_data.get("area"),
    }


@office_only
@require_http_methods(["GET", "POST"])
def position_import(request, exam_pk):
    """Upload → dry run listing every error by row and column (nothing written yet)."""
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = f.PositionImportForm(request.POST or None, request.FILES or None, exam=exam)
    context = {"exam": exam, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > positions_import.MAX_BYTES:
            form.add_error("file", "文件过大，不能超过10 MB")
        else:
            data = upload.read()
            options = _import_options(form)
            report = positions_import.position_check(data, exam, **options)
            if report.fatal:
                form.add_error("file", report.fatal)
            else:
                token = _store(request, data, upload.name, options)
                return _render_report(request, exam, report, token, upload.name)
    status = 400 if request.method == "POST" else 200
    return render(request, "exams/office/position_import.html", context, status=status)


def _store(request, data: bytes, filename: str, options: dict) -> str:
    token = secrets.token_urlsafe(18)
    import_jobs.upload_path(token).write_bytes(data)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {
        "filename": filename[:120],
        "born_from": options["default_born_from"] and options["default_born_from"].isoformat(),
        "born_to": options["default_born_to"] and options["default_born_to"].isoformat(),
        "area": options["default_area"] and options["default_area"].pk,
    }
    request.session[SESSION_KEY] = uploads
    return token


def _render_report(request, exam, report, token, filename, problem=""):
    return render(
        request,
        "exams/office/position_import_report.html",
        {
            "exam": exam,
            "report": report,
            "counts": report.counts,
            "errors": report.errors[:SHOWN_ERRORS],
            "error_count": len(report.errors),
            "notes": [(r.number, n) for r in report.rows for n in r.notes][:SHOWN_ERRORS],
            "token": token,
            "filename": filename,
            "problem": problem,
        },
    )


@office_only
@require_POST
def position_import_confirm(request, exam_pk, token):
    exam = get_object_or_404(Exam, pk=exam_pk)
    stored = request.session.get(SESSION_KEY, {}).get(token)
    path = import_jobs.upload_path(token)
    if not TOKEN_RE.match(token) or stored is None or not path.exists():
        raise Http404
    options = {
        "default_born_from": stored["born_from"]
        and datetime.date.fromisoformat(stored["born_from"]),
        "default_born_to": stored["born_to"] and datetime.date.fromisoformat(stored["born_to"]),
        "default_area": exam.areas.filter(pk=stored["area"]).first() if stored["area"] else None,
    }
    report = positions_import.position_check(path.read_bytes(), exam, **options)
    try:
        result = positions_import.position_import(
            actor=request.user,
            exam=exam,
            report=report,
            only_valid=request.POST.get("mode") == "valid",
            filename=stored["filename"],
        )
    except ExamError as e:
        return _render_report(request, exam, report, token, stored["filename"], problem=e.message)
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    path.unlink(missing_ok=True)
    messages.success(
        request,
        f"职位表已导入：新增{result.created}个，更新{result.updated}个"
        + (f"，跳过有错误的{result.skipped}行" if result.skipped else ""),
    )
    return redirect("exams:office_position_list", exam.pk)


@office_only
def position_list(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    positions = Position.objects.filter(exam=exam).select_related("unit", "area").order_by("code")
    return render(
        request, "exams/office/position_list.html", {"exam": exam, "positions": positions}
    )
