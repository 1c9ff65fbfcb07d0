import pytest

from renshi.core import codes
from renshi.core.models import CodeTable
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "standard", "code", "name"),
    [
        ("sex", "GB/T 2261.1-2003", "2", "女"),
        ("ethnicity", "GB 3304-1991", "11", "满族"),
        ("political", "GB/T 4762-1984", "01", "中国共产党党员"),
        ("education", "GB/T 4658-2006", "21", "大学本科毕业"),
        ("marital", "GB/T 2261.2-2003", "20", "已婚"),
        ("health", "GB/T 2261.3-2003", "1", "健康或良好"),
        ("identity", "GB/T 2261.4-2003", "11", "国家公务员"),
        ("post_level", "GB/T 12407-2008", "141", "乡科级正职"),
        ("cs_rank", "公务员职务与职级并行规定（2019）", "7", "一级主任科员"),
        ("title", "GB/T 8561-2001", "082", "高级工程师"),
        ("division", "GB/T 2260-2007", "210381", "海城市"),
    ],
)
def test_it_ships_the_national_tables_with_standard_and_version(key, standard, code, name):
    table = CodeTable.objects.get(key=key)
    assert table.standard == standard
    assert codes.name(key, code) == name


def test_it_has_all_56_ethnic_groups():
    assert len([c for c, _ in codes.choices("ethnicity") if c <= "56"]) == 56


def test_it_shows_tables_to_the_system_admin_only(client):
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    assert "GB/T 4658-2006" in client.get("/codes/", {"table": "education"}).content.decode()
    client.force_login(UserFactory(role=Role.AUDIT_ADMIN))
    assert client.get("/codes/").status_code == 404
