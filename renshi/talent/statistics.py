"""Talent intake in figures for bureau staff: openings, contact requests, acceptances."""

import datetime

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from renshi.personnel.models import UnitType
from renshi.talent.models import (
    ContactRequest,
    Education,
    Opening,
    OpeningStatus,
    RequestStatus,
    Resume,
)


def _months(today, n=12) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(n):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _by_month(queryset, field, months) -> list[int]:
    rows = (
        queryset.filter(**{f"{field}__date__gte": months[0]})
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("id"))
    )
    counts = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        counts[month] = counts.get(month, 0) + row["n"]
    return [counts.get(m, 0) for m in months]


def _labelled(rows, key, labels, empty="不限") -> list[list]:
    counts = {row[key]: row["n"] for row in rows}
    out = [[labels.get(code, code) or empty, counts[code]] for code in counts]
    return sorted(out, key=lambda r: -r[1])


def intake(today=None) -> dict:
    today = today or timezone.localdate()
    posted = Opening.objects.exclude(status=OpeningStatus.DRAFT)
    requests = ContactRequest.objects.all()
    accepted = requests.filter(status=RequestStatus.ACCEPTED)
    months = _months(today)
    education = dict(Education.choices)
    sectors = dict(UnitType.choices)
    total_requests = requests.count()
    total_accepted = accepted.count()
    return {
        "openings": posted.count(),
        "open_now": posted.filter(status=OpeningStatus.PUBLISHED, closes_on__gte=today).count(),
        "headcount": posted.aggregate(n=Sum("headcount"))["n"] or 0,
        "resumes": Resume.objects.count(),
        "requests": total_requests,
        "accepted": total_accepted,
        "accept_rate": round(100 * total_accepted / total_requests, 1) if total_requests else None,
        "month": {
            "labels": [f"{m:%Y-%m}" for m in months],
            "openings": _by_month(posted, "published_at", months),
            "requests": _by_month(requests, "requested_at", months),
            "accepted": _by_month(accepted, "answered_at", months),
        },
        "opening_education": _labelled(
            posted.values("education").annotate(n=Count("id")), "education", education
        ),
        "resume_education": _labelled(
            Resume.objects.values("education").annotate(n=Count("id")), "education", education
        ),
        "sector": _labelled(
            posted.values("unit__unit_type").annotate(n=Count("id")), "unit__unit_type", sectors
        ),
        "accepted_sector": _labelled(
            accepted.values("unit__unit_type").annotate(n=Count("id")), "unit__unit_type", sectors
        ),
    }
