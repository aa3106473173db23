"""Hostile input to the REST API: every error answers JSON, no input gives a 5xx.

Each case below answered Django's HTML 500 page before (issue 13, item 10):
an integer past 64 bits overflows SQLite (``OverflowError``) and PostgreSQL
(``bigint out of range``), and ``{"phone": null}`` broke a NOT NULL column.
The bodies are checked against the error schemas the OpenAPI document
publishes, so the documentation and the answers cannot drift apart.
"""

from __future__ import annotations

import logging

import jsonschema_rs
import pytest
from django.test import Client

from bridgework import factories
from bridgework.accounts.models import Role

pytestmark = pytest.mark.django_db

#: One past the largest 64-bit signed integer, and the number from the attack notes.
PAST_64_BITS = 2**63
HUGE = 206021367022260224000

OUTCOME = {
    "kind": "deal",
    "title": "Renewal",
    "value": "1000",
    "unit": "money",
    "occurred_on": "2025-03-01",
}

#: (method, path, body, the field the 422 must name)
HOSTILE_INTEGERS = [
    ("get", f"/api/relationships/?page={PAST_64_BITS}", None, "page"),
    ("get", f"/api/introductions/?page={PAST_64_BITS}", None, "page"),
    ("get", f"/api/interactions/?page={PAST_64_BITS}", None, "page"),
    ("get", f"/api/people/?organization={HUGE}", None, "organization"),
    ("get", f"/api/people/?team={PAST_64_BITS}", None, "team"),
    ("get", f"/api/people/?skill={PAST_64_BITS}", None, "skill"),
    ("get", f"/api/relationships/?person={PAST_64_BITS}", None, "person"),
    ("get", f"/api/introductions/paths?organization={HUGE}", None, "organization"),
    ("get", f"/api/impact/outcomes?objective={PAST_64_BITS}", None, "objective"),
    ("post", "/api/relationships/", {"other": PAST_64_BITS, "closeness": 3}, "other"),
    (
        "post",
        "/api/interactions/",
        {
            "channel": "meeting",
            "occurred_at": "2025-03-01T10:00:00Z",
            "participants": [PAST_64_BITS],
        },
        "participants",
    ),
    ("post", "/api/impact/objectives", {"title": "Grow", "needed_skills": [HUGE]}, "needed_skills"),
    (
        "post",
        "/api/impact/objectives",
        {"title": "Grow", "needed_organizations": [PAST_64_BITS]},
        "needed_organizations",
    ),
    (
        "post",
        "/api/impact/outcomes",
        {**OUTCOME, "contributors": [{"person": PAST_64_BITS}]},
        "contributors",
    ),
    ("post", "/api/impact/outcomes", {**OUTCOME, "interactions": [PAST_64_BITS]}, "interactions"),
    ("post", "/api/impact/outcomes", {**OUTCOME, "introductions": [HUGE]}, "introductions"),
]


@pytest.fixture
def member(db):
    return factories.UserFactory(username="mia", roles=[Role.MEMBER])


@pytest.fixture
def other_member(db):
    return factories.UserFactory(username="oscar", roles=[Role.MEMBER])


@pytest.fixture
def member_api(client, member):
    client.force_login(member)
    return client


class DocumentedErrors:
    """Validates error bodies against the schemas published in /api/openapi.json."""

    def __init__(self, components: dict):
        self.components = components

    def _check(self, name: str, payload: dict) -> None:
        schema = {
            "$ref": f"#/components/schemas/{name}",
            "components": {"schemas": self.components},
        }
        jsonschema_rs.Draft202012Validator(schema).validate(payload)

    def error(self, payload: dict) -> None:
        self._check("ErrorOut", payload)

    def invalid(self, payload: dict) -> None:
        self._check("InvalidInputOut", payload)


@pytest.fixture(scope="module")
def documented_errors(django_db_blocker) -> DocumentedErrors:
    with django_db_blocker.unblock():
        schema = Client().get("/api/openapi.json").json()
    return DocumentedErrors(schema["components"]["schemas"])


def _call(client, method: str, path: str, body=None):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, content_type="application/json")


