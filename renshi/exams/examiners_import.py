"""Examiner pool (面试考官库) import from .xlsx: 姓名, 考官资格等级, 工作单位, 所在城市.

Every problem is reported by row and column; nothing is written unless the file is clean, or the
user chose to import only the good rows. A 工作单位 that names exactly one active unit of the
personnel database is linked to it (for recusal by unit record as well as by name).
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.db import transaction
from openpyxl.utils import get_column_letter

from renshi.core.audit import audit_record
from renshi.exams.models import Examiner
from renshi.exams.positions_import import CellError, _units_by_name
from renshi.personnel.imports import text_of

HEADERS = ["姓名", "考官资格等级", "工作单位", "所在城市"]
LEVELS = {"一级": 1, "二级": 2, "三级": 3, "四级": 4, "五级": 5}
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class Row:
    number: int
    fields: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (column letter, header, message)


@dataclass
class Report:
    rows: list = field(default_factory=list)
    fatal: str = ""

    @property
    def errors(self):
        return [(r.number, *e) for r in self.rows for e in r.errors]

    @property
    def good(self):
        return [r for r in self.rows if not r.errors]


def read_rows(data: bytes) -> tuple[list, list]:
    """Header names and the data rows (row number, cells) below it; empty rows dropped."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise CellError("文件不是有效的Excel（.xlsx）文件，请用Excel另存为.xlsx格式后重新上传")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        cells = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean the same to a user
        raise CellError("文件已损坏或不是Excel（.xlsx）文件，无法读取") from None
    rows = [(n, r) for n, r in enumerate(cells, start=1) if any(text_of(v) for v in r)]
    for index, (_, row) in enumerate(rows[:5]):  # a title row may sit above the header
        header = [re.sub(r"\s|\*", "", text_of(v)) for v in row]
        if "姓名" in header:
            return header, rows[index + 1 :]
    raise CellError("表头不正确：找不到「姓名」列，请下载考官库模板填写")


def parse_level(text: str) -> int:
    key = re.sub(r"\s|考官", "", text)
    if key.isdigit() and 1 <= int(key) <= 9:
        return int(key)
    if key in LEVELS:
        return LEVELS[key]
    raise CellError(
        f"考官资格等级「{text}」应为1–9或“一级”“二级”“三级”" if text else "考官资格等级不能为空"
    )


def examiner_check(data: bytes) -> Report:
    report = Report()
    try:
        header, rows = read_rows(data)
    except CellError as e:
        report.fatal = str(e)
        return report
    columns = {name: i for i, name in enumerate(header) if name in HEADERS}
    missing = [h for h in HEADERS if h not in columns]
    if missing:
        report.fatal = "缺少必需的列：" + "、".join(missing)
        return report
    units = _units_by_name()
    for number, cells in rows:
        row = Row(number)

        def cell(name, cells=cells):
            index = columns[name]
            return text_of(cells[index]) if index < len(cells) else ""

        def error(name, message, row=row):
            row.errors.append((get_column_letter(columns[name] + 1), name, message))

        for name, key, limit in (
            ("姓名", "name", 50),
            ("工作单位", "unit_name", 100),
            ("所在城市", "city", 20),
        ):
            value = cell(name)
            if not value:
                error(name, f"{name}不能为空")
            elif len(value) > limit:
                error(name, f"{name}不能超过{limit}个字")
            row.fields[key] = value
        try:
            row.fields["certificate_level"] = parse_level(cell("考官资格等级"))
        except CellError as e:
            error("考官资格等级", str(e))
        row.fields["unit_id"] = units.get(row.fields.get("unit_name"))
        report.rows.append(row)
    if not report.rows:
        report.fatal = "表头之下没有考官数据"
    return report


def examiner_import(*, actor, report: Report, good_only=False) -> int:
    if report.fatal or (report.errors and not good_only):
        raise CellError("文件有错误，未导入")
    with transaction.atomic():
        created = Examiner.objects.bulk_create(Examiner(**r.fields) for r in report.good)
        audit_record(
            actor=actor,
            action="examiner.import",
            object_type="exams.examiner",
            label="考官库导入",
            after={
                "created": len(created),
                "skipped_rows": [r.number for r in report.rows if r.errors],
            },
        )
    return len(created)


def template_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "面试考官"
    sheet.append(HEADERS)
    sheet.append(["王考官", "二级", "营口市人力资源和社会保障局", "营口市"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
