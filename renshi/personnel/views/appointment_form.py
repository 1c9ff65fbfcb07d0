"""干部任免审批表: the appointment approval form of one person, laid out for A4 printing."""

import dataclasses
import datetime
import itertools

from django.shortcuts import render
from django.utils import timezone

from renshi.core import codes
from renshi.personnel import selectors
from renshi.personnel.models import (
    Appraisal,
    DegreeRecord,
    EducationRecord,
    FamilyMember,
    PostRecord,
    RewardPunishment,
    StudyMode,
)
from renshi.personnel.views.common import personnel_reader

# What the filler types in: the form is a draft until the approving body signs it.
PROPOSAL_FIELDS = ("appoint", "dismiss", "reason", "reporting_unit", "filler")
FAMILY_ROWS = 7
APPRAISAL_YEARS = 3
# The short forms the form is filled in with (干部任免审批表填写说明).
POLITICAL_SHORT = {"01": "中共党员", "02": "中共预备党员", "03": "共青团员", "13": "群众"}


def month(d: datetime.date | None) -> str:
    """Dates on the form are written 1985.03."""
    return f"{d.year}.{d.month:02d}" if d else ""


@dataclasses.dataclass
class ResumeLine:
    start: datetime.date | None
    end: datetime.date | None
    text: str
    during: list = dataclasses.field(default_factory=list)  # concurrent posts (其间)

    @property
    def period(self) -> str:
        return f"{month(self.start)}--{month(self.end)}"


def resume(educations, posts) -> tuple[list[ResumeLine], list[str]]:
    """简历: study and posts in order; what is held inside a running line is listed as 其间.

    Returns the lines and the gaps between them (the official form wants the periods to join).
    """
    items = [ResumeLine(e.start_date, e.end_date, _study(e)) for e in educations if e.start_date]
    items += [
        ResumeLine(p.start_date, p.end_date, f"{p.unit.name}{p.post_name}")
        for p in posts
        if p.start_date
    ]
    items.sort(key=lambda line: line.start)
    lines: list[ResumeLine] = []
    for item in items:
        if lines and _within(item, lines[-1]):
            lines[-1].during.append(item)
        else:
            lines.append(item)
    gaps = [
        f"{month(before.end)}至{month(after.start)}"
        for before, after in itertools.pairwise(lines)
        if before.end and _months(after.start) - _months(before.end) > 1
    ]
    return lines, gaps


def _study(record) -> str:
    place = f"{record.school}{record.major}专业" if record.major else record.school
    return f"{place}在职学习" if record.study_mode == StudyMode.IN_SERVICE else f"{place}学习"


def _months(d: datetime.date) -> int:
    return d.year * 12 + d.month


def _within(item: ResumeLine, line: ResumeLine) -> bool:
    """Held during the line (兼任, study while working): starts inside it and ends no later."""
    if line.end is None:
        return True
    return item.start < line.end and item.end is not None and item.end <= line.end


def education_rows(educations, degrees) -> dict:
    """Highest full-time and in-service education, each with the degree from the same school."""
    rows = {}
    for mode in StudyMode:
        found = sorted((e for e in educations if e.study_mode == mode), key=lambda e: e.education)
        if not found:
            rows[mode.value] = None
            continue
        best = found[0]
        degree = next((d for d in degrees if d.grantor and d.grantor == best.school), None)
        rows[mode.value] = {"record": best, "degree": degree}
    # A degree recorded without a school goes with the full-time education when that has none.
    full = rows.get(StudyMode.FULL_TIME.value)
    if full and not full["degree"]:
        matched = {id(r["degree"]) for r in rows.values() if r and r["degree"]}
        full["degree"] = next(
            (d for d in sorted(degrees, key=lambda d: d.degree) if id(d) not in matched), None
        )
    return rows


@personnel_reader
def appointment_form(request, pk):
    person = selectors.get_person_for(request.user, pk)
    educations = list(EducationRecord.objects.filter(person=person))
    degrees = list(DegreeRecord.objects.filter(person=person))
    posts = PostRecord.objects.filter(person=person).select_related("unit")
    lines, gaps = resume(educations, posts)
    today = timezone.localdate()
    proposal = {f: request.GET.get(f, "").strip()[:200] for f in PROPOSAL_FIELDS}
    proposal["reporting_unit"] = proposal["reporting_unit"] or person.unit.name
    proposal["filler"] = proposal["filler"] or request.user.full_name or request.user.username
    appraisals = Appraisal.objects.filter(
        person=person, year__gte=today.year - APPRAISAL_YEARS
    ).order_by("-year")[:APPRAISAL_YEARS]
    family = list(FamilyMember.objects.filter(person=person))
    for member in family:
        member.political_short = POLITICAL_SHORT.get(member.political_status) or codes.name(
            "political", member.political_status
        )
    blank_rows = max(FAMILY_ROWS - len(family), 0)
    return render(
        request,
        "personnel/appointment_form.html",
        {
            "person": person,
            "today": today,
            "proposal": proposal,
            "education": education_rows(educations, degrees),
            "resume": lines,
            "gaps": gaps,
            "rewards": RewardPunishment.objects.filter(person=person).order_by("start_date", "id"),
            "appraisals": sorted(appraisals, key=lambda a: a.year),
            "family": family,
            "family_blank": range(blank_rows),
            "family_rowspan": len(family) + blank_rows + 1,
        },
    )
