"""Written scores and the interview shortlist: the exam office's pages (rules, import, publication,
reviews, shortlist), the candidate's own scores and review requests, and a public lookup by ticket
number and ID number (rate-limited). Outsiders get 404."""

import secrets

from django import forms
from django.contrib import messages
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from renshi.core import crypto, idnumbers
from renshi.core.decorators import role_required
from renshi.core.roles import RUN_EXAMS
from renshi.exams import scores_import, throttle
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Application,
    Exam,
    Position,
    PositionStatus,
    Result,
    ReviewRequestStatus,
    ScoreReviewRequest,
    Seat,
    ShortlistEntry,
    ShortlistStatus,
)
from renshi.exams.services import scores as services
from renshi.exams.services import shortlist
from renshi.exams.views import candidate as candidate_views
from renshi.exams.views.apply import candidate_required
from renshi.exams.views.office import TOKEN_RE, _run_form, _try
from renshi.personnel import import_jobs

office_only = role_required(RUN_EXAMS)
SESSION_KEY = "exam_score_imports"
SHOWN_ERRORS = 500
LOOKUPS_PER_HOUR = 20
LOOKUPS_PER_TICKET = 10
DATETIME = {"type": "datetime-local"}


def _exam_url(exam) -> str:
    return reverse("exams:scores_exam", args=[exam.pk])


# --- Office: overview, rules, publication ----------------------------------------------------


@office_only
def exam_scores(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    rules = services.rules_for(exam)
    results = Result.objects.filter(application__exam=exam)
    result = "applications__result"
    positions = (
        Position.objects.filter(exam=exam)
        .exclude(status=PositionStatus.CANCELLED)
        .annotate(
            scored=Count(result, distinct=True, filter=Q(**{f"{result}__written__isnull": False})),
            passed=Count(result, distinct=True, filter=Q(**{f"{result}__written_passed": True})),
            listed=Count("shortlist", distinct=True),
        )
        .order_by("code")
    )
    for position in positions:
        position.quota = shortlist.quota(position, rules)
    subjects = {s.code: s for s in exam.subjects.all()}
    names = {code: s.name for code, s in subjects.items()}
    return render(
        request,
        "exams/scores/exam.html",
        {
            "exam": exam,
            "rules": rules,
            "weights": [(names.get(c, c), w) for c, w in rules.subject_weights.items()],
            "lines": [(names.get(c, c), v) for c, v in (rules.min_subject or {}).items()],
            "tie_break": [services.tie_break_label(t, subjects) for t in rules.tie_break or []],
            "seated": services.seated(exam).count(),
            "scored": results.filter(written__isnull=False).count(),
            "passed": results.filter(written_passed=True).count(),
            "published": services.published(rules),
            "pending_reviews": ScoreReviewRequest.objects.filter(
                application__exam=exam, status=ReviewRequestStatus.PENDING
            ).count(),
            "positions": positions,
            "build_problems": shortlist.build_problems(exam, rules) if rules.pk else [],
            "publish_form": PublishForm(),
        },
    )


class RulesForm(forms.Form):
    """One weight and one optional line per subject, the total line, the ratio, the tie-breaks."""

    min_written = forms.DecimalField(label="笔试最低合格分数线（总分）", min_value=0, max_value=100)
    interview_ratio = forms.IntegerField(
        label="面试比例 1:N（职位表另有规定的从其规定）", min_value=1, max_value=10
    )
    tie_break = forms.CharField(
        label="综合成绩同分排序（依次比较）",
        required=False,
        help_text="用逗号分隔：written 笔试成绩、interview 面试成绩、subject:科目代码",
    )

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects = subjects
        for s in subjects:
            self.fields[f"weight_{s.code}"] = forms.CharField(
                label=f"{s.name}权重", required=False, help_text="如 0.5；不计入笔试成绩的留空"
            )
            self.fields[f"line_{s.code}"] = forms.CharField(
                label=f"{s.name}单科分数线", required=False, help_text="可留空"
            )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "subject_weights": {s.code: data[f"weight_{s.code}"] for s in self.subjects},
            "min_subject": {s.code: data[f"line_{s.code}"] for s in self.subjects},
            "min_written": data["min_written"],
            "interview_ratio": data["interview_ratio"],
            "tie_break": [x for x in data["tie_break"].replace("，", ",").split(",") if x.strip()],
        }


