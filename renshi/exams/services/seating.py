"""Exam sessions (场次), sites (考点) and rooms (考场), and the room-and-seat draw.

The draw (`seats_assign`) seats every paid application of one exam area (approved, fee paid or
waived) from a seed drawn in front of witnesses, in one transaction: it supersedes the area's
previous draw, deletes its seats with one statement and writes the new ones in bulk (COPY on
PostgreSQL). It is registered with `draws` as kind "seats", so `manage.py verify_draw` rebuilds
the inputs, re-runs it from the seed and also compares the seats in force with what it gives.

How candidates are dealt (`deal`, deterministic given the inputs and the generator):
1. Rooms are taken in code order (site code, room code) until their seats cover the area's
   candidates; rooms beyond that stay empty (fewer rooms to staff).
2. Candidates are grouped by position; the order of the positions and the order inside each
   position are shuffled, and the groups laid end to end.
3. The rooms in use are shuffled and the sequence is dealt round-robin over them, a full room
   being skipped. A position's candidates therefore land in consecutive rooms of the cycle: with
   rooms of equal size no room gets two of one position while another room has none of it.
4. Seat order inside each room is shuffled; seats are numbered 01… in that order.

Ticket numbers (准考证号), all digits, fixed length per exam (exam code length + 10):

    EEEE(2–6 digits, exam code) AAAA(area code, zero-padded to 4) SS(site 01–99) RR(room 01–99)
    NN(seat 01–99)

e.g. exam 2026, area 01, site 03, room 12, seat 07 → 2026 0001 03 12 07 = 20260001031207.
Exam codes are unique and codes are positional, so a number names exactly one seat.
"""

import io
import re
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections, transaction
from django.db.models import Count, Q, Sum

from renshi.core.audit import audit_record, changed, snapshot
from renshi.exams import draws
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Application,
    ApplicationStatus,
    Draw,
    DrawKind,
    Exam,
    ExamArea,
    ExamRoom,
    ExamSession,
    ExamSite,
    FeeStatus,
    Seat,
)
from renshi.exams.services.office import _save_unique

DEFAULT_CAPACITY = 30
MAX_CAPACITY = 99  # seat numbers have two digits
TWO_DIGITS = re.compile(r"^(0[1-9]|[1-9][0-9])$")
SESSION_FIELDS = ["code", "name", "starts_at", "ends_at"]
SITE_FIELDS = ["area", "code", "name", "school", "address"]
ROOM_FIELDS = ["code", "name", "capacity"]
PAID = (FeeStatus.PAID, FeeStatus.WAIVED)
SQLITE_BATCH = 2000
PARALLEL_AREAS = 2  # areas written at once on PostgreSQL (one connection each)


def seated_applications(exam_id, area_id):
    """The applications that get a seat: approved, fee paid or waived."""
    return Application.objects.filter(
        exam_id=exam_id, area_id=area_id, status=ApplicationStatus.APPROVED, fee_status__in=PAID
    )


def _two_digits(value, label, field) -> str:
    value = (value or "").strip()
    if not TWO_DIGITS.match(value):
        raise ExamError(f"{label}应为01–99的两位数字", field=field)
    return value


# --- Sessions ----------------------------------------------------------------------------------


def _validate_session(session: ExamSession, subjects) -> None:
    session.code = (session.code or "").strip()
    if not session.code or len(session.code) > 4:
        raise ExamError("场次代码应为1–4个字符", field="code")
    if not (session.name or "").strip():
        raise ExamError("场次名称不能为空", field="name")
    if not session.starts_at or not session.ends_at:
        raise ExamError("请填写开考时间和结束时间", field="starts_at")
    if session.ends_at <= session.starts_at:
        raise ExamError("结束时间应晚于开考时间", field="ends_at")
    if any(s.exam_id != session.exam_id for s in subjects):
        raise ExamError("科目不属于本考试", field="subjects")
    if not subjects:
        raise ExamError("请至少选择一个科目", field="subjects")


