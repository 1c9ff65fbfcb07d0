"""One demo person and their records, drawn from the builder's random source."""

import datetime
import functools
from dataclasses import dataclass, field
from types import SimpleNamespace

from stdnum.cn import ric

from renshi.core import crypto, idnumbers
from renshi.core.codetables.tables import title_level
from renshi.personnel import models as m
from renshi.personnel.demo.catalogue import (
    AREAS,
    DEGREE_FOR,
    FEMALE,
    GRADUATION_AGE,
    LEADER_LEVELS,
    MAJORS,
    MALE,
    NATIVE,
    NON_LEADER_POST,
    RANK_NAMES,
    SCHOOLS,
    SECTIONS,
    SURNAMES,
    TITLE_SERIES,
)
from renshi.personnel.demo.units import UnitPlan, head_title
from renshi.personnel.services.people import given_name_of, pinyin_of

C = m.EstablishmentCategory


@functools.cache
def areas_for(year: int) -> tuple[str, ...]:
    """Anshan area codes that existed in the birth year (the check stdnum applies)."""
    return tuple(
        a for a in AREAS if ric.is_valid(idnumbers.make_id_number(a, datetime.date(year, 6, 1), 1))
    )


@functools.cache
def _pinyin_part(text: str) -> tuple[str, str]:
    return pinyin_of(text)


def name_pinyin(name: str) -> tuple[str, str]:
    """pinyin_of(name), from cached surname and given-name parts (equal for the demo's names)."""
    (a, x), (b, y) = _pinyin_part(name[0]), _pinyin_part(name[1:])
    return a + b, x + y


def _years_after(date: datetime.date, years: float) -> datetime.date:
    return date + datetime.timedelta(days=round(years * 365.25))


def _pick_current(records, today):
    """The record in force today, latest start first (as `person_refresh_current` picks it)."""
    live = [
        r
        for r in records
        if r["start_date"] <= today and (r.get("end_date") is None or r["end_date"] >= today)
    ]
    return max(live, key=lambda r: r["start_date"], default=None)


@dataclass
class PersonPlan:
    """One person's facts before the rows are written (the rows need the person's pk)."""

    unit: UnitPlan
    person: SimpleNamespace  # the Person row's fields
    retired: bool
    entry_date: datetime.date
    end_date: datetime.date  # retirement date, or today for the active
    track: str  # "cs" civil-servant rank, "M" / "P" / "W" institution grades
    leader: tuple[str, str] | None = None  # (post name, post level)
    rows: dict = field(default_factory=dict)


def category_for(kind: str, rng=None) -> str:
    """The unit's main establishment category; with a random source, sometimes 工勤 instead."""
    main = {"police": C.POLITICAL_LEGAL, "canzheng": C.CANZHENG}.get(kind)
    if main is None:
        main = (
            C.ADMINISTRATIVE if kind in ("party", "agency", "district", "street") else C.INSTITUTION
        )
    return C.WORKER if rng and rng.random() < 0.06 else main