@office_only
@require_http_methods(["GET", "POST"])
def rules_edit(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    rules = services.rules_for(exam)
    subjects = list(exam.subjects.all())
    initial = {
        "min_written": rules.min_written,
        "interview_ratio": rules.interview_ratio,
        "tie_break": ", ".join(rules.tie_break or []),
        **{f"weight_{c}": w for c, w in rules.subject_weights.items()},
        **{f"line_{c}": v for c, v in (rules.min_subject or {}).items()},
    }
    form = RulesForm(request.POST or None, initial=initial, subjects=subjects)
    return _run_form(
        request,
        form,
        lambda: services.scoring_rules_save(actor=request.user, exam=exam, **form.values()),
        title=f"计分规则 · {exam.name}",
        back=_exam_url(exam),
        success="已保存计分规则。",
        intro="笔试成绩 = Σ 科目成绩 × 权重，四舍五入保留两位小数；各科权重之和须等于1"
        "（如 行测0.5 + 申论0.5；公安 0.4/0.3/0.3）。达到总分线和单科线者方可进入面试名单。",
    )


class PublishForm(forms.Form):
    published_at = forms.DateTimeField(
        label="成绩发布时间", widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    review_closes = forms.DateTimeField(
        label="复核申请截止（默认发布后3日）",
        required=False,
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )


@office_only
@require_POST
def publish(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正确的成绩发布时间")
    else:
        _try(
            request,
            lambda: services.scores_publish(actor=request.user, exam=exam, **form.cleaned_data),
            "已设定成绩发布时间，届时考生可查询成绩。",
        )
    return redirect(_exam_url(exam))


# --- Office: import ---------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(label="成绩文件（.xlsx）")


@office_only
def import_template(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    response = HttpResponse(
        scores_import.template_workbook(exam),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''scores-{exam.code}.xlsx"
    return response


@office_only
@require_http_methods(["GET", "POST"])
def import_upload(request, exam_pk):
    """Upload → dry run listing every error by row and column (nothing written yet)."""
    exam = get_object_or_404(Exam, pk=exam_pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > scores_import.MAX_BYTES:
            form.add_error("file", "文件过大，不能超过10 MB")
        else:
            data = upload.read()
            report = scores_import.score_check(data, exam)
            if report.fatal:
                form.add_error("file", report.fatal)
            else:
                token = secrets.token_urlsafe(18)
                import_jobs.upload_path(token).write_bytes(data)
                uploads = request.session.get(SESSION_KEY, {})
                uploads[token] = {"filename": upload.name[:120], "exam": exam.pk}
                request.session[SESSION_KEY] = uploads
                return _render_report(request, exam, report, token, upload.name)
    status = 400 if request.method == "POST" else 200
    return render(request, "exams/scores/import.html", {"exam": exam, "form": form}, status=status)


def _render_report(request, exam, report, token, filename, problem=""):
    return render(
        request,
        "exams/scores/import_report.html",
        {
            "exam": exam,
            "report": report,
            "counts": report.counts,
            "errors": report.errors[:SHOWN_ERRORS],
            "error_count": len(report.errors),
            "token": token,
            "filename": filename,
            "problem": problem,
        },
    )


@office_only
@require_POST
def import_confirm(request, exam_pk, token):
    exam = get_object_or_404(Exam, pk=exam_pk)
    stored = request.session.get(SESSION_KEY, {}).get(token)
    path = import_jobs.upload_path(token)
    if not TOKEN_RE.match(token) or not stored or stored["exam"] != exam.pk or not path.exists():
        raise Http404
    report = scores_import.score_check(path.read_bytes(), exam)
    try:
        result = scores_import.score_import(
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
        f"成绩已导入：{result.written}个科目成绩"
        + (f"，跳过有错误的{result.skipped}行" if result.skipped else "")
        + f"；{result.results}名考生的笔试成绩或排名有变化",
    )
    return redirect(_exam_url(exam))


# --- Office: reviews ----------------------------------------------------------------------------


@office_only
def review_list(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    reviews = (
        ScoreReviewRequest.objects.filter(application__exam=exam)
        .select_related("application__candidate", "application__position", "application__seat")
        .select_related("subject")
        .order_by("status", "created_at", "pk")
    )
    return render(request, "exams/scores/reviews.html", {"exam": exam, "reviews": reviews})


@office_only
@require_POST
def review_decide(request, pk):
    review = get_object_or_404(ScoreReviewRequest.objects.select_related("application"), pk=pk)
    corrected = request.POST.get("outcome") == "corrected"
    _try(
        request,
        lambda: services.review_request_decide(
            actor=request.user,
            review_id=review.pk,
            corrected=corrected,
            new_score=request.POST.get("new_score", ""),
            note=request.POST.get("note", ""),
        ),
        "已记录复核结果" + ("，成绩与排名已重新计算。" if corrected else "。"),
    )
    return redirect("exams:scores_reviews", review.application.exam_id)


# --- Office: shortlist ----------------------------------------------------------------------------


@office_only
@require_POST
def shortlist_build(request, exam_pk):
    exam = get_object_or_404(Exam, pk=exam_pk)
    _try(
        request,
        lambda: shortlist.shortlist_build(actor=request.user, exam=exam),
        "已按笔试排名和面试比例确定面试名单。",
    )
    return redirect(_exam_url(exam))


@office_only
def position_scores(request, exam_pk, position_pk):
    position = get_object_or_404(
        Position.objects.select_related("exam"), pk=position_pk, exam_id=exam_pk
    )
    rules = services.rules_for(position.exam)
    results = (
        Result.objects.filter(application__position=position)
        .select_related("application__candidate", "application__seat")
        .order_by(F("written_rank").asc(nulls_last=True), "application_id")
    )
    entries = (
        ShortlistEntry.objects.filter(position=position)
        .select_related("application__candidate", "replaces__application__candidate")
        .annotate(replacements=Count("replaced_by"))
    )
    return render(
        request,
        "exams/scores/position.html",
        {
            "exam": position.exam,
            "position": position,
            "rules": rules,
            "ratio": shortlist.ratio_for(position, rules),
            "quota": shortlist.quota(position, rules),
            "results": results,
            "entries": entries,
            "listed": {e.application_id for e in entries},
            "active": sum(e.status in shortlist.ACTIVE for e in entries),
            "out": shortlist.OUT,
            "decisions": [
                (ShortlistStatus.QUALIFIED, "资格复审合格"),
                (ShortlistStatus.DISQUALIFIED, "资格复审不合格"),
                (ShortlistStatus.WITHDRAWN, "放弃"),
            ],
        },
    )


def _entry_redirect(entry):
    return redirect("exams:scores_position", entry.position.exam_id, entry.position_id)


@office_only
@require_POST
def entry_decide(request, pk):
    entry = get_object_or_404(ShortlistEntry.objects.select_related("position"), pk=pk)
    _try(
        request,
        lambda: shortlist.entry_decide(
            actor=request.user,
            entry_id=entry.pk,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        ),
        "已记录。",
    )
    return _entry_redirect(entry)


@office_only
@require_POST
def entry_replace(request, pk):
    entry = get_object_or_404(ShortlistEntry.objects.select_related("position"), pk=pk)
    _try(
        request,
        lambda: shortlist.shortlist_replace(
            actor=request.user, entry_id=entry.pk, reason=request.POST.get("reason", "")
        ),
        "已从下一名次递补。",
    )
    return _entry_redirect(entry)


# --- Candidates -----------------------------------------------------------------------------------


def _sheet_context(application, now):
    rules = services.rules_for(application.exam)
    context = {"application": application, "exam": application.exam, "rules": rules}
    if not services.published(rules, now):
        return context | {"published": False}
    return context | {"published": True, **services.score_sheet(application)}


@candidate_required
def my_scores(request, application_pk):
    application = get_object_or_404(
        Application.objects.select_related("exam", "position", "seat"),
        pk=application_pk,
        candidate=request.candidate,
    )
    now = timezone.now()
    context = _sheet_context(application, now)
    reviews = {r.subject_id: r for r in application.score_reviews.select_related("subject")}
    context.update(
        reviews=reviews.values(),
        can_review=services.review_open(context["rules"], now),
        reviewable=[s for s, _score in context.get("subjects", []) if s.pk not in reviews],
    )
    return render(request, "exams/scores/mine.html", context)


@candidate_required
@require_POST
def review_request(request, application_pk):
    application = get_object_or_404(Application, pk=application_pk, candidate=request.candidate)
    try:
        services.review_request_submit(
            candidate=request.candidate,
            application_id=application.pk,
            subject_id=request.POST.get("subject") or 0,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "复核申请已提交，结果将以短信通知并在本页显示。")
    except ExamError as e:
        messages.error(request, e.message)
    return redirect("exams:scores_mine", application.pk)


class LookupForm(forms.Form):
    ticket = forms.CharField(label="准考证号", max_length=20)
    id_number = forms.CharField(label="公民身份号码", max_length=18)
    captcha = forms.CharField(label="图形验证码", max_length=8, required=False)


CAPTCHA_PURPOSE = "scores"


@require_http_methods(["GET", "POST"])
def lookup(request):
    """Anyone with the ticket number and the ID number it belongs to; 20 tries an hour per
    address and 10 per ticket, a captcha after 3 misses from an address (the candidate login's),
    and the same answer for a wrong ticket and a wrong ID number."""
    form = LookupForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        ticket = form.cleaned_data["ticket"].strip()
        by_address = throttle.hit(f"scores-lookup:{throttle.client_ip(request)}", window=3600)
        # Per ticket too: many addresses guessing one ticket's ID number get nowhere either.
        by_ticket = throttle.hit(f"scores-lookup-ticket:{ticket[:20]}", window=3600)
        needed = candidate_views.captcha_needed(request, CAPTCHA_PURPOSE)
        if by_address > LOOKUPS_PER_HOUR or by_ticket > LOOKUPS_PER_TICKET:
            form.add_error(None, "查询过于频繁，请一小时后再试")
        elif candidate_views.captcha_passed(request, form, CAPTCHA_PURPOSE, needed):
            application = _lookup(form.cleaned_data["ticket"], form.cleaned_data["id_number"])
            if application is None:
                # Counted per address: a fresh cookie must not buy a fresh set of guesses.
                candidate_views.count_attempt(request, CAPTCHA_PURPOSE, in_session=False)
                form.add_error(None, "准考证号或公民身份号码不正确")
            else:
                context.update(_sheet_context(application, timezone.now()), found=True)
    context["captcha"] = candidate_views.captcha_needed(request, CAPTCHA_PURPOSE)
    status = 400 if form.errors else 200
    return render(request, "exams/scores/lookup.html", context, status=status)


def _lookup(ticket, id_number):
    seat = (
        Seat.objects.select_related("application__exam", "application__position")
        .select_related("application__candidate")
        .filter(ticket_number=ticket.strip())
        .first()
    )
    if seat is None:
        return None
    hashed = crypto.blind_index(idnumbers.normalize(id_number))
    application = seat.application
    return application if application.candidate.id_number_hash == hashed else None
