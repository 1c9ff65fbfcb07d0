"""The proctor pool (监考人员库) and the proctor draw (监考人员抽签).

A proctor's declared relatives are kept only as a blind index of their ID number (never the
number): the draw matches it against the seated candidates' index to keep the proctor away from
the relative's site. The draw itself is `renshi.exams.proctor_draw.run`; this module gathers its
inputs, records it (seed, digests, audit) and saves the assignments.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renshi.core import crypto
from renshi.core.audit import audit_record, changed
from renshi.core.idnumbers import mask_id, mask_phone, validate_id_number, validate_phone
from renshi.core.roles import Role
from renshi.core.services import AccountError, user_create
from renshi.exams import draws, proctor_draw
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Draw,
    DrawKind,
    ExamRoom,
    ExamSession,
    ExamSite,
    Proctor,
    ProctorAssignment,
    ProctorRelative,
    Seat,
)

EXCLUSION_LABELS = {
    "school": "本校教师回避",
    "relative": "亲属回避",
    "same_room": "上一场次已监考该考场",
}


# --- The pool ----------------------------------------------------------------------------------


def _clean_person(name, school, phone):
    name, school = (name or "").strip(), (school or "").strip()
    if not name:
        raise ExamError("请填写姓名", field="name")
    if not school:
        raise ExamError("请填写所在学校（监考人员不得到本校考点监考）", field="school")
    if phone:
        try:
            phone = validate_phone(phone)
        except ValidationError as e:
            raise ExamError(e.messages[0], field="phone") from None
    return name, school, phone


def _proctor_snapshot(proctor) -> dict:
    return {
        "name": proctor.name,
        "school": proctor.school,
        "phone": proctor.phone_masked,
        "active": proctor.active,
    }


@transaction.atomic
def proctor_create(*, actor, name, school, phone="", active=True) -> Proctor:
    name, school, phone = _clean_person(name, school, phone)
    proctor = Proctor.objects.create(
        name=name, school=school, phone_masked=mask_phone(phone), active=active
    )
    audit_record(
        actor=actor, action="proctor.create", obj=proctor, after=_proctor_snapshot(proctor)
    )
    return proctor


@transaction.atomic
def proctor_update(*, actor, proctor, name, school, phone="", active=True) -> Proctor:
    """A blank phone keeps the one on file (only its mask is stored)."""
    name, school, phone = _clean_person(name, school, phone)
    proctor = Proctor.objects.select_for_update().get(pk=proctor.pk)
    before = _proctor_snapshot(proctor)
    proctor.name, proctor.school, proctor.active = name, school, active
    if phone:
        proctor.phone_masked = mask_phone(phone)
    proctor.save()
    if proctor.user_id and proctor.user.full_name != name:
        proctor.user.full_name = name
        proctor.user.save(update_fields=["full_name"])
    old, new = changed(before, _proctor_snapshot(proctor))
    if new:
        audit_record(actor=actor, action="proctor.update", obj=proctor, before=old, after=new)
    return proctor


def _relative_hash(id_number) -> tuple[str, str]:
    try:
        number = validate_id_number(id_number)
    except ValidationError as e:
        raise ExamError(e.messages[0], field="id_number") from None
    return crypto.blind_index(number), mask_id(number)


@transaction.atomic
def proctor_relative_add(*, actor, proctor, name, id_number, relation) -> ProctorRelative:
    """Declare a relative among the candidates (回避). Only the blind index of the ID is kept."""
    name, relation = (name or "").strip(), (relation or "").strip()
    if not name:
        raise ExamError("请填写亲属姓名", field="name")
    if not relation:
        raise ExamError("请填写与本人关系", field="relation")
    digest, masked = _relative_hash(id_number)
    proctor = Proctor.objects.select_for_update().get(pk=proctor.pk)
    if proctor.relatives.filter(id_number_hash=digest).exists():
        raise ExamError("该亲属已申报", field="id_number")
    relative = ProctorRelative.objects.create(
        proctor=proctor, id_number_hash=digest, name=name, relation=relation
    )
    audit_record(
        actor=actor,
        action="proctor.relative_add",
        obj=proctor,
        after={"relative": name, "relation": relation, "id_number": masked},
    )
    return relative


@transaction.atomic
def proctor_relative_remove(*, actor, relative) -> None:
    audit_record(
        actor=actor,
        action="proctor.relative_remove",
        obj=relative.proctor,
        before={"relative": relative.name, "relation": relative.relation},
    )
    relative.delete()


@transaction.atomic
def proctor_account_create(*, actor, proctor, username, password):
    """A login for the proctor (Role.PROCTOR): they see their own assignments and room sheets."""
    proctor = Proctor.objects.select_for_update().get(pk=proctor.pk)
    if proctor.user_id:
        raise ExamError("该监考人员已有登录账号", field="username")
    if not (username or "").strip():
        raise ExamError("请填写用户名", field="username")
    try:
        user = user_create(
            actor=actor,
            username=username,
            full_name=proctor.name,
            role=Role.PROCTOR,
            password=password,
        )
    except AccountError as e:
        raise ExamError(e.message, field=e.field) from None
    proctor.user = user
    proctor.save(update_fields=["user"])
    audit_record(
        actor=actor, action="proctor.account", obj=proctor, after={"username": user.username}
    )
    return user


# --- The draw ----------------------------------------------------------------------------------


def current_draw(exam) -> Draw | None:
    return (
        Draw.objects.filter(exam=exam, kind=DrawKind.PROCTORS, superseded=False)
        .order_by("-id")
        .first()
    )


def _sessions(exam):
    return list(ExamSession.objects.filter(exam=exam).order_by("starts_at", "code", "id"))


def draw_inputs(exam, pool_ids) -> dict:
    """What a draw is made from: sessions in order, rooms in use, sites' schools, and for each
    proctor of the pool their school and the sites where a declared relative sits."""
    sessions = [s.pk for s in _sessions(exam)]
    room_rows = (
        Seat.objects.filter(room__site__exam=exam)
        .values_list("room_id", "room__site_id")
        .distinct()
        .order_by("room_id")
    )
    rooms = [{"id": room, "site": site} for room, site in room_rows]
    sites = [
        {"id": pk, "school": school}
        for pk, school in ExamSite.objects.filter(exam=exam)
        .order_by("id")
        .values_list("id", "school")
    ]
    proctors = Proctor.objects.filter(pk__in=pool_ids).order_by("id").values_list("id", "school")
    relatives = ProctorRelative.objects.filter(proctor_id__in=pool_ids).values_list(
        "proctor_id", "id_number_hash"
    )
    wanted = {}
    for pid, digest in relatives:
        wanted.setdefault(digest, []).append(pid)
    avoid = {}
    if wanted:
        seated = Seat.objects.filter(
            room__site__exam=exam, application__candidate__id_number_hash__in=sorted(wanted)
        ).values_list("application__candidate__id_number_hash", "room__site_id")
        for digest, site in seated:
            for pid in wanted[digest]:
                avoid.setdefault(pid, set()).add(site)
    return {
        "sessions": sessions,
        "sites": sites,
        "rooms": rooms,
        "proctors": [
            {"id": pid, "school": school, "avoid_sites": sorted(avoid.get(pid, ()))}
            for pid, school in proctors
        ],
    }


def _inputs_of(draw) -> dict:
    return draw_inputs(draw.exam, draw.summary.get("pool", []))


def _run(inputs, rng, draw=None) -> dict:
    try:
        return proctor_draw.run(inputs, rng)
    except proctor_draw.Shortage as e:  # inputs changed since the draw: report, do not crash
        return {"shortage": {"session": e.session, "rooms": e.rooms}}


draws.register(DrawKind.PROCTORS, inputs=_inputs_of, run=_run)


def shortage_message(shortage) -> str:
    """E.g. 第一考点（鞍山一中）第05考场上午场：可用监考人员不足（需要2人，符合条件的只有1人；
    本校教师回避12人，亲属回避2人）."""
    session = ExamSession.objects.get(pk=shortage.session)
    rooms = ExamRoom.objects.filter(pk__in=shortage.rooms).select_related("site")
    by_site = {}
    for room in sorted(rooms, key=lambda r: (r.site.code, r.code)):
        by_site.setdefault(room.site, []).append(room.code)
    if len(by_site) > 3:
        where = f"{len(by_site)}个考点共{len(shortage.rooms)}个考场"
    else:
        where = "、".join(
            f"{site.name}（{site.school}）第{'、'.join(codes)}考场"
            for site, codes in by_site.items()
        )
    reasons = "，".join(
        f"{EXCLUSION_LABELS[key]}{count}人" for key, count in shortage.excluded.items() if count
    )
    return (
        f"{where}{session.name}：可用监考人员不足（需要{shortage.needed}人，"
        f"符合条件的只有{shortage.available}人{'；' + reasons if reasons else ''}）"
    )


def proctors_draw(*, actor, exam, seed=None, witnesses="") -> Draw:
    """Draw the proctors of every session of the exam; a new draw supersedes the last one."""
    seed = (seed or "").strip() or draws.new_seed()
    if not seed.isdigit() or len(seed) > 64:
        raise ExamError("随机种子应为数字", field="seed")
    sessions = _sessions(exam)
    if not sessions:
        raise ExamError("尚未设置考试场次，无法抽取监考人员")
    if timezone.now() >= sessions[0].starts_at:
        raise ExamError("考试已开考，不能再抽取监考人员")
    with transaction.atomic():
        # Two office users drawing at once: the second waits here and supersedes the first.
        type(exam).objects.select_for_update().get(pk=exam.pk)
        pool = list(Proctor.objects.filter(active=True).order_by("id").values_list("id", flat=True))
        inputs = draw_inputs(exam, pool)
        if not inputs["rooms"]:
            raise ExamError("尚未编排考场座位，没有需要监考的考场")
        try:
            result = proctor_draw.run(inputs, draws.rng_for(seed))
        except proctor_draw.Shortage as e:
            raise ExamError(shortage_message(e), code="shortage") from None
        Draw.objects.filter(exam=exam, kind=DrawKind.PROCTORS, superseded=False).update(
            superseded=True
        )
        draw = draws.record(
            exam=exam,
            kind=DrawKind.PROCTORS,
            seed=seed,
            inputs=inputs,
            result=result,
            actor=actor,
            scope=f"{len(sessions)}个场次",
            witnesses=(witnesses or "").strip()[:200],
            summary={
                "sessions": len(sessions),
                "rooms": len(inputs["rooms"]),
                "repeat_pairs": result["repeat_pairs"],
                "pool": pool,
            },
        )
        ProctorAssignment.objects.bulk_create(
            ProctorAssignment(
                draw=draw, session_id=session["id"], room_id=room, proctor_id=pid, position=n
            )
            for session in result["sessions"]
            for room, *pair in session["rooms"]
            for n, pid in enumerate(pair, 1)
        )
    return draw


def assignments_of(draw) -> dict:
    """The saved assignments in the shape of the draw's result."""
    rows = {}
    for session, room, _position, pid in (
        ProctorAssignment.objects.filter(draw=draw)
        .order_by("session_id", "room_id", "position")
        .values_list("session_id", "room_id", "position", "proctor_id")
    ):
        rows.setdefault(session, {}).setdefault(room, []).append(pid)
    order = _sessions(draw.exam)
    return [
        {"id": s.pk, "rooms": [[room, *pids] for room, pids in sorted(rows.get(s.pk, {}).items())]}
        for s in order
        if s.pk in rows
    ]


