import datetime

import pytest

from renshi.exams import eligibility, majors
from renshi.exams.eligibility import FAIL, MANUAL, PASS, evaluate, summary
from renshi.exams.models import Education, WorkExperience
from renshi.exams.tests.factories import make_candidate, make_exam, make_position

TODAY = datetime.date(2026, 3, 1)
pytestmark = pytest.mark.django_db


def by_rule(checks):
    return {c.rule: c for c in checks}


@pytest.fixture
def exam():
    return make_exam()


@pytest.fixture
def candidate():
    c = make_candidate(birth=datetime.date(1998, 5, 20), male=True)
    c.photo = "candidates/photos/x.jpg"
    return c


def work(candidate, employer, start, end, *, grassroots=True):
    WorkExperience.objects.create(
        candidate=candidate,
        employer=employer,
        started_on=start,
        ended_on=end,
        grassroots=grassroots,
    )


def check(candidate, position, rule):
    return by_rule(evaluate(candidate, position, today=TODAY))[rule]


# --- wording and catalogue helpers (no database needed, but cheap) ---


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("仅限本科", ["21"]),
        ("本科及以上", ["11", "14", "21"]),
        ("仅限大专", ["31"]),
        ("硕士研究生及以上", ["11", "14"]),
        ("大专或本科", ["21", "31"]),
        ("仅限硕士研究生", ["14"]),
        ("本科或硕士研究生", ["14", "21"]),
        ("大专及以上", ["11", "14", "21", "31"]),
        ("仅限博士研究生", ["11"]),
        ("不限", []),
        ("", []),
        (" 大学本科及以上 ", ["11", "14", "21"]),
        ("研究生及以上", ["11", "14"]),
    ],
)
def test_parse_education_wording(text, levels):
    assert eligibility.parse_education(text) == levels


def test_parse_education_unknown_wording_is_refused_in_chinese():
    with pytest.raises(ValueError, match="无法识别的学历要求「小学以上学历吧」"):
        eligibility.parse_education("小学以上学历吧")


@pytest.mark.parametrize(
    ("levels", "text"),
    [
        (["21"], "仅限本科"),
        (["11", "14", "21"], "本科及以上"),
        (["21", "31"], "大专或本科"),
        (["11", "14"], "硕士研究生及以上"),
        ([], "不限"),
    ],
)
def test_describe_education_round_trip(levels, text):
    assert eligibility.describe_education(levels) == text
    assert eligibility.parse_education(text) == levels


def test_major_name_normalisation():
    assert majors.same_name("会计学", "会计")
    assert majors.same_name("会计学（注册会计师方向）", "会计学")
    assert majors.same_name("会计学(CPA方向)", "会计")
    assert majors.same_name("政治学与行政学", "政治学和行政学")
    assert majors.same_name("机械设计制造及其自动化", "机械设计制造与自动化")
    assert not majors.same_name("机械设计制造及其自动化", "机械设计制造自动化")
    assert majors.same_name("ＩＴ 管理", "IT管理")
    assert majors.code_for_name("法学") == "030101"  # the 专业, not the 门类
    assert majors.code_for_name("法学类") == "0301"
    assert majors.code_for_name("会计") == "120203"
    assert majors.normalize_code("030101K") == "030101"
    assert majors.normalize_code("B020301") == "020301"
    assert majors.normalize_code("0301") == "0301"
    assert majors.normalize_code("12345") == ""


def test_parse_major_requirement():
    cell = "法学类（0301）、会计学(120203K)、汉语言文学；新闻学,档案学"
    assert majors.parse_requirement(cell) == (
        ["0301", "120203"],
        ["汉语言文学", "新闻学", "档案学"],
    )
    assert majors.parse_requirement("不限") == ([], [])
    assert majors.parse_requirement("0301，120203") == (["0301", "120203"], [])


# --- education and degree ---


def test_education_set_membership(exam, candidate):
    position = make_position(exam, education_levels=["21"])
    assert check(candidate, position, "education").outcome == PASS
    position.education_levels = ["14"]
    c = check(candidate, position, "education")
    assert c.outcome == FAIL
    assert c.reason == "职位要求 仅限硕士研究生，您的最高学历为 大学本科毕业"
    assert c.label == "学历"


