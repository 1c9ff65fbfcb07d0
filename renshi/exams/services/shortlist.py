"""Interview shortlist (面试名单) per position: by written rank among those who reached the lines,
plan × ratio of them, everyone tied at the cut-off included; 资格复审 outcomes; replacements (递补)
from the next rank, ties there all entering, each linked to the entry it replaces.

A candidate learns the outcome once the position's list exists: lists are built only after the
scores are published and the review window has closed, so an existing list is a published one.
"""

from collections import defaultdict
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from renshi.core.audit import audit_record
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Position,
    PositionStatus,
    Result,
    ReviewRequestStatus,
    ScoreReviewRequest,
    ShortlistEntry,
    ShortlistStatus,
)
from renshi.exams.services import scores

ACTIVE = (ShortlistStatus.INVITED, ShortlistStatus.QUALIFIED)
OUT = (ShortlistStatus.DISQUALIFIED, ShortlistStatus.WITHDRAWN)
POSITION_DEFAULT_RATIO = Position._meta.get_field("interview_ratio").default


class Ranked(NamedTuple):
    application_id: int
    written_rank: int


def ratio_for(position, rules) -> int:
    """The position's 面试人员比例 from the position table when it differs from the usual 3,
    else the exam's ratio (1:3 by default)."""
    if position.interview_ratio and position.interview_ratio != POSITION_DEFAULT_RATIO:
        return position.interview_ratio
    return rules.interview_ratio


def quota(position, rules) -> int:
    return position.plan_count * ratio_for(position, rules)


def eligible(position):
    """Those who reached every line, best first (rank, then id for a stable order)."""
    return (
        Result.objects.filter(
            application__position=position, written_passed=True, written_rank__isnull=False
        )
        .select_related("application")
        .order_by("written_rank", "application_id")
    )


def cut_off(ranked: list, n: int) -> list:
    """The first n, plus everyone sharing the n-th one's rank (ties at the cut-off all enter)."""
    if len(ranked) <= n:
        return ranked
    last = ranked[n - 1].written_rank
    return [r for r in ranked if r.written_rank <= last]


def build_problems(exam, rules, now=None) -> list[str]:
    now = now or timezone.now()
    if not scores.published(rules, now):
        return ["笔试成绩发布后才能确定面试名单"]
    if rules.review_closes and now < rules.review_closes:
        closes = timezone.localtime(rules.review_closes)
        return [f"成绩复核申请截止（{closes:%m月%d日%H:%M}）后才能确定面试名单"]
    pending = ScoreReviewRequest.objects.filter(
        application__exam=exam, status=ReviewRequestStatus.PENDING
    ).count()
    if pending:
        return [f"还有{pending}件成绩复核申请未处理"]
    return []


def shortlist_build(*, actor, exam, now=None) -> dict[int, int]:
    """Build the list of every open position that has none yet. Returns {position id: entries}."""
    now = now or timezone.now()
    built = {}
    with transaction.atomic():
        rules = scores.rules_for(exam)
        problems = build_problems(exam, rules, now)
        if problems:
            raise ExamError(problems[0])
        positions = (
            Position.objects.select_for_update()
            .filter(exam=exam)
            .exclude(status=PositionStatus.CANCELLED)
            .order_by("pk")
        )
        listed = set(
            ShortlistEntry.objects.filter(position__exam=exam).values_list("position_id", flat=True)
        )
        ranked = defaultdict(list)
        for application_id, position_id, rank in (
            Result.objects.filter(
                application__exam=exam, written_passed=True, written_rank__isnull=False
            )
            .order_by("written_rank", "application_id")
            .values_list("application_id", "application__position_id", "written_rank")
        ):
            ranked[position_id].append(Ranked(application_id, rank))
        for position in positions:
            if position.pk in listed:
                continue
            chosen = cut_off(ranked[position.pk], quota(position, rules))
            ShortlistEntry.objects.bulk_create(
                ShortlistEntry(
                    position=position,
                    application_id=r.application_id,
                    written_rank=r.written_rank,
                    added_at=now,
                )
                for r in chosen
            )
            built[position.pk] = len(chosen)
        if not built:
            raise ExamError("所有职位的面试名单均已确定")
        audit_record(
            actor=actor,
            action="shortlist.build",
            obj=exam,
            after={
                "positions": len(built),
                "entries": sum(built.values()),
                "empty": sum(1 for n in built.values() if n == 0),
            },
        )
    return built


DECISIONS = {
    ShortlistStatus.QUALIFIED: (ShortlistStatus.INVITED,),
    ShortlistStatus.DISQUALIFIED: ACTIVE,
    ShortlistStatus.WITHDRAWN: ACTIVE,
}


def entry_decide(*, actor, entry_id, status, note="") -> ShortlistEntry:
    """资格复审 outcome (qualified / disqualified with a reason) or a withdrawal."""
    note = (note or "").strip()
    if status not in DECISIONS:
        raise ExamError("请选择资格复审结果", field="status")
    if status == ShortlistStatus.DISQUALIFIED and not note:
        raise ExamError("资格复审不合格须写明原因", field="note")
    with transaction.atomic():
        entry = ShortlistEntry.objects.select_for_update().get(pk=entry_id)
        if entry.status not in DECISIONS[status]:
            raise ExamError(f"该考生当前为“{entry.get_status_display()}”，不能改为此结果")
        before = entry.status
        entry.status = status
        if note:
            entry.note = note[:300]
        entry.save(update_fields=["status", "note"])
        audit_record(
            actor=actor,
            action="shortlist.decide",
            obj=entry,
            before={"status": before},
            after={"status": status},
            note=note,
        )
    return entry


def shortlist_replace(*, actor, entry_id, reason, now=None) -> list[ShortlistEntry]:
    """递补 for a disqualified or withdrawn entry: the next rank among those who reached the lines
    and are not on the list; everyone at that rank enters. Nobody left → a clear refusal."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ExamError("请填写递补原因", field="reason")
    with transaction.atomic():
        # The position row serialises replacements: two clerks cannot fill one gap twice.
        position_id = ShortlistEntry.objects.values_list("position_id", flat=True).get(pk=entry_id)
        position = Position.objects.select_for_update().select_related("exam").get(pk=position_id)
        entry = ShortlistEntry.objects.get(pk=entry_id)
        if entry.status not in OUT:
            raise ExamError("只有资格复审不合格或放弃的考生才能递补")
        if entry.replaced_by.exists():
            raise ExamError("该考生已经递补过")
        rules = scores.rules_for(position.exam)
        entries = ShortlistEntry.objects.filter(position=position)
        active = entries.filter(status__in=ACTIVE).count()
        if active >= quota(position, rules):
            raise ExamError(f"面试名单仍有{active}人，已达到面试比例，无需递补")
        listed = set(entries.values_list("application_id", flat=True))
        rest = [r for r in eligible(position) if r.application_id not in listed]
        if not rest:
            raise ExamError(f"职位{position.code}已没有达到笔试合格分数线的考生可以递补")
        rank = rest[0].written_rank
        added = [
            ShortlistEntry.objects.create(
                position=position,
                application_id=r.application_id,
                written_rank=rank,
                replaces=entry,
                note=f"递补：{reason}"[:300],
                added_at=now,
            )
            for r in rest
            if r.written_rank == rank
        ]
        for new in added:
            audit_record(
                actor=actor,
                action="shortlist.replace",
                obj=new,
                after={"replaces": entry.pk, "written_rank": rank},
                note=reason,
            )
    return added
