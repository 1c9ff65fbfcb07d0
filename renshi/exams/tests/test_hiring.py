import datetime
from decimal import Decimal

import pytest

from renshi.exams.errors import ExamError
from renshi.exams.models import (
    CheckOutcome,
    ExamKind,
    HireNoticeStatus,
    HireStep,
    Result,
    SubjectScore,
)
from renshi.exams.services import hiring, panels
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.factories_interviews import make_shortlisted

pytestmark = pytest.mark.django_db
D = datetime.date


def interviewed(position, pairs, *, passed=True):
    """Applications with (written, interview) scores already in."""
    applications = make_shortlisted(position, [w for w, _ in pairs], status="qualified")
    for application, (_, interview) in zip(applications, pairs, strict=True):
        Result.objects.filter(application=application).update(
            interview=Decimal(str(interview)), interview_passed=passed
        )
    return applications


def _result(application):
    return Result.objects.get(application=application)


def test_composite_uses_the_exam_weights_and_rounds_half_up():
    exam = make_exam()
    position = make_position(exam)
    (a,) = interviewed(position, [("70.01", "80")])
    hiring.composite_compute(actor="测试", exam=exam)
    assert _result(a).composite == Decimal("75.01")  # 75.005: banker's rounding would give 75.00
    exam2 = make_exam()
    hiring.composite_weights_save(
        actor="测试", exam=exam2, written_weight="0.4", interview_weight="0.6"
    )
    (b,) = interviewed(make_position(exam2), [("70.13", "80.01")])
    hiring.composite_compute(actor="测试", exam=exam2)
    assert _result(b).composite == Decimal("76.06")  # 28.052 + 48.006


@pytest.mark.parametrize("weights", [("0.5", "0.6"), ("1.2", "-0.2"), ("abc", "0.5")])
def test_bad_weights_are_refused(weights):
    exam = make_exam()
    with pytest.raises(ExamError, match="权重"):
        hiring.composite_weights_save(
            actor="测试", exam=exam, written_weight=weights[0], interview_weight=weights[1]
        )
    assert panels.rules_for(exam).written_weight == Decimal("0.5")


def test_only_interview_passed_candidates_are_ranked():
    exam = make_exam()
    position = make_position(exam)
    (top,) = interviewed(position, [(90, 59)], passed=False)
    (second,) = interviewed(position, [(60, 70)])
    hiring.composite_compute(actor="测试", exam=exam)
    assert _result(top).composite == Decimal("74.50") and _result(top).composite_rank is None
    assert _result(second).composite_rank == 1


@pytest.mark.parametrize(
    ("chain", "expected"),
    [
        (["composite", "written", "interview"], ["written_high", "interview_high"]),
        (["interview"], ["interview_high", "written_high"]),
        (["subject:02"], ["interview_high", "written_high"]),
    ],
)
def test_ties_follow_the_exam_chain(chain, expected):
    exam = make_exam()
    rules = panels.rules_for(exam)
    rules.tie_break = chain
    rules.save()
    position = make_position(exam)
    written_high, interview_high = interviewed(position, [(82, 78), (78, 82)])
    essay = exam.subjects.get(code="02")
    SubjectScore.objects.create(application=written_high, subject=essay, score=70)
    SubjectScore.objects.create(application=interview_high, subject=essay, score=71)
    hiring.composite_compute(actor="测试", exam=exam)
    names = {"written_high": written_high, "interview_high": interview_high}
    assert [_result(names[n]).composite_rank for n in expected] == [1, 2]


def test_a_full_tie_shares_the_rank_and_stops_the_physical_list():
    exam = make_exam()
    position = make_position(exam, plan_count=1)
    a, b = interviewed(position, [(80, 80), (80, 80)])
    hiring.composite_compute(actor="测试", exam=exam)
    assert _result(a).composite_rank == _result(b).composite_rank == 1
    with pytest.raises(ExamError, match=f"职位 {position.code} 第1名并列"):
        hiring.physical_list_make(actor="测试", exam=exam)
    assert not HireStep.objects.exists()


def test_physical_failures_are_replaced_at_most_twice_then_the_position_is_vacant():
    exam = make_exam()
    position = make_position(exam, plan_count=1)
    apps = interviewed(position, [(90, 90), (85, 85), (80, 80), (75, 75), (70, 70)])
    hiring.composite_compute(actor="测试", exam=exam)
    assert hiring.physical_list_make(actor="测试", exam=exam) == 1
    step = HireStep.objects.get()
    assert step.application == apps[0]
    first = hiring.step_record(
        actor="测试", step_id=step.pk, stage="physical", outcome=CheckOutcome.FAILED
    )
    assert first.called.application == apps[1] and first.called.called_round == 1
    second = hiring.step_record(
        actor="测试", step_id=first.called.pk, stage="physical", outcome=CheckOutcome.WAIVED
    )
    assert second.called.application == apps[2] and second.called.called_round == 2
    third = hiring.step_record(
        actor="测试", step_id=second.called.pk, stage="physical", outcome=CheckOutcome.FAILED
    )
    assert third.called is None and "已递补2次，达到上限，该职位空缺" in third.message
    assert HireStep.objects.count() == 3


