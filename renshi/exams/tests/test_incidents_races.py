"""Exam-day and draw races on real PostgreSQL row locks (skipped on SQLite): the room's proctors
and the office ticking the same candidate at once, and two office users drawing at once."""

import datetime

import pytest
from django.db import connection

from renshi.core.tests.factories import UserFactory
from renshi.core.tests.races import race
from renshi.exams.errors import ExamError
from renshi.exams.models import Draw, Incident, ProctorAssignment
from renshi.exams.services import incidents
from renshi.exams.services import proctors as services
from renshi.exams.tests.factories_proctors import make_exam_day

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_absent_and_violation_ticked_at_once_leave_one_record(time_machine):
    day = make_exam_day(sites=1, rooms_per_site=1, per_room=2, sessions=1, proctors=6)
    office = UserFactory(role="exam_office")
    services.proctors_draw(actor=office, exam=day["exam"], seed="3")
    session, seat = day["sessions"][0], day["seats"][0]
    time_machine.move_to(session.starts_at + datetime.timedelta(minutes=31), tick=True)

    def job(kind):
        return lambda: incidents.incident_record(
            actor=office, application=seat.application, session=session, kind=kind,
            description="夹带" if kind == "violation" else "",
        )  # fmt: skip

    done, refused = race([job("absent")] * 6 + [job("violation")] * 6, ExamError)
    assert len(done) == 1 and len(refused) == 11
    assert Incident.objects.count() == 1


def test_two_draws_at_once_leave_one_current_draw():
    day = make_exam_day(sites=2, rooms_per_site=3, sessions=2, proctors=30)
    office = UserFactory(role="exam_office")

    def job(seed):
        return lambda: services.proctors_draw(actor=office, exam=day["exam"], seed=seed)

    done, refused = race([job(str(n)) for n in range(1, 5)], ExamError)
    assert len(done) == 4 and not refused
    current = Draw.objects.get(kind="proctors", superseded=False)
    assert ProctorAssignment.objects.filter(draw=current).count() == 2 * 6 * 2
    assert services.assignments_intact(current)
