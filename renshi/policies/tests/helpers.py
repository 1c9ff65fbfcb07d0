import datetime

from django.contrib.auth import get_user_model

from renshi.core.roles import Role
from renshi.policies import services
from renshi.policies.models import Level


def editor(username="editor", role=Role.WEB_EDITOR):
    return get_user_model().objects.create_user(
        username=username, password="x", role=role, full_name="钱编辑"
    )


def policy(actor=None, *, publish=True, **fields):
    data = {
        "title": "测试文件",
        "issuer": "鞍山市人事局",
        "level": Level.BUREAU,
        "published_on": datetime.date(2024, 3, 1),
        "body": "第一条 为了规范工作，制定本办法。",
    }
    data.update(fields)
    created = services.policy_create(actor=actor, **data)
    if publish:
        created = services.policy_publish(actor=actor, policy=created)
    return created
