"""The exam day: absences and violations per candidate and session, by the office or the room's
own proctors, audited, once per candidate and session; candidates see their own."""

import datetime

import pytest
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.core.tests.factories import UserFactory
from renshi.exams.errors import ExamError
from renshi.exams.models import Incident, Proctor, ProctorAssignment
from renshi.exams.services import incidents
from renshi.exams.services import proctors as services
from renshi.exams.tests.factories_proctors import make_exam_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(db):
    day = make_exam_day(sites=1, rooms_per_site=2, per_room=3, sessions=2, proctors=12)
    day["office"] = UserFactory(role="exam_office")
    day["draw"] = services.proctors_draw(actor=day["office"], exam=day["exam"], seed="77")
    day["session"] = day["sessions"][0]
    day["room"] = day["rooms"][0]
    day["seat"] = day["seats"][0]
    return day


@pytest.fixture
def during(day, time_machine):
    time_machine.move_to(day["session"].starts_at + datetime.timedelta(minutes=30))
    return day


def room_proctor(day, client=None):
    assignment = ProctorAssignment.objects.filter(
        draw=day["draw"], session=day["session"], room=day["room"]
    ).first()
    user = UserFactory(role="proctor")
    Proctor.objects.filter(pk=assignment.proctor_id).update(user=user)
    if client:
        client.force_login(user)
    return user


def record(day, actor, kind="absent", **fields):
    return incidents.incident_record(
        actor=actor, application=day["seat"].application, session=day["session"], kind=kind,
        **fields,
    )  # fmt: skip


def sheet_url(day):
    return reverse("exams:room_sheet", args=[day["session"].pk, day["room"].pk])


def test_a_proctor_ticks_an_absence_on_the_room_sheet_and_it_is_audited(client, during):
    day = during
    room_proctor(day, client)
    sheet = client.get(sheet_url(day))
    assert [s.number for s in sheet.context["seats"]] == [1, 2, 3]
    response = client.post(
        reverse("exams:incident_create", args=[day["session"].pk, day["room"].pk]),
        {"application": day["seat"].application_id, "kind": "absent"},
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.kind, incident.session_id) == ("absent", day["session"].pk)
    event = AuditEvent.objects.get(action="incident.absent")
    assert event.after["ticket"] == day["seat"].ticket_number
    assert "缺考" in client.get(sheet_url(day)).content.decode()


def test_one_absence_per_candidate_and_session_and_not_both_kinds(during, time_machine):
    day = during
    record(day, day["office"])
    with pytest.raises(ExamError, match="该考生本场已记录缺考"):
        record(day, day["office"])
    with pytest.raises(ExamError, match="既记录缺考又记录违纪"):
        record(day, day["office"], kind="violation", description="携带手机")
    # The afternoon session is another record.
    time_machine.move_to(day["sessions"][1].starts_at)
    incidents.incident_record(
        actor=day["office"], application=day["seat"].application, session=day["sessions"][1],
        kind="absent",
    )  # fmt: skip
    assert Incident.objects.count() == 2