def _session_snapshot(session, subjects) -> dict:
    return {**snapshot(session, SESSION_FIELDS), "subjects": sorted(s.code for s in subjects)}


@transaction.atomic
def session_create(*, actor, exam: Exam, subjects, **fields) -> ExamSession:
    subjects = list(subjects)
    session = ExamSession(exam=exam, **{k: v for k, v in fields.items() if k in SESSION_FIELDS})
    _validate_session(session, subjects)
    _save_unique(session, field="code", message=f"场次代码「{session.code}」已存在")
    session.subjects.set(subjects)
    audit_record(
        actor=actor,
        action="session.create",
        obj=session,
        after=_session_snapshot(session, subjects),
    )
    return session


@transaction.atomic
def session_update(*, actor, session: ExamSession, subjects, **fields) -> ExamSession:
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    subjects = list(subjects)
    before = _session_snapshot(session, session.subjects.all())
    for key, value in fields.items():
        if key in SESSION_FIELDS:
            setattr(session, key, value)
    _validate_session(session, subjects)
    _save_unique(session, field="code", message=f"场次代码「{session.code}」已存在")
    session.subjects.set(subjects)
    old, new = changed(before, _session_snapshot(session, subjects))
    if new:
        audit_record(actor=actor, action="session.update", obj=session, before=old, after=new)
    return session


@transaction.atomic
def session_delete(*, actor, session: ExamSession) -> None:
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    if session.incidents.exists() or session.proctors.exists():
        raise ExamError("该场次已有监考安排或考场记录，不能删除")
    audit_record(
        actor=actor,
        action="session.delete",
        obj=session,
        before=_session_snapshot(session, session.subjects.all()),
    )
    session.delete()


# --- Sites -------------------------------------------------------------------------------------


def _validate_site(site: ExamSite) -> None:
    site.code = _two_digits(site.code, "考点代码", "code")
    if site.area_id is None or site.area.exam_id != site.exam_id:
        raise ExamError("请选择本考试的考区", field="area")
    for field, label in (("name", "考点名称"), ("school", "所在学校")):
        setattr(site, field, (getattr(site, field) or "").strip())
        if not getattr(site, field):
            raise ExamError(f"{label}不能为空", field=field)


def _site_message(site) -> str:
    return f"考区「{site.area.name}」已有考点代码「{site.code}」"


@transaction.atomic
def site_create(*, actor, exam: Exam, **fields) -> ExamSite:
    site = ExamSite(exam=exam, **{k: v for k, v in fields.items() if k in SITE_FIELDS})
    _validate_site(site)
    _save_unique(site, field="code", message=_site_message(site))
    audit_record(actor=actor, action="site.create", obj=site, after=snapshot(site, SITE_FIELDS))
    return site


@transaction.atomic
def site_update(*, actor, site: ExamSite, **fields) -> ExamSite:
    site = ExamSite.objects.select_for_update().select_related("area").get(pk=site.pk)
    before = snapshot(site, SITE_FIELDS)
    seated = Seat.objects.filter(room__site=site).exists()
    for key, value in fields.items():
        if key in SITE_FIELDS:
            setattr(site, key, value)
    _validate_site(site)
    after = snapshot(site, SITE_FIELDS)
    if seated and (after["area"] != before["area"] or after["code"] != before["code"]):
        raise ExamError(
            "考点已编排座位，不能更改考区或考点代码（准考证号含考点代码）", field="code"
        )
    _save_unique(site, field="code", message=_site_message(site))
    old, new = changed(before, after)
    if new:
        audit_record(actor=actor, action="site.update", obj=site, before=old, after=new)
    return site


@transaction.atomic
def site_delete(*, actor, site: ExamSite) -> None:
    site = ExamSite.objects.select_for_update().get(pk=site.pk)
    if Seat.objects.filter(room__site=site).exists():
        raise ExamError("考点已编排座位，不能删除；如需调整请先增加其他考场后重新编排")
    audit_record(actor=actor, action="site.delete", obj=site, before=snapshot(site, SITE_FIELDS))
    site.delete()


