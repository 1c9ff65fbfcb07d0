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


def test_it_creates_a_unit_with_a_valid_credit_code(client, world):
    from stdnum.cn import uscc

    from renshi.core.models import AuditEvent
    from renshi.personnel.models import Unit

    body = "12210300MB1234567"
    code = body + uscc.calc_check_digit(body)
    client.force_login(world["member"])
    data = {
        "name": "鞍山市人才服务中心",
        "credit_code": code,
        "parent": world["education"].pk,
        "unit_type": "public1",
        "level": "section",
        "affiliation": "40",
        "funding_form": "full",
        "division": "210300",
        "sort": 0,
        "is_active": "on",
    }
    bad = client.post("/personnel/units/new/", data | {"credit_code": body + "0"})
    assert bad.status_code == 200 and "校验" in bad.content.decode()
    assert not Unit.objects.filter(name="鞍山市人才服务中心").exists()
    assert client.post("/personnel/units/new/", data).status_code == 302
    unit = Unit.objects.get(name="鞍山市人才服务中心")
    assert unit.path.startswith(world["education"].path)
    assert AuditEvent.objects.filter(action="unit.create", object_id=str(unit.pk)).exists()


def test_it_moves_a_subtree_when_the_parent_changes(client, world):
    from renshi.personnel.services import units

    units.unit_update(actor="测试", unit=world["education"], parent=world["finance"])
    world["school"].refresh_from_db()
    assert world["school"].path.startswith(world["finance"].path)
    assert world["school"].depth == 2


def test_it_keeps_unit_forms_from_clerks_and_personnel(client, world):
    for user in (world["owner"], UserFactory(role=Role.PERSONNEL)):
        client.force_login(user)
        assert client.get("/personnel/units/new/").status_code == 404
        assert client.get(f"/personnel/units/{world['school'].pk}/edit/").status_code == 404
