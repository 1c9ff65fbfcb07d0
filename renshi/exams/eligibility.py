"""Eligibility pre-check (资格预检): each rule of a position against a candidate's profile.

Pure functions over the candidate (with its education and work records) and the position; nothing
is written. Every rule yields one `Check` with outcome "pass", "fail" or "manual" (a person decides)
and a specific Chinese reason. What the candidate declares (education, political status,
grassroots work, fresh-graduate status) is taken as declared here and verified by the hiring unit
and again with originals at 资格复审 (reference §2.4).

Decisions:
- Education is a SET of allowed GB/T 4658 codes on `Position.education_levels` (empty = 不限). The
  职位表 wording maps to graduation codes (毕业 only: 结业/肄业 give no 毕业证书 and do not count):
  博士 11, 硕士 14, 本科 21, 大专 31 — see `EDUCATION_LEVELS` and `parse_education`. A group code
  ending in 0 ("10", "20", "30", …) allows every code of its group.
- Any education record at an allowed level counts; the degree and major checks use that record
  (when several qualify, the one that does best on degree, then major).
- Degree: 学士/硕士/博士 mean at least that degree; "与最高学历相对应的学位" means the degree
  that goes with the record's level (博士 for 11, 硕士 for 14, 学士 for 21; none needed below 本科).
- Political status (GB/T 4762): 中共党员 = 01 or 02 — a 预备党员 counts as a party member, as
  announcements accept in practice; 共青团员 = 03.
- Grassroots years: the union of the candidate's work periods marked grassroots, up to `today`; N
  years = at least N×365 days. The outcome is pass/fail on the declaration; what counts as 基层 is
  reviewed by the hiring unit (said in the reason).
- Birth-date window: `born_from` ≤ birth date ≤ `born_to`, both ends inclusive, exactly as
  published (never recomputed from "N 周岁").
"""

import datetime
import re
import unicodedata
from dataclasses import asdict, dataclass

from renshi.core import codes
from renshi.exams import majors

PASS, FAIL, MANUAL = "pass", "fail", "manual"

LABELS = {
    "education": "学历",
    "degree": "学位",
    "major": "专业",
    "age": "出生日期",
    "sex": "性别",
    "political": "政治面貌",
    "grassroots": "基层工作经历",
    "fresh_graduate": "应届毕业生",
    "conditions": "其他条件",
    "photo": "照片",
    "position_status": "职位状态",
}


@dataclass(frozen=True)
class Check:
    rule: str
    label: str
    outcome: str
    reason: str


def _check(rule: str, outcome: str, reason: str) -> Check:
    return Check(rule=rule, label=LABELS[rule], outcome=outcome, reason=reason)


def summary(checks) -> str:
    outcomes = {c.outcome for c in checks}
    if FAIL in outcomes:
        return FAIL
    if MANUAL in outcomes:
        return MANUAL
    return PASS


def as_dicts(checks) -> list[dict]:
    """For Application.checks (JSON)."""
    return [asdict(c) for c in checks]


# --- Education levels --------------------------------------------------------------------------

DOCTOR, MASTER, BACHELOR, COLLEGE = "11", "14", "21", "31"
# Ascending, with the words the 职位表 uses for each.
EDUCATION_LEVELS = [
    (COLLEGE, "大专"),
    (BACHELOR, "本科"),
    (MASTER, "硕士研究生"),
    (DOCTOR, "博士研究生"),
]
_SYNONYMS = [
    ("大学本科", "本科"),
    ("大学专科", "大专"),
    ("高职高专", "大专"),
    ("专科", "大专"),
    ("硕士研究生", "硕士"),
    ("博士研究生", "博士"),
    ("研究生", "硕士"),  # "研究生及以上" = 硕士 and 博士
    ("学历", ""),
    ("毕业", ""),
]
_SHORT = {"大专": COLLEGE, "本科": BACHELOR, "硕士": MASTER, "博士": DOCTOR}
_ORDER = [COLLEGE, BACHELOR, MASTER, DOCTOR]


