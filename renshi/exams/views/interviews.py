"""Interviews and hiring: the examiner pool, panels and draws (exam office), score entry
(examiners, by order number only), composite ranking, physical examination, inspection and the
proposed-hire notice; the published notice is public. Outsiders get 404."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from renshi.core.decorators import role_required
from renshi.core.models import User
from renshi.core.roles import RUN_EXAMS, Role
from renshi.exams import examiners_import
from renshi.exams import forms_interviews as f
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Exam,
    Examiner,
    HireNotice,
    HireNoticeStatus,
    HireStep,
    InterviewPanel,
    InterviewSlot,
    Objection,
)
from renshi.exams.positions_import import CellError
from renshi.exams.services import hiring, panels
from renshi.exams.services import scores as scores_service

office_only = role_required(RUN_EXAMS)
examiner_only = role_required({Role.EXAMINER})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _try(request, action, success) -> bool:
    """Run a service; its Chinese message goes to the page either way."""
    try:
        outcome = action()
    except ExamError as e:
        messages.error(request, e.message)
        return False
    messages.success(request, success if isinstance(success, str) else success(outcome))
    return True


# --- Examiner pool ---------------------------------------------------------------------------


@office_only
def examiner_list(request):
    examiners = Examiner.objects.select_related("user").order_by("city", "unit_name", "name", "pk")
    return render(request, "exams/interviews/examiner_list.html", {"examiners": examiners})


@office_only
@require_http_methods(["GET", "POST"])
def examiner_create(request):
    form = f.ExaminerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        username = data.pop("login")
        login = (
            User.objects.filter(username=username, role=Role.EXAMINER).first() if username else None
        )
        if username and login is None:
            form.add_error("login", f"找不到角色为“面试考官”的账号「{username}」")
        else:
            try:
                panels.examiner_create(actor=request.user, login=login, **data)
            except ExamError as e:
                form.add_error(e.field if e.field in form.fields else None, e.message)
            else:
                messages.success(request, f"已将{data['name']}加入考官库。")
                return redirect("exams:interviews_examiners")
    context = {
        "form": form,
        "title": "新增面试考官",
        "cancel_url": reverse("exams:interviews_examiners"),
    }
    return render(request, "personnel/form.html", context)


@office_only
@require_http_methods(["GET", "POST"])
def examiner_import(request):
    form = f.ExaminerImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > examiners_import.MAX_BYTES:
            form.add_error("file", "文件不能超过5 MB")
        else:
            report = examiners_import.examiner_check(upload.read())
            if not report.fatal and (not report.errors or form.cleaned_data["good_only"]):
                try:
                    count = examiners_import.examiner_import(
                        actor=request.user, report=report, good_only=form.cleaned_data["good_only"]
                    )
                except CellError as e:
                    form.add_error(None, str(e))
                else:
                    messages.success(request, f"已导入{count}名考官。")
                    return redirect("exams:interviews_examiners")
    status = 400 if report and (report.fatal or report.errors) else 200
    return render(
        request,
        "exams/interviews/examiner_import.html",
        {"form": form, "report": report},
        status=status,
    )


@office_only
def examiner_template(request):
    response = HttpResponse(examiners_import.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="examiners.xlsx"'
    return response


# --- Panels and draws ------------------------------------------------------------------------


@office_only
def exam_panels(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    rows = list(panels.panels_with_counts(exam))
    days = {}
    for panel in rows:
        days.setdefault(panel.date, []).append(panel)
    context = {
        "exam": exam,
        "days": sorted(days.items()),
        "rules": panels.rules_for(exam),
        "form": f.PanelForm(exam=exam),
        "draw_form": f.DrawForm(),
        "city": panels.exam_city(),
    }
    return render(request, "exams/interviews/exam_panels.html", context)


@office_only
@require_POST
def panel_create(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = f.PanelForm(request.POST, exam=exam)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("exams:interviews_exam", exam.pk)
    data = form.cleaned_data
    _try(
        request,
        lambda: panels.panel_create(
            actor=request.user, exam=exam, date=data["date"], code=data["code"], room=data["room"],
            position_ids=[p.pk for p in data["positions"]],
        ),
        "已设置考官组。",
    )  # fmt: skip
    return redirect("exams:interviews_exam", exam.pk)


@office_only
@require_POST
def examiners_draw(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = f.DrawForm(request.POST)
    if form.is_valid() and form.cleaned_data["date"]:
        data = form.cleaned_data
        _try(
            request,
            lambda: panels.examiners_draw(
                actor=request.user, exam=exam, date=data["date"], seed=data["seed"],
                witnesses=data["witnesses"],
            ),
            lambda draw: f"考官抽签完成，随机种子 {draw.seed}（抽签记录 #{draw.pk}）。",
        )  # fmt: skip
    else:
        messages.error(request, "请填写正确的面试日期和随机种子")
    return redirect("exams:interviews_exam", exam.pk)


@office_only
def panel_detail(request, pk):
    panel = get_object_or_404(
        InterviewPanel.objects.select_related("exam", "draw", "order_draw"), pk=pk
    )
    progress = panels.panel_progress(panel) if panel.order_draw_id else []
    complete = bool(progress) and all(row.complete for row in progress)
    context = {
        "panel": panel,
        "members": panel.members.select_related("examiner").order_by("-chief", "examiner__name"),
        "positions": panel.positions.order_by("code"),
        "progress": progress,
        "sheet": panels.panel_score_sheet(panel) if complete else None,
        "draw_form": f.DrawForm(),
        "city": panels.exam_city(),
    }
    return render(request, "exams/interviews/panel_detail.html", context)


@office_only
@require_POST
def order_draw(request, pk):
    panel = get_object_or_404(InterviewPanel, pk=pk)
    form = f.DrawForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    _try(
        request,
        lambda: panels.interview_order_draw(
            actor=request.user,
            panel=panel,
            seed=data.get("seed"),
            witnesses=data.get("witnesses", ""),
        ),
        lambda draw: f"面试顺序抽签完成，随机种子 {draw.seed}（抽签记录 #{draw.pk}）。",
    )
    return redirect("exams:interviews_panel", panel.pk)


@office_only
@require_POST
def slot_absent(request, pk):
    slot = get_object_or_404(InterviewSlot, pk=pk)
    absent = request.POST.get("absent") != "0"
    _try(
        request,
        lambda: panels.slot_mark_absent(actor=request.user, slot=slot, absent=absent),
        f"已将{slot.order}号考生{'标记为缺考' if absent else '恢复为到场'}。",
    )
    return redirect("exams:interviews_panel", slot.panel_id)


# --- Examiners enter their scores ------------------------------------------------------------


@examiner_only
def my_panels(request):
    examiner = panels.examiner_of(request.user)
    rows = panels.examiner_panels(examiner) if examiner else []
    return render(request, "exams/interviews/my_panels.html", {"panels": rows})


@examiner_only
@require_http_methods(["GET", "POST"])
def my_panel(request, pk):
    examiner = panels.examiner_of(request.user)
    panel = (
        get_object_or_404(InterviewPanel, pk=pk, members__examiner=examiner) if examiner else None
    )
    if panel is None:
        raise Http404
    if request.method == "POST":
        form = f.ScoreForm(request.POST)
        if form.is_valid():
            _try(
                request,
                lambda: panels.score_enter(
                    actor=request.user,
                    slot_id=form.cleaned_data["slot"],
                    score=form.cleaned_data["score"],
                ),
                lambda entry: f"已提交{entry.slot.order}号考生的评分 {entry.score}。",
            )
        return redirect("exams:interviews_my_panel", panel.pk)
    rows = panels.examiner_slots(examiner, panel)
    return render(request, "exams/interviews/my_panel.html", {"panel": panel, "rows": rows})


# --- Composite, physical examination, inspection ---------------------------------------------


@office_only
def exam_hiring(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    rules = panels.rules_for(exam)
    subjects_by_code = {s.code: s for s in exam.subjects.all()}
    tie_break = [scores_service.tie_break_label(item, subjects_by_code) for item in rules.tie_break]
    context = {
        "exam": exam,
        "rules": rules,
        "tie_break": tie_break,
        "weights_form": f.WeightsForm(
            initial={
                "written_weight": rules.written_weight,
                "interview_weight": rules.interview_weight,
            }
        ),
        "results": hiring.ranking(exam),
        "steps": HireStep.objects.filter(application__exam=exam)
        .select_related("application__candidate", "application__position", "application__result")
        .order_by("application__position__code", "called_round"),
        "notices": exam.hire_notices.order_by("-pk"),
        "step_form": f.StepForm(),
        "notice_days": hiring.notice_days(exam),
    }
    return render(request, "exams/interviews/hiring.html", context)


@office_only
@require_POST
def weights_save(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    _try(
        request,
        lambda: hiring.composite_weights_save(
            actor=request.user, exam=exam, written_weight=request.POST.get("written_weight", ""),
            interview_weight=request.POST.get("interview_weight", ""),
        ),
        "已保存综合成绩权重。",
    )  # fmt: skip
    return redirect("exams:interviews_hiring", exam.pk)


def _hiring_action(service, success):
    """An exam-wide step of the hiring page: run it, say what happened, back to the page."""

    @office_only
    @require_POST
    def view(request, exam_pk):
        exam = get_object_or_404(Exam, pk=exam_pk)
        _try(request, lambda: service(actor=request.user, exam=exam), success)
        return redirect("exams:interviews_hiring", exam.pk)

    return view


composite_compute = _hiring_action(
    hiring.composite_compute, lambda n: f"已计算综合成绩，{n}名面试合格考生参加排名。"
)
physical_list = _hiring_action(
    hiring.physical_list_make, lambda n: f"已按综合排名等额确定{n}名体检人选。"
)


@office_only
@require_POST
def step_record(request, pk, stage):
    step = get_object_or_404(HireStep.objects.select_related("application"), pk=pk)
    form = f.StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择结果")
    else:
        _try(
            request,
            lambda: hiring.step_record(
                actor=request.user, step_id=step.pk, stage=stage,
                outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"],
            ),
            lambda replaced: "已记录。" + (replaced.message if replaced else ""),
        )  # fmt: skip
    return redirect("exams:interviews_hiring", step.application.exam_id)


# --- Proposed-hire notice --------------------------------------------------------------------


@office_only
@require_POST
def notice_create(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    made = {}

    def create():
        made["notice"] = hiring.notice_create(
            actor=request.user, exam=exam, title=request.POST.get("title", "")
        )

    if _try(request, create, "已生成拟录用公示（草稿）。"):
        return redirect("exams:interviews_notice", made["notice"].pk)
    return redirect("exams:interviews_hiring", exam.pk)


@office_only
def notice_detail(request, pk):
    notice = get_object_or_404(HireNotice.objects.select_related("exam"), pk=pk)
    context = {
        "notice": notice,
        "rows": hiring.notice_rows(notice),
        "objections": notice.objections.order_by("received_at"),
        "objection_form": f.ObjectionForm(),
        "decide_form": f.DecideForm(),
        "notice_days": hiring.notice_days(notice.exam),
    }
    return render(request, "exams/interviews/notice_detail.html", context)


@office_only
@require_POST
def notice_publish(request, pk):
    notice = get_object_or_404(HireNotice, pk=pk)
    _try(
        request,
        lambda: hiring.notice_publish(actor=request.user, notice_id=notice.pk),
        lambda n: f"已发布公示，公示期至{n.ends_on:%Y年%m月%d日}。",
    )
    return redirect("exams:interviews_notice", notice.pk)


@office_only
@require_POST
def objection_create(request, pk):
    notice = get_object_or_404(HireNotice, pk=pk)
    form = f.ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写异议内容和反映人联系方式（不受理匿名异议）")
    else:
        data = form.cleaned_data
        _try(
            request,
            lambda: hiring.objection_record(
                actor=request.user, notice_id=notice.pk, text=data["text"], contact=data["contact"],
                application_id=data["application"],
            ),
            "已登记异议。",
        )  # fmt: skip
    return redirect("exams:interviews_notice", notice.pk)


@office_only
@require_POST
def objection_decide(request, pk):
    objection = get_object_or_404(Objection, pk=pk)
    _try(
        request,
        lambda: hiring.objection_decide(
            actor=request.user, objection_id=objection.pk, outcome=request.POST.get("outcome", "")
        ),
        "已记录核查结果。",
    )
    return redirect("exams:interviews_notice", objection.notice_id)


@office_only
@require_POST
def notice_finalise(request, pk):
    notice = get_object_or_404(HireNotice, pk=pk)
    _try(
        request,
        lambda: hiring.notice_finalise(actor=request.user, notice_id=notice.pk),
        "拟录用名单已确定。",
    )
    return redirect("exams:interviews_notice", notice.pk)


# --- Public ----------------------------------------------------------------------------------

PUBLIC_STATUSES = (HireNoticeStatus.PUBLISHED, HireNoticeStatus.FINAL)


def public_notices(request):
    notices = (
        HireNotice.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("exam")
        .order_by("-published_at")
    )
    return render(request, "exams/interviews/public_notices.html", {"notices": notices})


def public_notice(request, pk):
    notice = get_object_or_404(
        HireNotice.objects.select_related("exam"), pk=pk, status__in=PUBLIC_STATUSES
    )
    return render(
        request,
        "exams/interviews/public_notice.html",
        {"notice": notice, "rows": hiring.notice_rows(notice)},
    )
