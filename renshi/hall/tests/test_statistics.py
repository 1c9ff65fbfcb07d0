"""Service-hall statistics: counts per item and section, on-time rate, working days, overdue
list, ratings and follow-ups, for a month or a year; bureau roles only."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.hall import cases, statistics
from renshi.hall.models import Case, RatingLevel
from renshi.hall.tests.cases_helpers import (
    Bureau,
    file_transfer,
    load_items,
    transfer_setup,
    walk_through,
)

pytestmark = pytest.mark.django_db
D = datetime.date
NOV = statistics.Period(2026, 11)
NOON = datetime.datetime(2026, 11, 16, 4, tzinfo=datetime.UTC)  # Monday, 12:00 in Beijing


@pytest.fixture
def hall():
    """Three transfer-in cases filed on 16 November: one concluded on time and rated badly,
    one running and overdue by 20 November, one still waiting at the window."""
    load_items()
    _a, b, person, clerk = transfer_setup(free_slots=3)
    bureau = Bureau()
    with time_machine.travel(NOON, tick=False):
        done, late, waiting = (file_transfer(clerk, b, person) for _ in range(3))
        cases.accept(actor=bureau.window, case=done)
        cases.accept(actor=bureau.window, case=late)
    with time_machine.travel(NOON + datetime.timedelta(days=2), tick=False):
        walk_through(done, bureau)
        cases.rate(actor=clerk, case=done, level=RatingLevel.DISSATISFIED, comment="跑了两趟")
    Case.objects.filter(pk=late.pk).update(due_date=D(2026, 11, 19))
    return {"done": done, "late": late, "waiting": waiting, "bureau": bureau, "clerk": clerk}


def test_it_counts_per_item_and_section_with_on_time_rate_and_days(hall):
    data = statistics.collect(NOV, today=D(2026, 11, 24))
    f = data["figures"]
    assert (f["received"], f["concluded"], f["open"], f["overdue"]) == (3, 1, 2, 1)
    assert f["on_time_rate"] == 100.0 and f["average_days"] == 2.0
    assert (f["ratings"], f["satisfaction"]) == (1, 0.0)
    assert data["tables"]["by_item"].rows == [["人员调动(调入)", 3, 2, 1, 100.0, 2.0]]
    assert data["tables"]["sections"].rows == [["人事科", 3]]
    assert data["tables"]["trend"].rows[10] == ["11月", 3, 1]
    assert dict(data["tables"]["ratings"].rows)["不满意"] == 1


def test_the_overdue_list_shows_working_days_over(hall):
    [case] = statistics.overdue_cases(D(2026, 11, 24))
    assert case.pk == hall["late"].pk and case.colour == "red"
    assert case.days_over == 3  # 20, 23, 24 November (21–22 are the weekend)


def test_a_bad_rating_waits_for_follow_up_until_done(hall):
    [rating] = statistics.pending_follow_ups(D(2026, 11, 24))
    assert rating.case_id == hall["done"].pk and not rating.late
    cases.follow_up(actor=hall["bureau"].chief, rating=rating, note="已整改并回访")
    assert statistics.pending_follow_ups(D(2026, 11, 24)) == []


def test_other_periods_count_nothing_but_keep_today_lists(hall):
    data = statistics.collect(statistics.Period(2026, 10), today=D(2026, 11, 24))
    assert data["figures"]["received"] == 0 and data["figures"]["on_time_rate"] is None
    assert data["tables"]["by_item"].rows == [] and len(data["overdue"]) == 1
    year = statistics.collect(statistics.Period(2026), today=D(2026, 11, 24))
    assert year["figures"]["received"] == 3


@pytest.mark.parametrize(
    ("text", "key"),
    [("2026-11", "2026-11"), ("2025", "2025"), ("2026-13", "2026-11"), ("x", "2026-11")],
)
def test_it_reads_the_period(text, key):
    assert statistics.Period.parse(text, D(2026, 11, 24)).key == key


def test_the_page_draws_the_charts_for_the_bureau(client, hall, django_assert_max_num_queries):
    client.force_login(hall["bureau"].leader)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("hall:stats"), {"period": "2026-11"})
    assert response.status_code == 200
    charts = response.context["charts"]
    assert {c["key"] for c in charts} == {"by_item", "sections", "trend", "ratings"}
    assert "echarts.min.js" in response.content.decode()
    assert hall["late"].number in response.content.decode()


def test_a_bad_period_gets_a_message_and_this_month(client, hall):
    client.force_login(hall["bureau"].chief)
    response = client.get(reverse("hall:stats"), {"period": "2026-99"})
    assert response.status_code == 200
    assert "统计期间“2026-99”无效" in response.content.decode()


@pytest.mark.parametrize("role", [Role.UNIT_CLERK, Role.SYSTEM_ADMIN, Role.CANDIDATE])
def test_outsiders_get_404(client, hall, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("hall:stats")).status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("hall:stats"))
    assert response.status_code == 302 and "login" in response.url
