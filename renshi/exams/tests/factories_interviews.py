"""Test data for interviews and hiring: an examiner pool, panels, shortlisted candidates with
written scores (the shortlist and written scores belong to the scores engineer; these rows are
made directly)."""

import datetime
import itertools
from decimal import Decimal

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.models import (
    Application,
    ApplicationStatus,
    Examiner,
    FeeStatus,
    Result,
    ShortlistEntry,
)
from renshi.exams.services import panels
from renshi.exams.tests.factories import make_candidate, make_exam, make_position

_seq = itertools.count(1)
DAY = datetime.date(2026, 5, 16)


def make_examiner(*, city="鞍山市", unit_name=None, level=3, login=False, **fields):
    n = next(_seq)
    user = UserFactory(role=Role.EXAMINER, full_name=f"考官{n}") if login else None
    return Examiner.objects.create(
        name=fields.pop("name", f"考官{n}"),
        certificate_level=level,
        unit_name=unit_name or f"单位{n}",
        city=city,
        user=user,
        **fields,
    )


def make_pool(size, *, out_of_town_share=3, units=None, chiefs=0):
    """`size` examiners: every `out_of_town_share`-th from 营口市, the rest local; `units`
    distinct unit names cycled (default: one unit each); the first `chiefs` at level 1."""
    examiners = []
    for i in range(size):
        unit = f"池单位{i % units}" if units else None
        examiners.append(
            make_examiner(
                city="营口市" if i % out_of_town_share == 0 else "鞍山市",
                unit_name=unit,
                level=1 if i < chiefs else 2 + i % 2,
            )
        )
    return examiners


def make_day(exam, *, panels_count=2, date=DAY, positions_per_panel=1, **position_fields):
    """Panels on one day, each with its own positions."""
    made = []
    for n in range(1, panels_count + 1):
        positions = [make_position(exam, **position_fields) for _ in range(positions_per_panel)]
        made.append(
            panels.panel_create(
                actor="测试",
                exam=exam,
                date=date,
                code=f"{n:02d}",
                position_ids=[p.pk for p in positions],
            )
        )
    return made


def make_shortlisted(position, written_scores, *, status="invited"):
    """One shortlisted (paid) application per written score, ranked in the given order."""
    applications = []
    for rank, written in enumerate(written_scores, 1):
        candidate = make_candidate(name=f"面试考生{next(_seq)}")
        application = Application.objects.create(
            exam=position.exam,
            candidate=candidate,
            position=position,
            area=position.area,
            status=ApplicationStatus.APPROVED,
            fee_status=FeeStatus.PAID,
        )
        Result.objects.create(
            application=application, written=Decimal(str(written)), written_passed=True
        )
        ShortlistEntry.objects.create(
            position=position, application=application, written_rank=rank, status=status
        )
        applications.append(application)
    return applications


def drawn_panel(*, size=5, pool=12, candidates=(80, 75, 70), plan_count=1, exam=None):
    """An exam with one panel drawn (`size` examiners, all with logins) and candidates ordered."""
    exam = exam or make_exam()
    rules = panels.rules_for(exam)
    rules.panel_size = size
    rules.save()
    for i in range(pool):
        make_examiner(city="营口市" if i % 2 else "鞍山市", login=True)
    (panel,) = make_day(exam, panels_count=1, plan_count=plan_count)
    position = panel.positions.get()
    make_shortlisted(position, candidates)
    panels.examiners_draw(actor="测试", exam=exam, date=panel.date, seed="1")
    panels.interview_order_draw(actor="测试", panel=panel, seed="2")
    return panel
