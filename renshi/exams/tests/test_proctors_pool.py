"""The proctor pool: add, edit, relatives kept only as a blind index, login accounts, import from
.xlsx with errors by row and column; every page 404 to outsiders."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from renshi.core import crypto
from renshi.core.idnumbers import make_id_number
from renshi.core.models import AuditEvent, User
from renshi.core.tests.factories import UserFactory
from renshi.exams import proctors_import
from renshi.exams.errors import ExamError
from renshi.exams.models import Proctor, ProctorRelative
from renshi.exams.services import proctors as services
from renshi.exams.tests.test_proctors_draw import RELATIVE

pytestmark = pytest.mark.django_db
OTHER = make_id_number("210302", datetime.date(1991, 4, 5), 22)


@pytest.fixture
def office(client):
    user = UserFactory(role="exam_office")
    client.force_login(user)
    return user


def xlsx(rows, headers=proctors_import.HEADERS):
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "proctors.xlsx"
    return out


@pytest.mark.parametrize("role", [None, "candidate", "proctor", "unit_clerk", "personnel"])
def test_outsiders_get_404(client, role):
    proctor = Proctor.objects.create(name="王老师", school="鞍山八中")
    relative = ProctorRelative.objects.create(
        proctor=proctor, id_number_hash="x", name="甲", relation="子女"
    )
    if role:
        client.force_login(UserFactory(role=role))
    gets = [
        reverse("exams:proctor_pool"),
        reverse("exams:proctor_create"),
        reverse("exams:proctor_import"),
        reverse("exams:proctor_template"),
        reverse("exams:proctor_detail", args=[proctor.pk]),
    ]
    posts = [
        reverse("exams:proctor_relative_add", args=[proctor.pk]),
        reverse("exams:proctor_account", args=[proctor.pk]),
        reverse("exams:proctor_relative_remove", args=[relative.pk]),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == (302 if role is None else 404), url
    for url in posts:
        response = client.post(url, {"name": "x"})
        assert response.status_code == (302 if role is None else 404), url
    assert ProctorRelative.objects.count() == 1


def test_it_adds_and_edits_a_proctor_with_a_masked_phone(client, office):
    response = client.post(
        reverse("exams:proctor_create"),
        {"name": "王老师", "school": "鞍山八中", "phone": "13904121234", "active": "on"},
    )
    proctor = Proctor.objects.get()
    assert response.url == reverse("exams:proctor_detail", args=[proctor.pk])
    assert proctor.phone_masked == "139****1234"
    client.post(
        reverse("exams:proctor_detail", args=[proctor.pk]),
        {"name": "王老师", "school": "鞍山三中", "phone": ""},
    )
    proctor.refresh_from_db()
    assert (proctor.school, proctor.phone_masked, proctor.active) == (
        "鞍山三中",
        "139****1234",
        False,
    )
    event = AuditEvent.objects.get(action="proctor.update")
    assert event.after == {"school": "鞍山三中", "active": False}
    page = client.get(reverse("exams:proctor_pool"), {"q": "三中"})
    assert "王老师" in page.content.decode() and "13904121234" not in page.content.decode()


def test_bad_input_changes_nothing(client, office):
    response = client.post(
        reverse("exams:proctor_create"), {"name": "王老师", "school": "一中", "phone": "123"}
    )
    assert "手机号码应为以1开头的11位数字" in response.content.decode()
    assert not Proctor.objects.exists()


def test_a_relative_is_kept_as_a_blind_index_never_the_number(client, office):
    proctor = services.proctor_create(actor=office, name="王老师", school="鞍山八中")
    url = reverse("exams:proctor_relative_add", args=[proctor.pk])
    response = client.post(url, {"name": "王小明", "id_number": RELATIVE, "relation": "子女"})
    assert response.status_code == 302
    relative = ProctorRelative.objects.get()
    assert relative.id_number_hash == crypto.blind_index(RELATIVE)
    stored = [str(v) for v in ProctorRelative.objects.values_list().get()]
    assert RELATIVE not in stored
    event = AuditEvent.objects.get(action="proctor.relative_add")
    assert RELATIVE not in str(event.after) and event.after["id_number"].startswith("2103")
    # A wrong checksum or the same relative twice: a message, nothing added.
    bad = client.post(url, {"name": "王小明", "id_number": RELATIVE[:-1] + "0", "relation": "子女"})
    assert bad.status_code == 400 and "校验位" in bad.content.decode()
    twice = client.post(url, {"name": "王小明", "id_number": RELATIVE, "relation": "子女"})
    assert "该亲属已申报" in twice.content.decode()
    assert ProctorRelative.objects.count() == 1
    client.post(reverse("exams:proctor_relative_remove", args=[relative.pk]))
    assert not ProctorRelative.objects.exists()
    assert AuditEvent.objects.filter(action="proctor.relative_remove").exists()


def test_a_login_account_is_a_proctor_account(client, office):
    proctor = services.proctor_create(actor=office, name="王老师", school="鞍山八中")
    url = reverse("exams:proctor_account", args=[proctor.pk])
    weak = client.post(url, {"username": "wanglaoshi", "password": "123"})
    assert weak.status_code == 400 and not User.objects.filter(username="wanglaoshi").exists()
    client.post(url, {"username": "wanglaoshi", "password": "Jiankao@2026x"})
    proctor.refresh_from_db()
    assert (proctor.user.username, proctor.user.role) == ("wanglaoshi", "proctor")
    with pytest.raises(ExamError, match="已有登录账号"):
        services.proctor_account_create(
            actor=office, proctor=proctor, username="w2", password="Jiankao@2026x"
        )


def test_import_reports_errors_by_row_and_column_and_imports_nothing(client, office):
    upload = xlsx([
        ["王老师", "鞍山八中", "13904121234", "", "", ""],
        ["", "鞍山三中", "", "", "", ""],
        ["李老师", "鞍山一中", "12345", "李小", RELATIVE[:-1] + "0", ""],
    ])  # fmt: skip
    response = client.post(reverse("exams:proctor_import"), {"file": upload})
    assert response.status_code == 400
    errors = [(e.row, e.column, e.header) for e in response.context["report"].errors]
    assert errors == [
        (3, "A", "姓名"),
        (4, "C", "手机号码"),
        (4, "E", "亲属身份证号码"),
        (4, "F", "与本人关系"),
    ]
    assert "第3行" in response.content.decode() and "姓名不能为空" in response.content.decode()
    assert not Proctor.objects.exists()


def test_import_creates_proctors_merges_relatives_and_updates_existing(client, office):
    existing = services.proctor_create(actor=office, name="李老师", school="鞍山一中")
    upload = xlsx([
        ["王老师", "鞍山八中", "13904121234", "王小明", RELATIVE, "子女"],
        ["王老师", "鞍山八中", "", "王小红", OTHER, "子女"],
        ["李老师", "鞍山一中", "13904125678", "", "", ""],
    ])  # fmt: skip
    response = client.post(reverse("exams:proctor_import"), {"file": upload})
    assert response.status_code == 302
    assert Proctor.objects.count() == 2
    wang = Proctor.objects.get(name="王老师")
    assert wang.relatives.count() == 2 and wang.phone_masked == "139****1234"
    existing.refresh_from_db()
    assert existing.phone_masked == "139****5678"


def test_import_refuses_a_file_that_is_not_xlsx_or_lacks_columns(client, office):
    bad = io.BytesIO(b"not a workbook")
    bad.name = "x.xlsx"
    response = client.post(reverse("exams:proctor_import"), {"file": bad})
    assert "不是有效的Excel" in response.content.decode()
    response = client.post(
        reverse("exams:proctor_import"), {"file": xlsx([["王"]], headers=["姓名", "电话"])}
    )
    assert "表头缺少：所在学校" in response.content.decode()
    assert client.get(reverse("exams:proctor_template")).status_code == 200
