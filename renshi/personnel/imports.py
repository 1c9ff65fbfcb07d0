"""Excel import of people: read, check every cell (dry run), then write good rows through services.

The dry run and the write share one parse: `import_check` builds a report of every error by row and
column; `people_import` writes only from such a report, in one transaction.
"""

import datetime
import io
import re
import unicodedata
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from renshi.core import codes, crypto, idnumbers
from renshi.core.audit import audit_record
from renshi.personnel import selectors
from renshi.personnel.errors import PersonnelError
from renshi.personnel.infoset import PERSON_A01
from renshi.personnel.models import (
    EducationRecord,
    EstablishmentCategory,
    EstablishmentLine,
    Person,
    PersonStatus,
)
from renshi.personnel.services import establishment, events, people

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
NOTE_MARK = "【"  # a row whose first cell starts with this is the template's notes row
IMPORT_ENTRY_TYPE = "90"  # 进入方式：其他 (the file does not say how the person came in)


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str  # text, id, date, code, phone, choice
    table: str = ""
    max_length: int = 0
    note: str = ""


COLUMNS = [
    Column("姓名", "name", "text", max_length=50, note="必填"),
    Column("公民身份号码", "id_number", "id", note="必填，18位；已有此号码的人员将被更新"),
    Column("性别", "sex", "code", "sex", note="可不填，按身份证号码推算"),
    Column("出生日期", "birth_date", "date", note="可不填；如1985-03-12"),
    Column("民族", "ethnicity", "code", "ethnicity"),
    Column("政治面貌", "political_status", "code", "political"),
    Column("籍贯", "native_place", "text", max_length=40),
    Column("出生地", "birthplace", "text", max_length=40),
    Column("入党时间", "party_join_date", "date"),
    Column("参加工作时间", "work_start_date", "date", note="如1985-03-12、1985.03"),
    Column("健康状况", "health", "code", "health"),
    Column("婚姻状况", "marital_status", "code", "marital"),
    Column("学历", "education", "code", "education"),
    Column("单位名称", "unit_name", "text", note="新增人员必填（或填信用代码）"),
    Column("单位统一社会信用代码", "unit_credit_code", "text"),
    Column("编制类别", "category", "choice", note="填写则同时入编（须有空编）"),
    Column("入编日期", "hire_date", "date", note="不填为今天"),
    Column("入编文号", "hire_document", "text", max_length=60, note="填编制类别时必填"),
    Column("手机号码", "phone", "phone"),
    Column("人员状态", "status", "choice", note="不填为在职"),
]
BY_KEY = {c.key: c for c in COLUMNS}
ALIASES = {
    "身份证号码": "id_number",
    "身份证号": "id_number",
    "公民身份证号码": "id_number",
    "单位": "unit_name",
    "工作单位": "unit_name",
    "统一社会信用代码": "unit_credit_code",
    "手机": "phone",
    "联系电话": "phone",
    "最高学历": "education",
    # Headers of an export with national item codes (?codes=1) read back too.
    **{code: key for code, key in PERSON_A01.items() if key in BY_KEY},
}
HEADER_KEYS = {c.header: c.key for c in COLUMNS} | ALIASES
CHOICES = {
    "category": ("编制类别", EstablishmentCategory),
    "status": ("人员状态", PersonStatus),
}


@dataclass
class Issue:
    row: int
    column: str  # letter, "" for the whole file
    header: str
    message: str

    def __str__(self):
        where = f"第{self.row}行" + (f"{self.column}列（{self.header}）" if self.column else "")
        return f"{where}：{self.message}"


@dataclass
class Row:
    number: int  # as Excel shows it
    cells: tuple
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    month_only: set = field(default_factory=set)
    action: str = ""  # create, update, unchanged, error
    person: Person | None = None
    unit: object = None
    changes: dict = field(default_factory=dict)
    add_education: bool = False


@dataclass
class ImportReport:
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    fatal: str = ""
    ignored_headers: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # key → 0-based index

    @property
    def errors(self) -> list[Issue]:
        return [issue for row in self.rows for issue in row.errors]

    @property
    def counts(self) -> Counter:
        return Counter(row.action for row in self.rows)

    @property
    def good_rows(self) -> list[Row]:
        return [row for row in self.rows if row.action in ("create", "update")]


class CellError(Exception):
    pass


# --- Reading the file ---------------------------------------------------------------------------


