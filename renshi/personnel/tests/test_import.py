import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renshi.core import crypto
from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel import imports
from renshi.personnel.models import EducationRecord, EstablishmentCategory, Person, SlotOccupancy
from renshi.personnel.services import establishment
from renshi.personnel.tests.factories import (
    SYSTEM,
    id_number,
    make_clerk,
    make_person,
    make_unit,
)

pytestmark = pytest.mark.django_db
HEADERS = ["姓名", "公民身份号码", "性别", "出生日期", "民族", "政治面貌", "参加工作时间", "学历"]
HEADERS += ["单位名称", "编制类别", "入编文号", "手机号码"]
UPLOAD = "/personnel/import/"


@pytest.fixture(autouse=True)
def _upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path)


@pytest.fixture
def world():
    education = make_unit("鞍山市教育局")
    school = make_unit("鞍山市第一中学", parent=education, unit_type="public1")
    finance = make_unit("鞍山市财政局")
    return {
        "education": education,
        "school": school,
        "finance": finance,
        "owner": make_clerk(education),
        "member": UserFactory(role=Role.PERSONNEL),
        "outsider": make_clerk(finance),
    }


def person_row(name="王小明", number=None, unit="鞍山市第一中学", **cells):
    row = {
        "姓名": name,
        "公民身份号码": number or id_number(),
        "性别": "男",
        "出生日期": "1985-03-12",
        "民族": "汉族",
        "政治面貌": "群众",
        "参加工作时间": "2008.07",
        "学历": "大学本科毕业",
        "单位名称": unit,
    }
    row.update(cells)
    return row


def xlsx(rows, headers=HEADERS, before=()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in before:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers] if isinstance(row, dict) else row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(client, data, name="人员.xlsx"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def confirm(client, response, mode="all"):
    token = response.context["token"]
    return client.post(f"/personnel/import/{token}/confirm/", {"mode": mode})


def check(world, rows, user="member", **kwargs):
    return imports.import_check(xlsx(rows, **kwargs), world[user])


def messages_of(report):
    return [(e.row, e.column, e.message) for e in report.errors]


# --- Cells ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "month_only"),
    [
        (datetime.datetime(1985, 3, 12), datetime.date(1985, 3, 12), False),
        (31118, datetime.date(1985, 3, 12), False),
        ("31118", datetime.date(1985, 3, 12), False),
        ("1985-03-12", datetime.date(1985, 3, 12), False),
        ("1985/3/12", datetime.date(1985, 3, 12), False),
        ("1985.3.12", datetime.date(1985, 3, 12), False),
        ("19850312", datetime.date(1985, 3, 12), False),
        ("1985年3月12日", datetime.date(1985, 3, 12), False),
        ("１９８５－０３－１２", datetime.date(1985, 3, 12), False),
        ("1985.03", datetime.date(1985, 3, 1), True),
        (1985.03, datetime.date(1985, 3, 1), True),
        (1985.12, datetime.date(1985, 12, 1), True),
        ("198503", datetime.date(1985, 3, 1), True),
        (198503, datetime.date(1985, 3, 1), True),
        ("1985年3月", datetime.date(1985, 3, 1), True),
        ("1985.1", datetime.date(1985, 1, 1), True),
    ],
)
def test_it_reads_the_date_forms_people_type(value, expected, month_only):
    assert imports.parse_date(value) == (expected, month_only)


@pytest.mark.parametrize("value", ["1985.13", "1985-02-30", "去年", "1985", 1985.1, "1800-01-01"])
def test_it_refuses_dates_it_cannot_read_in_chinese(value):
    with pytest.raises(imports.CellError) as exc:
        imports.parse_date(value)
    assert "日期" in str(exc.value) or "月" in str(exc.value)


# --- The dry run --------------------------------------------------------------------------------


