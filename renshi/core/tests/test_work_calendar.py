import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from renshi.core import work_calendar
from renshi.core.models import AuditEvent, WorkCalendarDay
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.core.work_calendar import CalendarInputError, calendar_day_set, calendar_year_enter
from renshi.core.workdays import CalendarUnknown, add_workdays, is_workday, workdays_between

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = WorkCalendarDay.Kind

# 国务院办公厅关于2027年部分节假日安排的通知 (as an administrator would paste it; test data).
HOLIDAYS_2027 = """\
2027-01-01 至 2027-01-03 元旦
2027-02-06 至 2027-02-13 春节
2027年4月3日 至 2027年4月5日 清明节
2027-05-01~2027-05-05 劳动节
2027-06-09 至 2027-06-11 端午节
2027-09-15 至 2027-09-17 中秋节
2027-10-01 至 2027-10-07 国庆节
"""
MAKEUP_2027 = """\
2027-02-14 春节调休
2027-02-20 春节调休
2027-10-09 国庆节调休
"""


@pytest.fixture
def admin():
    return UserFactory(role=Role.SYSTEM_ADMIN)


def test_the_migration_seeds_2024_to_2026_from_chinesecalendar():
    for year, days in ((2024, 366), (2025, 365), (2026, 365)):
        assert WorkCalendarDay.objects.filter(date__year=year).count() == days
    national_day = WorkCalendarDay.objects.get(date=D(2025, 10, 1))
    assert (national_day.kind, national_day.name, national_day.is_workday) == (
        Kind.HOLIDAY,
        "国庆节",
        False,
    )
    makeup = WorkCalendarDay.objects.get(date=D(2025, 9, 28))
    assert (makeup.kind, makeup.is_workday, makeup.source) == (Kind.MAKEUP, True, "chinesecalendar")
    assert WorkCalendarDay.objects.get(date=D(2025, 10, 12)).kind == Kind.WEEKEND
    assert WorkCalendarDay.objects.get(date=D(2025, 10, 13)).kind == Kind.WORKDAY


def test_national_day_2025_from_the_table():
    assert [is_workday(D(2025, 10, d)) for d in range(1, 9)] == [False] * 8
    assert is_workday(D(2025, 9, 28)) and is_workday(D(2025, 10, 11))
    assert add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)


def test_2027_is_unknown_until_entered(admin):
    with pytest.raises(CalendarUnknown) as exc:
        is_workday(D(2027, 3, 1))
    assert str(exc.value) == "2027年的工作日历尚未录入，请系统管理员在“工作日历”中录入"
    with pytest.raises(CalendarUnknown):
        add_workdays(D(2026, 12, 28), 10)

    assert (
        calendar_year_enter(
            actor=admin, year=2027, holidays_text=HOLIDAYS_2027, makeup_text=MAKEUP_2027
        )
        == 365
    )

    assert not is_workday(D(2027, 10, 7)) and is_workday(D(2027, 10, 8))
    assert is_workday(D(2027, 10, 9)) and D(2027, 10, 9).weekday() == 5
    assert not is_workday(D(2027, 10, 10))  # an ordinary Sunday
    assert not is_workday(D(2027, 4, 3)) and not is_workday(D(2027, 5, 5))
    # 2026-12-28 Mon: 29, 30, 31 Dec; 1–3 Jan off; 4, 5, 6, 7, 8, 11, 12 Jan.
    assert add_workdays(D(2026, 12, 28), 10) == D(2027, 1, 12)
    assert workdays_between(D(2027, 10, 1), D(2027, 10, 10)) == 2
    row = WorkCalendarDay.objects.get(date=D(2027, 2, 6))
    assert (row.kind, row.name, row.source, row.updated_by) == (
        Kind.HOLIDAY,
        "春节",
        "admin",
        admin,
    )
    event = AuditEvent.objects.get(action="work_calendar.year_enter")
    assert event.object_id == "2027" and event.after["holidays"] == 3 + 8 + 3 + 5 + 3 + 3 + 7
    assert event.after["makeup_days"] == 3


