"""Public reads for exams: published exams, their stage, positions and the per-position counts.

The position list is the page everyone refreshes on the last day, so it reads from caches:
`position_rows` (the exam's positions as plain tuples, one query, 60 s) and `position_counts`
(one GROUP BY over applications, 60 s). Filtering and paging run over the cached rows.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from renshi.exams import eligibility, majors
from renshi.exams.models import Application, ApplicationStatus, Exam, ExamStatus, Position

COUNTS_SECONDS = 60
ROWS_SECONDS = 60
PUBLIC_STATUSES = (ExamStatus.PUBLISHED, ExamStatus.CLOSED)


def public_exams():
    return Exam.objects.filter(status__in=PUBLIC_STATUSES).order_by("-registration_opens", "-pk")


def public_exam(pk) -> Exam:
    """A published (or finished) exam; drafts are 404 to the public."""
    exam = public_exams().filter(pk=pk).first()
    if exam is None:
        raise Http404
    return exam


def exam_stage(exam: Exam, now=None) -> str:
    """Where the exam stands, as candidates say it."""
    now = now or timezone.now()
    if exam.status == ExamStatus.CLOSED:
        return "已结束"
    if now < exam.registration_opens:
        return "报名尚未开始"
    if now < exam.registration_closes:
        return "报名中"
    if now < exam.review_closes:
        return "资格审查中"
    if now < exam.payment_closes:
        return "缴费确认中"
    if exam.reapply_open(now):
        return "改报中"
    if exam.ticket_opens and exam.ticket_opens <= now < exam.ticket_closes:
        return "准考证打印中"
    if exam.ticket_opens and now < exam.ticket_opens:
        return "等待打印准考证"
    return "报名已结束"


# --- Counts ------------------------------------------------------------------------------------


def _counts_key(exam_id) -> str:
    return f"exams:counts:{exam_id}"


def _count_now(exam_id) -> dict[int, tuple[int, int]]:
    rows = (
        Application.objects.filter(
            exam_id=exam_id,
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.SUBMITTED],
        )
        .values("position_id")
        .annotate(
            approved=Count("pk", filter=Q(status=ApplicationStatus.APPROVED)),
            waiting=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
        )
        .order_by()
    )
    return {r["position_id"]: (r["approved"], r["waiting"]) for r in rows}


def position_counts_at(exam) -> tuple[dict[int, tuple[int, int]], datetime.datetime]:
    """{position_id: (approved, waiting)} and when it was counted (cached 60 s per exam)."""
    exam_id = getattr(exam, "pk", exam)
    cached = cache.get(_counts_key(exam_id))
    if cached is None:
        cached = (_count_now(exam_id), timezone.now())
        cache.set(_counts_key(exam_id), cached, COUNTS_SECONDS)
    return cached


def position_counts(exam) -> dict[int, tuple[int, int]]:
    return position_counts_at(exam)[0]


def refresh_counts(exam) -> None:
    cache.delete(_counts_key(getattr(exam, "pk", exam)))


# --- Positions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionRow:
    pk: int
    code: str
    unit: str
    title: str
    plan: int
    education: str
    majors: str
    status: str
    levels: tuple
    special: bool
    accepts: tuple  # catalogue codes the position is set at (names resolved)
    search: str  # lower-cased text the search box matches


def _majors_text(codes, names) -> str:
    parts = [majors.describe(c) for c in codes or []] + list(names or [])
    return "、".join(parts) or "不限"


def _accepted_codes(codes, names) -> tuple:
    found = [majors.normalize_code(c) for c in codes or []]
    found += [majors.code_for_name(n) for n in names or []]
    return tuple(c for c in found if c)


def position_rows(exam) -> list[PositionRow]:
    """The exam's positions in code order, as cached plain rows (one query every 60 s)."""
    key = f"exams:position_rows:{exam.pk}"
    rows = cache.get(key)
    if rows is None:
        values = Position.objects.filter(exam=exam).order_by("code").values_list(
            "pk", "code", "hiring_unit_name", "bureau", "title", "plan_count",
            "education_levels", "major_codes", "major_names", "status", "special_ratio",
        )  # fmt: skip
        rows = []
        for pk, code, unit, bureau, title, plan, levels, codes, names, status, special in values:
            major_text = _majors_text(codes, names)
            unit_text = f"{unit} {bureau}".strip()
            rows.append(
                PositionRow(
                    pk=pk,
                    code=code,
                    unit=unit_text,
                    title=title,
                    plan=plan,
                    education=eligibility.describe_education(levels),
                    majors=major_text,
                    status=status,
                    levels=tuple(levels or ()),
                    special=special,
                    accepts=_accepted_codes(codes, names),
                    search=" ".join([code, unit_text, title, major_text]).lower(),
                )
            )
        cache.set(key, rows, ROWS_SECONDS)
    return rows


EDUCATION_FILTERS = [
    (eligibility.DOCTOR, "博士研究生"),
    (eligibility.MASTER, "硕士研究生"),
    (eligibility.BACHELOR, "本科"),
    (eligibility.COLLEGE, "大专"),
]


def search_positions(rows, *, q="", education="") -> list[PositionRow]:
    """Code prefix, unit, title or major (a catalogue name also finds positions set at its 类 or
    门类); `education` keeps positions a candidate of that level may apply to (不限 included)."""
    q = (q or "").strip().lower()
    major = majors.code_for_name(q) if q else None
    found = []
    for row in rows:
        if education and row.levels and education not in row.levels:
            continue
        accepts = major and any(major.startswith(c) for c in row.accepts)
        if q and q not in row.search and not accepts:
            continue
        found.append(row)
    return found


def underfilled(exam) -> tuple[list, list, datetime.datetime]:
    """张榜点名: positions nobody has been approved for, and those below the opening ratio."""
    counts, at = position_counts_at(exam)
    nobody, below = [], []
    for row in position_rows(exam):
        if row.status == "cancelled":
            continue
        approved, waiting = counts.get(row.pk, (0, 0))
        ratio = exam.ratio_special if row.special else exam.ratio_default
        item = (row, approved, waiting, row.plan * ratio)
        if approved == 0:
            nobody.append(item)
        elif approved < row.plan * ratio:
            below.append(item)
    return nobody, below, at
