"""Demo content of the public site: the columns, ~60 news items and the web editor account."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from renshi.core.roles import Role
from renshi.personnel.demo import PASSWORD
from renshi.portal import services
from renshi.portal.models import Article, ArticleStatus

EDITOR = ("webeditor", "网站编辑 林晓")

TITLES = {
    "news": [
        "市人事局召开2026年度人事人才工作会议",
        "市人事局开展“数字人事”建设专题调研",
        "全市事业单位岗位管理工作推进会召开",
        "市人事局组织开展人事档案专项审核工作",
        "我市人事人才服务“一网通办”改革取得阶段性成效",
        "市人事局举办全市人事干部业务培训班",
        "市人事局深入开展作风建设年活动",
        "全市机关事业单位工资福利政策培训会召开",
        "市人事局赴海城市调研基层人才队伍建设",
        "我市2026年高校毕业生来鞍就业创业活动启动",
        "市人事局召开党风廉政建设工作会议",
        "市人事局推进“阳光人事”公开工作情况通报",
        "我市专业技术人才继续教育工作综述",
        "市人事局开展“走基层、解难题”调研活动",
    ],
    "notices": [
        "关于做好2026年度机关事业单位工作人员年度考核工作的通知",
        "关于开展2026年度专业技术职务任职资格评审工作的通知",
        "关于调整机关事业单位工作人员基本工资标准的通知",
        "关于做好2027年元旦春节期间有关工作的通知",
        "关于开展事业单位人员信息核查工作的通知",
        "关于启用人事人才网上办事大厅的公告",
        "关于规范机关事业单位人员调动办理程序的通知",
        "关于做好2026年退役军人安置工作的通知",
        "关于公布市人事局政务服务事项清单的公告",
        "关于开展编制实名制数据核对工作的通知",
        "关于网上办事大厅系统升级暂停服务的公告",
        "关于做好人事档案数字化工作的通知",
    ],
    "exams": [
        "2026年鞍山市考试录用公务员笔试考务工作安排",
        "鞍山市2026年事业单位公开招聘工作人员报名须知",
        "关于2026年度公务员录用体检工作的说明",
        "2026年公务员考试录用面试考生须知",
        "事业单位公开招聘笔试考场规则",
        "关于考试录用报名照片规格的说明",
        "2026年事业单位公开招聘资格复审安排",
        "公务员考试录用违纪违规行为处理办法解读",
        "关于做好考试期间疫情防控与健康监测的提示",
        "2026年度考试录用考生常见问题解答",
        "关于网上缴费及减免考务费办理的说明",
    ],
    "appointments": [
        "鞍山市人事局关于王建国等同志任职的通知",
        "关于李红梅同志任职前公示",
        "鞍山市人事局关于张伟等同志职级晋升的通知",
        "关于市人才交流服务中心负责人任免的通知",
        "关于刘洋等同志试用期满正式任职的通知",
        "鞍山市人事局干部任前公示（2026年第3号）",
        "关于陈静同志免职的通知",
        "鞍山市人事局干部任前公示（2026年第4号）",
        "关于赵磊等同志挂职锻炼的通知",
        "关于孙丽同志退休的通知",
        "鞍山市人事局干部任前公示（2026年第5号）",
    ],
    "talent": [
        "我市举办2026年秋季大型人才招聘会",
        "鞍山市高层次人才引进政策解读",
        "“鞍山英才”计划第二批入选人员名单发布",
        "我市举办博士后科研工作站建设推进会",
        "鞍山市人才公寓申请指南",
        "高校毕业生到基层工作补贴发放办法解读",
        "我市与东北大学签订人才合作协议",
        "网上人才市场新增企业岗位800余个",
        "鞍山市技能人才评价工作启动",
        "流动党员“线上报到”工作经验交流",
        "我市开展人才服务专员进企业活动",
    ],
}

PARAGRAPHS = [
    "为深入贯彻落实党中央、国务院关于人才工作的决策部署，按照省委组织部、省人力资源和社会保障厅的统一安排，结合我市实际，现将有关事项通知如下。",
    "会议指出，过去一年，全市人事系统坚持以人民为中心，围绕中心、服务大局，在干部人事制度改革、事业单位人事管理、人才队伍建设等方面取得了新进展。",
    "各单位要高度重视，明确专人负责，严格按照规定的程序和时限完成各项工作，确保公开、公平、公正。",
    "本次工作实行网上办理，申请人可登录鞍山人事人才网“网上办事大厅”在线提交材料，查询办理进度，做到“最多跑一次”。",
    "工作中遇到的问题，请及时与市人事局相关科室联系。"
    "咨询电话：0412-12345（工作日 8:30—11:30，13:30—17:00）。",
    "会议要求，要进一步转变作风，提升服务水平，推进人事人才服务标准化、规范化、便利化，让群众和单位办事更加方便快捷。",
    "下一步，市人事局将继续完善政策措施，加强监督检查，推动各项工作落到实处，为全市经济社会高质量发展提供坚实的人才支撑。",
]


def _body(rng, title) -> str:
    paragraphs = rng.sample(PARAGRAPHS, 3)
    items = "".join(f"<li>{p[:30]}。</li>" for p in rng.sample(PARAGRAPHS, 2))
    return (
        f"<p>{paragraphs[0]}</p><h3>一、基本情况</h3><p>{paragraphs[1]}</p>"
        f"<h3>二、工作要求</h3><ol>{items}</ol><p>{paragraphs[2]}</p>"
        "<p>鞍山市人事局</p>"
    )


def editor_account():
    hashed = make_password(PASSWORD)
    user, _ = get_user_model().objects.update_or_create(
        username=EDITOR[0],
        defaults={
            "role": Role.WEB_EDITOR,
            "full_name": EDITOR[1],
            "password": hashed,
            "is_active": True,
        },
    )
    return user


@transaction.atomic
def load(*, seed=2026, log=print) -> int:
    """Columns, the editor and the news items not there yet; returns how many were added."""
    rng = random.Random(seed)
    columns = {c.slug: c for c in services.categories_ensure()}
    editor = editor_account()
    existing = set(Article.objects.values_list("title", flat=True))
    now = timezone.now()
    added = 0
    for slug, titles in TITLES.items():
        for i, title in enumerate(titles):
            if title in existing:
                continue
            article = services.article_create(
                actor=editor, category_id=columns[slug].pk, title=title, body=_body(rng, title)
            )
            if i == len(titles) - 1:
                added += 1
                continue  # the newest of each column stays a draft for the editor to try
            services.article_publish(actor=editor, article=article)
            days = rng.randint(1, 150) + i * 3
            when = now - datetime.timedelta(days=days, minutes=rng.randint(0, 600))
            Article.objects.filter(pk=article.pk).update(
                published_at=when, created_at=when, updated_at=when
            )
            added += 1
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED).count()
    log(f"网站新闻 新增 {added} 篇，已发布共 {published} 篇")
    log(f"  网站编辑：{EDITOR[0]}（{EDITOR[1]}），密码 {PASSWORD}（/site/manage/）")
    return added
