"""Demo data: openings of demo units, résumés of demo candidates, contact requests in every state,
three party organisations with secretaries and their mobile members (some reported, some not)."""

import datetime
import os
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from renshi.core import crypto
from renshi.core.idnumbers import mask_phone
from renshi.core.roles import Role
from renshi.exams.models import Candidate
from renshi.personnel.models import Unit, UnitType, UserScope
from renshi.talent.errors import TalentError
from renshi.talent.models import (
    CheckIn,
    ContactRequest,
    MemberStatus,
    MobileMember,
    Opening,
    OpeningStatus,
    PartyNotice,
    PartyOrganisation,
    RequestStatus,
    Resume,
    Visibility,
    period_of,
)

PASSWORD = os.environ.get("DEMO_PASSWORD", "Renshi@2026")
DEMO_CANDIDATE = "kaosheng"  # the exams demo's candidate: has a résumé and is a mobile member
ORGANISATIONS = [
    ("dangzhibu_caizheng", "贺书记", "中共鞍山市财政局机关支部委员会", "monthly"),
    ("dangzhibu_jiaoyu", "常书记", "中共鞍山市教育局机关委员会", "monthly"),
    ("dangzhibu_tiedong", "严书记", "中共铁东区人民政府机关委员会", "quarterly"),
]
# (title, education, major, experience years, salary range)
OPENINGS = [
    ("会计", "21", "会计学", 2, (4500, 6500)),
    ("出纳", "31", "财务管理", 0, (3500, 4500)),
    ("办公室文员", "31", "", 0, (3000, 4000)),
    ("信息化专员", "21", "计算机科学与技术", 1, (5000, 7500)),
    ("临床医师", "14", "临床医学", 3, (8000, 12000)),
    ("护士", "31", "护理学", 0, (4000, 6000)),
    ("小学语文教师", "21", "汉语言文学", 0, (4500, 6000)),
    ("初中数学教师", "21", "数学与应用数学", 1, (4800, 6500)),
    ("法务专员", "21", "法学", 2, (5000, 7000)),
    ("档案管理员", "31", "档案学", 0, (3200, 4200)),
    ("项目管理", "21", "工程管理", 3, (6000, 9000)),
    ("科研助理", "14", "化学", 0, (5500, 8000)),
    ("驾驶员", "", "", 3, (3500, 4500)),
    ("新媒体编辑", "21", "新闻学", 1, (4500, 6500)),
    ("统计员", "21", "统计学", 0, (4200, 5800)),
    ("环境监测员", "21", "环境工程", 1, (4500, 6000)),
    ("博士后研究人员", "11", "材料科学与工程", 0, (12000, 18000)),
    ("社会工作者", "31", "社会工作", 0, (3500, 4800)),
    ("审计专员", "21", "审计学", 2, (5000, 7500)),
    ("药剂师", "21", "药学", 1, (5000, 7000)),
]
PLACES = ["鞍山市铁东区", "鞍山市铁西区", "鞍山市立山区", "鞍山市千山区", "海城市", "台安县"]
# (desired title, education, major, skills)
RESUMES = [
    ("会计", "21", "会计学", "用友 金蝶 Excel 税务申报"),
    ("出纳", "31", "财务管理", "Excel 银行结算"),
    ("行政文员", "31", "文秘", "公文写作 Office"),
    ("软件工程师", "21", "计算机科学与技术", "Python Django PostgreSQL"),
    ("临床医师", "14", "临床医学", "内科 急诊 执业医师"),
    ("护士", "31", "护理学", "护士执业资格 ICU"),
    ("语文教师", "21", "汉语言文学", "教师资格证 普通话一级乙等"),
    ("数学教师", "14", "数学", "教师资格证 竞赛辅导"),
    ("法务", "21", "法学", "法律职业资格 合同审查"),
    ("科研助理", "11", "化学", "分析测试 论文写作"),
    ("新媒体运营", "21", "新闻学", "视频剪辑 公众号运营"),
    ("统计分析", "14", "统计学", "SPSS R 数据分析"),
]
CITIES = ["深圳市", "上海市", "北京市", "大连市", "沈阳市", "广州市", "杭州市", "苏州市", "天津市"]
EMPLOYERS = [
    "华为技术有限公司", "某建筑工程公司", "自主经营", "某物流有限公司", "某高校（在读研究生）",
    "某医院", "某外贸公司", "某汽车零部件厂",
]  # fmt: skip
REPORTS = [
    ("checkin", "本月在外地正常工作，已参加所在地流动党员党小组线上学习。"),
    ("thought", "认真学习了党的二十届四中全会精神，结合本职工作谈体会：要立足岗位作贡献。"),
    ("checkin", "工作地点和联系方式未变，按时交纳党费，参加了线上主题党日。"),
]
PDF = b"%PDF-1.4\n% demo study material\n"


