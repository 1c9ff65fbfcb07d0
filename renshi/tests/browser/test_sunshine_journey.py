"""Issue 6 item 9 in a real browser: a visitor searches the policy library, objects to an open
notice, files a report and follows it by its tracking code; the owning section answers the
objection, the discipline office answers the report, and the visitor reads both answers."""

import pytest
from django.db import transaction
from django.utils import timezone

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.policies.tests.helpers import policy
from renshi.sunshine import services
from renshi.sunshine.models import NoticeKind
from renshi.tests.browser.conftest import PHONE_DEVICE, STAFF, log_in, overflow, snap

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PDF = {"name": "线索.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 test"}


@pytest.fixture
def site():
    with transaction.atomic():
        policy(
            title="鞍山市公务员平时考核实施办法",
            body="第一条 为了规范公务员管理，加强平时考核，制定本办法。",
        )
        notice = services.notice_create(
            actor="测试", kind=NoticeKind.TITLE_RESULT, starts_on=timezone.localdate(),
            workdays=5, title="2026年度中小学教师高级职称评审结果公示", section="personnel",
            columns=["姓名", "工作单位", "评审结果"],
            rows=[["王海燕", "鞍山市第一中学", "高级教师"], ["刘建国", "鞍山市三中", "高级教师"]],
        )  # fmt: skip
        services.notice_publish(actor="测试", notice_id=notice.pk)
        return {
            "personnel": UserFactory(role=Role.PERSONNEL, full_name="人事科李"),
            "discipline": UserFactory(role=Role.DISCIPLINE, full_name="纪检韩"),
            "chief": UserFactory(role=Role.SECTION_CHIEF, full_name="周科长"),
        }


def staff_page(new_page, user):
    page = new_page(STAFF)
    log_in(page, user.username)
    return page


