"""Sign-in throttling (issue 13, item 5), through the ways people sign in: the
login page, Django admin's login and ``POST /api/auth/token``.

The expected numbers come from the issue, not from the code: lock out after 5
failures per username and per address (``BRIDGEWORK_LOGIN_FAILURE_LIMIT``),
for 15 minutes (``BRIDGEWORK_LOGIN_COOLOFF_MINUTES``), with "Too many failed
sign-ins; try again in N minutes". Time passing is simulated by moving
django-axes' stored attempt times back, never by reading a clock.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import ApiToken, AuditEntry, Role

pytestmark = pytest.mark.django_db

LIMIT = 5
COOLOFF_MINUTES = 15
LOCKED = f"Too many failed sign-ins; try again in {COOLOFF_MINUTES} minutes."
WRONG = "not-the-password"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/auth/token"


def page_login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def admin_login(client, username, password, address="10.0.0.1"):
    return client.post(
        ADMIN_LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def api_login(client, username, password, address="10.0.0.1"):
    return client.post(
        TOKEN,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return client.get(reverse("people:home")).status_code == 200


def axes_attempts():
    """django-axes' record of failed sign-ins (imported late: the app may be missing)."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects


def shift_attempts_back(minutes: float) -> None:
    """As if ``minutes`` had passed since every recorded failure."""
    for attempt in axes_attempts().all():
        attempt.attempt_time -= dt.timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


# --- the login page ------------------------------------------------------------


def test_login_page_locks_after_five_failures_and_then_refuses_the_right_password(client, member):
    for _ in range(LIMIT - 1):
        response = page_login(client, "mia", WRONG)
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()

    fifth = page_login(client, "mia", WRONG)
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()

    right = page_login(client, "mia", factories.PASSWORD)
    assert right.status_code == 429
    html = right.content.decode()
    assert LOCKED in html
    assert "/static/bridgework/dist/style.css" in html, "a page of the site, not a bare message"
    assert not signed_in(client)


def test_four_typos_then_the_right_password_signs_in(client, member):
    for _ in range(LIMIT - 1):
        page_login(client, "mia", WRONG)

    response = page_login(client, "mia", factories.PASSWORD)

    assert response.status_code == 302 and response.url == reverse("people:home")
    assert signed_in(client)


def test_lockout_ends_after_the_cooloff_and_says_how_long_is_left(client, member):
    for _ in range(LIMIT):
        page_login(client, "mia", WRONG)

    shift_attempts_back(14)
    still = page_login(client, "mia", factories.PASSWORD)
    assert still.status_code == 429
    assert "Too many failed sign-ins; try again in 1 minute." in still.content.decode()
    assert not signed_in(client)

    shift_attempts_back(1.5)  # 15.5 minutes after the lockout
    response = page_login(client, "mia", factories.PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_attempts_during_a_lockout_do_not_extend_it(client, member):
    for _ in range(LIMIT):
        page_login(client, "mia", WRONG)
    shift_attempts_back(10)
    for _ in range(10):
        assert page_login(client, "mia", WRONG).status_code == 429

    retry = page_login(client, "mia", factories.PASSWORD)
    assert "try again in 5 minutes" in retry.content.decode()


def test_lockout_is_per_username_whichever_address_guesses(client, member):
    for n in range(LIMIT):
        page_login(client, "mia", WRONG, address=f"10.0.1.{n}")

    from_home = page_login(client, "mia", factories.PASSWORD, address="192.0.2.7")

    assert from_home.status_code == 429 and LOCKED in from_home.content.decode()
    assert not signed_in(client)


def test_lockout_is_per_address_whichever_usernames_it_tries(client, member, other_member):
    for n in range(LIMIT):
        page_login(client, f"guess{n}", WRONG, address="203.0.113.9")

    # Even a real user with the right password is refused from that address...
    same_address = page_login(client, "oscar", factories.PASSWORD, address="203.0.113.9")
    assert same_address.status_code == 429
    assert not signed_in(client)
    # ...but signs in from any other.
    elsewhere = page_login(client, "oscar", factories.PASSWORD, address="198.51.100.4")
    assert elsewhere.status_code == 302
    assert signed_in(client)


def test_each_lockout_is_written_to_the_audit_log_once(client, member):
    for _ in range(LIMIT):
        page_login(client, "mia", WRONG, address="203.0.113.5")
    for _ in range(3):
        page_login(client, "mia", factories.PASSWORD, address="203.0.113.5")

    entry = AuditEntry.objects.get(action="lockout")
    assert entry.object_type == "login" and entry.object_id == "mia"
    assert entry.actor is None, "whoever typed the passwords is unknown"
    assert entry.subject_person_id == member.person_id
    assert entry.detail["ip_address"] == "203.0.113.5"
    assert entry.detail["path"] == LOGIN
    assert entry.detail["failures"] == LIMIT
    # django-axes keeps its own record as well.
    attempt = axes_attempts().get(username="mia")
    assert attempt.failures_since_start == LIMIT
    assert attempt.ip_address == "203.0.113.5"


def test_lockout_of_an_unknown_username_is_audited_without_a_subject(client, db):
    for _ in range(LIMIT):
        page_login(client, "nobody-here", WRONG)

    entry = AuditEntry.objects.get(action="lockout")
    assert entry.object_id == "nobody-here" and entry.subject_person_id is None


def test_a_password_reset_lifts_the_lockout_of_the_username(client, member):
    member.email = "mia@example.org"
    member.save()
    for _ in range(LIMIT):
        page_login(client, "mia", WRONG)
    assert page_login(client, "mia", factories.PASSWORD).status_code == 429

    client.post(reverse("accounts:password_reset"), {"email": "mia@example.org"})
    link = next(word for word in mail.outbox[0].body.split() if "/password/reset/" in word)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret-42", "new_password2": "a-brand-new-secret-42"},
    )

    response = page_login(client, "mia", "a-brand-new-secret-42")
    assert response.status_code == 302
    assert signed_in(client)