# --- Rooms -------------------------------------------------------------------------------------


def _capacity(value) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ExamError("座位数应为整数", field="capacity") from None
    if not 1 <= value <= MAX_CAPACITY:
        raise ExamError(f"座位数应为1–{MAX_CAPACITY}", field="capacity")
    return value


def _validate_room(room: ExamRoom) -> None:
    room.code = _two_digits(room.code, "考场号", "code")
    room.capacity = _capacity(room.capacity)
    room.name = (room.name or "").strip()


@transaction.atomic
def rooms_add(*, actor, site: ExamSite, count, capacity=DEFAULT_CAPACITY, first_code=None):
    """Add `count` rooms numbered on from the site's highest room code (or from `first_code`)."""
    site = ExamSite.objects.select_for_update().get(pk=site.pk)
    try:
        count = int(count)
    except (TypeError, ValueError):
        raise ExamError("考场数量应为整数", field="count") from None
    capacity = _capacity(capacity)
    codes = sorted(int(c) for c in site.rooms.values_list("code", flat=True))
    if first_code in (None, ""):
        start = (codes[-1] + 1) if codes else 1
    else:
        start = int(_two_digits(str(first_code), "起始考场号", "first_code"))
    if count < 1:
        raise ExamError("考场数量至少为1", field="count")
    if start + count - 1 > 99:
        raise ExamError(
            f"考场号最大为99：从{start:02d}号起只能再增加{max(0, 100 - start)}个考场；"
            "考场较多时请另设考点",
            field="count",
        )
    wanted = set(range(start, start + count))
    clash = sorted(wanted & set(codes))
    if clash:
        raise ExamError(
            "考场号已存在：" + "、".join(f"{c:02d}" for c in clash[:10]), field="first_code"
        )
    rooms = ExamRoom.objects.bulk_create(
        [ExamRoom(site=site, code=f"{c:02d}", capacity=capacity) for c in sorted(wanted)]
    )
    audit_record(
        actor=actor,
        action="room.add",
        obj=site,
        after={"rooms": [r.code for r in rooms], "capacity": capacity},
    )
    return rooms


@transaction.atomic
def room_update(*, actor, room: ExamRoom, **fields) -> ExamRoom:
    room = ExamRoom.objects.select_for_update().get(pk=room.pk)
    before = snapshot(room, ROOM_FIELDS)
    for key, value in fields.items():
        if key in ROOM_FIELDS:
            setattr(room, key, value)
    _validate_room(room)
    seated = room.seats.count()
    if seated and room.code != before["code"]:
        raise ExamError("考场已编排座位，不能更改考场号（准考证号含考场号）", field="code")
    if room.capacity < seated:
        raise ExamError(f"座位数不能少于已编排的{seated}人", field="capacity")
    _save_unique(room, field="code", message=f"考场号「{room.code}」已存在")
    old, new = changed(before, snapshot(room, ROOM_FIELDS))
    if new:
        audit_record(actor=actor, action="room.update", obj=room, before=old, after=new)
    return room


@transaction.atomic
def room_delete(*, actor, room: ExamRoom) -> None:
    room = ExamRoom.objects.select_for_update().get(pk=room.pk)
    if room.seats.exists():
        raise ExamError("考场已编排座位，不能删除")
    audit_record(actor=actor, action="room.delete", obj=room, before=snapshot(room, ROOM_FIELDS))
    room.delete()


# --- The draw ----------------------------------------------------------------------------------


def ticket_number(exam_code: str, area_code: str, site_code: str, room_code: str, seat: int):
    return f"{exam_code}{area_code:0>4}{site_code}{room_code}{seat:02d}"


