"""Large Excel imports: the write step in chunks, as a background task with progress on ImportJob.

Why chunks and not one transaction: progress has to be committed while the rows are written, and on
SQLite (the default) nothing else can commit while one transaction holds the write lock — so a
second connection cannot report progress beside one long transaction, and that transaction would
also block every other writer for minutes. Mode "all" therefore keeps its all-or-nothing rule at
the check: the job checks the file again first and writes nothing unless it is clean. A row refused
after that (another clerk took the last slot or registered the same ID number in the meantime)
rolls back its own chunk and stops the import; the chunks before it stay, the job says so, and
uploading the same file again finishes it, since the rows already written match by ID number and
show as unchanged. Mode "good" skips refused rows as the inline path does.
"""

import logging
import tempfile
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from renshi.personnel import imports
from renshi.personnel.errors import PersonnelError
from renshi.personnel.models import ImportJob, ImportJobStatus, ImportMode

logger = logging.getLogger(__name__)

INLINE_ROWS = 200  # up to this many rows to write, the confirm request writes them itself
CHUNK_ROWS = 100  # rows per transaction, and how often the progress moves


def upload_dir() -> Path:
    folder = Path(getattr(settings, "IMPORT_UPLOAD_DIR", "") or tempfile.gettempdir())
    folder = folder / "renshi-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_path(token: str) -> Path:
    return upload_dir() / f"{token}.xlsx"


def write_in_chunks(
    *, actor, report, only_valid: bool, filename: str, on_progress=None
) -> tuple[imports.ImportResult, str]:
    """Write a checked report CHUNK_ROWS rows per transaction; the result and why it stopped early.

    `on_progress(result, processed)` runs inside each chunk's transaction, so a progress row it
    saves commits together with the rows it counts.
    """
    imports.check_writable(report, only_valid=only_valid)
    result = imports.ImportResult(
        unchanged=report.counts["unchanged"], skipped=report.counts["error"]
    )
    rows, note, problem = report.good_rows, imports.import_note(filename), ""
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        part = replace(result, failures=list(result.failures))
        try:
            with transaction.atomic(durable=True):
                imports.write_rows(
                    actor=actor, rows=chunk, only_valid=only_valid, note=note, result=part
                )
                if on_progress:
                    on_progress(part, start + len(chunk))
        except imports.RowFailed as e:
            problem = (
                f"{e.message}。第{chunk[0].number}行起的行未导入"
                f"（此前已导入{result.created + result.updated}行）；"
                "处理后重新上传同一文件即可继续，已导入的人员会显示为无变化"
            )
            break
        result = part
    if result.created or result.updated:
        with transaction.atomic(durable=True):
            imports.audit_import(actor=actor, filename=filename, result=result)
    return result, problem


def import_job_start(*, actor, token: str, filename: str, only_valid: bool, total: int):
    """Record the job and hand it to the task engine once the record is committed."""
    from renshi.personnel.tasks import run_import_job  # tasks imports this module

    with transaction.atomic(durable=True):
        job = ImportJob.objects.create(
            user=actor,
            token=token,
            filename=filename[:120],
            mode=ImportMode.GOOD if only_valid else ImportMode.ALL,
            total=total,
        )
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def import_job_run(*, job_id: int) -> None:
    # Hand the job out once: a second worker, or the same task run again, finds it taken.
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        _run(job)
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(job, problem="导入时发生系统错误，已写入的行见上方计数；请联系系统管理员")
        raise  # the task engine records the traceback too
    finally:
        # The upload holds personal data; once written (or given up) nobody needs it.
        upload_path(job.token).unlink(missing_ok=True)


def _run(job: ImportJob) -> None:
    path = upload_path(job.token)
    if not path.exists():
        _finish(job, problem="上传的文件已过期或已删除，请重新上传")
        return
    if not job.user.is_active:
        _finish(job, problem="提交导入的账号已停用，未导入任何数据")
        return
    # Checked again: the database may have changed while the job waited in the queue.
    report = imports.import_check(path.read_bytes(), job.user)
    only_valid = job.mode == ImportMode.GOOD
    try:
        imports.check_writable(report, only_valid=only_valid)
    except PersonnelError as e:
        _finish(job, problem=f"{e.message}（未导入任何数据）")
        return
    ImportJob.objects.filter(pk=job.pk).update(total=len(report.good_rows), processed=0)

    def save_progress(result, processed):
        ImportJob.objects.filter(pk=job.pk).update(processed=processed, **_counts(result))

    result, problem = write_in_chunks(
        actor=job.user,
        report=report,
        only_valid=only_valid,
        filename=job.filename,
        on_progress=save_progress,
    )
    _finish(job, problem=problem, result=result)


def _counts(result: imports.ImportResult) -> dict:
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "skipped": result.skipped,
        "failed": len(result.failures),
        "errors": [{"row": f.row, "message": f.message} for f in result.failures],
        "updated_at": timezone.now(),
    }


def _finish(job: ImportJob, *, problem: str = "", result=None) -> None:
    fields = _counts(result) if result else {"updated_at": timezone.now()}
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.FAILED if problem else ImportJobStatus.DONE,
        problem=problem[:500],
        finished_at=timezone.now(),
        **fields,
    )