# --- Django admin's login --------------------------------------------------------


def test_admin_login_locks_and_refuses_the_right_password(client, admin_user):
    for _ in range(LIMIT - 1):
        assert admin_login(client, "ada", WRONG).status_code == 200

    assert admin_login(client, "ada", WRONG).status_code == 429
    right = admin_login(client, "ada", factories.PASSWORD)

    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert client.get("/admin/").status_code == 302, "not signed in to the admin"
    assert AuditEntry.objects.get(action="lockout").detail["path"] == ADMIN_LOGIN


def test_admin_login_shares_the_count_with_the_login_page(client, admin_user):
    for _ in range(LIMIT - 1):
        page_login(client, "ada", WRONG, address="10.9.9.1")

    assert admin_login(client, "ada", WRONG, address="10.9.9.2").status_code == 429
    assert admin_login(client, "ada", factories.PASSWORD, address="10.9.9.3").status_code == 429


# --- the API ------------------------------------------------------------------------


def test_api_token_locks_after_five_failures_with_json_not_html(client, member):
    for _ in range(LIMIT - 1):
        response = api_login(client, "mia", WRONG)
        assert response.status_code == 401
        assert response.json() == {"detail": "Wrong username or password."}

    fifth = api_login(client, "mia", WRONG)
    right = api_login(client, "mia", factories.PASSWORD)

    for response in (fifth, right):
        assert response.status_code == 429
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": LOCKED}
        assert int(response["Retry-After"]) == COOLOFF_MINUTES * 60
    assert not ApiToken.objects.exists(), "no token for the right password while locked"
    assert AuditEntry.objects.get(action="lockout").detail["path"] == TOKEN


def test_api_is_locked_by_failures_on_the_login_page(client, member):
    for _ in range(LIMIT):
        page_login(client, "mia", WRONG, address="10.1.1.1")

    response = api_login(client, "mia", factories.PASSWORD, address="10.2.2.2")

    assert response.status_code == 429
    assert response.json() == {"detail": LOCKED}


def test_api_address_lockout_refuses_a_real_user_with_the_right_password(client, member):
    for n in range(LIMIT):
        api_login(client, f"bot{n}", WRONG, address="198.51.100.66")

    assert api_login(client, "mia", factories.PASSWORD, address="198.51.100.66").status_code == 429
    assert api_login(client, "mia", factories.PASSWORD, address="198.51.100.67").status_code == 201


def test_api_lockout_lifts_after_the_cooloff(client, member):
    for _ in range(LIMIT):
        api_login(client, "mia", WRONG)
    shift_attempts_back(COOLOFF_MINUTES + 1)

    assert api_login(client, "mia", factories.PASSWORD).status_code == 201


def test_the_openapi_schema_documents_the_lockout(client):
    responses = client.get("/api/openapi.json").json()["paths"][TOKEN]["post"]["responses"]
    assert "429" in responses and "try again in N minutes" in responses["429"]["description"]


# --- configuration ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, (5, 15)),
        (
            {"BRIDGEWORK_LOGIN_FAILURE_LIMIT": "3", "BRIDGEWORK_LOGIN_COOLOFF_MINUTES": "40"},
            (3, 40),
        ),
    ],
)
def test_limit_and_cooloff_come_from_the_environment(tmp_path, environment, expected):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"BRIDGEWORK_LOGIN_FAILURE_LIMIT", "BRIDGEWORK_LOGIN_COOLOFF_MINUTES"}
    }
    env |= {"BRIDGEWORK_DATA_DIR": str(tmp_path), "BRIDGEWORK_SECRET_KEY": "x", **environment}
    script = (
        "from bridgework.config import settings as s;"
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds() // 60))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert tuple(int(n) for n in result.stdout.split()) == expected


def test_a_smaller_limit_locks_sooner(client, member, settings):
    settings.AXES_FAILURE_LIMIT = 2
    page_login(client, "mia", WRONG)

    assert page_login(client, "mia", WRONG).status_code == 429


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEADER, Role.PEOPLE_ANALYST, Role.ADMIN])
def test_every_role_is_locked_out_alike(client, role):
    factories.UserFactory(username="someone", roles=[role])
    for _ in range(LIMIT):
        page_login(client, "someone", WRONG)

    assert page_login(client, "someone", factories.PASSWORD).status_code == 429
    assert api_login(client, "someone", factories.PASSWORD).status_code == 429


@pytest.mark.parametrize(
    ("username", "password"), [("m" * 151, factories.PASSWORD), ("mia", "p" * 4097)]
)
def test_api_refuses_over_long_credentials_before_counting_them(client, member, username, password):
    response = api_login(client, username, password)

    assert response.status_code == 422
    assert not axes_attempts().exists()
