import pytest
from django.core.management import call_command

from renshi.api.services import api_token_revoke
from renshi.core.models import ApiToken, AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory

from .conftest import issue

pytestmark = pytest.mark.django_db
URL = "/api/v1/units/"


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "unauthorized"
    assert "令牌" in response.json()["error"]["message"]


def test_it_refuses_a_request_without_a_token(api):
    assert_unauthorized(api.get(URL))


@pytest.mark.parametrize("token", ["nonsense", "rsk_abcd1234_wrong", "rsk__", "Basic abc"])
def test_it_refuses_an_invalid_token(api, staff_token, token):
    assert_unauthorized(api.get(URL, token))


def test_it_refuses_a_token_with_a_right_prefix_and_wrong_secret(api, staff_token):
    forged = staff_token[:13] + "x" * 43
    assert_unauthorized(api.get(URL, forged))


def test_it_refuses_a_revoked_token(api):
    user = UserFactory(role=Role.PERSONNEL)
    raw = issue(user)
    api_token_revoke(actor="测试", token=ApiToken.objects.get(user=user))
    assert_unauthorized(api.get(URL, raw))
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_it_refuses_the_token_of_an_inactive_user(api):
    user = UserFactory(role=Role.PERSONNEL)
    raw = issue(user)
    user.is_active = False
    user.save()
    assert_unauthorized(api.get(URL, raw))


def test_it_ignores_a_logged_in_session(api, client):
    client.force_login(UserFactory(role=Role.PERSONNEL))
    assert_unauthorized(api.get(URL))


def test_it_accepts_a_valid_token_and_records_its_use(api, staff_token):
    assert api.get(URL, staff_token).status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None


def test_it_stores_only_a_hash_of_the_token(staff_token):
    token = ApiToken.objects.get()
    assert staff_token not in (token.token_hash, token.prefix)
    assert staff_token.startswith(f"rsk_{token.prefix}_")
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()


def test_it_gives_404_to_a_role_that_cannot_read_personnel(api, city):
    raw = issue(UserFactory(role=Role.EXAM_OFFICE))
    for url in (URL, "/api/v1/people/", "/api/v1/establishment/"):
        response = api.get(url, raw)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_it_issues_a_token_from_the_command_line(api, capsys):
    UserFactory(username="province", role=Role.PERSONNEL)
    call_command("create_api_token", "province", "省人社厅数据交换")
    raw = capsys.readouterr().out.strip()
    assert api.get(URL, raw).status_code == 200
    assert ApiToken.objects.get().name == "省人社厅数据交换"


def test_it_revokes_a_token_from_the_command_line(api):
    from django.core.management.base import CommandError

    user = UserFactory(role=Role.PERSONNEL)
    raw = issue(user)
    prefix = ApiToken.objects.get(user=user).prefix
    call_command("revoke_api_token", prefix)
    assert_unauthorized(api.get(URL, raw))
    with pytest.raises(CommandError):
        call_command("revoke_api_token", prefix)
    with pytest.raises(CommandError):
        call_command("revoke_api_token", "nosuchprefix")
