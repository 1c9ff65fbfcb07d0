"""Admission-ticket PDFs per second in one process (one worker).

    .venv/bin/python bench/tickets.py [--count 2000] [--no-photo]
    .venv/bin/python bench/tickets.py --job [--count 2000]    # the whole batch job on SQLite

Each iteration does what the batch job does per candidate once the rows are loaded: sign the QR
content (Ed25519), build the ticket, render the A4 page (CID font, photo, vector QR code, sessions,
rules) to bytes. The photo is a real 295×413 JPEG on disk (written by Pillow at start).
Target (issue 4): ≥ 100 tickets per second per worker.

--job runs the batch job itself (`ticket_batch_run`: rows from the database, PDFs into a zip on
disk, progress saved every 100) over an exam seated by bench/seating.py in its SQLite database
(/tmp/renshi_bench_tickets.sqlite3); those candidates have no photo.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renshi.settings")


def photo_file() -> str:
    from PIL import Image, ImageDraw

    rnd = random.Random(1)
    image = Image.new("RGB", (295, 413), (70, 130, 200))
    draw = ImageDraw.Draw(image)
    draw.ellipse((74, 62, 221, 248), fill=(230, 190, 160))
    draw.rectangle((44, 256, 251, 413), fill=(40, 40, 50))
    pixels = image.load()
    for _ in range(40000):
        x, y = rnd.randrange(295), rnd.randrange(413)
        pixels[x, y] = tuple(max(0, min(255, c + rnd.randint(-25, 25))) for c in pixels[x, y])
    fd, path = tempfile.mkstemp(suffix=".jpg")
    os.close(fd)
    image.save(path, "JPEG", quality=85)
    return path


def job(count: int) -> None:
    import bench.seating as seating_bench

    url = "sqlite:////tmp/renshi_bench_tickets.sqlite3"
    seating_bench.migrate(url)
    seating_bench.setup_django(url)
    from django.conf import settings

    from renshi.exams.models import Seat, TicketBatch
    from renshi.exams.services import seating, tickets

    settings.MEDIA_ROOT = tempfile.mkdtemp()
    exam = seating_bench.make_exam()
    seating_bench.make_candidates(exam, count)
    seating_bench.ensure_rooms(exam)
    if Seat.objects.filter(room__site__exam=exam).count() != count:
        seating.seats_assign_exam(actor="基准测试", exam=exam, witnesses="基准测试")
    batch = TicketBatch.objects.create(exam=exam, total=count)
    started = time.perf_counter()
    tickets.ticket_batch_run(batch_id=batch.pk)
    elapsed = time.perf_counter() - started
    batch.refresh_from_db()
    assert batch.status == "done" and batch.done == count, (batch.status, batch.error)
    print(f"batch job: {count} tickets in {elapsed:.2f} s: {count / elapsed:.0f} per second")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--no-photo", action="store_true")
    parser.add_argument("--job", action="store_true")
    args = parser.parse_args()
    if args.job:
        job(args.count)
        return
    import django

    django.setup()
    from renshi.exams import ticket_qr, tickets_pdf

    photo = None if args.no_photo else photo_file()
    sessions = [
        ("上午", "行政职业能力测验", "2026-12-20 09:00–11:00"),
        ("下午", "申论", "2026-12-20 14:00–16:30"),
    ]

    def one(i: int) -> bytes:
        number = f"2026000103{i // 30 % 100:02d}{i % 30 + 1:02d}"
        qr = ticket_qr.sign(
            ticket_qr.payload_for(
                exam_code="2026",
                ticket_number=number,
                name=f"考生{i}",
                masked_id="2103**********1231",
                id_hash=f"{i:016x}",
            )
        )
        return tickets_pdf.render(
            tickets_pdf.Ticket(
                exam_name="2026年鞍山市公务员考试录用",
                exam_code="2026",
                name=f"考生{i}",
                masked_id="2103**********1231",
                ticket_number=number,
                position="000000000012 鞍山市财政局 综合管理岗（一级科员）",
                area="鞍山考区",
                site="鞍山市第一中学考点",
                address="鞍山市铁东区胜利南路1号",
                room=f"第{i // 30 % 100:02d}考场",
                seat=f"{i % 30 + 1:02d}",
                sessions=sessions,
                photo_path=photo,
                qr_text=qr,
            )
        )

    one(0)  # font registration and the wrapped rules, once per process
    started, size = time.perf_counter(), 0
    for i in range(1, args.count + 1):
        size += len(one(i))
    elapsed = time.perf_counter() - started
    print(
        f"{args.count} tickets in {elapsed:.2f} s: {args.count / elapsed:.0f} per second "
        f"(one process, {'no photo' if args.no_photo else 'with photo'}), "
        f"{size / args.count / 1024:.1f} KB each"
    )
    if photo:
        os.unlink(photo)


if __name__ == "__main__":
    main()
