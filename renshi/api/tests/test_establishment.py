import pytest

from renshi.personnel.services import establishment
from renshi.personnel.tests.factories import SYSTEM

pytestmark = pytest.mark.django_db
URL = "/api/v1/establishment/"


def test_it_reports_usage_per_unit_and_category_with_city_totals(api, city, staff_token):
    establishment.establishment_approve(
        actor=SYSTEM,
        unit=city["health"],
        category="admin",
        approved=3,
        document_number="鞍编发〔2026〕5号",
    )
    body = api.get(URL, staff_token).json()
    rows = {(r["unit_name"], r["category"]): r for r in body["results"]}
    assert rows[("鞍山市卫生健康委员会", "admin")]["vacant"] == 2
    assert rows[("鞍山市第一中学", "inst")]["occupied"] == 1
    totals = body["totals"]
    assert totals["all"]["approved"] == 4 and totals["all"]["occupied"] == 2
    assert totals["by_category"]["admin"]["vacant"] == 2
    assert totals["by_category"]["inst"]["vacant_or_over"] == 0


def test_it_counts_over_establishment_apart_from_vacancies(api, city, staff_token):
    establishment.establishment_approve(
        actor=SYSTEM,
        unit=city["health"],
        category="admin",
        approved=3,
        document_number="鞍编发〔2026〕5号",
    )
    education = city["education"]
    from renshi.personnel.models import EstablishmentLine

    EstablishmentLine.objects.create(unit=education, category="admin", approved=0, occupied=1)
    totals = api.get(URL, staff_token, category="admin").json()["totals"]["all"]
    assert (totals["vacant"], totals["over"], totals["vacant_or_over"]) == (2, 1, 1)


def test_it_limits_a_clerk_to_their_subtree(api, city, clerk_token):
    body = api.get(URL, clerk_token).json()
    assert {r["unit_name"] for r in body["results"]} == {"鞍山市第一中学"}
    assert body["totals"]["all"]["approved"] == 1
    assert api.get(URL, clerk_token, unit=city["health"].pk).status_code == 404


def test_it_keys_establishment_by_b02_item_codes(api, city, staff_token):
    body = api.get(URL, staff_token, keys="codes").json()
    row = body["results"][0]
    assert {"B01001", "B02024", "B02110", "B02115"} <= set(row)
    assert body["totals"]["all"]["B02024"] == 2
