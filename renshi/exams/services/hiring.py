"""From interview to hire: composite score and ranking, the physical examination called 1:1 by
rank with at most `max_replacements` replacements (递补) per position, inspection (考察), and the
proposed-hire notice (拟录用公示) with its objections and final decision.

Composite = written × written_weight + interview × interview_weight, two decimals half up
(reference §1.2 #12). Only candidates who passed the interview are ranked. Ties on the composite
are broken by the exam's chain (`ScoringRules.tie_break`, the scores engineer's format:
"composite", "written", "interview" or "subject:<科目代码>", each compared higher first); the
composite always comes first, whether or not the chain names it. Still tied after the chain →
the same rank, and the office decides (an extra round, the leading group) before the physical
examination list is made.

The notice period: civil service ≥5 working days (公务员法 第三十二条); public institutions 7
(Huzhou: 7 days; Hunan: 7 working days) — we count 7 working days, which also satisfies the
calendar-day reading. Counting starts the day after publication (the first full day).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from renshi.core.audit import audit_record
from renshi.core.workdays import CalendarUnknown, add_workdays
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    CheckOutcome,
    ExamKind,
    HireNotice,
    HireNoticeStatus,
    HireStep,
    InterviewSlot,
    Objection,
    Position,
    Result,
    SubjectScore,
)
from renshi.exams.services.panels import rules_for
from renshi.exams.services.scores import clean_tie_break, half_up

NOTICE_WORKDAYS = {ExamKind.CIVIL_SERVICE: 5, ExamKind.INSTITUTION: 7}
FAILED = (CheckOutcome.FAILED, CheckOutcome.WAIVED)


def composite_weights_save(*, actor, exam, written_weight, interview_weight):
    try:
        written, interview = Decimal(str(written_weight)), Decimal(str(interview_weight))
    except InvalidOperation:
        raise ExamError("权重须为0–1之间的小数，如0.5", field="written_weight") from None
    if not (0 <= written <= 1 and 0 <= interview <= 1) or written + interview != 1:
        raise ExamError(
            f"笔试权重与面试权重须在0–1之间且合计为1（现为{written}+{interview}）",
            field="written_weight",
        )
    with transaction.atomic():
        rules = rules_for(exam)
        if Result.objects.filter(application__exam=exam, composite__isnull=False).exists():
            raise ExamError("综合成绩已计算，不能再修改权重")
        before = {
            "written_weight": str(rules.written_weight),
            "interview_weight": str(rules.interview_weight),
        }
        rules.written_weight, rules.interview_weight = written, interview
        rules.save(update_fields=["written_weight", "interview_weight"])
        audit_record(
            actor=actor, action="scoring.composite_weights", obj=rules, before=before,
            after={"written_weight": str(written), "interview_weight": str(interview)},
        )  # fmt: skip
    return rules


def composite_of(written, interview, rules) -> Decimal:
    return half_up(
        Decimal(written) * rules.written_weight + Decimal(interview) * rules.interview_weight
    )


def _sort_key(result, chain, subject_scores):
    values = [result.composite]
    for item in chain:
        if item == "written":
            values.append(result.written)
        elif item == "interview":
            values.append(result.interview)
        elif item.startswith("subject:"):
            code = item.partition(":")[2]
            values.append(subject_scores.get((result.application_id, code), Decimal("-1")))
    return tuple(-(v if v is not None else Decimal("-1")) for v in values)


def rank(results, chain, subject_scores) -> list[tuple[int, object]]:
    """Competition ranks (1, 2, 2, 4): equal keys after the whole chain share a rank."""
    keyed = sorted(
        ((_sort_key(r, chain, subject_scores), r) for r in results),
        key=lambda pair: (pair[0], pair[1].application_id),
    )
    ranked, previous, current = [], None, 0
    for n, (key, result) in enumerate(keyed, 1):
        if key != previous:
            current, previous = n, key
        ranked.append((current, result))
    return ranked


def composite_compute(*, actor, exam) -> int:
    """Composite score for everyone with both scores; ranks for the interview-passed only."""
    rules = rules_for(exam)
    chain = [
        i for i in clean_tie_break(rules.tie_break or [], exam.subjects.all()) if i != "composite"
    ]
    with transaction.atomic():
        waiting = InterviewSlot.objects.filter(
            panel__exam=exam, absent=False, application__result__interview__isnull=True
        ).count()
        if waiting:
            raise ExamError(f"尚有{waiting}名考生的面试成绩未完成，不能计算综合成绩")
        if HireStep.objects.filter(application__exam=exam).exists():
            raise ExamError("体检名单已生成，不能重新计算综合成绩")
        results = list(
            Result.objects.select_for_update()
            .filter(application__exam=exam)
            .select_related("application")
            .order_by("pk")
        )
        subject_scores = {
            (a, code): s
            for a, code, s in SubjectScore.objects.filter(application__exam=exam).values_list(
                "application_id", "subject__code", "score"
            )
        }
        by_position = {}
        for result in results:
            both = result.written is not None and result.interview is not None
            result.composite = (
                composite_of(result.written, result.interview, rules) if both else None
            )
            result.composite_rank = None
            if both and result.interview_passed:
                by_position.setdefault(result.application.position_id, []).append(result)
        for group in by_position.values():
            for n, result in rank(group, chain, subject_scores):
                result.composite_rank = n
        Result.objects.bulk_update(results, ["composite", "composite_rank"])
        audit_record(
            actor=actor,
            action="exam.composite",
            obj=exam,
            after={
                "written_weight": str(rules.written_weight),
                "interview_weight": str(rules.interview_weight),
                "tie_break": chain,
                "ranked": sum(len(g) for g in by_position.values()),
            },
        )
    return sum(len(g) for g in by_position.values())


def _ranked(position_id):
    return Result.objects.filter(
        application__position_id=position_id, composite_rank__isnull=False
    ).order_by("composite_rank", "application_id")


def physical_list_make(*, actor, exam) -> int:
    """The physical examination list, 1:1 by composite rank (等额)."""
    with transaction.atomic():
        if HireStep.objects.filter(application__exam=exam).exists():
            raise ExamError("体检名单已生成")
        called, problems = [], []
        for position in Position.objects.filter(exam=exam).order_by("code"):
            ranked = list(_ranked(position.pk))
            chosen = ranked[: position.plan_count]
            if (
                len(ranked) > len(chosen)
                and chosen
                and ranked[len(chosen)].composite_rank == chosen[-1].composite_rank
            ):
                problems.append(f"职位 {position.code} 第{chosen[-1].composite_rank}名并列")
            called.extend(chosen)
        if problems:
            raise ExamError(
                "；".join(problems) + "，须按规定加试或由招考领导小组确定后再生成体检名单"
            )
        if not called:
            raise ExamError("没有综合成绩排名的考生，请先计算综合成绩")
        HireStep.objects.bulk_create(HireStep(application_id=r.application_id) for r in called)
        audit_record(
            actor=actor, action="hire.physical_list", obj=exam, after={"called": len(called)}
        )
    return len(called)


@dataclass(frozen=True)
class Replacement:
    called: HireStep | None
    message: str


def _replace(actor, position, reason) -> Replacement:
    rules = rules_for(position.exam)
    used = HireStep.objects.filter(application__position=position, called_round__gt=0).count()
    if used >= rules.max_replacements:
        message = f"职位 {position.code} 已递补{used}次，达到上限，该职位空缺"
        audit_record(
            actor=actor,
            action="hire.vacant",
            obj=position,
            after={"replacements": used},
            note=reason,
        )
        return Replacement(None, message)
    taken = HireStep.objects.filter(application__position=position).values("application_id")
    nxt = (
        _ranked(position.pk)
        .exclude(application_id__in=taken)
        .select_related("application__candidate")
        .first()
    )
    if nxt is None:
        message = f"职位 {position.code} 已无可递补的考生，该职位空缺"
        audit_record(
            actor=actor,
            action="hire.vacant",
            obj=position,
            after={"replacements": used},
            note=reason,
        )
        return Replacement(None, message)
    step = HireStep.objects.create(
        application_id=nxt.application_id, called_round=used + 1, note=reason[:300]
    )
    audit_record(
        actor=actor, action="hire.replace", obj=step,
        after={"position": position.code, "round": used + 1, "rank": nxt.composite_rank},
    )  # fmt: skip
    return Replacement(
        step, f"职位 {position.code} 第{used + 1}次递补：综合排名第{nxt.composite_rank}名"
    )


def step_record(*, actor, step_id, stage, outcome, note="") -> Replacement | None:
    """Record the physical examination (体检) or inspection (考察) outcome; a failure or a
    withdrawal calls the next in rank, at most max_replacements times per position."""
    if stage not in ("physical", "inspection"):
        raise ExamError("未知的环节", field="stage")
    if outcome not in CheckOutcome.values or outcome == CheckOutcome.PENDING:
        raise ExamError("请选择结果：合格、不合格或放弃", field="outcome")
    with transaction.atomic():
        step = (
            HireStep.objects.select_for_update()
            .select_related("application__position__exam")
            .get(pk=step_id)
        )
        if getattr(step, stage) != CheckOutcome.PENDING:
            raise ExamError(f"该考生的{'体检' if stage == 'physical' else '考察'}结果已记录")
        if stage == "inspection" and step.physical != CheckOutcome.PASSED:
            raise ExamError("体检合格后才能记录考察结果")
        setattr(step, stage, outcome)
        step.note = note[:300] or step.note
        step.save(update_fields=[stage, "note"])
        audit_record(
            actor=actor, action=f"hire.{stage}", obj=step,
            before={stage: CheckOutcome.PENDING}, after={stage: outcome}, note=note,
        )  # fmt: skip
        if outcome in FAILED:
            position = Position.objects.select_for_update().get(pk=step.application.position_id)
            label = "体检" if stage == "physical" else "考察"
            return _replace(actor, position, f"{label}{CheckOutcome(outcome).label}")
    return None


# --- Proposed-hire notice --------------------------------------------------------------------


def notice_create(*, actor, exam, title="") -> HireNotice:
    with transaction.atomic():
        steps = HireStep.objects.filter(application__exam=exam)
        if (
            steps.filter(physical=CheckOutcome.PENDING).exists()
            or steps.filter(physical=CheckOutcome.PASSED, inspection=CheckOutcome.PENDING).exists()
        ):
            raise ExamError("尚有考生的体检或考察结果未记录")
        hired = list(
            steps.filter(physical=CheckOutcome.PASSED, inspection=CheckOutcome.PASSED).values_list(
                "application_id", flat=True
            )
        )
        if not hired:
            raise ExamError("没有体检、考察均合格的考生")
        notice = HireNotice.objects.create(
            exam=exam, title=title.strip() or f"{exam.name}拟录用人员公示"
        )
        notice.entries.set(hired)
        audit_record(
            actor=actor, action="hire.notice_create", obj=notice, after={"entries": len(hired)}
        )
    return notice


def notice_days(exam) -> int:
    return NOTICE_WORKDAYS.get(exam.kind, 7)


def notice_publish(*, actor, notice_id, today=None) -> HireNotice:
    today = today or timezone.localdate()
    with transaction.atomic():
        notice = HireNotice.objects.select_for_update().select_related("exam").get(pk=notice_id)
        if notice.status != HireNoticeStatus.DRAFT:
            raise ExamError("公示已发布")
        try:
            ends_on = add_workdays(today, notice_days(notice.exam))
        except CalendarUnknown as e:
            raise ExamError(str(e)) from None
        notice.status = HireNoticeStatus.PUBLISHED
        notice.published_at = timezone.now()
        notice.ends_on = ends_on
        notice.save(update_fields=["status", "published_at", "ends_on"])
        audit_record(
            actor=actor, action="hire.notice_publish", obj=notice,
            after={"ends_on": ends_on.isoformat(), "workdays": notice_days(notice.exam)},
        )  # fmt: skip
    return notice


def objection_record(
    *, actor, notice_id, text, contact, application_id=None, today=None
) -> Objection:
    """An objection received during the period; anonymous ones are not accepted (Hunan)."""
    today = today or timezone.localdate()
    text, contact = text.strip(), contact.strip()
    if not text:
        raise ExamError("请填写异议内容", field="text")
    if not contact:
        raise ExamError("不受理匿名异议，请填写反映人联系方式", field="contact")
    with transaction.atomic():
        notice = HireNotice.objects.select_for_update().get(pk=notice_id)
        if notice.status != HireNoticeStatus.PUBLISHED or today > notice.ends_on:
            raise ExamError("只能在公示期内登记异议")
        if application_id and not notice.entries.filter(pk=application_id).exists():
            raise ExamError("所涉人员不在本公示名单中", field="application")
        objection = Objection.objects.create(
            notice=notice, text=text, contact=contact, application_id=application_id or None
        )
        audit_record(
            actor=actor,
            action="hire.objection",
            obj=objection,
            after={"notice": notice.pk, "application": application_id},
        )
    return objection


def objection_decide(*, actor, objection_id, outcome) -> Objection:
    outcome = outcome.strip()
    if not outcome:
        raise ExamError("请填写核查结果", field="outcome")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection_id)
        if objection.decided_at:
            raise ExamError("该异议已有核查结果")
        objection.outcome, objection.decided_at = outcome[:300], timezone.now()
        objection.save(update_fields=["outcome", "decided_at"])
        audit_record(
            actor=actor,
            action="hire.objection_decide",
            obj=objection,
            after={"outcome": objection.outcome},
        )
    return objection


def notice_finalise(*, actor, notice_id, today=None) -> HireNotice:
    """After the period, with every objection answered, the list is final (then 审批/备案)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        notice = HireNotice.objects.select_for_update().get(pk=notice_id)
        if notice.status != HireNoticeStatus.PUBLISHED:
            raise ExamError("只有公示中的名单可以确定")
        if today <= notice.ends_on:
            raise ExamError(f"公示期至{notice.ends_on:%Y年%m月%d日}，期满后才能确定")
        open_count = notice.objections.filter(decided_at__isnull=True).count()
        if open_count:
            raise ExamError(f"尚有{open_count}件异议未核查完毕")
        notice.status = HireNoticeStatus.FINAL
        notice.finalised_at = timezone.now()
        notice.save(update_fields=["status", "finalised_at"])
        audit_record(actor=actor, action="hire.notice_final", obj=notice, after={"status": "final"})
    return notice


def notice_rows(notice):
    """The public list: name, position, scores (no ID or phone numbers)."""
    return notice.entries.select_related("candidate", "position", "result").order_by(
        "position__code", "result__composite_rank"
    )


def ranking(exam):
    """Per position, everyone with a composite score, ranked first then the rest."""
    return (
        Result.objects.filter(application__exam=exam, composite__isnull=False)
        .select_related("application__position", "application__hire_step")
        .order_by("application__position__code", "composite_rank", "-composite", "application_id")
    )
