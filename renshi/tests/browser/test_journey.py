"""The issue's journey in a real browser: a clerk corrects a record, the auditor sees it."""

import re

import pytest
from django.db import transaction

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.tests.factories import make_clerk, make_person, make_unit
from renshi.tests.browser.conftest import PHONE, log_in

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def city():
    # The factories lock establishment rows, which PostgreSQL allows only inside a transaction.
    with transaction.atomic():
        unit = make_unit("鞍山市测试局")
        other_unit = make_unit("鞍山市其他局")
        person = make_person(unit, name="张三丰", native_place="辽宁鞍山")
        make_person(unit, name="王五")
        return {
            "person": person,
            "clerk": make_clerk(unit, full_name="李文书"),
            "outsider": make_clerk(other_unit, full_name="赵外单位"),
            "auditor": UserFactory(role=Role.AUDIT_ADMIN, full_name="钱审计"),
        }


def test_it_lets_a_clerk_correct_a_record_that_the_auditor_then_sees(page, city):
    from playwright.sync_api import expect

    person = city["person"]
    log_in(page, city["clerk"].username)
    expect(page.locator("nav")).to_contain_text("李文书")

    page.locator("nav").get_by_role("link", name="人员信息").click()
    page.get_by_role("textbox", name="搜索").fill("zsf")
    page.get_by_role("button", name="查询").click()
    results = page.locator("table tbody")
    expect(results.get_by_role("link", name="张三丰")).to_be_visible()
    expect(results).not_to_contain_text("王五")

    results.get_by_role("link", name="张三丰").click()
    page.get_by_role("link", name="修改信息").click()
    page.get_by_label("籍贯").fill("辽宁海城")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(rf"/personnel/people/{person.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("已保存张三丰的信息修改")
    native_place = page.locator("tr", has=page.locator("th", has_text="籍贯")).locator("td").first
    expect(native_place).to_have_text("辽宁海城")

    page.locator("nav").get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    log_in(page, city["auditor"].username)
    page.locator("nav").get_by_role("link", name="审计日志").click()
    row = page.locator("tbody tr", has=page.locator("code", has_text="person.update"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("李文书")
    expect(row).to_contain_text("张三丰")
    expect(row.locator("td.rs-json").nth(0)).to_contain_text("辽宁鞍山")
    expect(row.locator("td.rs-json").nth(1)).to_contain_text("辽宁海城")
    page.locator("nav").get_by_role("button", name="退出").click()

    log_in(page, city["outsider"].username)
    response = page.goto(f"/personnel/people/{person.pk}/")
    assert response.status == 404
    assert "张三丰" not in page.content()


def test_it_keeps_the_person_list_usable_on_a_phone(new_page, city):
    from playwright.sync_api import expect

    page = new_page(PHONE)
    log_in(page, city["clerk"].username)
    page.goto("/personnel/people/")

    overflow = page.evaluate(OVERFLOW)
    assert overflow <= 1, f"page is {overflow}px wider than the phone screen"
    expect(page.locator(".table-responsive table")).to_be_visible()
    page.locator("input[name=q]").fill("zsf")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("link", name="张三丰")).to_be_visible()

    page.get_by_role("button", name="菜单").click()
    expect(page.locator("nav").get_by_role("link", name="人员信息")).to_be_visible()

    page.goto(f"/personnel/people/{city['person'].pk}/")
    assert page.evaluate(OVERFLOW) <= 1, "the person page is wider than the phone screen"


def test_it_locks_the_account_after_five_wrong_passwords(page, city):
    from playwright.sync_api import expect

    clerk = city["clerk"]
    for _ in range(4):
        log_in(page, clerk.username, "wrong-password-1A")
        expect(page.locator("main .alert-danger")).to_be_visible()
    log_in(page, clerk.username, "wrong-password-1A")

    response = log_in(page, clerk.username)

    assert response.status == 429
    expect(page.locator("main")).to_contain_text("账号已锁定")
    response = page.goto("/personnel/people/")
    assert "/accounts/login/" in response.url
