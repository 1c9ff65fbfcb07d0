"""Issue 3's journey on a phone: sign up, fill the profile with a photo, apply, get approved by the
exam office (in a second browser), pay through the simulated gateway, see 已缴费.

The live server runs in this process, so the SMS code is read from the in-memory outbox and the
simulator's signed notification reaches our notify handler while the cashier's 确认支付 commits.
RENSHI_SCREENSHOTS=<folder> keeps a full-page PNG of every page the journey passes through.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.models import Application, DegreeRule
from renshi.exams.tests.candidate_helpers import last_code, portrait
from renshi.exams.tests.factories import make_exam, make_position
from renshi.payments.models import FeeOrder, PaidVia, SimNotification
from renshi.personnel.tests.factories import id_number
from renshi.tests.browser.conftest import PHONE_DEVICE, STAFF, log_in, overflow, snap

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CANDIDATE_PASSWORD = "Kaosheng-2026!"
CHANNELS = {"alipay": ("支付宝", "模拟支付宝收银台"), "wechat": ("微信支付", "模拟微信支付收银台")}


@pytest.fixture(autouse=True)
def _gateway_reaches_the_live_server(settings, live_server):
    """The simulator's cashier links and our notify URL are absolute: point them here."""
    settings.PAY_SIMULATOR = "1"
    settings.PAY_PUBLIC_BASE_URL = live_server.url
    cache.clear()  # public counts, throttles and codes from an earlier test
    yield
    cache.clear()


@pytest.fixture
def exam_setup():
    with transaction.atomic():
        exam = make_exam(name="2026年鞍山市公务员考试录用（浏览器测试）")
        position = make_position(
            exam,
            code="210300100001",
            hiring_unit_name="鞍山市司法局",
            title="法律事务岗",
            plan_count=2,
            education_levels=["21"],
            degree_rule=DegreeRule.BACHELOR,
            major_codes=["0301"],
            born_from=datetime.date(1986, 1, 1),
            conditions="取得法律职业资格证书（A类）",
        )
        make_position(exam, code="210300100002", title="综合管理岗", education_levels=["31"])
        office = UserFactory(role=Role.EXAM_OFFICE, full_name="孙考务", username="exam_office_t")
    return {"exam": exam, "position": position, "office": office}


def assert_fits(page, what):
    extra = overflow(page)
    assert extra <= 1, f"{what}: the page is {extra}px wider than the phone screen"


def visit(page, name, what):
    """Every candidate page must fit the phone; keep a picture of it when asked."""
    page.wait_for_load_state()
    assert_fits(page, what)
    snap(page, name)


def loaded_width(img) -> int:
    """The picture's pixel width once the browser has loaded it (0 if it failed)."""
    img.evaluate("img => img.complete || new Promise(r => img.onload = img.onerror = r)")
    return img.evaluate("img => img.naturalWidth")


def sign_up(page, phone, number):
    from playwright.sync_api import expect

    page.goto("/exams/me/signup/")
    page.get_by_label("姓名").fill("王考生")
    page.get_by_label("身份证号码").fill(number)
    page.get_by_label("手机号码").fill(phone)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".alert-success")).to_contain_text("验证码已发送")
    expect(page.get_by_label("身份证号码")).to_have_value(number)  # kept after the round trip
    page.get_by_label("短信验证码").fill(last_code(phone))
    page.get_by_label("密码", exact=True).fill(CANDIDATE_PASSWORD)
    page.get_by_label("确认密码").fill(CANDIDATE_PASSWORD)
    visit(page, "c00-signup", "sign-up")
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("注册成功")
    expect(page.locator("main")).to_contain_text("王考生")
    expect(page.locator(".rs-done.yes")).to_have_count(1)  # only the phone number so far
    visit(page, "c01-candidate-home", "candidate home")


