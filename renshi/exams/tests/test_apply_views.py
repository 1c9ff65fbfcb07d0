"""The candidate's apply/follow pages and the reviewer's pages, through the test client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.models import Application, ApplicationStatus, FeeStatus, FeeWaiver
from renshi.exams.services import applications as services
from renshi.exams.tests.factories import make_candidate, make_exam, make_position
from renshi.personnel.tests.factories import make_clerk, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    unit = make_unit(name="鞍山市审计局")
    exam = make_exam()
    return {"unit": unit, "exam": exam, "position": make_position(exam, unit=unit)}


def test_anonymous_goes_to_the_candidate_login_and_staff_get_404(client, setting):
    url = reverse("exams:apply", args=[setting["position"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("exams:candidate_login") in response["Location"]
    client.force_login(UserFactory(role=Role.PERSONNEL))
    assert client.get(url).status_code == 404
    assert client.get(reverse("exams:my_applications")).status_code == 404


def test_candidate_sees_each_rule_then_applies(client, setting):
    candidate = make_candidate()
    client.force_login(candidate.user)
    url = reverse("exams:apply", args=[setting["position"].pk])
    page = client.get(url).content.decode()
    assert "报考条件自动比对" in page and "符合" in page and "学历" in page
    response = client.post(url, {})
    assert "其他招录条件" in response.content.decode()
    assert not Application.objects.exists()
    response = client.post(url, {"declared": "on"})
    application = Application.objects.get()
    detail_url = reverse("exams:application_detail", args=[application.pk])
    assert response["Location"] == detail_url + "?new=1"
    detail = client.get(response["Location"]).content.decode()
    assert "待审核" in detail and "提交报名" in detail and "报名已提交" in detail
    # A second submission to the same exam is answered by the unique constraint.
    again = client.post(url, {"declared": "on"}).content.decode()
    assert "只能报考一个职位" in again and Application.objects.count() == 1


def test_ineligible_position_shows_why_and_cannot_be_submitted(client, setting):
    candidate = make_candidate()
    masters = make_position(setting["exam"], education_levels=["14"])
    client.force_login(candidate.user)
    url = reverse("exams:apply", args=[masters.pk])
    page = client.get(url).content.decode()
    assert "不符合" in page and "不能报考" in page
    response = client.post(url, {"declared": "on"})
    assert "学历" in response.content.decode()
    assert not Application.objects.exists()


def test_another_candidates_application_is_404(client, setting):
    owner = make_candidate()
    application = services.application_submit(
        candidate=owner, position=setting["position"], declared=True
    )
    client.force_login(make_candidate(name="他人").user)
    for name in ("application_detail", "waiver_apply"):
        assert client.get(reverse(f"exams:{name}", args=[application.pk])).status_code == 404
    for name in ("application_withdraw", "payment_start", "refund_request"):
        assert client.post(reverse(f"exams:{name}", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_hiring_unit_clerk_reviews_own_positions_only(client, setting):
    own = services.application_submit(
        candidate=make_candidate(), position=setting["position"], declared=True
    )
    other_unit = make_unit(name="鞍山市统计局")
    foreign = services.application_submit(
        candidate=make_candidate(),
        position=make_position(setting["exam"], unit=other_unit),
        declared=True,
    )
    client.force_login(make_clerk(setting["unit"]))
    listing = client.get(reverse("exams:review_list")).content.decode()
    assert own.candidate.name in listing
    assert reverse("exams:review_detail", args=[foreign.pk]) not in listing
    assert client.get(reverse("exams:review_detail", args=[foreign.pk])).status_code == 404
    response = client.post(
        reverse("exams:review_detail", args=[foreign.pk]),
        {"version": 1, "position_id": foreign.position_id, "decision": "approve"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("exams:review_detail", args=[own.pk]),
        {
            "version": own.version,
            "position_id": own.position_id,
            "decision": "reject",
            "reason_code": "E03",
            "reason_text": "所学专业为法学，不符合会计类要求",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert own.status == ApplicationStatus.REJECTED and own.reason_code == "E03"
    assert foreign.status == ApplicationStatus.SUBMITTED


def test_a_stale_review_form_is_refused_with_a_message(client, setting):
    candidate = make_candidate()
    application = services.application_submit(
        candidate=candidate, position=setting["position"], declared=True
    )
    other = make_position(setting["exam"], unit=setting["unit"])
    services.application_change_position(
        application_id=application.pk, candidate=candidate, position=other, declared=True
    )
    client.force_login(UserFactory(role=Role.EXAM_OFFICE))
    response = client.post(
        reverse("exams:review_detail", args=[application.pk]),
        {"version": 1, "position_id": setting["position"].pk, "decision": "approve"},
    )
    assert "刷新后重新审核" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_candidates_and_clerks_cannot_reach_office_pages(client, setting):
    client.force_login(make_candidate().user)
    for url in (
        reverse("exams:review_list"),
        reverse("exams:waiver_list"),
        reverse("exams:opening_ratio", args=[setting["exam"].pk]),
    ):
        assert client.get(url).status_code == 404
    client.force_login(make_clerk(setting["unit"]))
    assert client.get(reverse("exams:waiver_list")).status_code == 404
    assert client.get(reverse("exams:opening_ratio", args=[setting["exam"].pk])).status_code == 404


def test_fee_waiver_from_upload_to_approval(client, setting):
    candidate = make_candidate()
    application = services.application_submit(
        candidate=candidate, position=setting["position"], declared=True
    )
    client.force_login(candidate.user)
    url = reverse("exams:waiver_apply", args=[application.pk])
    fake = SimpleUploadedFile("proof.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"kind": "dibao", "proof": fake})
    assert "内容与扩展名不符" in response.content.decode()
    assert not FeeWaiver.objects.exists()
    proof = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    assert client.post(url, {"kind": "dibao", "proof": proof}).status_code == 302
    waiver = FeeWaiver.objects.get()
    client.force_login(UserFactory(role=Role.EXAM_OFFICE))
    assert "最低生活保障" in client.get(reverse("exams:waiver_list")).content.decode()
    response = client.post(
        reverse("exams:waiver_decide", args=[waiver.pk]), {"decision": "reject", "reason": ""}
    )
    waiver.refresh_from_db()
    assert waiver.status == "pending"
    client.post(reverse("exams:waiver_decide", args=[waiver.pk]), {"decision": "approve"})
    application.refresh_from_db()
    assert application.fee_status == FeeStatus.WAIVED


def test_a_paid_application_links_the_ticket_the_scores_and_the_days_records(client, setting):
    import datetime

    from django.utils import timezone

    candidate = make_candidate()
    application = services.application_submit(
        candidate=candidate, position=setting["position"], declared=True
    )
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.APPROVED, fee_status=FeeStatus.PAID
    )
    client.force_login(candidate.user)
    url = reverse("exams:application_detail", args=[application.pk])
    page = client.get(url).content.decode()
    ticket = reverse("exams:ticket_download", args=[application.pk])
    assert "查询成绩" in page and ticket not in page  # no print window yet
    now = timezone.now()
    setting["exam"].__class__.objects.filter(pk=setting["exam"].pk).update(
        ticket_opens=now - datetime.timedelta(hours=1),
        ticket_closes=now + datetime.timedelta(days=1),
    )
    assert ticket in client.get(url).content.decode()


def test_a_photo_whose_file_is_gone_is_404_not_500(client):
    candidate = make_candidate()  # photo name set, no file behind it
    client.force_login(candidate.user)
    assert client.get(reverse("exams:candidate_photo", args=[candidate.pk])).status_code == 404
