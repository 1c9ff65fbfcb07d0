"""Working days (工作日) by the State Council's published holiday schedule, 调休 included.

The schedule comes from the `chinesecalendar` package, which ships each year's 国务院办公厅
notice as data. A make-up working day (调休上班, e.g. Sunday 2025-09-28) is a working day; a
weekday inside a holiday (e.g. 2025-10-08) is not. The package only knows the years it ships
data for; asking about another year raises `CalendarUnknown` rather than guessing from weekends,
because a wrong deadline on a public notice is worse than none.
"""

import datetime

import chinese_calendar


class CalendarUnknown(ValueError):
    """The official holiday schedule for this year is not in the installed chinesecalendar."""


def _known_years() -> tuple[int, int]:
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def is_workday(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        first, last = _known_years()
        raise CalendarUnknown(
            f"{day.year}年的法定节假日安排尚未收录（已收录 {first}–{last} 年），"
            "请升级 chinesecalendar 后再计算工作日"
        ) from None


def add_workdays(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day` (`day` itself is not counted; n=0 gives `day`)."""
    if n < 0:
        raise ValueError("n must not be negative")
    while n:
        day += datetime.timedelta(days=1)
        n -= is_workday(day)
    return day


def workdays_between(a: datetime.date, b: datetime.date) -> int:
    """How many working days lie in a..b, both ends included (0 when b is before a)."""
    count = 0
    while a <= b:
        count += is_workday(a)
        a += datetime.timedelta(days=1)
    return count
