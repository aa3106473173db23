"""API tokens end (issue 13, item 6): they expire after ``API_TOKEN_DAYS``
(90 by default), are revoked by every way a password changes and by
deactivation, each revocation audited, and their owner lists and revokes them.

Each test checks what a script holding the token sees: the API answering 401.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bridgework import factories
from bridgework.accounts import services
from bridgework.accounts.models import ApiToken, AuditEntry, Role, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-secret-42"


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def works(raw: str) -> bool:
    """Whether a script holding ``raw`` (and no browser session) gets in."""
    status = Client().get("/api/auth/me", headers=bearer(raw)).status_code
    assert status in (200, 401)
    return status == 200


def revocations(user: User) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(action="delete", object_type="api_token", detail__user=user.pk)
    )


@pytest.fixture
def tokens(member, other_member):
    """Two tokens of Mia's and one of Oscar's, all working."""
    return {
        "mia": [services.api_token_create(user=member, name=n)[1] for n in ("laptop", "ci")],
        "oscar": services.api_token_create(user=other_member, name="his")[1],
    }


def assert_only_mias_tokens_revoked(tokens):
    assert not any(works(raw) for raw in tokens["mia"])
    assert works(tokens["oscar"]), "nobody else's tokens are touched"


# --- expiry ---------------------------------------------------------------------------


def test_a_new_token_expires_after_90_days_by_default(client, member):
    response = client.post(
        "/api/auth/token",
        {"username": "mia", "password": factories.PASSWORD},
        content_type="application/json",
    )

    body = response.json()
    lifetime = dt.datetime.fromisoformat(body["expires_at"]) - dt.datetime.fromisoformat(
        body["created_at"]
    )
    assert abs(lifetime - dt.timedelta(days=90)) < dt.timedelta(seconds=5)
    assert body["expired"] is False


def test_the_lifetime_is_configurable(member, settings):
    settings.API_TOKEN_DAYS = 7

    token, _ = services.api_token_create(user=member, name="short")

    assert abs(token.expires_at - token.created_at - dt.timedelta(days=7)) < dt.timedelta(seconds=5)


def test_the_lifetime_comes_from_the_environment(tmp_path):
    env = {**os.environ, "BRIDGEWORK_DATA_DIR": str(tmp_path), "BRIDGEWORK_SECRET_KEY": "x"}
    script = "from bridgework.config import settings as s; print(s.API_TOKEN_DAYS)"
    for value, expected in ((None, "90"), ("30", "30")):
        env.pop("BRIDGEWORK_API_TOKEN_DAYS", None)
        if value is not None:
            env["BRIDGEWORK_API_TOKEN_DAYS"] = value
        result = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == expected


def test_an_expired_token_is_refused(client, member):
    token, raw = services.api_token_create(user=member, name="old")
    assert works(raw)

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert not works(raw)
    assert client.get("/api/people/", headers=bearer(raw)).status_code == 401


def test_a_token_works_until_its_last_moment(client, member):
    token, raw = services.api_token_create(user=member, name="nearly")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(minutes=1))

    assert works(raw)


def test_the_api_lists_my_tokens_with_their_expiry(client, member):
    old, _ = services.api_token_create(user=member, name="old")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    _, raw = services.api_token_create(user=member, name="current")

    listed = {t["name"]: t for t in client.get("/api/auth/tokens", headers=bearer(raw)).json()}

    assert listed["old"]["expired"] is True
    assert listed["current"]["expired"] is False
    assert "expires_at" in listed["current"] and "token" not in listed["current"]


def test_the_tokens_page_shows_when_each_expires(member_client, member):
    old, _ = services.api_token_create(user=member, name="old")
    ApiToken.objects.filter(pk=old.pk).update(
        expires_at=dt.datetime(2024, 3, 9, 12, 0, tzinfo=dt.UTC)
    )
    services.api_token_create(user=member, name="current")

    html = member_client.get(reverse("accounts:tokens")).content.decode()

    assert '<th scope="col">Expires</th>' in html
    assert "<strong>expired</strong> 9 Mar 2024" in html
    assert "A token works for 90 days" in html


def test_the_new_token_panel_says_until_when_it_works(member_client, member):
    response = member_client.post(reverse("accounts:tokens"), {"name": "notebook"})

    token = ApiToken.objects.get(user=member)
    assert "It works until" in response.content.decode()
    assert abs(token.expires_at - timezone.now() - dt.timedelta(days=90)) < dt.timedelta(minutes=1)


# --- owner lists and revokes ------------------------------------------------------------


def test_owner_revokes_a_token_on_the_page_and_it_stops_working(client, member, tokens):
    laptop = ApiToken.objects.get(user=member, name="laptop")
    client.force_login(member)

    client.post(reverse("accounts:token_revoke", args=[laptop.pk]))

    assert [works(raw) for raw in tokens["mia"]] == [False, True]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEADER, Role.PEOPLE_ANALYST, Role.ADMIN])
def test_nobody_lists_or_revokes_someone_elses_tokens(client, member, role):
    theirs, their_raw = services.api_token_create(user=member, name="theirs")
    intruder = factories.UserFactory(roles=[role])
    _, raw = services.api_token_create(user=intruder, name="mine")

    listed = client.get("/api/auth/tokens", headers=bearer(raw)).json()
    deleted = client.delete(f"/api/auth/tokens/{theirs.pk}", headers=bearer(raw))

    assert [t["name"] for t in listed] == ["mine"]
    assert deleted.status_code == 404
    assert works(their_raw)


# --- password changes, every way ---------------------------------------------------------


def test_changing_my_password_on_the_page_revokes_my_tokens(client, member, tokens):
    client.force_login(member)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Changing your password revokes all your API tokens." in page

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert_only_mias_tokens_revoked(tokens)
    (entry,) = revocations(member)
    assert entry.actor == member and entry.detail["reason"] == "password_changed"
    assert len(entry.detail["tokens"]) == 2
    change = AuditEntry.objects.get(action="update", object_type="user", object_id=str(member.pk))
    assert change.detail == {"password": "changed", "via": "change"}


def test_a_refused_password_change_keeps_the_tokens(client, member, tokens):
    client.force_login(member)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert all(works(raw) for raw in tokens["mia"])


def test_a_password_reset_revokes_the_tokens(client, member, tokens):
    member.email = "mia@example.org"
    member.save()
    client.post(reverse("accounts:password_reset"), {"email": "mia@example.org"})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)

    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert_only_mias_tokens_revoked(tokens)
    (entry,) = revocations(member)
    assert entry.detail["reason"] == "password_changed"


def test_an_admin_setting_a_password_revokes_the_tokens(client, member, admin_user, tokens):
    client.force_login(admin_user)

    response = client.post(
        f"/admin/accounts/user/{member.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert_only_mias_tokens_revoked(tokens)
    assert revocations(member)[0].detail["reason"] == "password_changed"


def test_an_admin_disabling_password_sign_in_revokes_the_tokens(client, member, admin_user, tokens):
    client.force_login(admin_user)

    client.post(
        f"/admin/accounts/user/{member.pk}/password/",
        {"usable_password": "false", "unset-password": "1"},
    )

    member.refresh_from_db()
    assert not member.has_usable_password()
    assert_only_mias_tokens_revoked(tokens)


def test_the_set_password_service_revokes_and_audits(client, member, admin_user, tokens):
    services.user_set_password(actor=admin_user, user=member, password=NEW_PASSWORD, via="cli")

    assert_only_mias_tokens_revoked(tokens)
    (entry,) = revocations(member)
    assert entry.actor == admin_user


def test_the_set_password_service_refuses_a_weak_password_and_keeps_the_tokens(
    client, member, tokens
):
    with pytest.raises(ValidationError):
        services.user_set_password(actor=member, user=member, password="123", via="change")

    assert all(works(raw) for raw in tokens["mia"])


def test_any_other_password_change_revokes_the_tokens_too(client, member, tokens):
    # The shell, a management command, any code: set_password() and save().
    user = User.objects.get(pk=member.pk)
    user.set_password(NEW_PASSWORD)
    user.save()

    assert_only_mias_tokens_revoked(tokens)
    (entry,) = revocations(member)
    assert entry.actor is None and entry.detail["reason"] == "password_changed"


def test_a_password_rehash_on_sign_in_is_not_a_change(client, member, settings):
    # An old hash in a format no longer preferred: signing in upgrades it, silently.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ]
    User.objects.filter(pk=member.pk).update(
        password=make_password(factories.PASSWORD, hasher="pbkdf2_sha1")
    )
    _, raw = services.api_token_create(user=member, name="laptop")

    assert client.login(username="mia", password=factories.PASSWORD)

    assert User.objects.get(pk=member.pk).password.startswith("md5$"), "it was re-hashed"
    assert works(raw)


# --- deactivation ---------------------------------------------------------------------


def admin_change_form(client, user: User, **changes) -> dict:
    """The admin change form of ``user`` as the page shows it, with ``changes``."""
    form = client.get(f"/admin/accounts/user/{user.pk}/change/").context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("password", "last_login", "date_joined"):
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    data["date_joined_0"], data["date_joined_1"] = "2024-01-01", "00:00:00"
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def test_an_admin_deactivating_a_user_revokes_the_tokens(client, member, admin_user, tokens):
    client.force_login(admin_user)

    response = client.post(
        f"/admin/accounts/user/{member.pk}/change/",
        admin_change_form(client, member, is_active=False),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.is_active is False
    assert_only_mias_tokens_revoked(tokens)
    (entry,) = revocations(member)
    assert entry.actor == admin_user and entry.detail["reason"] == "deactivated"

    # Reactivated, the old tokens stay dead.
    client.post(
        f"/admin/accounts/user/{member.pk}/change/",
        admin_change_form(client, member, is_active="on"),
    )
    member.refresh_from_db()
    assert member.is_active is True
    assert not any(works(raw) for raw in tokens["mia"])


def test_an_admin_saving_a_user_without_deactivating_keeps_the_tokens(
    client, member, admin_user, tokens
):
    client.force_login(admin_user)

    client.post(
        f"/admin/accounts/user/{member.pk}/change/",
        admin_change_form(client, member, first_name="Mia"),
    )

    assert User.objects.get(pk=member.pk).first_name == "Mia"
    assert all(works(raw) for raw in tokens["mia"])


def test_the_deactivation_service_revokes_and_audits(client, member, admin_user, tokens):
    services.user_set_active(actor=admin_user, user=member, is_active=False)

    assert_only_mias_tokens_revoked(tokens)
    assert revocations(member)[0].detail["reason"] == "deactivated"
    services.user_set_active(actor=admin_user, user=member, is_active=True)
    assert not any(works(raw) for raw in tokens["mia"])


def test_reactivation_does_not_bring_back_tokens_of_a_login_deactivated_elsewhere(
    client, member, admin_user, tokens
):
    User.objects.filter(pk=member.pk).update(is_active=False)  # e.g. from the shell
    member.refresh_from_db()

    services.user_set_active(actor=admin_user, user=member, is_active=True)

    assert_only_mias_tokens_revoked(tokens)


def test_admins_cannot_make_or_edit_tokens_in_the_admin(client, admin_user, member):
    token, _ = services.api_token_create(user=member, name="laptop")
    client.force_login(admin_user)

    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert 'name="expires_at' not in page and 'name="user"' not in page