def _assert_json(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


@pytest.mark.parametrize(("method", "path", "body", "field"), HOSTILE_INTEGERS)
def test_an_integer_past_64_bits_is_invalid_input_not_a_server_error(
    member_api, documented_errors, method, path, body, field
):
    member_api.raise_request_exception = False
    response = _call(member_api, method, path, body)

    payload = _assert_json(response, 422)
    documented_errors.invalid(payload)
    assert any(name.split(".")[0] == field for name in payload["errors"]), payload["errors"]


def test_the_last_page_allowed_is_an_empty_page_and_the_next_is_invalid(member_api):
    last = member_api.get("/api/relationships/?page=1000000")
    past = member_api.get("/api/relationships/?page=1000001")

    assert _assert_json(last, 200) == {"items": [], "count": 0}
    assert list(_assert_json(past, 422)["errors"]) == ["page"]


def test_a_member_clears_their_phone_with_null(member_api, member):
    person = member.person
    person.phone = "+44 20 7946 0000"
    person.save()

    response = member_api.patch(
        f"/api/people/{person.pk}", {"phone": None}, content_type="application/json"
    )

    assert _assert_json(response, 200)["phone"] == ""
    person.refresh_from_db()
    assert person.phone == ""


@pytest.mark.parametrize(
    "field", ["full_name", "time_zone", "engagement_type", "analytics_consent"]
)
def test_null_for_a_field_that_cannot_be_empty_is_invalid_input(
    member_api, member, documented_errors, field
):
    member_api.raise_request_exception = False
    response = member_api.patch(
        f"/api/people/{member.person_id}", {field: None}, content_type="application/json"
    )

    payload = _assert_json(response, 422)
    documented_errors.invalid(payload)
    assert list(payload["errors"]) == [field]


def test_an_unknown_api_path_answers_json_404(member_api, documented_errors):
    response = member_api.get("/api/no-such-thing/42")

    assert _assert_json(response, 404) == {"detail": "Not found."}


def test_a_list_path_without_its_slash_still_redirects(member_api):
    response = member_api.get("/api/people")

    assert response.status_code == 301
    assert response["Location"] == "/api/people/"


def test_a_method_a_path_does_not_take_answers_json_405(member_api, documented_errors):
    response = member_api.delete("/api/people/")

    payload = _assert_json(response, 405)
    documented_errors.error(payload)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_no_login_answers_json_401(client, documented_errors):
    payload = _assert_json(client.get("/api/people/"), 401)

    documented_errors.error(payload)


def test_a_session_without_csrf_token_answers_json_403(member, documented_errors):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)

    response = browser.post(
        "/api/relationships/", {"other": member.person_id, "closeness": 3}, "application/json"
    )

    documented_errors.error(_assert_json(response, 403))


def test_a_body_over_the_upload_limit_answers_json_413(member_api, settings, documented_errors):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    member_api.raise_request_exception = False

    response = member_api.post(
        "/api/relationships/",
        {"other": 1, "closeness": 3, "private_note": "x" * 5000},
        content_type="application/json",
    )

    documented_errors.error(_assert_json(response, 413))


@pytest.mark.parametrize("error", [OverflowError, ValueError])
def test_a_value_the_database_refuses_is_invalid_input(
    member_api, monkeypatch, documented_errors, error
):
    def refuse(**kwargs):
        raise error("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr("bridgework.people.selectors.relationship_list", refuse)

    response = member_api.get("/api/relationships/")

    payload = _assert_json(response, 422)
    documented_errors.invalid(payload)
    assert list(payload["errors"]) == ["__all__"]


def test_a_database_data_error_is_invalid_input(member_api, monkeypatch):
    from django.db import DataError

    def refuse(**kwargs):
        raise DataError("bigint out of range")

    monkeypatch.setattr("bridgework.people.selectors.relationship_list", refuse)

    assert _assert_json(member_api.get("/api/relationships/"), 422)["errors"] == {
        "__all__": ["A value is out of range or of a kind that cannot be stored."]
    }


def test_an_unforeseen_error_answers_json_500_and_is_logged(
    member_api, monkeypatch, caplog, documented_errors
):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr("bridgework.people.selectors.organization_list", broken)
    member_api.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = member_api.get("/api/organizations/")

    payload = _assert_json(response, 500)
    documented_errors.error(payload)
    assert "a bug" not in payload["detail"], "a server error must not leak its internals"
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info and record.exc_info[0] is RuntimeError


def test_an_unforeseen_error_still_reaches_error_reporters(member_api, monkeypatch):
    """``got_request_exception`` is sent, so the test client (like Sentry) sees the exception."""

    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr("bridgework.people.selectors.organization_list", broken)

    with pytest.raises(RuntimeError, match="a bug"):
        member_api.get("/api/organizations/")


def test_a_response_that_breaks_its_own_schema_is_a_server_error_not_invalid_input(
    member_api, monkeypatch
):
    """pydantic's ValidationError is a ValueError; from a response it is our bug, not a 422."""
    monkeypatch.setattr(
        "bridgework.people.selectors.organization_list", lambda: [{"id": "not a number"}]
    )
    member_api.raise_request_exception = False

    response = member_api.get("/api/organizations/")

    assert _assert_json(response, 500)["detail"].startswith("Server error")


def test_a_missing_and_a_forbidden_object_still_look_the_same(member_api, other_member):
    rel = factories.RelationshipFactory(person=other_member.person)
    missing = member_api.get("/api/relationships/987654321")
    forbidden = member_api.get(f"/api/relationships/{rel.pk}")

    assert _assert_json(missing, 404) == _assert_json(forbidden, 404) == {"detail": "Not found."}


def test_an_admin_gets_the_same_json_for_a_hostile_page(client):
    admin = factories.UserFactory(roles=[Role.ADMIN, Role.MEMBER])
    client.force_login(admin)

    response = client.get(f"/api/interactions/?page={HUGE}")

    assert list(_assert_json(response, 422)["errors"]) == ["page"]