def test_master_does_not_fit_bachelor_only_but_second_record_does(exam, candidate):
    Education.objects.create(
        candidate=candidate,
        level="14",
        degree="master",
        school="东北大学",
        major_code="120203",
        major_name="会计学",
    )
    position = make_position(exam, education_levels=["21"], major_codes=["0301"])
    checks = by_rule(evaluate(candidate, position, today=TODAY))
    assert checks["education"].outcome == PASS  # the bachelor record counts
    assert checks["major"].outcome == PASS  # and its major (法学) is the one checked
    position.education_levels = ["11", "14"]
    checks = by_rule(evaluate(candidate, position, today=TODAY))
    assert checks["education"].outcome == PASS
    assert checks["major"].outcome == FAIL  # the master's record (会计学) is used
    assert "会计学" in checks["major"].reason


def test_incomplete_education_does_not_count(exam, candidate):
    candidate.educations.update(level="22")  # 本科结业
    position = make_position(exam, education_levels=["21"])
    assert check(candidate, position, "education").outcome == FAIL
    position.education_levels = ["20"]  # a group code allows the whole group
    assert check(candidate, position, "education").outcome == PASS


def test_no_education_record(exam, candidate):
    candidate.educations.all().delete()
    position = make_position(exam)
    c = check(candidate, position, "education")
    assert c.outcome == FAIL and "学历信息" in c.reason


@pytest.mark.parametrize(
    ("rule", "level", "degree", "outcome"),
    [
        ("none", "21", "", PASS),
        ("bachelor", "21", "bachelor", PASS),
        ("bachelor", "21", "", FAIL),
        ("bachelor", "14", "master", PASS),
        ("master", "21", "bachelor", FAIL),
        ("doctor", "11", "doctor", PASS),
        ("matching", "21", "bachelor", PASS),
        ("matching", "21", "", FAIL),
        ("matching", "14", "bachelor", FAIL),
        ("matching", "31", "", PASS),
    ],
)
def test_degree(exam, candidate, rule, level, degree, outcome):
    candidate.educations.update(level=level, degree=degree)
    position = make_position(exam, degree_rule=rule)
    assert check(candidate, position, "degree").outcome == outcome


# --- majors ---


@pytest.mark.parametrize(
    ("codes", "names", "outcome"),
    [
        ([], [], PASS),  # 不限
        (["03"], [], PASS),  # 学科门类 prefix
        (["0301"], [], PASS),  # 专业类 prefix
        (["030101"], [], PASS),  # 专业
        (["030101K"], [], PASS),  # catalogue suffix ignored
        (["02"], [], FAIL),
        (["0302"], [], FAIL),
        (["030102"], [], FAIL),
        ([], ["法学类"], PASS),  # a name resolved through the catalogue
        ([], ["法学"], PASS),
        ([], ["会计学"], FAIL),
        ([], ["公安相关专业"], MANUAL),  # not checkable by machine
        (["1202"], ["公安相关专业"], MANUAL),
    ],
)
def test_major_by_code_prefix_and_name(exam, candidate, codes, names, outcome):
    position = make_position(exam, major_codes=codes, major_names=names)
    assert check(candidate, position, "major").outcome == outcome


def test_major_by_name_without_code(exam, candidate):
    candidate.educations.update(major_code="", major_name="会计（注册会计师方向）")
    position = make_position(exam, major_codes=["1202"])
    c = check(candidate, position, "major")
    assert c.outcome == PASS and "120203" in c.reason


def test_major_not_in_catalogue_is_manual(exam, candidate):
    candidate.educations.update(major_code="", major_name="数字孪生与元宇宙")
    position = make_position(exam, major_codes=["1202"])
    c = check(candidate, position, "major")
    assert c.outcome == MANUAL
    assert "不在专业目录中" in c.reason and "人工审核" in c.reason


def test_uncatalogued_name_matches_with_normalisation(exam, candidate):
    candidate.educations.update(major_code="", major_name="警务指挥与战术学")
    position = make_position(exam, major_names=["警务指挥和战术"])
    assert check(candidate, position, "major").outcome == PASS


# --- birth-date window ---


@pytest.mark.parametrize(
    ("born", "outcome"),
    [
        (datetime.date(1990, 10, 16), PASS),  # first day inclusive
        (datetime.date(1990, 10, 15), FAIL),
        (datetime.date(2008, 10, 16), PASS),  # last day inclusive
        (datetime.date(2008, 10, 17), FAIL),
        (datetime.date(2000, 1, 1), PASS),
    ],
)
def test_birth_window_inclusive_both_ends(exam, born, outcome):
    candidate = make_candidate(birth=born)
    position = make_position(
        exam, born_from=datetime.date(1990, 10, 16), born_to=datetime.date(2008, 10, 16)
    )
    c = check(candidate, position, "age")
    assert c.outcome == outcome
    assert "1990年10月16日至2008年10月16日" in c.reason
    assert f"{born:%Y年%m月%d日}" in c.reason


