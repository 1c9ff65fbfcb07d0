import pytest
from django.core.management import call_command

from renshi.core.models import User
from renshi.core.roles import Role
from renshi.portal.models import Article, ArticleStatus, Category

pytestmark = pytest.mark.django_db


def test_load_demo_portal_is_idempotent(capsys):
    call_command("load_demo_portal")
    articles = Article.objects.count()
    assert articles >= 55 and Category.objects.count() == 5
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED).count() >= 50
    assert User.objects.get(username="webeditor").role == Role.WEB_EDITOR
    assert "webeditor" in capsys.readouterr().out
    call_command("load_demo_portal")
    assert Article.objects.count() == articles
    assert "<script" not in "".join(Article.objects.values_list("body", flat=True))
