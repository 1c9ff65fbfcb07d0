"""Interview panels (面试考官组): the examiner pool, panels and their positions, the day's draw of
examiners and of the candidates' order, each examiner's score and the interview score.

Rules (reference §3.4): 5–9 examiners per panel, odd, usually 7, one chief examiner (主考官) drawn
first among the highest certificate level (一级 is the highest); at least 2 examiners from another
city (异地考官); never two from the same unit in one panel; an examiner from a hiring unit never
sits on a panel interviewing that unit's positions. Candidates are known to examiners only by
their order number (抽签号). Interview score = mean after dropping one highest and one lowest
score, two decimals rounded half up; pass line 60, or 70 where a position has no competition.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count

from renshi.core import roles
from renshi.core.audit import audit_record, jsonable
from renshi.exams import draws
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    DrawKind,
    Examiner,
    ExaminerScore,
    InterviewPanel,
    InterviewSlot,
    PanelMember,
    Position,
    Result,
    ScoringRules,
    ShortlistEntry,
    ShortlistStatus,
)

CENT = Decimal("0.01")
INTERVIEWED = (ShortlistStatus.INVITED, ShortlistStatus.QUALIFIED)
DRAW_ATTEMPTS = 50
EXAMINER_FIELDS = ["name", "certificate_level", "unit_name", "unit", "city", "active"]


def exam_city() -> str:
    return getattr(settings, "EXAM_CITY", "鞍山市")


def same_city(a: str, b: str) -> bool:
    """'鞍山' and '鞍山市' name the same city."""
    return a.strip().removesuffix("市") == b.strip().removesuffix("市")


def rules_for(exam) -> ScoringRules:
    rules, _ = ScoringRules.objects.get_or_create(exam=exam)
    return rules


def check_panel_rules(rules) -> None:
    size, out = rules.panel_size, rules.panel_out_of_town
    if not (5 <= size <= 9 and size % 2):
        raise ExamError(f"每组考官人数须为5–9之间的奇数（现为{size}）", field="panel_size")
    if out > size:
        raise ExamError(f"异地考官最少人数（{out}）不能超过每组人数（{size}）")


# --- Examiner pool ---------------------------------------------------------------------------


def _clean_examiner(examiner) -> None:
    if not 1 <= examiner.certificate_level <= 9:
        raise ExamError("考官资格等级须为1–9级（一级最高）", field="certificate_level")
    for field, label in (("name", "姓名"), ("unit_name", "工作单位"), ("city", "所在城市")):
        if not getattr(examiner, field).strip():
            raise ExamError(f"{label}不能为空", field=field)


def examiner_create(*, actor, login=None, **fields) -> Examiner:
    """A pool examiner; `login` (a User with Role.EXAMINER) lets them enter their own scores."""
    examiner = Examiner(**fields)
    _clean_examiner(examiner)
    if login is not None and login.role != roles.Role.EXAMINER:
        raise ExamError("登录账号的角色须为“面试考官”", field="login")
    with transaction.atomic():
        examiner.user = login
        try:
            examiner.save()
        except IntegrityError:
            raise ExamError("该登录账号已关联其他考官", field="login") from None
        audit_record(
            actor=actor,
            action="examiner.create",
            obj=examiner,
            after={f: getattr(examiner, f if f != "unit" else "unit_id") for f in EXAMINER_FIELDS},
        )
    return examiner


# --- Panels and their positions --------------------------------------------------------------


def panel_create(*, actor, exam, date, code, room="", position_ids=()) -> InterviewPanel:
    """A panel for one day; the office assigns the positions it interviews before the draw.
    A position is interviewed by one panel only (same day, same panel, same questions)."""
    code = code.strip()
    if not code:
        raise ExamError("请填写考官组编号", field="code")
    positions = list(Position.objects.filter(exam=exam, pk__in=position_ids).order_by("pk"))
    if not positions:
        raise ExamError("请至少选择一个面试职位", field="positions")
    with transaction.atomic():
        taken = (
            InterviewPanel.positions.through.objects.filter(
                position__in=positions, interviewpanel__exam=exam
            )
            .select_related("interviewpanel", "position")
            .first()
        )
        if taken:
            raise ExamError(
                f"职位 {taken.position.code} 已由{taken.interviewpanel}面试，"
                "同一职位只能由一个考官组面试",
                field="positions",
            )
        if InterviewPanel.objects.filter(exam=exam, date=date, code=code).exists():
            raise ExamError(f"{date:%Y-%m-%d} 已有第{code}考官组", field="code")
        panel = InterviewPanel.objects.create(exam=exam, date=date, code=code, room=room)
        panel.positions.set(positions)
        audit_record(
            actor=actor,
            action="panel.create",
            obj=panel,
            after={
                "date": date.isoformat(),
                "code": code,
                "positions": [p.code for p in positions],
            },
        )
    return panel


# --- Examiner draw ---------------------------------------------------------------------------


def _unit_keys(unit_id, *names) -> list[str]:
    keys = {f"id:{unit_id}"} if unit_id else set()
    keys |= {f"name:{n.strip()}" for n in names if n and n.strip()}
    return sorted(keys)


def _pool_row(examiner) -> dict:
    return {
        "id": examiner.pk,
        "level": examiner.certificate_level,
        "units": _unit_keys(
            examiner.unit_id, examiner.unit_name, examiner.unit.name if examiner.unit else ""
        ),
        "city": examiner.city,
    }


def _panel_rows(panels) -> list[dict]:
    rows = []
    for panel in panels:
        keys = set()
        for position in panel.positions.all():
            unit_name = position.unit.name if position.unit else ""
            keys.update(_unit_keys(position.unit_id, position.hiring_unit_name, unit_name))
        rows.append({"id": panel.pk, "code": panel.code, "recuse": sorted(keys)})
    return rows


def _examiner_inputs(draw) -> dict:
    """What the day's draw was made from: the pool as recorded (ids), read again from the
    database, the panels with the units they interview, and the rules at the time."""
    pool = (
        Examiner.objects.filter(pk__in=draw.summary.get("pool", []))
        .select_related("unit")
        .order_by("pk")
    )
    panels = (
        InterviewPanel.objects.filter(draw=draw)
        .prefetch_related("positions__unit")
        .order_by("code", "pk")
    )
    return {
        "city": draw.summary.get("city"),
        "size": draw.summary.get("size"),
        "out_of_town": draw.summary.get("out_of_town"),
        "panels": _panel_rows(panels),
        "pool": [_pool_row(e) for e in pool],
    }


def _seed(seed) -> str:
    """The seed read out in front of the witnesses, or a fresh one."""
    seed = (seed or "").strip() or draws.new_seed()
    if not seed.isdigit() or len(seed) > 20:
        raise ExamError("随机种子须为不超过20位的数字", field="seed")
    return seed


class DrawImpossible(ExamError):
    pass


@dataclass
class _Panel:
    row: dict
    members: list
    units: set
    out: int = 0


def _precheck(inputs) -> None:
    size, need_out, city = inputs["size"], inputs["out_of_town"], inputs["city"]
    pool, panels = inputs["pool"], inputs["panels"]
    if len(pool) < size * len(panels):
        raise DrawImpossible(f"考官库可用考官{len(pool)}人，不足{len(panels)}个考官组×每组{size}人")
    outsiders = [e for e in pool if not same_city(e["city"], city)]
    if len(outsiders) < need_out * len(panels):
        raise DrawImpossible(
            f"异地考官共{len(outsiders)}人，不足{len(panels)}个考官组×每组至少{need_out}人"
        )
    for panel in panels:
        recuse = set(panel["recuse"])
        free = [e for e in pool if not recuse & set(e["units"])]
        name = f"第{panel['code']}考官组"
        if len(free) < size:
            raise DrawImpossible(
                f"{name}：回避本组面试职位所属单位后可用考官仅{len(free)}人，不足{size}人"
            )
        if len({min(e["units"]) for e in free}) < size:
            raise DrawImpossible(
                f"{name}：可用考官来自的单位不足{size}个，同一单位的考官不能在同一组"
            )
        if sum(not same_city(e["city"], city) for e in free) < need_out:
            raise DrawImpossible(f"{name}：回避后异地考官不足{need_out}人")


def _attempt(inputs, rng):
    """One randomised greedy pass: chiefs first, then the out-of-town quota, then the rest.
    Returns (result, None) or (None, (panel code, constraint))."""
    size, need_out, city = inputs["size"], inputs["out_of_town"], inputs["city"]
    free = {e["id"]: e for e in inputs["pool"]}
    outsider = {e["id"]: not same_city(e["city"], city) for e in inputs["pool"]}
    panels = [_Panel(row=p, members=[], units=set()) for p in inputs["panels"]]

    def candidates(panel, *, only_out=False):
        recuse = set(panel.row["recuse"])
        return [
            e
            for e in free.values()
            if not (recuse | panel.units) & set(e["units"]) and (outsider[e["id"]] or not only_out)
        ]

    def take(panel, examiner):
        panel.members.append(examiner["id"])
        panel.units.update(examiner["units"])
        panel.out += outsider[examiner["id"]]
        del free[examiner["id"]]

    for panel in panels:
        choice = candidates(panel)
        if not choice:
            return None, (panel.row["code"], "没有可任主考官的考官（均须回避或已抽出）")
        best = min(e["level"] for e in choice)
        take(panel, rng.choice([e for e in choice if e["level"] == best]))
    for panel in panels:
        while panel.out < need_out:
            choice = candidates(panel, only_out=True)
            if not choice:
                return None, (panel.row["code"], f"异地考官不足{need_out}人")
            take(panel, rng.choice(choice))
    for panel in panels:
        while len(panel.members) < size:
            choice = candidates(panel)
            if not choice:
                return None, (panel.row["code"], f"满足同组不同单位、单位回避的考官不足{size}人")
            take(panel, rng.choice(choice))
    return [
        {"panel": p.row["id"], "chief": p.members[0], "members": p.members} for p in panels
    ], None


def _examiner_run(inputs, rng, draw=None):
    """Deterministic given (inputs, rng): the pool is sorted by id and dicts keep that order.
    When re-run for verification (`draw` given), an impossible draw is a mismatch, not an error."""
    try:
        _precheck(inputs)
        failure = None
        for _ in range(DRAW_ATTEMPTS):
            result, failure = _attempt(inputs, rng)
            if result is not None:
                return result
        code, constraint = failure
        raise DrawImpossible(f"第{code}考官组：{constraint}（已尝试{DRAW_ATTEMPTS}次）")
    except DrawImpossible as e:
        if draw is None:
            raise
        return {"impossible": e.message}


draws.register(DrawKind.EXAMINERS, inputs=_examiner_inputs, run=_examiner_run)


def examiners_draw(*, actor, exam, date, seed=None, witnesses=""):
    """Draw every panel of the day at once (so no examiner sits on two panels)."""
    rules = rules_for(exam)
    check_panel_rules(rules)
    seed = _seed(seed)
    with transaction.atomic():
        panels = list(
            InterviewPanel.objects.select_for_update()
            .filter(exam=exam, date=date)
            .order_by("code", "pk")
        )
        if not panels:
            raise ExamError(f"{date:%Y-%m-%d} 没有考官组，请先设置考官组及其面试职位")
        if any(p.draw_id for p in panels):
            raise ExamError(f"{date:%Y-%m-%d} 的考官已抽签，不能重复抽签")
        empty = [p for p in panels if not p.positions.exists()]
        if empty:
            raise ExamError(f"{empty[0]}尚未分配面试职位")
        # An examiner already sitting on a panel that day (another exam's) is not in the pool.
        busy = PanelMember.objects.filter(panel__date=date).values("examiner_id")
        pool = (
            Examiner.objects.filter(active=True)
            .exclude(pk__in=busy)
            .select_related("unit")
            .order_by("pk")
        )
        inputs = {
            "city": exam_city(),
            "size": rules.panel_size,
            "out_of_town": rules.panel_out_of_town,
            "panels": _panel_rows(
                InterviewPanel.objects.filter(pk__in=[p.pk for p in panels])
                .prefetch_related("positions__unit")
                .order_by("code", "pk")
            ),
            "pool": [_pool_row(e) for e in pool],
        }
        result = _examiner_run(inputs, draws.rng_for(seed))
        summary = {
            "date": date.isoformat(),
            "city": inputs["city"],
            "size": inputs["size"],
            "out_of_town": inputs["out_of_town"],
            "pool": [e["id"] for e in inputs["pool"]],
        }
        draw = draws.record(
            exam=exam,
            kind=DrawKind.EXAMINERS,
            seed=seed,
            inputs=inputs,
            result=result,
            actor=actor,
            scope=date.isoformat(),
            witnesses=witnesses,
            summary=summary,
        )
        InterviewPanel.objects.filter(pk__in=[p.pk for p in panels]).update(draw=draw)
        PanelMember.objects.bulk_create(
            PanelMember(
                panel_id=row["panel"], examiner_id=examiner_id, chief=examiner_id == row["chief"]
            )
            for row in result
            for examiner_id in row["members"]
        )
    return draw


# --- Interview order -------------------------------------------------------------------------


def _order_inputs(draw) -> dict:
    panel = InterviewPanel.objects.get(order_draw=draw)
    return {
        "panel": panel.pk,
        "applications": sorted(panel.slots.values_list("application_id", flat=True)),
    }


def _order_run(inputs, rng, draw=None):
    order = list(inputs["applications"])
    rng.shuffle(order)
    return [[application_id, n] for n, application_id in enumerate(order, 1)]


draws.register(DrawKind.INTERVIEW_ORDER, inputs=_order_inputs, run=_order_run)


def interview_order_draw(*, actor, panel, seed=None, witnesses=""):
    """The panel's candidates (invited or qualified on the shortlist of its positions) draw
    their order (抽签); from then on examiners know them only by that number."""
    seed = _seed(seed)
    with transaction.atomic():
        panel = InterviewPanel.objects.select_for_update().get(pk=panel.pk)
        if panel.order_draw_id:
            raise ExamError(f"{panel}的面试顺序已抽签，不能重复抽签")
        if not panel.draw_id:
            raise ExamError(f"{panel}尚未抽取考官")
        applications = sorted(
            ShortlistEntry.objects.filter(
                position__in=panel.positions.all(), status__in=INTERVIEWED
            ).values_list("application_id", flat=True)
        )
        if not applications:
            raise ExamError(f"{panel}的面试职位没有进入面试的考生")
        inputs = {"panel": panel.pk, "applications": applications}
        result = _order_run(inputs, draws.rng_for(seed))
        draw = draws.record(
            exam=panel.exam,
            kind=DrawKind.INTERVIEW_ORDER,
            seed=seed,
            inputs=inputs,
            result=result,
            actor=actor,
            scope=f"{panel.date:%Y-%m-%d} 第{panel.code}考官组",
            witnesses=witnesses,
            summary={"panel": panel.pk, "candidates": len(result)},
        )
        InterviewSlot.objects.bulk_create(
            InterviewSlot(panel=panel, application_id=application_id, order=n)
            for application_id, n in result
        )
        panel.order_draw = draw
        panel.save(update_fields=["order_draw"])
    return draw


def slot_mark_absent(*, actor, slot, absent=True) -> None:
    with transaction.atomic():
        slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
        if slot.scores.exists():
            raise ExamError(f"{slot.order}号考生已有考官评分，不能标记缺考")
        before = slot.absent
        slot.absent = absent
        slot.save(update_fields=["absent"])
        audit_record(
            actor=actor, action="interview.absent", obj=slot,
            before={"absent": before}, after={"absent": absent},
        )  # fmt: skip
        _apply_pass_lines(slot.panel, slot.application.position_id)


# --- Scores ----------------------------------------------------------------------------------


def trimmed_mean(scores) -> Decimal:
    """Drop one highest and one lowest, average the rest, two decimals rounded half up.

    >>> trimmed_mean([Decimal(x) for x in ("80", "85.5", "90", "70", "88", "86", "84")])
    Decimal('84.70')
    """
    ordered = sorted(Decimal(s) for s in scores)
    if len(ordered) < 3:
        raise ValueError("a trimmed mean needs at least three scores")
    kept = ordered[1:-1]
    return (sum(kept) / len(kept)).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_score(text) -> Decimal:
    try:
        score = Decimal(str(text).strip())
    except InvalidOperation:
        raise ExamError(f"评分「{text}」不是数字", field="score") from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ExamError("评分须在0–100分之间", field="score")
    if score != score.quantize(CENT):
        raise ExamError("评分最多保留两位小数", field="score")
    return score.quantize(CENT)


def examiner_of(user) -> Examiner | None:
    if not roles.has_role(user, {roles.Role.EXAMINER}):
        return None
    return Examiner.objects.filter(user=user, active=True).first()


def score_enter(*, actor, slot_id, score) -> ExaminerScore:
    """An examiner's own score for one candidate, once, never changed. The candidate's
    interview score is computed when the last member of the panel has scored."""
    value = parse_score(score)
    examiner = examiner_of(actor)
    with transaction.atomic():
        # Lock the slot: the last two examiners finishing at once must not both (or neither)
        # see the panel complete.
        slot = InterviewSlot.objects.select_for_update().filter(pk=slot_id).first()
        if (
            examiner is None
            or slot is None
            or not PanelMember.objects.filter(panel_id=slot.panel_id, examiner=examiner).exists()
        ):
            raise ExamError("找不到该考生", code="not_found")
        if slot.absent:
            raise ExamError(f"{slot.order}号考生缺考，不能评分")
        if ExaminerScore.objects.filter(slot=slot, examiner=examiner).exists():
            raise ExamError(f"您已为{slot.order}号考生评分，评分提交后不可修改")
        entry = ExaminerScore.objects.create(slot=slot, examiner=examiner, score=value)
        audit_record(
            actor=actor,
            action="interview.score",
            obj=slot,
            after={"examiner": examiner.pk, "order": slot.order, "score": str(value)},
        )
        members = PanelMember.objects.filter(panel_id=slot.panel_id).count()
        scores = list(slot.scores.values_list("score", flat=True))
        if len(scores) == members:
            _finish_slot(actor, slot, scores)
    return entry


def _finish_slot(actor, slot, scores) -> None:
    interview = trimmed_mean(scores)
    result, _ = Result.objects.select_for_update().get_or_create(application_id=slot.application_id)
    before = result.interview
    result.interview = interview
    result.save(update_fields=["interview"])
    audit_record(
        actor=actor,
        action="interview.result",
        obj=result,
        before={"interview": jsonable(before)},
        after={"interview": str(interview), "scores": len(scores)},
    )
    _apply_pass_lines(slot.panel, slot.application.position_id)


def position_competition(position_id) -> bool:
    """Competition = more candidates actually interviewed than the position's plan."""
    position = Position.objects.get(pk=position_id)
    sat = InterviewSlot.objects.filter(application__position_id=position_id, absent=False).count()
    return sat > position.plan_count


