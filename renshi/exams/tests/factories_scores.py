"""Test data for written scores: paid applications with seats and ticket numbers, scoring rules,
score files written by openpyxl."""

import io
import itertools
from decimal import Decimal

import openpyxl

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.models import (
    Application,
    Draw,
    DrawKind,
    ExamRoom,
    ExamSite,
    FeeStatus,
    ScoringRules,
    Seat,
)
from renshi.exams.services import applications
from renshi.exams.tests.factories import make_candidate

_seq = itertools.count(1)


def office_user():
    return UserFactory(role=Role.EXAM_OFFICE)


def make_rules(exam, **fields) -> ScoringRules:
    defaults = {"subject_weights": {"01": "0.5", "02": "0.5"}, "min_written": Decimal("60")}
    defaults.update(fields)
    return ScoringRules.objects.create(exam=exam, **defaults)


def _room(exam):
    room = ExamRoom.objects.filter(site__exam=exam).first()
    if room:
        return room
    site = ExamSite.objects.create(
        exam=exam, area=exam.areas.first(), code="01", name="鞍山一中考点", school="鞍山一中"
    )
    return ExamRoom.objects.create(site=site, code="01")


def _draw(exam):
    return Draw.objects.filter(exam=exam, kind=DrawKind.SEATS).first() or Draw.objects.create(
        exam=exam, kind=DrawKind.SEATS, seed="000000000001", input_digest="0" * 64,
        result_digest="0" * 64,
    )  # fmt: skip


def seat(application) -> Seat:
    """A seat and ticket number for an application (the seating draw's output, made by hand)."""
    exam = application.exam
    room = _room(exam)
    number = Seat.objects.filter(room=room).count() + 1
    return Seat.objects.create(
        application=application,
        room=room,
        number=number,
        ticket_number=f"{exam.code}0101{next(_seq):06d}",
        draw=_draw(exam),
    )


def paid_application(position, office, *, name="考生", candidate=None) -> Application:
    candidate = candidate or make_candidate(name=name)
    application = applications.application_submit(
        candidate=candidate, position=position, declared=True
    )
    applications.application_review(
        application_id=application.pk,
        actor=office,
        approve=True,
        version=application.version,
        position_id=position.pk,
    )
    Application.objects.filter(pk=application.pk).update(fee_status=FeeStatus.PAID)
    application.refresh_from_db()
    application.id_number = candidate.id_number  # the plain number, for lookups in tests
    return application


def seated_applications(position, office, n, *, prefix="考生") -> list[Application]:
    result = []
    for i in range(n):
        application = paid_application(position, office, name=f"{prefix}{i + 1}")
        application.ticket = seat(application).ticket_number
        result.append(application)
    return result


def score_file(rows, headers=("准考证号", "姓名", "行政职业能力测验", "申论"), title=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
