"""Staff pages under /sunshine/manage/: notices, objection tasks, reports and their statistics."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renshi.core.decorators import role_required
from renshi.core.roles import has_role
from renshi.sunshine import exam_source, selectors, services, statistics
from renshi.sunshine.errors import SunshineError
from renshi.sunshine.forms import (
    FindingsForm,
    NoticeForm,
    ObjectionAnswerForm,
    ReportAnswerForm,
    RouteForm,
    WithdrawForm,
)
from renshi.sunshine.models import DEFAULT_WORKDAYS, Notice, ObjectionStatus, ReportStatus
from renshi.sunshine.roles import (
    HANDLE_OBJECTIONS,
    IMPORT_FROM_EXAMS,
    MANAGE_NOTICES,
    OVERSEE,
    REPORT_STATS,
    SEE_REPORTER,
    STAFF,
    VIEW_REPORTS,
)


def _render(request, template, context, status=200):
    user = request.user
    context["perms_nav"] = {
        "notices": has_role(user, HANDLE_OBJECTIONS),
        "edit": has_role(user, MANAGE_NOTICES),
        "import": has_role(user, IMPORT_FROM_EXAMS),
        "stats": has_role(user, REPORT_STATS),
    }
    return render(request, template, context, status=status)


def _run(request, action, success, **kwargs):
    try:
        result = action(actor=request.user, **kwargs)
    except SunshineError as e:
        messages.error(request, e.message)
        return None
    messages.success(request, success)
    return result


@role_required(STAFF)
def home(request):
    if has_role(request.user, MANAGE_NOTICES | OVERSEE):
        return redirect("sunshine:manage_notices")
    return redirect("sunshine:manage_reports")


@role_required(MANAGE_NOTICES | OVERSEE)
def manage_notices(request):
    notices = selectors.managed_notices(request.user).order_by("-created_at", "-id")
    importable = []
    if has_role(request.user, IMPORT_FROM_EXAMS):
        sources = Notice.objects.exclude(source=None).values_list("source", flat=True)
        importable = exam_source.importable(list(sources))
    context = {"notices": notices, "importable": importable}
    return _render(request, "sunshine/manage/notices.html", context)


@role_required(MANAGE_NOTICES)
def notice_new(request):
    initial = {"workdays": DEFAULT_WORKDAYS["title"]}
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        table = data.pop("table")
        if request.user.role != "section_chief":
            data["section"] = request.user.role  # a section publishes its own notices
        try:
            notice = services.notice_create(
                actor=request.user, columns=table[:1] and table[0], rows=table[1:], **data
            )
        except SunshineError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, "公示草稿已保存，核对后发布。")
            return redirect("sunshine:manage_notice", pk=notice.pk)
    status = 400 if form.errors else 200
    return _render(request, "sunshine/manage/notice_new.html", {"form": form}, status=status)


def _my_notice(request, pk):
    return get_object_or_404(selectors.managed_notices(request.user), pk=pk)


@role_required(MANAGE_NOTICES | OVERSEE)
def manage_notice(request, pk):
    notice = _my_notice(request, pk)
    context = {
        "notice": notice,
        "phase": notice.phase(),
        "objections": notice.objections.all(),
        "withdraw_form": WithdrawForm(),
        "can_edit": has_role(request.user, MANAGE_NOTICES),
    }
    return _render(request, "sunshine/manage/notice.html", context)


@require_POST
@role_required(MANAGE_NOTICES)
def notice_publish(request, pk):
    notice = _my_notice(request, pk)
    _run(request, services.notice_publish, "公示已发布。", notice_id=notice.pk)
    return redirect("sunshine:manage_notice", pk=notice.pk)


@require_POST
@role_required(MANAGE_NOTICES)
def notice_withdraw(request, pk):
    notice = _my_notice(request, pk)
    reason = request.POST.get("reason", "")
    _run(request, services.notice_withdraw, "公示已撤回。", notice_id=notice.pk, reason=reason)
    return redirect("sunshine:manage_notice", pk=notice.pk)


@require_POST
@role_required(IMPORT_FROM_EXAMS)
def import_exam(request, hire_id):
    notice = _run(
        request, services.notice_from_exam, "已从考试导入拟录用名单并发布公示。",
        hire_notice_id=hire_id,
    )  # fmt: skip
    if notice is None:
        return redirect("sunshine:manage_notices")
    return redirect("sunshine:manage_notice", pk=notice.pk)


@role_required(HANDLE_OBJECTIONS)
def objection_list(request):
    status = request.GET.get("status", ObjectionStatus.RECEIVED)
    tasks = selectors.objection_tasks(request.user)
    if status in ObjectionStatus.values:
        tasks = tasks.filter(status=status)
    context = {"objections": tasks[:200], "status": status, "statuses": ObjectionStatus.choices}
    return _render(request, "sunshine/manage/objections.html", context)


@role_required(HANDLE_OBJECTIONS)
def objection_detail(request, pk):
    objection = get_object_or_404(selectors.objection_tasks(request.user), pk=pk)
    form = ObjectionAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request, services.objection_answer, "异议已答复。", objection_id=objection.pk,
            **form.cleaned_data,
        )  # fmt: skip
        if done:
            return redirect("sunshine:manage_objections")
    context = {"objection": objection, "form": form}
    return _render(request, "sunshine/manage/objection.html", context)


@role_required(HANDLE_OBJECTIONS)
def objection_attachment(request, pk):
    objection = get_object_or_404(selectors.objection_tasks(request.user), pk=pk)
    if not objection.attachment:
        raise Http404
    return FileResponse(objection.attachment.open("rb"), as_attachment=True)


@role_required(VIEW_REPORTS)
def report_list(request):
    status = request.GET.get("status", "")
    reports = selectors.visible_reports(request.user)
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    context = {"reports": reports[:200], "status": status, "statuses": ReportStatus.choices}
    return _render(request, "sunshine/manage/reports.html", context)


@role_required(VIEW_REPORTS)
def report_detail(request, pk):
    report = get_object_or_404(selectors.visible_reports(request.user), pk=pk)
    discipline = has_role(request.user, SEE_REPORTER)
    context = {
        "report": report,
        "identity": services.report_identity_read(actor=request.user, report=report),
        "discipline": discipline,
        "can_handle": report.status == ReportStatus.ROUTED and report.section == request.user.role,
        "route_form": RouteForm(initial={"section": report.section or None}),
        "findings_form": FindingsForm(),
        "answer_form": ReportAnswerForm(),
    }
    return _render(request, "sunshine/manage/report.html", context)


def _report_action(request, pk, action, form_class, success):
    report = get_object_or_404(selectors.visible_reports(request.user), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        _run(request, action, success, report_id=report.pk, **form.cleaned_data)
    else:
        messages.error(request, next(iter(form.errors.values()))[0])
    return redirect("sunshine:manage_report", pk=report.pk)


@require_POST
@role_required(SEE_REPORTER)
def report_route(request, pk):
    return _report_action(request, pk, services.report_route, RouteForm, "已转交承办科室。")


@require_POST
@role_required(VIEW_REPORTS)
def report_handle(request, pk):
    report = get_object_or_404(selectors.visible_reports(request.user), pk=pk)
    if report.section != request.user.role:
        raise Http404
    return _report_action(request, pk, services.report_handle, FindingsForm, "办理情况已提交。")


@require_POST
@role_required(SEE_REPORTER)
def report_answer(request, pk):
    return _report_action(request, pk, services.report_answer, ReportAnswerForm, "已答复举报人。")


@role_required(VIEW_REPORTS)
def report_attachment(request, pk, attachment_id):
    report = get_object_or_404(selectors.visible_reports(request.user), pk=pk)
    attachment = get_object_or_404(report.attachments, pk=attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@role_required(REPORT_STATS)
def report_stats(request):
    return _render(request, "sunshine/manage/stats.html", {"stats": statistics.report_stats()})
