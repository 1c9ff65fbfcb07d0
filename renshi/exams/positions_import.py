"""Position table (职位表) import from .xlsx laid out like the national table (29 columns).

`position_check` reads the file and reports every problem by row and column without writing;
`position_import` writes the checked rows (all, or only the good ones) in one transaction, creating
positions or updating them by 职位代码, and keeps each raw row in `Position.raw`.

The national table has no birth-date column (the window is in the announcement), so an
optional extra column 出生日期起止 is read when present, else the window given on the import form.
An optional 考区 column (name or code) chooses the exam area; else the form's default area.
"""

import calendar
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.db import transaction
from openpyxl.utils import get_column_letter

from renshi.core.audit import audit_record, changed, snapshot
from renshi.exams import eligibility, majors
from renshi.exams.errors import ExamError
from renshi.exams.models import Exam, Position
from renshi.exams.services.office import POSITION_FIELDS, PUBLISHED_LOCKED
from renshi.personnel.imports import text_of
from renshi.personnel.models import Unit

MAX_BYTES = 10 * 1024 * 1024

# The 29 columns of the national table, in order (reference §2.1).
NATIONAL_HEADERS = [
    "部门代码",
    "招录机关",
    "用人司局",
    "机构性质",
    "招考职位",
    "职位属性",
    "职位分布",
    "职位简介",
    "职位代码",
    "机构层级",
    "考试类别",
    "招考人数",
    "专业",
    "学历",
    "学位",
    "政治面貌",
    "基层工作最低年限",
    "服务基层项目工作经历",
    "是否在面试阶段组织专业能力测试",
    "面试人员比例",
    "工作地点",
    "落户地点",
    "备注",
    "部门网站",
    "咨询电话1",
    "咨询电话2",
    "咨询电话3",
    "行政职业能力测验分数线",
    "总分分数线",
]
BIRTH_HEADER = "出生日期起止"
AREA_HEADER = "考区"
EXTRA_HEADERS = [BIRTH_HEADER, AREA_HEADER]
REQUIRED_HEADERS = [
    "招录机关",
    "招考职位",
    "职位代码",
    "招考人数",
    "专业",
    "学历",
    "学位",
    "政治面貌",
    "基层工作最低年限",
    "备注",
]
EXAMPLE_ROW = {
    "部门代码": "210300",
    "招录机关": "鞍山市财政局",
    "用人司局": "综合科",
    "机构性质": "行政机关",
    "招考职位": "财务管理一级科员",
    "职位属性": "普通职位",
    "职位分布": "其他职位",
    "职位简介": "从事财政资金监督管理工作",
    "职位代码": "210300100001",
    "机构层级": "市(地)级",
    "考试类别": "市(地)以下",
    "招考人数": 2,
    "专业": "会计学(120203)、财务管理(120204)、审计学",
    "学历": "本科及以上",
    "学位": "与最高学历相对应的学位",
    "政治面貌": "不限",
    "基层工作最低年限": "无限制",
    "服务基层项目工作经历": "无限制",
    "是否在面试阶段组织专业能力测试": "否",
    "面试人员比例": "3:1",
    "工作地点": "辽宁省鞍山市",
    "落户地点": "辽宁省鞍山市",
    "备注": "限应届毕业生报考；本科须取得CET-4证书",
    "部门网站": "http://czj.anshan.gov.cn",
    "咨询电话1": "0412-2222222",
    "咨询电话2": "",
    "咨询电话3": "",
    "行政职业能力测验分数线": "",
    "总分分数线": "",
    BIRTH_HEADER: "1990年10月16日至2008年10月16日",
    AREA_HEADER: "",
}

DEGREES = {
    "": "none",
    "无要求": "none",
    "不限": "none",
    "无": "none",
    "学士": "bachelor",
    "学士及以上": "bachelor",
    "学士学位": "bachelor",
    "硕士": "master",
    "硕士及以上": "master",
    "硕士学位": "master",
    "博士": "doctor",
    "博士学位": "doctor",
    "与最高学历相对应的学位": "matching",
    "取得相应学位": "matching",
}
POLITICAL = {
    "": "any",
    "不限": "any",
    "无限制": "any",
    "中共党员": "party",
    "中共党员(含预备党员)": "party",
    "中共党员或共青团员": "party_or_league",
    "共青团员或中共党员": "party_or_league",
}
YEARS = {"": 0, "无限制": 0, "不限": 0, "无": 0, "一年": 1, "二年": 2, "两年": 2, "三年": 3}
YEARS.update({"四年": 4, "五年": 5})