def text_of(value) -> str:
    """A cell as text: full-width digits and letters folded to ASCII (NFKC)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def header_key(value) -> str | None:
    text = re.sub(r"\s|\*|（必填）|\(必填\)", "", text_of(value))
    return HEADER_KEYS.get(text)


def read_rows(data: bytes) -> tuple[list, int, list[tuple]]:
    """Header cells, the header's row number and the data rows (empty rows dropped)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise CellError("文件不是有效的Excel（.xlsx）文件，请用Excel另存为.xlsx格式后重新上传")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book["人员信息"] if "人员信息" in book.sheetnames else book.worksheets[0]
        rows = [(n, tuple(r)) for n, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
        book.close()
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean the same to a user
        raise CellError("文件已损坏或不是Excel（.xlsx）文件，无法读取") from None
    rows = [(n, r) for n, r in rows if any(text_of(v) for v in r)]
    if not rows:
        raise CellError("文件中没有数据：第一个工作表是空的")
    # A title row ("某单位人员信息表") may sit above the header: take the first naming both keys.
    for position, (number, cells) in enumerate(rows[:5]):
        keys = {header_key(v) for v in cells}
        if {"name", "id_number"} <= keys:
            data_rows = [(n, r) for n, r in rows[position + 1 :] if not _is_note(r)]
            return list(cells), number, data_rows
    raise CellError(
        "表头不正确：第一行应为列名，至少包括「姓名」「公民身份号码」和「单位名称」，"
        "请下载导入模板填写"
    )


def _is_note(cells) -> bool:
    return text_of(cells[0] if cells else "").startswith(NOTE_MARK)


def map_columns(headers) -> tuple[dict, list]:
    columns, ignored = {}, []
    for index, value in enumerate(headers):
        key = header_key(value)
        if key and key not in columns:
            columns[key] = index
        elif text_of(value):
            ignored.append(text_of(value))
    if "unit_name" not in columns and "unit_credit_code" not in columns:
        raise CellError("缺少必需的列「单位名称」或「单位统一社会信用代码」，请下载导入模板填写")
    return columns, ignored


# --- Cells --------------------------------------------------------------------------------------

DATE_FORMS = "如1985-03-12、1985/3/12、1985.03或1985年3月"
DAY_RE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})")
MONTH_RE = re.compile(r"(\d{4})[-/.年](\d{1,2})月?|(\d{4})(\d{2})")


def parse_date(value) -> tuple[datetime.date, bool]:
    """A date and whether it was given only to the month (then the 1st of the month)."""
    if isinstance(value, datetime.datetime):
        return value.date(), False
    if isinstance(value, datetime.date):
        return value, False
    if isinstance(value, float) and not value.is_integer():
        year, _, fraction = repr(value).partition(".")
        if fraction == "1":  # Excel keeps 1985.10 as the number 1985.1
            raise CellError(f"「{value}」无法确定是1月还是10月，请写成1985-10或1985.01（文本）")
        value = f"{year}.{fraction}"
    text = re.sub(r"\s", "", text_of(value))
    # An Excel serial date such as 31118 (five digits: from 1927 on; "1985" is a year, not a date)
    if text.isdigit() and len(text) == 5:
        return _checked(from_excel(int(text)).date(), text), False
    if m := DAY_RE.fullmatch(text):
        y, mo, d = (int(g) for g in m.groups() if g is not None)
        return _make(y, mo, d, text), False
    if m := MONTH_RE.fullmatch(text):
        y, mo = (int(g) for g in m.groups() if g is not None)
        return _make(y, mo, 1, text), True
    raise CellError(f"「{text}」不是有效日期，{DATE_FORMS}")


def _make(year, month, day, text) -> datetime.date:
    try:
        return _checked(datetime.date(year, month, day), text)
    except ValueError:
        raise CellError(f"「{text}」不是有效日期，{DATE_FORMS}") from None


def _checked(date, text) -> datetime.date:
    if not 1900 <= date.year <= 2100:
        raise CellError(f"「{text}」不是有效日期（年份应在1900至2100之间）")
    return date


def parse_code(table: str, text: str, header: str) -> str:
    code = codes.lookup_by_name(table, text)
    if code is None and text.isdigit():
        code = codes.lookup_by_name(table, text.zfill(2))
    if code is None and table == "ethnicity":
        code = codes.lookup_by_name(table, text + "族")
    if code is None:
        raise CellError(f"「{text}」不是有效的{header}，请按代码表填写代码或名称")
    return code


