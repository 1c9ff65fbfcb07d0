"""Races on real row locks: these run on PostgreSQL (SQLite serialises writers anyway)."""

import pytest
from django.db import connection

from renshi.core.tests.races import race as _race
from renshi.sunshine import services
from renshi.sunshine.errors import SunshineError
from renshi.sunshine.models import Notice, NoticeKind, Objection, Report
from renshi.sunshine.tests.helpers import D, make_notice, report, staff

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def race(jobs):
    """Run the callables at once; return (successes, error messages)."""
    results, refusals = _race(jobs, SunshineError)
    return results, [e.message for e in refusals]


def test_two_answers_to_one_objection_one_wins():
    notice = make_notice()
    objection = services.objection_submit(
        notice_id=notice.pk, name="钱", phone="13900001111", text="有异议", today=D(2025, 10, 9)
    )
    a, b = staff(), staff()
    results, errors = race(
        [
            lambda user=user: services.objection_answer(
                actor=user, objection_id=objection.pk, answer=f"答复{user.pk}"
            )
            for user in (a, b)
        ]
    )
    assert len(results) == 1 and errors == ["该异议已答复"]
    assert Objection.objects.get().answer == f"答复{results[0].answered_by_id}"


def test_the_same_round_published_twice_at_once_one_wins():
    batch = {"kind": NoticeKind.MILITARY, "batch": "2026年度军转干部安置", "round": 3}
    results, errors = race([lambda: make_notice(publish=False, **batch)] * 3)
    assert len(results) == 1 and errors == ["2026年度军转干部安置的第三榜已有公示"] * 2
    assert Notice.objects.count() == 1


def test_two_answers_to_one_report_one_wins():
    filed, _ = report()
    results, errors = race(
        [lambda: services.report_answer(actor="测试", report_id=filed.pk, answer="已处理")] * 2
    )
    assert len(results) == 1 and errors == ["该举报当前为“已答复”，不能进行此操作"]
    assert Report.objects.get().answer == "已处理"
