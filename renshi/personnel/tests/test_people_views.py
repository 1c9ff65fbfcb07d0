import pytest

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.tests.factories import make_clerk, make_person, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A bureau with an education bureau (with a school below it) and a finance bureau."""
    education = make_unit("鞍山市教育局")
    school = make_unit("鞍山市第一中学", parent=education, unit_type="public1")
    finance = make_unit("鞍山市财政局")
    return {
        "school": school,
        "finance": finance,
        "teacher": make_person(school, name="张三丰"),
        "accountant": make_person(finance, name="李四"),
        "owner": make_clerk(education),
        "member": UserFactory(role=Role.PERSONNEL),
        "outsider": make_clerk(finance),
    }


def url(person, suffix=""):
    return f"/personnel/people/{person.pk}/{suffix}"


def test_it_finds_people_by_pinyin_initials_full_pinyin_and_name(client, world):
    client.force_login(world["owner"])
    for q in ("zsf", "zhangsanfeng", "张三", "ZSF"):
        assert "张三丰" in client.get("/personnel/people/", {"q": q}).content.decode(), q


def test_it_finds_a_person_by_exact_id_number(client, world):
    from renshi.core import crypto

    number = crypto.decrypt(world["teacher"].id_number_cipher)
    client.force_login(world["member"])
    page = client.get("/personnel/people/", {"q": number}).content.decode()
    assert "张三丰" in page and "李四" not in page


def test_it_shows_a_clerk_only_their_subtree(client, world):
    client.force_login(world["owner"])
    page = client.get("/personnel/people/").content.decode()
    assert "张三丰" in page and "李四" not in page


def test_it_masks_id_numbers_in_lists(client, world):
    client.force_login(world["member"])
    page = client.get("/personnel/people/").content.decode()
    assert world["teacher"].id_number_masked in page
    from renshi.core import crypto

    assert crypto.decrypt(world["teacher"].id_number_cipher) not in page


def test_it_shows_the_person_to_owner_and_bureau(client, world):
    for actor in ("owner", "member"):
        client.force_login(world[actor])
        assert client.get(url(world["teacher"])).status_code == 200


def test_it_hides_the_person_from_outsiders(client, world):
    client.force_login(world["outsider"])
    assert client.get(url(world["teacher"])).status_code == 404
    assert client.get(url(world["teacher"], "edit/")).status_code == 404
    assert client.post(url(world["teacher"], "reveal/id_number/")).status_code == 404


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN, Role.EXAM_OFFICE])
def test_it_hides_personnel_from_roles_without_need(client, world, role):
    client.force_login(UserFactory(role=role))
    assert client.get("/personnel/people/").status_code == 404
    assert client.get(url(world["teacher"])).status_code == 404


def test_it_lets_the_owner_correct_a_record_and_audits_it(client, world):
    client.force_login(world["owner"])
    form = client.get(url(world["teacher"], "edit/")).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(native_place="辽宁海城", note="更正籍贯")
    response = client.post(url(world["teacher"], "edit/"), data)
    assert response.status_code == 302
    world["teacher"].refresh_from_db()
    assert world["teacher"].native_place == "辽宁海城"
    event = AuditEvent.objects.get(action="person.update")
    assert event.after == {"native_place": "辽宁海城"} and event.actor == world["owner"]


def test_it_refuses_a_bad_id_checksum_and_changes_nothing(client, world):
    client.force_login(world["owner"])
    form = client.get(url(world["teacher"], "edit/")).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    bad = data["id_number"][:-1] + ("1" if data["id_number"][-1] != "1" else "2")
    data.update(id_number=bad, native_place="改了")
    response = client.post(url(world["teacher"], "edit/"), data)
    assert response.status_code == 200
    assert "校验位" in response.content.decode()
    world["teacher"].refresh_from_db()
    assert world["teacher"].native_place == ""
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_it_refuses_a_birth_date_that_disagrees_with_the_id_number(client, world):
    client.force_login(world["member"])
    form = client.get(url(world["teacher"], "edit/")).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(birth_date="1990-01-01")
    response = client.post(url(world["teacher"], "edit/"), data)
    assert "不一致" in response.content.decode()


def test_it_reveals_the_id_number_only_with_an_audit_row(client, world):
    client.force_login(world["owner"])
    response = client.post(url(world["teacher"], "reveal/id_number/"))
    assert response.status_code == 200
    assert len(response.json()["value"]) == 18
    assert AuditEvent.objects.filter(action="person.reveal_id_number").count() == 1


def test_it_does_not_reveal_to_a_leader(client, world):
    client.force_login(UserFactory(role=Role.BUREAU_LEADER))
    assert client.get(url(world["teacher"])).status_code == 200
    assert client.post(url(world["teacher"], "reveal/id_number/")).status_code == 404


def test_it_lists_people_with_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["member"])
    client.get("/personnel/people/")  # warm the code-table cache
    with CaptureQueriesContext(connection) as few:
        client.get("/personnel/people/")
    for i in range(15):
        make_person(world["finance"], name=f"王{i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/personnel/people/")
    assert len(many) == len(few)


def test_it_shows_the_detail_with_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renshi.personnel.services import people

    client.force_login(world["member"])
    person = world["teacher"]
    client.get(url(person))
    with CaptureQueriesContext(connection) as few:
        client.get(url(person))
    for year in range(2015, 2025):
        people.record_add(
            actor="测试", person=person, record_type="appraisal", year=year, result="2"
        )
        people.record_add(
            actor="测试",
            person=person,
            record_type="education",
            education="21",
            school=f"学校{year}",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url(person))
    assert len(many) == len(few)


def test_it_finds_a_person_by_given_name_alone(client, world):
    client.force_login(world["member"])
    page = client.get("/personnel/people/", {"q": "三丰"}).content.decode()
    assert "张三丰" in page and "李四" not in page


def test_it_still_finds_a_character_from_the_middle(client, world):
    client.force_login(world["member"])
    assert "张三丰" in client.get("/personnel/people/", {"q": "三"}).content.decode()


def test_it_knows_compound_surnames():
    from renshi.personnel.services.people import given_name_of

    assert given_name_of("欧阳修") == "修"
    assert given_name_of("张三丰") == "三丰"
