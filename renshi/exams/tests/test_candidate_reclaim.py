"""ID-number reclaim end to end: claim, bureau decision (audited, SMS), re-registration."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from renshi.core import notify
from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.models import Candidate, IdReclaim, ReclaimStatus
from renshi.exams.services.candidates import CandidateError, candidate_send_code, reclaim_submit
from renshi.exams.tests.candidate_helpers import (  # noqa: F401 (fixture)
    candidate_state,
    last_code,
    portrait,
    send_code,
    signup_data,
)
from renshi.exams.tests.factories import make_candidate
from renshi.personnel.tests.factories import id_number, make_clerk, make_unit

pytestmark = pytest.mark.django_db
RECLAIM = "/exams/me/reclaim/"
CLAIMANT_PHONE = "13611112222"


@pytest.fixture
def squatter():
    return make_candidate(name="冒名者", phone="13500001111")


def claim(client, squatter, capture=None, **change):
    send_code(client, RECLAIM, CLAIMANT_PHONE)
    data = {
        "name": "真本人",
        "id_number": squatter.id_number,
        "phone": CLAIMANT_PHONE,
        "code": last_code(CLAIMANT_PHONE),
        "statement": "报名时发现身份证号码已被注册，本人从未注册过。",
        "proof": SimpleUploadedFile("id-card.jpg", portrait(600, 400)),
        "action": "submit",
    }
    data.update(change)
    if capture is None:
        return client.post(RECLAIM, data)
    with capture(execute=True):  # messages go out after commit
        return client.post(RECLAIM, data)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def office(client):
    return UserFactory(role=Role.EXAM_OFFICE, full_name="孙考务")


def test_it_reassigns_a_taken_id_number_end_to_end(client, squatter, office, capture):
    from renshi.exams.services.applications import application_submit
    from renshi.exams.tests.factories import make_exam, make_position

    squatted = application_submit(
        candidate=squatter,
        position=make_position(make_exam(area_capacity=10)),
        declared=True,
    )
    response = claim(client, squatter, capture)
    reclaim = IdReclaim.objects.get()
    assert reclaim.tracking_code in response.content.decode()
    assert reclaim.status == ReclaimStatus.PENDING and reclaim.proof
    assert any(reclaim.tracking_code in m.text for m in notify.outbox)
    status_url = f"{reverse('exams:reclaim_status')}?tracking_code={reclaim.tracking_code.lower()}"
    assert "待核验" in client.get(status_url).content.decode()

    client.force_login(office)
    assert "真本人" in client.get(reverse("exams:reclaim_review_list")).content.decode()
    page = client.get(reverse("exams:reclaim_review", args=[reclaim.pk])).content.decode()
    assert "冒名者" in page and squatter.masked_id in page and "与申请人不同" in page
    assert squatter.id_number not in page
    proof = client.get(reverse("exams:reclaim_proof", args=[reclaim.pk]))
    assert proof.status_code == 200
    notify.outbox.clear()
    with capture(execute=True):
        response = client.post(
            reverse("exams:reclaim_review", args=[reclaim.pk]),
            {"decision": "grant", "note": "核实"},
        )
    assert response.status_code == 302

    reclaim.refresh_from_db()
    squatter.refresh_from_db()
    squatter.user.refresh_from_db()
    assert reclaim.status == ReclaimStatus.GRANTED and reclaim.decided_by == office
    assert squatter.suspended and not squatter.user.is_active
    assert squatter.id_number_hash == f"reclaimed:{squatter.pk}"
    squatted.refresh_from_db()
    assert squatted.status == "withdrawn" and squatted.area.taken == 0  # the place is free again
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"reclaim.submit", "reclaim.grant", "candidate.suspend"} <= actions
    texts = {m.phone: m.text for m in notify.outbox}
    assert "已核准" in texts[CLAIMANT_PHONE] and "冻结" in texts["13500001111"]

    # The rightful owner registers with the number; the squatter can no longer log in.
    client.logout()
    signup = "/exams/me/signup/"
    # Two minutes on: past the 60-second resend throttle of the claim's code.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        send_code(client, signup, CLAIMANT_PHONE)
        code = last_code(CLAIMANT_PHONE)
        data = signup_data(
            name="真本人", id_number=squatter.id_number, phone=CLAIMANT_PHONE, code=code
        )
        assert client.post(signup, data).status_code == 302
        assert Candidate.objects.filter(suspended=False).get().name == "真本人"
        client.logout()
        response = client.post(
            reverse("exams:candidate_login"),
            {"identifier": "13500001111", "password": "Renshi-Test-2026!"},
        )
        assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_it_refuses_with_a_note_and_tells_the_claimant(client, squatter, office, capture):
    claim(client, squatter)
    reclaim = IdReclaim.objects.get()
    client.force_login(office)
    url = reverse("exams:reclaim_review", args=[reclaim.pk])
    response = client.post(url, {"decision": "refuse", "note": ""})
    assert "请填写处理意见" in response.content.decode()
    with capture(execute=True):
        client.post(url, {"decision": "refuse", "note": "身份证明材料与申请人不符"})
    reclaim.refresh_from_db()
    squatter.refresh_from_db()
    assert reclaim.status == ReclaimStatus.REFUSED and not squatter.suspended
    assert AuditEvent.objects.filter(action="reclaim.refuse").count() == 1
    assert "身份证明材料与申请人不符" in notify.outbox[-1].text
    # A decided claim is not decided twice.
    response = client.post(url, {"decision": "grant", "note": ""})
    assert "该申请已处理" in response.content.decode()
    assert AuditEvent.objects.filter(action__startswith="reclaim.").count() == 2


def test_it_refuses_a_claim_on_a_free_number(client, squatter):
    response = claim(client, squatter, id_number=id_number())
    assert "尚未注册，可直接注册" in response.content.decode()
    assert not IdReclaim.objects.exists()


def test_it_refuses_a_proof_that_is_no_picture_or_pdf(squatter):
    candidate_send_code(phone=CLAIMANT_PHONE, purpose="reclaim")
    with pytest.raises(CandidateError, match="证明材料应为JPG、PNG图片或PDF文件"):
        reclaim_submit(
            name="真本人",
            id_number=squatter.id_number,
            phone=CLAIMANT_PHONE,
            code=last_code(CLAIMANT_PHONE),
            statement="",
            proof=SimpleUploadedFile("a.jpg", b"not an image"),
        )
    assert not IdReclaim.objects.exists()


def test_outsiders_get_404_on_the_bureau_pages(client, squatter):
    claim(client, squatter)
    reclaim = IdReclaim.objects.get()
    urls = [
        reverse("exams:reclaim_review_list"),
        reverse("exams:reclaim_review", args=[reclaim.pk]),
        reverse("exams:reclaim_proof", args=[reclaim.pk]),
    ]
    for user in (squatter.user, make_clerk(make_unit()), UserFactory(role=Role.PERSONNEL)):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.post(urls[1], {"decision": "grant"})
    reclaim.refresh_from_db()
    assert reclaim.status == ReclaimStatus.PENDING


def test_an_unknown_tracking_code_says_so(client):
    response = client.get(reverse("exams:reclaim_status"), {"tracking_code": "NOPE"})
    assert "未找到该查询码" in response.content.decode()
