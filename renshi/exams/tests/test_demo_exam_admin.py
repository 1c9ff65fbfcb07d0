"""`manage.py load_demo_exam_admin` on a small demo: built through the services, loaded once,
every draw verifies, and the printed accounts work for a visitor."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from renshi.core.models import AuditEvent, User
from renshi.core.roles import Role
from renshi.exams import demo_admin, draws
from renshi.exams.models import (
    Application,
    Draw,
    DrawKind,
    Incident,
    IncidentKind,
    InterviewPanel,
    InterviewSlot,
    Proctor,
    ProctorRelative,
    Result,
    ScoreReviewRequest,
    Seat,
    ShortlistEntry,
)
from renshi.exams.services import scores
from renshi.personnel.demo import PASSWORD, create_accounts
from renshi.personnel.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo_exam_admin", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    make_unit(name="鞍山市财政局")
    create_accounts(log=lambda *_: None)
    call_command("load_demo_exams", candidates=60, stdout=io.StringIO())
    return load()


def test_it_builds_exam_2602_through_the_services_and_every_draw_verifies(demo):
    exam = demo_admin.exam()
    paid = Application.objects.filter(exam=exam, fee_status="paid").count()
    assert Seat.objects.filter(application__exam=exam).count() == paid > 0
    kinds = sorted(Draw.objects.filter(exam=exam).values_list("kind", flat=True))
    panels = InterviewPanel.objects.filter(exam=exam).count()
    assert kinds == sorted(
        [DrawKind.SEATS, DrawKind.PROCTORS, DrawKind.EXAMINERS]
        + [DrawKind.INTERVIEW_ORDER] * panels
    )
    assert 1 <= panels <= 3
    for draw in Draw.objects.filter(exam=exam):
        assert draws.verify(draw).ok, draw
        assert draw.witnesses == demo_admin.WITNESSES
    assert ProctorRelative.objects.count() == 3
    kinds = sorted(Incident.objects.values_list("kind", flat=True))
    assert kinds == [IncidentKind.ABSENT, IncidentKind.ABSENT, IncidentKind.VIOLATION]
    assert Incident.objects.exclude(decision="").get().kind == IncidentKind.VIOLATION
    rules = scores.rules_for(exam)
    assert scores.published(rules) and not scores.review_open(rules)
    assert Result.objects.filter(application__exam=exam).count() == paid
    assert Result.objects.filter(application__exam=exam, written__isnull=True).count() == 2
    assert ScoreReviewRequest.objects.get().status == "unchanged"
    assert ShortlistEntry.objects.filter(position__exam=exam).exists()
    assert InterviewSlot.objects.filter(panel__exam=exam).count() == (
        ShortlistEntry.objects.filter(position__exam=exam).count()
    )


def test_a_second_run_changes_nothing(demo):
    before = (Draw.objects.count(), AuditEvent.objects.count(), Seat.objects.count())
    assert "跳过" in load()
    assert (Draw.objects.count(), AuditEvent.objects.count(), Seat.objects.count()) == before


def test_the_printed_accounts_work(client, demo):
    proctor = Proctor.objects.get(user__username="proctor")
    assert proctor.user.role == Role.PROCTOR and proctor.user.check_password(PASSWORD)
    assert proctor.assignments.filter(draw__superseded=False).exists()
    client.force_login(proctor.user)
    assert client.get(reverse("exams:proctor_mine")).status_code == 200

    examiner = User.objects.get(username="examiner")
    assert examiner.role == Role.EXAMINER and examiner.check_password(PASSWORD)
    panel = InterviewPanel.objects.get(members__examiner__user=examiner)
    client.force_login(examiner)
    assert client.get(reverse("exams:interviews_my_panel", args=[panel.pk])).status_code == 200

    phone = re.search(r"手机 (139\d{8})", demo).group(1)
    client.logout()
    response = client.post("/exams/me/login/", {"identifier": phone, "password": "Renshi@2026"})
    assert response.status_code == 302
    seat, slot = demo_admin.demo_candidate()
    assert slot.panel == panel and seat.ticket_number in demo
    ticket = client.get(reverse("exams:ticket_download", args=[seat.application_id]))
    assert ticket.status_code == 200 and ticket["Content-Type"] == "application/pdf"
    mine = client.get(reverse("exams:scores_mine", args=[seat.application_id]))
    assert mine.status_code == 200


def test_it_says_what_to_load_first():
    with pytest.raises(Exception, match="load_demo_exams"):
        call_command("load_demo_exam_admin", stdout=io.StringIO())
