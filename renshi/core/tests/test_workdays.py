import datetime

import pytest

from renshi.core.workdays import CalendarUnknown, add_workdays, is_workday, workdays_between

pytestmark = pytest.mark.django_db

D = datetime.date


def test_national_day_2025_is_off_and_its_make_up_weekend_days_are_working():
    # 国庆、中秋 2025: 10月1日至8日放假调休，9月28日（周日）、10月11日（周六）上班.
    assert not any(is_workday(D(2025, 10, day)) for day in range(1, 9))
    assert is_workday(D(2025, 9, 28)) and D(2025, 9, 28).weekday() == 6
    assert is_workday(D(2025, 10, 11)) and D(2025, 10, 11).weekday() == 5
    assert is_workday(D(2025, 10, 9))
    assert not is_workday(D(2025, 10, 12))  # an ordinary Sunday


def test_spring_festival_2026_is_off():
    assert not is_workday(D(2026, 2, 17))  # 除夕后初一
    assert is_workday(D(2026, 3, 2))


def test_add_workdays_jumps_over_the_holiday():
    # Published on Tuesday 30 Sept 2025: the five working days are 9, 10, 11 (Sat), 13, 14 Oct.
    assert add_workdays(D(2025, 9, 30), 5) == D(2025, 10, 14)
    assert add_workdays(D(2025, 9, 30), 0) == D(2025, 9, 30)
    # An ordinary week: Monday + 5 working days = next Monday.
    assert add_workdays(D(2025, 11, 3), 5) == D(2025, 11, 10)


def test_workdays_between_counts_both_ends():
    assert workdays_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert workdays_between(D(2025, 9, 28), D(2025, 10, 11)) == 6  # 28, 29, 30 Sept; 9, 10, 11 Oct
    assert workdays_between(D(2025, 10, 9), D(2025, 10, 8)) == 0
    start = D(2025, 9, 30)
    assert workdays_between(start + datetime.timedelta(days=1), add_workdays(start, 7)) == 7


def test_a_year_without_official_data_is_an_error_not_a_guess():
    with pytest.raises(CalendarUnknown, match="2031年的工作日历尚未录入"):
        is_workday(D(2031, 3, 3))
    with pytest.raises(CalendarUnknown):
        add_workdays(D(2026, 12, 28), 10)
