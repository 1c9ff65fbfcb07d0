from collections import Counter
from decimal import Decimal

import pytest

from renshi.core.models import AuditEvent
from renshi.exams import draws
from renshi.exams.errors import ExamError
from renshi.exams.models import Draw, Examiner, InterviewSlot, PanelMember
from renshi.exams.services import panels
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.factories_interviews import (
    DAY,
    make_day,
    make_examiner,
    make_pool,
    make_shortlisted,
)
from renshi.personnel.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def _check_constraints(exam, size=7, out=2):
    seen = Counter()
    for panel in exam.panels.prefetch_related("members__examiner", "positions"):
        members = [m.examiner for m in panel.members.all()]
        assert len(members) == size
        assert sum(m.chief for m in panel.members.all()) == 1
        assert sum(not panels.same_city(e.city, "鞍山市") for e in members) >= out
        assert len({e.unit_name for e in members}) == size
        hiring = {p.hiring_unit_name for p in panel.positions.all()}
        assert not hiring & {e.unit_name for e in members}
        chief = panel.members.get(chief=True).examiner
        assert chief.certificate_level == min(e.certificate_level for e in members)
        seen.update(e.pk for e in members)
    assert max(seen.values()) == 1


@pytest.mark.parametrize("seed", ["1", "42", "777777", "123456789012"])
def test_it_draws_panels_that_keep_every_rule(seed):
    exam = make_exam()
    pool = make_pool(40, units=30, chiefs=3)
    # Two examiners work at the hiring unit of the positions (鞍山市财政局): they are recused.
    pool[5].unit_name = pool[6].unit_name = "鞍山市财政局"
    Examiner.objects.bulk_update(pool[5:7], ["unit_name"])
    make_day(exam, panels_count=3)
    draw = panels.examiners_draw(actor="测试", exam=exam, date=DAY, seed=seed)
    _check_constraints(exam)
    assert draw.kind == "examiners" and draw.seed == seed
    assert AuditEvent.objects.filter(action="draw.examiners", object_id=str(draw.pk)).exists()
    chiefs = PanelMember.objects.filter(chief=True).values_list(
        "examiner__certificate_level", flat=True
    )
    assert set(chiefs) == {1}


def test_a_hiring_unit_linked_by_unit_record_is_recused():
    exam = make_exam()
    unit = make_unit("鞍山市教育局")
    make_pool(30)
    insider = make_examiner(unit_name="市教育局（借调）", unit=unit, city="营口市", level=1)
    (panel,) = make_day(exam, panels_count=1, unit=unit)
    for seed in ("1", "2", "3", "4", "5"):
        PanelMember.objects.all().delete()
        exam.panels.update(draw=None)
        panels.examiners_draw(actor="测试", exam=exam, date=DAY, seed=seed)
        assert not panel.members.filter(examiner=insider).exists()


def test_the_same_seed_gives_the_same_panels_and_verify_reproduces_it():
    exam = make_exam()
    make_pool(30)
    make_day(exam, panels_count=2)
    draw = panels.examiners_draw(actor="测试", exam=exam, date=DAY, seed="2026")
    first = sorted(PanelMember.objects.values_list("panel__code", "examiner_id", "chief"))
    assert draws.verify(draw).ok
    # Later changes to the pool do not disturb the check: the pool is recorded by id.
    make_examiner(city="营口市")
    assert draws.verify(draw).ok
    # The same seed on a fresh copy of the day gives the same members.
    PanelMember.objects.all().delete()
    Examiner.objects.filter(pk=Examiner.objects.latest("pk").pk).update(active=False)
    exam.panels.update(draw=None)
    panels.examiners_draw(actor="测试", exam=exam, date=DAY, seed="2026")
    assert sorted(PanelMember.objects.values_list("panel__code", "examiner_id", "chief")) == first


def test_verify_notices_a_tampered_input():
    exam = make_exam()
    make_pool(30)
    make_day(exam, panels_count=2)
    draw = panels.examiners_draw(actor="测试", exam=exam, date=DAY, seed="5")
    member = PanelMember.objects.filter(chief=False).first().examiner
    Examiner.objects.filter(pk=member.pk).update(
        city="鞍山市" if member.city != "鞍山市" else "沈阳市"
    )
    outcome = draws.verify(draw)
    assert not outcome.inputs_match and not outcome.ok