def parse_education(text) -> list[str]:
    """职位表 学历 wording → sorted list of allowed codes; [] for 不限. Raises ValueError (Chinese)
    for wording it does not know.

    仅限本科 → [21]; 本科及以上 → [11, 14, 21]; 大专或本科 → [21, 31];
    硕士研究生及以上 → [11, 14]."""
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    words = re.sub(r"\s+", "", raw)
    if words in ("", "不限", "无限制", "无要求"):
        return []
    for old, new in _SYNONYMS:
        words = words.replace(old, new)
    words = words.removeprefix("仅限").removeprefix("限")
    if words.endswith("以上"):
        base = words.removesuffix("及以上").removesuffix("以上")
        if base in _SHORT:
            return sorted(_ORDER[_ORDER.index(_SHORT[base]) :])
    parts = re.split(r"或|、|/|和", words)
    if parts and all(p in _SHORT for p in parts):
        return sorted({_SHORT[p] for p in parts})
    raise ValueError(
        f"无法识别的学历要求「{raw}」（可用：仅限本科、本科及以上、大专或本科、硕士研究生及以上等）"
    )


def describe_education(levels) -> str:
    """The allowed set in the 职位表's own words: [21] → 仅限本科, [11, 14, 21] → 本科及以上."""
    levels = sorted(set(levels or []))
    if not levels:
        return "不限"
    known = [c for c in _ORDER if c in levels]
    if len(known) == len(levels):
        lowest = known[0]
        if len(known) > 1 and known == _ORDER[_ORDER.index(lowest) :]:
            return f"{_word(lowest)}及以上"
        if len(known) == 1:
            return f"仅限{_word(lowest)}"
        return "或".join(_word(c) for c in known)
    return "、".join(codes.name("education", c) for c in levels)


def _word(code: str) -> str:
    return dict(EDUCATION_LEVELS)[code]


def _level_allowed(level: str, allowed) -> bool:
    return any(level == c or (c.endswith("0") and level[:1] == c[:1]) for c in allowed)


# --- Degrees -----------------------------------------------------------------------------------

_DEGREE_RANK = {"bachelor": 1, "master": 2, "doctor": 3}
_DEGREE_NAMES = {"bachelor": "学士", "master": "硕士", "doctor": "博士"}
_LEVEL_DEGREE = {DOCTOR: "doctor", MASTER: "master", BACHELOR: "bachelor"}


def _degree_outcome(rule: str, record) -> tuple[str, str]:
    have = record.degree or ""
    have_name = _DEGREE_NAMES.get(have, "无学位")
    if rule in ("", "none"):
        return PASS, "职位对学位无要求"
    if rule == "matching":
        needed = _LEVEL_DEGREE.get(record.level)
        level_name = codes.name("education", record.level)
        if not needed:
            return PASS, f"职位要求与最高学历相对应的学位，{level_name}无对应学位要求"
        if _DEGREE_RANK.get(have, 0) >= _DEGREE_RANK[needed]:
            return PASS, f"职位要求与最高学历相对应的学位，您的{level_name}学历有{have_name}学位"
        return (
            FAIL,
            f"职位要求与最高学历相对应的学位（{_DEGREE_NAMES[needed]}），"
            f"您的{level_name}学历为{have_name}",
        )
    needed_name = _DEGREE_NAMES.get(rule, rule)
    if _DEGREE_RANK.get(have, 0) >= _DEGREE_RANK.get(rule, 0):
        return PASS, f"职位要求{needed_name}及以上学位，您有{have_name}学位"
    return FAIL, f"职位要求{needed_name}及以上学位，您的学位为{have_name}"


# --- Majors ------------------------------------------------------------------------------------


