"""Excel import: template download → upload and dry run → confirm → result."""

import functools
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from renshi.core import roles
from renshi.personnel import exports, imports, selectors
from renshi.personnel.errors import PersonnelError

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


def _upload_dir() -> Path:
    folder = Path(getattr(settings, "IMPORT_UPLOAD_DIR", "") or tempfile.gettempdir())
    folder = folder / "renshi-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    """Uploads nobody confirmed hold personal data: drop them after a day."""
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _store(request, data: bytes, filename: str) -> str:
    folder = _upload_dir()
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
    path = _upload_dir() / f"{token}.xlsx"
    if not TOKEN_RE.match(token or "") or filename is None or not path.exists():
        raise Http404
    return path.read_bytes(), filename


def _forget(request, token) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    (_upload_dir() / f"{token}.xlsx").unlink(missing_ok=True)


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
        return render(request, "personnel/import_upload.html")
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
    try:
        result = imports.people_import(
            actor=request.user, report=report, only_valid=only_valid, filename=filename
        )
    except PersonnelError as e:
        return _render_report(request, report, token, filename, problem=e.message)
    _forget(request, token)
    return render(request, "personnel/import_result.html", {"result": result, "filename": filename})


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
