"""Written scores: weights and half-up rounding, lines, competition ranks, the Excel import with
errors by row and column, publication and score reviews."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from renshi.core import notify
from renshi.core.models import AuditEvent
from renshi.exams import scores_import
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    ExamSession,
    Incident,
    IncidentKind,
    Result,
    ScoreReviewRequest,
    SubjectScore,
)
from renshi.exams.services import scores
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.factories_scores import (
    make_rules,
    office_user,
    score_file,
    seated_applications,
)

pytestmark = pytest.mark.django_db
D = Decimal


# --- Arithmetic -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores_", "weights", "expected"),
    [
        ({"01": D("70.25"), "02": D("64")}, {"01": D("0.5"), "02": D("0.5")}, D("67.13")),
        ({"01": D("70.24"), "02": D("64")}, {"01": D("0.5"), "02": D("0.5")}, D("67.12")),
        ({"01": D("0.01"), "02": D("0")}, {"01": D("0.5"), "02": D("0.5")}, D("0.01")),
        (
            {"01": D("81.5"), "02": D("72"), "03": D("66.5")},
            {"01": D("0.4"), "02": D("0.3"), "03": D("0.3")},
            D("74.15"),
        ),
        ({"01": D("70"), "02": None}, {"01": D("0.5"), "02": D("0.5")}, None),
    ],
)
def test_written_total_is_weighted_and_rounded_half_up(scores_, weights, expected):
    assert scores.written_total(scores_, weights) == expected


def test_half_up_is_not_bankers_rounding():
    assert scores.half_up(D("67.125")) == D("67.13")
    assert scores.half_up(D("67.135")) == D("67.14")
    assert scores.half_up(D("2.675")) == D("2.68")  # float would give 2.67


def test_competition_ranks_share_and_skip():
    ranks = scores.competition_ranks(
        [(1, D("80")), (2, D("90")), (3, D("80")), (4, D("70")), (5, D("90"))]
    )
    assert ranks == {2: 1, 5: 1, 1: 3, 3: 3, 4: 5}


def test_lines_total_and_subject():
    exam = make_exam()
    rules = make_rules(exam, min_written=D("60"), min_subject={"01": "55"})
    assert scores.passes_lines({"01": D("55"), "02": D("65")}, D("60"), rules)
    assert not scores.passes_lines({"01": D("54.99"), "02": D("70")}, D("62.5"), rules)
    assert not scores.passes_lines({"01": D("60"), "02": D("59.98")}, D("59.99"), rules)
    assert not scores.passes_lines({"01": D("60"), "02": None}, None, rules)


# --- Rules ------------------------------------------------------------------------------------


def _save_rules(exam, actor, **fields):
    values = {
        "subject_weights": {"01": "0.5", "02": "0.5"},
        "min_written": "60",
        "min_subject": {},
        "interview_ratio": 3,
        "tie_break": ["written", "subject:01"],
    }
    values.update(fields)
    return scores.scoring_rules_save(actor=actor, exam=exam, **values)


def test_it_saves_rules_with_audit():
    exam = make_exam()
    office = office_user()
    rules = _save_rules(exam, office, min_subject={"01": "50"})
    assert rules.subject_weights == {"01": "0.5", "02": "0.5"}
    assert rules.min_subject == {"01": "50"}
    assert rules.tie_break == ["written", "subject:01"]
    assert AuditEvent.objects.filter(action="scoring_rules.create").count() == 1
    _save_rules(exam, office, min_written="65", min_subject={"01": "50"})
    update = AuditEvent.objects.get(action="scoring_rules.update")
    assert update.before == {"min_written": "60.00"} and update.after == {"min_written": "65"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"subject_weights": {"01": "0.5", "02": "0.4"}}, "权重之和须等于1"),
        ({"subject_weights": {"01": "abc", "02": "0.5"}}, "不是数字"),
        ({"subject_weights": {"09": "1"}}, "不是本考试的科目"),
        ({"subject_weights": {"01": "", "02": ""}}, "至少为一个科目设置权重"),
        ({"min_subject": {"01": "120"}}, "分数线须在0–100之间"),
        ({"tie_break": ["luck"]}, "无法识别"),
        ({"tie_break": ["subject:07"]}, "无法识别"),
        ({"interview_ratio": 0}, "面试比例"),
    ],
)
def test_bad_rules_are_refused_and_nothing_saved(fields, message):
    exam = make_exam()
    with pytest.raises(ExamError, match=message):
        _save_rules(exam, office_user(), **fields)
    assert not hasattr(exam, "scoring") or not exam.scoring.pk


def test_police_weights_three_subjects():
    exam = make_exam()
    exam.subjects.create(code="03", name="公安专业科目", fee=D("50"), order=3)
    rules = _save_rules(
        exam, office_user(), subject_weights={"01": "0.4", "02": "0.3", "03": "0.3"}
    )
    assert sum(scores.weights_of(rules).values()) == 1


# --- Import -----------------------------------------------------------------------------------


@pytest.fixture
def seated():
    exam = make_exam()
    office = office_user()
    make_rules(exam, min_written=D("60"))
    a = make_position(exam, plan_count=1)
    b = make_position(exam, plan_count=1)
    return exam, office, a, b, seated_applications(a, office, 4), seated_applications(b, office, 2)


def test_it_imports_computes_written_lines_and_ranks(seated):
    exam, office, _a, _b, in_a, in_b = seated
    data = score_file(
        [
            (in_a[0].ticket, "考生1", 70.25, 64),  # 67.125 → 67.13
            (in_a[1].ticket, "考生2", "80", "54.26"),  # 67.13: tied with the first
            (in_a[2].ticket, "考生3", 50, 60),  # 55 → below the line
            (in_a[3].ticket, "考生4", "缺考", 90),  # absent: no written score
            (in_b[0].ticket, "考生5", 88, 90),
            (in_b[1].ticket, "考生6", 60.5, 61.5),
        ]
    )
    report = scores_import.score_check(data, exam)
    assert report.fatal == "" and report.errors == []
    assert report.counts == {"good": 6, "absent": 1, "error": 0, "missing": 0}
    result = scores_import.score_import(actor=office, exam=exam, report=report, only_valid=False)
    assert result.written == 11
    r = {x.application_id: x for x in Result.objects.all()}
    assert (r[in_a[0].pk].written, r[in_a[0].pk].written_rank) == (D("67.13"), 1)
    assert (r[in_a[1].pk].written, r[in_a[1].pk].written_rank) == (D("67.13"), 1)
    assert (r[in_a[2].pk].written, r[in_a[2].pk].written_passed) == (D("55.00"), False)
    assert r[in_a[2].pk].written_rank == 3
    assert (r[in_a[3].pk].written, r[in_a[3].pk].written_rank) == (None, None)
    assert SubjectScore.objects.filter(application=in_a[3]).count() == 1
    assert (r[in_b[0].pk].written_rank, r[in_b[1].pk].written_rank) == (1, 2)
    assert r[in_b[1].pk].written == D("61.00") and r[in_b[1].pk].written_passed
    assert AuditEvent.objects.filter(action="scores.import").count() == 1


def test_reimport_updates_and_is_idempotent(seated):
    exam, office, _a, _b, in_a, _in_b = seated
    first = score_file([(in_a[0].ticket, "", 70, 70), (in_a[1].ticket, "", 60, 60)])
    scores_import.score_import(
        actor=office, exam=exam, report=scores_import.score_check(first, exam), only_valid=False
    )
    again = scores_import.score_import(
        actor=office, exam=exam, report=scores_import.score_check(first, exam), only_valid=False
    )
    assert again.results == 0  # nothing changed the second time
    fixed = score_file([(in_a[0].ticket, "", 70, 80), (in_a[1].ticket, "", "缺考", 60)])
    scores_import.score_import(
        actor=office, exam=exam, report=scores_import.score_check(fixed, exam), only_valid=False
    )
    assert SubjectScore.objects.filter(application=in_a[0]).count() == 2
    assert Result.objects.get(application=in_a[0]).written == D("75.00")
    assert Result.objects.get(application=in_a[1]).written is None
    assert SubjectScore.objects.filter(application=in_a[1]).count() == 1


def test_errors_by_row_and_column(seated):
    exam, office, _a, _b, in_a, in_b = seated
    data = score_file(
        [
            (in_a[0].ticket, "", 70, 64),
            (in_a[0].ticket, "", 71, 64),  # row 3: duplicate ticket
            ("9999999999", "", 70, 64),  # row 4: unknown ticket
            (in_a[1].ticket, "", "七十", 64),  # row 5: not a number
            (in_a[2].ticket, "", 70, 100.5),  # row 6: out of range
            (in_a[3].ticket, "", -1, ""),  # row 7: negative, empty
            (in_b[0].ticket, "", 70.125, 60),  # row 8: three decimals
        ],
        title="2026年笔试成绩",  # the header is on row 2
    )
    report = scores_import.score_check(data, exam)
    found = {(e.row, e.column): e.message for e in report.errors}
    assert found == {
        (4, "A"): "准考证号与第3行重复",
        (5, "A"): "准考证号「9999999999」不是本考试的考生",
        (6, "C"): "成绩「七十」不是数字",
        (7, "D"): "成绩「100.5」超出范围（0–100）",
        (8, "C"): "成绩「-1」超出范围（0–100）",
        (8, "D"): "成绩为空（缺考请填写「缺考」）",
        (9, "C"): "成绩「70.125」超过两位小数",
    }
    with pytest.raises(ExamError, match="6行错误"):
        scores_import.score_import(actor=office, exam=exam, report=report, only_valid=False)
    assert not SubjectScore.objects.exists()
    result = scores_import.score_import(actor=office, exam=exam, report=report, only_valid=True)
    assert (result.written, result.skipped) == (2, 6)
    assert list(SubjectScore.objects.values_list("application_id", flat=True).distinct()) == [
        in_a[0].pk
    ]


def test_missing_subject_column_and_bad_files(seated):
    exam, *_ = seated
    data = score_file([("1", "", 70)], headers=("准考证号", "姓名", "行政职业能力测验"))
    assert scores_import.score_check(data, exam).fatal == (
        "缺少科目成绩列：申论（02）（列名写科目名称或科目代码）"
    )
    by_code = score_file([], headers=("准考证号", "01", "02"))
    assert scores_import.score_check(by_code, exam).fatal == "第1行表头之下没有成绩数据"
    no_ticket = score_file([("x", 1, 2)], headers=("考号", "01", "02"))
    assert "找不到「准考证号」列" in scores_import.score_check(no_ticket, exam).fatal
    assert "不是有效的Excel" in scores_import.score_check(b"not a zip", exam).fatal


def test_absence_recorded_by_proctors_refuses_a_score(seated):
    exam, office, _a, _b, in_a, _in_b = seated
    now = timezone.now()
    session = ExamSession.objects.create(
        exam=exam, code="AM", name="上午", starts_at=now, ends_at=now
    )
    session.subjects.add(exam.subjects.get(code="01"))
    Incident.objects.create(application=in_a[0], session=session, kind=IncidentKind.ABSENT)
    report = scores_import.score_check(score_file([(in_a[0].ticket, "", 70, 70)]), exam)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "C", "考场记录为缺考，不能录入成绩")
    ]
    absent = score_file([(in_a[0].ticket, "", "缺考", 70)])
    scores_import.score_import(
        actor=office, exam=exam, report=scores_import.score_check(absent, exam), only_valid=False
    )
    assert Result.objects.get(application=in_a[0]).written is None


def test_numeric_ticket_cells_get_their_leading_zeros_back(seated):
    exam, _office, _a, _b, in_a, _in_b = seated
    from renshi.exams.models import Seat

    Seat.objects.filter(application=in_a[0]).update(ticket_number="0012345678")
    report = scores_import.score_check(score_file([(12345678, "", 70, 70)]), exam)
    assert report.errors == [] and report.rows[0].application_id == in_a[0].pk


def test_template_lists_tickets_and_subject_columns(seated):
    exam, *_rest, in_a, in_b = seated
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(scores_import.template_workbook(exam)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("准考证号", "姓名", "行政职业能力测验", "申论")
    assert sorted(r[0] for r in rows[1:]) == sorted(x.ticket for x in in_a + in_b)


# --- Publication and reviews ------------------------------------------------------------------


def _imported(seated, rows=None):
    exam, office, _a, _b, in_a, in_b = seated
    rows = rows or [(x.ticket, "", 70, 70) for x in in_a + in_b]
    report = scores_import.score_check(score_file(rows), exam)
    scores_import.score_import(actor=office, exam=exam, report=report, only_valid=False)


def test_publication_sets_date_and_review_window(seated):
    exam, office, *_ = seated
    with pytest.raises(ExamError, match="尚未导入"):
        scores.scores_publish(actor=office, exam=exam, published_at=timezone.now())
    _imported(seated)
    at = timezone.now() + datetime.timedelta(days=1)
    rules = scores.scores_publish(actor=office, exam=exam, published_at=at)
    assert rules.review_closes == at + datetime.timedelta(days=3)
    assert not scores.published(rules) and scores.published(rules, at)
    assert AuditEvent.objects.filter(action="scores.publish").count() == 1
    with time_machine.travel(at + datetime.timedelta(minutes=1)):
        with pytest.raises(ExamError, match="成绩已于"):
            scores.scores_publish(actor=office, exam=exam, published_at=timezone.now())
        report = scores_import.score_check(score_file([("1", "", 1, 1)]), exam)
        assert "成绩已发布" in report.fatal


def test_review_once_per_subject_within_window_and_correction_reranks(
    seated, django_capture_on_commit_callbacks
):
    exam, office, _a, _b, in_a, _in_b = seated
    _imported(
        seated,
        [
            (in_a[0].ticket, "", 70, 70),
            (in_a[1].ticket, "", 72, 72),
            (in_a[2].ticket, "", 50, 50),
            (in_a[3].ticket, "", 60, 60),
        ],
    )
    published_at = timezone.now() + datetime.timedelta(hours=1)
    scores.scores_publish(actor=office, exam=exam, published_at=published_at)
    candidate = in_a[0].candidate
    subject = exam.subjects.get(code="02")
    submit = {"candidate": candidate, "application_id": in_a[0].pk, "subject_id": subject.pk}
    with pytest.raises(ExamError, match="成绩尚未发布"):
        scores.review_request_submit(reason="申论漏评", **submit)
    inside = published_at + datetime.timedelta(days=1)
    with pytest.raises(ExamError, match="填写申请复核的理由"):
        scores.review_request_submit(reason=" ", now=inside, **submit)
    review = scores.review_request_submit(reason="申论漏评", now=inside, **submit)
    assert review.old_score == D("70.00")
    with pytest.raises(ExamError, match="每科只能申请一次"):
        scores.review_request_submit(reason="再看看", now=inside, **submit)
    after = published_at + datetime.timedelta(days=3, seconds=1)
    with pytest.raises(ExamError, match="已于"):
        scores.review_request_submit(
            reason="晚了",
            now=after,
            candidate=candidate,
            application_id=in_a[0].pk,
            subject_id=exam.subjects.get(code="01").pk,
        )
    assert Result.objects.get(application=in_a[0]).written_rank == 2
    with pytest.raises(ExamError, match="0–100"):
        scores.review_request_decide(
            actor=office, review_id=review.pk, corrected=True, new_score="101"
        )
    with django_capture_on_commit_callbacks(execute=True):
        scores.review_request_decide(
            actor=office, review_id=review.pk, corrected=True, new_score="78", note="第3题漏评"
        )
    review.refresh_from_db()
    assert (review.status, review.new_score, review.note) == ("corrected", D("78.00"), "第3题漏评")
    first = Result.objects.get(application=in_a[0])
    assert (first.written, first.written_rank) == (D("74.00"), 1)
    assert Result.objects.get(application=in_a[1]).written_rank == 2
    assert "成绩更正为78.00分" in notify.outbox[-1].text
    assert AuditEvent.objects.filter(action="score_review.decide").count() == 1
    with pytest.raises(ExamError, match="已处理"):
        scores.review_request_decide(actor=office, review_id=review.pk, corrected=False)


def test_review_of_someone_elses_application_is_not_found(seated):
    exam, office, _a, _b, in_a, _in_b = seated
    _imported(seated)
    scores.scores_publish(actor=office, exam=exam, published_at=timezone.now())
    with pytest.raises(Exception, match="does not exist"):
        scores.review_request_submit(
            candidate=in_a[1].candidate,
            application_id=in_a[0].pk,
            subject_id=exam.subjects.first().pk,
            reason="x",
        )
    assert not ScoreReviewRequest.objects.exists()
