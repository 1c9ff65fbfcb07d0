import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.models import (
    Appraisal,
    DegreeRecord,
    EducationRecord,
    FamilyMember,
    PostRecord,
    RankRecord,
    TitleRecord,
)
from renshi.personnel.tests.factories import make_clerk, make_person, make_unit

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def add_records(person, count):
    start = datetime.date(2000, 1, 1)
    for n in range(count):
        day = start + datetime.timedelta(days=200 * n)
        PostRecord.objects.create(
            person=person, unit=person.unit, post_name=f"职务{n}", start_date=day, end_date=day
        )
        RankRecord.objects.create(person=person, rank="10", start_date=day, end_date=day)
        TitleRecord.objects.create(person=person, title="133", start_date=day, end_date=day)
        EducationRecord.objects.create(person=person, education="21", start_date=day)
        DegreeRecord.objects.create(person=person, degree="4", start_date=day)
        Appraisal.objects.create(person=person, year=2000 + n, result="2")
        FamilyMember.objects.create(person=person, relation="20", name=f"子{n}")


@pytest.mark.parametrize("role", [Role.PERSONNEL, Role.UNIT_CLERK])
def test_it_lists_people_with_a_query_count_independent_of_their_number(client, role):
    unit = make_unit("鞍山市财政局")
    user = make_clerk(unit) if role == Role.UNIT_CLERK else UserFactory(role=role)
    client.force_login(user)
    for n in range(2):
        make_person(unit, name=f"甲{n}")
    queries_for(client, "/personnel/people/")  # warm the code-table cache
    few = queries_for(client, "/personnel/people/")
    for n in range(18):
        make_person(unit, name=f"乙{n}")
    assert queries_for(client, "/personnel/people/") == few


def test_it_shows_a_person_with_a_query_count_independent_of_their_records(client):
    unit = make_unit("鞍山市财政局")
    client.force_login(UserFactory(role=Role.PERSONNEL))
    few, many = make_person(unit, name="甲"), make_person(unit, name="乙")
    add_records(few, 2)
    add_records(many, 20)
    queries_for(client, f"/personnel/people/{few.pk}/")
    assert queries_for(client, f"/personnel/people/{few.pk}/") == queries_for(
        client, f"/personnel/people/{many.pk}/"
    )


def test_it_pages_without_counting(client, monkeypatch):
    monkeypatch.setattr("renshi.personnel.views.people.PAGE_SIZE", 2)
    unit = make_unit("鞍山市财政局")
    client.force_login(UserFactory(role=Role.PERSONNEL))
    for n in range(5):
        make_person(unit, name=f"甲{n}")
    first = client.get("/personnel/people/").content.decode()
    assert "第 1 页" in first and "下一页" in first and "上一页" not in first
    last = client.get("/personnel/people/", {"page": 3}).content.decode()
    assert "上一页" in last and "下一页" not in last
    assert "第 1 页" in client.get("/personnel/people/", {"page": "x"}).content.decode()