def test_birth_window_open_ended(exam, candidate):
    position = make_position(exam, born_from=datetime.date(1999, 1, 1))
    c = check(candidate, position, "age")
    assert c.outcome == FAIL and "1999年01月01日以后出生" in c.reason
    position = make_position(exam, born_to=datetime.date(1998, 5, 20))
    assert check(candidate, position, "age").outcome == PASS
    assert check(candidate, make_position(exam), "age").outcome == PASS


# --- sex, political status ---


def test_sex(exam):
    man = make_candidate(male=True)
    woman = make_candidate(male=False)
    position = make_position(exam, sex="1")
    assert check(man, position, "sex").outcome == PASS
    c = check(woman, position, "sex")
    assert c.outcome == FAIL and "职位限男性" in c.reason
    assert check(woman, make_position(exam), "sex").outcome == PASS


@pytest.mark.parametrize(
    ("rule", "status", "outcome"),
    [
        ("party", "01", PASS),
        ("party", "02", PASS),  # 预备党员 counts
        ("party", "03", FAIL),
        ("party_or_league", "03", PASS),
        ("party_or_league", "13", FAIL),
        ("party_or_league", "", FAIL),
        ("any", "13", PASS),
    ],
)
def test_political(exam, rule, status, outcome):
    candidate = make_candidate(political_status=status)
    position = make_position(exam, political_rule=rule)
    assert check(candidate, position, "political").outcome == outcome


# --- grassroots years, fresh graduates, conditions, photo, position status ---


def test_grassroots_years_summed_without_overlap(exam, candidate):
    position = make_position(exam, min_grassroots_years=2)
    c = check(candidate, position, "grassroots")
    assert c.outcome == FAIL and "由招录机关审核" in c.reason
    work(candidate, "台安县某乡政府", datetime.date(2023, 3, 1), datetime.date(2024, 3, 1))
    # overlaps the first by six months: counted once
    work(candidate, "某村委会", datetime.date(2023, 9, 1), datetime.date(2024, 9, 1))
    work(
        candidate,
        "某公司总部",
        datetime.date(2020, 1, 1),
        datetime.date(2023, 1, 1),
        grassroots=False,
    )
    assert check(candidate, position, "grassroots").outcome == FAIL  # 1.5 years
    work(candidate, "某街道办", datetime.date(2025, 8, 1), None)
    # 2023-03-01..2024-09-01 (550 d) + 2025-08-01..2026-03-01 (212 d) = 762 ≥ 730
    assert eligibility.grassroots_days(candidate.works.all(), TODAY) == 762
    assert check(candidate, position, "grassroots").outcome == PASS
    assert check(candidate, make_position(exam), "grassroots").outcome == PASS


def test_fresh_graduate(exam, candidate):
    position = make_position(exam, fresh_graduate_only=True)
    assert check(candidate, position, "fresh_graduate").outcome == FAIL
    candidate.fresh_graduate = True
    assert check(candidate, position, "fresh_graduate").outcome == PASS


def test_conditions_are_manual_with_the_text(exam, candidate):
    position = make_position(exam, conditions="限辽宁省户籍生源报考")
    c = check(candidate, position, "conditions")
    assert c.outcome == MANUAL and "限辽宁省户籍生源报考" in c.reason


def test_photo_missing(exam):
    candidate = make_candidate(photo="")
    c = check(candidate, make_position(exam), "photo")
    assert c.outcome == FAIL and c.reason == "请先上传照片"


def test_cancelled_position(exam, candidate):
    position = make_position(exam, status="cancelled")
    assert check(candidate, position, "position_status").outcome == FAIL


def test_all_rules_in_order_and_summary(exam, candidate):
    position = make_position(exam)
    checks = evaluate(candidate, position, today=TODAY)
    assert [c.rule for c in checks] == [
        "education",
        "degree",
        "major",
        "age",
        "sex",
        "political",
        "grassroots",
        "fresh_graduate",
        "conditions",
        "photo",
        "position_status",
    ]
    assert summary(checks) == PASS
    position.conditions = "需持有C1驾驶证"
    assert summary(evaluate(candidate, position, today=TODAY)) == MANUAL
    position.sex = "2"
    assert summary(evaluate(candidate, position, today=TODAY)) == FAIL
    assert eligibility.as_dicts(checks)[0]["rule"] == "education"
