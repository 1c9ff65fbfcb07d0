"""Statistics dashboard (ECharts) and its Excel export: one sheet per chart, or all in one book."""

import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill

from renshi.personnel import selectors, statistics
from renshi.personnel.views.common import personnel_reader

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 3


def _scope(request):
    """The visible people and units, narrowed to ?unit= (and its sub-units) when given."""
    user = request.user
    unit = selectors.get_unit_for(user, request.GET["unit"]) if request.GET.get("unit") else None
    people, units = statistics.scoped(
        selectors.visible_people(user), selectors.visible_units(user), unit
    )
    own = unit or (None if selectors.reads_all(user) else selectors.scope_unit(user))
    label = f"{own.name}（含下级单位）" if own else "全市"
    return unit, label, statistics.collect(people, units, unit)


@personnel_reader
def stats(request):
    unit, label, data = _scope(request)
    tables = data["tables"]
    units = selectors.visible_units(request.user).values_list("id", "name", "depth")
    return render(
        request,
        "personnel/stats.html",
        {
            "unit": unit,
            "scope_label": label,
            "today": data["today"],
            "figures": data["figures"],
            "tables": tables,
            "charts": [t.as_json() for t in tables.values() if t.chart != "none"],
            "unit_choices": [(pk, "　" * depth + name) for pk, name, depth in units],
            "query": request.GET.urlencode(),
        },
    )


@personnel_reader
def stats_export(request, key=None):
    _unit, label, data = _scope(request)
    tables = list(data["tables"].values())
    if key is not None:
        tables = [t for t in tables if t.key == key]
        if not tables:
            raise Http404
    name = tables[0].title if key else "人员统计"
    filename = f"{name}_{data['today']:%Y%m%d}.xlsx"
    response = HttpResponse(_workbook(tables, label, data["today"]), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _workbook(tables, scope_label, today) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        _sheet(book.create_sheet(table.title[:31]), table, scope_label, today)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(sheet, table, scope_label, today):
    sheet.append([table.title])
    sheet.append([f"范围：{scope_label}    统计日期：{today:%Y-%m-%d}"])
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append(row)
    if table.total:
        sheet.append(table.total)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"].font = Font(color="666666")
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F6")
        cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    sheet.column_dimensions["A"].width = max([14] + [len(r[0]) * 2 + 2 for r in table.rows])
    for letter in "BCDEFGH"[: len(table.columns) - 1]:
        sheet.column_dimensions[letter].width = 12
    if table.chart != "none" and table.rows:
        _chart(sheet, table)


def _chart(sheet, table):
    first, last = HEADER_ROW + 1, HEADER_ROW + len(table.rows)
    pie = table.chart == "pie"
    chart = PieChart() if pie else BarChart()
    if not pie:
        chart.type = "bar" if table.chart == "hbar" else "col"
        chart.grouping = "stacked" if table.chart == "stack" else "clustered"
        if table.chart == "stack":
            chart.overlap = 100
    # A stacked chart draws its parts; the 合计 column would double the bars.
    columns = len(table.columns) - (1 if table.chart == "stack" else 0)
    data = Reference(sheet, min_col=2, max_col=columns, min_row=HEADER_ROW, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.title = table.title
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, f"{chr(ord('A') + len(table.columns) + 1)}{HEADER_ROW}")
