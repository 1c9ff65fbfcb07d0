import datetime
import io
import json
import re
import zoneinfo

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renshi.core.idnumbers import make_id_number
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.models import EstablishmentCategory
from renshi.personnel.services import establishment, events
from renshi.personnel.tests import factories
from renshi.personnel.tests.factories import SYSTEM, make_clerk, make_unit

pytestmark = pytest.mark.django_db
URL = reverse("personnel:stats")
INST = EstablishmentCategory.INSTITUTION
NOW = datetime.datetime(2026, 6, 15, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def city():
    """Bureau A (with sub-unit A1) holding three people, unit B holding two; B is over by one."""
    a = make_unit("鞍山市财政局")
    a1 = make_unit("鞍山市财政局国库支付中心", parent=a, unit_type="public1")
    b = make_unit("鞍山市水务局")
    make_person(a, "张一", birth=datetime.date(1990, 5, 1))
    make_person(a, "李二", birth=datetime.date(1975, 2, 1), male=False)
    make_person(a1, "王三", category=INST, birth=datetime.date(1988, 8, 8))
    make_person(b, "赵四", birth=datetime.date(1970, 1, 1))
    make_person(b, "钱五", birth=datetime.date(1995, 1, 1))
    establishment.establishment_approve(
        actor=SYSTEM, unit=b, category="admin", approved=1, document_number="鞍编发〔2026〕9号"
    )
    establishment.establishment_approve(
        actor=SYSTEM, unit=a, category="admin", approved=4, document_number="鞍编发〔2026〕9号"
    )
    return {"a": a, "a1": a1, "b": b}


def make_person(unit, name, birth, male=True, category=EstablishmentCategory.ADMINISTRATIVE):
    """Like the factory, with a county code that already existed when older people were born."""
    line = establishment.lock_line(unit, category)
    establishment.establishment_approve(
        actor=SYSTEM,
        unit=unit,
        category=category,
        approved=line.approved + 1,
        document_number="1号",
    )
    sequence = next(factories._seq) % 500 * 2 + (1 if male else 0)
    return events.person_hire(
        actor=SYSTEM,
        unit=unit,
        category=category,
        date=datetime.date(2010, 7, 1),
        document_number="鞍人发〔2010〕8号",
        name=name,
        id_number=make_id_number("210321", birth, sequence),
    )


def charts(response):
    match = re.search(
        r'<script id="stats-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return {c["key"]: c for c in json.loads(match.group(1))}


def test_it_shows_the_whole_city_to_the_bureau(client, city):
    client.force_login(UserFactory(role=Role.PERSONNEL))
    response = client.get(URL)
    assert response.status_code == 200
    for key in ("unit_type", "category", "age", "education", "title_level", "retirement"):
        assert f'id="chart-{key}"' in response.content.decode()
    data = charts(response)
    assert data["category"]["rows"] == [["行政编制", 4], ["事业编制", 1]]
    assert data["unit_type"]["rows"][1] == ["行政机关", 4]
    assert data["unit_type"]["rows"][3] == ["公益一类事业单位", 1]
    figures = response.context["figures"]
    assert (figures["active"], figures["female"], figures["units"]) == (5, 1, 3)
    # A: 4 approved, 2 held → 2 vacant; A1: 1/1; B: 1 approved, 2 held → 1 over.
    assert (figures["approved"], figures["occupied"]) == (6, 5)
    assert (figures["vacant"], figures["over"]) == (2, 1)
    assert data["over_units"]["rows"] == [["鞍山市水务局", 1, 2, 1]]
    assert data["vacant_units"]["rows"] == [["鞍山市财政局", 4, 2, 2]]
    assert data["vacant_units"]["ids"] == [city["a"].pk]
    assert reverse("personnel:unit_detail", args=[city["b"].pk]) in response.content.decode()


def test_it_narrows_the_bureau_view_to_a_unit_and_its_subunits(client, city):
    client.force_login(UserFactory(role=Role.BUREAU_LEADER))
    response = client.get(URL, {"unit": city["a"].pk})
    assert response.context["figures"]["active"] == 3
    assert "鞍山市财政局（含下级单位）" in response.content.decode()
    assert "status=active&unit=" in charts(response)["age"]["links"][0]


def test_it_shows_a_clerk_only_their_subtree(client, city):
    client.force_login(make_clerk(city["a"]))
    response = client.get(URL)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["active"], figures["units"], figures["approved"], figures["over"]) == (
        3,
        2,
        5,
        0,
    )
    data = charts(response)
    assert data["category"]["rows"] == [["行政编制", 2], ["事业编制", 1]]
    assert data["over_units"]["rows"] == []
    assert "鞍山市水务局" not in response.content.decode()


def test_it_hides_other_units_from_a_clerk(client, city):
    client.force_login(make_clerk(city["a"]))
    assert client.get(URL, {"unit": city["b"].pk}).status_code == 404
    export = reverse("personnel:stats_export_all")
    assert client.get(export, {"unit": city["b"].pk}).status_code == 404


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN, Role.EXAM_OFFICE])
def test_it_is_not_found_for_outsiders(client, city, role):
    client.force_login(UserFactory(role=role))
    assert client.get(URL).status_code == 404
    assert client.get(reverse("personnel:stats_export", args=["age"])).status_code == 404


