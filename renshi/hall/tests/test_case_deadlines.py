"""Deadlines of cases in working days (行政许可法 §42, §45, §82; 民法典 §201): the day of
acceptance is not counted, holidays and weekends are skipped, 调休 Saturdays count, paused time
is added, and a deadline in a year without a calendar stops the action with the calendar's
message and changes nothing."""

import datetime

import pytest

from renshi.core import notify
from renshi.core.models import WorkCalendarDay
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.core.work_calendar import calendar_year_enter
from renshi.hall import cases
from renshi.hall.errors import HallError
from renshi.hall.models import Case, CaseSequence, CaseStatus
from renshi.hall.tests.cases_helpers import (
    Bureau,
    file_transfer,
    item,
    load_items,
    transfer_setup,
)
from renshi.hall.tests.engine_helpers import counts, line, on, the_task
from renshi.personnel.selectors import scope_unit
from renshi.personnel.tests.factories import make_clerk, make_unit

pytestmark = pytest.mark.django_db

D = datetime.date
NO_2027 = "2027年的工作日历尚未录入，请系统管理员在“工作日历”中录入"


@pytest.fixture(autouse=True)
def _items():
    load_items()
    WorkCalendarDay.objects.filter(date__year__gte=2027).delete()


@pytest.fixture
def bureau():
    return Bureau()


@pytest.fixture
def clerk():
    return make_clerk(make_unit("乙单位"))


def file(clerk, code):
    return cases.case_file(
        actor=clerk, item=item(code), unit=scope_unit(clerk), applicant_name="王经办"
    )


def accept_on(time_machine, day, clerk, bureau, code):
    on(time_machine, day)
    case = file(clerk, code)
    return cases.accept(actor=bureau.window, case=case)


def test_twenty_working_days_across_national_day_2026(time_machine, clerk, bureau):
    # JZ-001: promised 20, legal 30 working days. 1–7 Oct are off; Saturday 10 Oct is worked.
    case = accept_on(time_machine, D(2026, 9, 25), clerk, bureau, "JZ-001")
    assert case.due_date == D(2026, 10, 29)
    assert case.legal_due_date == D(2026, 11, 12)
    assert the_task(case).due_date == D(2026, 10, 15)  # review: 10 working days


def test_ten_working_days_across_the_spring_festival_2026(time_machine, clerk, bureau):
    # RS-001: promised 10, legal 20. 15–23 Feb are off; Saturdays 14 and 28 Feb are worked.
    case = accept_on(time_machine, D(2026, 2, 12), clerk, bureau, "RS-001")
    assert (case.due_date, case.legal_due_date) == (D(2026, 3, 4), D(2026, 3, 18))


def test_the_day_of_acceptance_is_not_counted(time_machine, clerk, bureau):
    # RS-008: promised 5. Accepted on a Friday: Monday is day 1, the next Friday day 5.
    case = accept_on(time_machine, D(2026, 11, 20), clerk, bureau, "RS-008")
    assert case.accepted_on == D(2026, 11, 20) and case.due_date == D(2026, 11, 27)
    assert the_task(case).due_date == D(2026, 11, 24)  # review: 2 working days
    # Accepted on a Saturday that is not worked: the count still starts on the next day.
    case = accept_on(time_machine, D(2026, 11, 21), clerk, bureau, "RS-008")
    assert case.due_date == D(2026, 11, 27)


def test_supplement_time_is_not_counted(time_machine, clerk, bureau):
    on(time_machine, D(2026, 11, 2))
    case = file(clerk, "RS-008")
    names = cases.missing_materials(case)
    cases.request_supplement(actor=bureau.window, case=case, items=[{"name": n} for n in names])
    on(time_machine, D(2026, 11, 16))
    cases.supply(actor=clerk, case=case, materials=names)
    case = cases.accept(actor=bureau.window, case=case)
    assert case.accepted_on == D(2026, 11, 16) and case.due_date == D(2026, 11, 23)


def test_a_pause_across_national_day_adds_only_its_working_days(time_machine, clerk, bureau):
    case = accept_on(time_machine, D(2026, 9, 25), clerk, bureau, "JZ-001")
    on(time_machine, D(2026, 9, 29))
    cases.suspend(actor=bureau.chief, case=case, reason="专家评审")
    on(time_machine, D(2026, 10, 9))
    case = cases.resume(actor=bureau.chief, case=case)
    assert case.paused_days == 3  # 30 Sept, 8 and 9 Oct
    assert case.due_date == D(2026, 11, 3)  # 23 working days after 25 Sept
    assert the_task(case).due_date == D(2026, 10, 20)


def test_acceptance_into_a_year_without_calendar_is_refused_and_changes_nothing(
    time_machine, bureau, django_capture_on_commit_callbacks
):
    _a, b, person, clerk = transfer_setup()
    on(time_machine, D(2026, 12, 18))  # 15 working days reach into January 2027
    case = file_transfer(clerk, b, person)
    before = counts(case)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(HallError) as e,
    ):
        cases.accept(actor=bureau.window, case=case)
    assert e.value.message == f"无法计算办理期限：{NO_2027}"
    assert counts(case) == before and callbacks == [] and notify.outbox == []
    assert case.accepted_on is None and line(b).reserved == 0
    # Once the administrator enters 2027 the same acceptance goes through.
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    calendar_year_enter(actor=admin, year=2027, holidays_text="2027-01-01 至 2027-01-03 元旦")
    case = cases.accept(actor=bureau.window, case=case)
    assert case.due_date == D(2027, 1, 11) and line(b).reserved == 1


def test_filing_on_new_years_eve_without_next_years_calendar_is_refused(
    time_machine, clerk, bureau
):
    on(time_machine, D(2026, 12, 31))
    with pytest.raises(HallError, match=NO_2027):
        file(clerk, "RS-008")
    assert not Case.objects.exists() and not CaseSequence.objects.exists()


def test_resuming_in_a_year_without_calendar_is_refused_and_changes_nothing(
    time_machine, clerk, bureau
):
    case = accept_on(time_machine, D(2026, 11, 2), clerk, bureau, "RS-008")
    cases.suspend(actor=bureau.chief, case=case, reason="鉴定")
    on(time_machine, D(2028, 1, 10))
    before = counts(case)
    with pytest.raises(HallError, match=f"无法计算办理用时：{NO_2027}"):
        cases.resume(actor=bureau.chief, case=case)
    assert counts(case) == before and before["status"] == CaseStatus.SUSPENDED


def test_an_extension_into_a_year_without_calendar_is_refused_and_stays_pending(
    time_machine, clerk, bureau
):
    case = accept_on(time_machine, D(2026, 12, 7), clerk, bureau, "RS-008")
    assert case.legal_due_date == D(2026, 12, 28)
    ext = cases.request_extension(actor=bureau.chief, case=case, days=5, reason="外调")
    before = counts(case)
    with pytest.raises(HallError, match=NO_2027):
        cases.decide_extension(actor=bureau.leader, case=case, extension=ext, approve=True)
    assert counts(case) == before
    ext.refresh_from_db()
    assert ext.status == "pending"