def test_a_visitor_objects_reports_and_reads_the_answers(new_page, site):
    from playwright.sync_api import expect

    visitor = new_page(**PHONE_DEVICE)

    # The policy library finds both words deep in the text.
    # The library's first request in a process builds its search tables (several seconds).
    visitor.goto("/policies/", timeout=30000)
    visitor.locator("#q").fill("公务员 考核")
    visitor.locator("form[role=search] button[type=submit]").click()
    expect(visitor.locator("main")).to_contain_text("鞍山市公务员平时考核实施办法")
    expect(visitor.locator("main mark").first).to_be_visible()
    assert overflow(visitor) <= 1, "the policy search is wider than the phone"
    snap(visitor, "sunshine_01_policy_search_phone")

    # An objection to the open notice.
    visitor.goto("/sunshine/notices/")
    assert overflow(visitor) <= 1, "the notice list is wider than the phone"
    snap(visitor, "sunshine_02_notices_phone")
    visitor.get_by_role("link", name="2026年度中小学教师高级职称评审结果公示").click()
    expect(visitor.locator("main")).to_contain_text("收到 0 件，已答复 0 件")
    assert overflow(visitor) <= 1, "the notice is wider than the phone"
    snap(visitor, "sunshine_03_notice_phone")
    visitor.get_by_role("link", name="提出异议").click()
    visitor.get_by_label("姓名").fill("钱异议")
    visitor.get_by_label("手机号码").fill("1390000")
    visitor.get_by_label("异议内容").fill("王海燕的任职年限不足，请核查。")
    visitor.get_by_role("button", name="提交异议").click()
    expect(visitor.locator("main")).to_contain_text("手机号码应为以1开头的11位数字")
    visitor.get_by_label("手机号码").fill("13900001111")
    visitor.get_by_label("附件").set_input_files(PDF)
    assert overflow(visitor) <= 1, "the objection form is wider than the phone"
    snap(visitor, "sunshine_04_objection_form_phone")
    visitor.get_by_role("button", name="提交异议").click()
    objection_code = visitor.locator("#objection-code").inner_text().strip()
    snap(visitor, "sunshine_05_objection_done_phone")

    # A named report with an attachment, then the first look-up.
    visitor.goto("/sunshine/reports/")
    visitor.get_by_label("举报类别").select_option("recruit")
    visitor.get_by_role("radio", name="单位").check()
    visitor.get_by_label("被举报单位/人员/事项名称").fill("鞍山市某事业单位")
    visitor.get_by_label("举报内容").fill("2026年招聘中为特定人员量身设置岗位条件，请核查。")
    visitor.get_by_label("姓名").fill("赵举报")
    visitor.get_by_label("手机号码").fill("13912345678")
    visitor.get_by_label("附件").set_input_files(PDF)
    assert overflow(visitor) <= 1, "the report form is wider than the phone"
    snap(visitor, "sunshine_06_report_form_phone")
    visitor.get_by_role("button", name="提交举报").click()
    code = visitor.locator("#report-code").inner_text().strip()
    password = visitor.locator("#report-password").inner_text().strip()
    snap(visitor, "sunshine_07_report_done_phone")
    visitor.get_by_role("link", name="查询办理结果").click()
    visitor.get_by_label("查询码").fill(code)
    visitor.get_by_label("查询密码").fill("WRONGPWD")
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.locator(".alert-danger")).to_have_text("查询码或密码不正确")
    visitor.get_by_label("查询码").fill(code)
    visitor.get_by_label("查询密码").fill(password)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.locator("#report-status")).to_have_text("已受理")

    # The owning section answers the objection from its task list.
    section = staff_page(new_page, site["personnel"])
    section.locator("nav").get_by_role("link", name="阳光人事").click()
    section.get_by_role("link", name="异议办理").click()
    section.get_by_role("link", name=objection_code).click()
    snap(section, "sunshine_08_objection_task")
    section.get_by_label("答复内容").fill("经核查，王海燕任职年限符合申报条件。")
    section.get_by_label("公开摘要").fill("经核查，反映的任职年限问题不属实。")
    section.get_by_role("button", name="答复").click()
    expect(section.locator(".alert-success")).to_have_text("异议已答复。")

    # The chief sees the report but not who filed it; discipline does, routes nothing, answers.
    chief = staff_page(new_page, site["chief"])
    chief.goto("/sunshine/manage/reports/")
    chief.get_by_role("link", name=code).click()
    expect(chief.locator("#reporter-name")).to_have_text("（仅纪检监察可见）")
    snap(chief, "sunshine_09a_report_chief")
    assert "赵举报" not in chief.content()
    discipline = staff_page(new_page, site["discipline"])
    discipline.goto("/sunshine/manage/reports/")
    snap(discipline, "sunshine_09_reports")
    discipline.get_by_role("link", name=code).click()
    expect(discipline.locator("#reporter-name")).to_have_text("赵举报")
    snap(discipline, "sunshine_10_report_discipline")
    discipline.get_by_label("答复举报人").fill("经核查，已责令该单位重新组织招聘。")
    discipline.get_by_role("button", name="答复举报人").click()
    expect(discipline.locator(".alert-success")).to_have_text("已答复举报人。")
    discipline.get_by_role("link", name="举报统计").click()
    expect(discipline.locator("#chart-category canvas")).to_be_visible()
    snap(discipline, "sunshine_11_stats")

    # The visitor reads both answers.
    visitor.goto("/sunshine/objections/lookup/")
    visitor.get_by_label("查询码").fill(objection_code)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.locator("#objection-answer")).to_have_text(
        "经核查，王海燕任职年限符合申报条件。"
    )
    assert overflow(visitor) <= 1, "the objection look-up is wider than the phone"
    snap(visitor, "sunshine_12_objection_answer_phone")
    visitor.goto("/sunshine/reports/lookup/")
    visitor.get_by_label("查询码").fill(code)
    visitor.get_by_label("查询密码").fill(password)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.locator("#report-answer")).to_have_text("经核查，已责令该单位重新组织招聘。")
    expect(visitor.locator("#report-status")).to_have_text("已答复")
    snap(visitor, "sunshine_13_report_answer_phone")
    visitor.goto("/sunshine/notices/")
    visitor.get_by_role("link", name="2026年度中小学教师高级职称评审结果公示").click()
    expect(visitor.locator("main")).to_contain_text("收到 1 件，已答复 1 件")
    expect(visitor.locator("main")).to_contain_text("经核查，反映的任职年限问题不属实。")
