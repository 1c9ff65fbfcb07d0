"""Test data for exams: an open exam with two subjects, positions, candidates with a profile."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from renshi.core import crypto
from renshi.core.idnumbers import birth_date_of, mask_id, mask_phone, sex_of
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams import education_copy
from renshi.exams.models import (
    Candidate,
    Education,
    Exam,
    ExamArea,
    ExamKind,
    ExamStatus,
    Position,
    Subject,
)
from renshi.personnel.tests.factories import id_number

_seq = itertools.count(1)


def make_exam(*, status=ExamStatus.PUBLISHED, area_capacity=None, **fields):
    """An exam whose registration is open now (opened a day ago, closes in ten days)."""
    n = next(_seq)
    now = timezone.now()
    defaults = {
        "code": f"{n % 10000:04d}",
        "name": f"2026年鞍山市公务员考试录用{n}",
        "kind": ExamKind.CIVIL_SERVICE,
        "status": status,
        "registration_opens": now - datetime.timedelta(days=1),
        "registration_closes": now + datetime.timedelta(days=10),
        "review_closes": now + datetime.timedelta(days=12),
        "payment_closes": now + datetime.timedelta(days=14),
        "published_at": now if status == ExamStatus.PUBLISHED else None,
    }
    defaults.update(fields)
    exam = Exam.objects.create(**defaults)
    for order, (code, name) in enumerate([("01", "行政职业能力测验"), ("02", "申论")], 1):
        Subject.objects.create(exam=exam, code=code, name=name, fee=Decimal("50"), order=order)
    ExamArea.objects.create(exam=exam, code="01", name="鞍山考区", capacity=area_capacity)
    return exam


def make_position(exam, *, unit=None, code=None, plan_count=1, **fields):
    n = next(_seq)
    defaults = {
        "hiring_unit_name": unit.name if unit else "鞍山市财政局",
        "title": "综合管理岗",
        "area": exam.areas.first(),
        "education_levels": [],
    }
    defaults.update(fields)
    return Position.objects.create(
        exam=exam,
        code=code or f"{n:012d}",
        unit=unit,
        plan_count=plan_count,
        original_plan_count=plan_count,
        **defaults,
    )


def make_candidate(
    name="李考生",
    birth=datetime.date(1998, 5, 20),
    male=True,
    phone=None,
    education_level="21",
    major_code="030101",
    major_name="法学",
    **fields,
):
    """A registered candidate with a verified phone and one bachelor's education record."""
    number = id_number(birth, male)
    phone = phone or f"139{next(_seq) % 100000000:08d}"
    user = UserFactory(role=Role.CANDIDATE, full_name=name, username=f"c{number}")
    candidate = Candidate.objects.create(
        user=user,
        name=name,
        id_number_cipher=crypto.encrypt(number),
        id_number_hash=crypto.blind_index(number),
        id_number_masked=mask_id(number),
        birth_date=birth_date_of(number),
        sex=sex_of(number),
        phone_cipher=crypto.encrypt(phone),
        phone_hash=crypto.blind_index(phone),
        phone_masked=mask_phone(phone),
        phone_verified_at=timezone.now(),
        political_status=fields.pop("political_status", "13"),
        photo=fields.pop("photo", "candidates/photos/test.jpg"),
        **fields,
    )
    Education.objects.create(
        candidate=candidate,
        level=education_level,
        degree="bachelor",
        school="辽宁大学",
        major_code=major_code,
        major_name=major_name,
        graduated_on=datetime.date(2020, 7, 1),
    )
    education_copy.refresh(candidate.pk)  # as the profile service keeps it
    candidate.refresh_from_db(fields=["educations_copy"])
    candidate.id_number = number  # the plain number, for tests that type it in
    candidate.phone = phone
    return candidate
