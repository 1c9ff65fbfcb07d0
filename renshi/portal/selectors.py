"""Public reads of the site: published articles, exam notices (read from exams) and the home page.

Other apps' public items are read through their own selectors (exams, sunshine).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from renshi.exams import selectors as exam_selectors
from renshi.exams.models import Announcement, AnnouncementKind
from renshi.portal.models import Article, ArticleStatus, Category, PageVisit
from renshi.sunshine import selectors as sunshine_selectors

HOME_ITEMS = 7


@dataclass(frozen=True)
class ListItem:
    """One line of a news list: an article of the site or an exam's announcement."""

    title: str
    url: str
    published_at: datetime.datetime
    badge: str = ""


def categories() -> list[Category]:
    return list(Category.objects.all())


def category_by_slug(slug) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise Http404
    return category


def published_articles():
    return Article.objects.filter(status=ArticleStatus.PUBLISHED)


def public_article(pk) -> Article:
    """A published article; drafts and withdrawn ones are 404 to the public."""
    article = published_articles().select_related("category").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def _article_items(category, limit=None) -> list[ListItem]:
    rows = (
        published_articles()
        .filter(category=category)
        .order_by("-published_at", "-id")
        .values_list("pk", "title", "published_at")
    )
    if limit:
        rows = rows[:limit]
    return [ListItem(t, reverse("portal:article", args=[pk]), at) for pk, t, at in rows]


def exam_notices(limit=None) -> list[ListItem]:
    """Published announcements and change notices of public exams, newest first."""
    rows = (
        Announcement.objects.filter(
            published_at__isnull=False, exam__status__in=exam_selectors.PUBLIC_STATUSES
        )
        .order_by("-published_at", "-id")
        .values_list("exam_id", "number", "kind", "title", "published_at")
    )
    if limit:
        rows = rows[:limit]
    detail = reverse("exams:exam_detail", args=[0]).replace("/0/", "/{}/")
    return [
        ListItem(
            title,
            detail.format(exam_id) + f"#notice-{number}",
            at,
            "变更公告" if kind == AnnouncementKind.CHANGE else "招考公告",
        )
        for exam_id, number, kind, title, at in rows
    ]


def category_items(category, limit=None) -> list[ListItem]:
    """The column's list: its articles, plus the exams' notices in the 考试录用 column."""
    items = _article_items(category, limit)
    if category.shows_exam_notices:
        items += exam_notices(limit)
        items.sort(key=lambda i: i.published_at, reverse=True)
    return items[:limit] if limit else items


def open_exams(now=None) -> list:
    now = now or timezone.now()
    return [e for e in exam_selectors.public_exams() if e.registration_open(now)]


def open_public_notices(limit=6) -> list[dict]:
    """公示 notices in their objection period (from sunshine), the soonest to close first."""
    today = timezone.localdate()
    rows = (
        sunshine_selectors.public_notices()
        .filter(starts_on__lte=today, ends_on__gte=today)
        .order_by("ends_on", "-id")
        .values_list("pk", "title", "ends_on")[:limit]
    )
    return [
        {"title": title, "url": reverse("sunshine:notice", args=[pk]), "ends_on": ends_on}
        for pk, title, ends_on in rows
    ]


def home() -> dict:
    columns = [(c, category_items(c, HOME_ITEMS)) for c in categories()]
    return {
        "columns": columns,
        "open_exams": open_exams(),
        "public_notices": open_public_notices(),
    }


def visit_totals(days=30) -> dict:
    """Visits over the last `days` days: per day and the most visited pages."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    rows = PageVisit.objects.filter(day__gte=since)
    by_day = rows.values("day").annotate(total=Sum("count")).order_by("day")
    by_page = rows.values("path").annotate(total=Sum("count")).order_by("-total", "path")[:20]
    return {"by_day": list(by_day), "by_page": list(by_page), "days": days}