def test_it_checks_a_clean_file_without_writing(client, world):
    client.force_login(world["member"])
    before = (Person.objects.count(), AuditEvent.objects.count())
    response = upload(client, xlsx([person_row(), person_row("李小红", id_number(male=False))]))
    assert response.status_code == 200
    assert response.context["counts"]["create"] == 1
    assert response.context["error_count"] == 1  # 李小红's ID says female, the row says 男
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("cells", "column", "text"),
    [
        ({"公民身份号码": "210302198503120010"}, "B", "校验位错误"),
        ({"公民身份号码": "21030219850312001"}, "B", "应为18位"),
        ({"出生日期": "1985.13"}, "D", "不是有效日期"),
        ({"出生日期": "1986-03-12"}, "D", "与身份证号码中的1985-03-12不一致"),
        ({"出生日期": "1985.04"}, "D", "出生年月与身份证号码中的1985-03不一致"),
        ({"性别": "女"}, "C", "性别与身份证号码不一致"),
        ({"民族": "火星族"}, "E", "「火星族」不是有效的民族"),
        ({"政治面貌": "99"}, "F", "不是有效的政治面貌"),
        ({"学历": "大本"}, "H", "不是有效的学历"),
        ({"单位名称": "鞍山市不存在局"}, "I", "单位「鞍山市不存在局」不存在"),
        ({"单位名称": None}, "I", "须填写单位名称"),
        ({"姓名": None}, "A", "姓名不能为空"),
        ({"编制类别": "临时编制"}, "J", "不是有效的编制类别"),
        ({"编制类别": "事业编制"}, "K", "须填写入编文号"),
        ({"手机号码": "12345"}, "L", "手机号码应为以1开头的11位数字"),
        ({"参加工作时间": "1980-01-01"}, "G", "参加工作时间不能早于出生日期"),
    ],
)
def test_it_reports_each_bad_cell_by_row_and_column_in_chinese(world, cells, column, text):
    number = id_number(datetime.date(1985, 3, 12))
    report = check(world, [person_row("好人", id_number()), person_row(number=number, **cells)])
    errors = messages_of(report)
    assert {row for row, _, _ in errors} == {3}
    assert any(letter == column and text in message for _, letter, message in errors), errors
    assert report.counts["create"] == 1


def test_it_accepts_full_width_digits_serial_dates_and_codes(world):
    number = id_number(datetime.date(1985, 3, 12))
    full_width = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    row = person_row(number=full_width, 出生日期=31118, 民族="01", 政治面貌="13", 学历="21")
    row["手机号码"] = "１３９１２３４５６７８"
    report = check(world, [row])
    assert report.errors == []
    values = report.rows[0].values
    assert values["id_number"] == number
    assert values["birth_date"] == datetime.date(1985, 3, 12)
    assert values["work_start_date"] == datetime.date(2008, 7, 1)
    assert values["phone"] == "13912345678"
    assert (values["ethnicity"], values["political_status"], values["education"]) == (
        "01",
        "13",
        "21",
    )
    assert "参加工作时间只填到月，按2008-07-01记录" in report.rows[0].notes


def test_it_takes_the_day_of_a_month_only_birth_date_from_the_id_number(world):
    report = check(world, [person_row(出生日期="1985.03")])
    assert report.errors == []
    assert report.rows[0].values["birth_date"] == datetime.date(1985, 3, 12)


def test_it_reports_an_id_number_excel_turned_into_a_number(world):
    row = person_row(公民身份号码=2.10302198503121e17)
    [(_, column, message)] = messages_of(check(world, [row]))
    assert column == "B" and "存成了数字" in message


def test_it_reports_duplicate_id_numbers_on_each_duplicate_row(world):
    number = id_number()
    report = check(world, [person_row(number=number), person_row(), person_row(number=number)])
    assert messages_of(report) == [
        (2, "B", "身份证号码与第4行重复"),
        (4, "B", "身份证号码与第2行重复"),
    ]