def test_inspection_follows_a_passed_physical_and_is_recorded_once():
    exam = make_exam()
    position = make_position(exam, plan_count=1)
    interviewed(position, [(90, 90), (85, 85)])
    hiring.composite_compute(actor="测试", exam=exam)
    hiring.physical_list_make(actor="测试", exam=exam)
    step = HireStep.objects.get()
    with pytest.raises(ExamError, match="体检合格后才能记录考察结果"):
        hiring.step_record(actor="测试", step_id=step.pk, stage="inspection", outcome="passed")
    hiring.step_record(actor="测试", step_id=step.pk, stage="physical", outcome="passed")
    with pytest.raises(ExamError, match="体检结果已记录"):
        hiring.step_record(actor="测试", step_id=step.pk, stage="physical", outcome="failed")
    hiring.step_record(actor="测试", step_id=step.pk, stage="inspection", outcome="passed")
    step.refresh_from_db()
    assert (step.physical, step.inspection) == ("passed", "passed")


def _ready_notice(kind=ExamKind.CIVIL_SERVICE):
    exam = make_exam(kind=kind)
    position = make_position(exam, plan_count=1)
    (hired,) = interviewed(position, [(90, 90)])
    hiring.composite_compute(actor="测试", exam=exam)
    hiring.physical_list_make(actor="测试", exam=exam)
    step = HireStep.objects.get(application=hired)
    hiring.step_record(actor="测试", step_id=step.pk, stage="physical", outcome="passed")
    hiring.step_record(actor="测试", step_id=step.pk, stage="inspection", outcome="passed")
    return hiring.notice_create(actor="测试", exam=exam), hired


def test_the_notice_runs_five_working_days_over_national_day():
    notice, hired = _ready_notice()
    notice = hiring.notice_publish(actor="测试", notice_id=notice.pk, today=D(2025, 9, 30))
    # 1–8 Oct off; 11 Oct (Saturday) a make-up working day: 9, 10, 11, 13, 14.
    assert notice.ends_on == D(2025, 10, 14)
    assert list(notice.entries.all()) == [hired]


def test_a_public_institution_notice_runs_seven_working_days():
    notice, _ = _ready_notice(ExamKind.INSTITUTION)
    notice = hiring.notice_publish(actor="测试", notice_id=notice.pk, today=D(2025, 9, 30))
    assert notice.ends_on == D(2025, 10, 16)


def test_objections_are_recorded_answered_and_only_then_the_list_is_final():
    notice, hired = _ready_notice()
    hiring.notice_publish(actor="测试", notice_id=notice.pk, today=D(2025, 9, 30))
    with pytest.raises(ExamError, match="不受理匿名异议"):
        hiring.objection_record(
            actor="测试", notice_id=notice.pk, text="学历存疑", contact=" ", today=D(2025, 10, 9)
        )
    objection = hiring.objection_record(
        actor="测试", notice_id=notice.pk, text="学历存疑", contact="13800000000",
        application_id=hired.pk, today=D(2025, 10, 9),
    )  # fmt: skip
    with pytest.raises(ExamError, match="期满后才能确定"):
        hiring.notice_finalise(actor="测试", notice_id=notice.pk, today=D(2025, 10, 14))
    with pytest.raises(ExamError, match="尚有1件异议未核查完毕"):
        hiring.notice_finalise(actor="测试", notice_id=notice.pk, today=D(2025, 10, 15))
    hiring.objection_decide(actor="测试", objection_id=objection.pk, outcome="经核查，学历属实")
    final = hiring.notice_finalise(actor="测试", notice_id=notice.pk, today=D(2025, 10, 15))
    assert final.status == HireNoticeStatus.FINAL
    with pytest.raises(ExamError, match="只能在公示期内登记异议"):
        hiring.objection_record(
            actor="测试", notice_id=notice.pk, text="x", contact="y", today=D(2025, 10, 15)
        )


def test_a_notice_needs_every_outcome_recorded():
    exam = make_exam()
    position = make_position(exam, plan_count=1)
    interviewed(position, [(90, 90)])
    hiring.composite_compute(actor="测试", exam=exam)
    hiring.physical_list_make(actor="测试", exam=exam)
    with pytest.raises(ExamError, match="尚有考生的体检或考察结果未记录"):
        hiring.notice_create(actor="测试", exam=exam)