@pytest.mark.parametrize(
    ("holidays", "makeup", "message"),
    [
        ("", "", "请至少录入一段放假安排"),
        ("2027-10-07 至 2027-10-01 国庆节", "", "结束日期早于开始日期"),
        ("2027-10-01 至 2027-10-07", "", "请写节日名称"),
        ("2028-10-01 国庆节", "", "不在 2027 年"),
        ("2027-02-30 春节", "", "不是有效日期"),
        ("国庆节放七天", "", "应写一个日期或一个日期范围"),
        ("2027-10-01 至 2027-10-07 国庆节\n2027-10-07 中秋节", "", "与其他放假安排重复"),
        ("2027-10-01 至 2027-10-07 国庆节", "2027-10-06 调休", "已在放假安排中"),
        ("2027-10-01 至 2027-10-07 国庆节", "2027-10-08 调休", "不是周六或周日"),
    ],
)
def test_bad_year_input_is_refused_and_nothing_is_written(admin, holidays, makeup, message):
    with pytest.raises(CalendarInputError, match=message):
        calendar_year_enter(actor=admin, year=2027, holidays_text=holidays, makeup_text=makeup)
    assert not WorkCalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEvent.objects.filter(action__startswith="work_calendar").exists()


def test_entering_a_year_again_replaces_it(admin):
    calendar_year_enter(actor=admin, year=2027, holidays_text=HOLIDAYS_2027)
    assert not is_workday(D(2027, 6, 10))
    calendar_year_enter(actor=admin, year=2027, holidays_text="2027-01-01 元旦")
    assert is_workday(D(2027, 6, 10))
    assert WorkCalendarDay.objects.filter(date__year=2027).count() == 365
    assert AuditEvent.objects.filter(action="work_calendar.year_enter").order_by(
        "pk"
    ).last().before == {"rows": 365}


def test_an_admin_edit_of_a_day_is_audited_and_seen_at_once(admin):
    assert is_workday(D(2025, 10, 9))  # cached now
    calendar_day_set(actor=admin, day=D(2025, 10, 9), kind=Kind.HOLIDAY, name="国庆节")
    assert not is_workday(D(2025, 10, 9))
    row = WorkCalendarDay.objects.get(date=D(2025, 10, 9))
    assert (row.source, row.updated_by) == ("admin", admin)
    event = AuditEvent.objects.get(action="work_calendar.day_set")
    assert event.before == {
        "date": "2025-10-09",
        "is_workday": True,
        "kind": "workday",
        "name": "",
        "source": "chinesecalendar",
    }
    assert event.after["kind"] == "holiday" and event.after["name"] == "国庆节"


def test_bad_day_edits_are_refused(admin):
    with pytest.raises(CalendarInputError, match="请填写名称"):
        calendar_day_set(actor=admin, day=D(2025, 10, 9), kind=Kind.HOLIDAY, name="")
    with pytest.raises(CalendarInputError, match="2031年的工作日历尚未录入"):
        calendar_day_set(actor=admin, day=D(2031, 1, 2), kind=Kind.WORKDAY)
    with pytest.raises(CalendarInputError, match="请选择日期类型"):
        calendar_day_set(actor=admin, day=D(2025, 10, 9), kind="party")
    assert WorkCalendarDay.objects.get(date=D(2025, 10, 9)).kind == Kind.WORKDAY
    assert not AuditEvent.objects.filter(action__startswith="work_calendar").exists()


def test_missing_next_year_only_from_november(admin):
    assert work_calendar.missing_next_year(D(2026, 10, 31)) is None
    assert work_calendar.missing_next_year(D(2026, 11, 1)) == 2027
    assert work_calendar.missing_next_year(D(2025, 12, 1)) is None  # 2026 is seeded
    calendar_year_enter(actor=admin, year=2027, holidays_text="2027-01-01 元旦")
    assert work_calendar.missing_next_year(D(2026, 11, 1)) is None


def test_the_admin_home_warns_from_november(client, admin):
    client.force_login(admin)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)):
        page = client.get("/").content.decode()
    assert "2027年的工作日历尚未录入" in page
    with time_machine.travel(datetime.datetime(2026, 10, 20, 9, tzinfo=datetime.UTC)):
        assert "工作日历尚未录入" not in client.get("/").content.decode()
    client.force_login(UserFactory(role=Role.PERSONNEL))
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)):
        assert "工作日历尚未录入" not in client.get("/").content.decode()


def test_the_calendar_page_shows_a_year_as_months(client, admin):
    client.force_login(admin)
    page = client.get("/calendar/", {"year": 2025, "day": "2025-10-01"}).content.decode()
    assert "工作日历 2025年" in page and "12月" in page
    assert 'class="k-holiday" title="2025-10-01 法定节假日 · 国庆节"' in page
    assert 'class="k-makeup" title="2025-09-28 调休上班 · 国庆节"' in page
    assert 'value="holiday" selected' in page
    assert "2027年尚未" not in page
    missing = client.get("/calendar/", {"year": 2027}).content.decode()
    assert "2027年的工作日历尚未录入" in missing