def parse_ticket_number(number: str) -> dict | None:
    """The parts of a ticket number (exam code length = total − 10), or None if malformed."""
    if not number.isdigit() or not 12 <= len(number) <= 16:
        return None
    e = len(number) - 10
    return {
        "exam": number[:e],
        "area": number[e : e + 4],
        "site": number[e + 4 : e + 6],
        "room": number[e + 6 : e + 8],
        "seat": int(number[e + 8 :]),
    }


def seat_inputs(exam: Exam, area: ExamArea) -> dict:
    """What the draw is made from, sorted by id: the area's paid applications with their
    positions, and its rooms in code order."""
    rows = list(
        seated_applications(exam.pk, area.pk).order_by("id").values_list("id", "position_id")
    )
    rooms = list(
        ExamRoom.objects.filter(site__exam_id=exam.pk, site__area_id=area.pk)
        .order_by("site__code", "code")
        .values_list("id", "site__code", "code", "capacity")
    )
    return {
        "exam": exam.code,
        "area": area.code,
        "applications": [r[0] for r in rows],
        "positions": [r[1] for r in rows],
        "rooms": [list(r) for r in rooms],
    }


def rooms_in_use(rooms: list, n: int) -> list:
    """Rooms in code order until their seats cover n candidates."""
    used, total = [], 0
    for room in rooms:
        if total >= n:
            break
        if room[3] > 0:
            used.append(room)
            total += room[3]
    return used


def deal(inputs: dict, rng) -> list:
    """[[room_id, [application ids in seat order]], …] for the used rooms in code order."""
    applications, positions = inputs["applications"], inputs["positions"]
    n = len(applications)
    used = rooms_in_use(inputs["rooms"], n)
    if sum(r[3] for r in used) < n:
        raise ExamError("座位不足")
    groups: dict = {}
    for application, position in zip(applications, positions, strict=True):
        groups.setdefault(position, []).append(application)
    keys = sorted(groups)
    rng.shuffle(keys)
    sequence = []
    for key in keys:
        group = groups[key]
        rng.shuffle(group)
        sequence.extend(group)
    order = list(range(len(used)))
    rng.shuffle(order)
    # Round k deals one candidate to every room (in the shuffled order) with more than k seats.
    room_of = []
    remaining, k = n, 0
    while remaining:
        eligible = [i for i in order if used[i][3] > k][:remaining]
        room_of.extend(eligible)
        remaining -= len(eligible)
        k += 1
    members = [[] for _ in used]
    for application, index in zip(sequence, room_of, strict=True):
        members[index].append(application)
    for seats in members:
        rng.shuffle(seats)
    return [[used[i][0], members[i]] for i in range(len(used)) if members[i]]


def _run(inputs, rng, draw=None):
    result = deal(inputs, rng)
    if draw is not None and draw.pk and not draw.superseded and _stored(draw) != result:
        # The seats in force are not the ones this draw produced (changed afterwards).
        return {"computed": result, "stored_seats_differ": True}
    return result


def _stored(draw) -> list:
    rows = Seat.objects.filter(draw=draw).order_by("room__site__code", "room__code", "number")
    result, last = [], None
    for room_id, application_id in rows.values_list("room_id", "application_id").iterator(
        chunk_size=10000
    ):
        if room_id != last:
            result.append([room_id, []])
            last = room_id
        result[-1][1].append(application_id)
    return result


def _inputs_of(draw) -> dict:
    area = ExamArea.objects.get(exam_id=draw.exam_id, code=draw.scope)
    return seat_inputs(draw.exam, area)


draws.register(DrawKind.SEATS, inputs=_inputs_of, run=_run)


def shortage(area: ExamArea, inputs: dict) -> str | None:
    n = len(inputs["applications"])
    seats = sum(r[3] for r in inputs["rooms"])
    if n <= seats:
        return None
    return (
        f"考区「{area.name}」（{area.code}）已缴费考生{n}人，现有{len(inputs['rooms'])}个考场"
        f"共{seats}个座位，还差{n - seats}个座位，请先增加考场"
    )


