import datetime
import io

import openpyxl
import pytest

from renshi.core.models import AuditEvent
from renshi.core.tests.factories import UserFactory
from renshi.exams import positions_import as pi
from renshi.exams.errors import ExamError
from renshi.exams.models import ExamStatus, Position
from renshi.exams.tests.factories import make_exam, make_position
from renshi.personnel.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def row(**overrides):
    values = dict(pi.EXAMPLE_ROW)
    values.update(overrides)
    return values


def xlsx(rows, headers=None, title=None) -> bytes:
    headers = headers or pi.NATIONAL_HEADERS + pi.EXTRA_HEADERS
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append([*headers, "自定义列"])
    for values in rows:
        sheet.append([values.get(h, "") for h in headers] + ["忽略我"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def exam():
    return make_exam(status=ExamStatus.DRAFT)


@pytest.fixture
def office():
    return UserFactory(role="exam_office")


def test_template_has_the_29_columns_and_the_extras():
    book = openpyxl.load_workbook(io.BytesIO(pi.template_workbook()))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:29] == pi.NATIONAL_HEADERS
    assert len(pi.NATIONAL_HEADERS) == 29
    assert header[29:] == ["出生日期起止", "考区"]
    assert sheet["I2"].value == "210300100001"


def test_the_template_example_imports_cleanly(exam, office):
    unit = make_unit(name="鞍山市财政局")
    report = pi.position_check(pi.template_workbook(), exam)
    assert report.fatal == "" and report.errors == []
    result = pi.position_import(actor=office, exam=exam, report=report, only_valid=False)
    assert result.created == 1
    p = Position.objects.get(exam=exam, code="210300100001")
    assert p.unit == unit
    assert p.hiring_unit_name == "鞍山市财政局" and p.title == "财务管理一级科员"
    assert p.plan_count == p.original_plan_count == 2
    assert p.education_levels == ["11", "14", "21"]
    assert p.degree_rule == "matching"
    assert p.major_codes == ["120203", "120204"] and p.major_names == ["审计学"]
    assert p.political_rule == "any" and p.min_grassroots_years == 0
    assert p.born_from == datetime.date(1990, 10, 16)
    assert p.born_to == datetime.date(2008, 10, 16)
    assert p.fresh_graduate_only is True
    assert p.conditions == "限应届毕业生报考；本科须取得CET-4证书"
    assert p.interview_ratio == 3
    assert p.area == exam.areas.get()
    assert p.raw["招录机关"] == "鞍山市财政局" and p.raw["机构层级"] == "市(地)级"
    assert "自定义列" not in p.raw
    assert AuditEvent.objects.filter(action="position.import").count() == 1


def test_dry_run_reports_every_error_by_row_and_column(exam):
    data = xlsx(
        [
            row(职位代码="21030010000"),  # 11 digits
            row(职位代码="210300100002", 招考人数="两"),
            row(职位代码="210300100002", 招考人数=0),  # duplicate + not positive
            row(职位代码="210300100004", 学历="本科以下"),
            row(职位代码="210300100005", 出生日期起止="九十年代"),
            row(职位代码="210300100006", 学位="学者", 政治面貌="民主党派"),
            row(职位代码="210300100007", 基层工作最低年限="很多年", 面试人员比例="三比一"),
            row(职位代码="210300100008", 考区="火星考区", 招录机关=""),
        ],
        title="2026年度鞍山市公务员考试录用职位表",
    )
    report = pi.position_check(data, exam)
    assert report.fatal == ""
    found = {(e.row, e.column, e.header): e.message for e in report.errors}
    assert found[(3, "I", "职位代码")] == "职位代码「21030010000」应为12位数字"
    assert found[(4, "L", "招考人数")] == "招考人数「两」应为正整数"
    assert found[(5, "L", "招考人数")] == "招考人数「0」应为正整数"
    assert found[(5, "I", "职位代码")] == "职位代码与第4行重复"
    assert found[(6, "N", "学历")].startswith("无法识别的学历要求「本科以下」")
    assert found[(7, "AD", "出生日期起止")].startswith("出生日期起止「九十年代」无法识别")
    assert found[(8, "O", "学位")].startswith("无法识别的学位要求「学者」")
    assert found[(8, "P", "政治面貌")].startswith("无法识别的政治面貌要求「民主党派」")
    assert found[(9, "Q", "基层工作最低年限")].startswith("无法识别的基层工作最低年限")
    assert found[(9, "T", "面试人员比例")] == "面试人员比例「三比一」应写作如「3:1」"
    assert found[(10, "AE", "考区")] == "考区「火星考区」不是本考试的考区"
    assert found[(10, "B", "招录机关")] == "招录机关不能为空"
    assert report.ignored_headers == ["自定义列"]
    assert report.counts == {"create": 0, "update": 0, "error": 8}


def test_all_or_nothing_and_good_rows_only(exam, office):
    data = xlsx([row(职位代码="210300100001"), row(职位代码="bad")])
    report = pi.position_check(data, exam)
    with pytest.raises(ExamError, match="文件中有1行错误"):
        pi.position_import(actor=office, exam=exam, report=report, only_valid=False)
    assert not Position.objects.filter(exam=exam).exists()
    result = pi.position_import(actor=office, exam=exam, report=report, only_valid=True)
    assert (result.created, result.skipped) == (1, 1)


def test_update_by_code(exam, office):
    make_position(exam, code="210300100001", title="旧职位名", plan_count=5)
    data = xlsx([row(招考人数=3, 学历="仅限本科")])
    report = pi.position_check(data, exam)
    assert report.counts == {"create": 0, "update": 1, "error": 0}
    result = pi.position_import(actor=office, exam=exam, report=report, only_valid=False)
    assert result.updated == 1
    p = Position.objects.get(exam=exam, code="210300100001")
    assert (p.title, p.plan_count, p.original_plan_count) == ("财务管理一级科员", 3, 3)
    assert p.education_levels == ["21"]
    event = AuditEvent.objects.get(action="position.import_update")
    assert event.before["title"] == "旧职位名"


def test_missing_required_columns(exam):
    headers = [h for h in pi.NATIONAL_HEADERS if h not in ("学历", "招考人数")]
    report = pi.position_check(xlsx([row()], headers=headers), exam)
    assert report.fatal == "缺少必需的列：招考人数、学历"


def test_not_an_excel_file(exam):
    report = pi.position_check(b"not a spreadsheet", exam)
    assert "不是有效的Excel" in report.fatal


def test_published_exam_refuses_import(office):
    exam = make_exam()
    report = pi.position_check(pi.template_workbook(), exam)
    assert "变更公告" in report.fatal


def test_default_birth_window_and_area_from_the_form(exam):
    second = exam.areas.create(code="02", name="海城考区")
    headers = list(pi.NATIONAL_HEADERS)
    report = pi.position_check(
        xlsx([row()], headers=headers),
        exam,
        default_born_from=datetime.date(1991, 3, 1),
        default_born_to=datetime.date(2008, 3, 1),
        default_area=second,
    )
    fields = report.rows[0].fields
    assert fields["born_from"] == datetime.date(1991, 3, 1)
    assert fields["born_to"] == datetime.date(2008, 3, 1)
    assert fields["area"] == second


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("1990-10-16至2008-10-16", ((1990, 10, 16), (2008, 10, 16))),
        ("1990年10月16日至2008年10月16日", ((1990, 10, 16), (2008, 10, 16))),
        ("1987年1月至2005年2月", ((1987, 1, 1), (2005, 2, 28))),
        ("1990.10.16~2008.10.16", ((1990, 10, 16), (2008, 10, 16))),
        ("1972年10月16日以后出生", ((1972, 10, 16), None)),
        ("2008-10-16以前", (None, (2008, 10, 16))),
        ("", (None, None)),
    ],
)
def test_parse_birth_window(text, window):
    def d(t):
        return datetime.date(*t) if t else None

    assert pi.parse_birth_window(text) == (d(window[0]), d(window[1]))


@pytest.mark.parametrize("text", ["2008-10-16至1990-10-16", "1990-13-01至2008-10-16", "明年"])
def test_parse_birth_window_refuses(text):
    with pytest.raises(pi.CellError):
        pi.parse_birth_window(text)


@pytest.mark.parametrize(
    ("note", "distribution", "flags"),
    [
        ("仅招录应届毕业生", "", {"fresh_graduate_only": True}),
        ("限应届生（能开具2018年毕业生报到证）", "", {"fresh_graduate_only": True}),
        ("非应届毕业生应持有三管轮证书", "", {}),
        ("限招男性", "", {"sex": "1"}),
        ("适合男性", "", {}),
        ("限女性", "", {"sex": "2"}),
        ("", "西部地区和艰苦边远地区职位", {"special_ratio": True}),
        ("村(社区)干部专门职位", "", {"special_ratio": True}),
        ("鼓励湖北省户籍生源报考", "", {}),
    ],
)
def test_conditions_keywords(note, distribution, flags):
    assert pi.conditions_flags(note, distribution) == flags
