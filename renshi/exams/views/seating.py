"""Seating and tickets: the exam office's sessions, sites and rooms, the seat draw in front of
witnesses, the ticket batch; a candidate's own ticket in the print window; the QR check.

Office pages: RUN_EXAMS only (everyone else 404). The QR check also serves proctors at a site.
The candidate's ticket: their own application only, 404 otherwise."""

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from renshi.core.decorators import role_required
from renshi.core.roles import RUN_EXAMS, Role
from renshi.exams import draws
from renshi.exams import forms_seating as f
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Application,
    Draw,
    DrawKind,
    Exam,
    ExamRoom,
    ExamSession,
    ExamSite,
    TicketBatch,
)
from renshi.exams.services import seating, tickets
from renshi.exams.views.apply import candidate_required
from renshi.exams.views.office import _run_form

office_only = role_required(RUN_EXAMS)
CHECK_TICKETS = frozenset({*RUN_EXAMS, Role.PROCTOR})


def _home(exam_id) -> str:
    return reverse("exams:seating_exam", args=[exam_id])


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, name)
    response["Cache-Control"] = "private, no-store"
    return response


@office_only
def exam_seating(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    sites = exam.sites.select_related("area").order_by("area__code", "code")
    room_counts = {
        s["site_id"]: s
        for s in ExamRoom.objects.filter(site__exam=exam)
        .values("site_id")
        .annotate(n=Count("id"), seats=Sum("capacity"))
    }
    for site in sites:
        counts = room_counts.get(site.pk, {})
        site.n_rooms, site.n_seats = counts.get("n", 0), counts.get("seats", 0)
    context = {
        "exam": exam,
        "sessions": exam.sessions.prefetch_related("subjects"),
        "areas": seating.area_overview(exam),
        "sites": sites,
        "unplaced": seating.unplaced_count(exam),
        "draws": Draw.objects.filter(exam=exam, kind=DrawKind.SEATS).select_related("drawn_by")[
            :30
        ],
        "batches": exam.ticket_batches.order_by("-created_at")[:5],
    }
    return render(request, "exams/seating/exam.html", context)


# --- Sessions ----------------------------------------------------------------------------------


@office_only
@require_http_methods(["GET", "POST"])
def session_create(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = f.SessionForm(request.POST or None, exam=exam)

    def create():
        data = dict(form.cleaned_data)
        seating.session_create(actor=request.user, exam=exam, subjects=data.pop("subjects"), **data)

    return _run_form(
        request, form, create, title="新增考试场次", back=_home(exam.pk), success="已新增场次。"
    )


@office_only
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = get_object_or_404(ExamSession.objects.select_related("exam"), pk=pk)
    form = f.SessionForm(request.POST or None, instance=session, exam=session.exam)

    def update():
        data = dict(form.cleaned_data)
        seating.session_update(
            actor=request.user, session=session, subjects=data.pop("subjects"), **data
        )

    return _run_form(
        request, form, update, title=f"修改场次：{session.name}", back=_home(session.exam_id),
        success="场次已保存。",
    )  # fmt: skip


def _post_action(request, action, *, back, success):
    try:
        action()
    except ExamError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, success)
    return redirect(back)


@office_only
@require_POST
def session_delete(request, pk):
    session = get_object_or_404(ExamSession, pk=pk)
    return _post_action(
        request,
        lambda: seating.session_delete(actor=request.user, session=session),
        back=_home(session.exam_id),
        success="场次已删除。",
    )


# --- Sites and rooms ---------------------------------------------------------------------------


@office_only
@require_http_methods(["GET", "POST"])
def site_create(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = f.SiteForm(request.POST or None, exam=exam, initial={"area": request.GET.get("area")})
    made = {}

    def create():
        made["site"] = seating.site_create(actor=request.user, exam=exam, **form.cleaned_data)

    response = _run_form(
        request, form, create, title="新增考点", back=_home(exam.pk), success="已新增考点。",
        intro="考点通常是一所学校；监考人员不会来自考点所在学校。",
    )  # fmt: skip
    if "site" in made:
        return redirect("exams:seating_site", pk=made["site"].pk)
    return response


@office_only
def site_detail(request, pk):
    site = get_object_or_404(ExamSite.objects.select_related("exam", "area"), pk=pk)
    rooms = site.rooms.annotate(seated=Count("seats")).order_by("code")
    return render(
        request,
        "exams/seating/site.html",
        {"site": site, "exam": site.exam, "rooms": rooms, "add_form": f.RoomsAddForm()},
    )


@office_only
@require_http_methods(["GET", "POST"])
def site_edit(request, pk):
    site = get_object_or_404(ExamSite.objects.select_related("exam"), pk=pk)
    form = f.SiteForm(request.POST or None, instance=site, exam=site.exam)
    back = reverse("exams:seating_site", args=[site.pk])
    return _run_form(
        request,
        form,
        lambda: seating.site_update(actor=request.user, site=site, **form.cleaned_data),
        title=f"修改考点：{site.name}",
        back=back,
        success="考点已保存。",
    )


@office_only
@require_POST
def site_delete(request, pk):
    site = get_object_or_404(ExamSite, pk=pk)
    try:
        seating.site_delete(actor=request.user, site=site)
    except ExamError as e:
        messages.error(request, e.message)
        return redirect("exams:seating_site", pk=site.pk)
    messages.success(request, "考点已删除。")
    return redirect(_home(site.exam_id))


@office_only
@require_POST
def rooms_add(request, pk):
    site = get_object_or_404(ExamSite.objects.select_related("exam", "area"), pk=pk)
    form = f.RoomsAddForm(request.POST)
    if form.is_valid():
        try:
            rooms = seating.rooms_add(actor=request.user, site=site, **form.cleaned_data)
        except ExamError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(
                request, f"已增加{len(rooms)}个考场（{rooms[0].code}–{rooms[-1].code}）。"
            )
            return redirect("exams:seating_site", pk=site.pk)
    rooms = site.rooms.annotate(seated=Count("seats")).order_by("code")
    context = {"site": site, "exam": site.exam, "rooms": rooms, "add_form": form}
    return render(request, "exams/seating/site.html", context, status=400)


@office_only
def room_detail(request, pk):
    room = get_object_or_404(ExamRoom.objects.select_related("site__exam", "site__area"), pk=pk)
    seats = room.seats.select_related("application__candidate", "application__position").order_by(
        "number"
    )
    return render(
        request,
        "exams/seating/room.html",
        {"room": room, "site": room.site, "exam": room.site.exam, "seats": seats},
    )


@office_only
@require_http_methods(["GET", "POST"])
def room_edit(request, pk):
    room = get_object_or_404(ExamRoom.objects.select_related("site"), pk=pk)
    form = f.RoomForm(request.POST or None, instance=room)
    return _run_form(
        request,
        form,
        lambda: seating.room_update(actor=request.user, room=room, **form.cleaned_data),
        title=f"修改考场：{room}",
        back=reverse("exams:seating_site", args=[room.site_id]),
        success="考场已保存。",
    )


@office_only
@require_POST
def room_delete(request, pk):
    room = get_object_or_404(ExamRoom, pk=pk)
    return _post_action(
        request,
        lambda: seating.room_delete(actor=request.user, room=room),
        back=reverse("exams:seating_site", args=[room.site_id]),
        success="考场已删除。",
    )


# --- The draw ----------------------------------------------------------------------------------


@office_only
@require_http_methods(["GET", "POST"])
def assign(request, exam_pk):
    """The seed is drawn by the server at the moment of the draw (nobody can pick one) and shown
    big on the next page for the witnesses to read out and sign."""
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = f.AssignForm(request.POST or None, exam=exam)
    if request.method == "POST" and form.is_valid():
        witnesses = form.cleaned_data["witnesses"]
        try:
            if form.cleaned_data["area"]:
                area = get_object_or_404(exam.areas, pk=form.cleaned_data["area"])
                made = [
                    seating.seats_assign(
                        actor=request.user, exam=exam, area=area, witnesses=witnesses
                    )
                ]
            else:
                made = seating.seats_assign_exam(actor=request.user, exam=exam, witnesses=witnesses)
        except ExamError as e:
            form.add_error("witnesses" if e.field == "witnesses" else None, e.message)
        else:
            ids = ",".join(str(d.pk) for d in made)
            return redirect(reverse("exams:seating_draw", args=[made[0].pk]) + f"?batch={ids}")
    return render(
        request,
        "exams/seating/assign.html",
        {"exam": exam, "form": form, "areas": seating.area_overview(exam)},
    )


@office_only
def draw_detail(request, pk):
    draw = get_object_or_404(
        Draw.objects.select_related("exam", "drawn_by"), pk=pk, kind=DrawKind.SEATS
    )
    ids = [int(x) for x in request.GET.get("batch", "").split(",") if x.isdigit()]
    together = (
        Draw.objects.filter(pk__in=ids, exam=draw.exam, seed=draw.seed).order_by("scope")
        if ids
        else [draw]
    )
    return render(
        request,
        "exams/seating/draw.html",
        {"draw": draw, "exam": draw.exam, "together": together, "check": None},
    )


@office_only
@require_POST
def draw_verify(request, pk):
    draw = get_object_or_404(Draw.objects.select_related("exam"), pk=pk, kind=DrawKind.SEATS)
    try:
        check = draws.verify(draw)
    except ExamError as e:
        messages.error(request, f"无法重现：{e.message}")
        return redirect("exams:seating_draw", pk=draw.pk)
    return render(
        request,
        "exams/seating/draw.html",
        {"draw": draw, "exam": draw.exam, "together": [draw], "check": check},
    )


# --- Tickets -----------------------------------------------------------------------------------


@office_only
def office_ticket(request, pk):
    """Any candidate's ticket for the office (reprint at the site), whatever the window."""
    seat = get_object_or_404(tickets.seats_with_details(), pk=pk)
    return _pdf(tickets.ticket_pdf(seat), f"{seat.ticket_number}.pdf")


@office_only
@require_POST
def batch_start(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    try:
        batch = tickets.ticket_batch_start(actor=request.user, exam=exam)
    except ExamError as e:
        messages.error(request, e.message)
        return redirect(_home(exam.pk))
    return redirect("exams:ticket_batch", pk=batch.pk)


@office_only
def batch_detail(request, pk):
    batch = get_object_or_404(TicketBatch.objects.select_related("exam"), pk=pk)
    return render(
        request,
        "exams/seating/batch.html",
        {"batch": batch, "exam": batch.exam, "percent": tickets.batch_percent(batch)},
    )


@office_only
def batch_status(request, pk):
    batch = get_object_or_404(TicketBatch, pk=pk)
    return JsonResponse(
        {
            "status": batch.status,
            "done": batch.done,
            "total": batch.total,
            "percent": tickets.batch_percent(batch),
            "finished": batch.status in ("done", "failed"),
            "error": batch.error,
        }
    )


@office_only
def batch_download(request, pk):
    batch = get_object_or_404(TicketBatch.objects.select_related("exam"), pk=pk, status="done")
    if not batch.file:
        raise Http404
    try:
        handle = batch.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=f"准考证_{batch.exam.code}.zip")


@role_required(CHECK_TICKETS)
@require_http_methods(["GET", "POST"])
def verify_ticket(request):
    form = f.VerifyForm(request.POST or None)
    outcome = tickets.check_qr(form.cleaned_data["text"]) if form.is_valid() else None
    return render(request, "exams/seating/verify.html", {"form": form, "outcome": outcome})


@candidate_required
def candidate_ticket(request, application_pk):
    application = get_object_or_404(
        Application.objects.select_related("exam"), pk=application_pk, candidate=request.candidate
    )
    problem = tickets.window_problem(application.exam)
    seat = None
    if problem is None:
        seat = tickets.seats_with_details().filter(application=application).first()
        if seat is None:
            problem = "您的考场座位尚未编排，请稍后再来打印准考证。"
    if problem:
        return render(
            request,
            "exams/seating/ticket_unavailable.html",
            {"application": application, "exam": application.exam, "problem": problem},
            status=403,
        )
    return _pdf(tickets.ticket_pdf(seat), f"准考证_{seat.ticket_number}.pdf")