def _month_ago(today, n, day=10) -> datetime.date:
    year, month = today.year, today.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, min(day, 28))


def _at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _demo_units() -> list[Unit]:
    """Units with a demo clerk first (they can manage their openings), then institutions."""
    clerked = list(Unit.objects.filter(pk__in=UserScope.objects.values("unit")).order_by("pk"))
    others = Unit.objects.filter(is_active=True).exclude(pk__in=[u.pk for u in clerked])
    by_type = [
        others.filter(unit_type=t).order_by("pk")[:3]
        for t in (UnitType.PUBLIC_ONE, UnitType.PUBLIC_TWO, UnitType.AGENCY, UnitType.CANZHENG)
    ]
    return clerked + [u for rows in by_type for u in rows]


def _author(unit, fallback):
    scope = UserScope.objects.filter(unit=unit).select_related("user").first()
    return scope.user if scope else fallback


def _market(today, rng, log):
    units = _demo_units()
    if not units:
        raise TalentError("请先加载演示城市（manage.py load_demo_city）")
    candidates = list(Candidate.objects.select_related("user").order_by("pk")[:90])
    if len(candidates) < 10:
        raise TalentError("请先加载考试演示数据（manage.py load_demo_exams）")
    User = get_user_model()
    fallback = User.objects.filter(role=Role.PERSONNEL).first() or candidates[0].user
    openings = []
    for i in range(40):
        unit = units[i % len(units)]
        title, education, major, years, (low, high) = OPENINGS[i % len(OPENINGS)]
        published = _month_ago(today, rng.randrange(0, 12), rng.randrange(1, 28))
        closed = i % 9 == 8
        draft = i % 13 == 12
        status = OpeningStatus.DRAFT if draft else OpeningStatus.PUBLISHED
        status = OpeningStatus.CLOSED if closed else status
        closes_on = published + datetime.timedelta(days=45)
        if status == OpeningStatus.PUBLISHED:
            closes_on = max(closes_on, today + datetime.timedelta(days=rng.randrange(7, 60)))
        openings.append(
            Opening(
                unit=unit, title=title, headcount=rng.choice([1, 1, 2, 3, 5]),
                education=education, major=major, experience_years=years,
                salary_min=Decimal(low), salary_max=Decimal(high),
                location=rng.choice(PLACES), closes_on=closes_on,
                description=f"{unit.name}因工作需要，面向社会招聘{title}。\n"
                "要求：遵纪守法，品行端正，身体健康；熟悉本岗位业务，具有良好的沟通能力。",
                status=status, created_by=_author(unit, fallback),
                created_at=_at(published, 9), published_at=None if draft else _at(published),
                closed_at=_at(closes_on) if closed else None,
            )
        )  # fmt: skip
    openings = Opening.objects.bulk_create(openings)
    resumes = []
    for i, candidate in enumerate(candidates[:60]):
        title, education, major, skills = RESUMES[i % len(RESUMES)]
        updated = _at(_month_ago(today, rng.randrange(0, 12), rng.randrange(1, 28)), 20)
        resumes.append(
            Resume(
                candidate=candidate, education=education, major=major,
                visibility=Visibility.HIDDEN if i % 10 == 9 else Visibility.PUBLIC,
                experience_years=rng.randrange(0, 12), desired_title=title,
                desired_location=rng.choice(["鞍山", "鞍山市铁东区", "海城市", ""]),
                expected_salary=Decimal(rng.randrange(35, 120) * 100) if i % 3 else None,
                skills=skills, summary=f"{rng.randrange(2010, 2022)}年毕业，从事{title}相关工作，"
                "工作认真负责，有团队合作精神。", email=f"job{i:03d}@example.com",
                created_at=updated, updated_at=updated,
            )
        )  # fmt: skip
    own = Candidate.objects.filter(user__username=DEMO_CANDIDATE).first()
    if own is not None and own not in candidates[:60]:
        resumes.append(
            Resume(
                candidate=own, education="21", major="法学", experience_years=2,
                desired_title="法务专员", desired_location="鞍山", skills="法律职业资格",
                summary="法学本科，两年律师事务所助理经历。", email="kaosheng@example.com",
            )
        )  # fmt: skip
    resumes = Resume.objects.bulk_create(resumes)
    requests = _requests(today, rng, openings, [r for r in resumes if r.visibility == "public"])
    log(f"人才市场：岗位 {len(openings)} 个，简历 {len(resumes)} 份，联系请求 {requests} 个")


