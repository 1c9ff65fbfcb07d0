"""Demo data: open and closed notices of every kind (the 军转 rounds too), objections, reports in
every state and the discipline account `jijian`. Loading twice changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from renshi.core.roles import Role
from renshi.personnel.demo import PASSWORD
from renshi.sunshine import exam_source, services
from renshi.sunshine.models import (
    MilitaryRound,
    Notice,
    NoticeKind,
    Objection,
    Report,
    ReportStatus,
)

DEMO_REPORT_CODE = "JBDEMO2026"
DEMO_OBJECTION_CODE = "YYDEMO2026"
BATCH = "2026年度军队转业干部安置"
ACCOUNTS = [("jijian", Role.DISCIPLINE, "韩纪检")]

TITLES = [
    (
        "title",
        "2026年度中小学教师系列高级职称评审结果公示",
        ["姓名", "工作单位", "评审结果"],
        [
            ["王海燕", "鞍山市第一中学", "高级教师"],
            ["刘建国", "鞍山市第三中学", "高级教师"],
            ["陈晓丽", "铁东区实验小学", "一级教师"],
        ],
    ),
    (
        "recruit",
        "鞍山市2026年事业单位公开招聘工作人员拟聘用人员公示（第一批）",
        ["招聘单位", "岗位", "姓名", "综合成绩"],
        [
            ["鞍山市中心医院", "临床医师", "赵明", "82.40"],
            ["鞍山市疾控中心", "检验", "孙丽", "79.15"],
        ],
    ),
    (
        "hire",
        "鞍山市2026年考试录用公务员拟录用人员公示（第二批）",
        ["职位代码", "招录机关", "姓名", "综合成绩"],
        [
            ["2601001", "鞍山市财政局", "周文", "80.12"],
            ["2601007", "鞍山市教育局", "吴静", "78.66"],
        ],
    ),
    (
        "other",
        "鞍山市人事局2026年度优秀公务员拟表彰人员公示",
        ["姓名", "单位"],
        [["郑伟", "鞍山市人事局"], ["冯雪", "鞍山市统计局"]],
    ),
]
ROUND_ROWS = {
    1: (["接收单位", "岗位", "计划数"],
        [["鞍山市公安局", "行政", "6"], ["鞍山市应急局", "行政", "2"]]),
    2: (["姓名", "原部队职务", "军龄"], [["马强", "正营职", "20"], ["杨帆", "副营职", "16"]]),
    3: (["姓名", "考试成绩", "考核成绩"], [["马强", "78.5", "92"], ["杨帆", "81.0", "88"]]),
    4: (["名次", "姓名", "综合积分"], [["1", "马强", "168.5"], ["2", "杨帆", "165.0"]]),
    5: (["姓名", "选定单位", "岗位"],
        [["马强", "鞍山市公安局", "行政"], ["杨帆", "鞍山市应急局", "行政"]]),
}  # fmt: skip
REPORTS = [
    # category, subject kind, subject, text, anonymous, final status, days ago
    ("recruit", "unit", "鞍山市某区属事业单位", "2026年公开招聘中疑似为特定人员量身设置岗位条件。",
     False, ReportStatus.ANSWERED, 70),
    ("titles", "person", "职称评审委员会某评委", "评审期间收受申报人礼品，影响评审公正。",
     True, ReportStatus.ROUTED, 40),
    ("establish", "unit", "鞍山市某局下属中心", "长期有人只领工资不上班，涉嫌吃空饷问题。",
     True, ReportStatus.HANDLED, 25),
    ("conduct", "matter", "办事大厅窗口办理退休手续", "窗口工作人员态度生硬，多次要求补交材料。",
     False, ReportStatus.ANSWERED, 100),
    ("grievance", "matter", "本人职称申报材料被退回", "本人申报材料齐全却被退回，未说明理由。",
     False, ReportStatus.RECEIVED, 3),
    ("corrupt", "person", "某单位人事干部", "利用调动审批收取好处费，涉及多人，请查处。",
     True, ReportStatus.RECEIVED, 1),
    ("recruit", "matter", "2026年度教师招聘面试", "面试考官与考生存在亲属关系未回避。",
     False, ReportStatus.ANSWERED, 160),
]  # fmt: skip


def _accounts(log):
    hashed = make_password(PASSWORD)
    User = get_user_model()
    for username, role, full_name in ACCOUNTS:
        User.objects.update_or_create(
            username=username,
            defaults={"role": role, "full_name": full_name, "password": hashed, "is_active": True},
        )
    log(f"阳光人事演示账号：jijian（纪检监察），密码 {PASSWORD}")


def _notice(kind, title, columns, rows, starts_on, **fields):
    notice = Notice.objects.filter(title=title).first()
    if notice:
        return notice, False
    notice = services.notice_create(
        actor="演示数据", kind=kind, title=title, columns=columns, rows=rows, starts_on=starts_on,
        workdays=5, body="公示期内如有异议，请实名反映。",
        **fields,
    )  # fmt: skip
    return services.notice_publish(actor="演示数据", notice_id=notice.pk), True


def _objections(notice, answered: bool):
    day = notice.starts_on + datetime.timedelta(days=1)
    who = notice.rows[0][0] if notice.rows else notice.title
    first = services.objection_submit(
        notice_id=notice.pk, name="钱先生", phone="13904121234", today=day,
        text=f"对“{who}”有异议：反映其资格条件存疑，请核查。",
    )  # fmt: skip
    if answered:
        services.objection_answer(
            actor="演示数据", objection_id=first.pk, answer="经核查，相关资格条件符合规定。",
            public_summary="经核查，反映的资格问题不属实。",
        )  # fmt: skip
    return first


def _notices(today, log):
    created = 0
    for index, (kind, title, columns, rows) in enumerate(TITLES):
        open_notice, new = _notice(kind, title, columns, rows, today - datetime.timedelta(days=1))
        if new:
            objection = _objections(open_notice, answered=False)
            if index == 0:
                Objection.objects.filter(pk=objection.pk).update(code=DEMO_OBJECTION_CODE)
            created += 1
        closed_title = title.replace("2026年", "2026年上半年", 1)
        closed, new = _notice(
            kind, closed_title, columns, rows, today - datetime.timedelta(days=60)
        )
        if new:
            _objections(closed, answered=True)
            created += 1
    for round_, (columns, rows) in ROUND_ROWS.items():
        label = MilitaryRound(round_).label
        starts = today - datetime.timedelta(days=1 + (5 - round_) * 14)
        notice, new = _notice(
            NoticeKind.MILITARY, f"{BATCH}{label}", columns, rows, starts, batch=BATCH, round=round_
        )
        if new and round_ in (2, 5):
            _objections(notice, answered=round_ == 2)
        created += new
    sources = Notice.objects.exclude(source=None).values_list("source", flat=True)
    for hire in exam_source.importable(list(sources)):
        services.notice_from_exam(actor="演示数据", hire_notice_id=hire.pk)
        created += 1
    log(f"演示公示 {created} 条（已有的跳过）")


def _reports(now, log):
    if Report.objects.filter(code=DEMO_REPORT_CODE).exists():
        log("已有演示举报，跳过。")
        return
    for i, (category, kind, subject, text, anonymous, status, days) in enumerate(REPORTS):
        report, _ = services.report_submit(
            category=category, subject_kind=kind, subject=subject, text=text, anonymous=anonymous,
            name="" if anonymous else "李群众", phone="" if anonymous else "13904125678",
        )  # fmt: skip
        if status != ReportStatus.RECEIVED:
            services.report_route(actor="演示数据", report_id=report.pk, section="personnel")
        if status in (ReportStatus.HANDLED, ReportStatus.ANSWERED):
            services.report_handle(
                actor="演示数据", report_id=report.pk, findings="已调阅档案并约谈相关人员。"
            )
        if status == ReportStatus.ANSWERED:
            services.report_answer(
                actor="演示数据",
                report_id=report.pk,
                answer="经核查，已责令整改并追究相关人员责任。",
            )
        received = now - datetime.timedelta(days=days)
        fields = {"received_at": received}
        if status == ReportStatus.ANSWERED:
            fields["answered_at"] = received + datetime.timedelta(days=3 + i * 4)
        if i == 0:
            fields.update(code=DEMO_REPORT_CODE, password=make_password(PASSWORD))
        Report.objects.filter(pk=report.pk).update(**fields)  # back-dated for the statistics
    log(f"演示举报 {len(REPORTS)} 件；举报查询：查询码 {DEMO_REPORT_CODE}，密码 {PASSWORD}")
    log(f"异议答复查询：查询码 {DEMO_OBJECTION_CODE}")


def load(*, log=print):
    with transaction.atomic():
        _accounts(log)
        _notices(timezone.localdate(), log)
        _reports(timezone.now(), log)
