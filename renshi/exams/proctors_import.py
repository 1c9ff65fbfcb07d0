"""The proctor pool from .xlsx: one row per proctor, with an optional declared relative. A second
row with the same 姓名 and 所在学校 adds another relative to the same proctor; a proctor already in
the pool (same name and school) gets the new phone and relatives. Every problem is reported by row
and column and nothing is imported until the file is clean."""

import io
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl.utils import get_column_letter

from renshi.core import crypto
from renshi.core.idnumbers import validate_id_number, validate_phone
from renshi.exams.models import Proctor
from renshi.exams.positions_import import CellError, Issue, read_sheet
from renshi.exams.services import proctors as services
from renshi.personnel.imports import text_of

MAX_BYTES = 5 * 1024 * 1024
HEADERS = ["姓名", "所在学校", "手机号码", "亲属姓名", "亲属身份证号码", "与本人关系"]
REQUIRED = ["姓名", "所在学校"]
EXAMPLE = ["王老师", "鞍山市第八中学", "13904121234", "王小明", "210302200001011234", "子女"]


@dataclass
class Entry:
    row: int
    name: str
    school: str
    phone: str = ""
    relatives: list = field(default_factory=list)  # (name, id number, relation)


@dataclass
class Report:
    entries: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    fatal: str = ""
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.fatal and not self.errors


def template() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "监考人员"
    sheet.append(HEADERS)
    sheet.append(EXAMPLE)
    for n in range(1, len(HEADERS) + 1):
        sheet.column_dimensions[get_column_letter(n)].width = 20
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check(data: bytes) -> Report:
    report = Report()
    try:
        header, header_row, rows = read_sheet(data, key="姓名", template="监考人员导入")
    except CellError as e:
        report.fatal = str(e)
        return report
    columns = {text_of(v).replace("*", ""): i for i, v in enumerate(header) if text_of(v)}
    missing = [h for h in REQUIRED if h not in columns]
    if missing:
        report.fatal = f"第{header_row}行表头缺少：{'、'.join(missing)}"
        return report
    seen = {}
    for number, cells in rows:
        report.rows += 1
        entry = _read_row(number, cells, columns, report.errors)
        if entry is None:
            continue
        key = (entry.name, entry.school)
        if key in seen:
            seen[key].relatives += entry.relatives
            seen[key].phone = seen[key].phone or entry.phone
        else:
            seen[key] = entry
            report.entries.append(entry)
    report.errors.sort(key=lambda e: (e.row, len(e.column), e.column))
    return report


def _read_row(number, cells, columns, errors):
    def cell(header):
        index = columns.get(header)
        return text_of(cells[index]) if index is not None and index < len(cells) else ""

    def fail(header, message):
        column = get_column_letter(columns[header] + 1) if header in columns else ""
        errors.append(Issue(row=number, column=column, header=header, message=message))

    before = len(errors)
    entry = Entry(row=number, name=cell("姓名"), school=cell("所在学校"))
    if not entry.name:
        fail("姓名", "姓名不能为空")
    if not entry.school:
        fail("所在学校", "所在学校不能为空（监考人员不得到本校考点监考）")
    if phone := cell("手机号码"):
        try:
            entry.phone = validate_phone(phone)
        except ValidationError as e:
            fail("手机号码", e.messages[0])
    relative = [cell("亲属姓名"), cell("亲属身份证号码"), cell("与本人关系")]
    if any(relative):
        name, number_text, relation = relative
        if not name:
            fail("亲属姓名", "填写了亲属信息，但缺少亲属姓名")
        if not relation:
            fail("与本人关系", "填写了亲属信息，但缺少与本人关系")
        try:
            relative[1] = validate_id_number(number_text)
        except ValidationError as e:
            fail("亲属身份证号码", e.messages[0])
        entry.relatives.append(tuple(relative))
    return entry if len(errors) == before else None


def run(*, actor, report) -> dict:
    """Write a clean report: new proctors, updated phones, new relatives (one transaction)."""
    if not report.ok:
        raise ValueError("a report with errors is never imported")
    counts = {"created": 0, "updated": 0, "relatives": 0}
    with transaction.atomic():
        existing = {(p.name, p.school): p for p in Proctor.objects.order_by("id")}
        for entry in report.entries:
            proctor = existing.get((entry.name, entry.school))
            if proctor is None:
                proctor = services.proctor_create(
                    actor=actor, name=entry.name, school=entry.school, phone=entry.phone
                )
                counts["created"] += 1
            elif entry.phone:
                services.proctor_update(
                    actor=actor, proctor=proctor, name=proctor.name, school=proctor.school,
                    phone=entry.phone, active=proctor.active,
                )  # fmt: skip
                counts["updated"] += 1
            known = set(proctor.relatives.values_list("id_number_hash", flat=True))
            for name, number, relation in entry.relatives:
                if crypto.blind_index(number) in known:
                    continue
                known.add(crypto.blind_index(number))
                services.proctor_relative_add(
                    actor=actor, proctor=proctor, name=name, id_number=number, relation=relation
                )
                counts["relatives"] += 1
    return counts