def _requests(today, rng, openings, resumes) -> int:
    """Requests from clerked units in every state; the demo candidate gets one from each unit."""
    units = list(Unit.objects.filter(pk__in=UserScope.objects.values("unit")).order_by("pk"))
    units = units or list({o.unit_id: o.unit for o in openings}.values())[:4]
    own = [r for r in resumes if r.candidate.user.username == DEMO_CANDIDATE]
    others = [r for r in resumes if r not in own]
    states = [RequestStatus.PENDING, RequestStatus.ACCEPTED, RequestStatus.DECLINED]
    rows = []
    for u, unit in enumerate(units):
        posted = [o for o in openings if o.unit_id == unit.pk and o.status != OpeningStatus.DRAFT]
        asked = own + others[u :: len(units)][:10]
        for i, resume in enumerate(asked):
            status = states[(i + u) % 3]
            if resume in own:
                day = today - datetime.timedelta(days=1 + u)
            else:
                day = _month_ago(today, rng.randrange(1, 12), rng.randrange(1, 25))
            rows.append(
                ContactRequest(
                    unit=unit, resume=resume, opening=posted[i % len(posted)] if posted else None,
                    message="您好，我单位正在招聘，您的简历与岗位要求相符，希望与您联系。",
                    status=status, requested_by=_author(unit, resume.candidate.user),
                    requested_at=_at(day, 11),
                    answered_at=None if status == RequestStatus.PENDING else _at(day, 19),
                )
            )  # fmt: skip
    ContactRequest.objects.bulk_create(rows)
    return len(rows)


def _secretaries(log) -> list[PartyOrganisation]:
    User = get_user_model()
    hashed = make_password(PASSWORD)
    organisations = []
    for username, full_name, name, cycle in ORGANISATIONS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"role": Role.PARTY_SECRETARY, "full_name": full_name, "password": hashed,
                      "is_active": True},
        )  # fmt: skip
        organisation, _ = PartyOrganisation.objects.get_or_create(
            name=name, defaults={"secretary": user, "report_cycle": cycle}
        )
        organisations.append(organisation)
    names = "、".join(u for u, *_ in ORGANISATIONS)
    log(f"流动党员演示账号：{names}（党组织书记，/talent/party/manage/），密码 {PASSWORD}")
    return organisations


