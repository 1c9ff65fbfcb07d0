"""Mobile party members: registration with a checked ID number, reports per period, reminders."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renshi.core import notify
from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.tests.factories import make_candidate
from renshi.talent import selectors, services
from renshi.talent.errors import TalentError
from renshi.talent.models import CheckIn, MemberStatus, MobileMember, PartyNotice, period_of
from renshi.talent.tests import helpers

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC)


@pytest.fixture
def org():
    return helpers.organisation()


@pytest.fixture
def seeker():
    return make_candidate(name="赵流动")


def _register_form(org, seeker, **fields):
    data = {
        "organisation": org.pk, "id_number": helpers.id_of(seeker), "phone": "13800138000",
        "city": "深圳市", "employer": "某科技公司",
    }  # fmt: skip
    data.update(fields)
    return data


def test_a_member_registers_and_the_secretary_confirms(client, org, seeker):
    client.force_login(seeker.user)
    response = client.post(reverse("talent:party_home"), _register_form(org, seeker))
    assert response.status_code == 302
    member = MobileMember.objects.get()
    assert (member.name, member.status) == ("赵流动", MemberStatus.PENDING)
    assert member.id_number_masked.count("*") == 10
    event = AuditEvent.objects.get(action="talent.member_register")
    assert helpers.id_of(seeker) not in str(event.after)

    client.force_login(org.secretary)
    client.post(reverse("talent:party_decide", args=[org.pk, member.pk, "accept"]))
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("210302199805200011", "身份证号码校验位错误"),
        ("21030219980520001", "身份证号码应为18位"),
        ("210302199802300015", "身份证号码中的出生日期无效"),
    ],
)
def test_a_bad_id_number_is_refused_in_chinese(client, org, seeker, id_number, message):
    client.force_login(seeker.user)
    response = client.post(
        reverse("talent:party_home"), _register_form(org, seeker, id_number=id_number)
    )
    assert response.status_code == 200 and message in response.text
    assert not MobileMember.objects.exists()


def test_someone_elses_valid_id_number_is_refused(client, org, seeker):
    other = make_candidate(name="钱他人")
    client.force_login(seeker.user)
    response = client.post(
        reverse("talent:party_home"), _register_form(org, seeker, id_number=helpers.id_of(other))
    )
    assert "身份证号码与本账号的实名信息不一致" in response.text
    assert not MobileMember.objects.exists()


def test_a_bad_phone_is_refused(client, org, seeker):
    client.force_login(seeker.user)
    response = client.post(reverse("talent:party_home"), _register_form(org, seeker, phone="123"))
    assert "手机号码应为以1开头的11位数字" in response.text
    assert not MobileMember.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_organisation_sees_who_has_not_reported(
    client, org, django_capture_on_commit_callbacks
):
    members = [helpers.member(make_candidate(name=f"党员{i}"), org) for i in range(4)]
    pending = helpers.member(make_candidate(name="待确认"), org, confirm=False)
    services.checkin_submit(
        actor=members[0].user, member=members[0], kind="checkin", text="本月在深圳工作，一切正常。"
    )
    services.checkin_submit(
        actor=members[1].user, member=members[1], kind="thought", text="学习了二十届四中全会精神。"
    )
    # last month's report does not count for this month
    CheckIn.objects.create(member=members[2], period="2026-10", kind="checkin", text="上月报到内容")

    period = org.current_period()
    assert period == "2026-11"
    unreported = list(selectors.unreported_members(org, period))
    assert unreported == [members[2], members[3]]
    assert selectors.report_counts(org, period) == {
        "active": 4, "reported": 2, "unreported": 2, "pending": 1,
    }  # fmt: skip

    client.force_login(org.secretary)
    page = client.get(reverse("talent:party_org", args=[org.pk])).text
    table = page.split('id="unreported"')[1].split("</table>")[0]
    assert "党员2" in table and "党员3" in table and "党员0" not in table
    assert pending.name not in table
    assert "138****8000" in page and "13800138000" not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("talent:party_remind", args=[org.pk]))
    assert len(notify.outbox) == 2
    assert all("2026年11月" in sms.text for sms in notify.outbox)
    assert AuditEvent.objects.filter(action="talent.party_remind").count() == 1


@time_machine.travel(NOW, tick=False)
def test_one_report_per_period_and_only_once_confirmed(client, org, seeker):
    member = helpers.member(seeker, org, confirm=False)
    with pytest.raises(TalentError, match="党组织确认登记后"):
        services.checkin_submit(
            actor=seeker.user, member=member, kind="checkin", text="报到报到报到报到报到"
        )
    services.member_decide(actor=org.secretary, organisation=org, member_id=member.pk, accept=True)
    client.force_login(seeker.user)
    data = {"kind": "checkin", "text": "本月在深圳某科技公司工作，按时参加线上组织生活。"}
    assert client.post(reverse("talent:party_home"), data).status_code == 302
    response = client.post(reverse("talent:party_home"), data, follow=True)
    assert "已提交过" in response.text or "已于" in response.text
    assert CheckIn.objects.count() == 1
    short = client.post(reverse("talent:party_home"), {"kind": "checkin", "text": "短"})
    assert CheckIn.objects.count() == 1 and short.status_code in (200, 302)


def test_quarterly_periods():
    assert period_of(datetime.date(2026, 11, 20), "quarterly") == "2026-Q4"
    assert period_of(datetime.date(2026, 1, 1), "quarterly") == "2026-Q1"
    assert period_of(datetime.date(2026, 1, 1), "monthly") == "2026-01"


def test_only_the_secretary_sees_the_organisation(client, org, seeker):
    helpers.member(seeker, org)
    other = helpers.organisation(name="中共鞍山市教育局机关委员会")
    for user in [other.secretary, UserFactory(role=Role.PERSONNEL), seeker.user]:
        client.force_login(user)
        assert client.get(reverse("talent:party_org", args=[org.pk])).status_code == 404
        assert client.post(reverse("talent:party_remind", args=[org.pk])).status_code == 404
        assert client.get(reverse("talent:party_notice_new", args=[org.pk])).status_code == 404
    client.force_login(org.secretary)
    assert client.get(reverse("talent:party_manage")).status_code == 302
    assert client.get(reverse("talent:party_org", args=[org.pk])).status_code == 200


def test_notices_reach_confirmed_members_with_their_attachment(client, org, seeker):
    member = helpers.member(seeker, org)
    client.force_login(org.secretary)
    pdf = SimpleUploadedFile("学习材料.pdf", b"%PDF-1.4 study", content_type="application/pdf")
    data = {"title": "十一月主题党日", "body": "请流动党员线上参加。", "attachment": pdf}
    assert client.post(reverse("talent:party_notice_new", args=[org.pk]), data).status_code == 302
    notice = PartyNotice.objects.get()

    client.force_login(member.user)
    assert "十一月主题党日" in client.get(reverse("talent:party_home")).text
    assert client.get(reverse("talent:party_file", args=[notice.pk])).status_code == 200
    client.force_login(make_candidate(name="外人").user)
    assert client.get(reverse("talent:party_file", args=[notice.pk])).status_code == 404


def test_a_renamed_file_is_refused(client, org):
    client.force_login(org.secretary)
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(
        reverse("talent:party_notice_new", args=[org.pk]),
        {"title": "通知", "body": "内容", "attachment": fake},
    )
    assert "内容与扩展名不符" in response.text
    assert not PartyNotice.objects.exists()


def test_a_member_updates_where_they_are(client, org, seeker):
    member = helpers.member(seeker, org)
    client.force_login(seeker.user)
    url = reverse("talent:party_home")
    bad = client.post(url, {"city": "上海市", "employer": "某公司", "phone": "12"})
    assert "手机号码应为以1开头的11位数字" in bad.text
    member.refresh_from_db()
    assert member.city == "深圳市"
    assert (
        client.post(url, {"city": "上海市", "employer": "某公司", "phone": ""}).status_code == 302
    )
    member.refresh_from_db()
    assert (member.city, member.phone_masked) == ("上海市", "138****8000")
    event = AuditEvent.objects.get(action="talent.member_update")
    assert event.after == {"city": "上海市", "employer": "某公司"}


def test_a_secretary_logs_in_to_a_role_of_their_own_with_the_party_pages_at_hand(client, org):
    assert org.secretary.role == Role.PARTY_SECRETARY and not org.secretary.needs_two_factor
    client.force_login(org.secretary)
    home = client.get(reverse("home")).text
    assert f'href="{reverse("talent:party_manage")}"' in home
    assert "人员信息" not in home and "办事大厅" not in home  # nothing of a unit clerk's
    assert client.get(reverse("personnel:person_list")).status_code == 404
