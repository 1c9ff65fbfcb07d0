import pytest

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.portal import pages, services, visits


@pytest.fixture(autouse=True)
def _fresh_pages():
    """Cached anonymous pages and unflushed visit counts never leak between tests."""
    pages.forget()
    visits.reset()
    yield
    pages.forget()
    visits.reset()


@pytest.fixture
def columns(db):
    return {c.slug: c for c in services.categories_ensure()}


@pytest.fixture
def editor(db):
    return UserFactory(role=Role.WEB_EDITOR)


@pytest.fixture
def published(columns, editor):
    """A published news item with a body as an editor would write it."""
    article = services.article_create(
        actor=editor,
        category_id=columns["news"].pk,
        title="市人事局召开年度工作会议",
        body="<p>会议<strong>总结</strong>了全年工作。</p>",
    )
    return services.article_publish(actor=editor, article=article)