def pass_line(rules, *, competition: bool) -> Decimal:
    return rules.interview_pass if competition else rules.interview_pass_no_competition


def _apply_pass_lines(panel, position_id) -> None:
    """Re-applied whenever a score completes or an absence changes the competition."""
    line = pass_line(rules_for(panel.exam), competition=position_competition(position_id))
    results = Result.objects.filter(application__position_id=position_id, interview__isnull=False)
    results.filter(interview__gte=line).update(interview_passed=True)
    results.filter(interview__lt=line).update(interview_passed=False)


@dataclass(frozen=True)
class SlotProgress:
    slot: InterviewSlot
    entered: int
    members: int
    interview: Decimal | None  # shown once every member has scored

    @property
    def complete(self) -> bool:
        return self.slot.absent or self.entered == self.members


def panel_progress(panel) -> list[SlotProgress]:
    """For the office: how many scores are in per candidate, never the examiners' values."""
    members = panel.members.count()
    slots = (
        panel.slots.select_related("application__result")
        .annotate(entered=Count("scores"))
        .order_by("order")
    )
    rows = []
    for slot in slots:
        result = getattr(slot.application, "result", None)
        done = slot.entered == members
        rows.append(
            SlotProgress(slot, slot.entered, members, result.interview if done and result else None)
        )
    return rows