def test_it_counts_age_bands_by_sex(client, city):
    client.force_login(UserFactory(role=Role.PERSONNEL))
    with time_machine.travel(NOW, tick=False):
        rows = charts(client.get(URL))["age"]["rows"]
    # Ages on 2026-06-15: 36, 51 (woman), 37, 56, 31.
    assert rows == [
        ["30岁以下", 0, 0, 0],
        ["30–39岁", 3, 0, 3],
        ["40–49岁", 0, 0, 0],
        ["50–54岁", 0, 1, 1],
        ["55岁及以上", 1, 0, 1],
    ]


def test_it_exports_one_chart_to_excel(client, city):
    client.force_login(UserFactory(role=Role.PERSONNEL))
    response = client.get(reverse("personnel:stats_export", args=["establishment"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "编制使用情况（按编制类别）"
    assert [c.value for c in sheet[3]] == ["编制类别", "核定", "实有", "预留", "空编", "超编"]
    assert [c.value for c in sheet[4]] == ["行政编制", 5, 4, 0, 2, 1]
    assert [c.value for c in sheet[5]] == ["事业编制", 1, 1, 0, 0, 0]
    assert [c.value for c in sheet[6]] == ["合计", 6, 5, 0, 2, 1]


def test_it_exports_all_charts_as_one_workbook(client, city):
    client.force_login(make_clerk(city["a"]))
    response = client.get(reverse("personnel:stats_export_all"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 10
    usage = book["各单位编制使用情况"]
    assert usage["A2"].value.startswith("范围：鞍山市财政局（含下级单位）")
    names = [usage.cell(row, 1).value for row in range(4, usage.max_row + 1)]
    assert names == ["鞍山市财政局", "鞍山市财政局国库支付中心", "合计"]
    assert [c.value for c in usage[4]] == ["鞍山市财政局", 4, 2, 0, 2, 0, 50]


def test_it_refuses_an_unknown_chart_export(client, city):
    client.force_login(UserFactory(role=Role.PERSONNEL))
    assert client.get(reverse("personnel:stats_export", args=["nope"])).status_code == 404


def test_it_forecasts_retirements_per_year_by_sex(client):
    unit = make_unit()
    with time_machine.travel(NOW, tick=False):
        # Men born 1967-03 retire at 60 and 7 months (2027-11); 1966-09 at 60y6m (2027-04).
        make_person(unit, "男甲", birth=datetime.date(1967, 3, 10))
        make_person(unit, "男乙", birth=datetime.date(1966, 9, 30))
        # A woman cadre born 1972-05 retires at 55 and 8 months (2028-02).
        make_person(unit, "女甲", birth=datetime.date(1972, 5, 2), male=False)
        make_person(unit, "到龄", birth=datetime.date(1960, 1, 5))
        make_person(unit, "年轻", birth=datetime.date(1992, 1, 5))
        gone = make_person(unit, "已退", birth=datetime.date(1967, 4, 1))
        events.person_retire(
            actor=SYSTEM, person=gone, date=datetime.date(2026, 5, 1), document_number="退1号"
        )
        client.force_login(UserFactory(role=Role.PERSONNEL))
        response = client.get(URL)
    rows = charts(response)["retirement"]["rows"]
    assert rows == [
        ["2026年", 0, 0, 0],
        ["2027年", 2, 0, 2],
        ["2028年", 0, 1, 1],
        ["2029年", 0, 0, 0],
        ["2030年", 0, 0, 0],
    ]
    assert response.context["figures"]["overdue"] == 1
    assert "已到法定退休年龄仍在职：1人" in response.content.decode()


def test_it_uses_the_same_number_of_queries_for_3_and_30_people(client):
    unit = make_unit()
    sub = make_unit(parent=unit)
    for i in range(3):
        make_person(unit if i % 2 else sub, f"甲{i}", birth=datetime.date(1960 + i, 1 + i, 1))
    client.force_login(make_clerk(unit))
    client.get(URL)  # warm the session and code-table caches

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    for i in range(27):
        make_person(unit if i % 2 else sub, f"乙{i}", birth=datetime.date(1960 + i, 1 + i % 12, 1))
    assert count() == few
    assert few <= 18, few
