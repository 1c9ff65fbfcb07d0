from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from renshi.core.models import AuditEvent
from renshi.exams.errors import ExamError
from renshi.exams.models import ExaminerScore, Result
from renshi.exams.services import panels
from renshi.exams.tests.factories_interviews import drawn_panel

pytestmark = pytest.mark.django_db


def _users(panel):
    return [m.examiner.user for m in panel.members.select_related("examiner__user").order_by("pk")]


def _score_all(panel, order, scores):
    slot = panel.slots.get(order=order)
    for user, score in zip(_users(panel), scores, strict=True):
        panels.score_enter(actor=user, slot_id=slot.pk, score=score)
    return slot


def test_it_computes_the_trimmed_mean_when_the_last_examiner_scores():
    panel = drawn_panel(size=7)
    slot = panel.slots.get(order=1)
    users = _users(panel)
    for user, score in zip(users[:6], ["80", "85.5", "90", "70", "88", "86"], strict=True):
        panels.score_enter(actor=user, slot_id=slot.pk, score=score)
    assert Result.objects.get(application=slot.application).interview is None
    panels.score_enter(actor=users[6], slot_id=slot.pk, score="84")
    result = Result.objects.get(application=slot.application)
    assert result.interview == Decimal("84.70")
    assert AuditEvent.objects.filter(action="interview.score").count() == 7
    assert AuditEvent.objects.filter(action="interview.result").count() == 1


def test_an_examiner_scores_once_and_never_changes_it():
    panel = drawn_panel()
    slot = panel.slots.get(order=2)
    user = _users(panel)[0]
    entry = panels.score_enter(actor=user, slot_id=slot.pk, score="77.5")
    with pytest.raises(ExamError, match="您已为2号考生评分，评分提交后不可修改"):
        panels.score_enter(actor=user, slot_id=slot.pk, score="99")
    entry.score = Decimal("99")
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    assert ExaminerScore.objects.get().score == Decimal("77.50")


@pytest.mark.parametrize("score", ["-1", "100.01", "abc", "80.125", "NaN"])
def test_bad_scores_are_refused_and_nothing_is_saved(score):
    panel = drawn_panel()
    with pytest.raises(ExamError, match="评分"):
        panels.score_enter(actor=_users(panel)[0], slot_id=panel.slots.first().pk, score=score)
    assert not ExaminerScore.objects.exists()


def test_an_examiner_sees_only_their_own_scores_and_their_own_panel():
    panel = drawn_panel()
    other = drawn_panel()
    me, colleague = _users(panel)[:2]
    slot = panel.slots.get(order=1)
    panels.score_enter(actor=colleague, slot_id=slot.pk, score="60")
    mine = panels.examiner_slots(panels.examiner_of(me), panel)
    assert [(s.order, score) for s, score in mine] == [(1, None), (2, None), (3, None)]
    panels.score_enter(actor=me, slot_id=slot.pk, score="88")
    mine = panels.examiner_slots(panels.examiner_of(me), panel)
    assert mine[0][1] == Decimal("88.00")
    with pytest.raises(ExamError, match="找不到该考生"):
        panels.score_enter(actor=me, slot_id=other.slots.first().pk, score="80")
    staff = other.exam.panels.first().members.first().examiner.user
    staff.role = "exam_office"
    with pytest.raises(ExamError, match="找不到该考生"):
        panels.score_enter(actor=staff, slot_id=slot.pk, score="80")


def test_the_office_sees_progress_without_values_until_complete():
    panel = drawn_panel()
    users = _users(panel)
    slot = panel.slots.get(order=1)
    panels.score_enter(actor=users[0], slot_id=slot.pk, score="70")
    row = panels.panel_progress(panel)[0]
    assert (row.entered, row.members, row.interview) == (1, 5, None)
    with pytest.raises(ExamError, match="尚未全部评分完毕"):
        panels.panel_score_sheet(panel)
    for user, score in zip(users[1:], ["80", "81", "82.5", "95"], strict=True):
        panels.score_enter(actor=user, slot_id=slot.pk, score=score)
    assert panels.panel_progress(panel)[0].interview == Decimal("81.17")
    _score_all(panel, 2, ["60"] * 5)
    panels.slot_mark_absent(actor="测试", slot=panel.slots.get(order=3))
    sheet = panels.panel_score_sheet(panel)
    assert sorted(sheet[0][1]) == [Decimal(s) for s in ("70", "80", "81", "82.5", "95")]


def test_pass_line_is_60_with_competition_and_70_without():
    panel = drawn_panel(candidates=(80, 75, 70), plan_count=1)
    first = _score_all(panel, 1, ["65"] * 5)
    second = _score_all(panel, 2, ["61"] * 5)
    assert Result.objects.get(application=first.application).interview_passed
    assert Result.objects.get(application=second.application).interview_passed
    # The third does not come: two sat for a plan of one, still a competition.
    panels.slot_mark_absent(actor="测试", slot=panel.slots.get(order=3))
    assert Result.objects.get(application=second.application).interview_passed


def test_without_competition_the_line_is_70():
    panel = drawn_panel(candidates=(80, 75), plan_count=1)
    panels.slot_mark_absent(actor="测试", slot=panel.slots.get(order=2))
    slot = _score_all(panel, 1, ["69.99"] * 5)
    assert not Result.objects.get(application=slot.application).interview_passed
    panel = drawn_panel(candidates=(80,), plan_count=1)
    slot = _score_all(panel, 1, ["70"] * 5)
    assert Result.objects.get(application=slot.application).interview_passed


def test_an_absent_candidate_cannot_be_scored():
    panel = drawn_panel()
    slot = panel.slots.get(order=1)
    panels.slot_mark_absent(actor="测试", slot=slot)
    with pytest.raises(ExamError, match="1号考生缺考"):
        panels.score_enter(actor=_users(panel)[0], slot_id=slot.pk, score="80")
