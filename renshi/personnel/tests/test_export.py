import datetime
import io

import openpyxl
import pytest

from renshi.core import crypto
from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel import imports
from renshi.personnel.models import PersonStatus
from renshi.personnel.services import people as people_services
from renshi.personnel.tests.factories import make_clerk, make_person, make_unit

pytestmark = pytest.mark.django_db
EXPORT = "/personnel/people/export/"


@pytest.fixture
def world():
    education = make_unit("鞍山市教育局")
    school = make_unit("鞍山市第一中学", parent=education, unit_type="public1")
    finance = make_unit("鞍山市财政局")
    teacher = make_person(school, name="张三丰", native_place="辽宁鞍山")
    people_services.person_update(actor="测试", person=teacher, phone="13912345678")
    return {
        "education": education,
        "school": school,
        "finance": finance,
        "teacher": teacher,
        "retired": make_person(school, name="王老师"),
        "accountant": make_person(finance, name="李四"),
        "owner": make_clerk(education),
        "member": UserFactory(role=Role.PERSONNEL),
        "leader": UserFactory(role=Role.BUREAU_LEADER),
        "outsider": make_clerk(finance),
    }


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def as_dicts(rows):
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def full_id(person):
    return crypto.decrypt(person.id_number_cipher)


def test_it_exports_the_filtered_list_with_masked_numbers(client, world):
    client.force_login(world["member"])
    rows = as_dicts(rows_of(client.get(EXPORT, {"unit": world["education"].pk, "q": "张三"})))
    [row] = rows
    teacher = world["teacher"]
    assert row["姓名"] == "张三丰" and row["单位名称"] == "鞍山市第一中学"
    assert row["公民身份号码"] == teacher.id_number_masked != full_id(teacher)
    assert row["手机号码"] == "139****5678"
    assert row["性别"] == "男" and row["民族"] == "汉族" and row["编制类别"] == "行政编制"
    assert row["出生日期"] == datetime.datetime(1985, 3, 12)
    assert row["人员状态"] == "在职" and row["籍贯"] == "辽宁鞍山"


def test_it_exports_the_same_people_as_the_list_page_filters(client, world):
    people_services.set_status(world["retired"], PersonStatus.RETIRED, datetime.date(2026, 1, 1))
    client.force_login(world["member"])
    names = [r["姓名"] for r in as_dicts(rows_of(client.get(EXPORT, {"status": "retired"})))]
    assert names == ["王老师"]
    everyone = [r["姓名"] for r in as_dicts(rows_of(client.get(EXPORT)))]
    assert sorted(everyone) == sorted(["张三丰", "王老师", "李四"])


def test_it_audits_each_export_with_the_filter_and_count(client, world):
    client.force_login(world["member"])
    rows_of(client.get(EXPORT, {"q": "张三", "page": "2"}))
    event = AuditEvent.objects.get(action="person.export")
    assert event.actor == world["member"]
    assert "q=%E5%BC%A0%E4%B8%89" in event.note and "共1人" in event.note
    assert not AuditEvent.objects.filter(action="person.export_reveal").exists()


def test_it_reveals_full_numbers_to_roles_that_may_and_audits_it_once(client, world):
    client.force_login(world["owner"])
    rows = as_dicts(rows_of(client.get(EXPORT, {"reveal": "1"})))
    teacher = next(r for r in rows if r["姓名"] == "张三丰")
    assert teacher["公民身份号码"] == full_id(world["teacher"])
    assert teacher["手机号码"] == "13912345678"
    assert AuditEvent.objects.filter(action="person.export_reveal").count() == 1


def test_it_keeps_numbers_masked_for_roles_that_may_not_reveal(client, world):
    client.force_login(world["leader"])
    rows = as_dicts(rows_of(client.get(EXPORT, {"reveal": "1"})))
    assert all("*" in r["公民身份号码"] for r in rows)
    assert not AuditEvent.objects.filter(action="person.export_reveal").exists()


def test_it_uses_national_item_codes_as_headers_and_code_values(client, world):
    client.force_login(world["member"])
    rows = rows_of(client.get(EXPORT, {"codes": "1", "q": "张三丰"}))
    headers = rows[0]
    assert headers[:4] == ("A01001", "A01085", "A01004", "A01007")
    assert "A01057A" in headers and "A58001" in headers and "A08002B" in headers
    row = dict(zip(headers, rows[1], strict=True))
    assert (row["A01001"], row["A01004"], row["A01017"], row["A01063"]) == (
        "张三丰",
        "1",
        "01",
        "active",
    )


def test_it_shows_a_clerk_only_their_subtree(client, world):
    client.force_login(world["owner"])
    names = {r["姓名"] for r in as_dicts(rows_of(client.get(EXPORT)))}
    assert names == {"张三丰", "王老师"}


def test_it_hides_another_units_list_from_an_outsider(client, world):
    client.force_login(world["outsider"])
    assert client.get(EXPORT, {"unit": world["school"].pk}).status_code == 404
    names = {r["姓名"] for r in as_dicts(rows_of(client.get(EXPORT)))}
    assert names == {"李四"}


@pytest.mark.parametrize("role", [Role.EXAM_OFFICE, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN])
def test_it_returns_404_to_roles_without_personnel_access(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(EXPORT).status_code == 404
    assert not AuditEvent.objects.filter(action="person.export").exists()


def test_it_exports_with_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for i in range(5):
        make_person(world["school"], name=f"教师{i}")
    client.force_login(world["member"])
    with django_assert_max_num_queries(10):  # session, user, one SELECT of people, audit
        rows = rows_of(client.get(EXPORT))
    assert len(rows) == 1 + 8


def test_it_reads_back_a_revealed_export_as_unchanged(client, world):
    client.force_login(world["member"])
    response = client.get(EXPORT, {"reveal": "1", "unit": world["school"].pk})
    data = b"".join(response.streaming_content)
    report = imports.import_check(data, world["member"])
    assert report.errors == []
    assert report.counts["unchanged"] == 2
