"""Admission tickets: the signed QR code, the PDF, the print window and the batch job."""

import datetime
import io
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.base import ContentFile
from django.utils import timezone

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams import ticket_qr, tickets_pdf
from renshi.exams.errors import ExamError
from renshi.exams.models import Seat, TicketBatch
from renshi.exams.services import seating, tickets
from renshi.exams.tests.candidate_helpers import portrait
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.factories_seating import make_sessions, make_sites, paid_applications

pytestmark = pytest.mark.django_db


def payload(**fields):
    values = {
        "exam_code": "2026",
        "ticket_number": "20260001031207",
        "name": "李考生",
        "masked_id": "2103**********1231",
        "id_hash": "abcdef0123456789",
    }
    return ticket_qr.payload_for(**(values | fields))


def test_qr_signature_valid_and_tampered_invalid():
    text = ticket_qr.sign(payload())
    checked = ticket_qr.verify(text)
    assert checked.valid and checked.payload == {
        "e": "2026", "t": "20260001031207", "n": "李考生",
        "m": "2103**********1231", "h": "abcdef01",
    }  # fmt: skip
    # Another name, another ticket number, a cut signature, someone else's key: all refused.
    assert not ticket_qr.verify(text.replace("李考生", "王考生")).valid
    assert not ticket_qr.verify(text.replace("20260001031207", "20260001031208")).valid
    assert not ticket_qr.verify(text[:-4]).valid
    assert "篡改" in ticket_qr.verify(text.replace("李考生", "王考生")).reason
    assert not ticket_qr.verify(text, key=Ed25519PrivateKey.generate().public_key()).valid
    assert not ticket_qr.verify("https://example.com/").valid
    assert not ticket_qr.verify("").valid
    # A "|" in a name cannot shift the fields.
    odd = ticket_qr.sign(payload(name="李|考生"))
    assert ticket_qr.verify(odd).payload["n"] == "李｜考生"


def test_public_key_verifies_offline():
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    key = load_pem_public_key(ticket_qr.public_key_pem().encode())
    assert ticket_qr.verify(ticket_qr.sign(payload()), key=key).valid


def _seated(settings, n=3, photo=True):
    office = UserFactory(role=Role.EXAM_OFFICE)
    exam = make_exam(code="2026")
    make_sessions(exam)
    applications = paid_applications(make_position(exam), n)
    make_sites(exam, rooms=1)
    seating.seats_assign(actor=office, exam=exam, area=exam.areas.get(), witnesses="王监督")
    if photo:
        candidate = applications[0].candidate
        candidate.photo.save("p.jpg", ContentFile(portrait()), save=True)
    return office, exam, applications


def test_ticket_pdf_with_and_without_photo(settings):
    applications = _seated(settings)[2]
    with_photo = Seat.objects.get(application=applications[0])
    without = Seat.objects.get(application=applications[1])  # file missing on disk
    data = tickets.ticket_for(tickets.seats_with_details().get(pk=with_photo.pk))
    assert data.photo_path and data.ticket_number == with_photo.ticket_number
    assert [row[0] for row in data.sessions] == ["上午", "下午"]
    assert data.sessions[0][1] == "行政职业能力测验"
    assert ticket_qr.verify(data.qr_text).payload["t"] == with_photo.ticket_number
    pdf = tickets.ticket_pdf(tickets.seats_with_details().get(pk=with_photo.pk))
    plain = tickets.ticket_pdf(tickets.seats_with_details().get(pk=without.pk))
    assert pdf.startswith(b"%PDF") and plain.startswith(b"%PDF")
    assert b"/Subtype /Image" in pdf and b"/Subtype /Image" not in plain
    assert b"STSong-Light" in pdf


def test_render_is_self_contained():
    ticket = tickets_pdf.Ticket(
        exam_name="考试", exam_code="01", name="张三", masked_id="2103**********0000",
        ticket_number="0100010101" "01", position="p", area="a", site="s", address="", room="r",
        seat="01", sessions=[], photo_path="/nonexistent.jpg", qr_text="RSZ1|x",
    )  # fmt: skip
    assert tickets_pdf.render(ticket).startswith(b"%PDF")


def test_print_window_messages():
    now = timezone.now()
    exam = make_exam()
    assert "尚未公布" in tickets.window_problem(exam)
    exam.ticket_opens = now + datetime.timedelta(days=1)
    exam.ticket_closes = now + datetime.timedelta(days=5)
    assert "尚未开始" in tickets.window_problem(exam, now)
    assert tickets.window_problem(exam, now + datetime.timedelta(days=2)) is None
    assert "已经结束" in tickets.window_problem(exam, now + datetime.timedelta(days=5))


def test_batch_job_writes_a_zip_of_every_ticket(settings, django_capture_on_commit_callbacks):
    office, exam, _ = _seated(settings, n=4)
    with django_capture_on_commit_callbacks(execute=True):
        batch = tickets.ticket_batch_start(actor=office, exam=exam)  # the task runs at commit
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total) == ("done", 4, 4)
    assert tickets.batch_percent(batch) == 100
    with batch.file.open("rb") as f, zipfile.ZipFile(io.BytesIO(f.read())) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{s.ticket_number}.pdf" for s in Seat.objects.all())
        assert archive.read(names[0]).startswith(b"%PDF")


def test_batch_needs_seats_and_runs_once(settings):
    office = UserFactory(role=Role.EXAM_OFFICE)
    exam = make_exam()
    with pytest.raises(ExamError, match="尚未编排"):
        tickets.ticket_batch_start(actor=office, exam=exam)
    office, exam, _ = _seated(settings, n=1, photo=False)
    running = TicketBatch.objects.create(exam=exam, total=1, status="running")
    with pytest.raises(ExamError, match="正在生成"):
        tickets.ticket_batch_start(actor=office, exam=exam)
    # A worker that died: after three hours the batch is given up and a new one may start.
    TicketBatch.objects.filter(pk=running.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=4)
    )
    assert tickets.ticket_batch_start(actor=office, exam=exam).status == "queued"
    running.refresh_from_db()
    assert running.status == "failed" and "超时" in running.error
    batch = TicketBatch.objects.create(exam=exam, total=1, status="done")
    tickets.ticket_batch_run(batch_id=batch.pk)  # not queued: nothing happens
    batch.refresh_from_db()
    assert batch.status == "done" and not batch.file


def test_public_key_command():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("ticket_public_key", stdout=out)
    assert out.getvalue().startswith("-----BEGIN PUBLIC KEY-----")
