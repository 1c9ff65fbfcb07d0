import pytest

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.models import EstablishmentLine, FamilyMember, PersonStatus
from renshi.personnel.tests.factories import id_number, make_clerk, make_person, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    finance = make_unit("鞍山市财政局")
    education = make_unit("鞍山市教育局")
    return {
        "finance": finance,
        "education": education,
        "person": make_person(finance, name="张三丰"),
        "personnel": UserFactory(role=Role.PERSONNEL),
        "establishment": UserFactory(role=Role.ESTABLISHMENT),
        "owner": make_clerk(finance),
        "outsider": make_clerk(education),
    }


def test_it_retires_a_person_from_the_form(client, world):
    client.force_login(world["personnel"])
    url = f"/personnel/people/{world['person'].pk}/event/retire/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"date": "2026-11-01", "document_number": "鞍人退〔2026〕9号"})
    assert response.status_code == 302
    world["person"].refresh_from_db()
    assert world["person"].status == PersonStatus.RETIRED
    assert EstablishmentLine.objects.get(unit=world["finance"]).occupied == 0


def test_it_refuses_a_transfer_into_a_full_unit_with_the_numbers(client, world):
    client.force_login(world["personnel"])
    url = f"/personnel/people/{world['person'].pk}/event/transfer/"
    data = {
        "date": "2026-11-01",
        "document_number": "鞍人调〔2026〕1号",
        "to_unit": world["education"].pk,
        "category": "admin",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "鞍山市教育局" in response.content.decode() and "核定0名" in response.content.decode()
    world["person"].refresh_from_db()
    assert world["person"].unit == world["finance"]


def test_it_keeps_events_from_clerks_and_outsiders(client, world):
    for actor in ("owner", "outsider", "establishment"):
        client.force_login(world[actor])
        url = f"/personnel/people/{world['person'].pk}/event/retire/"
        assert client.get(url).status_code == 404, actor
        assert client.get(f"/personnel/units/{world['finance'].pk}/hire/").status_code == 404


def test_it_hires_into_a_vacant_slot(client, world):
    client.force_login(world["establishment"])
    url = f"/personnel/units/{world['education'].pk}/establishment/"
    client.post(url, {"category": "admin", "approved": 3, "document_number": "鞍编发〔2026〕3号"})
    client.force_login(world["personnel"])
    data = {
        "name": "李四",
        "id_number": id_number(),
        "sex": "1",
        "birth_date": "1985-03-12",
        "ethnicity": "01",
        "political_status": "13",
        "health": "1",
        "category": "admin",
        "entry_type": "11",
        "date": "2026-11-01",
        "document_number": "鞍人发〔2026〕5号",
    }
    response = client.post(f"/personnel/units/{world['education'].pk}/hire/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    line = EstablishmentLine.objects.get(unit=world["education"])
    assert (line.approved, line.occupied) == (3, 1)


def test_it_lets_the_owner_add_and_correct_a_family_member(client, world):
    client.force_login(world["owner"])
    base = f"/personnel/people/{world['person'].pk}/family/"
    response = client.post(base + "add/", {"relation": "10", "name": "王芳", "sort": 0})
    assert response.status_code == 302
    member = FamilyMember.objects.get(person=world["person"])
    response = client.post(
        base + f"{member.pk}/edit/", {"relation": "12", "name": "王芳", "sort": 0}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.relation == "12"
    assert AuditEvent.objects.filter(action="person.family.update").exists()


def test_it_hides_record_forms_from_outsiders(client, world):
    client.force_login(world["outsider"])
    base = f"/personnel/people/{world['person'].pk}/"
    assert client.get(base + "appraisal/add/").status_code == 404
    assert client.post(base + "family/add/", {"relation": "10", "name": "x"}).status_code == 404
    assert not FamilyMember.objects.exists()


def test_it_refuses_an_unknown_code_and_changes_nothing(client, world):
    client.force_login(world["owner"])
    url = f"/personnel/people/{world['person'].pk}/appraisal/add/"
    response = client.post(url, {"year": 2025, "result": "9"})
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="person.appraisal.add").exists()


def test_it_keeps_establishment_forms_from_other_roles(client, world):
    client.force_login(world["owner"])
    assert client.get(f"/personnel/units/{world['finance'].pk}/establishment/").status_code == 404
    client.force_login(world["personnel"])
    assert client.get(f"/personnel/units/{world['finance'].pk}/establishment/").status_code == 404


def test_it_lets_the_security_admin_bind_a_clerk_to_a_unit(client, world):
    from renshi.personnel.models import UserScope

    clerk = UserFactory(role=Role.UNIT_CLERK)
    client.force_login(UserFactory(role=Role.SECURITY_ADMIN))
    response = client.post(f"/personnel/clerks/{clerk.pk}/", {"unit": world["education"].pk})
    assert response.status_code == 302
    assert UserScope.objects.get(user=clerk).unit == world["education"]
    assert AuditEvent.objects.filter(action="user.scope").exists()
    client.force_login(world["personnel"])
    assert client.get(f"/personnel/clerks/{clerk.pk}/").status_code == 404
