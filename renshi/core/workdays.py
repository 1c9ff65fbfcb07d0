"""Working days (工作日) by the State Council's published holiday schedule, 调休 included.

The truth is our own table `WorkCalendarDay` (工作日历), seeded from the `chinesecalendar`
package for the years it ships (see `renshi.core.work_calendar`; a year the package knows but
the table lacks is copied in on first use) and edited by the system administrator, who also
enters a year the package does not know yet. A make-up working day
(调休上班, e.g. Sunday 2025-09-28) is a working day; a weekday inside a holiday (e.g. 2025-10-08)
is not. A year without rows raises `CalendarUnknown` rather than guessing from weekends, because
a wrong deadline on a public notice is worse than none.

Each year is read once into a dict and cached in the process; `clear_cache()` runs after every
write, and an entry is re-read after `CACHE_SECONDS` so other processes see an edit soon.
"""

import datetime
import time

CACHE_SECONDS = 60

_cache: dict[int, tuple[float, dict[datetime.date, bool]]] = {}


class CalendarUnknown(ValueError):
    """The working calendar of this year has not been entered."""


def clear_cache() -> None:
    _cache.clear()


def _year(year: int) -> dict[datetime.date, bool]:
    entry = _cache.get(year)
    now = time.monotonic()
    if entry is not None and now - entry[0] < CACHE_SECONDS:
        return entry[1]
    from renshi.core.models import WorkCalendarDay

    rows = WorkCalendarDay.objects.filter(date__year=year)
    days = dict(rows.values_list("date", "is_workday"))
    if not days and _copy_from_package(year):
        days = dict(rows.values_list("date", "is_workday"))
    if not days:
        _cache.pop(year, None)
        raise CalendarUnknown(f"{year}年的工作日历尚未录入，请系统管理员在“工作日历”中录入")
    _cache[year] = (now, days)
    return days


def _copy_from_package(year: int) -> bool:
    """A year chinesecalendar knows but the table lacks (a fresh or flushed database) is
    copied into the table on first use; afterwards the table alone answers."""
    from renshi.core import work_calendar

    if year not in work_calendar.known_years():
        return False
    work_calendar.load_years([year])
    return True


def is_workday(day: datetime.date) -> bool:
    try:
        return _year(day.year)[day]
    except KeyError:
        raise CalendarUnknown(
            f"{day.isoformat()} 不在工作日历中，请系统管理员在“工作日历”中补录"
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
