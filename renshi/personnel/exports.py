"""Workbooks handed out: the people export, the import template and the dry run's error report."""

import functools
import io

import openpyxl
from django.db import transaction
from django.utils import translation
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from renshi.core import codes, crypto
from renshi.core.audit import audit_record
from renshi.personnel import selectors
from renshi.personnel.imports import CHOICES, COLUMNS, ImportReport
from renshi.personnel.infoset import PERSON_A01
from renshi.personnel.models import EstablishmentCategory, PersonStatus

ITEM_CODES = {key: code for code, key in PERSON_A01.items()}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")


def _rank_code_name(person, as_code):
    if as_code or not person.current_rank:
        return person.current_rank
    return person.rank_name


def _code(table, attr):
    return lambda p, as_code: getattr(p, attr) if as_code else codes.name(table, getattr(p, attr))


@functools.lru_cache(maxsize=64)
def _label_text(choices, code, language):
    """Resolved once per value and language: gettext per cell costs seconds on 40,000 rows."""
    return str(choices(code).label) if code in choices.values else code


def _label(attr, choices):
    def value(person, as_code):
        code = getattr(person, attr)
        return code if as_code else _label_text(choices, code, translation.get_language())

    return value


def _plain(attr):
    return lambda p, as_code: getattr(p, attr)


# (field key, Chinese header, value). Keys in PERSON_A01 get their item code with ?codes=1.
EXPORT_COLUMNS = [
    ("name", "姓名", _plain("name")),
    ("id_number", "公民身份号码", None),
    ("sex", "性别", _code("sex", "sex")),
    ("birth_date", "出生日期", _plain("birth_date")),
    ("ethnicity", "民族", _code("ethnicity", "ethnicity")),
    ("political_status", "政治面貌", _code("political", "political_status")),
    ("native_place", "籍贯", _plain("native_place")),
    ("birthplace", "出生地", _plain("birthplace")),
    ("party_join_date", "入党时间", _plain("party_join_date")),
    ("work_start_date", "参加工作时间", _plain("work_start_date")),
    ("health", "健康状况", _code("health", "health")),
    ("marital_status", "婚姻状况", _code("marital", "marital_status")),
    ("education", "学历", _code("education", "education")),
    ("degree", "学位", _code("degree", "degree")),
    ("unit_name", "单位名称", lambda p, as_code: p.unit.name),
    ("unit_credit_code", "单位统一社会信用代码", lambda p, as_code: p.unit.credit_code),
    ("category", "编制类别", _label("category", EstablishmentCategory)),
    ("current_post", "现任职务", _plain("current_post")),
    ("current_rank", "现职级", _rank_code_name),
    ("current_title", "专业技术职务", _code("title", "current_title")),
    ("phone", "手机号码", None),
    ("status", "人员状态", _label("status", PersonStatus)),
]


def export_headers(as_codes: bool) -> list[str]:
    return [
        ITEM_CODES.get(key, header) if as_codes else header for key, header, _ in EXPORT_COLUMNS
    ]


def _personal(person, key, reveal):
    if key == "id_number":
        return crypto.decrypt(person.id_number_cipher) if reveal else person.id_number_masked
    return crypto.decrypt(person.phone_cipher) if reveal else person.phone_masked


def _row(person, reveal, as_codes):
    # Dates go in as dates: openpyxl gives them the yyyy-mm-dd format, so Excel sorts them.
    return [
        _personal(person, key, reveal) if value_of is None else value_of(person, as_codes)
        for key, _, value_of in EXPORT_COLUMNS
    ]


def people_export(*, actor, people, filters: str, reveal=False, as_codes=False):
    """The list as .xlsx (write-only, rows streamed from the database); the export is audited."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("人员信息")
    sheet.freeze_panes = "A2"
    sheet.append(export_headers(as_codes))
    count = 0
    for person in people.iterator(chunk_size=2000):
        sheet.append(_row(person, reveal, as_codes))
        count += 1
    output = workbook_bytes(book)
    note = f"条件：{filters or '全部'}；共{count}人" + ("；按信息结构体系代码" if as_codes else "")
    with transaction.atomic():
        audit_record(actor=actor, action="person.export", object_type="personnel.person", note=note)
        if reveal:
            audit_record(
                actor=actor,
                action="person.export_reveal",
                object_type="personnel.person",
                note=f"导出完整身份证号码和手机号码；{note}",
            )
    return output, count


def workbook_bytes(book) -> io.BytesIO:
    output = io.BytesIO()
    book.save(output)
    output.seek(0)
    return output


# --- The import template ------------------------------------------------------------------------

CODE_SHEET = "代码表"


def _code_lists(user) -> dict[str, list[tuple[str, str]]]:
    lists = {c.key: codes.choices(c.table) for c in COLUMNS if c.kind == "code"}
    for key, (_, choices) in CHOICES.items():
        lists[key] = [(value, str(label)) for value, label in choices.choices]
    units = selectors.visible_units(user).filter(is_active=True).order_by("path")
    lists["unit_name"] = [(u.credit_code, u.name) for u in units]
    return lists


def import_template(user):
    """A blank import file: headers, a notes row, drop-downs from the code tables, a code sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "人员信息"
    code_sheet = book.create_sheet(CODE_SHEET)
    lists = _code_lists(user)
    list_column = 1
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        note = sheet.cell(row=2, column=index, value=(column.note or "选填"))
        note.alignment = Alignment(wrap_text=True, vertical="top")
        note.font = Font(color="808080", size=9)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.kind in ("id", "phone", "date") or column.key == "unit_credit_code":
            sheet.column_dimensions[letter].number_format = "@"  # keep 18 digits and "1985.10"
        if column.key in lists:
            area = _write_list(code_sheet, list_column, column.header, lists[column.key])
            validation = DataValidation(type="list", formula1=area, allow_blank=True)
            # A warning, not a stop: codes typed by hand ("01") are accepted too.
            validation.errorStyle = "warning"
            validation.error = f"请从列表中选择{column.header}，或填写代码"
            validation.add(f"{letter}3:{letter}5002")
            sheet.add_data_validation(validation)
            list_column += 3
    sheet.cell(row=2, column=1).value = f"{NOTE}{sheet.cell(row=2, column=1).value}"
    sheet.row_dimensions[2].height = 45
    sheet.freeze_panes = "A3"
    return book


NOTE = "【说明行，导入时跳过】"


def _write_list(code_sheet, column, title, items) -> str:
    code_sheet.cell(row=1, column=column, value=f"{title}代码").font = HEADER_FONT
    code_sheet.cell(row=1, column=column + 1, value=title).font = HEADER_FONT
    for row, (code, name) in enumerate(items, start=2):
        code_sheet.cell(row=row, column=column, value=code)
        code_sheet.cell(row=row, column=column + 1, value=name)
    letter = get_column_letter(column + 1)
    code_sheet.column_dimensions[letter].width = 24
    last = max(len(items) + 1, 2)
    return f"{quote_sheetname(CODE_SHEET)}!${letter}$2:${letter}${last}"


# --- The dry run's error report -----------------------------------------------------------------


def error_report(report: ImportReport):
    """The rows with errors as uploaded, with their row number and an error column to fix them."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("错误报告")
    sheet.append(["原行号", *report.headers, "错误信息"])
    width = len(report.headers)
    for row in report.rows:
        if not row.errors:
            continue
        cells = list(row.cells[:width]) + [None] * (width - len(row.cells))
        message = "；".join(
            (f"{i.column}列{i.header}：" if i.column else "") + i.message for i in row.errors
        )
        sheet.append([row.number, *cells, message])
    return book
