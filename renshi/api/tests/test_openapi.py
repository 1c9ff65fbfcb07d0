import re

import pytest

from renshi.api import urls
from renshi.api.openapi import PREFIX

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _route(pattern) -> str:
    return PREFIX + "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))


def test_it_serves_an_openapi_3_1_document(schema):
    assert schema["openapi"] == "3.1.0"
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "error" in schema["components"]["schemas"]["Error"]["properties"]


def test_it_describes_every_url_of_the_api(schema):
    routes = [_route(p) for p in urls.urlpatterns if p.name != "not_found"]
    assert routes and set(routes) == set(schema["paths"])


def test_it_declares_path_parameters_used_in_the_paths(schema):
    parameters = schema["components"]["parameters"]
    for path, item in schema["paths"].items():
        declared = {
            parameters[p["$ref"].rsplit("/", 1)[1]]["name"] if "$ref" in p else p["name"]
            for p in item["get"].get("parameters", [])
        }
        assert set(re.findall(r"{(\w+)}", path)) <= declared, path


def test_it_has_no_dangling_references(schema):
    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(schema):
        target = schema
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]


def test_it_marks_fields_with_their_information_set_codes(schema):
    person = schema["components"]["schemas"]["Person"]["properties"]
    assert person["name"]["x-infoset-code"] == "A01001"
    assert person["id_number"]["x-infoset-code"] == "A01085"
