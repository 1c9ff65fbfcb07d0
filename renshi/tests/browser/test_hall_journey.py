"""Issue 5's journey in a real browser: a unit files a transfer-in, the window asks for a missing
document once, the unit supplies it, the window accepts, the sections and the leader approve,
and the person and the establishment numbers move to the new unit."""

import re

import pytest
from django.db import transaction

from renshi.core.crypto import decrypt
from renshi.hall.models import Case, CaseStatus
from renshi.hall.tests.cases_helpers import INST, Bureau, load_items
from renshi.personnel.models import EstablishmentLine
from renshi.personnel.services import establishment
from renshi.personnel.tests.factories import make_clerk, make_person, make_unit
from renshi.tests.browser.conftest import PHONE_DEVICE, STAFF, log_in, overflow, snap

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PDF = {"name": "材料.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 test"}


@pytest.fixture
def city():
    # The factories lock establishment rows, which PostgreSQL allows only inside a transaction.
    with transaction.atomic():
        load_items()
        old, new = make_unit("鞍山市甲局"), make_unit("鞍山市乙中心")
        person = make_person(old, name="李调入", category=INST)
        establishment.establishment_approve(
            actor="测试", unit=new, category=INST, approved=3, document_number="鞍编〔2026〕9号"
        )
        return {
            "new": new,
            "person": person,
            "clerk": make_clerk(new, full_name="孙专员"),
            "bureau": Bureau(),
        }