def parse_choice(key: str, text: str) -> str:
    header, choices = CHOICES[key]
    for value, label in choices.choices:
        if text in (value, str(label)):
            return value
    names = "、".join(str(label) for label in choices.labels)
    raise CellError(f"「{text}」不是有效的{header}，应为：{names}")


def parse_id_number(value) -> str:
    if isinstance(value, float):
        raise CellError("身份证号码被Excel存成了数字，后几位已丢失；请将该列设为文本后重新填写")
    try:
        return idnumbers.validate_id_number(text_of(value))
    except ValidationError as e:
        raise CellError(e.messages[0]) from None


def parse_cell(column: Column, value):
    """The cell's cleaned value; a (date, month_only) pair for dates; CellError if bad."""
    if column.kind == "id":
        return parse_id_number(value)
    if column.kind == "date":
        return parse_date(value)
    text = text_of(value)
    if column.kind == "code":
        return parse_code(column.table, text, column.header)
    if column.kind == "choice":
        return parse_choice(column.key, text)
    if column.kind == "phone":
        try:
            return idnumbers.validate_phone(text)
        except ValidationError as e:
            raise CellError(e.messages[0]) from None
    if column.key == "name" and not re.search(r"[A-Za-z]", text):
        text = re.sub(r"\s", "", text)  # "张  三" is aligned by hand, not a two-part name
    if column.max_length and len(text) > column.max_length:
        raise CellError(f"不能超过{column.max_length}个字（当前{len(text)}个）")
    return text


# --- Checking rows ------------------------------------------------------------------------------


class Checker:
    """Everything the rows are checked against, loaded once (no per-row queries)."""

    def __init__(self, user, report: ImportReport):
        self.user = user
        self.report = report
        units = list(selectors.visible_units(user).filter(is_active=True))
        self.units_by_code = {u.credit_code: u for u in units if u.credit_code}
        self.units_by_name = defaultdict(list)
        for unit in units:
            self.units_by_name[unit.name].append(unit)
        self.visible_unit_ids = {u.pk for u in units}
        self.today = timezone.localdate()

    def issue(self, row: Row, key: str, message: str) -> None:
        index = self.report.columns.get(key)
        column = get_column_letter(index + 1) if index is not None else ""
        header = self.report.headers[index] if index is not None else BY_KEY[key].header
        row.errors.append(Issue(row.number, column, text_of(header), message))

    def clean(self, row: Row) -> None:
        for key, index in self.report.columns.items():
            value = row.cells[index] if index < len(row.cells) else None
            if not text_of(value):
                if key in ("name", "id_number"):
                    self.issue(row, key, f"{BY_KEY[key].header}不能为空")
                continue
            column = BY_KEY[key]
            try:
                parsed = parse_cell(column, value)
            except CellError as e:
                self.issue(row, key, str(e))
                continue
            if column.kind == "date":
                parsed, month_only = parsed
                if month_only:
                    row.month_only.add(key)
            row.values[key] = parsed

    def check_identity(self, row: Row) -> None:
        number = row.values.get("id_number")
        if not number:
            return
        birth = row.values.get("birth_date")
        if "birth_date" in row.month_only:  # given to the month only: the ID number has the day
            real = idnumbers.birth_date_of(number)
            row.month_only.discard("birth_date")
            if (birth.year, birth.month) == (real.year, real.month):
                row.values["birth_date"] = real
            else:
                self.issue(row, "birth_date", f"出生年月与身份证号码中的{real:%Y-%m}不一致")
                row.values.pop("birth_date")
        for problem in idnumbers.check_consistent(
            number, row.values.get("birth_date"), row.values.get("sex")
        ):
            self.issue(row, "birth_date" if "出生" in problem else "sex", problem)
        birth = row.values.get("birth_date") or idnumbers.birth_date_of(number)
        if birth > self.today:
            self.issue(row, "birth_date", "出生日期不能晚于今天")
        start = row.values.get("work_start_date")
        if start and start < birth:
            self.issue(row, "work_start_date", "参加工作时间不能早于出生日期")

    def note_month_only(self, row: Row) -> None:
        for key in sorted(row.month_only):
            date = row.values[key]
            row.notes.append(f"{BY_KEY[key].header}只填到月，按{date:%Y-%m-%d}记录")

    def find_unit(self, row: Row):
        code = row.values.get("unit_credit_code", "").upper()
        name = row.values.get("unit_name", "")
        if code:
            unit = self.units_by_code.get(code)
            if unit is None:
                self.issue(row, "unit_credit_code", f"单位「{code}」不存在或不在您的管理范围内")
            elif name and name != unit.name:
                self.issue(row, "unit_name", f"单位名称与信用代码不一致（该代码是「{unit.name}」）")
            return unit
        if name:
            found = self.units_by_name.get(name, [])
            if len(found) == 1:
                return found[0]
            if not found:
                self.issue(row, "unit_name", f"单位「{name}」不存在或不在您的管理范围内")
            else:
                self.issue(row, "unit_name", f"有多个名为「{name}」的单位，请填写统一社会信用代码")
        return None


