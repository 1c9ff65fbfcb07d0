"""Two administrators entering the same new year at once (PostgreSQL)."""

import datetime

import pytest
from django.db import connection

from renshi.core import workdays
from renshi.core.models import AuditEvent, WorkCalendarDay
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.core.tests.races import race
from renshi.core.work_calendar import CalendarInputError, calendar_year_enter

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_two_admins_entering_2027_at_once_leave_one_whole_year():
    admins = [UserFactory(role=Role.SYSTEM_ADMIN) for _ in range(4)]

    def enter(admin):
        return lambda: calendar_year_enter(
            actor=admin, year=2027, holidays_text="2027-10-01 至 2027-10-07 国庆节"
        )

    done, refused = race([enter(admin) for admin in admins], CalendarInputError)
    assert done and len(done) + len(refused) == 4
    assert all("另一位管理员刚刚录入了2027年" in str(e) for e in refused)
    assert WorkCalendarDay.objects.filter(date__year=2027).count() == 365
    assert AuditEvent.objects.filter(action="work_calendar.year_enter").count() == len(done)
    workdays.clear_cache()  # the threads' writes cleared it; the main thread's view is fresh
    assert not workdays.is_workday(datetime.date(2027, 10, 7))
