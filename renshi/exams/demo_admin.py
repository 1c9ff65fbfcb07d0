"""Exam administration (考务) for the demo exam 2602 (事业单位, payment closed, all paid): sessions,
sites and rooms, the seat draw, the proctor pool and draw, the day's incidents, written scores
(imported from a real .xlsx through the import service), publication, a score review, the
interview shortlist, the examiner pool, tomorrow's panels and their draws.

Everything goes through the services, so every rule holds and every draw verifies. The data come
from one `random.Random(seed)`: the same seed gives the same pools, scores and draws.

Timeline (relative to now, the hour): tickets printable from six days ago and still now (a change
notice extends the window: the ticket is shown again at the 资格复审 and the interview); the
written exam four days ago (the proctor draw ran before it: sessions are created in the future,
drawn, then moved to the exam day with `session_update`); scores published two days ago, the
review window closed an hour ago; the shortlist built now; interviews tomorrow. Interview scores,
the composite ranking and the hire list are left for the visitor (logged in as `examiner`).
"""

import datetime
import io
import math
import random
from decimal import Decimal

import openpyxl
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from renshi.core import crypto
from renshi.core.roles import Role
from renshi.core.services import user_create
from renshi.exams import scores_import
from renshi.exams.demo import GIVEN, SURNAMES
from renshi.exams.models import (
    Exam,
    Examiner,
    ExamSession,
    IncidentKind,
    InterviewPanel,
    InterviewSlot,
    Proctor,
    ProctorAssignment,
    Seat,
    ShortlistEntry,
)
from renshi.exams.services import (
    incidents,
    office,
    panels,
    proctors,
    scores,
    seating,
    shortlist,
)
from renshi.personnel.demo import PASSWORD
from renshi.personnel.models import Unit

EXAM_CODE = "2602"
WITNESSES = "纪检监察室 王某、人大代表 李某"
ROOM_SIZE = 30
SITES = [
    ("01", "鞍山市第一中学考点", "鞍山市第一中学", "鞍山市铁东区园林路"),
    ("02", "鞍山市第三中学考点", "鞍山市第三中学", "鞍山市铁西区人民路"),
    ("03", "鞍山师范学院附属中学考点", "鞍山师范学院附属中学", "鞍山市立山区鞍千路"),
]
# The three site schools first: their teachers may not proctor at their own school.
SCHOOLS = [
    *(site[2] for site in SITES),
    "鞍山市第二中学",
    "鞍山市第八中学",
    "鞍山市第十三中学",
    "鞍山市第二十四中学",
    "鞍山市第三十九中学",
]
RELATIONS = ["子女", "兄弟姐妹", "配偶"]
ANSHAN_UNITS = [
    "辽宁科技大学",
    "鞍山师范学院",
    "中共鞍山市委党校",
    "鞍山市财政局",
    "鞍山市教育局",
    "鞍山市中心医院",
    "鞍山市人力资源和社会保障局",
    "鞍山市卫生健康委员会",
    "鞍山市司法局",
    "鞍山市审计局",
    "铁东区人民政府",
    "铁西区人民政府",
    "立山区人民政府",
    "千山区人民政府",
    "海城市人民政府",
]
OTHER_CITIES = {
    "沈阳市": ["辽宁大学", "东北大学", "沈阳市人力资源和社会保障局", "中共沈阳市委党校"],
    "大连市": ["东北财经大学", "大连理工大学", "大连市人力资源和社会保障局", "辽宁师范大学"],
    "辽阳市": ["辽阳市人力资源和社会保障局", "辽阳市教育局", "辽阳职业技术学院"],
    "营口市": ["营口理工学院", "营口市人力资源和社会保障局", "营口市财政局"],
}
PANEL_ROOMS = ["第一面试室", "第二面试室", "第三面试室"]


def exam() -> Exam | None:
    return Exam.objects.filter(code=EXAM_CODE).first()


def is_loaded() -> bool:
    return ExamSession.objects.filter(exam__code=EXAM_CODE).exists()


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))


