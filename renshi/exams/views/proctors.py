"""Proctor pages: the pool and its import, the draw and each site's list (exam office); a
proctor's own assignments; the room sheet of the exam day (office, or the room's own proctors);
a candidate's own records. Everyone else gets 404."""

import io

import openpyxl
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from renshi.core.decorators import role_required
from renshi.core.roles import RUN_EXAMS, Role
from renshi.exams import draws, proctors_import
from renshi.exams import forms_proctors as f
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Draw,
    DrawKind,
    Exam,
    ExamRoom,
    ExamSession,
    ExamSite,
    Incident,
    Proctor,
    ProctorRelative,
    Seat,
)
from renshi.exams.services import incidents
from renshi.exams.services import proctors as services
from renshi.exams.views.apply import candidate_required

office_only = role_required(RUN_EXAMS)
proctor_only = role_required({Role.PROCTOR})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attempt(request, form, action, success) -> bool:
    """Run the service; its Chinese message goes onto the form, nothing changed."""
    try:
        action()
    except ExamError as e:
        form.add_error(e.field if e.field in form.fields else None, e.message)
        return False
    messages.success(request, success)
    return True


# --- The pool ----------------------------------------------------------------------------------


@office_only
def pool_list(request):
    q = request.GET.get("q", "").strip()
    rows = Proctor.objects.annotate(relative_count=Count("relatives")).select_related("user")
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(school__contains=q))
    page = Paginator(rows.order_by("school", "name", "id"), 100).get_page(request.GET.get("page"))
    return render(request, "exams/proctors/pool_list.html", {"page": page, "q": q})


@office_only
@require_http_methods(["GET", "POST"])
def pool_create(request):
    form = f.ProctorForm(request.POST or None)
    created = {}

    def create():
        created["p"] = services.proctor_create(actor=request.user, **form.cleaned_data)

    if request.method == "POST" and form.is_valid() and _attempt(request, form, create, "已添加。"):
        return redirect("exams:proctor_detail", created["p"].pk)
    return render(
        request,
        "personnel/form.html",
        {"form": form, "title": "添加监考人员", "cancel_url": reverse("exams:proctor_pool")},
    )


@office_only
@require_http_methods(["GET", "POST"])
def proctor_detail(request, pk):
    proctor = get_object_or_404(Proctor.objects.select_related("user"), pk=pk)
    initial = {"name": proctor.name, "school": proctor.school, "active": proctor.active}
    form = f.ProctorForm(request.POST or None, initial=initial)

    def update():
        services.proctor_update(actor=request.user, proctor=proctor, **form.cleaned_data)

    if request.method == "POST" and form.is_valid() and _attempt(request, form, update, "已保存。"):
        return redirect("exams:proctor_detail", pk)
    return _detail(request, proctor, form=form)


def _detail(request, proctor, *, form=None, relative_form=None, account_form=None, status=200):
    context = {
        "proctor": proctor,
        "form": form or f.ProctorForm(initial={"name": proctor.name, "school": proctor.school,
                                               "active": proctor.active}),
        "relative_form": relative_form or f.RelativeForm(),
        "account_form": account_form or f.AccountForm(),
        "relatives": proctor.relatives.order_by("id"),
        "assignments": proctor.assignments.filter(draw__superseded=False).select_related(
            "session", "room__site"
        ),
    }  # fmt: skip
    return render(request, "exams/proctors/proctor_detail.html", context, status=status)


def _detail_action(request, pk, form_class, service, success, slot):
    """A form posted from the proctor's page to one service; errors go back onto that page."""
    proctor = get_object_or_404(Proctor, pk=pk)
    form = form_class(request.POST)

    def run():
        service(actor=request.user, proctor=proctor, **form.cleaned_data)

    if form.is_valid() and _attempt(request, form, run, success):
        return redirect("exams:proctor_detail", pk)
    return _detail(request, proctor, status=400, **{slot: form})


@office_only
@require_POST
def relative_add(request, pk):
    return _detail_action(
        request, pk, f.RelativeForm, services.proctor_relative_add, "已登记回避亲属。",
        "relative_form",
    )  # fmt: skip


@office_only
@require_POST
def account_create(request, pk):
    return _detail_action(
        request, pk, f.AccountForm, services.proctor_account_create, "已开通登录账号。",
        "account_form",
    )  # fmt: skip


