import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/units/", "/api/v1/people/1/", "/api/v1/openapi.json"])
def test_it_answers_other_methods_with_405_json(client, staff_token, url):
    response = client.post(url, headers={"Authorization": f"Bearer {staff_token}"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_it_answers_an_unknown_path_with_404_json(api, staff_token):
    response = api.get("/api/v1/nothing/here/", staff_token)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "params",
    [{"page": "x"}, {"page": "0"}, {"page": "99"}, {"page_size": "201"}, {"page_size": "-1"}],
)
def test_it_rejects_bad_page_numbers_with_400_in_chinese(api, staff_token, city, params):
    response = api.get("/api/v1/people/", staff_token, **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert "页" in error["message"]


def test_it_rejects_an_unknown_keys_value(api, staff_token):
    response = api.get("/api/v1/units/", staff_token, keys="xml")
    assert response.status_code == 400
    assert "keys" in response.json()["error"]["message"]


def test_it_answers_an_unexpected_failure_with_500_json(client, staff_token, monkeypatch):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr("renshi.personnel.selectors.visible_units", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/units/", headers={"Authorization": f"Bearer {staff_token}"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
