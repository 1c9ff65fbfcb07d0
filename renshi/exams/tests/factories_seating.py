"""Test data for seating and tickets: paid applications, sites and rooms."""

import datetime
import itertools

from django.utils import timezone

from renshi.exams.models import (
    Application,
    ApplicationStatus,
    ExamRoom,
    ExamSession,
    ExamSite,
    FeeStatus,
)
from renshi.exams.services import applications as services
from renshi.exams.tests.factories import make_candidate

_seq = itertools.count(1)


def paid_application(position, *, office=None, name=None, fee_status=FeeStatus.PAID, **fields):
    """One approved, paid application. With `office` it goes through submit and review (the
    real path); without, the row is written directly (fast, for larger sets)."""
    n = next(_seq)
    birth = datetime.date(1990, 1, 1) + datetime.timedelta(days=n % 3000)
    candidate = make_candidate(name=name or f"考生{n}", birth=birth, male=bool(n % 2), **fields)
    if office is not None:
        application = services.application_submit(
            candidate=candidate, position=position, declared=True
        )
        services.application_review(
            application_id=application.pk,
            actor=office,
            approve=True,
            version=application.version,
            position_id=position.pk,
        )
        Application.objects.filter(pk=application.pk).update(fee_status=fee_status)
        application.refresh_from_db()
        return application
    return Application.objects.create(
        exam=position.exam,
        candidate=candidate,
        position=position,
        area=position.area,
        status=ApplicationStatus.APPROVED,
        fee_status=fee_status,
        decided_at=timezone.now(),
    )


def paid_applications(position, count, **kwargs) -> list[Application]:
    return [paid_application(position, **kwargs) for _ in range(count)]


def make_sites(exam, area=None, *, sites=1, rooms=2, capacity=30) -> list[ExamSite]:
    area = area or exam.areas.first()
    made = []
    for s in range(1, sites + 1):
        site = ExamSite.objects.create(
            exam=exam,
            area=area,
            code=f"{s:02d}",
            name=f"鞍山市第{s}中学考点",
            school=f"鞍山市第{s}中学",
            address=f"鞍山市铁东区胜利南路{s}号",
        )
        ExamRoom.objects.bulk_create(
            ExamRoom(site=site, code=f"{r:02d}", capacity=capacity) for r in range(1, rooms + 1)
        )
        made.append(site)
    return made


def make_sessions(exam) -> list[ExamSession]:
    """上午 行测 and 下午 申论 a month from now."""
    day = timezone.localtime() + datetime.timedelta(days=30)
    morning = day.replace(hour=9, minute=0, second=0, microsecond=0)
    made = []
    for code, name, subject, start, hours in (
        ("AM", "上午", "01", morning, 2),
        ("PM", "下午", "02", morning.replace(hour=14), 2.5),
    ):
        session = ExamSession.objects.create(
            exam=exam,
            code=code,
            name=name,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=hours),
        )
        session.subjects.set(exam.subjects.filter(code=subject))
        made.append(session)
    return made
