"""Public pages: notices and objections, reports and the tracking lookups."""

import hmac

from django.contrib.auth.hashers import check_password, make_password
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from renshi.exams import throttle
from renshi.sunshine import pages, selectors, services
from renshi.sunshine.errors import SunshineError
from renshi.sunshine.forms import LookupForm, ObjectionForm, ObjectionLookupForm, ReportForm
from renshi.sunshine.models import NAMED_ONLY, NoticeKind, Objection, Report

LOOKUPS_PER_HOUR = 20  # per address
LOOKUPS_PER_CODE = 10  # per tracking code
FILINGS_PER_HOUR = 10  # objections or reports per address
TOO_MANY = "提交过于频繁，请一小时后再试"
WRONG = "查询码或密码不正确"
# Checked against when the code does not exist, so a wrong code costs as long as a wrong password.
_DUMMY_HASH = make_password("sunshine-no-such-report")


@require_http_methods(["GET"])
@pages.cached
def notices(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in NoticeKind.values else ""
    context = {"notices": selectors.public_notices(kind), "kinds": NoticeKind.choices}
    return render(request, "sunshine/notices.html", {**context, "kind": kind})


@require_http_methods(["GET"])
@pages.cached
def notice(request, pk):
    item = selectors.public_notice(pk)
    context = {"notice": item, "phase": item.phase(), "answers": selectors.public_answers(item)}
    return render(request, "sunshine/notice.html", context)


@require_http_methods(["GET", "POST"])
def objection_create(request, pk):
    item = selectors.public_notice(pk)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and _may_file(request, form):
        try:
            objection = services.objection_submit(notice_id=item.pk, **form.cleaned_data)
        except SunshineError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            request.session["sunshine_objection"] = objection.code
            return redirect("sunshine:objection_done", pk=item.pk)
    status = 400 if form.errors else 200
    context = {"notice": item, "phase": item.phase(), "form": form}
    return render(request, "sunshine/object.html", context, status=status)


def _may_file(request, form) -> bool:
    if throttle.hit(f"sunshine-file:{throttle.client_ip(request)}", window=3600) > FILINGS_PER_HOUR:
        form.add_error(None, TOO_MANY)
        return False
    return True


def objection_done(request, pk):
    item = selectors.public_notice(pk)
    code = request.session.pop("sunshine_objection", None)
    if not code:
        return redirect("sunshine:notice", pk=item.pk)
    return render(request, "sunshine/objection_done.html", {"notice": item, "code": code})


def _throttled(request, kind, code) -> bool:
    by_address = throttle.hit(f"sunshine-{kind}:{throttle.client_ip(request)}", window=3600)
    by_code = throttle.hit(f"sunshine-{kind}-code:{code}", window=3600)
    return by_address > LOOKUPS_PER_HOUR or by_code > LOOKUPS_PER_CODE


@require_http_methods(["GET", "POST"])
def objection_lookup(request):
    form = ObjectionLookupForm(request.POST or None)
    objection, error = None, ""
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        if _throttled(request, "objection", code):
            error = "查询过于频繁，请一小时后再试"
        else:
            objection = Objection.objects.select_related("notice").filter(code=code).first()
            error = "" if objection else "查询码不正确"
    status = 400 if error or form.errors else 200
    context = {"form": form, "objection": objection, "error": error}
    return render(request, "sunshine/objection_lookup.html", context, status=status)


@require_http_methods(["GET", "POST"])
def reports(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and _may_file(request, form):
        try:
            report, password = services.report_submit(
                **{k: v for k, v in form.cleaned_data.items() if k != "attachments"},
                files=form.cleaned_data["attachments"],
            )
        except SunshineError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            request.session["sunshine_report"] = [report.code, password]
            return redirect("sunshine:report_done")
    context = {"form": form, "named_only": [c.label for c in NAMED_ONLY]}
    return render(request, "sunshine/report_form.html", context, status=400 if form.errors else 200)


def report_done(request):
    pair = request.session.pop("sunshine_report", None)
    if not pair:
        return redirect("sunshine:report_lookup")
    return render(request, "sunshine/report_done.html", {"code": pair[0], "password": pair[1]})


@require_http_methods(["GET", "POST"])
def report_lookup(request):
    """Same answer for a wrong code and a wrong password; 20 tries an hour per address and 10
    per code."""
    form = LookupForm(request.POST or None)
    report, error = None, ""
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        if _throttled(request, "report", code):
            error = "查询过于频繁，请一小时后再试"
        else:
            report = _report(code, form.cleaned_data["password"])
            error = "" if report else WRONG
    status = 400 if error or form.errors else 200
    context = {"form": form, "report": report, "error": error}
    return render(request, "sunshine/report_lookup.html", context, status=status)


def _report(code, password):
    report = Report.objects.filter(code=code).first()
    good = check_password(password, report.password if report else _DUMMY_HASH)
    return report if report and good and hmac.compare_digest(report.code, code) else None