def _seed(rng) -> str:
    return f"{rng.randrange(10**12):012d}"


@transaction.atomic
def load(*, seed: int = 2026, log=print) -> dict:
    the_exam = exam()
    if the_exam is None:
        raise ValueError("请先加载演示考试（load_demo_exams）")
    actor = get_user_model().objects.filter(username="exam_office").first()
    if actor is None:
        raise ValueError("请先加载演示城市和演示账号（load_demo_city）")
    rng = random.Random(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    exam_day = timezone.localdate() - datetime.timedelta(days=4)

    _ticket_window(actor, the_exam, now)
    sessions = _sessions(actor, the_exam, timezone.localdate() + datetime.timedelta(days=10))
    _sites(actor, the_exam)
    seat_draws = seating.seats_assign_exam(
        actor=actor, exam=the_exam, witnesses=WITNESSES, seed=_seed(rng)
    )
    seated = list(
        Seat.objects.filter(application__exam=the_exam)
        .select_related("application__candidate", "room__site")
        .order_by("ticket_number")
    )
    rooms = len({s.room_id for s in seated})
    log(f"考场编排：{len(seated)}名考生，{rooms}个考场（{len(SITES)}个考点）")

    pool = _proctor_pool(actor, rng, rooms, seated)
    proctor_draw = proctors.proctors_draw(
        actor=actor, exam=the_exam, seed=_seed(rng), witnesses=WITNESSES
    )
    proctor = _proctor_login(actor, proctor_draw)
    log(f"监考人员库 {len(pool)} 人，已抽签；监考账号 proctor → {proctor.name}（{proctor.school}）")

    _move_sessions(actor, sessions, exam_day)
    recorded = _incidents(actor, rng, sessions, seated)

    _scores(actor, rng, the_exam, seated, sessions, recorded, now)
    built = shortlist.shortlist_build(actor=actor, exam=the_exam)
    log(f"笔试成绩已发布；面试名单 {sum(built.values())} 人（{len(built)}个职位）")

    pool = _examiner_pool(actor, rng, the_exam)
    made = _panels(actor, rng, the_exam, timezone.localdate() + datetime.timedelta(days=1))
    log(f"面试考官库 {len(pool)} 人，明天 {len(made)} 个考官组，考官和面试顺序均已抽签")
    return {
        "seated": len(seated),
        "rooms": rooms,
        "draws": len(seat_draws) + 2 + len(made),
        "panels": len(made),
    }


# --- Tickets, sessions, sites --------------------------------------------------------------


def _ticket_window(actor, the_exam, now) -> None:
    """Printable from six days ago until after the interview (a change notice, as offices do)."""
    closes = now + datetime.timedelta(days=3)
    office.change_notice_publish(
        actor=actor,
        exam=the_exam,
        title="关于延长准考证打印时间的公告",
        body=(
            "因资格复审和面试时须再次出示准考证，准考证打印截止时间延长至"
            f"{timezone.localtime(closes):%Y年%m月%d日%H时}。请考生妥善保管准考证。"
        ),
        changes={
            "ticket_opens": the_exam.ticket_opens or now - datetime.timedelta(days=6),
            "ticket_closes": closes,
        },
        now=now - datetime.timedelta(days=5),
    )


def _at(day, hour, minute=0):
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), timezone.get_current_timezone()
    )


SESSION_TIMES = [("01", "上午场", (9, 0), (11, 0)), ("02", "下午场", (14, 0), (16, 30))]


def _session_plan(the_exam):
    """上午 公共基础知识, 下午 行政职业能力测验 (the exam's subjects, the last one first)."""
    subjects = list(the_exam.subjects.order_by("-order", "id"))
    return [(times, [subject]) for times, subject in zip(SESSION_TIMES, subjects, strict=False)]