def _validate_codes(exam: Exam, area: ExamArea) -> None:
    if not exam.code.isdigit():
        raise ExamError(f"考试代码「{exam.code}」不是数字，无法生成准考证号")
    if not area.code.isdigit():
        raise ExamError(f"考区代码「{area.code}」不是数字，无法生成准考证号（应为1–4位数字）")


def _write_seats(draw: Draw, exam: Exam, area: ExamArea, result: list, rooms: list) -> int:
    codes = {r[0]: (r[1], r[2]) for r in rooms}
    prefix = f"{exam.code}{area.code:0>4}"
    rows = []
    for room_id, members in result:
        site_code, room_code = codes[room_id]
        stem = f"{prefix}{site_code}{room_code}"
        rows.extend(
            (application_id, room_id, number, f"{stem}{number:02d}")
            for number, application_id in enumerate(members, 1)
        )
    # Rows stay in room order, so ticket numbers and room ids arrive in index order (sorting by
    # application instead measured slower on PostgreSQL).
    if connection.vendor == "postgresql":
        _copy_seats(rows, draw.pk)
    else:
        Seat.objects.bulk_create(
            (
                Seat(application_id=a, room_id=r, number=n, ticket_number=t, draw_id=draw.pk)
                for a, r, n, t in rows
            ),
            batch_size=SQLITE_BATCH,
        )
    return len(rows)


def _copy_seats(rows, draw_id: int) -> None:
    """COPY … FROM STDIN: the fastest way into PostgreSQL (digits only, nothing to escape)."""
    meta = Seat._meta
    names = ["application", "room", "number", "ticket_number", "draw"]
    columns = ", ".join(connection.ops.quote_name(meta.get_field(n).column) for n in names)
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    tail = f"\t{draw_id}\n"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for start in range(0, len(rows), 100_000):
            buffer = io.StringIO()
            buffer.writelines(
                f"{a}\t{r}\t{n}\t{t}{tail}" for a, r, n, t in rows[start : start + 100_000]
            )
            copy.write(buffer.getvalue())


def seats_assign(*, actor, exam: Exam, area: ExamArea, witnesses: str, seed: str | None = None):
    """Seat the area's paid applications; the previous draw of the area is superseded."""
    witnesses = " ".join((witnesses or "").split())
    if not witnesses:
        raise ExamError("请填写现场监督人员姓名", field="witnesses")
    if len(witnesses) > 200:
        raise ExamError("监督人员姓名过长（最多200字）", field="witnesses")
    seed = seed or draws.new_seed()
    with transaction.atomic():
        area = ExamArea.objects.select_for_update().get(pk=area.pk, exam_id=exam.pk)
        _validate_codes(exam, area)
        inputs = seat_inputs(exam, area)
        problem = shortage(area, inputs)
        if problem:
            raise ExamError(problem, code="shortage")
        if not inputs["applications"]:
            raise ExamError(f"考区「{area.name}」暂无已缴费的考生，无需编排")
        result = deal(inputs, draws.rng_for(seed))
        previous = Draw.objects.filter(
            exam=exam, kind=DrawKind.SEATS, scope=area.code, superseded=False
        )
        replaced = previous.update(superseded=True)
        Seat.objects.filter(room__site__exam_id=exam.pk, room__site__area_id=area.pk).delete()
        draw = draws.record(
            exam=exam,
            kind=DrawKind.SEATS,
            seed=seed,
            inputs=inputs,
            result=result,
            actor=actor,
            scope=area.code,
            witnesses=witnesses,
            summary={
                "area": area.name,
                "candidates": len(inputs["applications"]),
                "rooms": len(result),
                "supersedes": replaced,
            },
        )
        _write_seats(draw, exam, area, result, inputs["rooms"])
    return draw


