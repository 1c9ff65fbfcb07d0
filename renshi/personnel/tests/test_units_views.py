import pytest

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.tests.factories import make_clerk, make_person, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    education = make_unit("鞍山市教育局")
    school = make_unit("鞍山市第一中学", parent=education, unit_type="public1")
    finance = make_unit("鞍山市财政局")
    make_person(school)
    return {
        "education": education,
        "school": school,
        "finance": finance,
        "owner": make_clerk(education),
        "member": UserFactory(role=Role.ESTABLISHMENT),
        "outsider": make_clerk(finance),
    }


def test_it_lists_the_tree_with_numbers(client, world):
    client.force_login(world["member"])
    page = client.get("/personnel/units/").content.decode()
    assert "鞍山市教育局" in page and "鞍山市第一中学" in page and "鞍山市财政局" in page


def test_it_lists_only_the_clerks_subtree(client, world):
    client.force_login(world["owner"])
    page = client.get("/personnel/units/").content.decode()
    assert "鞍山市第一中学" in page and "鞍山市财政局" not in page


def test_it_shows_unit_and_ledger_to_owner_and_bureau(client, world):
    for actor in ("owner", "member"):
        client.force_login(world[actor])
        assert client.get(f"/personnel/units/{world['school'].pk}/").status_code == 200
        assert client.get(f"/personnel/units/{world['school'].pk}/ledger/").status_code == 200


def test_it_hides_unit_and_ledger_from_outsiders(client, world):
    client.force_login(world["outsider"])
    assert client.get(f"/personnel/units/{world['school'].pk}/").status_code == 404
    assert client.get(f"/personnel/units/{world['school'].pk}/ledger/").status_code == 404
    assert client.get("/personnel/people/", {"unit": world["school"].pk}).status_code == 404