def import_check(data: bytes, user) -> ImportReport:
    """The dry run: every row checked, nothing written."""
    report = ImportReport()
    try:
        headers, _, data_rows = read_rows(data)
        report.headers = [text_of(h) for h in headers]
        report.columns, report.ignored_headers = map_columns(headers)
    except CellError as e:
        report.fatal = str(e)
        return report
    if not data_rows:
        report.fatal = "文件中没有人员数据：表头下面没有填写任何行"
        return report
    if len(data_rows) > MAX_ROWS:
        report.fatal = f"一次最多导入{MAX_ROWS}行，本文件有{len(data_rows)}行，请分批导入"
        return report
    checker = Checker(user, report)
    report.rows = [Row(number=n, cells=cells) for n, cells in data_rows]
    for row in report.rows:
        checker.clean(row)
        checker.check_identity(row)
        checker.note_month_only(row)
        row.unit = checker.find_unit(row)
    _check_duplicates(checker, report.rows)
    _match_existing(checker, report.rows)
    _check_establishment(checker, report.rows)
    for row in report.rows:
        if row.errors:
            row.action = "error"
    return report


def _check_duplicates(checker, rows) -> None:
    seen = defaultdict(list)
    for row in rows:
        if number := row.values.get("id_number"):
            seen[number].append(row.number)
    for row in rows:
        numbers = seen.get(row.values.get("id_number"), [])
        if len(numbers) > 1:
            others = "、".join(str(n) for n in numbers if n != row.number)
            checker.issue(row, "id_number", f"身份证号码与第{others}行重复")


def _match_existing(checker, rows) -> None:
    """One query per 500 ID numbers, not one per row."""
    hashes = {crypto.blind_index(r.values["id_number"]): r for r in rows if "id_number" in r.values}
    keys = list(hashes)
    found = {}
    for start in range(0, len(keys), 500):
        chunk = Person.objects.filter(id_number_hash__in=keys[start : start + 500])
        found.update({p.id_number_hash: p for p in chunk.select_related("unit")})
    educations = defaultdict(set)
    for person_id, code in EducationRecord.objects.filter(
        person__in=[p.pk for p in found.values()]
    ).values_list("person_id", "education"):
        educations[person_id].add(code)
    for digest, row in hashes.items():
        person = found.get(digest)
        if person is None:
            _check_new(checker, row)
        else:
            _check_update(checker, row, person, educations[person.pk])


def _check_new(checker, row) -> None:
    row.action = "create"
    if not (row.values.get("unit_name") or row.values.get("unit_credit_code")):
        checker.issue(row, "unit_name", "新增人员须填写单位名称或统一社会信用代码")
    if row.values.get("category"):
        if not row.values.get("hire_document"):
            checker.issue(row, "hire_document", "填写编制类别（入编）时须填写入编文号")
        if row.values.get("status", PersonStatus.ACTIVE) != PersonStatus.ACTIVE:
            checker.issue(row, "status", "入编人员的状态应为在职")
    row.add_education = bool(row.values.get("education"))


def _check_update(checker, row, person, educations) -> None:
    row.person = person
    if person.unit_id not in checker.visible_unit_ids:
        checker.issue(row, "id_number", "该身份证号码已登记在您管理范围以外的单位，不能修改")
        return
    values = row.values
    if row.unit is not None and row.unit.pk != person.unit_id:
        checker.issue(row, "unit_name", f"此人现在「{person.unit.name}」，调动须通过调动业务办理")
    for key, label in (("category", "编制类别"), ("status", "人员状态")):
        if values.get(key) and values[key] != getattr(person, key):
            checker.issue(row, key, f"{label}的变动须通过人事变动业务办理，不能通过导入修改")
    changes = {
        key: values[key]
        for key in people.EDITABLE_FIELDS
        if key in values and values[key] != getattr(person, key)
    }
    if "phone" in values and values["phone"] != crypto.decrypt(person.phone_cipher):
        changes["phone"] = values["phone"]
    row.changes = changes
    row.add_education = bool(values.get("education")) and values["education"] not in educations
    row.action = "update" if changes or row.add_education else "unchanged"


