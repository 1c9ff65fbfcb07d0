import pytest

from renshi.api.services import api_token_create
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.tests.factories import make_clerk, make_person, make_unit


def issue(user, name="测试系统"):
    return api_token_create(actor="测试", user=user, name=name)[1]


class Api:
    def __init__(self, client):
        self.client = client

    def get(self, url, token=None, **params):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get(url, params, headers=headers)


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def city(db):
    """Education bureau with a school under it, and a health commission beside it."""
    education = make_unit("鞍山市教育局")
    school = make_unit("鞍山市第一中学", parent=education, unit_type="public1")
    health = make_unit("鞍山市卫生健康委员会")
    return {
        "education": education,
        "school": school,
        "health": health,
        "teacher": make_person(school, "王芳", category="inst", phone="13812345678"),
        "doctor": make_person(health, "李强"),
    }


@pytest.fixture
def clerk_token(city):
    return issue(make_clerk(city["education"]))


@pytest.fixture
def staff_token(db):
    return issue(UserFactory(role=Role.PERSONNEL))