def _major_outcome(position, record) -> tuple[str, str]:
    wanted_codes = [majors.normalize_code(c) for c in position.major_codes or []]
    wanted_codes = [c for c in wanted_codes if c]
    wanted_names = [n for n in position.major_names or [] if str(n).strip()]
    if not wanted_codes and not wanted_names:
        return PASS, "职位专业不限"
    wanted_text = "、".join([majors.describe(c) for c in wanted_codes] + wanted_names)

    unresolved_names = []
    for name in wanted_names:
        code = majors.code_for_name(name)
        if code:
            wanted_codes.append(code)
        else:
            unresolved_names.append(name)

    mine_name = record.major_name or ""
    mine_code = majors.normalize_code(record.major_code) or majors.code_for_name(mine_name) or ""
    mine_text = f"{mine_name}（{mine_code}）" if mine_code else (mine_name or "未填写")

    if mine_code:
        for code in wanted_codes:
            if mine_code.startswith(code):
                return PASS, f"您的专业 {mine_text} 属于职位要求的 {majors.describe(code)}"
    for name in unresolved_names:
        if majors.same_name(name, mine_name):
            return PASS, f"您的专业「{mine_name}」与职位要求的「{name}」一致"

    if not mine_code or not majors.in_catalogue(mine_code):
        return (
            MANUAL,
            f"您的专业「{mine_text}」不在专业目录中，由招录机关人工审核（职位要求：{wanted_text}）",
        )
    if unresolved_names:
        return (
            MANUAL,
            f"职位要求的「{'、'.join(unresolved_names)}」需人工判断，"
            f"由招录机关审核您的专业 {mine_text}（职位要求：{wanted_text}）",
        )
    return FAIL, f"职位要求专业为 {wanted_text}，您的专业为 {mine_text}"


# --- The rules ---------------------------------------------------------------------------------


def _education_checks(candidate, position) -> list[Check]:
    records = list(candidate.educations.all())
    allowed = list(position.education_levels or [])
    wanted = describe_education(allowed)
    if not records:
        return [
            _check("education", FAIL, "请先在个人资料中填写学历信息"),
            _check("degree", FAIL, "请先在个人资料中填写学历信息"),
            _check("major", FAIL, "请先在个人资料中填写学历信息"),
        ]
    eligible = [r for r in records if not allowed or _level_allowed(r.level, allowed)]
    if not eligible:
        highest = min(records, key=lambda r: r.level)
        mine = codes.name("education", highest.level)
        reason = f"职位要求 {wanted}，您的最高学历为 {mine}"
        return [
            _check("education", FAIL, reason),
            _check("degree", FAIL, "无符合职位学历要求的学历记录"),
            _check("major", FAIL, "无符合职位学历要求的学历记录"),
        ]
    rank = {PASS: 0, MANUAL: 1, FAIL: 2}

    def judged(record):
        degree = _degree_outcome(position.degree_rule, record)
        major = _major_outcome(position, record)
        return (rank[degree[0]], rank[major[0]], record.level), record, degree, major

    _key, record, degree, major = min((judged(r) for r in eligible), key=lambda t: t[0])
    level_name = codes.name("education", record.level)
    school = f"（{record.school}）" if record.school else ""
    if allowed:
        edu_reason = f"职位要求 {wanted}，您的学历 {level_name}{school}符合"
    else:
        edu_reason = f"职位学历不限，您的学历为 {level_name}{school}"
    return [
        _check("education", PASS, edu_reason),
        _check("degree", *degree),
        _check("major", *major),
    ]


def _age_check(candidate, position) -> Check:
    born = candidate.birth_date
    start, end = position.born_from, position.born_to
    if not start and not end:
        return _check("age", PASS, "职位对出生日期无要求")
    if start and end:
        window = f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}期间出生"
    elif start:
        window = f"{start:%Y年%m月%d日}以后出生"
    else:
        window = f"{end:%Y年%m月%d日}以前出生"
    mine = f"您的出生日期为 {born:%Y年%m月%d日}"
    if (start and born < start) or (end and born > end):
        return _check("age", FAIL, f"职位要求 {window}（含当日），{mine}")
    return _check("age", PASS, f"职位要求 {window}（含当日），{mine}")


def _sex_check(candidate, position) -> Check:
    if not position.sex:
        return _check("sex", PASS, "职位对性别无要求")
    wanted = "男性" if position.sex == "1" else "女性"
    mine = "男" if candidate.sex == "1" else "女"
    if candidate.sex == position.sex:
        return _check("sex", PASS, f"职位限{wanted}，您的性别为{mine}")
    return _check("sex", FAIL, f"职位限{wanted}，您的性别为{mine}（按身份证号码）")


