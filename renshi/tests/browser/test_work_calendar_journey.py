"""The system administrator enters next year's working calendar in a real browser."""

import datetime
import re

import pytest
import time_machine

from renshi.core.models import WorkCalendarDay
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.tests.browser.conftest import log_in, snap

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_admin_is_warned_enters_2027_and_marks_a_day(page):
    from playwright.sync_api import expect

    admin = UserFactory(role=Role.SYSTEM_ADMIN, full_name="周系统", username="sysadmin_cal")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC), tick=True):
        log_in(page, admin.username)
        warning = page.locator(".alert-warning", has_text="2027年的工作日历尚未录入")
        expect(warning).to_be_visible()
        warning.get_by_role("link").click()

        page.get_by_label("放假安排").fill(
            "2027-01-01 至 2027-01-03 元旦\n2027-02-06 至 2027-02-13 春节\n"
            "2027-10-01 至 2027-10-07 国庆节"
        )
        page.get_by_label("调休上班日").fill("2027-02-20 春节调休\n2027-10-09 国庆节调休")
        page.get_by_role("button", name="保存").click()

        expect(page).to_have_url(re.compile(r"/calendar/\?year=2027$"))
        expect(page.locator(".alert-success")).to_contain_text("已录入2027年工作日历，共 365 天")
        expect(page.locator("td.k-holiday")).to_have_count(3 + 8 + 7)
        expect(page.locator("td.k-makeup")).to_have_count(2)
        snap(page, "work_calendar_2027")

        page.locator('td[title^="2027-02-15"] a').click()
        page.get_by_label("类型").select_option(label="法定节假日")
        page.get_by_label("名称").fill("春节")
        page.get_by_role("button", name="保存").click()
        expect(page.locator(".alert-success")).to_contain_text("已将 2027-02-15 设为法定节假日")
        expect(page.locator('td[title^="2027-02-15"]')).to_have_class("k-holiday")

        page.goto("/")
        expect(page.locator(".alert-warning")).to_have_count(0)
    assert WorkCalendarDay.objects.get(date=datetime.date(2027, 2, 15)).updated_by == admin
