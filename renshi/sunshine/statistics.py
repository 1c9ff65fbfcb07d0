"""Report statistics for the discipline office and the leaders: by category, month, status and
handling time (calendar days from receipt to answer)."""

import datetime

from django.db.models import Count
from django.utils import timezone

from renshi.sunshine.models import Report, ReportCategory, ReportStatus

# Handling-time bands in calendar days, upper bound included.
BANDS = [(5, "5天以内"), (15, "6–15天"), (30, "16–30天"), (None, "30天以上")]


def _months(today, n=12) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _band(days) -> str:
    return next(label for limit, label in BANDS if limit is None or days <= limit)


def report_stats(today=None) -> dict:
    today = today or timezone.localdate()
    by_category = dict(Report.objects.values_list("category").annotate(n=Count("id")))
    by_status = dict(Report.objects.values_list("status").annotate(n=Count("id")))
    months = _months(today)
    since = timezone.make_aware(datetime.datetime.fromisoformat(months[0] + "-01"))
    per_month = dict.fromkeys(months, 0)
    for received in Report.objects.filter(received_at__gte=since).values_list(
        "received_at", flat=True
    ):
        key = f"{timezone.localtime(received):%Y-%m}"
        if key in per_month:
            per_month[key] += 1
    bands = {label: 0 for _, label in BANDS}
    durations = []
    for received, answered in Report.objects.filter(answered_at__isnull=False).values_list(
        "received_at", "answered_at"
    ):
        days = (timezone.localdate(answered) - timezone.localdate(received)).days
        durations.append(days)
        bands[_band(days)] += 1
    return {
        "total": sum(by_status.values()),
        "open": sum(n for s, n in by_status.items() if s != ReportStatus.ANSWERED),
        "average_days": round(sum(durations) / len(durations), 1) if durations else None,
        "category": [[c.label, by_category.get(c.value, 0)] for c in ReportCategory],
        "status": [[s.label, by_status.get(s.value, 0)] for s in ReportStatus],
        "month": [[m, n] for m, n in per_month.items()],
        "handling": [[label, n] for label, n in bands.items()],
    }