def _party(today, rng, organisations):
    # The newest accounts (some may also have a résumé: a member can look for work too).
    pool = list(
        Candidate.objects.exclude(user__username=DEMO_CANDIDATE)
        .select_related("user")
        .order_by("-pk")[:29]
    )
    own = Candidate.objects.filter(user__username=DEMO_CANDIDATE).select_related("user").first()
    if own is not None:
        pool.insert(0, own)
    members = []
    for i, candidate in enumerate(pool[:30]):
        organisation = organisations[i % len(organisations)]
        status = MemberStatus.PENDING if i % 10 == 7 else MemberStatus.ACTIVE
        registered = _at(_month_ago(today, 6 + i % 5, 5), 9)
        phone = crypto.decrypt(candidate.phone_cipher)
        members.append(
            MobileMember(
                organisation=organisation, user=candidate.user, name=candidate.name,
                id_number_cipher=candidate.id_number_cipher,
                id_number_hash=candidate.id_number_hash,
                id_number_masked=candidate.id_number_masked,
                phone_cipher=crypto.encrypt(phone), phone_masked=mask_phone(phone),
                city=rng.choice(CITIES), employer=rng.choice(EMPLOYERS), status=status,
                registered_at=registered,
                decided_at=None if status == MemberStatus.PENDING else registered,
            )
        )  # fmt: skip
    members = MobileMember.objects.bulk_create(members)
    checkins = []
    for i, member in enumerate(members):
        if member.status != MemberStatus.ACTIVE:
            continue
        cycle = organisations[i % len(organisations)].report_cycle
        step = 3 if cycle == "quarterly" else 1
        for back in range(0, 6, step):
            current = back == 0
            # this period: about half have reported (never the demo candidate, who can try it)
            if current and (i % 2 or member.user.username == DEMO_CANDIDATE):
                continue
            if not current and rng.random() < 0.15:
                continue  # an occasional missed period
            day = _month_ago(today, back, 3 if current else 15)
            day = min(day, today)
            kind, text = REPORTS[(i + back) % len(REPORTS)]
            checkins.append(
                CheckIn(member=member, period=period_of(day, cycle), kind=kind, text=text,
                        submitted_at=_at(day, 21))
            )  # fmt: skip
    CheckIn.objects.bulk_create(checkins, ignore_conflicts=True)
    for organisation in organisations:
        for n, (title, body) in enumerate(
            [
                (
                    "关于开展流动党员集中学习的通知",
                    "请各位流动党员本月内完成线上学习并提交学习体会。",
                ),
                ("主题党日活动安排", "本月主题党日采用线上方式，请按时参加并报到。"),
            ]
        ):
            notice = PartyNotice(
                organisation=organisation, title=title, body=body,
                author=organisation.secretary, published_at=_at(_month_ago(today, n, 2)),
            )  # fmt: skip
            if n == 0:
                notice.attachment.save("学习材料.pdf", ContentFile(PDF), save=False)
                notice.attachment_name = "学习材料.pdf"
            notice.save()
    return len(members), len(checkins)


def load(*, today=None, seed=2026, log=print) -> None:
    """Idempotent: each part loads once; accounts are (re)set every time."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    with transaction.atomic():
        if Opening.objects.exists():
            log("人才市场演示数据已存在，跳过")
        else:
            _market(today, rng, log)
        organisations = _secretaries(log)
        if MobileMember.objects.filter(organisation__in=organisations).exists():
            log("流动党员演示数据已存在，跳过")
        else:
            members, checkins = _party(today, rng, organisations)
            log(f"流动党员：党组织 {len(organisations)} 个，党员 {members} 人，汇报 {checkins} 条")
    log(
        "人才市场：单位人事专员（如 clerk_caizheng）在 /talent/unit/ 发布岗位、检索简历；"
        f"考生 {DEMO_CANDIDATE} 在 /talent/me/resume/ 管理简历、答复联系请求，"
        "在 /talent/party/ 报到；personnel 等局内人员在 /talent/stats/ 查看统计"
    )