@office_only
@require_POST
def relative_remove(request, pk):
    relative = get_object_or_404(ProctorRelative.objects.select_related("proctor"), pk=pk)
    services.proctor_relative_remove(actor=request.user, relative=relative)
    messages.success(request, "已删除回避亲属。")
    return redirect("exams:proctor_detail", relative.proctor_id)


@office_only
@require_http_methods(["GET", "POST"])
def pool_import(request):
    form = f.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > proctors_import.MAX_BYTES:
            form.add_error("file", "文件过大，不能超过5 MB")
        else:
            report = proctors_import.check(upload.read())
            if report.fatal:
                form.add_error("file", report.fatal)
            elif report.ok:
                counts = proctors_import.run(actor=request.user, report=report)
                messages.success(
                    request,
                    f"已导入：新增{counts['created']}人，更新{counts['updated']}人，"
                    f"登记回避亲属{counts['relatives']}人。",
                )
                return redirect("exams:proctor_pool")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "report": report}
    return render(request, "exams/proctors/pool_import.html", context, status=status)


@office_only
def pool_template(request):
    response = HttpResponse(proctors_import.template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''proctors.xlsx"
    return response


# --- The draw and the sites' lists -------------------------------------------------------------


@office_only
def exam_proctors(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    return _exam_page(request, exam, f.DrawForm())


def _exam_page(request, exam, form, status=200):
    context = {
        "exam": exam,
        "form": form,
        "draw": services.current_draw(exam),
        "history": Draw.objects.filter(exam=exam, kind=DrawKind.PROCTORS),
        "sessions": exam.sessions.all(),
        "sites": ExamSite.objects.filter(exam=exam).annotate(
            used=Count("rooms", filter=Q(rooms__seats__isnull=False), distinct=True)
        ),
        "pool_size": Proctor.objects.filter(active=True).count(),
        "incident_count": Incident.objects.filter(session__exam=exam).count(),
    }
    return render(request, "exams/proctors/exam.html", context, status=status)


@office_only
@require_POST
def draw_run(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = f.DrawForm(request.POST)

    def run():
        services.proctors_draw(actor=request.user, exam=exam, **form.cleaned_data)

    if form.is_valid() and _attempt(request, form, run, "已完成监考人员抽签。"):
        return redirect("exams:proctor_exam", exam.pk)
    return _exam_page(request, exam, form, status=400)


@office_only
@require_POST
def draw_verify(request, pk):
    draw = get_object_or_404(Draw, pk=pk, kind=DrawKind.PROCTORS)
    outcome = draws.verify(draw)
    intact = services.assignments_intact(draw)
    if outcome.ok and intact:
        messages.success(request, f"核验一致：种子 {draw.seed} 重新计算的结果与记录相同。")
    else:
        problems = [
            "输入已变化" if not outcome.inputs_match else "",
            "重新计算的结果与记录不同" if not outcome.result_match else "",
            "保存的监考安排已被改动" if not intact else "",
        ]
        messages.error(request, "核验不一致：" + "，".join(p for p in problems if p))
    return redirect("exams:proctor_exam", draw.exam_id)


def _site_and_draw(site_pk):
    site = get_object_or_404(ExamSite.objects.select_related("exam"), pk=site_pk)
    draw = services.current_draw(site.exam)
    return site, draw, services.site_roster(draw, site) if draw else []


@office_only
def site_list(request, site_pk):
    site, draw, roster = _site_and_draw(site_pk)
    context = {"site": site, "exam": site.exam, "draw": draw, "roster": roster}
    return render(request, "exams/proctors/site_list.html", context)


@office_only
def site_export(request, site_pk):
    site, draw, roster = _site_and_draw(site_pk)
    if draw is None:
        raise Http404
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "监考安排"
    sheet.append([f"{site.exam.name} {site.name}（{site.school}）监考安排  抽签种子 {draw.seed}"])
    sheet.append(["场次", "开考时间", "考场", "位置", "主监考", "所在学校", "副监考", "所在学校"])
    for session, rooms in roster:
        start = f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}"
        for room, first, second in rooms:
            sheet.append([session.name, start, f"第{room.code}考场", room.name,
                          first.name, first.school, second.name, second.school])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''proctors-site-{site.pk}.xlsx"
    return response


@office_only
def exam_incidents(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    rows = (
        Incident.objects.filter(session__exam=exam)
        .select_related("session", "application__candidate", "application__seat__room__site")
        .order_by("session__starts_at", "application__seat__ticket_number", "kind")
    )
    return render(request, "exams/proctors/incidents.html", {"exam": exam, "rows": rows})


# --- A proctor's own page ----------------------------------------------------------------------


@proctor_only
def mine(request):
    context = {"assignments": services.own_assignments(request.user)}
    return render(request, "exams/proctors/mine.html", context)


# --- The room sheet (考场情况记录) ---------------------------------------------------------------


def _room_access(request, session_pk, room_pk):
    session = get_object_or_404(ExamSession.objects.select_related("exam"), pk=session_pk)
    room = get_object_or_404(
        ExamRoom.objects.select_related("site"), pk=room_pk, site__exam=session.exam
    )
    if not incidents.may_record(request.user, session, room):
        raise Http404
    return session, room


def _sheet(request, session, room, form=None, status=200):
    context = {
        "session": session,
        "room": room,
        "seats": incidents.room_sheet(session, room),
        "form": form,
        "decisions": incidents.DECISIONS,
        "is_office": request.user.role in RUN_EXAMS,
    }
    return render(request, "exams/proctors/room_sheet.html", context, status=status)


@role_required(RUN_EXAMS | {Role.PROCTOR})
def room_sheet(request, session_pk, room_pk):
    session, room = _room_access(request, session_pk, room_pk)
    return _sheet(request, session, room)


@role_required(RUN_EXAMS | {Role.PROCTOR})
@require_POST
def incident_create(request, session_pk, room_pk):
    session, room = _room_access(request, session_pk, room_pk)
    form = f.IncidentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        seat = (
            Seat.objects.filter(room=room, application_id=data["application"])
            .select_related("application__candidate")
            .first()
        )
        if seat is None:
            raise Http404

        def record():
            incidents.incident_record(
                actor=request.user, application=seat.application, session=session,
                kind=data["kind"], description=data["description"], decision=data["decision"],
            )  # fmt: skip

        if _attempt(
            request, form, record, f"已记录：{seat.number:02d}号 {seat.application.candidate.name}"
        ):
            return redirect("exams:room_sheet", session.pk, room.pk)
    return _sheet(request, session, room, form=form, status=400)


def _incident_access(request, pk):
    rows = Incident.objects.select_related(
        "session", "application__seat__room", "application__candidate"
    )
    incident = get_object_or_404(rows, pk=pk)
    seat = getattr(incident.application, "seat", None)
    if seat is None or not incidents.may_record(request.user, incident.session, seat.room):
        raise Http404
    return incident, seat


@role_required(RUN_EXAMS | {Role.PROCTOR})
@require_http_methods(["GET", "POST"])
def incident_edit(request, pk):
    incident, seat = _incident_access(request, pk)
    initial = {"description": incident.description, "decision": incident.decision}
    form = f.IncidentEditForm(request.POST or None, initial=initial)
    back = reverse("exams:room_sheet", args=[incident.session_id, seat.room_id])

    def update():
        incidents.incident_update(actor=request.user, incident=incident, **form.cleaned_data)

    if request.method == "POST" and form.is_valid() and _attempt(request, form, update, "已保存。"):
        return redirect(back)
    context = {"incident": incident, "seat": seat, "form": form, "back": back,
               "withdraw_form": f.WithdrawForm(), "decisions": incidents.DECISIONS}  # fmt: skip
    return render(request, "exams/proctors/incident_edit.html", context)


@role_required(RUN_EXAMS | {Role.PROCTOR})
@require_POST
def incident_withdraw(request, pk):
    incident, seat = _incident_access(request, pk)
    form = f.WithdrawForm(request.POST)

    def withdraw():
        incidents.incident_withdraw(actor=request.user, incident=incident, **form.cleaned_data)

    if form.is_valid() and _attempt(request, form, withdraw, "已撤销该记录。"):
        return redirect("exams:room_sheet", incident.session_id, seat.room_id)
    messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("exams:incident_edit", incident.pk)


# --- A candidate's own records -----------------------------------------------------------------


@candidate_required
def candidate_incidents(request):
    """Candidates see the absences and violations recorded against them, with the decision
    (they must be told of a violation finding and may state their case)."""
    rows = (
        Incident.objects.filter(application__candidate=request.candidate)
        .select_related("session", "application__exam")
        .order_by("-session__starts_at")
    )
    return render(request, "exams/proctors/candidate_incidents.html", {"rows": rows})
