"""The accounts app's part of a person's data rights: their login, its API
tokens, sign-in records and the audit log about them.

``people.rights`` defines the export and erasure of a person's data and the
parts apps register into it. ``accounts`` sits below ``people`` and cannot
register there itself, so this module offers plain functions of a person's id
and ``people.rights`` registers them as the accounts part.

* **Export**: the login (username, name, e-mail, roles, dates), its API tokens
  (name, prefix and dates: never the token), recent failed sign-ins under the
  username (django-axes' records, with the address and browser), and the
  audit log summarised: how many entries of each kind are about the person
  and how many they made, with the first and last date, never who looked or
  what the entries say (that would expose other people's doings).
* **Erasure**: the login and its tokens are deleted, the sign-in records
  under its username go, and the audit entries about the person keep who did
  what and when but lose their details (which may hold the username, an
  address or a changed value). Entries the person made keep their details
  (they are about others) and lose their actor with the login.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Count, Max, Min, QuerySet

from bridgework.accounts.models import ApiToken, AuditEntry, Role, User

__all__ = [
    "AUDIT_DETAIL_ERASED",
    "ACCOUNT_TABLES",
    "account_data_export",
    "account_data_erase",
]

#: What the details of an audit entry about an erased person are replaced by.
AUDIT_DETAIL_ERASED = {"erased": True}

#: The accounts part's tables, with what each holds (for the export's README).
ACCOUNT_TABLES = {
    "login": "Your login: username, name, e-mail address, roles, when it was made and last used.",
    "api_tokens": "Your API tokens: name, first characters, when made, last used and expiring. "
    "Never the token itself (Bridgework keeps only a fingerprint of it).",
    "failed_sign_ins": "Failed sign-ins under your username that are still counted: when, "
    "from which address and browser, how many.",
    "audit_about_you": "The audit log about you, summarised: how many entries of each kind "
    "(someone viewed or changed your data), first and last. Who looked is not listed here; "
    "ask an admin.",
    "audit_by_you": "The audit log of what you did, summarised the same way.",
}


def _logins(person_id: int) -> QuerySet[User]:
    return User.objects.filter(person_id=person_id)


def _summary(entries: QuerySet[AuditEntry]) -> list[dict[str, Any]]:
    return [
        {
            "action": row["action"],
            "object_type": row["object_type"],
            "entries": row["entries"],
            "first_at": row["first_at"],
            "last_at": row["last_at"],
        }
        for row in entries.order_by()
        .values("action", "object_type")
        .annotate(entries=Count("id"), first_at=Min("at"), last_at=Max("at"))
        .order_by("action", "object_type")
    ]


def _sign_in_records(usernames: Iterable[str]) -> dict[str, QuerySet]:
    names = [name for name in usernames if name]
    return {
        "attempts": AccessAttempt.objects.filter(username__in=names),
        "failures": AccessFailureLog.objects.filter(username__in=names),
        "log": AccessLog.objects.filter(username__in=names),
    }


def account_data_export(person_id: int) -> dict[str, list[dict[str, Any]]]:
    """The accounts part of a person's data, as tables (see :data:`ACCOUNT_TABLES`)."""
    users = list(_logins(person_id).prefetch_related("groups"))
    roles = {value: label for value, label in Role.choices}
    login = [
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "roles": sorted(roles[r] for r in user.roles),
            "active": user.is_active,
            "joined_at": user.date_joined,
            "last_sign_in_at": user.last_login,
        }
        for user in users
    ]
    tokens = [
        {
            "name": token.name,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "expires_at": token.expires_at,
        }
        for token in ApiToken.objects.filter(user__in=users).order_by("created_at", "id")
    ]
    failed = [
        {
            "at": row.attempt_time,
            "ip_address": row.ip_address,
            "browser": row.user_agent,
            "failures": row.failures_since_start,
        }
        for row in _sign_in_records(u.username for u in users)["attempts"].order_by(
            "attempt_time", "id"
        )
    ]
    return {
        "login": login,
        "api_tokens": tokens,
        "failed_sign_ins": failed,
        "audit_about_you": _summary(AuditEntry.objects.filter(subject_person_id=person_id)),
        "audit_by_you": _summary(AuditEntry.objects.filter(actor__in=users)),
    }


def account_data_erase(person_id: int) -> dict[str, int]:
    """Delete the person's login, tokens and sign-in records; strip the details
    of the audit entries about them. Returns counts by what was done."""
    users = list(_logins(person_id))
    records = _sign_in_records(u.username for u in users)
    sign_ins = sum(rows.delete()[0] for rows in records.values())
    tokens = ApiToken.objects.filter(user__in=users).count()
    redacted = (
        AuditEntry.objects.filter(subject_person_id=person_id)
        .exclude(detail=AUDIT_DETAIL_ERASED)
        .update(detail=AUDIT_DETAIL_ERASED)
    )
    # Tokens, Django admin's log of the login and its group memberships go with it;
    # audit entries and other rows naming it as who did something keep the row, not the login.
    User.objects.filter(pk__in=[u.pk for u in users]).delete()
    return {
        "logins": len(users),
        "api_tokens": tokens,
        "sign_in_records": sign_ins,
        "audit_entries_redacted": redacted,
    }
