import pytest
import time_machine
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.sunshine import services
from renshi.sunshine.errors import SunshineError
from renshi.sunshine.models import Notice, NoticeKind, NoticeStatus
from renshi.sunshine.tests.helpers import D, make_notice, staff

pytestmark = pytest.mark.django_db


def test_the_period_counts_working_days_after_the_start_across_national_day():
    notice = make_notice(starts_on=D(2025, 9, 30), workdays=5)
    # 1–8 Oct off; 11 Oct (Saturday) a make-up working day: 9, 10, 11, 13, 14.
    assert notice.ends_on == D(2025, 10, 14)


def test_the_period_counts_across_the_spring_festival():
    notice = make_notice(starts_on=D(2026, 2, 13), workdays=7)
    # 2026 春节 15–23 Feb off, 14 and 28 Feb make-up days: 14, 24, 25, 26, 27, 28, 2 Mar.
    assert notice.ends_on == D(2026, 3, 2)


def test_a_year_without_calendar_is_refused_and_nothing_is_saved():
    with pytest.raises(SunshineError, match="2040年的工作日历尚未录入"):
        make_notice(starts_on=D(2040, 3, 1))
    assert not Notice.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"workdays": 0}, "公示期应为1至30个工作日"),
        ({"title": "  "}, "请填写标题"),
        ({"kind": NoticeKind.MILITARY}, "须选择榜次"),
        ({"kind": NoticeKind.MILITARY, "round": 1}, "须填写批次"),
        ({"kind": "x"}, "请选择公示类别"),
    ],
)
def test_bad_input_is_refused_with_a_message(fields, message):
    with pytest.raises(SunshineError, match=message):
        make_notice(**fields)
    assert not Notice.objects.exists()


def test_one_military_notice_per_round_of_a_batch():
    batch = {"kind": NoticeKind.MILITARY, "batch": "2026年度军转干部安置"}
    first = make_notice(round=1, **batch)
    make_notice(round=2, **batch)
    with pytest.raises(SunshineError, match="第一榜已有公示"):
        make_notice(round=1, **batch)
    services.notice_withdraw(actor="测试", notice_id=first.pk, reason="名单有误")
    assert make_notice(round=1, **batch).round == 1  # a withdrawn round may be published again
    with pytest.raises(SunshineError, match="须选择榜次"):
        make_notice(round=7, **batch)


def test_publish_and_withdraw_are_audited():
    notice = make_notice(publish=False)
    services.notice_publish(actor="测试", notice_id=notice.pk)
    with pytest.raises(SunshineError, match="请填写撤回原因"):
        services.notice_withdraw(actor="测试", notice_id=notice.pk, reason=" ")
    services.notice_withdraw(actor="测试", notice_id=notice.pk, reason="名单有误")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "sunshine.notice_create",
        "sunshine.notice_publish",
        "sunshine.notice_withdraw",
    ]
    with pytest.raises(SunshineError, match="只有已发布的公示可以撤回"):
        services.notice_withdraw(actor="测试", notice_id=notice.pk, reason="再撤")


@time_machine.travel("2025-10-20 10:00 +0800", tick=False)
def test_the_public_page_says_when_it_closed_and_counts_objections(client):
    closed = make_notice(starts_on=D(2025, 9, 30))
    draft = make_notice(publish=False, title="草稿公示")
    page = client.get(reverse("sunshine:notice", args=[closed.pk])).content.decode()
    assert "已于 2025年10月14日 24:00 结束" in page and "收到 0 件，已答复 0 件" in page
    assert "不再受理异议" in page
    assert client.get(reverse("sunshine:notice", args=[draft.pk])).status_code == 404
    listing = client.get(reverse("sunshine:notices")).content.decode()
    assert closed.title in listing and "草稿公示" not in listing


def test_a_section_creates_and_publishes_its_own_notice(client):
    client.force_login(staff(Role.PERSONNEL))
    response = client.post(
        reverse("sunshine:notice_new"),
        {
            "kind": "title", "section": "establishment", "title": "职称评审结果公示",
            "starts_on": "2025-09-30", "workdays": "5", "body": "",
            "table": "姓名,单位,结果\n王一,一中,高级教师\n李二,二中,中级",
        },
    )  # fmt: skip
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert notice.section == "personnel"  # a section publishes under its own name
    assert notice.columns == ["姓名", "单位", "结果"] and len(notice.rows) == 2
    client.post(reverse("sunshine:notice_publish", args=[notice.pk]))
    assert Notice.objects.get().status == NoticeStatus.PUBLISHED


def test_a_ragged_table_is_refused_by_row(client):
    client.force_login(staff(Role.PERSONNEL))
    response = client.post(
        reverse("sunshine:notice_new"),
        {"kind": "title", "title": "x", "starts_on": "2025-09-30", "workdays": "5",
         "table": "姓名,单位\n王一"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "第2行的列数与表头（2列）不一致" in response.content.decode()
    assert not Notice.objects.exists()


def test_other_sections_and_outsiders_get_404(client):
    notice = make_notice(section="personnel")
    client.force_login(staff(Role.ESTABLISHMENT))
    assert client.get(reverse("sunshine:manage_notice", args=[notice.pk])).status_code == 404
    client.post(reverse("sunshine:notice_withdraw", args=[notice.pk]), {"reason": "x"})
    assert Notice.objects.get().status == NoticeStatus.PUBLISHED
    for role in (Role.UNIT_CLERK, Role.CANDIDATE, Role.WEB_EDITOR):
        client.force_login(staff(role))
        assert client.get(reverse("sunshine:manage_notices")).status_code == 404
        assert client.get(reverse("sunshine:manage_notice", args=[notice.pk])).status_code == 404


def test_the_form_refuses_a_year_without_calendar(client):
    client.force_login(staff(Role.PERSONNEL))
    response = client.post(
        reverse("sunshine:notice_new"),
        {"kind": "title", "title": "x", "starts_on": "2040-03-01", "workdays": "5", "table": ""},
    )
    assert response.status_code == 400
    assert "2040年的工作日历尚未录入" in response.content.decode()
    assert not Notice.objects.exists()