def _sessions(actor, the_exam, day) -> list:
    """Created on a future day: the proctor draw must run before the exam starts."""
    return [
        seating.session_create(
            actor=actor,
            exam=the_exam,
            subjects=subjects,
            code=code,
            name=name,
            starts_at=_at(day, *start),
            ends_at=_at(day, *end),
        )
        for (code, name, start, end), subjects in _session_plan(the_exam)
    ]


def _move_sessions(actor, sessions, day) -> None:
    """The exam took place on `day` (after the proctor draw)."""
    for session, (_code, _name, start, end) in zip(sessions, SESSION_TIMES, strict=False):
        seating.session_update(
            actor=actor,
            session=session,
            subjects=list(session.subjects.all()),
            starts_at=_at(day, *start),
            ends_at=_at(day, *end),
        )
        session.refresh_from_db()


def _sites(actor, the_exam) -> None:
    """Three schools with enough rooms of 30 for every paid candidate (spread evenly)."""
    area = the_exam.areas.order_by("code").first()
    paid = seating.seated_applications(the_exam.pk, area.pk).count()
    per_site = max(1, math.ceil(math.ceil(paid / ROOM_SIZE) / len(SITES)))
    for code, name, school, address in SITES:
        site = seating.site_create(
            actor=actor, exam=the_exam, area=area, code=code, name=name, school=school,
            address=address,
        )  # fmt: skip
        seating.rooms_add(actor=actor, site=site, count=per_site, capacity=ROOM_SIZE)


# --- Proctors and the exam day -------------------------------------------------------------


def _proctor_pool(actor, rng, rooms, seated) -> list:
    """1.5 proctors per place (two per room), teachers of eight schools, a few of whom declare
    a relative sitting the exam (kept away from that site by the draw)."""
    size = max(16, math.ceil(rooms * 2 * 1.5))
    pool = [
        proctors.proctor_create(
            actor=actor,
            name=_name(rng),
            school=SCHOOLS[n % len(SCHOOLS)],
            phone=f"138{rng.randrange(10**8):08d}",
        )
        for n in range(size)
    ]
    outsiders = [p for p in pool if p.school not in {s[2] for s in SITES}]
    relatives = rng.sample(seated, k=min(3, len(seated)))
    for proctor, seat, relation in zip(outsiders, relatives, RELATIONS, strict=False):
        candidate = seat.application.candidate
        proctors.proctor_relative_add(
            actor=actor,
            proctor=proctor,
            name=candidate.name,
            id_number=crypto.decrypt(candidate.id_number_cipher),
            relation=relation,
        )
    return pool


def _proctor_login(actor, draw) -> Proctor:
    """The `proctor` account: a teacher drawn for both sessions."""
    rows = ProctorAssignment.objects.filter(draw=draw).order_by("proctor_id", "session__starts_at")
    counts = {}
    for proctor_id in rows.values_list("proctor_id", flat=True):
        counts[proctor_id] = counts.get(proctor_id, 0) + 1
    chosen = max(sorted(counts), key=lambda pid: counts[pid])
    proctor = Proctor.objects.get(pk=chosen)
    proctors.proctor_account_create(
        actor=actor, proctor=proctor, username="proctor", password=PASSWORD
    )
    return proctor


def _incidents(actor, rng, sessions, seated) -> dict:
    """Two absences (one per session) and one violation, recorded by the office on the day.
    Returns {application id: (session, kind)} for the score sheet."""
    chosen = rng.sample(seated, k=min(3, len(seated)))
    recorded = {}
    for seat, session in zip(chosen[:2], sessions, strict=False):
        incidents.incident_record(
            actor=actor, application=seat.application, session=session, kind=IncidentKind.ABSENT
        )
        recorded[seat.application_id] = (session, IncidentKind.ABSENT)
    if len(chosen) == 3:
        seat, session = chosen[2], sessions[0]
        incident = incidents.incident_record(
            actor=actor,
            application=seat.application,
            session=session,
            kind=IncidentKind.VIOLATION,
            description="开考后监考人员发现其桌斗内放有与考试内容相关的复习资料，当场收缴并制作记录。",
        )
        incidents.incident_update(
            actor=actor,
            incident=incident,
            description=incident.description,
            decision="本场考试成绩无效",
        )
        recorded[seat.application_id] = (session, IncidentKind.VIOLATION)
    return recorded


