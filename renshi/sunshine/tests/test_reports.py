import re

import pytest
from django.contrib import admin
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.sunshine import services
from renshi.sunshine.errors import SunshineError
from renshi.sunshine.models import Report, ReportStatus
from renshi.sunshine.selectors import HIDDEN
from renshi.sunshine.tests.helpers import pdf, report, staff

pytestmark = pytest.mark.django_db


def test_a_named_report_gets_a_code_and_a_hashed_password():
    filed, password = report(files=[pdf()])
    assert filed.code.startswith("JB") and len(password) == 8
    assert filed.password != password and check_password(password, filed.password)
    assert "13912345678" not in filed.reporter_phone  # encrypted
    assert filed.attachments.get().name == "证明.pdf"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "实名举报请填写姓名"),
        ({"phone": "1391234"}, "联系电话：手机号码应为以1开头的11位数字"),
        ({"anonymous": True, "category": "grievance"}, "“本人合法权益受侵害”类举报须实名"),
        ({"category": "nope"}, "请选择举报类别"),
        ({"subject": " "}, "请填写被举报的单位、人员或事项"),
        ({"text": "太短"}, "举报内容不少于10个字"),
        ({"files": [pdf("a.doc")]}, "只接受 PDF、JPG、PNG"),
        ({"files": [pdf(f"{i}.pdf") for i in range(4)]}, "附件最多3个"),
        ({"subject_kind": "planet"}, "请选择被举报对象类型"),
    ],
)
def test_bad_reports_change_nothing(fields, message):
    with pytest.raises(SunshineError, match=message):
        report(**fields)
    assert not Report.objects.exists() and not AuditEvent.objects.exists()


def test_an_anonymous_report_keeps_no_identity_and_the_trail_none_either():
    anonymous, _ = report(anonymous=True)
    assert (anonymous.reporter_name, anonymous.reporter_phone) == ("", "")
    report()
    trail = str(list(AuditEvent.objects.values_list("actor_name", "after", "note", "object_label")))
    assert "赵举报" not in trail and "13912345678" not in trail


@pytest.mark.parametrize(
    "role",
    [Role.SECTION_CHIEF, Role.BUREAU_LEADER, Role.PERSONNEL, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN],
)
def test_only_discipline_sees_who_reported(client, role):
    filed, _ = report()
    services.report_route(actor="测试", report_id=filed.pk, section="personnel")
    client.force_login(staff(role))
    response = client.get(reverse("sunshine:manage_report", args=[filed.pk]))
    body = response.content.decode()
    assert "赵举报" not in body and "13912345678" not in body and "139****5678" not in body
    if response.status_code == 200:
        assert HIDDEN in body
    listing = client.get(reverse("sunshine:manage_reports")).content.decode()
    assert "赵举报" not in listing
    client.force_login(staff(Role.DISCIPLINE))
    body = client.get(reverse("sunshine:manage_report", args=[filed.pk])).content.decode()
    assert "赵举报" in body and "13912345678" in body
    assert AuditEvent.objects.filter(action="sunshine.report_identity_read").count() == 1


def test_reports_are_not_in_the_admin_nor_the_api(client):
    report()
    assert not any(model._meta.app_label == "sunshine" for model in admin.site._registry)
    schema = client.get("/api/v1/openapi.json").content.decode()
    assert "reporter" not in schema and "sunshine" not in schema


def test_a_section_sees_only_what_is_routed_to_it(client):
    filed, _ = report()
    url = reverse("sunshine:manage_report", args=[filed.pk])
    client.force_login(staff(Role.PERSONNEL))
    assert client.get(url).status_code == 404
    services.report_route(actor="测试", report_id=filed.pk, section="personnel")
    assert client.get(url).status_code == 200
    client.force_login(staff(Role.ESTABLISHMENT))
    assert client.get(url).status_code == 404
    for role in (Role.UNIT_CLERK, Role.CANDIDATE, Role.WEB_EDITOR):
        client.force_login(staff(role))
        assert client.get(url).status_code == 404
        assert client.get(reverse("sunshine:manage_reports")).status_code == 404


def test_discipline_routes_the_section_handles_discipline_answers(client):
    filed, password = report()
    discipline, personnel = staff(Role.DISCIPLINE), staff(Role.PERSONNEL)
    client.force_login(personnel)
    client.post(reverse("sunshine:report_route", args=[filed.pk]), {"section": "personnel"})
    assert Report.objects.get().status == ReportStatus.RECEIVED  # only discipline routes
    client.force_login(discipline)
    client.post(reverse("sunshine:report_route", args=[filed.pk]), {"section": "personnel"})
    client.force_login(personnel)
    client.post(reverse("sunshine:report_handle", args=[filed.pk]), {"findings": "已调取招聘档案"})
    assert Report.objects.get().status == ReportStatus.HANDLED
    client.post(reverse("sunshine:report_answer", args=[filed.pk]), {"answer": "x"})
    assert Report.objects.get().status == ReportStatus.HANDLED
    client.force_login(discipline)
    client.post(reverse("sunshine:report_answer", args=[filed.pk]), {"answer": "经核查，问题属实"})
    filed.refresh_from_db()
    assert filed.status == ReportStatus.ANSWERED and filed.answer == "经核查，问题属实"
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "sunshine.report_submit",
        "sunshine.report_route",
        "sunshine.report_handle",
        "sunshine.report_answer",
    ]
    with pytest.raises(SunshineError, match="已答复"):
        services.report_route(actor=discipline, report_id=filed.pk, section="personnel")
    client.logout()
    page = client.post(
        reverse("sunshine:report_lookup"), {"code": filed.code, "password": password}
    )
    body = page.content.decode()
    assert "经核查，问题属实" in body and "已答复" in body
    assert "已调取招聘档案" not in body and "赵举报" not in body  # internal notes stay inside


def test_the_public_form_files_and_shows_the_code_and_password_once(client):
    data = {
        "category": "titles", "subject_kind": "person", "subject": "某评委",
        "text": "评审中收受申报人财物，请查处。", "anonymous": "on", "attachments": [pdf()],
    }  # fmt: skip
    page = client.post(reverse("sunshine:reports"), data, follow=True).content.decode()
    filed = Report.objects.get()
    assert filed.anonymous and filed.code in page and "查询密码" in page
    assert (
        filed.code not in client.get(reverse("sunshine:report_done"), follow=True).content.decode()
    )


def test_the_form_refuses_a_named_report_without_phone(client):
    data = {"category": "titles", "subject_kind": "person", "subject": "某评委",
            "text": "评审中收受申报人财物，请查处。", "name": "赵"}  # fmt: skip
    response = client.post(reverse("sunshine:reports"), data)
    assert (
        response.status_code == 400 and "手机号码应为以1开头的11位数字" in response.content.decode()
    )
    assert not Report.objects.exists()


def test_a_wrong_code_and_a_wrong_password_get_the_same_answer(client):
    filed, password = report()
    url = reverse("sunshine:report_lookup")
    wrong_password = client.post(url, {"code": filed.code, "password": "WRONG123"})
    wrong_code = client.post(url, {"code": "JBNOSUCHCODE", "password": password})
    assert wrong_password.status_code == wrong_code.status_code == 400
    assert "查询码或密码不正确" in wrong_password.content.decode()
    assert _page(wrong_password) == _page(wrong_code).replace("JBNOSUCHCODE", filed.code)


def _page(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_lookups_are_rate_limited_by_code_and_by_address(client):
    filed, password = report()
    url = reverse("sunshine:report_lookup")
    for _ in range(10):
        client.post(url, {"code": filed.code, "password": "WRONG123"})
    page = client.post(url, {"code": filed.code, "password": password}).content.decode()
    assert "查询过于频繁" in page and "已受理" not in page
    for i in range(10):
        client.post(url, {"code": f"JBOTHER{i}", "password": "x"})
    other, other_password = report()
    assert (
        "查询过于频繁"
        in client.post(url, {"code": other.code, "password": other_password}).content.decode()
    )


def test_statistics_for_discipline_and_leaders_only(client):
    report()
    anonymous, _ = report(anonymous=True, category="conduct")
    services.report_answer(actor="测试", report_id=anonymous.pk, answer="已处理")
    client.force_login(staff(Role.DISCIPLINE))
    page = client.get(reverse("sunshine:report_stats"))
    assert page.status_code == 200
    stats = page.context["stats"]
    assert stats["total"] == 2 and stats["open"] == 1
    assert ["工作作风问题", 1] in stats["category"] and stats["handling"][0] == ["5天以内", 1]
    assert "echarts.min.js" in page.content.decode()
    for role in (Role.PERSONNEL, Role.EXAM_OFFICE, Role.UNIT_CLERK):
        client.force_login(staff(role))
        assert client.get(reverse("sunshine:report_stats")).status_code == 404


def test_filings_from_one_address_are_limited(client):
    data = {"category": "titles", "subject_kind": "person", "subject": "某评委",
            "text": "评审中收受申报人财物，请查处。", "anonymous": "on"}  # fmt: skip
    for _ in range(10):
        assert client.post(reverse("sunshine:reports"), data).status_code == 302
    response = client.post(reverse("sunshine:reports"), data)
    assert response.status_code == 400 and "提交过于频繁" in response.content.decode()
    assert Report.objects.count() == 10