def test_it_reports_the_row_over_the_approved_establishment(world):
    establishment.establishment_approve(
        actor=SYSTEM,
        unit=world["school"],
        category=EstablishmentCategory.INSTITUTION,
        approved=1,
        document_number="鞍编发〔2026〕1号",
    )
    hire = {"编制类别": "事业编制", "入编文号": "鞍人发〔2026〕5号"}
    report = check(world, [person_row(**hire), person_row("第二人", **hire)])
    [(row, column, message)] = messages_of(report)
    assert (row, column) == (3, "J")
    assert "「鞍山市第一中学」事业编制不足" in message and "本次需2名" in message


def test_it_finds_headers_below_a_title_row_and_skips_the_notes_row(world):
    data = xlsx(
        [["【说明行，导入时跳过】必填"], person_row()],
        before=[["鞍山市第一中学人员信息表"]],
    )
    report = imports.import_check(data, world["member"])
    assert report.errors == [] and report.counts["create"] == 1
    assert report.rows[0].number == 4


def _txt():
    return "姓名,公民身份号码\n张三,210302198503120011\n".encode()


def _corrupt_zip():
    data = bytearray(xlsx([person_row()]))
    data[100:400] = b"\x00" * 300
    return bytes(data)


def _zip_not_excel():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as z:
        z.writestr("hello.txt", "你好")
    return output.getvalue()


def _empty():
    output = io.BytesIO()
    openpyxl.Workbook().save(output)
    return output.getvalue()


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (_txt, "不是有效的Excel"),
        (_corrupt_zip, "无法读取"),
        (_zip_not_excel, "无法读取"),
        (_empty, "第一个工作表是空的"),
        (lambda: xlsx([["张三", "x"]], headers=["名字", "号码"]), "表头不正确"),
        (lambda: xlsx([["张三", "x"]], headers=["姓名", "公民身份号码"]), "缺少必需的列"),
        (lambda: xlsx([]), "没有人员数据"),
    ],
)
def test_it_rejects_a_malformed_file_with_one_clear_message(client, world, make, text):
    client.force_login(world["member"])
    response = upload(client, make())
    assert response.status_code == 400
    assert text in response.context["problem"]
    assert Person.objects.count() == 0


def test_it_refuses_a_file_over_10_mb(client, world, settings):
    client.force_login(world["member"])
    response = upload(client, b"PK" + b"0" * (imports.MAX_BYTES + 1))
    assert response.status_code == 400 and "不能超过10 MB" in response.context["problem"]


def test_it_checks_a_long_file_with_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    rows = [person_row(f"人员{i}", 单位名称="鞍山市第一中学") for i in range(300)]
    data = xlsx(rows)
    with django_assert_max_num_queries(8):
        report = imports.import_check(data, world["member"])
    assert report.counts["create"] == 300


# --- Writing ------------------------------------------------------------------------------------


def test_it_imports_a_clean_file_through_the_services(client, world):
    client.force_login(world["owner"])
    hire = {"编制类别": "事业编制", "入编文号": "鞍人发〔2026〕5号"}
    establishment.establishment_approve(
        actor=SYSTEM,
        unit=world["school"],
        category=EstablishmentCategory.INSTITUTION,
        approved=1,
        document_number="鞍编发〔2026〕1号",
    )
    number = id_number()
    rows = [
        person_row(number=number, **hire),
        person_row("李小红", id_number(male=False), 性别="女"),
    ]
    response = confirm(client, upload(client, xlsx(rows)))
    assert response.status_code == 200
    assert (response.context["result"].created, response.context["result"].updated) == (2, 0)
    person = Person.objects.get(id_number_hash=crypto.blind_index(number))
    assert person.unit == world["school"] and person.category == EstablishmentCategory.INSTITUTION
    assert person.education == "21" and person.work_start_date == datetime.date(2008, 7, 1)
    assert SlotOccupancy.objects.filter(person=person, end_date__isnull=True).exists()
    actions = set(AuditEvent.objects.filter(actor=world["owner"]).values_list("action", flat=True))
    assert {"person.create", "person.hire", "person.education.add", "person.import"} <= actions


