import pytest

from renshi.personnel.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def names(response):
    return [u["name"] for u in response.json()["results"]]


def test_it_lists_only_the_clerks_subtree(api, city, clerk_token):
    response = api.get("/api/v1/units/", clerk_token)
    assert response.status_code == 200
    assert names(response) == ["鞍山市教育局", "鞍山市第一中学"]


def test_it_lists_all_units_to_bureau_staff_with_totals(api, city, staff_token):
    response = api.get("/api/v1/units/", staff_token)
    rows = {u["name"]: u for u in response.json()["results"]}
    assert set(rows) == {"鞍山市教育局", "鞍山市第一中学", "鞍山市卫生健康委员会"}
    school = rows["鞍山市第一中学"]
    assert school["parent_name"] == "鞍山市教育局"
    assert school["totals"] == {
        "approved": 1,
        "occupied": 1,
        "reserved": 0,
        "vacant": 0,
        "over": 0,
        "vacant_or_over": 0,
    }


def test_it_filters_units_by_parent_name_and_type(api, city, staff_token):
    education = city["education"]
    assert names(api.get("/api/v1/units/", staff_token, parent=education.pk)) == ["鞍山市第一中学"]
    assert names(api.get("/api/v1/units/", staff_token, q="卫生")) == ["鞍山市卫生健康委员会"]
    assert names(api.get("/api/v1/units/", staff_token, type="public1")) == ["鞍山市第一中学"]
    assert api.get("/api/v1/units/", staff_token, type="bogus").status_code == 400


def test_it_shows_a_unit_with_its_establishment_lines(api, city, clerk_token):
    response = api.get(f"/api/v1/units/{city['school'].pk}/", clerk_token)
    data = response.json()
    assert data["name"] == "鞍山市第一中学"
    [line] = data["establishment"]
    assert (line["category"], line["approved"], line["occupied"], line["vacant"]) == (
        "inst",
        1,
        1,
        0,
    )


def test_it_gives_404_for_another_units_detail(api, city, clerk_token):
    response = api.get(f"/api/v1/units/{city['health'].pk}/", clerk_token)
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": response.json()["error"]["message"]}
    }


def test_it_keys_units_by_b01_item_codes(api, city, staff_token):
    response = api.get(f"/api/v1/units/{city['school'].pk}/", staff_token, keys="codes")
    data = response.json()
    assert data["B01001"] == "鞍山市第一中学"
    assert data["B01044"] == "鞍山市教育局"
    assert data["B01031"] == "public1"
    assert "name" not in data
    assert data["establishment"][0]["B02024"] == 1


def test_it_lists_units_in_a_fixed_number_of_queries(api, staff_token, django_assert_num_queries):
    parent = make_unit("上级")
    for _ in range(3):
        make_unit(parent=parent)
    api.get("/api/v1/units/", staff_token)  # the token's last_used_at is written once a minute
    with django_assert_num_queries(4):  # token, count, page (parents joined), totals
        api.get("/api/v1/units/", staff_token)
    for _ in range(20):
        make_unit(parent=parent)
    with django_assert_num_queries(4):
        assert len(api.get("/api/v1/units/", staff_token).json()["results"]) == 24
