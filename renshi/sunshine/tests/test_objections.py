import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.sunshine import services
from renshi.sunshine.errors import SunshineError
from renshi.sunshine.models import Objection, ObjectionStatus
from renshi.sunshine.tests.helpers import D, make_notice, pdf, staff

pytestmark = pytest.mark.django_db
GOOD = {"name": "钱异议", "phone": "13900001111", "text": "王一的论文存在抄袭，请核查。"}


def submit(notice, today, **fields):
    return services.objection_submit(notice_id=notice.pk, today=today, **{**GOOD, **fields})


def test_objections_are_taken_only_inside_the_period():
    notice = make_notice(starts_on=D(2025, 9, 30), workdays=5)  # ends 14 Oct
    with pytest.raises(SunshineError, match="届时方可提出异议"):
        submit(notice, D(2025, 9, 29))
    assert submit(notice, D(2025, 9, 30)).status == ObjectionStatus.RECEIVED
    assert submit(notice, D(2025, 10, 14)).notice == notice  # the last day counts
    with pytest.raises(SunshineError, match="公示期已于2025年10月14日结束，不再受理异议"):
        submit(notice, D(2025, 10, 15))
    assert Objection.objects.count() == 2


def test_a_withdrawn_notice_takes_no_objection():
    notice = make_notice()
    services.notice_withdraw(actor="测试", notice_id=notice.pk, reason="有误")
    with pytest.raises(SunshineError, match="已撤回"):
        submit(notice, D(2025, 10, 9))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "请填写姓名（不受理匿名异议）"),
        ({"phone": "0412-1234"}, "联系电话：手机号码应为以1开头的11位数字"),
        ({"text": ""}, "请填写异议内容"),
        ({"attachment": pdf("a.exe", b"MZ...")}, "类型不受支持"),
        ({"attachment": pdf("a.pdf", b"MZ not a pdf")}, "内容与扩展名不符"),
        ({"attachment": pdf("a.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024))}, "超过 5 MB"),
    ],
)
def test_bad_objections_change_nothing(fields, message):
    notice = make_notice()
    before = AuditEvent.objects.count()
    with pytest.raises(SunshineError, match=message):
        submit(notice, D(2025, 10, 9), **fields)
    assert not Objection.objects.exists() and AuditEvent.objects.count() == before


def test_the_phone_is_kept_encrypted_and_the_trail_masks_it():
    objection = submit(make_notice(), D(2025, 10, 9), attachment=pdf())
    assert "13900001111" not in objection.phone and objection.phone_masked == "139****1111"
    event = AuditEvent.objects.get(action="sunshine.objection_submit")
    assert "13900001111" not in str(event.after)
    assert objection.attachment.name.endswith(".pdf")


@time_machine.travel("2025-10-09 10:00 +0800", tick=False)
def test_an_objection_goes_to_the_owning_section_and_the_answer_to_the_objector(client):
    notice = make_notice(section="personnel")
    response = client.post(reverse("sunshine:object", args=[notice.pk]), GOOD, follow=True)
    objection = Objection.objects.get()
    assert objection.code in response.content.decode()
    personnel, establishment = staff(Role.PERSONNEL), staff(Role.ESTABLISHMENT)
    client.force_login(establishment)
    assert objection.code not in client.get(reverse("sunshine:manage_objections")).content.decode()
    url = reverse("sunshine:manage_objection", args=[objection.pk])
    assert client.post(url, {"answer": "x"}).status_code == 404
    client.force_login(personnel)
    assert objection.code in client.get(reverse("sunshine:manage_objections")).content.decode()
    client.post(
        url, {"answer": "经核查，论文系本人原创。", "public_summary": "经核查，反映问题不属实"}
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ANSWERED and objection.answered_by == personnel
    client.logout()
    page = client.post(reverse("sunshine:objection_lookup"), {"code": objection.code.lower()})
    assert "经核查，论文系本人原创。" in page.content.decode()
    page = client.get(reverse("sunshine:notice", args=[notice.pk])).content.decode()
    assert "收到 1 件，已答复 1 件" in page and "经核查，反映问题不属实" in page
    assert "论文系本人原创" not in page  # only the public summary is public
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"sunshine.objection_submit", "sunshine.objection_answer"} <= actions


def test_an_answer_is_given_once_and_must_not_be_empty():
    objection = submit(make_notice(), D(2025, 10, 9))
    with pytest.raises(SunshineError, match="请填写答复内容"):
        services.objection_answer(actor=staff(), objection_id=objection.pk, answer=" ")
    services.objection_answer(actor=staff(), objection_id=objection.pk, answer="属实，已处理")
    with pytest.raises(SunshineError, match="该异议已答复"):
        services.objection_answer(actor=staff(), objection_id=objection.pk, answer="再答")


@time_machine.travel("2025-10-20 10:00 +0800", tick=False)
def test_the_form_refuses_after_the_period_with_a_clear_message(client):
    notice = make_notice(starts_on=D(2025, 9, 30))
    response = client.post(reverse("sunshine:object", args=[notice.pk]), GOOD)
    assert response.status_code == 400
    assert "公示期已于2025年10月14日结束，不再受理异议" in response.content.decode()
    assert not Objection.objects.exists()


@time_machine.travel("2025-10-09 10:00 +0800", tick=False)
def test_a_bad_phone_on_the_form_names_the_field(client):
    notice = make_notice()
    response = client.post(reverse("sunshine:object", args=[notice.pk]), {**GOOD, "phone": "123"})
    assert response.status_code == 400
    assert "手机号码应为以1开头的11位数字" in response.content.decode()


def test_objection_lookups_are_rate_limited(client):
    for _ in range(20):
        client.post(reverse("sunshine:objection_lookup"), {"code": "YYNOSUCHCODE"})
    page = client.post(reverse("sunshine:objection_lookup"), {"code": "YYOTHER"})
    assert "查询过于频繁" in page.content.decode()


def test_an_objection_attachment_is_for_the_section_only(client):
    objection = submit(make_notice(section="personnel"), D(2025, 10, 9), attachment=pdf())
    url = reverse("sunshine:objection_attachment", args=[objection.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(staff(Role.EXAM_OFFICE))
    assert client.get(url).status_code == 404
    client.force_login(staff(Role.PERSONNEL))
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")


def test_uploaded_bytes_are_checked_not_the_declared_type():
    png = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n....", content_type="text/plain")
    assert submit(make_notice(), D(2025, 10, 9), attachment=png).attachment