def test_it_writes_nothing_when_the_file_has_errors_and_all_is_chosen(client, world):
    client.force_login(world["member"])
    response = upload(client, xlsx([person_row(), person_row(民族="火星族")]))
    events = AuditEvent.objects.count()
    response = confirm(client, response, mode="all")
    assert "改正后才能全部导入" in response.context["problem"]
    assert Person.objects.count() == 0 and AuditEvent.objects.count() == events


def test_it_imports_only_the_good_rows_when_asked(client, world):
    client.force_login(world["member"])
    good = id_number()
    response = upload(client, xlsx([person_row(number=good), person_row("坏人", 民族="火星族")]))
    response = confirm(client, response, mode="valid")
    result = response.context["result"]
    assert (result.created, result.skipped) == (1, 1)
    assert list(Person.objects.values_list("name", flat=True)) == ["王小明"]


def test_it_updates_by_id_number_and_audits_only_what_changed(client, world):
    person = make_person(world["school"], name="张三")
    number = crypto.decrypt(person.id_number_cipher)
    client.force_login(world["owner"])
    row = person_row("张三", number, 政治面貌="中国共产党党员", 学历=None, 参加工作时间=None)
    response = upload(client, xlsx([row]))
    assert response.context["counts"]["update"] == 1
    confirm(client, response)
    person.refresh_from_db()
    assert person.political_status == "01"
    event = AuditEvent.objects.get(action="person.update", object_id=str(person.pk))
    assert event.before == {"political_status": "13"} and event.after == {"political_status": "01"}
    assert "Excel导入" in event.note
    assert Person.objects.count() == 1


def test_it_reports_an_unchanged_row_and_keeps_blank_cells(world):
    person = make_person(world["school"], name="张三", native_place="辽宁鞍山")
    number = crypto.decrypt(person.id_number_cipher)
    row = person_row("张三", number, 政治面貌=None, 学历=None, 参加工作时间=None, 民族=None)
    report = check(world, [row])
    assert report.counts["unchanged"] == 1 and report.errors == []


def test_it_refuses_to_move_or_change_status_of_an_existing_person_by_import(world):
    person = make_person(world["school"], name="张三")
    number = crypto.decrypt(person.id_number_cipher)
    report = check(world, [person_row("张三", number, 单位名称="鞍山市教育局", 学历=None)])
    [(_, column, message)] = messages_of(report)
    assert column == "I" and "调动须通过调动业务办理" in message


def test_it_adds_the_education_record_of_a_re_imported_person(client, world):
    person = make_person(world["school"], name="张三")
    number = crypto.decrypt(person.id_number_cipher)
    client.force_login(world["member"])
    confirm(client, upload(client, xlsx([person_row("张三", number, 学历="硕士研究生毕业")])))
    assert list(EducationRecord.objects.filter(person=person).values_list("education", flat=True))
    person.refresh_from_db()
    assert person.education == "14"


# --- Who ----------------------------------------------------------------------------------------


def test_it_does_not_let_a_clerk_import_into_a_unit_outside_their_scope(client, world):
    client.force_login(world["outsider"])
    response = upload(client, xlsx([person_row(单位名称="鞍山市第一中学")]))
    [error] = response.context["errors"]
    assert error.column == "I" and "不存在或不在您的管理范围内" in error.message
    confirm(client, response, mode="valid")
    assert Person.objects.count() == 0


def test_it_does_not_let_a_clerk_update_a_person_outside_their_scope(world):
    person = make_person(world["school"], name="张三")
    number = crypto.decrypt(person.id_number_cipher)
    row = person_row("张三", number, 单位名称="鞍山市财政局", 学历=None)
    messages = [m for _, _, m in messages_of(check(world, [row], user="outsider"))]
    assert any("管理范围以外" in m for m in messages)


@pytest.mark.parametrize(
    "role", [Role.ESTABLISHMENT, Role.BUREAU_LEADER, Role.HALL_WINDOW, Role.SYSTEM_ADMIN]
)
def test_it_returns_404_to_roles_that_do_not_edit_people(client, world, role):
    client.force_login(UserFactory(role=role))
    assert client.get(UPLOAD).status_code == 404
    assert client.get("/personnel/import/template/").status_code == 404
    assert upload(client, xlsx([person_row()])).status_code == 404