def assignments_intact(draw) -> bool:
    """The saved rows are still what the draw decided (its recorded result digest)."""
    result = {"sessions": assignments_of(draw), "repeat_pairs": draw.summary.get("repeat_pairs")}
    return draws.digest(result) == draw.result_digest


# --- Reading the assignments -------------------------------------------------------------------


def site_roster(draw, site) -> list:
    """Per session: [(room, first, second)] for the site's rooms, rooms in code order."""
    rows = (
        ProctorAssignment.objects.filter(draw=draw, room__site=site)
        .select_related("proctor", "room", "session")
        .order_by("session__starts_at", "session_id", "room__code", "position")
    )
    sessions = {}
    for a in rows:
        rooms = sessions.setdefault(a.session, {})
        rooms.setdefault(a.room, []).append(a.proctor)
    return [
        (session, [(room, *pair) for room, pair in rooms.items()])
        for session, rooms in sessions.items()
    ]


def own_assignments(user) -> list:
    """A proctor's assignments in current draws, each with `partner` set."""
    mine = list(
        ProctorAssignment.objects.filter(proctor__user=user, draw__superseded=False)
        .select_related("session", "room__site")
        .order_by("session__starts_at", "session_id")
    )
    partners = ProctorAssignment.objects.filter(
        draw__in={a.draw_id for a in mine}, room__in={a.room_id for a in mine}
    ).select_related("proctor")
    pairs = {}
    for p in partners:
        pairs.setdefault((p.draw_id, p.session_id, p.room_id), []).append(p.proctor)
    for a in mine:
        others = pairs.get((a.draw_id, a.session_id, a.room_id), [])
        a.partner = next((p for p in others if p.pk != a.proctor_id), None)
    return mine