def test_a_violation_needs_what_happened_and_takes_a_decision_later(client, during):
    day = during
    with pytest.raises(ExamError, match="请填写违纪情况"):
        record(day, day["office"], kind="violation")
    assert not Incident.objects.exists()
    room_proctor(day, client)
    seat = {"application": day["seat"].application_id, "kind": "violation"}
    client.post(
        reverse("exams:incident_create", args=[day["session"].pk, day["room"].pk]),
        {**seat, "description": "开考后使用手机"},
    )
    incident = Incident.objects.get()
    response = client.post(
        reverse("exams:incident_edit", args=[incident.pk]),
        {"description": "开考后使用手机", "decision": "本场考试成绩无效"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.decision == "本场考试成绩无效"
    event = AuditEvent.objects.get(action="incident.update")
    assert event.before == {"decision": ""} and event.after == {"decision": "本场考试成绩无效"}


def test_a_mistaken_absence_is_withdrawn_with_a_reason_and_kept_in_the_trail(client, during):
    day = during
    incident = record(day, day["office"])
    room_proctor(day, client)
    url = reverse("exams:incident_withdraw", args=[incident.pk])
    client.post(url, {"reason": ""})
    assert Incident.objects.exists()
    client.post(url, {"reason": "考生迟到15分钟，已入场"})
    assert not Incident.objects.exists()
    event = AuditEvent.objects.get(action="incident.withdraw")
    assert event.note == "考生迟到15分钟，已入场" and event.before["kind"] == "absent"


def test_nothing_is_recorded_before_the_start_or_by_a_proctor_long_after(day, time_machine):
    proctor = room_proctor(day)
    time_machine.move_to(day["session"].starts_at - datetime.timedelta(minutes=1))
    with pytest.raises(ExamError, match="尚未开考"):
        record(day, day["office"])
    time_machine.move_to(day["session"].ends_at + datetime.timedelta(hours=3))
    with pytest.raises(ExamError, match="请联系考试中心"):
        record(day, proctor)
    record(day, day["office"])  # the office may still record
    assert Incident.objects.count() == 1


def test_a_proctor_of_another_room_gets_404_and_cannot_record(client, during):
    day = during
    other = (
        ProctorAssignment.objects.filter(draw=day["draw"], session=day["session"])
        .exclude(room=day["room"])
        .first()
    )
    user = UserFactory(role="proctor")
    Proctor.objects.filter(pk=other.proctor_id).update(user=user)
    client.force_login(user)
    assert client.get(sheet_url(day)).status_code == 404
    response = client.post(
        reverse("exams:incident_create", args=[day["session"].pk, day["room"].pk]),
        {"application": day["seat"].application_id, "kind": "absent"},
    )
    assert response.status_code == 404
    with pytest.raises(ExamError, match="只能记录本人监考考场"):
        record(day, user)
    incident = record(day, day["office"])
    assert client.get(reverse("exams:incident_edit", args=[incident.pk])).status_code == 404
    assert (
        client.post(
            reverse("exams:incident_withdraw", args=[incident.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert Incident.objects.count() == 1


@pytest.mark.parametrize("role", [None, "candidate", "unit_clerk", "personnel"])
def test_outsiders_get_404(client, during, role):
    day = during
    incident = record(day, day["office"])
    if role:
        client.force_login(UserFactory(role=role))
    expected = 302 if role is None else 404
    assert client.get(sheet_url(day)).status_code == expected
    assert client.get(reverse("exams:incident_edit", args=[incident.pk])).status_code == expected
    assert client.get(reverse("exams:incident_list", args=[day["exam"].pk])).status_code == expected


def test_a_seat_from_another_room_is_refused_on_this_sheet(client, during):
    day = during
    room_proctor(day, client)
    elsewhere = day["seats"][-1]
    response = client.post(
        reverse("exams:incident_create", args=[day["session"].pk, day["room"].pk]),
        {"application": elsewhere.application_id, "kind": "absent"},
    )
    assert response.status_code == 404 and not Incident.objects.exists()


def test_the_office_lists_the_exams_incidents(client, during):
    day = during
    record(day, day["office"], kind="violation", description="夹带", decision="本次考试成绩无效")
    client.force_login(day["office"])
    body = client.get(reverse("exams:incident_list", args=[day["exam"].pk])).content.decode()
    assert "夹带" in body and day["seat"].ticket_number in body


def test_a_candidate_sees_their_own_records_only(client, during):
    day = during
    record(day, day["office"], kind="violation", description="夹带", decision="本次考试成绩无效")
    mine = day["seat"].application.candidate
    client.force_login(mine.user)
    body = client.get(reverse("exams:candidate_incidents")).content.decode()
    assert "夹带" in body and "本次考试成绩无效" in body
    client.force_login(day["seats"][1].application.candidate.user)
    assert "夹带" not in client.get(reverse("exams:candidate_incidents")).content.decode()
    client.force_login(day["office"])
    assert client.get(reverse("exams:candidate_incidents")).status_code == 404
