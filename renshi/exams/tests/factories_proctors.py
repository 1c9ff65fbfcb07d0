"""Test data for proctors and the exam day: sites, rooms, sessions and seated candidates made
directly with the ORM (in bulk, so the benchmark uses the same code), and a proctor pool."""

import datetime
import itertools

from django.db import transaction
from django.utils import timezone

from renshi.core import crypto
from renshi.core.idnumbers import make_id_number, mask_id
from renshi.core.models import User
from renshi.core.roles import Role
from renshi.exams import draws
from renshi.exams.models import (
    Application,
    ApplicationStatus,
    Candidate,
    DrawKind,
    ExamRoom,
    ExamSession,
    ExamSite,
    FeeStatus,
    Proctor,
    Seat,
)
from renshi.exams.tests.factories import make_exam, make_position

_seq = itertools.count(1)
SCHOOLS = ["鞍山一中", "鞍山三中", "鞍山八中", "鞍山十三中", "鞍山二十四中", "鞍山三十九中"]


def make_sessions(exam, *, count=2, day=None):
    """上午场 and 下午场 (and more) on a day in the future (default: ten days from now)."""
    day = day or (timezone.localdate() + datetime.timedelta(days=10))
    tz = timezone.get_current_timezone()
    names = ["上午场", "下午场", "第三场", "第四场"]
    sessions = []
    for n in range(count):
        start = datetime.datetime.combine(day, datetime.time(9 + 5 * (n % 2)), tz)
        start += datetime.timedelta(days=n // 2)
        session = ExamSession.objects.create(
            exam=exam,
            code=f"{n + 1:02d}",
            name=names[n],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
        session.subjects.set(exam.subjects.filter(order=n % 2 + 1))
        sessions.append(session)
    return sessions


def make_sites(exam, *, sites=3, rooms_per_site=4, schools=SCHOOLS):
    area = exam.areas.first()
    rooms = []
    for s in range(sites):
        site = ExamSite.objects.create(
            exam=exam,
            area=area,
            code=f"{s + 1:02d}",
            name=f"第{s + 1}考点",
            school=schools[s % len(schools)],
            address=f"鞍山市铁东区考点路{s + 1}号",
        )
        rooms += ExamRoom.objects.bulk_create(
            ExamRoom(site=site, code=f"{r + 1:02d}", name=f"教学楼{r + 1}室")
            for r in range(rooms_per_site)
        )
    return rooms


def seat_candidates(exam, rooms, *, per_room=2, id_numbers=None):
    """Paid applications seated in the rooms (seat 1, 2, …), with their own users and
    candidates; `id_numbers` (optional) are used first, so a test can seat a known relative."""
    position = make_position(exam)
    id_numbers = list(id_numbers or [])
    birth = datetime.date(1996, 1, 1)
    people = []
    for _ in range(len(rooms) * per_room):
        n = next(_seq)
        if id_numbers:
            number = id_numbers.pop(0)
        else:
            number = make_id_number("210302", birth + datetime.timedelta(n // 900), n % 900 + 1)
        people.append((number, n))
    users = User.objects.bulk_create(
        User(username=f"pc{n}-{number}", full_name=f"考生{n}", role=Role.CANDIDATE)
        for number, n in people
    )
    candidates = Candidate.objects.bulk_create(
        Candidate(
            user=user,
            name=user.full_name,
            id_number_cipher=crypto.encrypt(number),
            id_number_hash=crypto.blind_index(number),
            id_number_masked=mask_id(number),
            birth_date=birth,
            sex="1",
            phone_cipher="",
            phone_hash="",
            phone_masked="",
        )
        for user, (number, _n) in zip(users, people, strict=True)
    )
    applications = Application.objects.bulk_create(
        Application(
            exam=exam,
            candidate=c,
            position=position,
            area=position.area,
            status=ApplicationStatus.APPROVED,
            fee_status=FeeStatus.PAID,
        )
        for c in candidates
    )
    taken = {room.pk: room.seats.count() for room in rooms}
    with transaction.atomic():
        draw = draws.record(
            exam=exam, kind=DrawKind.SEATS, seed="1", inputs=[], result=[], actor=None
        )
        seats = []
        for i, app in enumerate(applications):
            room = rooms[i // per_room]
            number = taken[room.pk] + i % per_room + 1
            ticket = f"{exam.code}{room.pk:06d}{number:02d}"
            seats.append(Seat(application=app, room=room, number=number, ticket_number=ticket))
            seats[-1].draw = draw
        Seat.objects.bulk_create(seats)
    return seats


def make_proctors(count, *, schools=SCHOOLS):
    return Proctor.objects.bulk_create(
        Proctor(name=f"监考{n + 1}", school=schools[n % len(schools)], phone_masked="139****0000")
        for n in range(count)
    )


def make_exam_day(*, sites=3, rooms_per_site=4, per_room=2, sessions=2, proctors=40):
    """An exam with sessions, sites, rooms, seated candidates and a proctor pool."""
    exam = make_exam()
    day = {"exam": exam, "sessions": make_sessions(exam, count=sessions)}
    day["rooms"] = make_sites(exam, sites=sites, rooms_per_site=rooms_per_site)
    day["seats"] = seat_candidates(exam, day["rooms"], per_room=per_room)
    day["proctors"] = make_proctors(proctors)
    return day