def panel_complete(panel) -> bool:
    return all(row.complete for row in panel_progress(panel))


def panel_score_sheet(panel) -> list[tuple[InterviewSlot, list]]:
    """Each examiner's scores, for the office once the whole panel is done (signed off)."""
    if not panel_complete(panel):
        raise ExamError(f"{panel}尚未全部评分完毕，不能查看考官评分")
    members = list(panel.members.select_related("examiner").order_by("-chief", "examiner_id"))
    by_slot = {}
    for s in ExaminerScore.objects.filter(slot__panel=panel):
        by_slot.setdefault(s.slot_id, {})[s.examiner_id] = s.score
    return [
        (slot, [by_slot.get(slot.pk, {}).get(m.examiner_id) for m in members])
        for slot in panel.slots.order_by("order")
    ]


def examiner_slots(examiner, panel):
    """An examiner's view: order numbers and their own score only (no names)."""
    own = dict(
        ExaminerScore.objects.filter(examiner=examiner, slot__panel=panel).values_list(
            "slot_id", "score"
        )
    )
    return [
        (slot, own.get(slot.pk))
        for slot in panel.slots.order_by("order").only("pk", "order", "absent", "panel_id")
    ]


def examiner_panels(examiner):
    return (
        InterviewPanel.objects.filter(members__examiner=examiner)
        .select_related("exam")
        .order_by("-date", "code")
    )


def panels_with_counts(exam):
    return (
        InterviewPanel.objects.filter(exam=exam)
        .annotate(
            member_count=Count("members", distinct=True),
            slot_count=Count("slots", distinct=True),
        )
        .prefetch_related("positions")
        .order_by("date", "code")
    )