class PeopleMixin:
    """The person-level half of CityBuilder (it owns rng, today, ids and doc_seq)."""

    def document(self, prefix: str, year: int) -> str:
        self.doc_seq += 1
        return f"{prefix}〔{year}〕{self.doc_seq % 180 + 1}号"

    def id_number(self, division: str, birth: datetime.date, male: bool) -> str:
        areas = areas_for(birth.year)
        own = division if division in areas and self.rng.random() < 0.7 else None
        while True:
            area = own or self.rng.choice(areas)
            seq = self.rng.randrange(500) * 2 + (1 if male else 0)
            number = idnumbers.make_id_number(area, birth, seq)
            if number not in self.ids:
                self.ids.add(number)
                return number
            own = None

    def birth_date(self, male: bool, retired: bool) -> datetime.date:
        rng, today = self.rng, self.today
        sex = "1" if male else "2"
        if retired:
            age = rng.uniform(56 if male else 51, 80)
            birth = _years_after(today, -age)
            while m.retirement_date(birth, sex) >= today:
                birth = _years_after(birth, -1)
            return birth
        age = rng.triangular(23, 60 if male else 55, 41)
        birth = _years_after(today, -age)
        while m.retirement_date(birth, sex) <= today + datetime.timedelta(days=31):
            birth = _years_after(birth, 1)
        return birth

    def education(self, kind: str, birth: datetime.date) -> str:
        table = {
            "expert": ("11", 12, "14", 36, "21", 44, "31", 8),
            "agency": ("11", 1, "14", 18, "21", 66, "31", 12, "41", 3),
            "teacher": ("14", 15, "21", 70, "31", 12, "41", 3),
            "other": ("14", 8, "21", 55, "31", 25, "41", 8, "61", 4),
        }
        group = (
            "expert"
            if kind in ("hospital", "college", "research")
            else "agency"
            if kind in ("party", "agency", "police", "district", "street", "canzheng")
            else "teacher"
            if kind in ("school", "primary")
            else "other"
        )
        row = table[group]
        code = self.rng.choices(row[::2], weights=row[1::2])[0]
        if birth.year < 1970 and code in ("11", "14") and self.rng.random() < 0.6:
            code = "21"
        while _years_after(birth, GRADUATION_AGE[code] + 0.6) > self.today:
            code = {"11": "14", "14": "21", "21": "31"}.get(code, "61")
        return code

    def make_person(self, unit: UnitPlan, name: str | None = None) -> PersonPlan:
        rng, today = self.rng, self.today
        kind = unit.kind
        special = name is not None
        retired = not special and rng.random() < 0.2
        female_share = 0.62 if kind in ("school", "primary", "hospital", "health") else 0.42
        male = special or rng.random() >= female_share
        sex = "1" if male else "2"
        birth = self.birth_date(male, retired)
        if name is None:
            given = MALE if male else FEMALE
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(given) for _ in range(1 if rng.random() < 0.35 else 2)
            )
        number = self.id_number(unit.division, birth, male)
        end = m.retirement_date(birth, sex) if retired else today
        education = self.education(kind, birth)
        graduated = datetime.date(birth.year + GRADUATION_AGE[education], 7, 1)
        work_start = max(
            graduated + datetime.timedelta(days=rng.randrange(0, 120)), _years_after(birth, 18.1)
        )
        work_start = min(work_start, end - datetime.timedelta(days=60))
        served = (end - work_start).days / 365.25
        entry_date = work_start
        if served > 4 and rng.random() < 0.25:
            entry_date = _years_after(work_start, rng.uniform(2, served - 1))
        category = category_for(kind, rng)
        if category == C.WORKER:
            track = "W"
        elif category == C.INSTITUTION:
            track = "M" if rng.random() < (0.6 if kind in ("center", "canzheng") else 0.12) else "P"
        else:
            track = "cs"
        ethnicity = rng.choices(
            ["01", "11", "03", "10", "02"],
            weights=[35, 60, 2, 2, 1] if unit.division == "210323" else [83, 12, 2, 2, 1],
        )[0]
        if rng.random() < (0.72 if track == "cs" else 0.42):
            political = "01"
        elif _years_after(birth, 28) > today and rng.random() < 0.5:
            political = "03"
        else:
            political = "13" if rng.random() < 0.95 else rng.choice(["05", "07", "10"])
        party_join = (
            max(
                _years_after(birth, 18.5),
                work_start + datetime.timedelta(days=rng.randrange(-400, 1500)),
            )
            if political == "01"
            else None
        )
        if party_join and party_join > end:
            party_join = _years_after(birth, 20)
        native = rng.choice(NATIVE)
        pinyin, initials = name_pinyin(name)
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if rng.random() < 0.92 else ""
        identity = {"cs": "11", "P": "13", "M": "17", "W": "24"}[track]
        person = SimpleNamespace(
            name=name,
            name_pinyin=pinyin,
            name_initials=initials,
            given_name=given_name_of(name),
            id_number_cipher=crypto.encrypt(number),
            id_number_hash=crypto.blind_index(number),
            id_number_masked=idnumbers.mask_id(number),
            phone_cipher=crypto.encrypt(phone),
            phone_hash=crypto.blind_index(phone),
            phone_masked=idnumbers.mask_phone(phone),
            sex=sex,
            birth_date=birth,
            ethnicity=ethnicity,
            native_place=native,
            birthplace=native if rng.random() < 0.7 else rng.choice(NATIVE),
            political_status=political,
            party_join_date=party_join,
            work_start_date=work_start,
            health="1" if rng.random() < 0.97 else "2",
            marital_status="20" if _years_after(birth, 27) < today or retired else "10",
            identity=identity,
            status=m.PersonStatus.RETIRED if retired else m.PersonStatus.ACTIVE,
            status_date=end if retired else entry_date,
            unit_id=unit.obj.pk,
            category=category,
            education=education,
        )
        return PersonPlan(unit, person, retired, entry_date, end, track)

    def records(self, plan: PersonPlan) -> None:
        """Sub-record field sets in plan.rows, and the person's cached current fields from them."""
        rng, p = self.rng, plan.person
        day = datetime.timedelta(days=1)
        start, end = plan.entry_date, plan.end_date
        served = (end - p.work_start_date).days / 365.25
        rows = plan.rows = {k: [] for k in ("edu", "deg", "post", "rank", "title", "appr", "fam")}
        # A08 / A09: the highest level, sometimes reached in service after a lower full-time one.
        code = p.education
        graduated = datetime.date(p.birth_date.year + GRADUATION_AGE[code], 7, 1)
        lower = {"14": "21", "21": "31"}.get(code)
        if lower and served > 6 and rng.random() < 0.25:
            first_grad = datetime.date(p.birth_date.year + GRADUATION_AGE[lower], 7, 1)
            rows["edu"].append(self._education(lower, first_grad, "full"))
            graduated = min(_years_after(p.work_start_date, rng.uniform(3, 6)), end)
            rows["edu"].append(self._education(code, graduated, "service"))
        else:
            rows["edu"].append(self._education(code, graduated, "full"))
        for edu in rows["edu"]:
            degree = DEGREE_FOR.get(edu["education"])
            if degree and (degree != "4" or rng.random() < 0.9):
                rows["deg"].append(
                    {
                        "degree": degree,
                        "start_date": edu["end_date"],
                        "grantor": edu["school"],
                        "major": edu["major"],
                    }
                )
        # A05 rank and A06 title.
        grade = self._grade(plan, served)
        rank_start = max(start, _years_after(end, -rng.uniform(0.5, 6)))
        if served > 6 and (previous := self._previous_rank(grade)):
            first = max(p.work_start_date, _years_after(rank_start, -5))
            if first < rank_start:
                rows["rank"].append(
                    {"rank": previous, "start_date": first, "end_date": rank_start - day}
                )
        rows["rank"].append({"rank": grade, "start_date": rank_start})
        # A02 posts: one in force (ended at retirement), leaders with the post before.
        post_start = start
        if plan.leader:
            post_start = max(start, _years_after(end, -rng.uniform(0.3, 8)))
            if post_start > start:
                rows["post"].append(
                    self._post(plan, self._plain_post(plan, grade), "", start, post_start - day)
                )
            name, level = plan.leader
            rows["post"].append(self._post(plan, name, level, post_start, None, leader=True))
        else:
            rows["post"].append(
                self._post(plan, self._plain_post(plan, grade), "", post_start, None)
            )
        if plan.retired:
            for post in rows["post"]:
                post["end_date"] = post["end_date"] or end
        # A15 appraisals for the last three years, while in service.
        for year in range(self.today.year - 3, self.today.year):
            if start.year < year and (not plan.retired or end.year > year):
                good = 0.25 if plan.leader else 0.14
                result = "1" if rng.random() < good else ("2" if rng.random() < 0.98 else "3")
                rows["appr"].append(
                    {
                        "year": year,
                        "result": result,
                        "start_date": datetime.date(year, 1, 1),
                        "end_date": datetime.date(year, 12, 31),
                    }
                )
        self._family(plan)
        post = _pick_current(rows["post"], self.today)
        rank = _pick_current(rows["rank"], self.today)
        title = _pick_current(rows["title"], self.today)
        p.current_post = post["post_name"] if post else ""
        p.current_post_level = post["post_level"] if post else ""
        p.current_rank = rank["rank"] if rank else ""
        p.current_title = title["title"] if title else ""
        p.title_level = title_level(p.current_title)
        p.education = min(r["education"] for r in rows["edu"])
        p.degree = min((r["degree"] for r in rows["deg"]), default="")

    def _education(self, code, graduated, mode) -> dict:
        years = {"11": 3, "14": 3, "21": 4, "31": 3, "41": 3, "61": 3}[code]
        return {
            "education": code,
            "start_date": datetime.date(graduated.year - years, 9, 1),
            "end_date": graduated,
            "school": self.rng.choice(SCHOOLS[code]),
            "major": self.rng.choice(MAJORS) if code in ("11", "14", "21", "31") else "",
            "study_mode": mode,
        }

    def _post(self, plan, name, level, start, end, leader=False) -> dict:
        return {
            "post_name": name,
            "post_level": level,
            "start_date": start,
            "end_date": end,
            "is_leader": leader,
            "unit_id": plan.unit.obj.pk,
            "approver": plan.unit.name,
        }

    def _plain_post(self, plan, grade) -> str:
        if plan.track == "cs":
            return RANK_NAMES.get(grade, "科员")
        if plan.track == "W":
            return "工勤人员"
        if plan.track == "M":
            return "管理岗位职员"
        return NON_LEADER_POST.get(plan.unit.kind, "专业技术人员")

    def _grade(self, plan, served) -> str:
        """Rank (职级) or institution grade, from service years, the leader post and the title."""
        rng = self.rng
        level = plan.leader[1] if plan.leader else ""
        if plan.track == "cs":
            by_level = {"131": "34", "132": "45", "141": "67", "142": "78"}
            if level in by_level:
                return rng.choice(by_level[level])
            steps = [(3, "12"), (6, "11"), (10, "10"), (14, "9"), (18, "8"), (22, "7"), (27, "6")]
            return next((code for years, code in steps if served < years), rng.choice("54"))
        if plan.track == "W":
            steps = [(5, "W5"), (12, "W4"), (20, "W3")]
            return next((code for years, code in steps if served < years), rng.choice(["W2", "W1"]))
        if plan.track == "M" or level:
            by_level = {"131": "M05", "132": "M06", "141": "M07", "142": "M08", "150": "M08"}
            return by_level.get(level) or ("M09" if served < 5 else "M08" if served < 15 else "M07")
        self._titles(plan, served)
        title = plan.rows["title"][-1]["title"] if plan.rows["title"] else ""
        band = {"正高": (2, 4), "副高": (5, 7), "中级": (8, 10), "初级": (11, 13)}
        low, high = band.get(title_level(title), (12, 13))
        return f"P{rng.randint(low, high):02d}"

    def _previous_rank(self, grade: str) -> str:
        if grade.isdigit():
            return str(int(grade) + 1) if int(grade) < 12 else ""
        number, limit = int(grade[1:]), {"M": 10, "P": 13, "W": 5}[grade[0]]
        if number >= limit:
            return ""
        return f"{grade[0]}{number + 1:02d}" if grade[0] != "W" else f"W{number + 1}"

    def _titles(self, plan, served) -> None:
        """A06 chain from 初级 up to the title held now; each ends the day the next begins."""
        rng, p, kind = self.rng, plan.person, plan.unit.kind
        chance = 0.92 if kind in TITLE_SERIES else 0.3
        if rng.random() >= chance:
            return
        series = rng.choice(TITLE_SERIES.get(kind, TITLE_SERIES["other"]))
        top = 3 if served < 4 else 2 if served < 11 else (1 if rng.random() < 0.6 else 2)
        if served >= 22 and rng.random() < (0.25 if kind in ("hospital", "college") else 0.1):
            top = 0
        starts = [_years_after(p.work_start_date, y) for y in (1, 6, 13, 20)]
        chain = [i for i in (3, 2, 1, 0) if i >= top and starts[3 - i] < plan.end_date]
        for n, grade in enumerate(chain):
            nxt = starts[3 - chain[n + 1]] if n + 1 < len(chain) else None
            plan.rows["title"].append(
                {
                    "title": series[grade],
                    "start_date": starts[3 - grade],
                    "end_date": nxt - datetime.timedelta(days=1) if nxt else None,
                    "source": "exam" if grade >= 2 else "assessed",
                }
            )

    def _family(self, plan) -> None:
        rng, p = self.rng, plan.person
        if rng.random() >= 0.35:
            return
        surname = p.name[0]
        if p.marital_status == "20":
            spouse_male = p.sex == "2"
            plan.rows["fam"].append(
                {
                    "relation": "11" if spouse_male else "12",
                    "name": rng.choice(SURNAMES)
                    + rng.choice(MALE if spouse_male else FEMALE)
                    + rng.choice(MALE if spouse_male else FEMALE),
                    "birth_date": _years_after(p.birth_date, rng.uniform(-3, 3)),
                    "political_status": rng.choice(["01", "13", "13"]),
                    "work_unit_post": rng.choice(
                        [
                            "鞍钢集团有限公司职工",
                            "鞍山市某小学教师",
                            "个体经营",
                            "鞍山市中心医院护士",
                            "退休",
                            "自由职业",
                        ]
                    ),
                }
            )
            child_birth = _years_after(p.birth_date, rng.uniform(25, 34))
            if child_birth < self.today:
                son = rng.random() < 0.5
                grown = _years_after(child_birth, 23) < self.today
                plan.rows["fam"].append(
                    {
                        "relation": "20" if son else "30",
                        "name": (surname if p.sex == "1" else rng.choice(SURNAMES))
                        + rng.choice(MALE if son else FEMALE)
                        + rng.choice(MALE if son else FEMALE),
                        "birth_date": child_birth,
                        "political_status": "13" if grown else "03",
                        "work_unit_post": "在沈阳工作" if grown else "学生",
                    }
                )

    def assign_leaders(self, unit: UnitPlan, plans: list[PersonPlan]) -> None:
        """The longest-serving active staff hold the unit's leader posts (领导职务)."""
        eligible = sorted(
            (p for p in plans if not p.retired and p.track != "W"),
            key=lambda p: p.person.work_start_date,
        )
        if not eligible:
            return
        head_level, deputy_level, chief_level, vice_level = LEADER_LEVELS[unit.obj.level]
        head = head_title(unit.name)
        eligible[0].leader = (head, head_level)
        rest = eligible[1:]
        if deputy_level:
            for p in rest[: min(3, len(plans) // 10)]:
                p.leader = ("副" + head, deputy_level)
        if chief_level:
            staff = [p for p in rest if p.leader is None]
            for n, p in enumerate(staff[: len(plans) // 8 * 2 : 2]):
                section = SECTIONS[n % len(SECTIONS)]
                chief = "主任" if section.endswith("室") else "科长"
                p.leader = (section + chief, chief_level)
                if vice_level and n % 2 == 0 and len(staff) > 2 * n + 1:
                    staff[2 * n + 1].leader = (f"{section}副{chief}", vice_level)

    def entry_type(self, plan: PersonPlan) -> str:
        if plan.entry_date != plan.person.work_start_date:
            return "21"  # 调入
        if plan.track == "cs":
            if plan.person.sex == "1" and self.rng.random() < 0.05:
                return "31"  # 军队转业干部安置
            return "11" if plan.entry_date.year >= 1994 else "41"
        return "12" if plan.entry_date.year >= 2006 else "41"
