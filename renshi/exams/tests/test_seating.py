"""Sites, rooms, sessions and the room-and-seat draw: reproducible, spread, within capacity."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.core.tests.races import race
from renshi.exams import draws
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Application,
    ApplicationStatus,
    Draw,
    ExamArea,
    ExamRoom,
    ExamSite,
    FeeStatus,
    Seat,
)
from renshi.exams.services import seating
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.factories_seating import make_sites, paid_application, paid_applications

pytestmark = pytest.mark.django_db
WITNESSES = "纪检组 王监督、人大代表 李代表"


@pytest.fixture
def office():
    return UserFactory(role=Role.EXAM_OFFICE)


def seat_map():
    return dict(Seat.objects.values_list("application_id", "ticket_number"))


def test_ticket_number_layout():
    assert seating.ticket_number("2026", "1", "03", "12", 7) == "20260001031207"
    assert seating.parse_ticket_number("20260001031207") == {
        "exam": "2026", "area": "0001", "site": "03", "room": "12", "seat": 7,
    }  # fmt: skip
    assert seating.parse_ticket_number("2026000103120") is not None  # 13 digits: exam "202"
    assert seating.parse_ticket_number("abc") is None
    assert seating.parse_ticket_number("12345") is None


def test_assign_seats_every_paid_application_once_within_capacity(office):
    exam = make_exam(code="2026")
    area = exam.areas.get()
    a, b = make_position(exam), make_position(exam)
    paid = paid_applications(a, 9) + paid_applications(b, 5)
    waived = paid_application(b, fee_status=FeeStatus.WAIVED)
    unpaid = paid_application(b, fee_status=FeeStatus.UNPAID)
    pending = paid_application(a)
    Application.objects.filter(pk=pending.pk).update(status=ApplicationStatus.SUBMITTED)
    make_sites(exam, sites=2, rooms=3, capacity=4)  # 24 seats, 15 candidates → 4 rooms

    draw = seating.seats_assign(actor=office, exam=exam, area=area, witnesses=WITNESSES)

    seats = list(Seat.objects.select_related("room__site"))
    assert {s.application_id for s in seats} == {x.pk for x in [*paid, waived]}
    assert unpaid.pk not in seat_map() and pending.pk not in seat_map()
    per_room = Counter(s.room_id for s in seats)
    assert len(per_room) == 4 and max(per_room.values()) <= 4
    assert sorted(per_room.values()) == [3, 4, 4, 4]
    for room_id in per_room:
        numbers = sorted(s.number for s in seats if s.room_id == room_id)
        assert numbers == list(range(1, len(numbers) + 1))
    for s in seats:
        assert (
            s.ticket_number == f"2026{area.code:0>4}{s.room.site.code}{s.room.code}{s.number:02d}"
        )
        assert len(s.ticket_number) == 14 and s.draw_id == draw.pk
    # Rooms are used in code order: site 01's three rooms, then site 02's first.
    used = sorted((s.room.site.code, s.room.code) for s in seats)
    assert set(used) == {("01", "01"), ("01", "02"), ("01", "03"), ("02", "01")}
    assert draw.witnesses == WITNESSES and len(draw.seed) == 12
    assert draw.summary["candidates"] == 15
    audit = AuditEvent.objects.get(action="draw.seats")
    assert audit.after["seed"] == draw.seed and audit.after["witnesses"] == WITNESSES


def test_the_same_seed_and_inputs_give_the_same_seats(office):
    exam = make_exam()
    area = exam.areas.get()
    for _ in range(3):
        paid_applications(make_position(exam), 7)
    make_sites(exam, sites=2, rooms=2, capacity=8)
    seating.seats_assign(
        actor=office, exam=exam, area=area, witnesses=WITNESSES, seed="000000000042"
    )
    first = seat_map()
    seating.seats_assign(
        actor=office, exam=exam, area=area, witnesses=WITNESSES, seed="000000000042"
    )
    assert seat_map() == first
    seating.seats_assign(
        actor=office, exam=exam, area=area, witnesses=WITNESSES, seed="000000000043"
    )
    assert seat_map() != first
    assert Seat.objects.count() == 21


def test_candidates_of_one_position_are_spread_across_rooms(office):
    """With rooms of one size, each position's count per room differs by at most one: no room
    holds two of a position while another room has none of it."""
    exam = make_exam()
    area = exam.areas.get()
    positions = [make_position(exam) for _ in range(4)]
    for position, n in zip(positions, (13, 9, 5, 2), strict=True):
        paid_applications(position, n)
    make_sites(exam, sites=2, rooms=3, capacity=6)  # 29 candidates → 5 rooms of 6
    for seed in ("000000000001", "000000000002", "000000000003"):
        seating.seats_assign(actor=office, exam=exam, area=area, witnesses=WITNESSES, seed=seed)
        rooms = sorted(set(Seat.objects.values_list("room_id", flat=True)))
        assert len(rooms) == 5
        counts = defaultdict(Counter)
        for position_id, room_id in Seat.objects.values_list("application__position_id", "room_id"):
            counts[position_id][room_id] += 1
        for position_id, per_room in counts.items():
            spread = [per_room.get(r, 0) for r in rooms]
            assert max(spread) - min(spread) <= 1, (position_id, spread)


def test_deal_is_pure_and_spreads_with_rooms_of_different_sizes():
    inputs = {
        "exam": "01",
        "area": "01",
        "applications": list(range(1, 101)),
        "positions": [i % 4 for i in range(100)],
        "rooms": [
            [1, "01", "01", 30],
            [2, "01", "02", 25],
            [3, "01", "03", 30],
            [4, "02", "01", 30],
        ],
    }
    one = seating.deal(inputs, draws.rng_for("7"))
    assert one == seating.deal(inputs, draws.rng_for("7"))
    sizes = {room: len(members) for room, members in one}
    assert sum(sizes.values()) == 100 and sizes[2] <= 25 and max(sizes.values()) <= 30
    assert sorted(a for _, m in one for a in m) == list(range(1, 101))


def test_more_candidates_than_seats_is_refused_naming_the_area(office):
    exam = make_exam()
    area = exam.areas.get()
    paid_applications(make_position(exam), 7)
    make_sites(exam, rooms=2, capacity=3)
    with pytest.raises(ExamError) as e:
        seating.seats_assign(actor=office, exam=exam, area=area, witnesses=WITNESSES)
    assert "鞍山考区" in e.value.message and "7人" in e.value.message
    assert "6个座位" in e.value.message and "还差1个" in e.value.message
    assert not Draw.objects.exists() and not Seat.objects.exists()
    with pytest.raises(ExamError) as e:
        seating.seats_assign_exam(actor=office, exam=exam, witnesses=WITNESSES)
    assert "鞍山考区" in e.value.message and not Draw.objects.exists()


def test_witnesses_are_required(office):
    exam = make_exam()
    paid_applications(make_position(exam), 1)
    make_sites(exam, rooms=1)
    with pytest.raises(ExamError, match="监督"):
        seating.seats_assign(actor=office, exam=exam, area=exam.areas.get(), witnesses="  ")
    assert not Draw.objects.exists()


def test_reassignment_supersedes_and_replaces_in_one_go(office):
    exam = make_exam()
    area = exam.areas.get()
    position = make_position(exam)
    paid_applications(position, 5)
    make_sites(exam, rooms=1, capacity=30)
    first = seating.seats_assign(actor=office, exam=exam, area=area, witnesses=WITNESSES)
    late = paid_application(position)
    second = seating.seats_assign(actor=office, exam=exam, area=area, witnesses=WITNESSES)
    first.refresh_from_db()
    assert first.superseded and not second.superseded
    assert Seat.objects.count() == 6 and set(Seat.objects.values_list("draw", flat=True)) == {
        second.pk
    }
    assert late.pk in seat_map() and second.summary["supersedes"] == 1


def test_exam_wide_assignment_seats_every_area_from_one_seed(office):
    exam = make_exam()
    north = ExamArea.objects.create(exam=exam, code="02", name="海城考区")
    paid_applications(make_position(exam), 4)
    paid_applications(make_position(exam, area=north), 3)
    make_sites(exam, rooms=1)
    make_sites(exam, north, rooms=1)
    made = seating.seats_assign_exam(actor=office, exam=exam, witnesses=WITNESSES)
    assert len(made) == 2 and made[0].seed == made[1].seed
    assert {d.scope for d in made} == {"01", "02"}
    assert Seat.objects.filter(ticket_number__contains="0002").count() == 3
    overview = {row["area"].code: row for row in seating.area_overview(exam)}
    assert overview["02"]["seated"] == 3 and overview["01"]["paid"] == 4


def test_verify_reproduces_the_draw_and_detects_tampering(office):
    exam = make_exam()
    area = exam.areas.get()
    for _ in range(2):
        paid_applications(make_position(exam), 6)
    make_sites(exam, rooms=2, capacity=6)
    draw = seating.seats_assign(actor=office, exam=exam, area=area, witnesses=WITNESSES)
    assert draws.verify(draw).ok
    call_command("verify_draw", draw.pk)

    # Someone moves a candidate to another seat afterwards: the result no longer matches.
    a, b = Seat.objects.filter(draw=draw).order_by("room_id", "number")[:2]
    Seat.objects.filter(pk=a.pk).update(number=99)
    Seat.objects.filter(pk=b.pk).update(number=a.number)
    Seat.objects.filter(pk=a.pk).update(number=b.number)
    outcome = draws.verify(draw)
    assert outcome.inputs_match and not outcome.result_match

    # Put back, then change an input (a room's capacity): the inputs no longer match.
    Seat.objects.filter(pk=a.pk).update(number=99)
    Seat.objects.filter(pk=b.pk).update(number=b.number)
    Seat.objects.filter(pk=a.pk).update(number=a.number)
    assert draws.verify(draw).ok
    ExamRoom.objects.filter(site__exam=exam).update(capacity=29)
    assert not draws.verify(draw).inputs_match


def test_site_and_room_validation(office):
    exam = make_exam()
    area = exam.areas.get()
    for code in ("1", "100", "ab", "00", ""):
        with pytest.raises(ExamError, match="考点代码"):
            seating.site_create(
                actor=office, exam=exam, area=area, code=code, name="一中", school="一中"
            )
    site = seating.site_create(
        actor=office, exam=exam, area=area, code="01", name="一中考点", school="鞍山一中"
    )
    with pytest.raises(ExamError, match="已有考点代码"):
        seating.site_create(
            actor=office, exam=exam, area=area, code="01", name="二中", school="二中"
        )
    rooms = seating.rooms_add(actor=office, site=site, count=40)
    assert [r.code for r in rooms][:2] == ["01", "02"] and rooms[0].capacity == 30
    more = seating.rooms_add(actor=office, site=site, count=2, capacity=25)
    assert [r.code for r in more] == ["41", "42"]
    with pytest.raises(ExamError, match="最大为99"):
        seating.rooms_add(actor=office, site=site, count=60)
    with pytest.raises(ExamError, match="已存在"):
        seating.rooms_add(actor=office, site=site, count=1, first_code="05")
    for capacity in (0, 100, "x"):
        with pytest.raises(ExamError, match="座位数"):
            seating.rooms_add(actor=office, site=site, count=1, capacity=capacity)
    assert site.rooms.count() == 42
    room = site.rooms.get(code="03")
    with pytest.raises(ExamError, match="考场号"):
        seating.room_update(actor=office, room=room, code="3")
    seating.room_update(actor=office, room=room, name="教学楼301", capacity=24)
    room.refresh_from_db()
    assert (room.name, room.capacity) == ("教学楼301", 24)
    assert (
        AuditEvent.objects.filter(action__in=["site.create", "room.add", "room.update"]).count()
        == 4
    )


def test_seated_rooms_and_sites_keep_their_codes(office):
    exam = make_exam()
    paid_applications(make_position(exam), 3)
    (site,) = make_sites(exam, rooms=2, capacity=2)
    seating.seats_assign(actor=office, exam=exam, area=exam.areas.get(), witnesses=WITNESSES)
    room = ExamRoom.objects.annotate(n=Count("seats")).get(n=2)
    with pytest.raises(ExamError, match="不能删除"):
        seating.room_delete(actor=office, room=room)
    with pytest.raises(ExamError, match="不能少于"):
        seating.room_update(actor=office, room=room, capacity=1)
    with pytest.raises(ExamError, match="考场号"):
        seating.room_update(actor=office, room=room, code="77")
    with pytest.raises(ExamError, match="考点代码"):
        seating.site_update(actor=office, site=site, code="09")
    with pytest.raises(ExamError, match="不能删除"):
        seating.site_delete(actor=office, site=site)
    seating.site_update(actor=office, site=site, address="新地址")
    assert ExamSite.objects.get(pk=site.pk).address == "新地址"


def test_sessions(office):
    exam = make_exam()
    start = timezone.now() + datetime.timedelta(days=20)
    subjects = list(exam.subjects.filter(code="01"))
    session = seating.session_create(
        actor=office, exam=exam, subjects=subjects, code="AM", name="上午",
        starts_at=start, ends_at=start + datetime.timedelta(hours=2),
    )  # fmt: skip
    assert list(session.subjects.all()) == subjects
    with pytest.raises(ExamError, match="结束时间"):
        seating.session_update(actor=office, session=session, subjects=subjects, ends_at=start)
    with pytest.raises(ExamError, match="科目"):
        seating.session_update(actor=office, session=session, subjects=[])
    with pytest.raises(ExamError, match="已存在"):
        seating.session_create(
            actor=office, exam=exam, subjects=subjects, code="AM", name="又一个",
            starts_at=start, ends_at=start + datetime.timedelta(hours=1),
        )  # fmt: skip
    seating.session_delete(actor=office, session=session)
    assert not exam.sessions.exists()
    assert AuditEvent.objects.filter(action__startswith="session.").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_concurrent_draws_of_one_area_leave_one_seating_in_force():
    office = UserFactory(role=Role.EXAM_OFFICE)
    exam = make_exam()
    area = exam.areas.get()
    paid_applications(make_position(exam), 12)
    make_sites(exam, rooms=2, capacity=6)

    def run():
        return seating.seats_assign(actor=office, exam=exam, area=area, witnesses=WITNESSES)

    _, errors = race([run] * 4, ExamError)
    assert not errors
    live = Draw.objects.filter(superseded=False)
    assert live.count() == 1 and Draw.objects.count() == 4
    assert Seat.objects.count() == 12 and set(Seat.objects.values_list("draw", flat=True)) == {
        live.get().pk
    }
    assert draws.verify(live.get()).ok


def test_assign_seats_command():
    from io import StringIO

    from django.core.management.base import CommandError

    exam = make_exam(code="4401")
    paid_applications(make_position(exam), 4)
    make_sites(exam, rooms=1, capacity=30)
    out = StringIO()
    call_command("assign_seats", "4401", "--witnesses", "王监督", stdout=out)
    draw = Draw.objects.get()
    assert f"随机种子：{draw.seed}" in out.getvalue() and "4人" in out.getvalue()
    assert Seat.objects.count() == 4 and draws.verify(draw).ok
    with pytest.raises(CommandError, match="没有考区代码"):
        call_command("assign_seats", "4401", "--witnesses", "王监督", "--area", "99")
    with pytest.raises(CommandError, match="没有考试代码"):
        call_command("assign_seats", "0000", "--witnesses", "王监督")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel areas on PostgreSQL")
def test_exam_wide_draw_writes_two_areas_at_a_time_on_postgresql():
    office = UserFactory(role=Role.EXAM_OFFICE)
    exam = make_exam()
    areas = [exam.areas.get()] + [
        ExamArea.objects.create(exam=exam, code=f"0{n}", name=f"考区{n}") for n in (2, 3)
    ]
    for area, n in zip(areas, (5, 4, 3), strict=True):
        paid_applications(make_position(exam, area=area), n)
        make_sites(exam, area, rooms=1, capacity=5)
    made = seating.seats_assign_exam(actor=office, exam=exam, witnesses=WITNESSES)
    assert sorted(d.scope for d in made) == ["01", "02", "03"]
    assert Seat.objects.count() == 12 and all(draws.verify(d).ok for d in made)
    again = seating.seats_assign_exam(actor=office, exam=exam, witnesses=WITNESSES)
    assert Draw.objects.filter(superseded=False).count() == 3 and Seat.objects.count() == 12
    assert set(Seat.objects.values_list("draw", flat=True)) == {d.pk for d in again}
