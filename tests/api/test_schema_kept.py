"""The API's descriptions are drawn once per language and format, then answered from memory: drawing
one cost 0.2–0.4 s of CPU, a request any visitor could repeat (smarthp.api_docs)."""

import json

import pytest
import yaml
from allauth.headless.spec.internal import schema as allauth_schema
from drf_spectacular.generators import SchemaGenerator

from smarthp import api_docs


@pytest.fixture(autouse=True)
def _nothing_kept():
    api_docs._kept.clear()
    yield
    api_docs._kept.clear()


@pytest.fixture
def drawn(monkeypatch):
    """How many times the schema was generated."""
    calls = []
    original = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    return calls


def test_the_schema_is_drawn_once_and_answered_alike(client, drawn):
    first = client.get("/api/schema/")
    second = client.get("/api/schema/")

    assert len(drawn) == 1
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["Content-Type"] == second["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    assert first["Content-Disposition"] == second["Content-Disposition"]
    assert "/api/v1/reports/" in yaml.safe_load(second.content)["paths"]


def test_each_format_and_language_is_its_own_answer(client, drawn):
    as_yaml = client.get("/api/schema/")
    as_json = client.get("/api/schema/?format=json")
    in_english = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en")
    client.get("/api/schema/?format=json")

    assert len(drawn) == 3
    assert as_json["Content-Type"] == "application/vnd.oai.openapi+json"
    assert yaml.safe_load(as_yaml.content) == json.loads(as_json.content)
    assert in_english.content != as_json.content  # the descriptions are translated
    assert json.loads(in_english.content)["paths"].keys() == json.loads(as_json.content)["paths"].keys()


def test_an_unknown_language_is_answered_from_the_default_one(client, drawn):
    default = client.get("/api/schema/?format=json")
    unknown = client.get("/api/schema/?format=json&lang=xx")

    assert len(drawn) == 1
    assert unknown.content == default.content


def test_the_memory_holds_a_bounded_number_of_answers(client, drawn):
    for number in range(api_docs.KEPT_MAX + 5):
        assert client.get(f"/api/schema/?format=json&version=v{number}").status_code == 200

    assert len(api_docs._kept) <= api_docs.KEPT_MAX
    assert len(drawn) == api_docs.KEPT_MAX + 5


def test_allauths_own_description_is_drawn_once(client, monkeypatch):
    calls = []
    original = allauth_schema.get_schema

    def counted():
        calls.append(1)
        return original()

    monkeypatch.setattr("allauth.headless.spec.views.get_schema", counted)
    first = client.get("/_allauth/openapi.json")
    second = client.get("/_allauth/openapi.json")
    as_yaml = client.get("/_allauth/openapi.yaml")

    assert len(calls) == 2  # one per format
    assert first.content == second.content
    assert first["Content-Type"] == "application/vnd.oai.openapi+json"
    assert as_yaml["Content-Type"] == "application/vnd.oai.openapi"
    assert yaml.safe_load(as_yaml.content) == json.loads(first.content)
    assert "/_allauth/app/v1/auth/login" in json.loads(first.content)["paths"]