def _check_establishment(checker, rows) -> None:
    """Room for every hire, counted in file order, as the write will take it."""
    hires = [r for r in rows if r.action == "create" and r.unit and r.values.get("category")]
    lines = {
        (line.unit_id, line.category): line
        for line in EstablishmentLine.objects.filter(unit__in={r.unit.pk for r in hires})
    }
    needed = Counter()
    for row in hires:
        key = (row.unit.pk, row.values["category"])
        line = lines.get(key) or EstablishmentLine(unit=row.unit, category=key[1])
        line.unit = row.unit
        needed[key] += 1
        if line.available < needed[key]:
            checker.issue(row, "category", establishment.refusal_message(line, needed[key]))


# --- Writing ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failures: list = field(default_factory=list)


class RowFailed(PersonnelError):
    """A row that passed the check but was refused when written (e.g. another clerk was faster)."""

    def __init__(self, row: "Row", message: str):
        super().__init__(f"第{row.number}行：{message}")
        self.row = row.number
        self.reason = message


def check_writable(report: ImportReport, *, only_valid: bool) -> None:
    if report.fatal:
        raise PersonnelError(report.fatal)
    if report.errors and not only_valid:
        raise PersonnelError(
            f"文件中还有{len(report.errors)}处错误，改正后才能全部导入；也可选择仅导入无误的行"
        )
    if not report.good_rows:
        raise PersonnelError("没有需要导入的行（没有新增人员，也没有需要更新的信息）")


def import_note(filename: str) -> str:
    return f"Excel导入：{filename}"[:200]


@transaction.atomic
def people_import(*, actor, report: ImportReport, only_valid: bool, filename="") -> ImportResult:
    """Write a checked file: all rows (only if clean) or only the good rows, in one transaction."""
    check_writable(report, only_valid=only_valid)
    result = ImportResult(unchanged=report.counts["unchanged"], skipped=report.counts["error"])
    try:
        write_rows(
            actor=actor,
            rows=report.good_rows,
            only_valid=only_valid,
            note=import_note(filename),
            result=result,
        )
    except RowFailed as e:
        raise PersonnelError(f"{e.message}；未导入任何数据") from None
    audit_import(actor=actor, filename=filename, result=result)
    return result


def write_rows(*, actor, rows, only_valid: bool, note: str, result: ImportResult) -> None:
    """Each row in a savepoint; in mode "all" the first refused row raises RowFailed."""
    for row in rows:
        try:
            with transaction.atomic():
                _write(actor, row, note)
        except PersonnelError as e:
            if not only_valid:
                raise RowFailed(row, e.message) from None
            result.failures.append(Issue(row.number, "", "", e.message))
            continue
        if row.action == "create":
            result.created += 1
        else:
            result.updated += 1


def audit_import(*, actor, filename: str, result: ImportResult) -> None:
    audit_record(
        actor=actor,
        action="person.import",
        object_type="personnel.import",
        label=filename[:200],
        unit_id=getattr(selectors.scope_unit(actor), "pk", None),
        after={"created": result.created, "updated": result.updated},
        note=f"{import_note(filename)}；新增{result.created}人，更新{result.updated}人，"
        f"跳过{result.skipped + len(result.failures)}行",
    )


PERSON_KEYS = [*people.EDITABLE_FIELDS, "status"]


def _write(actor, row: Row, note: str) -> None:
    values = row.values
    if row.action == "update":
        person = people.person_update(actor=actor, person=row.person, note=note, **row.changes)
    else:
        fields = {k: values[k] for k in PERSON_KEYS if k in values}
        fields.update(name=values["name"], id_number=values["id_number"], note=note)
        fields["phone"] = values.get("phone", "")
        if category := values.get("category"):
            fields.pop("status", None)
            person = events.person_hire(
                actor=actor,
                unit=row.unit,
                category=category,
                date=values.get("hire_date") or timezone.localdate(),
                document_number=values["hire_document"],
                entry_type=IMPORT_ENTRY_TYPE,
                **fields,
            )
        else:
            person = people.person_create(actor=actor, unit=row.unit, **fields)
    if row.add_education:
        people.record_add(
            actor=actor,
            person=person,
            record_type="education",
            education=values["education"],
            note=note,
        )
