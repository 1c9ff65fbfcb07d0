import pytest

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.models import EstablishmentCategory
from renshi.personnel.services import people as people_services
from renshi.personnel.tests.factories import SYSTEM, make_clerk, make_person, make_unit

from .conftest import issue

pytestmark = pytest.mark.django_db
URL = "/api/v1/people/"


def names(response):
    return [p["name"] for p in response.json()["results"]]


def test_it_lists_only_people_in_the_clerks_subtree(api, city, clerk_token):
    response = api.get(URL, clerk_token)
    assert response.status_code == 200
    assert names(response) == ["王芳"]
    assert response.json()["count"] == 1


def test_it_filters_people_like_the_ui_search(api, city, staff_token):
    assert names(api.get(URL, staff_token, q="李")) == ["李强"]
    assert names(api.get(URL, staff_token, q="wf")) == ["王芳"]
    assert names(api.get(URL, staff_token, unit=city["education"].pk)) == ["王芳"]
    assert names(api.get(URL, staff_token, category="inst")) == ["王芳"]
    assert names(api.get(URL, staff_token, status="retired")) == []


def test_it_gives_404_when_a_clerk_filters_by_another_unit(api, city, clerk_token):
    response = api.get(URL, clerk_token, unit=city["health"].pk)
    assert response.status_code == 404


def test_it_gives_404_for_another_units_person(api, city, clerk_token):
    response = api.get(f"{URL}{city['doctor'].pk}/", clerk_token)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_shows_a_person_with_current_fields_and_records(api, city, clerk_token):
    teacher = city["teacher"]
    people_services.record_add(
        actor=SYSTEM, person=teacher, record_type="family", relation="10", name="王军"
    )
    data = api.get(f"{URL}{teacher.pk}/", clerk_token).json()
    assert data["name"] == "王芳"
    assert data["unit_name"] == "鞍山市第一中学"
    assert data["category"] == "inst"
    assert [f["name"] for f in data["records"]["family"]] == ["王军"]
    assert len(data["records"]["entries"]) == 1
    assert len(data["records"]["occupancies"]) == 1


def test_it_masks_id_and_phone_numbers_by_default(api, city, clerk_token):
    teacher = city["teacher"]
    [row] = api.get(URL, clerk_token, reveal="0").json()["results"]
    assert row["id_number"] == teacher.id_number_masked and "*" in row["id_number"]
    assert row["phone"] == teacher.phone_masked and "*" in row["phone"]
    assert not AuditEvent.objects.filter(action="person.api_reveal").exists()


def test_it_reveals_numbers_on_request_and_audits_once_per_request(api, city, clerk_token):
    school = city["school"]
    make_person(school, "赵敏", category=EstablishmentCategory.INSTITUTION)
    response = api.get(URL, clerk_token, reveal="1")
    body = response.json()
    assert body["revealed"] is True
    wang = next(p for p in body["results"] if p["name"] == "王芳")
    assert wang["phone"] == "13812345678"
    assert len(wang["id_number"]) == 18 and "*" not in wang["id_number"]
    [event] = AuditEvent.objects.filter(action="person.api_reveal")
    assert event.after["count"] == 2
    assert sorted(event.after["ids"]) == sorted(p["id"] for p in body["results"])
    assert event.actor.role == Role.UNIT_CLERK


def test_it_reveals_and_audits_a_single_person(api, city, clerk_token):
    teacher = city["teacher"]
    data = api.get(f"{URL}{teacher.pk}/", clerk_token, reveal="1").json()
    assert data["revealed"] is True and data["phone"] == "13812345678"
    event = AuditEvent.objects.get(action="person.api_reveal")
    assert event.object_id == str(teacher.pk)
    assert event.unit_id == teacher.unit_id


def test_it_keeps_numbers_masked_for_a_role_that_may_not_reveal(api, city):
    leader = issue(UserFactory(role=Role.BUREAU_LEADER))
    body = api.get(URL, leader, reveal="1").json()
    assert body["revealed"] is False
    assert all("*" in p["id_number"] for p in body["results"])
    assert not AuditEvent.objects.filter(action="person.api_reveal").exists()


def test_it_keys_people_by_a01_item_codes(api, city, clerk_token):
    [row] = api.get(URL, clerk_token, keys="codes").json()["results"]
    assert row["A01001"] == "王芳"
    assert row["A01057A"] == "鞍山市第一中学"
    assert row["A01085"] == city["teacher"].id_number_masked
    assert "name" not in row and row["id"] == city["teacher"].pk
    detail = api.get(f"{URL}{row['id']}/", clerk_token, keys="codes").json()
    assert "A36" in detail["records"] and "A29" in detail["records"]


def test_it_paginates_people(api, staff_token):
    unit = make_unit()
    for i in range(5):
        make_person(unit, f"测试{i}")
    body = api.get(URL, staff_token, page_size=2, page=2).json()
    assert (body["count"], body["num_pages"], len(body["results"])) == (5, 3, 2)
    assert "page=3" in body["next"] and "page=1" in body["previous"]


def test_it_lists_people_in_a_fixed_number_of_queries(api, django_assert_num_queries):
    unit = make_unit()
    clerk_token = issue(make_clerk(unit))
    for i in range(2):
        make_person(unit, f"甲{i}")
    api.get(URL, clerk_token, reveal="1")  # warm the token's last_used_at
    # token, clerk's scope, count, page, and the audit row in its own transaction (3)
    with django_assert_num_queries(7) as two:
        api.get(URL, clerk_token, reveal="1")
    for i in range(18):
        make_person(unit, f"乙{i}")
    with django_assert_num_queries(len(two.captured_queries)):
        assert len(api.get(URL, clerk_token, reveal="1").json()["results"]) == 20