def seats_assign_exam(*, actor, exam: Exam, witnesses: str, seed: str | None = None) -> list:
    """Every area with paid candidates, from one seed. A shortage anywhere is reported (every
    short area named) before anything is written. Each area is its own draw and transaction;
    on PostgreSQL, outside a caller's transaction, two areas are written at a time (each on its
    own connection): the foreign-key checks and index writes run in two server processes."""
    seed = seed or draws.new_seed()
    paid = Q(applications__status=ApplicationStatus.APPROVED, applications__fee_status__in=PAID)
    areas = list(exam.areas.annotate(paid=Count("applications", filter=paid)).filter(paid__gt=0))
    if not areas:
        raise ExamError("暂无已缴费的考生，无需编排")
    seats = dict(
        ExamRoom.objects.filter(site__exam=exam)
        .values_list("site__area_id")
        .annotate(n=Sum("capacity"))
    )
    problems = [
        f"考区「{a.name}」（{a.code}）已缴费考生{a.paid}人，座位{seats.get(a.pk, 0)}个，"
        f"还差{a.paid - seats.get(a.pk, 0)}个"
        for a in areas
        if a.paid > seats.get(a.pk, 0)
    ]
    if problems:
        raise ExamError(
            "座位不足，未编排：" + "；".join(problems) + "。请先增加考场", code="shortage"
        )

    def one(area):
        return seats_assign(actor=actor, exam=exam, area=area, witnesses=witnesses, seed=seed)

    parallel = (
        PARALLEL_AREAS > 1
        and len(areas) > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )
    if not parallel:
        with transaction.atomic():
            return [one(area) for area in areas]
    return _in_parallel(one, areas)


def _in_parallel(one, areas) -> list:
    def run(area):
        try:
            return one(area)
        finally:
            connections.close_all()  # this thread's connection back to the pool

    with ThreadPoolExecutor(PARALLEL_AREAS) as pool:
        futures = [pool.submit(run, area) for area in areas]
    made, failed = [], []
    for area, future in zip(areas, futures, strict=True):
        try:
            made.append(future.result())
        except ExamError as e:
            failed.append(f"考区「{area.name}」：{e.message}")
    if failed:
        done = "、".join(d.scope for d in made) or "无"
        raise ExamError("；".join(failed) + f"。已完成编排的考区：{done}")
    return made


def area_overview(exam: Exam) -> list[dict]:
    """Per area: paid candidates, sites, rooms, seats, seated, the draw in force."""
    paid = dict(
        Application.objects.filter(
            exam=exam, status=ApplicationStatus.APPROVED, fee_status__in=PAID
        )
        .values_list("area_id")
        .annotate(n=Count("id"))
    )
    sites = dict(exam.sites.values_list("area_id").annotate(n=Count("id")))
    rooms = {
        a: (n, s or 0)
        for a, n, s in ExamRoom.objects.filter(site__exam=exam)
        .values_list("site__area_id")
        .annotate(n=Count("id"), s=Sum("capacity"))
    }
    seated = dict(
        Seat.objects.filter(room__site__exam=exam)
        .values_list("room__site__area_id")
        .annotate(n=Count("id"))
    )
    current = {
        d.scope: d for d in Draw.objects.filter(exam=exam, kind=DrawKind.SEATS, superseded=False)
    }
    rows = []
    for area in exam.areas.order_by("code"):
        n_rooms, n_seats = rooms.get(area.pk, (0, 0))
        rows.append(
            {
                "area": area,
                "paid": paid.get(area.pk, 0),
                "sites": sites.get(area.pk, 0),
                "rooms": n_rooms,
                "seats": n_seats,
                "seated": seated.get(area.pk, 0),
                "draw": current.get(area.code),
                "short": max(0, paid.get(area.pk, 0) - n_seats),
            }
        )
    return rows


def unplaced_count(exam: Exam) -> int:
    """Paid applications whose position names no exam area (they cannot be seated)."""
    return seated_applications(exam.pk, None).count()
