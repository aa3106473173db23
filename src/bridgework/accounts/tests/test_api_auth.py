"""The REST API's authentication: tokens, sessions with CSRF, and 401s."""

import pytest
from django.test import Client

from bridgework import factories
from bridgework.accounts.models import ApiToken, Role
from bridgework.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

#: Every endpoint but ``POST /api/auth/token``, with a method that exercises it.
PROTECTED = [
    ("get", "/api/auth/me"),
    ("get", "/api/auth/tokens"),
    ("delete", "/api/auth/tokens/1"),
    ("get", "/api/people/"),
    ("post", "/api/people/"),
    ("get", "/api/people/1"),
    ("patch", "/api/people/1"),
    ("get", "/api/people/1/skills"),
    ("get", "/api/relationships/"),
    ("post", "/api/relationships/"),
    ("get", "/api/relationships/1"),
    ("patch", "/api/relationships/1"),
    ("delete", "/api/relationships/1"),
    ("get", "/api/interactions/"),
    ("post", "/api/interactions/"),
    ("get", "/api/interactions/1"),
    ("patch", "/api/interactions/1"),
    ("delete", "/api/interactions/1"),
    ("get", "/api/organizations/"),
    ("get", "/api/teams/"),
    ("get", "/api/skills/"),
]


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def obtain(client, username, password, **extra):
    return client.post(
        "/api/auth/token",
        {"username": username, "password": password, **extra},
        content_type="application/json",
    )


def test_token_obtained_with_good_credentials(client, member):
    response = obtain(client, "mia", factories.PASSWORD, name="my laptop")

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("bw_")
    assert body["name"] == "my laptop"
    assert body["token"].startswith(body["prefix"])
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == member
    assert token.digest != body["token"], "only the digest is stored"


@pytest.mark.parametrize(
    ("username", "password"),
    [("mia", "wrong password"), ("nobody", factories.PASSWORD), ("", "")],
)
def test_token_refused_with_bad_credentials(client, member, username, password):
    response = obtain(client, username, password)

    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong username or password."}
    assert not ApiToken.objects.exists()


def test_token_refused_for_inactive_user(client, member):
    member.is_active = False
    member.save()

    assert obtain(client, "mia", factories.PASSWORD).status_code == 401


def test_token_request_without_password_is_422(client, member):
    response = client.post("/api/auth/token", {"username": "mia"}, content_type="application/json")

    assert response.status_code == 422
    assert "password" in response.json()["errors"]


@pytest.mark.parametrize(("method", "url"), PROTECTED)
def test_every_endpoint_requires_authentication(client, member, method, url):
    response = getattr(client, method)(url, content_type="application/json")

    assert response.status_code == 401
    assert "detail" in response.json()
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_obtained_bearer_token_authenticates(client, member):
    raw = obtain(client, "mia", factories.PASSWORD).json()["token"]

    response = client.get("/api/auth/me", headers=bearer(raw))

    assert response.status_code == 200
    assert response.json() == {
        "id": member.pk,
        "username": "mia",
        "roles": ["member"],
        "person_id": member.person_id,
        "person": {"id": member.person_id, "full_name": member.person.full_name},
    }


def test_me_lists_roles_and_no_person_for_analyst(client, analyst):
    _, raw = api_token_create(user=analyst, name="t")

    body = client.get("/api/auth/me", headers=bearer(raw)).json()

    assert body["roles"] == ["people_analyst"]
    assert body["person_id"] is None and body["person"] is None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer bw_not-a-real-token",
        "Bearer not-even-our-prefix",
        "Bearer ",
        "Token bw_whatever",
        "bw_whatever",
    ],
)
def test_unknown_or_malformed_token_is_401(client, member, header):
    response = client.get("/api/people/", headers={"Authorization": header})

    assert response.status_code == 401


def test_revoked_token_is_401(client, member):
    token, raw = api_token_create(user=member, name="t")
    assert client.get("/api/people/", headers=bearer(raw)).status_code == 200

    api_token_revoke(user=member, token_id=token.pk)

    assert client.get("/api/people/", headers=bearer(raw)).status_code == 401


def test_token_of_deactivated_user_is_401(client, member):
    _, raw = api_token_create(user=member, name="t")
    member.is_active = False
    member.save()

    assert client.get("/api/people/", headers=bearer(raw)).status_code == 401


def test_revoke_own_token_through_the_api(client, member):
    token, raw = api_token_create(user=member, name="old")
    _, current = api_token_create(user=member, name="current")

    listed = client.get("/api/auth/tokens", headers=bearer(current)).json()
    assert {t["name"] for t in listed} == {"old", "current"}
    assert all("token" not in t for t in listed), "raw tokens are never shown again"

    response = client.delete(f"/api/auth/tokens/{token.pk}", headers=bearer(current))

    assert response.status_code == 204
    assert client.get("/api/people/", headers=bearer(raw)).status_code == 401


def test_cannot_revoke_someone_elses_token(client, member, other_member):
    theirs, their_raw = api_token_create(user=other_member, name="theirs")
    _, raw = api_token_create(user=member, name="mine")

    response = client.delete(f"/api/auth/tokens/{theirs.pk}", headers=bearer(raw))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert client.get("/api/people/", headers=bearer(their_raw)).status_code == 200


def test_session_authenticates_reads(member_client, member):
    response = member_client.get("/api/auth/me")

    assert response.status_code == 200
    assert response.json()["username"] == "mia"


def test_session_writes_need_the_csrf_token(member, other_member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    payload = {"other": other_member.person_id, "closeness": 3}

    refused = browser.post("/api/relationships/", payload, content_type="application/json")
    assert refused.status_code == 403

    browser.get("/api/docs")  # any page that renders a CSRF token sets the cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/relationships/",
        payload,
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert accepted.status_code == 201


def test_bearer_writes_need_no_csrf_token(member, other_member):
    api_client = Client(enforce_csrf_checks=True)
    _, raw = api_token_create(user=member, name="t")

    response = api_client.post(
        "/api/relationships/",
        {"other": other_member.person_id, "closeness": 3},
        content_type="application/json",
        headers=bearer(raw),
    )

    assert response.status_code == 201


def test_bad_token_without_session_is_401_not_csrf_403(member):
    api_client = Client(enforce_csrf_checks=True)

    response = api_client.post(
        "/api/relationships/", {}, content_type="application/json", headers=bearer("bw_nope")
    )

    assert response.status_code == 401


def test_admin_token_sees_admin_roles(client):
    admin = factories.UserFactory(username="root", roles=[Role.ADMIN])
    _, raw = api_token_create(user=admin, name="t")

    assert client.get("/api/auth/me", headers=bearer(raw)).json()["roles"] == ["admin"]
