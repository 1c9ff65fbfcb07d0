"""The education rows copied onto the candidate row: kept with the rows, read by the submission."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renshi.exams import education_copy, eligibility
from renshi.exams.models import Application, Candidate, Education
from renshi.exams.services import candidates as services
from renshi.exams.tests.factories import make_candidate, make_exam, make_position

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 1)


def rows_of(candidate):
    return education_copy.as_copy(Education.objects.filter(candidate=candidate))


def copy_of(candidate):
    return Candidate.objects.get(pk=candidate.pk).educations_copy


def test_it_keeps_the_copy_equal_to_the_rows_through_save_change_and_delete():
    candidate = make_candidate()
    assert copy_of(candidate) == rows_of(candidate) and len(copy_of(candidate)) == 1
    added = services.education_save(
        actor=candidate.user,
        candidate=candidate,
        level="14",
        degree="master",
        school="东北大学",
        major_code="0812",
        major_name="计算机科学与技术",
        graduated_on=datetime.date(2023, 7, 1),
    )
    assert copy_of(candidate) == rows_of(candidate) and len(copy_of(candidate)) == 2
    services.education_save(
        actor=candidate.user, candidate=candidate, education=added, level="11", school="辽宁大学"
    )
    assert copy_of(candidate) == rows_of(candidate)
    assert {row["level"] for row in copy_of(candidate)} == {"21", "11"}
    services.profile_row_delete(actor=candidate.user, row=added)
    assert copy_of(candidate) == rows_of(candidate) and len(copy_of(candidate)) == 1


def test_the_copy_gives_the_same_checks_as_the_rows():
    candidate = make_candidate(major_code="120203", major_name="会计学")
    services.education_save(
        actor=candidate.user,
        candidate=candidate,
        level="14",
        degree="master",
        school="东北大学",
        major_code="030101",
        major_name="法学",
    )
    exam = make_exam()
    positions = [
        make_position(exam, education_levels=["21"], major_codes=["0301"]),
        make_position(exam, education_levels=["11", "14"], major_codes=["0301"]),
        make_position(exam, education_levels=["11"]),
    ]
    for position in positions:
        from_rows = eligibility.evaluate(
            Candidate.objects.get(pk=candidate.pk), position, today=TODAY
        )
        copied = Candidate.objects.get(pk=candidate.pk)
        education_copy.prefetch(copied)
        with CaptureQueriesContext(connection) as queries:
            from_copy = eligibility.evaluate(copied, position, today=TODAY)
        assert from_copy == from_rows
        assert not [q for q in queries if "exams_education" in q["sql"]]


def test_a_submission_reads_no_education_row(client):
    candidate = make_candidate()
    position = make_position(make_exam())
    client.force_login(candidate.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("exams:apply", args=[position.pk]), {"declared": "on"})
    assert response.status_code == 302 and Application.objects.filter(candidate=candidate).exists()
    assert not [q for q in queries if "exams_education" in q["sql"]]


def test_without_a_copy_the_rows_are_read(client):
    eligible, ineligible = make_candidate(), make_candidate(name="王考生", education_level="31")
    Candidate.objects.filter(pk__in=[eligible.pk, ineligible.pk]).update(educations_copy=None)
    position = make_position(make_exam(), education_levels=["21"])
    url = reverse("exams:apply", args=[position.pk])
    client.force_login(ineligible.user)
    assert "学历" in client.post(url, {"declared": "on"}).content.decode()
    client.force_login(eligible.user)
    assert client.post(url, {"declared": "on"}).status_code == 302
    assert list(Application.objects.values_list("candidate", flat=True)) == [eligible.pk]


def test_fill_writes_the_copies_of_bulk_loaded_rows():
    candidate = make_candidate()
    Candidate.objects.filter(pk=candidate.pk).update(educations_copy=None)
    education_copy.fill([candidate.pk])
    assert copy_of(candidate) == rows_of(candidate)