# 备注 wording that restricts (the soft "鼓励…"/"适合男性" does not).
FRESH_RE = re.compile(r"(仅限|限|仅招录?|只招)[^，,。；;]{0,6}应届")
MALE_RE = re.compile(r"(仅限|限|仅招|只招)(招录?)?男")
FEMALE_RE = re.compile(r"(仅限|限|仅招|只招)(招录?)?女")
FLAG_NAMES = {"fresh_graduate_only": "限应届毕业生", "sex": "限定性别", "special_ratio": "特殊职位"}
SPECIAL_RE = re.compile(r"艰苦边远|村[(（]?社区[)）]?干部|村[(（]社区[)）]")


@dataclass
class Issue:
    row: int
    column: str  # letter, "" for the whole row
    header: str
    message: str


@dataclass
class Row:
    number: int
    code: str = ""
    fields: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    existing_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Report:
    rows: list = field(default_factory=list)
    fatal: str = ""
    missing_headers: list = field(default_factory=list)
    ignored_headers: list = field(default_factory=list)

    @property
    def errors(self) -> list:
        return [e for row in self.rows for e in row.errors]

    @property
    def counts(self) -> dict:
        good = [r for r in self.rows if r.ok]
        return {
            "create": sum(1 for r in good if r.existing_id is None),
            "update": sum(1 for r in good if r.existing_id is not None),
            "error": sum(1 for r in self.rows if not r.ok),
        }


class CellError(Exception):
    pass


# --- Cell parsers (each raises CellError with the Chinese message) -----------------------------


def _header(value) -> str:
    return re.sub(r"\s|\*", "", text_of(value))


def parse_code(text: str) -> str:
    if not re.fullmatch(r"\d{12}", text):
        raise CellError(f"职位代码「{text}」应为12位数字" if text else "职位代码不能为空")
    return text


def parse_plan(text: str) -> int:
    if not re.fullmatch(r"\d+", text) or not 1 <= int(text) <= 999:
        raise CellError(f"招考人数「{text}」应为正整数" if text else "招考人数不能为空")
    return int(text)


def parse_lookup(table: dict, text: str, label: str) -> str | int:
    key = re.sub(r"\s", "", text)
    if key not in table:
        known = "、".join(k for k in table if k)
        raise CellError(f"无法识别的{label}「{text}」（可用：{known}）")
    return table[key]


def parse_years(text: str) -> int:
    key = re.sub(r"\s", "", text)
    match = re.fullmatch(r"(\d+)年?(以上)?", key)
    if match:
        return int(match.group(1))
    return parse_lookup(YEARS, key.removesuffix("以上"), "基层工作最低年限")


def parse_ratio(text: str) -> int:
    if not text:
        return 3
    match = re.fullmatch(r"(\d+)\s*[:：]\s*(\d+)", text)
    if not match or "1" not in (match.group(1), match.group(2)):
        raise CellError(f"面试人员比例「{text}」应写作如「3:1」")
    return max(int(match.group(1)), int(match.group(2)))


_DATE = r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})(?:\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?|\s*月)?"


def _date(match, *, end: bool) -> datetime.date:
    year, month = int(match.group(1)), int(match.group(2))
    if match.group(3):
        day = int(match.group(3))
    else:  # month granularity ("1987年1月至2005年1月"): the whole month is inside
        day = calendar.monthrange(year, month)[1] if end and 1 <= month <= 12 else 1
    return datetime.date(year, month, day)