PARTY = ("01", "02")  # 中共党员, 中共预备党员
LEAGUE = ("03",)


def _political_check(candidate, position) -> Check:
    rule = position.political_rule or "any"
    if rule == "any":
        return _check("political", PASS, "职位政治面貌不限")
    allowed = PARTY if rule == "party" else PARTY + LEAGUE
    wanted = "中共党员（含预备党员）" if rule == "party" else "中共党员（含预备党员）或共青团员"
    status = candidate.political_status or ""
    if not status:
        return _check("political", FAIL, f"职位要求{wanted}，请先在个人资料中填写政治面貌")
    mine = codes.name("political", status)
    if status in allowed:
        return _check("political", PASS, f"职位要求{wanted}，您的政治面貌为{mine}")
    return _check("political", FAIL, f"职位要求{wanted}，您的政治面貌为{mine}")


def grassroots_days(works, today: datetime.date) -> int:
    """Days covered by grassroots work periods up to today, overlaps counted once."""
    periods = sorted(
        (w.started_on, min(w.ended_on or today, today))
        for w in works
        if w.grassroots and w.started_on and w.started_on < today
    )
    total, cur_start, cur_end = 0, None, None
    for start, end in periods:
        if end <= start:
            continue
        if cur_end is None or start > cur_end:
            if cur_end is not None:
                total += (cur_end - cur_start).days
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    if cur_end is not None:
        total += (cur_end - cur_start).days
    return total


def _grassroots_check(candidate, position, today) -> Check:
    years = position.min_grassroots_years or 0
    if not years:
        return _check("grassroots", PASS, "职位对基层工作经历无要求")
    days = grassroots_days(candidate.works.all(), today)
    have = f"{days // 365}年{(days % 365) // 30}个月" if days else "无"
    note = "（基层工作经历的认定由招录机关审核）"
    if days >= years * 365:
        return _check(
            "grassroots", PASS, f"职位要求基层工作{years}年以上，您填报的基层工作经历共{have}{note}"
        )
    return _check(
        "grassroots", FAIL, f"职位要求基层工作{years}年以上，您填报的基层工作经历共{have}{note}"
    )


def _fresh_graduate_check(candidate, position) -> Check:
    if not position.fresh_graduate_only:
        return _check("fresh_graduate", PASS, "职位不限应届毕业生")
    if candidate.fresh_graduate:
        return _check(
            "fresh_graduate", PASS, "职位限应届毕业生，您已声明为应届毕业生（由招录机关审核）"
        )
    return _check("fresh_graduate", FAIL, "职位限应届毕业生，您的资料未声明为应届毕业生")


def _conditions_check(position) -> Check:
    text = (position.conditions or "").strip()
    if not text:
        return _check("conditions", PASS, "职位无其他条件")
    return _check("conditions", MANUAL, f"职位其他条件由招录机关人工审核：{text}")


def _photo_check(candidate) -> Check:
    if not candidate.photo:
        return _check("photo", FAIL, "请先上传照片")
    return _check("photo", PASS, "已上传照片（内容由审核人员确认）")


def _status_check(position) -> Check:
    if position.status == "cancelled":
        return _check("position_status", FAIL, "该职位已取消，不能报考")
    if position.status == "cut":
        return _check(
            "position_status",
            PASS,
            f"该职位招考人数已核减为{position.plan_count}人（原{position.original_plan_count}人）",
        )
    return _check("position_status", PASS, "职位正常招考")


def evaluate(candidate, position, *, today: datetime.date) -> list[Check]:
    """Every rule in display order. `candidate` is an exams.models.Candidate (its educations and
    works are read through the related managers, so prefetch them for many positions)."""
    return [
        *_education_checks(candidate, position),
        _age_check(candidate, position),
        _sex_check(candidate, position),
        _political_check(candidate, position),
        _grassroots_check(candidate, position, today),
        _fresh_graduate_check(candidate, position),
        _conditions_check(position),
        _photo_check(candidate),
        _status_check(position),
    ]
