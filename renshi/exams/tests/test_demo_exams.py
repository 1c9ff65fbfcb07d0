import pytest
from django.core.management import call_command

from renshi.exams import demo
from renshi.exams.models import Application, Candidate, Exam
from renshi.personnel.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_demo_exams_load_once_with_a_candidate_ready_to_apply():
    make_unit(name="鞍山市财政局")
    call_command("load_demo_exams", candidates=60)
    call_command("load_demo_exams", candidates=60)  # a second run changes nothing
    assert Exam.objects.count() == 2
    assert Candidate.objects.count() == 61
    assert Application.objects.count() == 80
    visitor = Candidate.objects.get(user__username="kaosheng")
    assert visitor.photo and not visitor.applications.exists()
    assert demo.is_loaded()
