"""Statistics of the service hall (办件统计, 电子监察): cases per item and section, on-time rate,
average working days used, the overdue list and the ratings, for a month or a year.

Each figure is one grouped query, so the page costs the same whatever the number of cases.
Counts by period use the day the case was received; on-time rate and working days use the day
it was concluded (办结: concluded or delivered); ratings the day they were given. The overdue
list and the pending follow-ups are as of today, whatever the period.
"""

import dataclasses
import datetime

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from renshi.core import workdays
from renshi.hall import deadlines
from renshi.hall.models import (
    OPEN_STATUSES,
    RUNNING,
    Case,
    CaseStatus,
    Rating,
    RatingLevel,
    Section,
)
from renshi.personnel.statistics import Table

CONCLUDED = (CaseStatus.CONCLUDED, CaseStatus.DELIVERED)
OVERDUE_ROWS = 50


@dataclasses.dataclass(frozen=True)
class Period:
    """A month (2026-11) or a year (2026)."""

    year: int
    month: int | None = None

    @classmethod
    def parse(cls, text: str | None, today: datetime.date) -> "Period":
        """`?period=2026-11` or `?period=2026`; anything else is this month."""
        try:
            if text and len(text) == 7 and text[4] == "-":
                year, month = int(text[:4]), int(text[5:])
                if 1 <= month <= 12 and 2000 <= year <= 2100:
                    return cls(year, month)
            elif text and len(text) == 4:
                year = int(text)
                if 2000 <= year <= 2100:
                    return cls(year)
        except ValueError:
            pass
        return cls(today.year, today.month)

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, 1)

    @property
    def end(self) -> datetime.date:
        """The day after the period."""
        if self.month is None:
            return datetime.date(self.year + 1, 1, 1)
        return (self.first + datetime.timedelta(days=32)).replace(day=1)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年"

    def range(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware datetimes (local midnight to local midnight)."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.first, datetime.time(), zone)
        return start, datetime.datetime.combine(self.end, datetime.time(), zone)


def period_choices(today: datetime.date, back: int = 12) -> list[tuple[str, str]]:
    """This year and last, then the last `back` months, newest first."""
    choices = [Period(today.year), Period(today.year - 1)]
    first = today.replace(day=1)
    for _ in range(back):
        choices.append(Period(first.year, first.month))
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return [(p.key, p.label) for p in choices]


def _percent(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def collect(period: Period, today: datetime.date | None = None) -> dict:
    """Everything the statistics page shows, as figures and Tables (shared with the charts)."""
    today = today or timezone.localdate()
    start, end = period.range()
    received = Case.objects.filter(received_at__gte=start, received_at__lt=end)
    concluded = Case.objects.filter(
        status__in=CONCLUDED, concluded_at__gte=start, concluded_at__lt=end
    )
    # On time = within the promised working days (extensions granted count; pauses do not).
    on_time = Q(concluded_workdays__lte=F("version__promised_limit_days") + F("extended_days"))
    by_item = list(
        received.values("item__code", "item__name")
        .annotate(n=Count("id"), accepted=Count("id", filter=Q(accepted_on__isnull=False)))
        .order_by("-n", "item__code")
    )
    done_by_item = {
        row["item__code"]: row
        for row in concluded.values("item__code").annotate(
            n=Count("id"), on_time=Count("id", filter=on_time), days=Avg("concluded_workdays")
        )
    }
    totals = concluded.aggregate(
        n=Count("id"), on_time=Count("id", filter=on_time), days=Avg("concluded_workdays")
    )
    tables = {
        "by_item": _items_table(by_item, done_by_item),
        "sections": _sections_table(received),
        "trend": _trend_table(period),
        "ratings": _ratings_table(period),
    }
    ratings = Rating.objects.filter(rated_at__gte=start, rated_at__lt=end)
    rating_totals = ratings.aggregate(
        n=Count("id"), good=Count("id", filter=Q(level__gte=RatingLevel.SATISFIED))
    )
    overdue = overdue_cases(today)
    return {
        "period": period,
        "today": today,
        "figures": {
            "received": received.count(),
            "concluded": totals["n"],
            "on_time_rate": _percent(totals["on_time"], totals["n"]),
            "average_days": round(totals["days"], 1) if totals["days"] is not None else None,
            "open": Case.objects.filter(status__in=OPEN_STATUSES).count(),
            "overdue": len(overdue) if len(overdue) < OVERDUE_ROWS else _overdue_count(today),
            "ratings": rating_totals["n"],
            "satisfaction": _percent(rating_totals["good"], rating_totals["n"]),
        },
        "tables": tables,
        "overdue": overdue,
        "follow_ups": pending_follow_ups(today),
    }


def _items_table(by_item, done_by_item) -> Table:
    rows = []
    for row in by_item:
        done = done_by_item.get(row["item__code"], {})
        rows.append(
            [
                row["item__name"],
                row["n"],
                row["accepted"],
                done.get("n", 0),
                _percent(done.get("on_time", 0), done.get("n", 0)) or "",
                round(done["days"], 1) if done.get("days") is not None else "",
            ]
        )
    return Table(
        key="by_item",
        title="各事项办件量",
        columns=["事项", "收件", "受理", "办结", "按时办结率(%)", "平均用时(工作日)"],
        rows=rows,
        chart="hbar-items",
    )


def _sections_table(received) -> Table:
    names = dict(Section.choices)
    rows = [
        [names.get(row["item__section"], row["item__section"]), row["n"]]
        for row in received.values("item__section").annotate(n=Count("id")).order_by("-n")
    ]
    return Table(
        key="sections", title="各科室办件量", columns=["科室", "收件"], rows=rows, chart="pie"
    )


def _trend_table(period: Period) -> Table:
    """Received and concluded per month of the year (a month's period shows its whole year)."""
    year = Period(period.year)
    start, end = year.range()
    zone = timezone.get_current_timezone()
    got = dict(
        Case.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(m=TruncMonth("received_at", tzinfo=zone))
        .values("m")
        .annotate(n=Count("id"))
        .values_list("m", "n")
    )
    done = dict(
        Case.objects.filter(status__in=CONCLUDED, concluded_at__gte=start, concluded_at__lt=end)
        .annotate(m=TruncMonth("concluded_at", tzinfo=zone))
        .values("m")
        .annotate(n=Count("id"))
        .values_list("m", "n")
    )
    got = {_month(k): v for k, v in got.items()}
    done = {_month(k): v for k, v in done.items()}
    today = timezone.localdate()
    last = today.month if period.year == today.year else 12  # no zeros for months to come
    rows = [[f"{m}月", got.get(m, 0), done.get(m, 0)] for m in range(1, last + 1)]
    return Table(
        key="trend",
        title=f"{period.year}年各月收件与办结",
        columns=["月份", "收件", "办结"],
        rows=rows,
        chart="line",
    )


def _month(value) -> int:
    return value.month


def _ratings_table(period: Period) -> Table:
    start, end = period.range()
    counts = dict(
        Rating.objects.filter(rated_at__gte=start, rated_at__lt=end)
        .values("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    rows = [[label, counts.get(level, 0)] for level, label in RatingLevel.choices]
    return Table(
        key="ratings",
        title="好差评",
        columns=["评价", "件数"],
        rows=rows if any(counts.values()) else [],
        chart="pie",
    )


def _overdue_query(today):
    return Case.objects.filter(status__in=RUNNING, due_date__lt=today)


def _overdue_count(today) -> int:
    return _overdue_query(today).count()


def overdue_cases(today: datetime.date) -> list[Case]:
    """Running cases past their due date, the longest overdue first, with working days over."""
    rows = list(
        _overdue_query(today)
        .select_related("item", "unit")
        .order_by("due_date", "id")[:OVERDUE_ROWS]
    )
    for case in rows:
        case.colour = deadlines.RED
        try:
            case.days_over = workdays.workdays_between(
                case.due_date + datetime.timedelta(days=1), today
            )
        except workdays.CalendarUnknown:
            case.days_over = (today - case.due_date).days
    return rows


def pending_follow_ups(today: datetime.date) -> list[Rating]:
    """Bad ratings not yet followed up (差评整改), the most urgent first."""
    rows = list(
        Rating.objects.filter(level__lte=RatingLevel.DISSATISFIED, followed_up_at__isnull=True)
        .select_related("case__item", "case__unit")
        .order_by("follow_up_due", "id")
    )
    for rating in rows:
        rating.late = bool(rating.follow_up_due and rating.follow_up_due < today)
    return rows
