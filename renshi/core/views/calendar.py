"""The working calendar (工作日历) pages: a year as a month grid, a day's kind, a whole year."""

import calendar as pycalendar
import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from renshi.core import work_calendar
from renshi.core.decorators import role_required
from renshi.core.models import WorkCalendarDay
from renshi.core.roles import MANAGE_CONFIG

WEEKDAYS = "一二三四五六日"


class DayForm(forms.Form):
    date = forms.DateField(label="日期")
    kind = forms.ChoiceField(label="类型", choices=WorkCalendarDay.Kind.choices)
    name = forms.CharField(label="名称", max_length=40, required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label="放假安排",
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text="每行一段：开始日期 至 结束日期 节日名称；只放一天时写一个日期",
    )
    makeup = forms.CharField(
        label="调休上班日",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="每行一个周六或周日：日期 说明（如“春节调休”）",
    )


def _year_param(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _calendar_url(year: int) -> str:
    return f"{reverse('work_calendar')}?year={year}"


def _months(year: int, rows: dict) -> list[dict]:
    grid = pycalendar.Calendar(firstweekday=0)
    months = []
    for month in range(1, 13):
        weeks = [
            [(day, rows.get(day)) if day.month == month else (None, None) for day in week]
            for week in grid.monthdatescalendar(year, month)
        ]
        months.append({"number": month, "weeks": weeks})
    return months


@role_required(MANAGE_CONFIG)
def calendar_year(request):
    year = _year_param(request)
    rows = {row.date: row for row in WorkCalendarDay.objects.filter(date__year=year)}
    try:
        selected = rows.get(datetime.date.fromisoformat(request.GET.get("day", "")))
    except ValueError:
        selected = None
    counts = dict.fromkeys(WorkCalendarDay.Kind.values, 0)
    for row in rows.values():
        counts[row.kind] += 1
    context = {
        "year": year,
        "loaded": bool(rows),
        "months": _months(year, rows) if rows else [],
        "weekdays": WEEKDAYS,
        "counts": [(label, counts[value]) for value, label in WorkCalendarDay.Kind.choices],
        "day_form": DayForm(),
        "selected": selected,
        "holidays": [
            {"first": a, "last": b, "name": name, "days": (b - a).days + 1}
            for a, b, name in work_calendar.holiday_ranges(year)
        ],
        "makeups": work_calendar.makeup_days(year),
        "missing_next": work_calendar.missing_next_year(),
    }
    return render(request, "core/calendar.html", context)


@role_required(MANAGE_CONFIG)
@require_POST
def calendar_day(request):
    form = DayForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的日期和类型")
        return redirect(_calendar_url(_year_param(request)))
    day = form.cleaned_data["date"]
    try:
        row = work_calendar.calendar_day_set(
            actor=request.user,
            day=day,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
        )
    except work_calendar.CalendarInputError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已将 {day.isoformat()} 设为{row.get_kind_display()}")
    return redirect(_calendar_url(day.year))


@role_required(MANAGE_CONFIG)
@require_http_methods(["GET", "POST"])
def calendar_year_entry(request):
    year = _year_param(request)
    holidays, makeup = work_calendar.year_as_text(year)
    form = YearForm(
        request.POST or None, initial={"year": year, "holidays": holidays, "makeup": makeup}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = work_calendar.calendar_year_enter(
                actor=request.user,
                year=data["year"],
                holidays_text=data["holidays"],
                makeup_text=data["makeup"],
            )
        except work_calendar.CalendarInputError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已录入{data['year']}年工作日历，共 {count} 天")
            return redirect(_calendar_url(data["year"]))
    exists = work_calendar.year_is_loaded(
        form.cleaned_data["year"] if form.is_bound and form.is_valid() else year
    )
    return render(
        request, "core/calendar_year.html", {"form": form, "year": year, "exists": exists}
    )
