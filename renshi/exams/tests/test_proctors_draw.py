"""The proctor draw: constraints always hold, refusals say which rule and where, the draw is
reproducible from its seed and verifiable, and tampering is caught."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renshi.core.idnumbers import make_id_number
from renshi.core.models import AuditEvent
from renshi.core.tests.factories import UserFactory
from renshi.exams import draws, proctor_draw
from renshi.exams.errors import ExamError
from renshi.exams.models import Draw, ExamRoom, Proctor, ProctorAssignment, ProctorRelative
from renshi.exams.services import proctors as services
from renshi.exams.tests.factories_proctors import (
    make_exam_day,
    make_proctors,
    seat_candidates,
)

pytestmark = pytest.mark.django_db
RELATIVE = make_id_number("210381", datetime.date(1990, 2, 3), 5)


@pytest.fixture
def office():
    return UserFactory(role="exam_office")


def check_constraints(draw):
    """Every rule of the draw, read back from the saved rows."""
    rows = list(
        ProctorAssignment.objects.filter(draw=draw).select_related(
            "proctor", "room__site", "session"
        )
    )
    seated = {}
    for room in ExamRoom.objects.filter(site__exam=draw.exam, seats__isnull=False).distinct():
        seated[room.pk] = room
    hashes = {}
    for rel in ProctorRelative.objects.all():
        hashes.setdefault(rel.proctor_id, set()).add(rel.id_number_hash)
    sites_of_hash = {}
    for room in seated.values():
        for seat in room.seats.select_related("application__candidate"):
            sites_of_hash.setdefault(seat.application.candidate.id_number_hash, set()).add(
                room.site_id
            )
    by_session = {}
    rooms_of = {}
    for a in rows:
        assert a.proctor.school != a.room.site.school
        for h in hashes.get(a.proctor_id, ()):
            assert a.room.site_id not in sites_of_hash.get(h, ())
        by_session.setdefault(a.session_id, []).append(a)
        rooms_of.setdefault(a.proctor_id, []).append(a.room_id)
    for session_rows in by_session.values():
        people = [a.proctor_id for a in session_rows]
        assert len(people) == len(set(people)), "nobody twice in a session"
        per_room = {}
        for a in session_rows:
            per_room.setdefault(a.room_id, set()).add(a.position)
        assert set(per_room) == set(seated), "every room in use is staffed"
        assert all(p == {1, 2} for p in per_room.values())
    for rooms in rooms_of.values():
        assert len(rooms) == len(set(rooms)), "nobody in the same room twice"
    return rows


def test_it_staffs_every_room_under_all_constraints_for_many_seeds(office):
    day = make_exam_day(sites=4, rooms_per_site=5, sessions=3, proctors=60)
    for seed in ["1", "42", "777", "123456789012", "99", "2026"]:
        draw = services.proctors_draw(actor=office, exam=day["exam"], seed=seed)
        rows = check_constraints(draw)
        assert len(rows) == 3 * 20 * 2
        assert draws.verify(draw).ok
        assert services.assignments_intact(draw)
    assert Draw.objects.filter(kind="proctors", superseded=False).count() == 1


def test_it_keeps_proctors_away_from_a_site_where_a_relative_sits(office):
    day = make_exam_day(sites=2, rooms_per_site=2, sessions=2, proctors=0)
    relative = RELATIVE
    extra = ExamRoom.objects.create(site=day["rooms"][0].site, code="09")
    seat_candidates(day["exam"], [extra], per_room=1, id_numbers=[relative])
    # Two schools neither hosting: every proctor is needed somewhere in each session.
    pool = make_proctors(10, schools=["鞍山十三中", "鞍山二十四中"])
    for proctor in pool[:4]:
        services.proctor_relative_add(
            actor=office, proctor=proctor, name="王亲属", id_number=relative,
            relation="子女",
        )  # fmt: skip
    site = extra.site_id
    for seed in map(str, range(8)):
        draw = services.proctors_draw(actor=office, exam=day["exam"], seed=seed)
        check_constraints(draw)
        assert not ProctorAssignment.objects.filter(
            draw=draw, proctor__in=pool[:4], room__site_id=site
        ).exists()


def test_the_same_seed_gives_the_same_assignment_and_another_seed_another(office):
    day = make_exam_day(sites=3, rooms_per_site=4, proctors=40)
    exam = day["exam"]

    def pairs(draw):
        return list(
            ProctorAssignment.objects.filter(draw=draw)
            .order_by("session_id", "room_id", "position")
            .values_list("session_id", "room_id", "proctor_id")
        )

    first = pairs(services.proctors_draw(actor=office, exam=exam, seed="20260618"))
    assert first == pairs(services.proctors_draw(actor=office, exam=exam, seed="20260618"))
    assert first != pairs(services.proctors_draw(actor=office, exam=exam, seed="20260619"))


def test_it_splits_up_partners_between_sessions_when_it_can(office):
    day = make_exam_day(sites=3, rooms_per_site=4, sessions=2, proctors=40)
    draw = services.proctors_draw(actor=office, exam=day["exam"], seed="5")
    assert draw.summary["repeat_pairs"] == 0
    together = {}
    for a in ProctorAssignment.objects.filter(draw=draw):
        together.setdefault((a.session_id, a.room_id), []).append(a.proctor_id)
    pairs = [frozenset(p) for p in together.values()]
    assert len(pairs) == len(set(pairs))


def test_the_draw_is_recorded_with_seed_witnesses_and_audit(office):
    day = make_exam_day(sites=1, rooms_per_site=2, proctors=10)
    draw = services.proctors_draw(
        actor=office, exam=day["exam"], seed="000123456789", witnesses="纪检组 张某"
    )
    assert (draw.kind, draw.seed, draw.witnesses) == ("proctors", "000123456789", "纪检组 张某")
    event = AuditEvent.objects.get(action="draw.proctors")
    assert event.after["seed"] == "000123456789"
    assert event.after["input_digest"] == draw.input_digest


def test_verify_draw_reproduces_it_and_catches_tampering(office, capsys):
    day = make_exam_day(sites=2, rooms_per_site=3, proctors=30)
    draw = services.proctors_draw(actor=office, exam=day["exam"], seed="31415926")
    call_command("verify_draw", draw.pk)
    assert "输入一致，结果一致" in capsys.readouterr().out
    # Someone moves a proctor to another school after the draw: the inputs no longer match.
    proctor = ProctorAssignment.objects.filter(draw=draw).first().proctor
    Proctor.objects.filter(pk=proctor.pk).update(school="别的学校")
    outcome = draws.verify(draw)
    assert not outcome.inputs_match
    with pytest.raises(CommandError):
        call_command("verify_draw", draw.pk)


def test_a_changed_assignment_row_is_caught(office):
    day = make_exam_day(sites=2, rooms_per_site=3, proctors=30)
    draw = services.proctors_draw(actor=office, exam=day["exam"], seed="8")
    assert services.assignments_intact(draw)
    used = ProctorAssignment.objects.filter(draw=draw).values_list("proctor_id", flat=True)
    spare = Proctor.objects.exclude(pk__in=list(used)).first()
    ProctorAssignment.objects.filter(draw=draw).order_by("id")[:1].get()
    row = ProctorAssignment.objects.filter(draw=draw).order_by("id").first()
    ProctorAssignment.objects.filter(pk=row.pk).update(proctor=spare)
    assert draws.verify(draw).ok  # the recorded draw still reproduces …
    assert not services.assignments_intact(draw)  # … but the saved rows differ from it


def refused(office, exam, seed="1"):
    with pytest.raises(ExamError) as e:
        services.proctors_draw(actor=office, exam=exam, seed=seed)
    assert not ProctorAssignment.objects.exists()
    return e.value.message


def test_it_refuses_when_a_room_has_too_few_proctors_from_other_schools(office):
    day = make_exam_day(sites=1, rooms_per_site=1, sessions=1, proctors=0)
    make_proctors(12, schools=["鞍山一中"])
    make_proctors(1, schools=["鞍山三中"])
    assert refused(office, day["exam"]) == (
        "第1考点（鞍山一中）第01考场上午场：可用监考人员不足（需要2人，符合条件的只有1人；"
        "本校教师回避12人）"
    )


def test_it_names_relatives_and_rooms_that_cannot_all_be_staffed_together(office):
    day = make_exam_day(sites=1, rooms_per_site=2, sessions=1, proctors=0)
    relative = RELATIVE
    seat_candidates(day["exam"], day["rooms"][:1], per_room=1, id_numbers=[relative])
    make_proctors(5, schools=["鞍山一中"])
    others = make_proctors(5, schools=["鞍山三中"])
    for proctor in others[:2]:
        services.proctor_relative_add(
            actor=office, proctor=proctor, name="赵亲属", id_number=relative,
            relation="配偶",
        )  # fmt: skip
    # Each room alone has three proctors; the two rooms together need four.
    assert refused(office, day["exam"]) == (
        "第1考点（鞍山一中）第01、02考场上午场：可用监考人员不足（需要4人，符合条件的只有3人；"
        "本校教师回避5人，亲属回避2人）"
    )


def test_it_refuses_when_nobody_new_is_left_for_a_room_in_the_next_session(office):
    day = make_exam_day(sites=1, rooms_per_site=1, sessions=2, proctors=0)
    make_proctors(3, schools=["鞍山三中"])
    message = refused(office, day["exam"])
    assert message.startswith("第1考点（鞍山一中）第01考场下午场：可用监考人员不足")
    assert "上一场次已监考该考场2人" in message


def test_it_refuses_without_sessions_or_seats_or_after_the_start(office, time_machine):
    day = make_exam_day(sites=1, rooms_per_site=1, sessions=1, proctors=4)
    time_machine.move_to(day["sessions"][0].starts_at)
    assert refused(office, day["exam"]) == "考试已开考，不能再抽取监考人员"
    day["sessions"][0].delete()
    assert refused(office, day["exam"]) == "尚未设置考试场次，无法抽取监考人员"


def test_it_refuses_a_seed_that_is_not_a_number(office):
    day = make_exam_day(sites=1, rooms_per_site=1, sessions=1, proctors=4)
    assert refused(office, day["exam"], seed="abc") == "随机种子应为数字"
    assert not Draw.objects.filter(kind="proctors").exists()


def random_inputs(rng):
    """A random exam day: sites hosted by some schools, proctors from others, a few relatives."""
    schools = [f"S{n}" for n in range(rng.randint(2, 6))]
    sites = [{"id": n, "school": rng.choice(schools)} for n in range(1, rng.randint(2, 5))]
    rooms = [{"id": n, "site": rng.choice(sites)["id"]} for n in range(1, rng.randint(2, 12))]
    proctors = [
        {
            "id": n,
            "school": rng.choice(schools),
            "avoid_sites": sorted({s["id"] for s in sites if rng.random() < 0.1}),
        }
        for n in range(1, rng.randint(4, 40))
    ]
    sessions = list(range(1, rng.randint(2, 4)))
    return {"sessions": sessions, "sites": sites, "rooms": rooms, "proctors": proctors}


def test_property_every_result_obeys_the_rules_and_every_refusal_proves_itself():
    """Pure draws on 300 random days: a result keeps every rule; a refusal names rooms whose
    eligible proctors are fewer than the places to fill (so no assignment could exist)."""
    outcomes = {"drawn": 0, "refused": 0}
    for case in range(300):
        inputs = random_inputs(draws.rng_for("property", case))
        school_of_site = {s["id"]: s["school"] for s in inputs["sites"]}
        site_of_room = {r["id"]: r["site"] for r in inputs["rooms"]}
        proctor = {p["id"]: p for p in inputs["proctors"]}
        try:
            result = proctor_draw.run(inputs, draws.rng_for(str(case)))
        except proctor_draw.Shortage as e:
            outcomes["refused"] += 1
            if e.session == inputs["sessions"][0]:  # no history yet: check the proof directly
                eligible = {
                    p["id"]
                    for p in inputs["proctors"]
                    for room in e.rooms
                    if p["school"] != school_of_site[site_of_room[room]]
                    and site_of_room[room] not in p["avoid_sites"]
                }
                assert len(eligible) == e.available < e.needed <= 2 * len(e.rooms)
            continue
        outcomes["drawn"] += 1
        assert result == proctor_draw.run(inputs, draws.rng_for(str(case)))
        seen_rooms = {}
        for session in result["sessions"]:
            people = [pid for _room, *pair in session["rooms"] for pid in pair]
            assert len(people) == len(set(people)) == 2 * len(inputs["rooms"])
            for room, *pair in session["rooms"]:
                site = site_of_room[room]
                for pid in pair:
                    assert proctor[pid]["school"] != school_of_site[site]
                    assert site not in proctor[pid]["avoid_sites"]
                    assert room not in seen_rooms.setdefault(pid, set())
                    seen_rooms[pid].add(room)
    assert outcomes["drawn"] > 50 and outcomes["refused"] > 50
