"""Aggregate statistics of the personnel base database, each a small table a chart and Excel share.

Every figure is one grouped query (values().annotate / aggregate), so the number of queries is
fixed whatever the number of people; only the per-unit establishment table grows with the units.
"""

import dataclasses
import datetime
from urllib.parse import urlencode

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from renshi.personnel.models import (
    EstablishmentCategory,
    EstablishmentLine,
    Person,
    PersonStatus,
    Unit,
    UnitType,
    retirement_date,
)
from renshi.personnel.selectors import AGE_BANDS, birth_range

FORECAST_YEARS = 5
TOP_UNITS = 10
AGE_LABELS = {
    "u30": "30岁以下",
    "30-39": "30–39岁",
    "40-49": "40–49岁",
    "50-54": "50–54岁",
    "55+": "55岁及以上",
}
# GB/T 4658 levels by the first digit of the code; 6x–9x are shown together.
EDUCATION_GROUPS = [
    ("1", "研究生", "10"),
    ("2", "大学本科", "20"),
    ("3", "大学专科", "30"),
    ("4", "中专及中职", "40"),
    ("6789", "高中及以下", ""),
]
TITLE_LEVELS = ["正高", "副高", "中级", "初级"]
MALE, FEMALE = "1", "2"


@dataclasses.dataclass
class Table:
    """One statistic: a header, rows of [label, numbers…], how to draw it, drill-down queries."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    chart: str = "bar"  # bar | stack | pie | hbar | none
    total: list | None = None
    links: list[str] = dataclasses.field(default_factory=list)
    note: str = ""
    ids: list[int] = dataclasses.field(default_factory=list)  # the unit of each row, if any

    def __post_init__(self):
        # Labels come from lazy translations; Excel and JSON want plain strings.
        self.columns = [str(c) for c in self.columns]
        self.rows = [[str(r[0]), *r[1:]] for r in self.rows]

    def as_json(self) -> dict:
        fields = ("key", "title", "chart", "columns", "rows", "links", "ids")
        return {f: getattr(self, f) for f in fields}

    @property
    def items(self) -> list[list]:
        """Rows with their unit id in front, for templates that link each row."""
        return [[pk, *row] for pk, row in zip(self.ids, self.rows, strict=True)]


def scoped(people: QuerySet[Person], units: QuerySet[Unit], unit: Unit | None):
    """Narrow the visible people and units to one unit and its sub-units."""
    if unit is None:
        return people, units
    return (
        people.filter(unit__path__startswith=unit.path),
        units.filter(path__startswith=unit.path),
    )


def _drill(base: dict, **params) -> str:
    return urlencode({**base, **params})


def summary(people: QuerySet[Person], units: QuerySet[Unit]) -> dict:
    counts = people.aggregate(
        active=Count("id", filter=Q(status=PersonStatus.ACTIVE)),
        female=Count("id", filter=Q(status=PersonStatus.ACTIVE, sex=FEMALE)),
        retired=Count("id", filter=Q(status=PersonStatus.RETIRED)),
    )
    counts["units"] = units.filter(is_active=True).count()
    return counts


def by_unit_type(active: QuerySet[Person]) -> Table:
    counts = dict(active.values_list("unit__unit_type").annotate(n=Count("id")).order_by())
    rows = [[label, counts.get(code, 0)] for code, label in UnitType.choices]
    return Table("unit_type", "按单位类型", ["单位类型", "人数"], rows, chart="hbar")


def by_category(active: QuerySet[Person], base: dict) -> Table:
    counts = dict(active.values_list("category").annotate(n=Count("id")).order_by())
    rows, links = [], []
    for code, label in EstablishmentCategory.choices:
        if counts.get(code):
            rows.append([label, counts[code]])
            links.append(_drill(base, category=code))
    if counts.get(""):
        rows.append(["未占编制", counts[""]])
        links.append("")
    return Table("category", "按编制类别", ["编制类别", "人数"], rows, chart="pie", links=links)


def by_age_band(active: QuerySet[Person], base: dict) -> Table:
    aggregates = {}
    for band in AGE_BANDS:
        band_filter = birth_range(band)
        aggregates[f"{band}|all"] = Count("id", filter=band_filter)
        aggregates[f"{band}|m"] = Count("id", filter=band_filter & Q(sex=MALE))
        aggregates[f"{band}|f"] = Count("id", filter=band_filter & Q(sex=FEMALE))
    counts = active.aggregate(**aggregates)
    rows = [
        [AGE_LABELS[b], counts[f"{b}|m"], counts[f"{b}|f"], counts[f"{b}|all"]] for b in AGE_BANDS
    ]
    links = [_drill(base, age=b) for b in AGE_BANDS]
    return Table(
        "age", "按年龄段", ["年龄段", "男", "女", "合计"], rows, chart="stack", links=links
    )


def by_education(active: QuerySet[Person], base: dict) -> Table:
    counts = dict(active.values_list("education").annotate(n=Count("id")).order_by())
    rows, links = [], []
    for digits, label, level in EDUCATION_GROUPS:
        rows.append([label, sum(n for code, n in counts.items() if code and code[0] in digits)])
        links.append(_drill(base, education=level) if level else "")
    rows.append(["未填写", counts.get("", 0)])
    links.append("")
    return Table("education", "按最高学历", ["学历", "人数"], rows, links=links)


def by_title_level(active: QuerySet[Person], base: dict) -> Table:
    counts = dict(active.values_list("title_level").annotate(n=Count("id")).order_by())
    rows = [[level, counts.get(level, 0)] for level in TITLE_LEVELS]
    links = [_drill(base, title_level=level) for level in TITLE_LEVELS]
    rows.append(["无职称", sum(n for level, n in counts.items() if level not in TITLE_LEVELS)])
    links.append("")
    return Table(
        "title_level", "按专业技术职务等级", ["职称等级", "人数"], rows, chart="pie", links=links
    )


def retirement_forecast(active: QuerySet[Person], today: datetime.date) -> tuple[Table, int]:
    """Statutory retirements per year (this year and the next four), by sex.

    The retirement date depends only on sex and birth month, so people are counted per birth
    month in the database and each month is mapped to its retirement date here. Those whose date
    has already passed are reported apart (到龄未退).
    """
    years = list(range(today.year, today.year + FORECAST_YEARS))
    youngest = datetime.date(years[-1] - 55, 12, 31)  # women cadres' base age is the lowest
    groups = (
        active.filter(birth_date__lte=youngest)
        .annotate(y=ExtractYear("birth_date"), m=ExtractMonth("birth_date"))
        .values_list("sex", "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_year = {year: {MALE: 0, FEMALE: 0} for year in years}
    overdue = 0
    for sex, year, month, n in groups:
        retires = retirement_date(datetime.date(year, month, 1), sex)
        if retires <= today:
            overdue += n
        elif retires.year in per_year:
            per_year[retires.year][FEMALE if sex == FEMALE else MALE] += n
    rows = [
        [f"{year}年", per_year[year][MALE], per_year[year][FEMALE], sum(per_year[year].values())]
        for year in years
    ]
    note = f"已到法定退休年龄仍在职：{overdue}人" if overdue else ""
    table = Table(
        "retirement", "未来五年退休预测", ["年度", "男", "女", "合计"], rows, "stack", note=note
    )
    return table, overdue


def _line_sums():
    difference = F("approved") - F("occupied")
    vacant = Case(When(approved__gt=F("occupied"), then=difference), default=Value(0))
    over = Case(When(occupied__gt=F("approved"), then=-difference), default=Value(0))
    return {
        "a": Sum("approved"),
        "o": Sum("occupied"),
        "r": Sum("reserved"),
        # Per line: a vacancy in one category cannot absorb an excess in another.
        "v": Sum(vacant, output_field=IntegerField()),
        "x": Sum(over, output_field=IntegerField()),
    }


def _numbers(row) -> list[int]:
    return [row["a"] or 0, row["o"] or 0, row["r"] or 0, row["v"] or 0, row["x"] or 0]


def establishment_tables(units: QuerySet[Unit]) -> list[Table]:
    """Approved / occupied / reserved / vacant / over per category, per unit and the top units."""
    lines = EstablishmentLine.objects.filter(unit__in=units)
    per_category = {
        row["category"]: _numbers(row)
        for row in lines.values("category").annotate(**_line_sums()).order_by()
    }
    columns = ["核定", "实有", "预留", "空编", "超编"]
    category_rows = [
        [label, *per_category[code]]
        for code, label in EstablishmentCategory.choices
        if code in per_category
    ]
    city = [sum(r[i] for r in category_rows) for i in range(1, 6)]
    per_unit = (
        lines.values("unit_id", "unit__name", "unit__path")
        .annotate(**_line_sums())
        .order_by("unit__path")
    )
    unit_rows, unit_ids = [], []
    for row in per_unit:
        numbers = _numbers(row)
        usage = round(100 * numbers[1] / numbers[0]) if numbers[0] else 0
        unit_rows.append([row["unit__name"], *numbers, usage])
        unit_ids.append(row["unit_id"])
    ranked = list(zip(unit_ids, unit_rows, strict=True))
    over = sorted((r for r in ranked if r[1][5]), key=lambda r: -r[1][5])[:TOP_UNITS]
    vacant = sorted((r for r in ranked if r[1][4]), key=lambda r: -r[1][4])[:TOP_UNITS]
    return [
        Table(
            "establishment",
            "编制使用情况（按编制类别）",
            ["编制类别", *columns],
            category_rows,
            total=["合计", *city],
        ),
        Table(
            "over_units",
            f"超编单位（前{TOP_UNITS}名）",
            ["单位", "核定", "实有", "超编"],
            [[r[0], r[1], r[2], r[5]] for _, r in over],
            chart="hbar",
            ids=[pk for pk, _ in over],
        ),
        Table(
            "vacant_units",
            f"空编单位（前{TOP_UNITS}名）",
            ["单位", "核定", "实有", "空编"],
            [[r[0], r[1], r[2], r[4]] for _, r in vacant],
            chart="hbar",
            ids=[pk for pk, _ in vacant],
        ),
        Table(
            "unit_usage",
            "各单位编制使用情况",
            ["单位", *columns, "使用率（%）"],
            unit_rows,
            chart="none",
            ids=unit_ids,
            total=["合计", *city, round(100 * city[1] / city[0]) if city[0] else 0],
        ),
    ]


def collect(people: QuerySet[Person], units: QuerySet[Unit], unit: Unit | None = None) -> dict:
    """All statistics for a scope: the summary figures and the tables in display order."""
    today = timezone.localdate()
    active = people.filter(status=PersonStatus.ACTIVE)
    base = {"status": PersonStatus.ACTIVE}
    if unit is not None:
        base["unit"] = unit.pk
    forecast, overdue = retirement_forecast(active, today)
    tables = [
        by_unit_type(active),
        by_category(active, base),
        by_age_band(active, base),
        by_education(active, base),
        by_title_level(active, base),
        forecast,
        *establishment_tables(units),
    ]
    figures = summary(people, units)
    figures["overdue"] = overdue
    figures["retiring"] = sum(row[3] for row in forecast.rows)
    estab = tables[6].total
    figures.update(approved=estab[1], occupied=estab[2], vacant=estab[4], over=estab[5])
    figures["usage"] = tables[-1].total[-1]
    return {"today": today, "figures": figures, "tables": {t.key: t for t in tables}}
