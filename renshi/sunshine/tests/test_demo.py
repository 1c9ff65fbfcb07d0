import io

import pytest
import time_machine
from django.core.management import call_command

from renshi.core.models import User
from renshi.core.roles import Role
from renshi.sunshine.models import Notice, NoticeKind, Objection, Report, ReportStatus

pytestmark = pytest.mark.django_db


def _counts():
    return Notice.objects.count(), Objection.objects.count(), Report.objects.count()


@time_machine.travel("2026-11-28 10:00 +0800", tick=False)
def test_the_demo_loads_every_kind_and_state_once():
    call_command("load_demo_sunshine", stdout=io.StringIO())
    first = _counts()
    call_command("load_demo_sunshine", stdout=io.StringIO())
    assert _counts() == first
    assert User.objects.get(username="jijian").role == Role.DISCIPLINE
    phases = {(n.kind, n.phase()) for n in Notice.objects.all()}
    for kind in NoticeKind.values:
        if kind != NoticeKind.MILITARY:
            assert {(kind, "open"), (kind, "closed")} <= phases
    rounds = Notice.objects.filter(kind=NoticeKind.MILITARY).values_list("round", flat=True)
    assert sorted(rounds) == [1, 2, 3, 4, 5]
    assert set(Report.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    assert Objection.objects.filter(status="answered").exists()