def test_it_returns_404_to_a_clerk_without_a_unit(client):
    client.force_login(UserFactory(role=Role.UNIT_CLERK))
    assert client.get(UPLOAD).status_code == 404


def test_it_does_not_confirm_another_users_upload(client, world):
    client.force_login(world["owner"])
    response = upload(client, xlsx([person_row()]))
    token = response.context["token"]
    client.force_login(world["member"])
    assert client.post(f"/personnel/import/{token}/confirm/", {"mode": "all"}).status_code == 404
    assert client.get(f"/personnel/import/{token}/errors/").status_code == 404
    assert Person.objects.count() == 0


def test_it_forgets_the_upload_after_the_import(client, world):
    client.force_login(world["member"])
    response = upload(client, xlsx([person_row()]))
    assert confirm(client, response).status_code == 200
    assert confirm(client, response).status_code == 404
    assert Person.objects.count() == 1


# --- Template and error report ------------------------------------------------------------------


def test_it_serves_a_template_with_drop_downs_and_a_code_sheet(client, world):
    client.force_login(world["owner"])
    response = client.get("/personnel/import/template/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["人员信息"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["姓名", "公民身份号码", "性别"] and "单位名称" in headers
    assert sheet["A2"].value.startswith("【")
    formulas = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any("代码表" in f for f in formulas)
    codes_sheet = book["代码表"]
    names = [c.value for row in codes_sheet.iter_rows() for c in row]
    assert "汉族" in names and "鞍山市第一中学" in names and "鞍山市财政局" not in names


def test_it_reads_back_its_own_template_once_filled_in(client, world):
    client.force_login(world["owner"])
    response = client.get("/personnel/import/template/")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["人员信息"]
    headers = [c.value for c in sheet[1]]
    row = person_row()
    for column, header in enumerate(headers, start=1):
        sheet.cell(row=3, column=column, value=row.get(header))
    output = io.BytesIO()
    book.save(output)
    report = imports.import_check(output.getvalue(), world["owner"])
    assert report.errors == [] and report.counts["create"] == 1


def test_it_offers_an_error_report_with_an_error_column(client, world):
    client.force_login(world["member"])
    response = upload(client, xlsx([person_row(), person_row("坏人", 民族="火星族")]))
    token = response.context["token"]
    download = client.get(f"/personnel/import/{token}/errors/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "原行号" and rows[0][-1] == "错误信息"
    assert len(rows) == 2 and rows[1][0] == 3 and rows[1][1] == "坏人"
    assert "E列民族" in rows[1][-1] and "火星族" in rows[1][-1]


def _fail_for(monkeypatch, name):
    """A row that passed the dry run but fails when written (e.g. a race with another clerk)."""
    real = imports.people.person_create

    def person_create(**kwargs):
        if kwargs["name"] == name:
            raise imports.PersonnelError("写入时失败")
        return real(**kwargs)

    monkeypatch.setattr(imports.people, "person_create", person_create)


def test_it_rolls_back_everything_when_a_row_fails_while_importing_all(client, world, monkeypatch):
    client.force_login(world["member"])
    response = upload(client, xlsx([person_row("甲"), person_row("乙", id_number())]))
    _fail_for(monkeypatch, "乙")
    response = confirm(client, response)
    assert "第3行：写入时失败；未导入任何数据" in response.context["problem"]
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="person.").exists()


def test_it_reports_a_row_failing_while_importing_good_rows(client, world, monkeypatch):
    client.force_login(world["member"])
    response = upload(client, xlsx([person_row("甲"), person_row("乙", id_number())]))
    _fail_for(monkeypatch, "乙")
    result = confirm(client, response, mode="valid").context["result"]
    assert result.created == 1 and [(f.row, f.message) for f in result.failures] == [
        (3, "写入时失败")
    ]
    assert list(Person.objects.values_list("name", flat=True)) == ["甲"]
