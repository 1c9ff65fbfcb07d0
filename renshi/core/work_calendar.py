"""The working calendar table (工作日历): seeding from chinesecalendar, admin edits, year entry.

`renshi.core.workdays` reads the table; every write here clears its cache."""

import datetime
import re
from dataclasses import dataclass

import chinese_calendar
from django.db import IntegrityError, transaction
from django.utils import timezone

from renshi.core import workdays
from renshi.core.audit import audit_record, snapshot
from renshi.core.models import WorkCalendarDay

Kind = WorkCalendarDay.Kind
Source = WorkCalendarDay.Source

ONE_DAY = datetime.timedelta(days=1)
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
AUDITED = ("date", "is_workday", "kind", "name", "source")


class CalendarInputError(ValueError):
    """Bad calendar input; the message is for the user (Chinese)."""


def days_of(year: int):
    day = datetime.date(year, 1, 1)
    while day.year == year:
        yield day
        day += datetime.timedelta(days=1)


def plain_kind(day: datetime.date) -> str:
    return Kind.WEEKEND if day.weekday() >= 5 else Kind.WORKDAY


def known_years() -> range:
    """The years chinesecalendar ships the State Council's schedule for."""
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def official_days(year: int) -> list[tuple[datetime.date, str, str]]:
    """(date, kind, name) for every day of a year chinesecalendar knows (used by the migration)."""
    if year not in known_years():
        raise CalendarInputError(f"chinesecalendar 未收录 {year} 年的法定节假日安排")
    rows = []
    for day in days_of(year):
        if day in chinese_calendar.holidays:
            kind, label = Kind.HOLIDAY, chinese_calendar.holidays[day]
        elif day in chinese_calendar.workdays:
            kind, label = Kind.MAKEUP, chinese_calendar.workdays[day]
        else:
            kind, label = plain_kind(day), ""
        rows.append((day, str(kind), HOLIDAY_NAMES.get(label, label)))
    return rows


def new_day(day, kind, name, *, source=Source.CHINESECALENDAR, actor=None, at=None):
    return WorkCalendarDay(
        date=day,
        kind=kind,
        is_workday=kind in WorkCalendarDay.WORKING_KINDS,
        name=name,
        source=source,
        updated_by=actor,
        updated_at=at or timezone.now(),
    )


def load_years(years, *, replace: bool = False) -> dict[int, int]:
    """Seed the table from chinesecalendar; a year that already has rows is kept unless
    `replace` (admin edits would be lost). Returns rows written per year."""
    years = list(years)
    unknown = [str(year) for year in years if year not in known_years()]
    if unknown:
        raise CalendarInputError(f"chinesecalendar 未收录 {'、'.join(unknown)} 年的法定节假日安排")
    written = {}
    with transaction.atomic():
        for year in years:
            existing = WorkCalendarDay.objects.filter(date__year=year)
            if existing.exists():
                if not replace:
                    written[year] = 0
                    continue
                existing.delete()
            rows = WorkCalendarDay.objects.bulk_create(
                [new_day(day, kind, name) for day, kind, name in official_days(year)],
                ignore_conflicts=True,  # a concurrent first use copying the same year
            )
            written[year] = len(rows)
    workdays.clear_cache()
    return written


def year_is_loaded(year: int) -> bool:
    return WorkCalendarDay.objects.filter(date__year=year).exists()


def holiday_ranges(year: int) -> list[tuple[datetime.date, datetime.date, str]]:
    """The year's holidays as runs of consecutive days with the same name."""
    ranges = []
    for row in WorkCalendarDay.objects.filter(date__year=year, kind=Kind.HOLIDAY).order_by("date"):
        if ranges and ranges[-1][2] == row.name and ranges[-1][1] + ONE_DAY == row.date:
            ranges[-1] = (ranges[-1][0], row.date, row.name)
        else:
            ranges.append((row.date, row.date, row.name))
    return ranges


def makeup_days(year: int) -> list[tuple[datetime.date, str]]:
    rows = WorkCalendarDay.objects.filter(date__year=year, kind=Kind.MAKEUP).order_by("date")
    return [(row.date, row.name) for row in rows]


def year_as_text(year: int) -> tuple[str, str]:
    """The year's schedule in the paste format of `calendar_year_enter` (to edit and re-enter)."""
    holidays = "\n".join(
        f"{a.isoformat()} {name}" if a == b else f"{a.isoformat()} 至 {b.isoformat()} {name}"
        for a, b, name in holiday_ranges(year)
    )
    makeups = "\n".join(f"{day.isoformat()} {name}".strip() for day, name in makeup_days(year))
    return holidays, makeups


def missing_next_year(today: datetime.date | None = None) -> int | None:
    """From November on, next year's number when its calendar has not been entered yet."""
    today = today or timezone.localdate()
    if today.month < 11:
        return None
    return None if year_is_loaded(today.year + 1) else today.year + 1


def calendar_day_set(*, actor, day: datetime.date, kind: str, name: str = "") -> WorkCalendarDay:
    """The administrator sets one day's kind and name (the year must already be entered)."""
    if kind not in Kind.values:
        raise CalendarInputError("请选择日期类型")
    name = (name or "").strip()
    if len(name) > 40:
        raise CalendarInputError("名称不能超过40个字")
    if kind == Kind.HOLIDAY and not name:
        raise CalendarInputError("法定节假日请填写名称，如“国庆节”")
    with transaction.atomic():
        row = WorkCalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            raise CalendarInputError(f"{day.year}年的工作日历尚未录入，请先录入全年")
        before = snapshot(row, AUDITED)
        row.kind = kind
        row.is_workday = kind in WorkCalendarDay.WORKING_KINDS
        row.name = name if kind in (Kind.HOLIDAY, Kind.MAKEUP) else ""
        row.source = Source.ADMIN
        row.updated_by = actor
        row.updated_at = timezone.now()
        row.save()
        audit_record(
            actor=actor,
            action="work_calendar.day_set",
            obj=row,
            before=before,
            after=snapshot(row, AUDITED),
        )
    workdays.clear_cache()
    return row


DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
SEPARATORS = re.compile(r"^[\s至到~～—–\-:：,，、]+|[\s至到~～—–\-:：,，、]+$")


@dataclass
class Line:
    number: int
    dates: list[datetime.date]
    name: str


def parse_lines(text: str, *, label: str) -> list[Line]:
    """Each non-empty line: one or two dates (a range, `至`/`~`) and an optional name."""
    lines = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        dates = []
        for match in DATE_RE.finditer(raw):
            try:
                dates.append(datetime.date(*map(int, match.groups())))
            except ValueError:
                raise CalendarInputError(
                    f"{label}第{number}行：“{match.group(0)}”不是有效日期"
                ) from None
        if not dates or len(dates) > 2:
            raise CalendarInputError(
                f"{label}第{number}行：应写一个日期或一个日期范围，"
                "如“2027-10-01 至 2027-10-07 国庆节”"
            )
        name = SEPARATORS.sub("", DATE_RE.sub(" ", raw)).strip()
        lines.append(Line(number, dates, name))
    return lines


def plan_year(year: int, holidays_text: str, makeup_text: str) -> dict[datetime.date, tuple]:
    """Validate the pasted schedule and return {date: (kind, name)} for the whole year."""
    plan = {day: (plain_kind(day), "") for day in days_of(year)}
    holiday_lines = parse_lines(holidays_text, label="放假安排")
    if not holiday_lines:
        raise CalendarInputError("请至少录入一段放假安排")
    for line in holiday_lines:
        first, last = line.dates[0], line.dates[-1]
        if last < first:
            raise CalendarInputError(f"放假安排第{line.number}行：结束日期早于开始日期")
        if not line.name:
            raise CalendarInputError(f"放假安排第{line.number}行：请写节日名称，如“国庆节”")
        if len(line.name) > 40:
            raise CalendarInputError(f"放假安排第{line.number}行：名称不能超过40个字")
        day = first
        while day <= last:
            if day.year != year:
                raise CalendarInputError(
                    f"放假安排第{line.number}行：{day.isoformat()} 不在 {year} 年"
                )
            if plan[day][0] == Kind.HOLIDAY:
                raise CalendarInputError(
                    f"放假安排第{line.number}行：{day.isoformat()} 与其他放假安排重复"
                )
            plan[day] = (Kind.HOLIDAY, line.name)
            day += datetime.timedelta(days=1)
    for line in parse_lines(makeup_text, label="调休上班"):
        if len(line.dates) != 1:
            raise CalendarInputError(f"调休上班第{line.number}行：每行只写一个日期")
        day = line.dates[0]
        if day.year != year:
            raise CalendarInputError(f"调休上班第{line.number}行：{day.isoformat()} 不在 {year} 年")
        if plan[day][0] == Kind.HOLIDAY:
            raise CalendarInputError(f"调休上班第{line.number}行：{day.isoformat()} 已在放假安排中")
        if day.weekday() < 5:
            raise CalendarInputError(f"调休上班第{line.number}行：{day.isoformat()} 不是周六或周日")
        plan[day] = (Kind.MAKEUP, line.name[:40])
    return plan


def calendar_year_enter(*, actor, year: int, holidays_text: str, makeup_text: str = "") -> int:
    """The administrator enters a whole year: holiday ranges and make-up working days; every
    other day is a working day or a weekend. An existing year is replaced. Returns the row count."""
    if not 2000 <= year <= 2100:
        raise CalendarInputError("年份应在2000–2100之间")
    plan = plan_year(year, holidays_text, makeup_text)
    try:
        count = _enter_year(actor, year, plan, holidays_text, makeup_text)
    except IntegrityError:
        # Another administrator entered the same (new) year at the same moment.
        raise CalendarInputError(
            f"另一位管理员刚刚录入了{year}年的工作日历，请刷新后核对"
        ) from None
    workdays.clear_cache()
    return count


def _enter_year(actor, year, plan, holidays_text, makeup_text) -> int:
    now = timezone.now()
    with transaction.atomic():
        existing = WorkCalendarDay.objects.select_for_update().filter(date__year=year)
        replaced = len(list(existing))
        existing.delete()
        WorkCalendarDay.objects.bulk_create(
            new_day(day, kind, name, source=Source.ADMIN, actor=actor, at=now)
            for day, (kind, name) in sorted(plan.items())
        )
        holidays = sum(1 for kind, _ in plan.values() if kind == Kind.HOLIDAY)
        makeups = sum(1 for kind, _ in plan.values() if kind == Kind.MAKEUP)
        audit_record(
            actor=actor,
            action="work_calendar.year_enter",
            object_type="core.workcalendarday",
            object_id=str(year),
            label=f"{year}年工作日历",
            before={"rows": replaced} if replaced else None,
            after={"rows": len(plan), "holidays": holidays, "makeup_days": makeups},
            note=f"放假安排：\n{holidays_text.strip()}\n调休上班：\n{(makeup_text or '').strip()}",
        )
    return len(plan)