def sign(new_page, user, number, tab="role", shot=None):
    """A bureau user opens the case from their task list and approves their step."""
    from playwright.sync_api import expect

    page = new_page(STAFF)
    log_in(page, user.username)
    page.locator("nav").get_by_role("link", name="办件任务").click()
    if tab != "mine":
        page.get_by_role("link", name=re.compile("本角色待办")).click()
    if shot:
        snap(page, shot + "_list")
    page.get_by_role("link", name=number).click()
    if shot:
        snap(page, shot)
    page.get_by_label("办理意见").fill("同意")
    page.get_by_role("button", name="同意", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.context.close()


def test_a_transfer_in_from_filing_to_the_new_unit(new_page, city):
    from playwright.sync_api import expect

    person, bureau = city["person"], city["bureau"]
    occupied_before = EstablishmentLine.objects.get(unit=city["new"], category=INST).occupied

    # The unit's clerk files online, on a phone.
    phone = new_page(**PHONE_DEVICE)
    log_in(phone, city["clerk"].username)
    phone.goto("/hall/")
    assert overflow(phone) <= 1, "the hall's start page is wider than the phone"
    snap(phone, "hall_01_home_phone")
    card = phone.locator(".card", has_text="人员调动(调入)")
    card.get_by_role("link", name="在线申报").click()
    phone.get_by_label("经办人").fill("孙专员")
    phone.get_by_label("联系电话").fill("13904120002")
    phone.get_by_label("调入人员姓名").fill("李调入")
    phone.get_by_label("调入人员身份证号码").fill(decrypt(person.id_number_cipher))
    phone.get_by_label("使用编制类别").select_option(INST)
    phone.get_by_label("事业单位人员商调表").set_input_files(PDF)
    phone.get_by_label("空编使用通知书").set_input_files(PDF)
    assert overflow(phone) <= 1, "the filing form is wider than the phone"
    snap(phone, "hall_02_file_phone")
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.locator(".alert-success")).to_contain_text("办件编号")
    case = Case.objects.get()
    assert case.status == CaseStatus.RECEIVED
    assert overflow(phone) <= 1, "the case page is wider than the phone"
    snap(phone, "hall_03_case_phone")

    # The window asks once for everything missing.
    window = new_page(STAFF)
    log_in(window, bureau.window.username)
    window.locator("nav").get_by_role("link", name="待受理").click()
    snap(window, "hall_04_intake")
    window.get_by_role("link", name=case.number).click()
    expect(window.locator(".rs-actions")).to_contain_text("缺少 4 项必需材料")
    snap(window, "hall_05_window_case")
    window.get_by_role("link", name="一次性告知补正").click()
    expect(window.get_by_label("补正内容1")).to_have_value("现实表现鉴定")
    window.get_by_label("补正内容5").fill("调入人员近期照片")
    window.get_by_label("理由5").fill("用于办理调令")
    snap(window, "hall_06_supplement_form")
    window.get_by_role("button", name="出具补正材料通知书").click()
    expect(window.locator(".alert-success")).to_contain_text("补正材料通知书")
    with window.expect_popup() as popup:
        window.get_by_role("link", name="查看/打印").first.click()
    notice = popup.value
    expect(notice.locator("h1")).to_have_text("补正材料通知书")
    expect(notice.locator(".body")).to_contain_text("调入人员近期照片")
    snap(notice, "hall_07_notice")
    notice.close()

    # The clerk supplies every item.
    phone.goto("/hall/cases/")
    assert overflow(phone) <= 1, "the unit's case list is wider than the phone"
    snap(phone, "hall_08_unit_cases_phone")
    phone.locator(".rs-cases a", has_text="人员调动(调入)").click()
    expect(phone.locator(".rs-actions")).to_contain_text("补正材料")
    for box in phone.locator("input[name=material]").all():
        box.check()
    phone.locator("input[name=file_0]").set_input_files(PDF)
    snap(phone, "hall_09_supply_phone")
    phone.get_by_role("button", name="提交补正材料").click()
    expect(phone.locator(".alert-success")).to_contain_text("补正材料已提交")

    # The window accepts.
    window.reload()
    window.get_by_role("button", name="受理", exact=True).click()
    expect(window.locator(".alert-success")).to_contain_text("已受理")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.reservation_id

    # 人事科 (role task), 编制科 会签 (one task per member), the chief and the leader.
    sign(new_page, bureau.personnel, case.number, shot="hall_10_task_case")
    sign(new_page, bureau.establishment, case.number, tab="mine")
    sign(new_page, bureau.chief, case.number)
    sign(new_page, bureau.leader, case.number)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED and case.outcome == "approved"

    # The person is now in the new unit and its establishment shows one more occupied.
    phone.goto(f"/personnel/people/{person.pk}/")
    expect(phone.locator("main")).to_contain_text("鞍山市乙中心")
    staff = new_page(STAFF)
    log_in(staff, bureau.establishment.username)
    staff.goto(f"/personnel/units/{city['new'].pk}/")
    row = staff.locator("tr", has_text="事业")
    expect(row.locator("td").nth(2)).to_have_text(str(occupied_before + 1))
    snap(staff, "hall_11_establishment")
    line = EstablishmentLine.objects.get(unit=city["new"], category=INST)
    assert (line.occupied, line.reserved) == (occupied_before + 1, 0)

    # The case page shows the conclusion; the clerk rates it; anyone looks up the progress.
    phone.goto(f"/hall/cases/{case.pk}/")
    expect(phone.locator("h1 + span, .badge").first).to_be_visible()
    phone.locator("label", has_text="非常满意").click()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.locator(".alert-success")).to_contain_text("感谢您的评价")
    anonymous = new_page(**PHONE_DEVICE)
    anonymous.goto("/hall/progress/")
    anonymous.get_by_label("办件编号").fill(case.number)
    anonymous.get_by_label("查询码").fill(case.check_code)
    anonymous.get_by_role("button", name="查询").click()
    expect(anonymous.locator("main")).to_contain_text("办结（准予）")
    assert decrypt(person.id_number_cipher) not in anonymous.content()
    assert overflow(anonymous) <= 1
    snap(anonymous, "hall_12_progress_phone")


def test_the_task_list_shows_tabs_with_counts(new_page, city):
    from playwright.sync_api import expect

    page = new_page(STAFF)
    log_in(page, city["bureau"].personnel.username)
    page.goto("/hall/tasks/")
    expect(page.get_by_role("link", name=re.compile("我的待办"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("超期"))).to_be_visible()
    snap(page, "hall_13_task_list_empty")