def test_it_says_which_panel_and_which_rule_when_the_draw_is_impossible():
    exam = make_exam()
    make_pool(30, out_of_town_share=100)  # one out-of-town examiner in the whole pool
    make_day(exam, panels_count=2)
    with pytest.raises(ExamError, match="异地考官共1人，不足2个考官组×每组至少2人"):
        panels.examiners_draw(actor="测试", exam=exam, date=DAY, seed="1")
    assert not Draw.objects.exists() and not PanelMember.objects.exists()


def test_it_names_the_panel_whose_hiring_unit_leaves_too_few_examiners():
    exam = make_exam()
    make_pool(16, units=None)
    Examiner.objects.filter(pk__in=list(Examiner.objects.values_list("pk", flat=True)[:10])).update(
        unit_name="鞍山市公安局"
    )
    make_day(exam, panels_count=1, hiring_unit_name="鞍山市公安局")
    with pytest.raises(
        ExamError, match="第01考官组：回避本组面试职位所属单位后可用考官仅6人，不足7人"
    ):
        panels.examiners_draw(actor="测试", exam=exam, date=DAY, seed="1")


def test_same_unit_examiners_never_share_a_panel_even_when_it_makes_the_draw_impossible():
    exam = make_exam()
    make_pool(20, units=6)
    make_day(exam, panels_count=1)
    with pytest.raises(ExamError, match="第01考官组：可用考官来自的单位不足7个"):
        panels.examiners_draw(actor="测试", exam=exam, date=DAY, seed="1")


@pytest.mark.parametrize("size", [4, 6, 10])
def test_panel_size_must_be_odd_between_5_and_9(size):
    exam = make_exam()
    rules = panels.rules_for(exam)
    rules.panel_size = size
    rules.save()
    make_pool(30)
    make_day(exam, panels_count=1)
    with pytest.raises(ExamError, match="每组考官人数须为5–9之间的奇数"):
        panels.examiners_draw(actor="测试", exam=exam, date=DAY)


def test_it_refuses_a_second_draw_for_the_day_and_a_position_on_two_panels():
    exam = make_exam()
    make_pool(30)
    (panel,) = make_day(exam, panels_count=1)
    panels.examiners_draw(actor="测试", exam=exam, date=DAY)
    with pytest.raises(ExamError, match="考官已抽签"):
        panels.examiners_draw(actor="测试", exam=exam, date=DAY)
    with pytest.raises(ExamError, match="同一职位只能由一个考官组面试"):
        panels.panel_create(
            actor="测试", exam=exam, date=DAY, code="09",
            position_ids=[panel.positions.get().pk],
        )  # fmt: skip


def test_candidates_draw_their_order_reproducibly():
    exam = make_exam()
    make_pool(20)
    (panel,) = make_day(exam, panels_count=1)
    position = panel.positions.get()
    second = make_position(exam)
    panel.positions.add(second)
    make_shortlisted(position, [90, 85, 80])
    make_shortlisted(second, [70, 65])
    make_shortlisted(second, [60], status="withdrawn")
    panels.examiners_draw(actor="测试", exam=exam, date=DAY, seed="1")
    draw = panels.interview_order_draw(actor="测试", panel=panel, seed="314159")
    orders = list(InterviewSlot.objects.filter(panel=panel).values_list("order", flat=True))
    assert sorted(orders) == [1, 2, 3, 4, 5]
    assert draws.verify(draw).ok
    with pytest.raises(ExamError, match="面试顺序已抽签"):
        panels.interview_order_draw(actor="测试", panel=panel)
    InterviewSlot.objects.filter(panel=panel, order=5).delete()
    assert not draws.verify(draw).inputs_match


def test_the_order_is_a_function_of_the_seed():
    inputs = {"panel": 1, "applications": list(range(1, 30))}
    a = panels._order_run(inputs, draws.rng_for("9"))
    assert a == panels._order_run(inputs, draws.rng_for("9"))
    assert a != panels._order_run(inputs, draws.rng_for("10"))


def test_trimmed_mean_rounds_half_up():
    scores = [Decimal(s) for s in ("80", "85.5", "90", "70", "88", "86", "84")]
    assert panels.trimmed_mean(scores) == Decimal("84.70")
    # 5 kept scores summing to 400.03 → 80.006 → 80.01 (half up at the third decimal).
    assert panels.trimmed_mean(["60", "80", "80", "80", "80.01", "80.02", "99"]) == Decimal("80.01")
    # Kept 83.32, 83.325, 83.33: mean 83.325 → 83.33 half up (banker's rounding gives 83.32).
    assert panels.trimmed_mean(["50", "83.32", "83.33", "83.325", "90"]) == Decimal("83.33")
