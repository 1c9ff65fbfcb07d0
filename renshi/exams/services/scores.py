"""Written scores (笔试成绩): scoring rules, the weighted total and its lines, ranks per position,
publication on a set date, and score reviews (成绩复核) within the window.

The written score is Σ subject score × weight, rounded to two decimals half up (四舍五入 at the
third decimal), never through float. Ranks are competition ranks within a position (1, 1, 3):
equal scores share a rank; tie-breaks apply to the composite ranking, not here.

Every write that changes a score recomputes the exam's results under a lock on its ScoringRules
row, so an import and a review decision never interleave their rankings.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from renshi.core import crypto, notify
from renshi.core.audit import audit_record, changed, snapshot
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Application,
    Incident,
    IncidentKind,
    Result,
    ReviewRequestStatus,
    ScoreReviewRequest,
    ScoringRules,
    Seat,
    Subject,
    SubjectScore,
)

CENT = Decimal("0.01")
SUBJECT_MAX = Decimal("100")
REVIEW_DAYS = 3  # 公务员考试：成绩公布后3日内申请复核
RULE_FIELDS = [
    "subject_weights",
    "min_written",
    "min_subject",
    "interview_ratio",
    "tie_break",
    "scores_published_at",
    "review_closes",
]
# Tie-break chain items (used by the composite ranking): these names, or "subject:<科目代码>".
TIE_BREAK_NAMES = {"composite": "综合成绩", "written": "笔试成绩", "interview": "面试成绩"}


def half_up(value: Decimal) -> Decimal:
    """Two decimals, 四舍五入: 67.125 → 67.13 (never banker's rounding, never float)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def weights_of(rules) -> dict[str, Decimal]:
    return {code: Decimal(str(w)) for code, w in (rules.subject_weights or {}).items()}


def subject_lines(rules) -> dict[str, Decimal]:
    return {code: Decimal(str(v)) for code, v in (rules.min_subject or {}).items()}


def written_total(scores: dict[str, Decimal], weights: dict[str, Decimal]) -> Decimal | None:
    """Σ score × weight over the weighted subjects; None if any weighted subject has no score
    (absent, 缺考): a candidate missing a subject gets no written score."""
    if any(scores.get(code) is None for code in weights):
        return None
    return half_up(sum((scores[code] * w for code, w in weights.items()), Decimal("0")))


def passes_lines(scores: dict, written: Decimal | None, rules) -> bool:
    if written is None or written < rules.min_written:
        return False
    return all(
        scores.get(code) is not None and scores[code] >= line
        for code, line in subject_lines(rules).items()
    )


def competition_ranks(scored: list[tuple[int, Decimal]]) -> dict[int, int]:
    """{key: rank} with equal scores sharing a rank and the next rank skipped (1, 1, 3).

    >>> competition_ranks([(1, Decimal("80")), (2, Decimal("90")), (3, Decimal("80"))])
    {2: 1, 1: 2, 3: 2}
    """
    ordered = sorted(scored, key=lambda item: (-item[1], item[0]))
    ranks, previous, rank = {}, None, 0
    for index, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = index, score
        ranks[key] = rank
    return ranks


# --- Scoring rules ----------------------------------------------------------------------------


def rules_for(exam) -> ScoringRules:
    """The exam's rules, or unsaved defaults: 行测 and 申论 (the first two subjects) 50/50."""
    try:
        return ScoringRules.objects.get(exam=exam)
    except ScoringRules.DoesNotExist:
        subjects = list(exam.subjects.order_by("order", "id"))
        share = half_up(Decimal(1) / len(subjects)) if subjects else Decimal(0)
        weights = {s.code: str(share) for s in subjects}
        if subjects and share * len(subjects) != 1:
            weights = {}
        return ScoringRules(exam=exam, subject_weights=weights)


def _decimal(value, label) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ExamError(f"{label}「{value}」不是数字") from None
    if not number.is_finite():
        raise ExamError(f"{label}「{value}」不是数字")
    return number


def _plain(number: Decimal) -> str:
    """50 → "50", 0.50 → "0.5" (never "5E+1")."""
    return format(number.normalize(), "f")


def clean_weights(weights: dict, subjects) -> dict[str, str]:
    codes = {s.code: s.name for s in subjects}
    cleaned = {}
    for code, value in weights.items():
        if code not in codes:
            raise ExamError(f"科目代码「{code}」不是本考试的科目", field="subject_weights")
        if value in (None, ""):
            continue
        weight = _decimal(value, f"{codes[code]}的权重")
        if not 0 < weight <= 1:
            raise ExamError(f"{codes[code]}的权重须大于0且不超过1", field="subject_weights")
        cleaned[code] = _plain(weight)
    if not cleaned:
        raise ExamError("至少为一个科目设置权重", field="subject_weights")
    total = sum(Decimal(w) for w in cleaned.values())
    if total != 1:
        raise ExamError(f"各科目权重之和须等于1（现为{_plain(total)}）", field="subject_weights")
    return cleaned


def clean_lines(lines: dict, weights: dict, subjects) -> dict[str, str]:
    names = {s.code: s.name for s in subjects}
    cleaned = {}
    for code, value in lines.items():
        if value in (None, ""):
            continue
        if code not in weights:
            raise ExamError(f"「{names.get(code, code)}」未计入笔试成绩，不能设单科分数线")
        line = _decimal(value, f"{names[code]}分数线")
        if not 0 <= line <= SUBJECT_MAX:
            raise ExamError(f"{names[code]}分数线须在0–{SUBJECT_MAX}之间", field="min_subject")
        cleaned[code] = _plain(line)
    return cleaned


def clean_tie_break(chain, subjects) -> list[str]:
    """["written", "subject:01", "interview"]: compare these in order when composite scores tie."""
    codes = {s.code for s in subjects}
    cleaned = []
    for item in chain:
        item = str(item).strip()
        if not item:
            continue
        kind, _, code = item.partition(":")
        if item not in TIE_BREAK_NAMES and not (kind == "subject" and code in codes):
            raise ExamError(
                f"同分排序规则「{item}」无法识别（可用：composite、written、interview、subject:科目代码）",
                field="tie_break",
            )
        if item in cleaned:
            raise ExamError(f"同分排序规则「{item}」重复", field="tie_break")
        cleaned.append(item)
    return cleaned


def tie_break_label(item: str, subjects_by_code: dict) -> str:
    if item.startswith("subject:"):
        subject = subjects_by_code.get(item.partition(":")[2])
        return subject.name if subject else item
    return TIE_BREAK_NAMES.get(item, item)


def scoring_rules_save(
    *, actor, exam, subject_weights: dict, min_written, min_subject: dict, interview_ratio: int,
    tie_break: list,
) -> ScoringRules:  # fmt: skip
    """Create or change the rules; refused once scores are published (they would change)."""
    subjects = list(exam.subjects.all())
    weights = clean_weights(subject_weights, subjects)
    lines = clean_lines(min_subject, weights, subjects)
    chain = clean_tie_break(tie_break, subjects)
    min_written = _decimal(min_written, "笔试最低合格分数线")
    if not 0 <= min_written <= SUBJECT_MAX:
        raise ExamError("笔试最低合格分数线须在0–100之间", field="min_written")
    if not 1 <= int(interview_ratio) <= 10:
        raise ExamError("面试比例须在1:1到1:10之间", field="interview_ratio")
    with transaction.atomic():
        rules, created = ScoringRules.objects.select_for_update().get_or_create(exam=exam)
        if rules.scores_published_at and rules.scores_published_at <= timezone.now():
            raise ExamError("成绩已发布，不能再修改计分规则")
        before = snapshot(rules, RULE_FIELDS)
        rules.subject_weights, rules.min_subject, rules.tie_break = weights, lines, chain
        rules.min_written, rules.interview_ratio = min_written, int(interview_ratio)
        rules.save()
        old, new = changed(before, snapshot(rules, RULE_FIELDS))
        audit_record(
            actor=actor,
            action="scoring_rules.create" if created else "scoring_rules.update",
            obj=rules,
            before=None if created else old,
            after=snapshot(rules, RULE_FIELDS) if created else new,
        )
        if SubjectScore.objects.filter(application__exam=exam).exists():
            results_recompute(exam=exam, rules=rules)
    return rules


# --- Results ----------------------------------------------------------------------------------


def seated(exam):
    """Applications that hold a seat (sat, or were meant to sit, the written exam)."""
    return Seat.objects.filter(application__exam=exam)


def absent_subjects(exam) -> dict[int, set[str]]:
    """application id → subject codes of the sessions where the proctors recorded 缺考."""
    absent = defaultdict(set)
    rows = Incident.objects.filter(application__exam=exam, kind=IncidentKind.ABSENT).values_list(
        "application_id", "session__subjects__code"
    )
    for application_id, code in rows:
        if code:
            absent[application_id].add(code)
    return absent


def results_recompute(*, exam, rules=None) -> int:
    """Written score, lines and rank for every seated application of the exam (call inside the
    transaction that changed a score, with the ScoringRules row locked)."""
    rules = rules or ScoringRules.objects.select_for_update().get(exam=exam)
    weights = weights_of(rules)
    by_code = dict(Subject.objects.filter(exam=exam).values_list("pk", "code"))
    scores = defaultdict(dict)
    for application_id, subject_id, score in SubjectScore.objects.filter(
        application__exam=exam
    ).values_list("application_id", "subject_id", "score"):
        scores[application_id][by_code[subject_id]] = score
    rows = seated(exam).values_list("application_id", "application__position_id")
    computed, per_position = {}, defaultdict(list)
    for application_id, position_id in rows:
        mine = scores.get(application_id, {})
        written = written_total(mine, weights)
        computed[application_id] = (written, passes_lines(mine, written, rules))
        if written is not None:
            per_position[position_id].append((application_id, written))
    ranks = {}
    for scored in per_position.values():
        ranks.update(competition_ranks(scored))
    existing = {r.application_id: r for r in Result.objects.filter(application__exam=exam)}
    new, changed_rows = [], []
    for application_id, (written, passed) in computed.items():
        result = existing.get(application_id) or Result(application_id=application_id)
        values = (written, passed, ranks.get(application_id))
        if result.pk and (result.written, result.written_passed, result.written_rank) == values:
            continue
        result.written, result.written_passed, result.written_rank = values
        (changed_rows if result.pk else new).append(result)
    Result.objects.bulk_create(new, batch_size=2000)
    Result.objects.bulk_update(
        changed_rows, ["written", "written_passed", "written_rank"], batch_size=2000
    )
    return len(new) + len(changed_rows)


# --- Publication ------------------------------------------------------------------------------


def published(rules, now=None) -> bool:
    now = now or timezone.now()
    return bool(rules and rules.pk and rules.scores_published_at) and (
        rules.scores_published_at <= now
    )


def review_open(rules, now=None) -> bool:
    now = now or timezone.now()
    return published(rules, now) and rules.review_closes is not None and now < rules.review_closes


def scores_publish(*, actor, exam, published_at, review_closes=None, now=None) -> ScoringRules:
    """Set the moment candidates see their scores (now or later) and the review deadline
    (3 days after by default). Once that moment has passed it stays."""
    now = now or timezone.now()
    review_closes = review_closes or published_at + datetime.timedelta(days=REVIEW_DAYS)
    if review_closes <= published_at:
        raise ExamError("复核申请截止时间须晚于成绩发布时间", field="review_closes")
    with transaction.atomic():
        rules = ScoringRules.objects.select_for_update().filter(exam=exam).first()
        if rules is None or not rules.subject_weights:
            raise ExamError("请先设置计分规则（科目权重与分数线）")
        if published(rules, now):
            raise ExamError(
                f"成绩已于 {timezone.localtime(rules.scores_published_at):%Y-%m-%d %H:%M} 发布"
            )
        if not Result.objects.filter(application__exam=exam, written__isnull=False).exists():
            raise ExamError("尚未导入笔试成绩，不能发布")
        before = snapshot(rules, ["scores_published_at", "review_closes"])
        rules.scores_published_at, rules.review_closes = published_at, review_closes
        rules.save(update_fields=["scores_published_at", "review_closes"])
        audit_record(
            actor=actor,
            action="scores.publish",
            obj=rules,
            before=before,
            after=snapshot(rules, ["scores_published_at", "review_closes"]),
        )
    return rules


def score_sheet(application) -> dict:
    """What a candidate may see about their written exam (call only once published)."""
    rules = rules_for(application.exam)
    subjects = [s for s in application.exam.subjects.all() if s.code in weights_of(rules)]
    scores = {s.subject_id: s.score for s in application.subject_scores.all()}
    result = Result.objects.filter(application=application).first()
    entry = getattr(application, "shortlist_entry", None) if result else None
    listed = application.position.shortlist.exists()
    return {
        "rules": rules,
        "subjects": [(s, scores.get(s.pk)) for s in subjects],
        "result": result,
        "listed": listed,
        "entry": entry,
        "position_count": Result.objects.filter(
            application__position_id=application.position_id, written__isnull=False
        ).count(),
    }


# --- Score review (成绩复核) --------------------------------------------------------------------


def review_request_submit(*, candidate, application_id, subject_id, reason, now=None):
    """Once per subject, within the window; the reason is required."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ExamError("请填写申请复核的理由", field="reason")
    with transaction.atomic():
        application = Application.objects.select_related("exam").get(
            pk=application_id, candidate=candidate
        )
        rules = rules_for(application.exam)
        if not published(rules, now):
            raise ExamError("成绩尚未发布，不能申请复核")
        if not review_open(rules, now):
            raise ExamError(
                f"成绩复核申请已于 {timezone.localtime(rules.review_closes):%m月%d日%H:%M} 截止"
            )
        subject = Subject.objects.filter(pk=subject_id, exam=application.exam).first()
        if subject is None or subject.code not in weights_of(rules):
            raise ExamError("请选择本次考试的笔试科目", field="subject")
        if not Result.objects.filter(application=application).exists():
            raise ExamError("没有您的笔试成绩记录，请联系考试中心")
        score = SubjectScore.objects.filter(application=application, subject=subject).first()
        try:
            with transaction.atomic():
                review = ScoreReviewRequest.objects.create(
                    application=application,
                    subject=subject,
                    reason=reason[:300],
                    old_score=score.score if score else None,
                    created_at=now,
                )
        except IntegrityError:
            raise ExamError(f"「{subject.name}」已申请过复核，每科只能申请一次") from None
        audit_record(
            actor=candidate.user,
            action="score_review.request",
            obj=review,
            after={"subject": subject.code, "reason": review.reason},
        )
    return review


def review_request_decide(*, actor, review_id, corrected: bool, new_score=None, note="", now=None):
    """Record the outcome: unchanged, or corrected with the new score (results recomputed)."""
    now = now or timezone.now()
    with transaction.atomic():
        review = ScoreReviewRequest.objects.select_for_update().get(pk=review_id)
        application = Application.objects.select_related("exam", "candidate").get(
            pk=review.application_id
        )
        rules = ScoringRules.objects.select_for_update().get(exam=application.exam)
        if review.status != ReviewRequestStatus.PENDING:
            raise ExamError("该复核申请已处理")
        if corrected:
            score = check_score(new_score)
            if score == review.old_score:
                raise ExamError("更正后的成绩与原成绩相同，请选择“复核无误”", field="new_score")
            SubjectScore.objects.update_or_create(
                application=application,
                subject_id=review.subject_id,
                defaults={"score": score, "imported_at": now},
            )
            review.new_score = score
        review.status = (
            ReviewRequestStatus.CORRECTED if corrected else ReviewRequestStatus.UNCHANGED
        )
        review.note, review.decided_at, review.decided_by = (note or "")[:300], now, actor
        review.save()
        audit_record(
            actor=actor,
            action="score_review.decide",
            obj=review,
            before={"score": str(review.old_score) if review.old_score is not None else None},
            after={"status": review.status, "score": str(review.new_score or review.old_score)},
            note=review.note,
        )
        if corrected:
            results_recompute(exam=application.exam, rules=rules)
        _notify_review(application, review)
    return review


def check_score(value, maximum=SUBJECT_MAX) -> Decimal:
    score = _decimal(value, "成绩")
    if not 0 <= score <= maximum:
        raise ExamError(f"成绩须在0–{maximum}之间", field="new_score")
    if score != score.quantize(CENT):
        raise ExamError("成绩最多保留两位小数", field="new_score")
    return score.quantize(CENT)


def _notify_review(application, review):
    text = (
        f"【鞍山人事考试】您申请的{application.exam.name}「{review.subject.name}」成绩复核已完成："
        + (
            f"成绩更正为{review.new_score}分。"
            if review.status == ReviewRequestStatus.CORRECTED
            else "复核无误，成绩不变。"
        )
    )
    cipher = application.candidate.phone_cipher
    transaction.on_commit(lambda: notify.send_sms(crypto.decrypt(cipher), text))