def parse_birth_window(text: str) -> tuple[datetime.date | None, datetime.date | None]:
    """'1990-10-16至2008-10-16', '1990年10月16日至2008年10月16日', '1987年1月至2005年1月',
    '1990-10-16以后', '2008-10-16以前' → (born_from, born_to), both inclusive."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None, None
    parts = re.split(r"\s*(?:至|到|~|～|—|–)\s*", text)
    try:
        if len(parts) == 2:
            first, second = (re.fullmatch(_DATE + r"\s*", p) for p in parts)
            if (parts[0] and not first) or (parts[1] and not second) or not (first or second):
                raise ValueError
            start = _date(first, end=False) if first else None
            end = _date(second, end=True) if second else None
        else:
            match = re.fullmatch(_DATE + r"\s*(以后|及以后|以前|及以前|之后|之前)(出生)?", text)
            if not match:
                raise ValueError
            after = match.group(4).endswith("后")
            start = _date(match, end=False) if after else None
            end = None if after else _date(match, end=True)
    except ValueError:
        raise CellError(
            f"出生日期起止「{text}」无法识别，应写作如「1990-10-16至2008-10-16」"
            "或「1990年10月16日至2008年10月16日」"
        ) from None
    if start and end and start > end:
        raise CellError(f"出生日期起止「{text}」的起始日期晚于截止日期")
    return start, end


def conditions_flags(note: str, distribution: str = "") -> dict:
    """What the 备注 (and 职位分布) say that the system can act on; the text stays for review."""
    flags = {}
    if FRESH_RE.search(note):
        flags["fresh_graduate_only"] = True
    if MALE_RE.search(note):
        flags["sex"] = "1"
    elif FEMALE_RE.search(note):
        flags["sex"] = "2"
    if SPECIAL_RE.search(note) or SPECIAL_RE.search(distribution):
        flags["special_ratio"] = True
    return flags


# --- Reading -----------------------------------------------------------------------------------


def read_sheet(data: bytes, key="职位代码", template="职位表") -> tuple[list, int, list]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise CellError("文件不是有效的Excel（.xlsx）文件，请用Excel另存为.xlsx格式后重新上传")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [(n, tuple(r)) for n, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
        book.close()
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean the same to a user
        raise CellError("文件已损坏或不是Excel（.xlsx）文件，无法读取") from None
    rows = [(n, r) for n, r in rows if any(text_of(v) for v in r)]
    # A title row ("2026年度鞍山市公务员考试录用职位表") may sit above the header.
    for index, (number, cells) in enumerate(rows[:5]):
        if key in {_header(v) for v in cells}:
            return list(cells), number, rows[index + 1 :]
    raise CellError(f"表头不正确：找不到「{key}」列，请下载{template}模板填写")


def position_check(
    data: bytes, exam, *, default_born_from=None, default_born_to=None, default_area=None
) -> Report:
    report = Report()
    if exam.status != "draft":
        report.fatal = PUBLISHED_LOCKED
        return report
    try:
        headers, header_row, rows = read_sheet(data)
    except CellError as e:
        report.fatal = str(e)
        return report
    columns = {}
    for index, value in enumerate(headers):
        name = _header(value)
        if name in NATIONAL_HEADERS or name in EXTRA_HEADERS:
            columns.setdefault(name, index)
        elif name:
            report.ignored_headers.append(name)
    report.missing_headers = [h for h in REQUIRED_HEADERS if h not in columns]
    if report.missing_headers:
        report.fatal = "缺少必需的列：" + "、".join(report.missing_headers)
        return report
    if not rows:
        report.fatal = f"第{header_row}行表头之下没有职位数据"
        return report

    areas = list(exam.areas.all())
    if default_area is None and len(areas) == 1:
        default_area = areas[0]
    units = _units_by_name()
    seen: dict[str, int] = {}
    for number, cells in rows:
        row = _parse_row(number, cells, columns, areas, units)
        if BIRTH_HEADER not in columns or not row.raw.get(BIRTH_HEADER):
            row.fields["born_from"] = default_born_from
            row.fields["born_to"] = default_born_to
        if row.fields.get("area") is None:
            row.fields["area"] = default_area
        if row.code:
            if row.code in seen:
                row.errors.append(
                    _issue(row, columns, "职位代码", f"职位代码与第{seen[row.code]}行重复")
                )
            else:
                seen[row.code] = number
        report.rows.append(row)
    existing = dict(
        Position.objects.filter(exam=exam, code__in=list(seen)).values_list("code", "pk")
    )
    for row in report.rows:
        row.existing_id = existing.get(row.code)
    return report


def _issue(row: Row, columns: dict, header: str, message: str) -> Issue:
    index = columns.get(header)
    letter = get_column_letter(index + 1) if index is not None else ""
    return Issue(row=row.number, column=letter, header=header, message=message)


def _units_by_name() -> dict[str, int | None]:
    """Unit name → id when exactly one active unit has that name (or short name)."""
    found: dict[str, set] = {}
    for pk, name, short in Unit.objects.filter(is_active=True).values_list(
        "pk", "name", "short_name"
    ):
        for key in {name, short} - {"", None}:
            found.setdefault(key, set()).add(pk)
    return {k: (next(iter(v)) if len(v) == 1 else None) for k, v in found.items()}


def _parse_row(number, cells, columns, areas, units) -> Row:
    row = Row(number=number)

    def value(header):
        index = columns.get(header)
        return cells[index] if index is not None and index < len(cells) else None

    def cell(header):
        return text_of(value(header))

    def written(header):
        """Free text as published (no width folding: 全角标点 stay)."""
        text = value(header)
        return text_of(text) if not isinstance(text, str) else text.strip()

    row.raw = {h: written(h) for h in columns}
    row.raw = {h: v for h, v in row.raw.items() if v}
    f = row.fields

    def parse(header, parser, target=None):
        try:
            value = parser(cell(header))
        except CellError as e:
            row.errors.append(_issue(row, columns, header, str(e)))
            return None
        if target:
            f[target] = value
        return value

    row.code = parse("职位代码", parse_code) or ""
    parse("招考人数", parse_plan, "plan_count")
    for header, target in (("招录机关", "hiring_unit_name"), ("招考职位", "title")):
        if cell(header):
            f[target] = cell(header)[:100]
        else:
            row.errors.append(_issue(row, columns, header, f"{header}不能为空"))

    def education(text):
        try:
            return eligibility.parse_education(text)
        except ValueError as e:
            raise CellError(str(e)) from None

    parse("学历", education, "education_levels")
    parse("学位", lambda t: parse_lookup(DEGREES, t, "学位要求"), "degree_rule")
    parse("政治面貌", lambda t: parse_lookup(POLITICAL, t, "政治面貌要求"), "political_rule")
    parse("基层工作最低年限", parse_years, "min_grassroots_years")
    parse("面试人员比例", parse_ratio, "interview_ratio")
    if BIRTH_HEADER in columns and cell(BIRTH_HEADER):
        window = parse(BIRTH_HEADER, parse_birth_window)
        if window:
            f["born_from"], f["born_to"] = window
    f["major_codes"], f["major_names"] = majors.parse_requirement(cell("专业"))

    conditions = [written("备注")] if written("备注") else []
    service = written("服务基层项目工作经历")
    if service and service not in ("无限制", "不限", "无"):
        conditions.append(f"服务基层项目工作经历：{service}")
    f["conditions"] = "\n".join(conditions)
    flags = conditions_flags(cell("备注"), cell("职位分布"))
    f.update({"fresh_graduate_only": False, "sex": "", "special_ratio": False, **flags})
    if flags:
        said = "、".join(FLAG_NAMES[k] for k in flags)
        row.notes.append(f"备注中识别到：{said}（原文留待人工审核）")

    f["department_code"] = cell("部门代码")[:20]
    f["bureau"] = cell("用人司局")[:100]
    f["description"] = written("职位简介")
    f["work_place"] = cell("工作地点")[:100]
    phones = [cell(f"咨询电话{i}") for i in (1, 2, 3)]
    f["phone"] = " / ".join(p for p in phones if p)[:60]
    f["unit_id"] = units.get(f.get("hiring_unit_name", ""))
    if f.get("hiring_unit_name") and f["unit_id"] is None:
        row.notes.append(
            f"招录机关「{f['hiring_unit_name']}」未匹配到单位，该职位的报名由考试中心审核"
        )
    area_text = cell(AREA_HEADER)
    f["area"] = None
    if area_text:
        match = [a for a in areas if area_text in (a.name, a.code)]
        if match:
            f["area"] = match[0]
        else:
            row.errors.append(
                _issue(row, columns, AREA_HEADER, f"考区「{area_text}」不是本考试的考区")
            )
    return row


# --- Writing -----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0


@transaction.atomic
def position_import(*, actor, exam, report: Report, only_valid: bool, filename="") -> ImportResult:
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if exam.status != "draft":
        raise ExamError(PUBLISHED_LOCKED)
    if report.fatal:
        raise ExamError(report.fatal)
    bad = [r for r in report.rows if not r.ok]
    if bad and not only_valid:
        raise ExamError(f"文件中有{len(bad)}行错误，改正后才能全部导入（或选择仅导入无误的行）")
    result = ImportResult(skipped=len(bad))
    existing = {p.code: p for p in Position.objects.select_for_update().filter(exam=exam)}
    new = []
    for row in report.rows:
        if not row.ok:
            continue
        values = {**row.fields, "raw": row.raw}
        position = existing.get(row.code)
        if position is None:
            new.append(
                Position(
                    exam=exam, code=row.code, original_plan_count=values["plan_count"], **values
                )
            )
            continue
        before = snapshot(position, POSITION_FIELDS)
        for key, value in values.items():
            setattr(position, key, value)
        position.original_plan_count = position.plan_count
        position.save()
        old, after = changed(before, snapshot(position, POSITION_FIELDS))
        if after:
            audit_record(
                actor=actor, action="position.import_update", obj=position, before=old, after=after
            )
        result.updated += 1
    Position.objects.bulk_create(new)
    result.created = len(new)
    audit_record(
        actor=actor,
        action="position.import",
        obj=exam,
        after={"created": result.created, "updated": result.updated, "skipped": result.skipped},
        note=f"职位表导入 {filename}"[:200],
    )
    return result


def template_workbook() -> bytes:
    """The 29 national headers + the extra columns and one example row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "职位表"
    headers = NATIONAL_HEADERS + EXTRA_HEADERS
    sheet.append(headers)
    sheet.append([EXAMPLE_ROW.get(h, "") for h in headers])
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
