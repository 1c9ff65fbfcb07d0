"""Demo exams for the demo city: one open for registration now, one whose payment has closed
(ready for the opening ratio), positions of real demo units, and thousands of candidates."""

import datetime
import io
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from renshi.core import crypto
from renshi.core.idnumbers import birth_date_of, make_id_number, mask_id, mask_phone, sex_of
from renshi.core.roles import Role
from renshi.exams import education_copy
from renshi.exams.models import (
    Announcement,
    AnnouncementKind,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Candidate,
    DegreeRule,
    Education,
    Exam,
    ExamArea,
    ExamKind,
    ExamStatus,
    FeeStatus,
    PoliticalRule,
    Position,
    ReviewMode,
    Subject,
)
from renshi.personnel.models import Unit

DEMO_CANDIDATE = {
    "name": "王小明",
    "id_number": make_id_number("210302", datetime.date(1999, 6, 18), 123),
    "phone": "13904120001",
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉婷晶宇浩然欣怡子涵梓轩"
MAJORS = [
    ("030101", "法学"),
    ("020301", "金融学"),
    ("120203", "会计学"),
    ("080901", "计算机科学与技术"),
    ("050101", "汉语言文学"),
    ("120402", "行政管理"),
    ("100201", "临床医学"),
    ("040106", "学前教育"),
    ("081001", "土木工程"),
    ("020101", "经济学"),
]
TITLES = ["综合管理", "财务会计", "法律事务", "信息技术", "文字综合", "医疗", "教师", "工程管理"]
EDUCATION_SETS = [
    [],  # 不限
    ["21"],  # 仅限本科
    ["11", "14", "21"],  # 本科及以上
    ["14", "11"],  # 硕士研究生及以上
    ["21", "31"],  # 大专或本科
]


def demo_photo() -> ContentFile:
    """A 295×413 JPEG that passes the photo checks: a plain blue 2-inch portrait."""
    image = Image.new("RGB", (295, 413), (67, 142, 219))
    draw = ImageDraw.Draw(image)
    draw.ellipse((97, 80, 197, 200), fill=(238, 205, 180))
    draw.rectangle((70, 230, 225, 413), fill=(40, 40, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return ContentFile(buffer.getvalue(), name="demo.jpg")


def is_loaded() -> bool:
    return Exam.objects.filter(code__in=["2601", "2602"]).exists()


@transaction.atomic
def load(*, candidates: int = 3000, seed: int = 2026, log=print) -> dict:
    rng = random.Random(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    units = list(Unit.objects.order_by("id")[:200])
    if not units:
        raise ValueError("请先加载演示城市（load_demo_city）")
    finance = Unit.objects.filter(name="鞍山市财政局").first() or units[0]
    open_exam = _exam(
        "2601",
        "2026年鞍山市市直机关公开招录公务员",
        ExamKind.CIVIL_SERVICE,
        now - datetime.timedelta(days=3),
        now + datetime.timedelta(days=7),
    )
    closed_exam = _exam(
        "2602",
        "2026年鞍山市事业单位公开招聘工作人员",
        ExamKind.INSTITUTION,
        now - datetime.timedelta(days=30),
        now - datetime.timedelta(days=16),
    )
    closed_exam.review_mode = ReviewMode.AUTO
    closed_exam.save(update_fields=["review_mode"])
    positions = {
        open_exam.pk: _positions(open_exam, units, finance, rng, 60),
        closed_exam.pk: _positions(closed_exam, units, finance, rng, 40),
    }
    people = _candidates(candidates, rng)
    _demo_candidate()
    counts = _applications(open_exam, positions[open_exam.pk], people[: candidates * 2 // 3], rng)
    counts_closed = _applications(
        closed_exam, positions[closed_exam.pk], people[candidates // 3 :], rng, all_paid=True
    )
    log(
        f"演示考试 2 场，职位 {sum(len(p) for p in positions.values())} 个，"
        f"考生 {candidates + 1} 人，报名 {counts + counts_closed} 条"
    )
    return {"exams": 2, "applications": counts + counts_closed}


def _exam(code, name, kind, opens, closes) -> Exam:
    exam = Exam.objects.create(
        code=code,
        name=name,
        kind=kind,
        status=ExamStatus.PUBLISHED,
        registration_opens=opens,
        registration_closes=closes,
        review_closes=closes + datetime.timedelta(days=2),
        payment_closes=closes + datetime.timedelta(days=4),
        ticket_opens=closes + datetime.timedelta(days=10),
        ticket_closes=closes + datetime.timedelta(days=16),
        published_at=opens - datetime.timedelta(days=7),
    )
    for order, (subject_code, subject_name) in enumerate(
        [
            ("01", "行政职业能力测验"),
            ("02", "申论" if kind == ExamKind.CIVIL_SERVICE else "公共基础知识"),
        ],
        1,
    ):
        Subject.objects.create(
            exam=exam, code=subject_code, name=subject_name, fee=Decimal("50"), order=order
        )
    ExamArea.objects.create(exam=exam, code="01", name="鞍山考区")
    Announcement.objects.create(
        exam=exam,
        number=1,
        kind=AnnouncementKind.ANNOUNCEMENT,
        title=f"{name}公告",
        body=(
            "根据《公务员法》《公务员录用规定》等有关规定，经研究决定，面向社会公开招考工作人员。"
            "报考人员只能选择一个职位报考，报名与资格审查、缴费均在网上进行。"
            "网上缴费须在资格审查通过后进行，逾期未缴费视为自动放弃。"
        ),
        published_at=exam.published_at,
    )
    return exam


def _positions(exam, units, finance, rng, n) -> list[Position]:
    rows = []
    for i in range(n):
        unit = finance if i < 4 else rng.choice(units)
        major_code, major_name = rng.choice(MAJORS)
        majors_any = rng.random() < 0.3
        rows.append(
            Position(
                exam=exam,
                code=f"{exam.code}{unit.pk % 10000:04d}{i + 1:04d}",
                department_code=f"{unit.pk:06d}",
                hiring_unit_name=unit.name,
                unit=unit,
                title=f"{rng.choice(TITLES)}岗{i % 3 + 1}",
                description="从事本单位日常业务工作。",
                area=exam.areas.first(),
                plan_count=rng.choice([1, 1, 1, 2, 2, 3]),
                original_plan_count=0,
                education_levels=rng.choice(EDUCATION_SETS),
                degree_rule=rng.choice([DegreeRule.NONE, DegreeRule.BACHELOR, DegreeRule.MATCHING]),
                major_codes=[] if majors_any else [major_code[:4]],
                major_names=[] if majors_any else [major_name],
                political_rule=rng.choice(
                    [PoliticalRule.ANY, PoliticalRule.ANY, PoliticalRule.PARTY_OR_LEAGUE]
                ),
                born_from=datetime.date(1990, 11, 20),
                born_to=datetime.date(2008, 11, 20),
                conditions=rng.choice(["", "", "", "限鞍山市户籍", "需具有法律职业资格证书"]),
                work_place="鞍山市",
                phone="0412-2223344",
                special_ratio=rng.random() < 0.1,
            )
        )
    for p in rows:
        p.original_plan_count = p.plan_count
    return Position.objects.bulk_create(rows)


def _candidate_row(user, name, number, phone, rng) -> Candidate:
    return Candidate(
        user=user,
        name=name,
        id_number_cipher=crypto.encrypt(number),
        id_number_hash=crypto.blind_index(number),
        id_number_masked=mask_id(number),
        birth_date=birth_date_of(number),
        sex=sex_of(number),
        phone_cipher=crypto.encrypt(phone),
        phone_hash=crypto.blind_index(phone),
        phone_masked=mask_phone(phone),
        phone_verified_at=timezone.now(),
        political_status=rng.choice(["01", "03", "03", "13", "13"]),
        photo="candidates/photos/demo.jpg",
        photo_checked_at=timezone.now(),
    )


def _candidates(n, rng) -> list[Candidate]:
    User = get_user_model()
    hashed = make_password("Renshi@2026")
    users, rows = [], []
    for i in range(n):
        # (birth date, sequence) pairs never repeat, so ID numbers are unique.
        birth = datetime.date(1992, 1, 1) + datetime.timedelta(days=(i * 97) % 4380)
        number = make_id_number("210302", birth, (i // 4380) % 999 + 1)
        users.append(User(username=f"c{i:06d}", role=Role.CANDIDATE, password=hashed))
        rows.append((number, f"139{i:08d}"))
    users = User.objects.bulk_create(users)
    people, educations = [], []
    for user, (number, phone) in zip(users, rows, strict=True):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
        user.full_name = name
        people.append(_candidate_row(user, name, number, phone, rng))
    User.objects.bulk_update(users, ["full_name"])
    people = Candidate.objects.bulk_create(people)
    for c in people:
        code, major = rng.choice(MAJORS)
        educations.append(
            Education(
                candidate=c,
                level=rng.choice(["21", "21", "21", "14", "31"]),
                degree=DegreeRule.BACHELOR,
                school=rng.choice(["辽宁大学", "东北大学", "鞍山师范学院", "辽宁科技大学"]),
                major_code=code,
                major_name=major,
                graduated_on=datetime.date(2022, 7, 1),
            )
        )
    Education.objects.bulk_create(educations)
    education_copy.fill([c.pk for c in people])
    return people


def _demo_candidate() -> Candidate:
    """The candidate a visitor logs in as: profile complete, no application yet."""
    User = get_user_model()
    number, phone = DEMO_CANDIDATE["id_number"], DEMO_CANDIDATE["phone"]
    user = User.objects.create(
        username="kaosheng",
        role=Role.CANDIDATE,
        full_name=DEMO_CANDIDATE["name"],
        password=make_password("Renshi@2026"),
    )
    candidate = _candidate_row(user, DEMO_CANDIDATE["name"], number, phone, random.Random(1))
    candidate.political_status = "03"
    candidate.fresh_graduate = True
    candidate.household = "辽宁省鞍山市铁东区"
    candidate.photo = demo_photo()
    candidate.save()
    Education.objects.create(
        candidate=candidate,
        level="21",
        degree=DegreeRule.BACHELOR,
        school="辽宁大学",
        major_code="030101",
        major_name="法学",
        started_on=datetime.date(2017, 9, 1),
        graduated_on=datetime.date(2021, 7, 1),
    )
    education_copy.refresh(candidate.pk)
    return candidate


def _applications(exam, positions, people, rng, all_paid=False) -> int:
    """Spread candidates over positions: a few hot ones, a tail with nobody (张榜点名 lists)."""
    weights = [rng.paretovariate(1.2) for _ in positions]
    for i in rng.sample(range(len(positions)), k=max(1, len(positions) // 8)):
        weights[i] = 0  # positions nobody applies to
    apps, now = [], timezone.now()
    for candidate in people:
        position = rng.choices(positions, weights=weights)[0]
        roll = rng.random()
        if all_paid or roll < 0.45:
            status, fee = (
                ApplicationStatus.APPROVED,
                (FeeStatus.PAID if all_paid or roll < 0.35 else FeeStatus.UNPAID),
            )
        elif roll < 0.55:
            status, fee = ApplicationStatus.REJECTED, FeeStatus.UNPAID
        else:
            status, fee = ApplicationStatus.SUBMITTED, FeeStatus.UNPAID
        apps.append(
            Application(
                exam=exam,
                candidate=candidate,
                position=position,
                area=position.area,
                status=status,
                fee_status=fee,
                fee_amount=Decimal("100") if fee == FeeStatus.PAID else Decimal("0"),
                paid_at=now if fee == FeeStatus.PAID else None,
                declared=True,
                submitted_at=exam.registration_opens
                + datetime.timedelta(hours=rng.randrange(1, 200)),
                reason_code="E03" if status == ApplicationStatus.REJECTED else "",
                reason_text="所学专业不符合职位要求"
                if status == ApplicationStatus.REJECTED
                else "",
            )
        )
    apps = Application.objects.bulk_create(apps, batch_size=1000)
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application=a, kind="submitted", position_id=a.position_id, at=a.submitted_at
            )
            for a in apps
        ],
        batch_size=1000,
    )
    active = sum(
        a.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED) for a in apps
    )
    ExamArea.objects.filter(exam=exam).update(taken=active)
    return len(apps)
