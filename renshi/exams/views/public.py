"""Public pages (no login, phones first): exams, their announcements, positions and counts."""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from renshi.core import pagecache
from renshi.exams import eligibility, majors, selectors
from renshi.exams.models import Announcement, Position, Subject

PER_PAGE = 20
FRAGMENT_SECONDS = 30
PAGE_SECONDS = 10
# Anonymous visitors share the position list (the last-day crowd mostly browses without logging
# in): held PAGE_SECONDS in each process and served before the session is read.
shared_list = pagecache.shared_page(PAGE_SECONDS, scope="exams")


@require_GET
def exam_list(request):
    now = timezone.now()
    exams = [(exam, selectors.exam_stage(exam, now)) for exam in selectors.public_exams()]
    return render(request, "exams/public/exam_list.html", {"exams": exams})


@require_GET
def exam_detail(request, pk):
    exam = selectors.public_exam(pk)
    notices = Announcement.objects.filter(exam=exam, published_at__isnull=False).order_by("number")
    subjects = list(Subject.objects.filter(exam=exam))
    return render(
        request,
        "exams/public/exam_detail.html",
        {
            "exam": exam,
            "stage": selectors.exam_stage(exam),
            "notices": notices,
            "subjects": subjects,
            "fee_total": sum(s.fee for s in subjects),
            "areas": exam.areas.all(),
            "position_count": len(selectors.position_rows(exam)),
        },
    )


def _fragment_key(exam_id, page, q, education) -> str:
    digest = hashlib.md5(f"{q}\x00{education}".encode(), usedforsecurity=False).hexdigest()
    return f"exams:plist:{exam_id}:{page}:{digest}"


def _position_table(exam, page_number, q, education) -> str:
    """The list and pager as HTML, cached 30 s per exam, page and filters."""
    key = _fragment_key(exam.pk, page_number, q, education)
    html = cache.get(key)
    if html is None:
        rows = selectors.search_positions(selectors.position_rows(exam), q=q, education=education)
        page = Paginator(rows, PER_PAGE).get_page(page_number)
        counts, at = selectors.position_counts_at(exam)
        items = [(row, *counts.get(row.pk, (0, 0))) for row in page]
        html = render_to_string(
            "exams/public/_position_table.html",
            {
                "exam": exam,
                "page": page,
                "items": items,
                "total": len(rows),
                "counted_at": at,
                "q": q,
                "education": education,
            },
        )
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own template's output)


@require_GET
@shared_list
def position_list(request, exam_pk):
    q = request.GET.get("q", "").strip()[:50]
    education = request.GET.get("edu", "")
    if education not in dict(selectors.EDUCATION_FILTERS):
        education = ""
    page = request.GET.get("page", "1")
    page = page if page.isdigit() and len(page) < 6 else "1"

    exam = selectors.public_exam(exam_pk)
    return render(
        request,
        "exams/public/position_list.html",
        {
            "exam": exam,
            "table": _position_table(exam, page, q, education),
            "q": q,
            "education": education,
            "education_filters": selectors.EDUCATION_FILTERS,
        },
    )


def requirements(position) -> list[tuple[str, str]]:
    """Every requirement of a position in plain Chinese."""
    degree = position.get_degree_rule_display()
    born = "不限"
    if position.born_from and position.born_to:
        born = (
            f"{position.born_from:%Y年%m月%d日}至{position.born_to:%Y年%m月%d日}期间出生（含当日）"
        )
    elif position.born_from:
        born = f"{position.born_from:%Y年%m月%d日}以后出生（含当日）"
    elif position.born_to:
        born = f"{position.born_to:%Y年%m月%d日}以前出生（含当日）"
    major_parts = [majors.describe(c) for c in position.major_codes or []]
    major_parts += list(position.major_names or [])
    years = position.min_grassroots_years
    return [
        ("学历", eligibility.describe_education(position.education_levels)),
        ("学位", degree),
        ("专业", "、".join(major_parts) or "不限"),
        ("政治面貌", position.get_political_rule_display()),
        ("基层工作最低年限", f"{years}年" if years else "无限制"),
        ("出生日期", born),
        ("性别", position.get_sex_display() if position.sex else "不限"),
        ("应届毕业生", "仅限应届毕业生" if position.fresh_graduate_only else "不限"),
        ("其他条件", position.conditions or "无"),
    ]


@require_GET
def position_detail(request, pk):
    position = get_object_or_404(
        Position.objects.select_related("exam", "area").prefetch_related(
            Prefetch("subjects", queryset=Subject.objects.order_by("order"))
        ),
        pk=pk,
        exam__status__in=selectors.PUBLIC_STATUSES,
    )
    counts, at = selectors.position_counts_at(position.exam)
    approved, waiting = counts.get(position.pk, (0, 0))
    return render(
        request,
        "exams/public/position_detail.html",
        {
            "exam": position.exam,
            "position": position,
            "requirements": requirements(position),
            "approved": approved,
            "waiting": waiting,
            "counted_at": at,
            "subjects": position.fee_subjects(),
            "fee": position.fee(),
            "stage": selectors.exam_stage(position.exam),
        },
    )


@require_GET
def position_underfilled(request, exam_pk):
    exam = selectors.public_exam(exam_pk)
    nobody, below, at = selectors.underfilled(exam)
    return render(
        request,
        "exams/public/position_underfilled.html",
        {"exam": exam, "nobody": nobody, "below": below, "counted_at": at},
    )
