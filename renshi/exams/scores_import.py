"""Written score import from .xlsx by ticket number (准考证号).

The sheet has a 准考证号 column and one column per weighted subject, headed by the subject's name
or code (other columns such as 姓名 are ignored). A cell says the score (0–100, at most two
decimals) or 缺考. `score_check` reports every problem by row and column and writes nothing;
`score_import` writes the checked rows (all, or only the good ones): re-importing a file updates
the scores it names, so importing twice changes nothing the second time.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl
from django.db import transaction
from django.utils import timezone
from openpyxl.utils import get_column_letter

from renshi.core.audit import audit_record
from renshi.exams.errors import ExamError
from renshi.exams.models import ScoringRules, Subject, SubjectScore
from renshi.exams.positions_import import CellError, Issue, read_sheet
from renshi.exams.services import scores as services
from renshi.personnel.imports import text_of

MAX_BYTES = 10 * 1024 * 1024
TICKET_HEADER = "准考证号"
ABSENT_MARKERS = {"缺考", "缺", "缺席", "Q"}


@dataclass
class Row:
    number: int
    ticket: str = ""
    application_id: int | None = None
    scores: dict = field(default_factory=dict)  # subject code → Decimal, or None for 缺考
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Report:
    rows: list = field(default_factory=list)
    fatal: str = ""
    subjects: list = field(default_factory=list)
    ignored_headers: list = field(default_factory=list)
    seated_count: int = 0

    @property
    def errors(self) -> list:
        return [e for row in self.rows for e in row.errors]

    @property
    def counts(self) -> dict:
        good = [r for r in self.rows if r.ok]
        return {
            "good": len(good),
            "absent": sum(1 for r in good if None in r.scores.values()),
            "error": len(self.rows) - len(good),
            "missing": max(0, self.seated_count - len(good)),
        }


def _header(value) -> str:
    return re.sub(r"\s|\*", "", text_of(value))


def parse_score(value, maximum=services.SUBJECT_MAX) -> Decimal | None:
    """A score cell: a number 0–maximum with at most two decimals, or a 缺考 marker (None)."""
    text = text_of(value)
    if text in ABSENT_MARKERS:
        return None
    if not text:
        raise CellError("成绩为空（缺考请填写「缺考」）")
    # A float cell keeps its shortest exact spelling (70.25, not 70.2500000001).
    text = repr(value) if isinstance(value, float) else text
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise CellError(f"成绩「{text}」不是数字") from None
    if not score.is_finite():
        raise CellError(f"成绩「{text}」不是数字")
    if not 0 <= score <= maximum:
        raise CellError(f"成绩「{text}」超出范围（0–{maximum}）")
    if score != score.quantize(services.CENT):
        raise CellError(f"成绩「{text}」超过两位小数")
    return score.quantize(services.CENT)


def _ticket(value, seats: dict, widths: list) -> str:
    text = text_of(value)
    # A ticket typed as a number loses its leading zeros in Excel; give them back.
    if isinstance(value, int | float) and text.isdigit() and text not in seats:
        padded = [text.zfill(w) for w in widths if w > len(text)]
        return next((p for p in padded if p in seats), text)
    return text


def score_check(data: bytes, exam) -> Report:
    report = Report()
    rules = services.rules_for(exam)
    weights = services.weights_of(rules)
    if not rules.pk or not weights:
        report.fatal = "请先设置计分规则（科目权重与分数线），再导入成绩"
        return report
    if services.published(rules):
        report.fatal = "成绩已发布，不能再导入；个别更正请通过成绩复核办理"
        return report
    try:
        headers, header_row, rows = read_sheet(data, TICKET_HEADER, "成绩导入")
    except CellError as e:
        report.fatal = str(e)
        return report
    subjects = [s for s in exam.subjects.all() if s.code in weights]
    report.subjects = subjects
    columns, by_header = {}, {}
    for subject in subjects:
        by_header[subject.name] = by_header[subject.code] = subject.code
    for index, value in enumerate(headers):
        name = _header(value)
        key = TICKET_HEADER if name == TICKET_HEADER else by_header.get(name)
        if key and key not in columns:
            columns[key] = index
        elif name:
            report.ignored_headers.append(name)
    missing = [f"{s.name}（{s.code}）" for s in subjects if s.code not in columns]
    if missing:
        report.fatal = "缺少科目成绩列：" + "、".join(missing) + "（列名写科目名称或科目代码）"
        return report
    if not rows:
        report.fatal = f"第{header_row}行表头之下没有成绩数据"
        return report

    seats = dict(services.seated(exam).values_list("ticket_number", "application_id"))
    report.seated_count = len(seats)
    widths = sorted({len(t) for t in seats})
    absent = services.absent_subjects(exam)
    names = {TICKET_HEADER: TICKET_HEADER, **{s.code: s.name for s in subjects}}
    seen: dict[str, int] = {}
    for number, cells in rows:
        row = Row(number=number)

        def cell(key, cells=cells):
            index = columns[key]
            return cells[index] if index < len(cells) else None

        def issue(key, message, row=row):
            letter = get_column_letter(columns[key] + 1)
            row.errors.append(Issue(row.number, letter, names[key], message))

        row.ticket = _ticket(cell(TICKET_HEADER), seats, widths)
        if not row.ticket:
            issue(TICKET_HEADER, "准考证号不能为空")
        elif row.ticket in seen:
            issue(TICKET_HEADER, f"准考证号与第{seen[row.ticket]}行重复")
        elif row.ticket not in seats:
            issue(TICKET_HEADER, f"准考证号「{row.ticket}」不是本考试的考生")
        else:
            seen[row.ticket] = number
            row.application_id = seats[row.ticket]
        for subject in subjects:
            try:
                score = parse_score(cell(subject.code))
            except CellError as e:
                issue(subject.code, str(e))
                continue
            if score is not None and subject.code in absent.get(row.application_id, ()):
                issue(subject.code, "考场记录为缺考，不能录入成绩")
                continue
            row.scores[subject.code] = score
        report.rows.append(row)
    return report


@dataclass
class ImportResult:
    written: int = 0
    removed: int = 0
    skipped: int = 0
    results: int = 0


def score_import(*, actor, exam, report: Report, only_valid: bool, filename="") -> ImportResult:
    """Write the checked rows and recompute written scores and ranks, in one transaction."""
    if report.fatal:
        raise ExamError(report.fatal)
    bad = [r for r in report.rows if not r.ok]
    if bad and not only_valid:
        raise ExamError(f"文件中有{len(bad)}行错误，改正后才能全部导入（或选择仅导入无误的行）")
    good = [r for r in report.rows if r.ok]
    if not good:
        raise ExamError("没有可以导入的行")
    now = timezone.now()
    with transaction.atomic():
        # The rules row is the exam's score lock: imports and review decisions take turns.
        rules = ScoringRules.objects.select_for_update().get(exam=exam)
        if services.published(rules, now):
            raise ExamError("成绩已发布，不能再导入；个别更正请通过成绩复核办理")
        subject_ids = dict(Subject.objects.filter(exam=exam).values_list("code", "pk"))
        present, absent = [], []
        for row in good:
            for code, score in row.scores.items():
                key = (row.application_id, subject_ids[code])
                if score is None:
                    absent.append(key)
                else:
                    present.append(
                        SubjectScore(
                            application_id=key[0], subject_id=key[1], score=score, imported_at=now
                        )
                    )
        SubjectScore.objects.bulk_create(
            present,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["application", "subject"],
            update_fields=["score", "imported_at"],
        )
        removed = _remove_scores(absent)
        result = ImportResult(written=len(present), removed=removed, skipped=len(bad))
        result.results = services.results_recompute(exam=exam, rules=rules)
        audit_record(
            actor=actor,
            action="scores.import",
            obj=exam,
            after={
                "rows": len(good),
                "scores": result.written,
                "absent": len(absent),
                "removed": removed,
                "skipped": result.skipped,
                "results_changed": result.results,
            },
            note=f"笔试成绩导入 {filename}"[:200],
        )
    return result


def _remove_scores(keys) -> int:
    """A re-import that now says 缺考 removes the score stored before."""
    removed = 0
    by_subject = {}
    for application_id, subject_id in keys:
        by_subject.setdefault(subject_id, []).append(application_id)
    for subject_id, ids in by_subject.items():
        for start in range(0, len(ids), 2000):
            removed += SubjectScore.objects.filter(
                subject_id=subject_id, application_id__in=ids[start : start + 2000]
            ).delete()[0]
    return removed


def template_workbook(exam) -> bytes:
    rules = services.rules_for(exam)
    weights = services.weights_of(rules)
    subjects = [s for s in exam.subjects.all() if s.code in weights]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "笔试成绩"
    sheet.append([TICKET_HEADER, "姓名", *(s.name for s in subjects)])
    sheet.column_dimensions["A"].width = 22
    for index in range(3, len(subjects) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    for ticket, name in (
        services.seated(exam)
        .order_by("ticket_number")
        .values_list("ticket_number", "application__candidate__name")
    ):
        sheet.append([ticket, name])
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "@"  # text: Excel keeps the leading zeros
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
