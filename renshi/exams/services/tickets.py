"""Admission tickets (准考证): the data on a ticket, the candidate's print window, the signed QR
check at the site, and the whole exam's tickets as a background job (a zip of one PDF per
candidate, named by ticket number) with progress on TicketBatch."""

import datetime
import logging
import os
import secrets
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from renshi.core.audit import audit_record
from renshi.exams import ticket_qr, tickets_pdf
from renshi.exams.errors import ExamError
from renshi.exams.models import Exam, ExamSession, Seat, TicketBatch

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 100
CHUNK = 1000
ACTIVE = ("queued", "running")
STALE_AFTER = datetime.timedelta(hours=3)


def _fmt(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def window_problem(exam: Exam, now=None) -> str | None:
    """Why the candidate cannot print now (Chinese), or None inside the window."""
    now = now or timezone.now()
    if not exam.ticket_opens or not exam.ticket_closes:
        return "准考证打印时间尚未公布，请留意考试公告。"
    if now < exam.ticket_opens:
        return (
            f"准考证打印时间为{_fmt(exam.ticket_opens)}至{_fmt(exam.ticket_closes)}，"
            "尚未开始，请届时再来打印。"
        )
    if now >= exam.ticket_closes:
        return (
            f"准考证打印时间为{_fmt(exam.ticket_opens)}至{_fmt(exam.ticket_closes)}，"
            "已经结束。如未打印，请联系考试中心。"
        )
    return None


def session_rows(exam_id) -> list[tuple[str, str, str]]:
    rows = []
    for session in ExamSession.objects.filter(exam_id=exam_id).prefetch_related("subjects"):
        subjects = "、".join(s.name for s in sorted(session.subjects.all(), key=lambda s: s.order))
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        rows.append((session.name, subjects, f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"))
    return rows


def seats_with_details():
    return Seat.objects.select_related(
        "application__exam",
        "application__candidate",
        "application__position",
        "application__area",
        "room__site",
    )


def qr_text(seat: Seat) -> str:
    application = seat.application
    candidate = application.candidate
    return ticket_qr.sign(
        ticket_qr.payload_for(
            exam_code=application.exam.code,
            ticket_number=seat.ticket_number,
            name=candidate.name,
            masked_id=candidate.masked_id,
            id_hash=candidate.id_number_hash,
        )
    )


def _photo_path(candidate) -> str | None:
    if not candidate.photo:
        return None
    try:
        return candidate.photo.path
    except (ValueError, NotImplementedError):
        return None


def ticket_for(seat: Seat, sessions=None) -> tickets_pdf.Ticket:
    application = seat.application
    candidate, position, site = application.candidate, application.position, seat.room.site
    room = f"第{seat.room.code}考场" + (f"（{seat.room.name}）" if seat.room.name else "")
    return tickets_pdf.Ticket(
        exam_name=application.exam.name,
        exam_code=application.exam.code,
        name=candidate.name,
        masked_id=candidate.masked_id,
        ticket_number=seat.ticket_number,
        position=f"{position.code} {position.hiring_unit_name} {position.title}",
        area=application.area.name if application.area else "",
        site=site.name,
        address=site.address,
        room=room,
        seat=f"{seat.number:02d}",
        sessions=sessions if sessions is not None else session_rows(application.exam_id),
        photo_path=_photo_path(candidate),
        qr_text=qr_text(seat),
    )


def ticket_pdf(seat: Seat) -> bytes:
    return tickets_pdf.render(ticket_for(seat))


def check_qr(text: str) -> dict:
    """The signature, and whether the ticket it names is the one in force (staff page)."""
    checked = ticket_qr.verify(text)
    outcome = {"valid": checked.valid, "reason": checked.reason, "payload": checked.payload}
    if checked.valid:
        seat = seats_with_details().filter(ticket_number=checked.payload["t"]).first()
        outcome["seat"] = seat
        outcome["matches"] = bool(
            seat
            and seat.application.candidate.name == checked.payload["n"]
            and seat.application.exam.code == checked.payload["e"]
        )
    return outcome


# --- The whole exam in the background ----------------------------------------------------------


def batch_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "exams" / "tickets"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ticket_batch_start(*, actor, exam: Exam) -> TicketBatch:
    from renshi.exams.tasks_seating import run_ticket_batch  # the task imports this module

    with transaction.atomic():
        exam = Exam.objects.select_for_update().get(pk=exam.pk)
        total = Seat.objects.filter(application__exam=exam).count()
        if not total:
            raise ExamError("尚未编排考场座位，无法生成准考证")
        # A batch whose worker died is given up after STALE_AFTER, so a new one can start.
        TicketBatch.objects.filter(
            exam=exam, status__in=ACTIVE, created_at__lt=timezone.now() - STALE_AFTER
        ).update(status="failed", error="后台生成超时未完成，已放弃", finished_at=timezone.now())
        if TicketBatch.objects.filter(exam=exam, status__in=ACTIVE).exists():
            raise ExamError("本考试的准考证正在生成，请等待完成后再试")
        batch = TicketBatch.objects.create(exam=exam, total=total, created_by=actor)
        audit_record(actor=actor, action="tickets.batch", obj=batch, after={"total": total})
        transaction.on_commit(lambda: run_ticket_batch.enqueue(batch.pk))
    return batch


def ticket_batch_run(*, batch_id: int) -> None:
    # Hand the batch out once: a second worker, or the same task run again, finds it taken.
    if not TicketBatch.objects.filter(pk=batch_id, status="queued").update(status="running"):
        return
    batch = TicketBatch.objects.select_related("exam").get(pk=batch_id)
    try:
        _run(batch)
    except Exception as e:
        logger.exception("ticket batch %s failed", batch_id)
        TicketBatch.objects.filter(pk=batch_id).update(
            status="failed", error=f"生成失败：{e}"[:500], finished_at=timezone.now()
        )
        raise


def _run(batch: TicketBatch) -> None:
    exam = batch.exam
    seats = seats_with_details().filter(application__exam=exam).order_by("ticket_number")
    total = seats.count()
    TicketBatch.objects.filter(pk=batch.pk).update(total=total, done=0)
    sessions = session_rows(exam.pk)
    # Personal data: the name cannot be guessed even if the media folder were ever served.
    name = f"tickets_{exam.code}_{batch.pk}_{secrets.token_hex(12)}.zip"
    fd, tmp = tempfile.mkstemp(dir=batch_dir(), suffix=".part")
    os.close(fd)
    done = 0
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            for seat in seats.iterator(chunk_size=CHUNK):
                pdf = tickets_pdf.render(ticket_for(seat, sessions))
                archive.writestr(f"{seat.ticket_number}.pdf", pdf)
                done += 1
                if done % PROGRESS_EVERY == 0:
                    TicketBatch.objects.filter(pk=batch.pk).update(done=done)
        final = batch_dir() / name
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    TicketBatch.objects.filter(pk=batch.pk).update(
        status="done",
        done=done,
        file=f"exams/tickets/{name}",
        finished_at=timezone.now(),
    )


def batch_percent(batch: TicketBatch) -> int:
    if batch.status == "done":
        return 100
    return int(batch.done * 100 / batch.total) if batch.total else 0