def test_the_admin_enters_2027_and_edits_a_day_through_the_pages(client, admin):
    client.force_login(admin)
    assert client.get("/calendar/year/", {"year": 2027}).status_code == 200
    bad = client.post(
        "/calendar/year/", {"year": 2027, "holidays": "2027-10-07 至 2027-10-01 国庆节"}
    )
    assert "结束日期早于开始日期" in bad.content.decode()
    assert not WorkCalendarDay.objects.filter(date__year=2027).exists()

    response = client.post(
        "/calendar/year/", {"year": 2027, "holidays": HOLIDAYS_2027, "makeup": MAKEUP_2027}
    )
    assert response.status_code == 302 and response["Location"] == "/calendar/?year=2027"
    assert is_workday(D(2027, 2, 20)) and not is_workday(D(2027, 2, 8))

    response = client.post(
        "/calendar/day/", {"date": "2027-02-15", "kind": "holiday", "name": "春节"}
    )
    assert response["Location"] == "/calendar/?year=2027"
    assert not is_workday(D(2027, 2, 15))
    assert AuditEvent.objects.filter(action="work_calendar.day_set", actor=admin).count() == 1

    response = client.post("/calendar/day/", {"date": "2027-02-16", "kind": "holiday"}, follow=True)
    assert "法定节假日请填写名称" in response.content.decode()
    assert is_workday(D(2027, 2, 16))


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.PERSONNEL])
def test_outsiders_get_404(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get("/calendar/").status_code == 404
    assert client.get("/calendar/year/").status_code == 404
    response = client.post("/calendar/day/", {"date": "2025-10-09", "kind": "holiday", "name": "x"})
    assert response.status_code == 404
    assert WorkCalendarDay.objects.get(date=D(2025, 10, 9)).kind == Kind.WORKDAY


def test_load_work_calendar_keeps_existing_years_and_loads_others(admin):
    calendar_day_set(actor=admin, day=D(2025, 10, 9), kind=Kind.HOLIDAY, name="国庆节")
    call_command("load_work_calendar", "--years", "2023", "2025")
    assert WorkCalendarDay.objects.filter(date__year=2023).count() == 365
    assert not is_workday(D(2023, 10, 6)) and is_workday(D(2023, 10, 7))
    assert not is_workday(D(2025, 10, 9))  # the admin's edit is kept
    call_command("load_work_calendar", "--years", "2025", "--replace")
    assert is_workday(D(2025, 10, 9))


def test_load_work_calendar_refuses_a_year_the_package_does_not_know():
    with pytest.raises(CommandError, match="chinesecalendar 未收录 2031 年"):
        call_command("load_work_calendar", "--years", "2023", "2031")
    assert not WorkCalendarDay.objects.filter(date__year=2023).exists()


def test_a_year_reads_back_in_the_paste_format(client, admin):
    # chinesecalendar names 2025-10-06 中秋节 inside the 国庆 break.
    assert work_calendar.year_as_text(2025)[0].splitlines()[-3:] == [
        "2025-10-01 至 2025-10-05 国庆节",
        "2025-10-06 中秋节",
        "2025-10-07 至 2025-10-08 国庆节",
    ]
    calendar_year_enter(
        actor=admin, year=2027, holidays_text=HOLIDAYS_2027, makeup_text=MAKEUP_2027
    )
    holidays, makeup = work_calendar.year_as_text(2027)
    assert holidays.splitlines()[2] == "2027-04-03 至 2027-04-05 清明节"
    assert makeup == MAKEUP_2027.strip()
    client.force_login(admin)
    page = client.get("/calendar/year/", {"year": 2027}).content.decode()
    assert "2027-05-01 至 2027-05-05 劳动节" in page and "该年已有工作日历" in page
    page = client.get("/calendar/", {"year": 2027}).content.decode()
    assert "2027-10-01 至 2027-10-07" in page and "放假 7 天" in page


def test_a_year_the_package_knows_is_copied_into_an_empty_table_on_first_use():
    # A flushed database (transactional tests) or a year older than the seeded ones.
    WorkCalendarDay.objects.filter(date__year=2025).delete()
    assert not is_workday(D(2025, 10, 8)) and is_workday(D(2025, 10, 11))
    assert WorkCalendarDay.objects.filter(date__year=2025, source="chinesecalendar").count() == 365
    assert not is_workday(D(2019, 10, 7))
    assert WorkCalendarDay.objects.filter(date__year=2019).count() == 365
    with pytest.raises(CalendarUnknown):
        is_workday(D(2031, 1, 2))
    assert not WorkCalendarDay.objects.filter(date__year=2031).exists()
