"""Excel import: template download → upload and dry run → confirm → result (or job progress)."""

import functools
import re
import secrets
import time
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from renshi.core import roles
from renshi.personnel import exports, import_jobs, imports, selectors
from renshi.personnel.errors import PersonnelError
from renshi.personnel.models import ImportJob

SESSION_KEY = "personnel_imports"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
KEEP_SECONDS = 24 * 3600
SHOWN_ERRORS = 500


def people_importer(view):
    """Roles that edit people, clerks only with a unit; everyone else gets 404."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (roles.has_role(user, roles.EDIT_PEOPLE) and selectors.can_read_personnel(user)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _sweep(folder: Path) -> None:
    """Uploads nobody confirmed hold personal data: drop them after a day."""
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _store(request, data: bytes, filename: str) -> str:
    folder = import_jobs.upload_dir()
    _sweep(folder)
    token = secrets.token_urlsafe(18)
    (folder / f"{token}.xlsx").write_bytes(data)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = filename[:120]
    request.session[SESSION_KEY] = uploads
    return token


def _load(request, token) -> tuple[bytes, str]:
    """The upload behind a token, only from the session that uploaded it."""
    filename = request.session.get(SESSION_KEY, {}).get(token)
    path = import_jobs.upload_path(token)
    if not TOKEN_RE.match(token or "") or filename is None or not path.exists():
        raise Http404
    return path.read_bytes(), filename


def _release(request, token) -> None:
    """The token can no longer be confirmed from this session (the file stays for a job)."""
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads


def _forget(request, token) -> None:
    _release(request, token)
    import_jobs.upload_path(token).unlink(missing_ok=True)


def _render_report(request, report, token, filename, problem=""):
    errors = report.errors
    return render(
        request,
        "personnel/import_report.html",
        {
            "report": report,
            "counts": report.counts,
            "errors": errors[:SHOWN_ERRORS],
            "error_count": len(errors),
            "notes": [(row.number, n) for row in report.rows for n in row.notes][:SHOWN_ERRORS],
            "token": token,
            "filename": filename,
            "problem": problem,
        },
    )


@people_importer
@require_http_methods(["GET", "POST"])
def import_upload(request):
    if request.method == "GET":
        jobs = ImportJob.objects.filter(user=request.user).order_by("-created_at")[:5]
        return render(request, "personnel/import_upload.html", {"jobs": jobs})
    upload = request.FILES.get("file")
    problem = ""
    if upload is None:
        problem = "请选择要导入的Excel文件"
    elif upload.size > imports.MAX_BYTES:
        problem = f"文件过大（{upload.size // 1024 // 1024} MB），不能超过10 MB，请分批导入"
    if problem:
        return render(request, "personnel/import_upload.html", {"problem": problem}, status=400)
    data = upload.read()
    report = imports.import_check(data, request.user)
    if report.fatal:
        return render(
            request, "personnel/import_upload.html", {"problem": report.fatal}, status=400
        )
    token = _store(request, data, upload.name)
    return _render_report(request, report, token, upload.name)


@people_importer
@require_POST
def import_confirm(request, token):
    data, filename = _load(request, token)
    # Checked again: the database may have changed since the dry run.
    report = imports.import_check(data, request.user)
    only_valid = request.POST.get("mode") == "valid"
    if len(report.good_rows) > import_jobs.INLINE_ROWS:
        return _start_job(request, report, token, filename, only_valid)
    try:
        result = imports.people_import(
            actor=request.user, report=report, only_valid=only_valid, filename=filename
        )
    except PersonnelError as e:
        return _render_report(request, report, token, filename, problem=e.message)
    _forget(request, token)
    return render(request, "personnel/import_result.html", {"result": result, "filename": filename})


def _start_job(request, report, token, filename, only_valid):
    """Too many rows for one request: a background task writes them, a page shows the progress."""
    try:
        imports.check_writable(report, only_valid=only_valid)
    except PersonnelError as e:
        return _render_report(request, report, token, filename, problem=e.message)
    job = import_jobs.import_job_start(
        actor=request.user,
        token=token,
        filename=filename,
        only_valid=only_valid,
        total=len(report.good_rows),
    )
    _release(request, token)
    return redirect("personnel:import_job", pk=job.pk)


def _own_job(request, pk) -> ImportJob:
    return get_object_or_404(ImportJob, pk=pk, user=request.user)


@people_importer
def import_job(request, pk):
    return render(request, "personnel/import_job.html", {"job": _own_job(request, pk)})


@people_importer
def import_job_status(request, pk):
    job = _own_job(request, pk)
    fields = ["status", "total", "processed", "created", "updated", "unchanged", "skipped"]
    data = {name: getattr(job, name) for name in fields}
    data |= {"failed": job.failed, "percent": job.percent, "finished": job.is_finished}
    return JsonResponse(data)


@people_importer
def import_errors(request, token):
    data, filename = _load(request, token)
    report = imports.import_check(data, request.user)
    output = exports.workbook_bytes(exports.error_report(report))
    stem = Path(filename).stem
    return FileResponse(output, as_attachment=True, filename=f"{stem}_错误报告.xlsx")


@people_importer
def import_template(request):
    output = exports.workbook_bytes(exports.import_template(request.user))
    name = f"人员信息导入模板_{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(output, as_attachment=True, filename=name)