# --- Written scores ------------------------------------------------------------------------


def _score(rng, ability) -> Decimal:
    """A subject score around the candidate's ability, 30–95, in half points."""
    value = min(95.0, max(30.0, ability + rng.gauss(0, 6)))
    return Decimal(round(value * 2)) / 2


def _sheet(rng, the_exam, seated, recorded) -> bytes:
    """The score sheet as the marking centre sends it: 准考证号, 姓名, one column per subject;
    缺考 where the proctors recorded an absence, 0 where a violation voided the session."""
    subjects = list(the_exam.subjects.order_by("order", "id"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([scores_import.TICKET_HEADER, "姓名", *(s.name for s in subjects)])
    for seat in seated:
        ability = rng.gauss(65, 10)
        row = [seat.ticket_number, seat.application.candidate.name]
        session, kind = recorded.get(seat.application_id, (None, None))
        voided = {s.pk for s in session.subjects.all()} if session else set()
        for subject in subjects:
            score = _score(rng, ability)
            if subject.pk in voided:
                score = "缺考" if kind == IncidentKind.ABSENT else 0
            row.append(score if isinstance(score, str | int) else float(score))
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _scores(actor, rng, the_exam, seated, sessions, recorded, now) -> None:
    """Rules (50/50, line 60), the import, publication two days ago, one score review answered
    within the window (closed an hour ago)."""
    subjects = list(the_exam.subjects.order_by("order", "id"))
    first = subjects[0].code
    scores.scoring_rules_save(
        actor=actor,
        exam=the_exam,
        subject_weights={s.code: "0.5" for s in subjects},
        min_written="60",
        min_subject={},
        interview_ratio=3,
        tie_break=["written", f"subject:{first}"],
    )
    report = scores_import.score_check(_sheet(rng, the_exam, seated, recorded), the_exam)
    if report.fatal or report.errors:
        raise ValueError(report.fatal or str(report.errors[0]))
    scores_import.score_import(
        actor=actor,
        exam=the_exam,
        report=report,
        only_valid=False,
        filename=f"{the_exam.code}笔试成绩.xlsx",
    )
    published_at = now - datetime.timedelta(days=2)
    scores.scores_publish(
        actor=actor,
        exam=the_exam,
        published_at=published_at,
        review_closes=now - datetime.timedelta(hours=1),
    )
    sat = [s for s in seated if s.application_id not in recorded]
    if sat:
        seat = rng.choice(sat)
        asked = published_at + datetime.timedelta(hours=20)
        review = scores.review_request_submit(
            candidate=seat.application.candidate,
            application_id=seat.application_id,
            subject_id=subjects[-1].pk,
            reason="本人估分与公布成绩相差较大，申请复核。",
            now=asked,
        )
        scores.review_request_decide(
            actor=actor,
            review_id=review.pk,
            corrected=False,
            note="经复核，答题卡扫描、评分及登分均无误，成绩不变。",
            now=asked + datetime.timedelta(hours=22),
        )


# --- Interviews ----------------------------------------------------------------------------


def _examiner_pool(actor, rng, the_exam) -> list:
    """About 60 examiners from five cities, levels 1–3. The three 一级 examiners come from units
    hiring nobody in this exam, so the draw makes each of them a chief examiner; one of them is
    the `examiner` account."""
    hiring = set(the_exam.positions.values_list("hiring_unit_name", flat=True))
    units = {u.name: u for u in Unit.objects.filter(name__in=ANSHAN_UNITS).order_by("-id")}
    people = []  # (city, unit name)
    for n in range(30):
        people.append(("鞍山市", ANSHAN_UNITS[n % len(ANSHAN_UNITS)]))
    for city, names in OTHER_CITIES.items():
        for n in range(8 if city in ("沈阳市", "大连市") else 7):
            people.append((city, names[n % len(names)]))
    free = [i for i, (_city, unit) in enumerate(people) if unit not in hiring]
    first_of = {
        city: next(i for i, p in enumerate(people) if p[0] == city) for city in OTHER_CITIES
    }
    chiefs = [free[0], first_of["沈阳市"], first_of["大连市"]]
    made = []
    for index, (city, unit_name) in enumerate(people):
        name, login = _name(rng), None
        if index == chiefs[0]:
            login = user_create(
                actor=actor, username="examiner", full_name=name, role=Role.EXAMINER,
                password=PASSWORD,
            )  # fmt: skip
        made.append(
            panels.examiner_create(
                actor=actor,
                login=login,
                name=name,
                certificate_level=1 if index in chiefs else rng.choice([2, 2, 3, 3, 3]),
                unit_name=unit_name,
                unit=units.get(unit_name) if city == "鞍山市" else None,
                city=city,
            )
        )
    return made


def _panels(actor, rng, the_exam, day) -> list:
    """Tomorrow's panels: the listed positions dealt over three panels by code, then the
    examiner draw for the day and each panel's interview-order draw."""
    listed = sorted(
        set(
            ShortlistEntry.objects.filter(position__exam=the_exam).values_list(
                "position__code", "position_id"
            )
        )
    )
    count = min(len(PANEL_ROOMS), len(listed))
    made = [
        panels.panel_create(
            actor=actor,
            exam=the_exam,
            date=day,
            code=str(n + 1),
            room=PANEL_ROOMS[n],
            position_ids=[pid for i, (_code, pid) in enumerate(listed) if i % count == n],
        )
        for n in range(count)
    ]
    if made:
        panels.examiners_draw(
            actor=actor, exam=the_exam, date=day, seed=_seed(rng), witnesses=WITNESSES
        )
        for panel in made:
            panels.interview_order_draw(
                actor=actor, panel=panel, seed=_seed(rng), witnesses=WITNESSES
            )
    return made


# --- What a visitor logs in as --------------------------------------------------------------


def demo_candidate():
    """A seated, shortlisted candidate on the `examiner` account's panel (interviewed first):
    ticket, scores, the shortlist and the interview order. (seat, slot) or (None, None)."""
    the_exam = exam()
    if the_exam is None:
        return None, None
    panel = InterviewPanel.objects.filter(
        exam=the_exam, members__examiner__user__username="examiner"
    ).first()
    slots = InterviewSlot.objects.filter(panel__exam=the_exam)
    if panel:
        slots = slots.filter(panel=panel)
    slot = (
        slots.select_related("application__candidate", "application__seat")
        .order_by("order", "panel__code")
        .first()
    )
    if slot is None:
        return None, None
    return slot.application.seat, slot


def account_lines() -> list[str]:
    lines = [f"考务演示（考试 {EXAM_CODE}），员工账号密码均为 {PASSWORD}："]
    lines.append("  exam_office  考试中心：考场编排、准考证、监考、成绩、面试与录用 /exams/office/")
    proctor = Proctor.objects.filter(user__username="proctor").first()
    if proctor:
        lines.append(
            f"  proctor      监考人员 {proctor.name}：本人监考安排与考场记录 /exams/proctors/mine/"
        )
    examiner = Examiner.objects.filter(user__username="examiner").first()
    if examiner:
        lines.append(
            f"  examiner     面试考官 {examiner.name}：明天本组的面试评分 /exams/interviews/me/"
        )
    seat, slot = demo_candidate()
    if seat is not None:
        candidate = seat.application.candidate
        phone = crypto.decrypt(candidate.phone_cipher)
        lines.append(
            f"  考生 {candidate.name}：手机 {phone}，密码 Renshi@2026（/exams/ 考生登录）"
            f"——准考证 {seat.ticket_number}、笔试成绩、面试名单，面试{slot.panel}第{slot.order}号"
        )
    return lines
