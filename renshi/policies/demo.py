"""Demo policy library: real national documents (with their real 文号 where known, otherwise blank)
and local Anshan documents marked 示例 with blank 文号, with validity links; bodies are plausible
articles written for the demo, not the official texts. `generated_policy` also feeds the
10,000-document benchmark (bench/policies_search.py).
"""

import datetime
import random

from django.db import transaction

from renshi.policies import search, services
from renshi.policies.models import Level, LinkKind, Policy, Status, StudyArticle, StudyKind
from renshi.portal.demo import editor_account  # one web editor for the whole site

NPC = "全国人民代表大会常务委员会"
STATE_COUNCIL = "国务院"
ORG = "中共中央组织部"
MOHRSS = "人力资源社会保障部"
MOP = "人事部"
LN = "辽宁省人力资源和社会保障厅"
AS_BUREAU = "鞍山市人事局"
AS_GOV = "鞍山市人民政府"

SUBJECTS = [
    "公务员",
    "事业单位工作人员",
    "专业技术人员",
    "机关工作人员",
    "聘用人员",
    "军队转业干部",
]
ACTIONS = [
    "考核",
    "公开招聘",
    "培训",
    "奖励",
    "处分",
    "工资",
    "调动",
    "退休",
    "职称评审",
    "岗位设置",
    "社会保险",
    "年休假",
]
CLAUSES = [
    "应当坚持德才兼备、以德为先的原则，注重工作实绩",
    "应当遵循公开、平等、竞争、择优的原则，接受社会监督",
    "由所在单位人事部门具体组织实施，主管部门负责指导和监督",
    "结果应当以书面形式通知本人，本人对结果有异议的可以申请复核",
    "所需经费列入单位年度预算，不得向个人收取费用",
    "应当按照管理权限报同级人事部门备案",
    "有关材料应当存入本人人事档案",
    "对弄虚作假、徇私舞弊的，依照有关规定追究责任",
    "应当结合岗位职责和年度工作任务，实行分类分级管理",
    "人事部门应当加强统计分析，及时掌握情况",
    "涉及国家秘密的，按照保密规定办理",
    "应当在本单位范围内公示，公示期不少于五个工作日",
    "各县（市）区可以结合实际制定具体实施办法",
    "应当充分听取本人意见，必要时进行谈话",
]
OPENINGS = [
    "为了规范{s}{a}工作，保障{s}的合法权益，根据有关法律法规，结合本地实际，制定本办法。",
    "本办法适用于全市各级机关、事业单位的{s}。",
    "{s}{a}工作在党委统一领导下，由人事部门综合管理。",
]
CLOSINGS = [
    "本办法由鞍山市人事局负责解释。",
    "本办法自发布之日起施行。以前发布的有关规定与本办法不一致的，以本办法为准。",
]
NUMERALS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + (NUMERALS[n - 11] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")


def articles(rng: random.Random, subject: str, action: str, *, extra=(), count=None) -> str:
    """Numbered articles (第X条) about one subject and action, `extra` ones in the middle."""
    lines = [t.format(s=subject, a=action) for t in OPENINGS]
    for _ in range(count or rng.randint(5, 11)):
        first, second = rng.sample(CLAUSES, 2)
        topic = rng.choice([subject, f"{subject}{action}", f"{action}工作", f"{action}结果"])
        lines.append(f"{topic}{first}；{second}。")
    lines[3:3] = list(extra)
    lines.extend(CLOSINGS)
    return "\n".join(f"第{cn_number(i)}条　{text}" for i, text in enumerate(lines, 1))


# (key, title, 文号, issuer, level, published, effective, key phrases for the body)
NATIONAL = [
    (
        "gwyf2005",
        "中华人民共和国公务员法",
        "中华人民共和国主席令第三十五号",
        NPC,
        Level.LAW,
        "2005-04-27",
        "2006-01-01",
        ("公务员", "考核", ["对公务员的考核，按照管理权限，全面考核公务员的德、能、勤、绩、廉。"]),
    ),
    (
        "gwyf2018",
        "中华人民共和国公务员法（2018年修订）",
        "中华人民共和国主席令第二十号",
        NPC,
        Level.LAW,
        "2018-12-29",
        "2019-06-01",
        (
            "公务员",
            "考核",
            [
                "对公务员的考核，按照管理权限，全面考核公务员的德、能、勤、绩、廉，重点考核政治素质和工作实绩。",
                "公务员的考核分为平时考核、专项考核和定期考核等方式。定期考核以平时考核、专项考核为基础。",
                "定期考核的结果分为优秀、称职、基本称职和不称职四个等次。",
            ],
        ),
    ),
    (
        "sydwtl",
        "事业单位人事管理条例",
        "中华人民共和国国务院令第652号",
        STATE_COUNCIL,
        Level.ADMIN_REGULATION,
        "2014-04-25",
        "2014-07-01",
        (
            "事业单位工作人员",
            "公开招聘",
            [
                "事业单位新聘用工作人员，应当面向社会公开招聘。",
                "事业单位应当根据聘用合同规定的岗位职责任务，对工作人员进行考核。考核结果作为调整岗位、工资以及续订聘用合同的依据。",
            ],
        ),
    ),
    (
        "gkzp2005",
        "事业单位公开招聘人员暂行规定",
        "人事部令第6号",
        MOP,
        Level.DEPARTMENT_RULE,
        "2005-11-16",
        "2006-01-01",
        (
            "事业单位工作人员",
            "公开招聘",
            ["公开招聘应当发布招聘公告，公告应当载明招聘岗位、数量、资格条件和考试时间。"],
        ),
    ),
    (
        "gwykh2007",
        "公务员考核规定（试行）",
        "",
        ORG,
        Level.NORMATIVE,
        "2007-01-04",
        "2007-01-04",
        ("公务员", "考核", ["公务员年度考核一般每年年末或者翌年年初进行。"]),
    ),
    (
        "gwykh2020",
        "公务员考核规定",
        "",
        ORG,
        Level.NORMATIVE,
        "2020-12-28",
        "2020-12-28",
        (
            "公务员",
            "考核",
            [
                "公务员考核坚持党管干部原则，突出政治素质考核，注重考核工作实绩。",
                "公务员年度考核结果作为调整公务员职位、职务、职级、级别、工资以及公务员奖励、培训、辞退的依据。",
            ],
        ),
    ),
    (
        "sydwkh1995",
        "事业单位工作人员考核暂行规定",
        "",
        MOP,
        Level.NORMATIVE,
        "1995-12-14",
        "1995-12-14",
        ("事业单位工作人员", "考核", ["考核结果分为优秀、合格、不合格三个等次。"]),
    ),
    (
        "sydwkh2023",
        "事业单位工作人员考核规定",
        "",
        f"{ORG} {MOHRSS}",
        Level.NORMATIVE,
        "2023-01-12",
        "2023-01-12",
        (
            "事业单位工作人员",
            "考核",
            [
                "考核分为平时考核、专项考核、年度考核和聘期考核。",
                "年度考核的结果一般分为优秀、合格、基本合格和不合格四个等次。",
            ],
        ),
    ),
    (
        "cf2012",
        "事业单位工作人员处分暂行规定",
        "人力资源和社会保障部 监察部令第18号",
        f"{MOHRSS} 监察部",
        Level.DEPARTMENT_RULE,
        "2012-08-22",
        "2012-09-01",
        ("事业单位工作人员", "处分", ["处分的种类为警告、记过、降低岗位等级或者撤职、开除。"]),
    ),
    (
        "cf2023",
        "事业单位工作人员处分规定",
        "",
        f"{ORG} {MOHRSS}",
        Level.NORMATIVE,
        "2023-11-06",
        "2023-11-06",
        (
            "事业单位工作人员",
            "处分",
            ["给予事业单位工作人员处分，应当坚持党管干部原则，做到事实清楚、证据确凿、定性准确。"],
        ),
    ),
    (
        "xzcf",
        "行政机关公务员处分条例",
        "中华人民共和国国务院令第495号",
        STATE_COUNCIL,
        Level.ADMIN_REGULATION,
        "2007-04-22",
        "2007-06-01",
        ("公务员", "处分", ["行政机关公务员处分的种类为警告、记过、记大过、降级、撤职、开除。"]),
    ),
    (
        "ldhtf2007",
        "中华人民共和国劳动合同法",
        "中华人民共和国主席令第六十五号",
        NPC,
        Level.LAW,
        "2007-06-29",
        "2008-01-01",
        ("劳动者", "劳动合同", ["用人单位自用工之日起即与劳动者建立劳动关系。"]),
    ),
    (
        "ldhtf2012",
        "全国人民代表大会常务委员会关于修改《中华人民共和国劳动合同法》的决定",
        "中华人民共和国主席令第七十三号",
        NPC,
        Level.LAW,
        "2012-12-28",
        "2013-07-01",
        ("劳务派遣单位", "劳动合同", ["经营劳务派遣业务应当具备法定条件，并依法申请行政许可。"]),
    ),
    (
        "ldf",
        "中华人民共和国劳动法",
        "中华人民共和国主席令第二十八号",
        NPC,
        Level.LAW,
        "1994-07-05",
        "1995-01-01",
        ("劳动者", "工资", ["工资分配应当遵循按劳分配原则，实行同工同酬。"]),
    ),
    (
        "shbxf",
        "中华人民共和国社会保险法",
        "中华人民共和国主席令第三十五号",
        NPC,
        Level.LAW,
        "2010-10-28",
        "2011-07-01",
        (
            "职工",
            "社会保险",
            ["职工应当参加基本养老保险，由用人单位和职工共同缴纳基本养老保险费。"],
        ),
    ),
    (
        "ldzy",
        "中华人民共和国劳动争议调解仲裁法",
        "中华人民共和国主席令第八十号",
        NPC,
        Level.LAW,
        "2007-12-29",
        "2008-05-01",
        ("劳动者", "劳动争议", ["劳动争议申请仲裁的时效期间为一年。"]),
    ),
    (
        "gsbx2003",
        "工伤保险条例",
        "中华人民共和国国务院令第375号",
        STATE_COUNCIL,
        Level.ADMIN_REGULATION,
        "2003-04-27",
        "2004-01-01",
        ("职工", "工伤保险", ["职工因工作原因受到事故伤害的，应当认定为工伤。"]),
    ),
    (
        "gsbx2010",
        "国务院关于修改《工伤保险条例》的决定",
        "中华人民共和国国务院令第586号",
        STATE_COUNCIL,
        Level.ADMIN_REGULATION,
        "2010-12-20",
        "2011-01-01",
        ("职工", "工伤保险", ["工伤认定申请应当在事故伤害发生之日起30日内提出。"]),
    ),
    (
        "nxj",
        "职工带薪年休假条例",
        "中华人民共和国国务院令第514号",
        STATE_COUNCIL,
        Level.ADMIN_REGULATION,
        "2007-12-14",
        "2008-01-01",
        ("职工", "年休假", ["职工累计工作已满1年不满10年的，年休假5天。"]),
    ),
    (
        "jgnxj",
        "机关事业单位工作人员带薪年休假实施办法",
        "人事部令第9号",
        MOP,
        Level.DEPARTMENT_RULE,
        "2008-02-15",
        "2008-02-15",
        ("机关工作人员", "年休假", ["年休假一般不跨年度安排。"]),
    ),
    (
        "txtz",
        "国务院关于工人退休、退职的暂行办法",
        "国发〔1978〕104号",
        STATE_COUNCIL,
        Level.ADMIN_REGULATION,
        "1978-06-02",
        "1978-06-02",
        ("工人", "退休", ["男年满六十周岁，女年满五十周岁，连续工龄满十年的，应该退休。"]),
    ),
    (
        "ylbx2015",
        "国务院关于机关事业单位工作人员养老保险制度改革的决定",
        "国发〔2015〕2号",
        STATE_COUNCIL,
        Level.ADMIN_REGULATION,
        "2015-01-14",
        "2014-10-01",
        (
            "机关工作人员",
            "社会保险",
            ["机关事业单位实行社会统筹与个人账户相结合的基本养老保险制度。"],
        ),
    ),
    (
        "gwsz",
        "事业单位岗位设置管理试行办法",
        "国人部发〔2006〕70号",
        MOP,
        Level.NORMATIVE,
        "2006-07-04",
        "2007-01-01",
        (
            "事业单位工作人员",
            "岗位设置",
            ["事业单位岗位分为管理岗位、专业技术岗位和工勤技能岗位三种类别。"],
        ),
    ),
    (
        "jxjy",
        "专业技术人员继续教育规定",
        "人力资源和社会保障部令第25号",
        MOHRSS,
        Level.DEPARTMENT_RULE,
        "2015-08-13",
        "2015-10-01",
        ("专业技术人员", "培训", ["专业技术人员参加继续教育的时间，每年累计应不少于90学时。"]),
    ),
    (
        "zcps",
        "职称评审管理暂行规定",
        "人力资源社会保障部令第40号",
        MOHRSS,
        Level.DEPARTMENT_RULE,
        "2019-07-01",
        "2019-09-01",
        (
            "专业技术人员",
            "职称评审",
            ["职称评审委员会按照职称系列或者专业组建，不得跨系列组建综合性职称评审委员会。"],
        ),
    ),
    (
        "zyaz",
        "军队转业干部安置暂行办法",
        "中发〔2001〕3号",
        "中共中央 国务院 中央军委",
        Level.NORMATIVE,
        "2001-01-19",
        "2001-01-19",
        ("军队转业干部", "调动", ["军队转业干部安置工作坚持为经济社会发展和军队建设服务的方针。"]),
    ),
    (
        "gwyly",
        "公务员录用规定",
        "",
        ORG,
        Level.NORMATIVE,
        "2019-11-05",
        "2019-11-05",
        (
            "公务员",
            "公开招聘",
            ["录用公务员，应当发布招考公告，公告应当载明招考的职位、名额、报考资格条件。"],
        ),
    ),
    (
        "gwyjl",
        "公务员奖励规定",
        "",
        f"{ORG} {MOHRSS}",
        Level.NORMATIVE,
        "2020-12-28",
        "2020-12-28",
        (
            "公务员",
            "奖励",
            ["公务员奖励坚持定期奖励与及时奖励相结合，精神奖励与物质奖励相结合、以精神奖励为主。"],
        ),
    ),
    (
        "gwypx",
        "公务员培训规定",
        "",
        ORG,
        Level.NORMATIVE,
        "2019-10-25",
        "2019-10-25",
        ("公务员", "培训", ["公务员每年参加脱产培训的时间累计一般应当不少于12天。"]),
    ),
]

# (newer, older, kind): the older document's validity follows the link.
LINKS = [
    ("gwyf2018", "gwyf2005", LinkKind.AMENDS),
    ("gwykh2020", "gwykh2007", LinkKind.REPLACES),
    ("sydwkh2023", "sydwkh1995", LinkKind.REPLACES),
    ("cf2023", "cf2012", LinkKind.REPLACES),
    ("ldhtf2012", "ldhtf2007", LinkKind.AMENDS),
    ("gsbx2010", "gsbx2003", LinkKind.AMENDS),
    ("as_zp2024", "as_zp2015", LinkKind.REPLACES),
    ("as_kh2024", "as_kh2016", LinkKind.REPLACES),
    ("as_px2022", "as_px2012", LinkKind.REPEALS),
]

# Local documents (示例, no 文号): key, title, issuer, level, published, subject, action
LOCAL = [
    (
        "as_zp2015",
        "鞍山市事业单位公开招聘人员实施办法",
        AS_GOV,
        Level.NORMATIVE,
        "2015-03-10",
        "事业单位工作人员",
        "公开招聘",
    ),
    (
        "as_zp2024",
        "鞍山市事业单位公开招聘人员实施办法（2024年修订）",
        AS_GOV,
        Level.NORMATIVE,
        "2024-04-18",
        "事业单位工作人员",
        "公开招聘",
    ),
    (
        "as_kh2016",
        "鞍山市事业单位工作人员年度考核实施细则",
        AS_BUREAU,
        Level.BUREAU,
        "2016-11-20",
        "事业单位工作人员",
        "考核",
    ),
    (
        "as_kh2024",
        "鞍山市事业单位工作人员考核实施办法",
        AS_BUREAU,
        Level.BUREAU,
        "2024-02-26",
        "事业单位工作人员",
        "考核",
    ),
    (
        "as_px2012",
        "鞍山市公务员培训管理暂行办法",
        AS_BUREAU,
        Level.BUREAU,
        "2012-05-08",
        "公务员",
        "培训",
    ),
    (
        "as_px2022",
        "关于废止《鞍山市公务员培训管理暂行办法》的通知",
        AS_BUREAU,
        Level.BUREAU,
        "2022-06-30",
        "公务员",
        "培训",
    ),
    (
        "ln_zc",
        "辽宁省职称评审管理实施办法",
        LN,
        Level.NORMATIVE,
        "2020-09-15",
        "专业技术人员",
        "职称评审",
    ),
    (
        "ln_gk",
        "辽宁省事业单位公开招聘工作人员实施办法",
        LN,
        Level.NORMATIVE,
        "2021-05-20",
        "事业单位工作人员",
        "公开招聘",
    ),
    (
        "ln_tl",
        "辽宁省事业单位人事管理办法",
        "辽宁省人民代表大会常务委员会",
        Level.LOCAL_REGULATION,
        "2019-11-28",
        "事业单位工作人员",
        "岗位设置",
    ),
]
YEARLY = [
    "关于做好{y}年度公务员考核工作的通知",
    "关于做好{y}年度事业单位工作人员考核工作的通知",
    "关于{y}年鞍山市事业单位公开招聘工作人员的公告",
    "关于开展{y}年度专业技术人员继续教育工作的通知",
    "关于{y}年度机关事业单位工作人员年休假安排的通知",
    "关于做好{y}年度职称评审工作的通知",
    "关于{y}年军队转业干部安置工作的实施意见",
    "关于调整{y}年机关事业单位退休人员基本养老金的通知",
]


def _date(text):
    return datetime.date.fromisoformat(text)


def _title_topic(title: str) -> tuple[str, str]:
    subject = next((s for s in SUBJECTS if s in title), "事业单位工作人员")
    action = next((a for a in ACTIONS if a in title), "考核")
    if "军队转业干部" in title:
        subject, action = "军队转业干部", "调动"
    if "退休" in title:
        action = "退休"
    return subject, action


def local_documents(rng: random.Random) -> list[dict]:
    docs = []
    for key, title, issuer, level, published, subject, action in LOCAL:
        docs.append(
            {
                "key": key,
                "title": title,
                "doc_number": "",
                "issuer": issuer,
                "level": level,
                "published_on": _date(published),
                "effective_on": _date(published) + datetime.timedelta(days=30),
                "body": articles(rng, subject, action),
                "is_sample": True,
            }
        )
    for year in range(2019, 2026):
        for template in YEARLY:
            title = template.format(y=year)
            subject, action = _title_topic(title)
            month = rng.randint(1, 11)
            docs.append(
                {
                    "key": f"yearly-{year}-{title}",
                    "title": title,
                    "doc_number": "",
                    "issuer": AS_BUREAU if rng.random() < 0.8 else AS_GOV,
                    "level": Level.BUREAU,
                    "published_on": datetime.date(year, month, rng.randint(1, 28)),
                    "effective_on": None,
                    "body": notice_body(rng, subject, action, year),
                    "is_sample": True,
                }
            )
    return docs


def notice_body(rng, subject, action, year, *, long=0) -> str:
    """A notice (通知) in the usual shape: addressees, purpose, numbered requirements."""
    items = rng.sample(CLAUSES, rng.randint(3, 6)) if not long else rng.choices(CLAUSES, k=long)
    parts = [
        "各县（市）区人事局，市直各单位：",
        f"为做好{year}年度{subject}{action}工作，根据有关规定，现就有关事项通知如下。",
    ]
    for i, clause in enumerate(items, 1):
        parts.append(f"{cn_number(i)}、{subject}{action}{clause}。")
    parts.append(f"请各单位于{year}年12月31日前将{action}情况报市人事局。")
    parts.append("鞍山市人事局")
    return "\n".join(parts)


def national_documents(rng: random.Random) -> list[dict]:
    docs = []
    for key, title, number, issuer, level, published, effective, topic in NATIONAL:
        subject, action, extra = topic
        docs.append(
            {
                "key": key,
                "title": title,
                "doc_number": number,
                "issuer": issuer,
                "level": level,
                "published_on": _date(published),
                "effective_on": _date(effective),
                "body": articles(rng, subject, action, extra=extra),
                "is_sample": False,
            }
        )
    return docs


STUDY = [
    (
        "年度考核被定为不称职，公务员可以申请复核吗？",
        StudyKind.QA,
        "某区直机关公务员小王对本人年度考核被确定为不称职等次不服，能否提出异议？",
        "可以。根据《公务员考核规定》，公务员对年度考核确定为不称职等次不服的，可以按照规定申请复核、提出申诉。机关应当将考核结果以书面形式通知本人，复核期间不停止考核结果的执行。",
        ["gwykh2020", "gwyf2018"],
    ),
    (
        "事业单位工作人员连续两年考核不合格会怎样？",
        StudyKind.QA,
        "某事业单位工作人员连续两年年度考核不合格，单位可以解除聘用合同吗？",
        "根据《事业单位人事管理条例》，事业单位工作人员年度考核不合格且不同意调整工作岗位，或者连续两年年度考核不合格的，事业单位提前30日书面通知，可以解除聘用合同。",
        ["sydwtl", "sydwkh2023"],
    ),
    (
        "公开招聘必须发布公告吗？",
        StudyKind.QA,
        "事业单位补充一名专业技术人员，能否不发布招聘公告直接聘用？",
        "不能。事业单位新聘用工作人员，除国家政策性安置、按照人事管理权限由上级任命及涉密岗位等确需使用其他方法选拔任用人员外，都要实行公开招聘，并发布招聘公告。",
        ["gkzp2005", "sydwtl", "as_zp2024"],
    ),
    (
        "案例：试用期内被认定不符合录用条件",
        StudyKind.CASE,
        "李某通过公开招聘进入某事业单位，试用期内经考核不合格，单位决定解除聘用合同，李某申请人事争议仲裁。",
        "仲裁委认为，单位在试用期内对李某进行了考核，考核程序合法、结果有据，单位依据《事业单位人事管理条例》解除聘用合同并无不当，驳回李某的请求。提示：试用期考核应有书面记录，结果应告知本人。",
        ["sydwtl"],
    ),
    (
        "机关事业单位工作人员年休假怎么算？",
        StudyKind.QA,
        "工作满12年的事业单位工作人员，每年可以休几天年休假？",
        "根据《职工带薪年休假条例》，累计工作已满10年不满20年的，年休假10天。机关事业单位的具体办法见《机关事业单位工作人员带薪年休假实施办法》。",
        ["nxj", "jgnxj"],
    ),
    (
        "受到处分的事业单位工作人员能否参加年度考核评优？",
        StudyKind.QA,
        "某事业单位工作人员受到记过处分，当年年度考核能否被评为优秀？",
        "一般不能。受处分期间的年度考核等次和岗位等级晋升受到限制，具体等次限制以《事业单位工作人员处分规定》的条文为准。",
        ["cf2023", "sydwkh2023"],
    ),
    (
        "案例：公务员考核等次与奖励",
        StudyKind.CASE,
        "某局公务员张某连续三年年度考核被确定为优秀等次，单位依规给予三等功奖励。",
        "《公务员考核规定》规定，公务员连续三年年度考核被确定为优秀等次的，记三等功；奖励的程序依照《公务员奖励规定》办理。考核结果与奖励挂钩，体现了鼓励担当作为的导向。",
        ["gwyjl", "gwykh2020"],
    ),
    (
        "劳务派遣用工有比例限制吗？",
        StudyKind.QA,
        "某单位大量使用劳务派遣人员，是否违反规定？",
        "修改后的《劳动合同法》规定劳务派遣只能在临时性、辅助性或者替代性的工作岗位上实施，用工单位应当严格控制劳务派遣用工数量。",
        ["ldhtf2012"],
    ),
    (
        "职称评审不得跨系列组建评审委员会",
        StudyKind.QA,
        "某单位拟组建一个评审所有系列职称的综合评审委员会，是否可行？",
        "不可行。《职称评审管理暂行规定》规定职称评审委员会按照职称系列或者专业组建，不得跨系列组建综合性职称评审委员会。",
        ["zcps", "ln_zc"],
    ),
    (
        "案例：工伤认定申请超过期限",
        StudyKind.CASE,
        "某单位职工在工作中受伤，单位两个月后才提出工伤认定申请。",
        "《工伤保险条例》规定单位应当在事故伤害发生之日起30日内提出工伤认定申请；单位未在规定时限内提交的，在此期间发生的工伤待遇等有关费用由该单位负担。",
        ["gsbx2010", "gsbx2003"],
    ),
]


@transaction.atomic
def load(*, log=print) -> dict:
    """Create what is missing (matched by title); run twice, it changes nothing the second time."""
    rng = random.Random(20261128)
    actor = editor_account()
    documents = national_documents(rng) + local_documents(rng)
    existing = {
        p.title: p for p in Policy.objects.filter(title__in=[d["title"] for d in documents])
    }
    by_key = {}
    created = 0
    for doc in documents:
        key = doc.pop("key")
        policy = existing.get(doc["title"])
        if policy is None:
            policy = services.policy_create(actor=actor, **doc)
            policy = services.policy_publish(actor=actor, policy=policy)
            created += 1
        by_key[key] = policy
    links = 0
    for newer, older, kind in LINKS:
        source, target = by_key[newer], by_key[older]
        if not source.links_out.filter(target=target).exists():
            services.link_add(actor=actor, source=source, target=target, kind=kind)
            links += 1
    articles_created = 0
    for title, kind, question, answer, keys in STUDY:
        if StudyArticle.objects.filter(title=title).exists():
            continue
        article = services.study_save(
            actor=actor,
            policies=[by_key[k] for k in keys],
            title=title,
            kind=kind,
            question=question,
            answer=answer,
        )
        services.study_publish(actor=actor, article=article)
        articles_created += 1
    log(
        f"政策法规：新增 {created} 份文件（共 {Policy.objects.count()} 份），效力关系 {links} 条，"
        f"网上说法 {articles_created} 篇"
    )
    return {"created": created, "links": links, "articles": articles_created}


def generated_policy(rng: random.Random, n: int) -> Policy:
    """One synthetic document for the benchmark (not saved, not indexed)."""
    year = rng.randint(1995, 2025)
    subject, action = rng.choice(SUBJECTS), rng.choice(ACTIONS)
    place = rng.choice(
        ["鞍山市", "铁东区", "铁西区", "立山区", "千山区", "海城市", "台安县", "岫岩县"]
    )
    title = rng.choice(
        [
            f"{place}{subject}{action}管理办法",
            f"关于做好{year}年度{subject}{action}工作的通知",
            f"{place}关于进一步加强{subject}{action}工作的意见",
            f"{place}{subject}{action}实施细则",
        ]
    )
    level = rng.choices(list(Level.values), weights=[1, 2, 4, 3, 40, 50])[0]
    body = (
        notice_body(rng, subject, action, year, long=rng.randint(20, 50))
        if "通知" in title
        else articles(rng, subject, action, count=rng.randint(15, 45))
    )
    return Policy(
        title=f"{title}（第{n}号示例）",
        doc_number="",
        issuer=f"{place}人事局",
        level=level,
        published_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        validity=rng.choices(["in_force", "amended", "repealed"], weights=[80, 8, 12])[0],
        status=Status.PUBLISHED,
        body=body,
        is_sample=True,
    )


def bulk_generate(count: int, *, seed: int = 7, batch: int = 1000, log=print) -> None:
    """Write `count` synthetic published documents and index them (benchmark data)."""
    rng = random.Random(seed)
    for start in range(0, count, batch):
        rows = [generated_policy(rng, start + i) for i in range(min(batch, count - start))]
        for row in rows:
            if row.validity == "repealed":
                row.repealed_on = row.published_on + datetime.timedelta(days=rng.randint(300, 3000))
        with transaction.atomic():
            created = Policy.objects.bulk_create(rows)
            search.reindex(created)
        log(f"{start + len(rows)} / {count}")