def fill_profile(page):
    from playwright.sync_api import expect

    page.get_by_role("link", name="个人信息（学历、工作经历）").click()
    page.get_by_label("政治面貌").select_option(label="中国共产主义青年团团员")
    page.get_by_label("户籍所在地").fill("辽宁省鞍山市铁东区")
    page.get_by_role("button", name="保存基本信息").click()
    expect(page.locator(".alert-success")).to_contain_text("基本信息已保存")

    page.get_by_role("link", name="添加学历").click()
    page.locator("#id_level").select_option("21")
    page.locator("#id_degree").select_option("bachelor")
    page.locator("#id_school").fill("辽宁大学")
    page.locator("#id_major_code").fill("030101")
    page.locator("#id_major_name").fill("法学")
    page.locator("#id_started_on").fill("2016-09-01")
    page.locator("#id_graduated_on").fill("2020-07-01")
    visit(page, "c03-education-form", "education form")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("学历信息已保存")
    expect(page.locator(".rs-row-card")).to_contain_text("辽宁大学 · 法学（030101）")
    visit(page, "c02-profile", "profile")


def upload_photo(page):
    from playwright.sync_api import expect

    page.get_by_role("link", name="返回考生中心").click()
    page.get_by_role("link", name="证件照").click()
    photo = portrait()
    assert 10 * 1024 <= len(photo) <= 100 * 1024
    page.get_by_label("证件照").set_input_files(
        {"name": "zhengjianzhao.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator(".alert-success")).to_contain_text("照片已通过检查并保存")
    current = page.get_by_role("img", name="当前证件照")
    expect(current).to_be_visible()
    assert loaded_width(current) == 295  # served back to its owner, as the JPEG that was checked
    visit(page, "c04-photo", "photo")
    page.get_by_role("link", name="返回考生中心").click()
    expect(page.locator("main h2")).to_contain_text("已完善")
    expect(page.locator(".rs-done.yes")).to_have_count(4)


def apply(page, setup):
    from playwright.sync_api import expect

    exam, position = setup["exam"], setup["position"]
    page.get_by_role("link", name="鞍山人事考试网").click()
    visit(page, "c05-exam-list", "exam list")
    page.get_by_role("link", name=re.compile(re.escape(exam.name))).click()
    visit(page, "c06-exam-detail", "exam detail")
    page.get_by_role("link", name=re.compile("查看职位表")).click()
    expect(page.locator(".list-group-item")).to_have_count(2)
    visit(page, "c07-position-list", "position list")
    page.get_by_role("link", name=re.compile(position.code)).click()
    visit(page, "c08-position-detail", "position detail")
    page.get_by_role("link", name="报考此职位").click()

    checks = page.locator("#checks li")
    expect(checks.first).to_be_visible()
    outcomes = checks.evaluate_all("items => items.map(i => i.dataset.outcome)")
    assert "fail" not in outcomes, outcomes
    manual = page.locator("#checks li[data-outcome=manual]")
    expect(manual).to_have_count(1)  # the free-text condition goes to a person
    expect(manual).to_contain_text("法律职业资格证书")
    expect(page.locator(".card-header .badge")).to_have_text("部分需人工审核")
    visit(page, "c09-apply", "apply")
    page.get_by_label(re.compile("本人承诺")).check()
    page.get_by_role("button", name="提交报名").click()

    expect(page).to_have_url(re.compile(r"/exams/my/\d+/(\?new=1)?$"))
    expect(page.locator("#status")).to_have_text("待审核")
    expect(page.locator(".rs-step.current")).to_contain_text("资格审查")
    visit(page, "c10-application-submitted", "application detail")
    return int(re.search(r"/exams/my/(\d+)/", page.url).group(1))


def approve(office, setup, candidate_name):
    """The exam office reviews in its own browser, at a desktop size."""
    from playwright.sync_api import expect

    log_in(office, setup["office"].username)
    office.goto("/exams/review/")
    row = office.locator("tbody tr", has_text=candidate_name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("待审")
    snap(office, "s01-review-list")
    row.get_by_role("link", name="审核").click()
    expect(office.locator("main")).to_contain_text("法律职业资格证书")
    expect(office.locator("main")).to_contain_text("中国共产主义青年团团员")
    assert loaded_width(office.get_by_role("img", name="照片")) == 295  # reviewers see the photo
    snap(office, "s02-review-detail")
    office.get_by_label("审核通过").check()
    office.get_by_label("审核意见（考生可见）").fill("符合职位要求，请按时缴费。")
    office.get_by_role("button", name="提交审核结论").click()
    expect(office.locator(".alert-success")).to_contain_text(f"已审核：{candidate_name}")


def pay(page, channel):
    from playwright.sync_api import expect

    label, cashier = CHANNELS[channel]
    page.reload()
    expect(page.locator("#status")).to_have_text("审核通过")
    expect(page.locator("#fee-status")).to_have_text("未缴费")
    expect(page.locator(".rs-timeline")).to_contain_text("符合职位要求")
    visit(page, "c11-application-approved", "application to pay")
    page.locator("label", has_text=label).click()  # the radio buttons look like buttons
    expect(page.get_by_role("radio", name=label)).to_be_checked()
    page.get_by_role("button", name="去缴费").click()

    expect(page).to_have_url(re.compile(r"/pay/sim/cashier/[^/]+/"))
    expect(page.locator("h1")).to_have_text(cashier)
    expect(page.locator(".sim-amount")).to_have_text("¥100.00")
    visit(page, f"c12-cashier-{channel}", "cashier")
    page.get_by_role("button", name="确认支付").click()
    expect(page.locator("#sim-result")).to_have_text("支付成功")
    # The done page sends the browser back to our return page, which decides nothing.
    expect(page).to_have_url(re.compile(r"/exams/my/\d+/$"), timeout=10_000)
    expect(page.locator("#fee-status")).to_have_text("已缴费（100.00 元）")
    expect(page.locator(".alert-success")).to_contain_text("缴费成功")
    expect(page.locator(".rs-step.done")).to_have_count(3)
    expect(page.locator(".rs-step.current")).to_contain_text("打印准考证")
    expect(page.get_by_role("button", name="去缴费")).to_have_count(0)
    visit(page, f"c13-application-paid-{channel}", "paid application")
    page.locator("nav.navbar").get_by_role("link", name="我的报名").click()
    card = page.locator("main a.card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("审核通过")
    expect(card).to_contain_text("已缴费")
    visit(page, "c14-my-applications", "my applications")


def office_sees_the_payment(office, setup, out_trade_no):
    """The exam office's pages after the payment: exam figures, opening ratio, orders."""
    from playwright.sync_api import expect

    exam, position = setup["exam"], setup["position"]
    office.goto(f"/exams/office/{exam.pk}/")
    figures = office.locator(".card-body", has_text="已缴费").first
    expect(figures).to_contain_text("1")
    snap(office, "s03-office-exam-detail")

    office.get_by_role("link", name="开考比例核减").click()
    # One paid candidate for a plan of two at 3:1: the position would be cancelled.
    row = office.locator("tbody tr", has_text=position.code)
    expect(row).to_have_class(re.compile("table-danger"))
    expect(row).to_contain_text("取消")
    snap(office, "s04-opening-ratio")

    office.goto("/pay/office/orders/")
    expect(office.locator("tbody tr", has_text=out_trade_no)).to_contain_text("已支付")
    snap(office, "s05-payment-orders")
    office.get_by_role("link", name="对账").click()
    expect(office.get_by_role("button", name="开始对账")).to_be_visible()
    snap(office, "s06-reconciliation")


@pytest.mark.parametrize("channel", ["alipay", "wechat"])
def test_a_candidate_signs_up_applies_is_approved_and_pays_on_a_phone(
    new_page, live_server, exam_setup, channel
):
    page = new_page(**PHONE_DEVICE)
    phone = "13912345678" if channel == "alipay" else "13987654321"
    number = id_number(datetime.date(1998, 5, 20), male=True)

    sign_up(page, phone, number)
    fill_profile(page)
    upload_photo(page)
    application_pk = apply(page, exam_setup)
    office = new_page(STAFF)
    approve(office, exam_setup, "王考生")
    pay(page, channel)

    application = Application.objects.get(pk=application_pk)
    assert (application.status, application.fee_status) == ("approved", "paid")
    assert application.position == exam_setup["position"]
    orders = FeeOrder.objects.filter(payer_ref=application.payer_ref)
    paid = orders.filter(status="paid")
    assert paid.count() == 1 and orders.count() == 1
    order = paid.get()
    assert (order.channel, order.amount, order.paid_via) == (
        channel,
        application.fee_amount,
        PaidVia.NOTIFICATION,  # the signed notification did it, not the browser's return
    )
    note = SimNotification.objects.get(trade__out_trade_no=order.out_trade_no)
    assert note.url == live_server.url + reverse(f"payments:notify_{channel}")
    assert note.delivered_at is not None and note.attempts == 1

    office_sees_the_payment(office, exam_setup, order.out_trade_no)
