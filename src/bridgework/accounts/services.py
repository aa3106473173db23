"""Writes for accounts: users, roles, API tokens and the audit log."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import ApiToken, AuditEntry, Role, User, api_token_lifetime
from bridgework.core.errors import NotFoundError

__all__ = [
    "audit_record",
    "role_groups",
    "user_create",
    "user_set_roles",
    "user_set_password",
    "user_set_active",
    "api_token_lifetime",
    "api_token_create",
    "api_token_authenticate",
    "api_token_revoke",
    "api_token_revoke_all",
    "login_lockout_record",
]

TOKEN_PREFIX = "bw_"  # noqa: S105 - a public token prefix, not a secret


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: object = "",
    subject_person_id: int | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Write one audit entry (who did or viewed what, about whom)."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        subject_person_id=subject_person_id,
        detail=detail or {},
    )


def role_groups(roles: Iterable[str]) -> list[Group]:
    """The auth groups standing for these roles (created if a flush removed them)."""
    return [Group.objects.get_or_create(name=role)[0] for role in _check_roles(roles)]


def _check_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationError(
            {
                "roles": f"Unknown role(s) {', '.join(unknown)}; choose from {', '.join(Role.values)}."
            }
        )
    return roles


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    email: str = "",
    roles: Iterable[str] = (Role.MEMBER,),
    person=None,
    actor: User | None = None,
    check_password: bool = True,
) -> User:
    """Create a login with roles; the admin role also opens Django admin."""
    roles = _check_roles(roles)
    username = username.strip()
    if not username:
        raise ValidationError({"username": "Give a username."})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username!r} is taken."})
    if person is not None and User.objects.filter(person=person).exists():
        raise ValidationError({"person": f"{person} already has a login."})
    user = User(username=username, email=email, person=person)
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    is_admin = Role.ADMIN in roles
    user.is_staff = is_admin
    user.is_superuser = is_admin
    user.save()
    user.groups.set(role_groups(roles))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="user",
        object_id=user.pk,
        subject_person_id=person.pk if person else None,
        detail={"roles": roles},
    )
    return user


@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, roles: Iterable[str]) -> User:
    roles = _check_roles(roles)
    user.groups.set(role_groups(roles))
    is_admin = Role.ADMIN in roles
    user.is_staff = is_admin
    user.is_superuser = is_admin
    user.save(update_fields=["is_staff", "is_superuser"])
    user._roles_cache = None
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        subject_person_id=user.person_id,
        detail={"roles": roles},
    )
    return user


@transaction.atomic
def user_set_password(
    *,
    actor: User | None,
    user: User,
    password: str | None,
    via: str,
    check_password: bool = True,
) -> User:
    """Give ``user`` a new password (``None``: no usable password) and revoke
    every API token they hold, so a stolen token dies with the old password.

    ``via`` says where the change came from for the audit log ("change",
    "reset", "admin", "cli", ...). Forms that validated the password already
    pass ``check_password=False``.
    """
    if password is not None and check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    # Revoke first, in the actor's name: the save below also runs the
    # catch-all (passwords.ApiTokensRevokedOnPasswordChange), which then finds
    # nothing left to revoke.
    api_token_revoke_all(actor=actor, user=user, reason="password_changed")
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        subject_person_id=user.person_id,
        detail={"password": "changed" if password is not None else "unusable", "via": via},
    )
    return user


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, is_active: bool) -> User:
    """Activate or deactivate a login; either way its API tokens are revoked.

    Deactivation must end every programmatic access too. Revoking again on
    reactivation means a login deactivated some other way (the shell, an
    update query) never gets its old tokens back.
    """
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    api_token_revoke_all(
        actor=actor, user=user, reason="deactivated" if not is_active else "reactivated"
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        subject_person_id=user.person_id,
        detail={"is_active": is_active},
    )
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token that expires after ``API_TOKEN_DAYS`` (the model's
    default); the raw value is returned once and never stored."""
    name = name.strip() or "API token"
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[: len(TOKEN_PREFIX) + 5],
        digest=ApiToken.digest_of(raw),
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        object_type="api_token",
        object_id=token.pk,
        detail={"expires_at": token.expires_at.isoformat()},
    )
    return token, raw


def api_token_authenticate(raw: str) -> User | None:
    """The active user a raw, unexpired token belongs to, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of ``user``'s own tokens; anyone else's is "not found"."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFoundError("No such token.")
    audit_record(
        actor=user, action=AuditEntry.Action.DELETE, object_type="api_token", object_id=token_id
    )


@transaction.atomic
def api_token_revoke_all(*, actor: User | None, user: User, reason: str) -> int:
    """Revoke every token ``user`` holds (one audit entry naming them); the count."""
    token_ids = list(ApiToken.objects.filter(user=user).values_list("pk", flat=True))
    if not token_ids:
        return 0
    ApiToken.objects.filter(pk__in=token_ids).delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="api_token",
        subject_person_id=user.person_id,
        detail={"user": user.pk, "reason": reason, "tokens": token_ids},
    )
    return len(token_ids)


def login_lockout_record(
    *, username: str | None, ip_address: str | None, path: str, failures: int
) -> AuditEntry:
    """Write a sign-in lockout to the audit log (django-axes keeps its own record too).

    The actor is unknown (whoever typed the passwords); the subject is the
    person of the login that was named, if it exists.
    """
    named = (
        User.objects.filter(username=username).only("pk", "person_id").first() if username else None
    )
    return audit_record(
        actor=None,
        action=AuditEntry.Action.LOCKOUT,
        object_type="login",
        object_id=(username or "")[:64],
        subject_person_id=named.person_id if named is not None else None,
        detail={
            "username": username or "",
            "user": named.pk if named is not None else None,
            "ip_address": ip_address or "",
            "path": path,
            "failures": failures,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )
