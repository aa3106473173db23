"""Helpers the service modules share: the actor's own person, the owner-only
rule, and checking texts, dates and lists of saved records.

Internal to :mod:`bridgework.impact.services`: no permission check beyond the
owner rule named here, no audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from bridgework.accounts.models import User
from bridgework.core.errors import NotFoundError

__all__ = [
    "TITLE_LIMIT",
    "clean_day",
    "clean_text",
    "distinct_records",
    "own_person_id",
    "require_owner",
]

TITLE_LIMIT = 200


def own_person_id(actor: User) -> int:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotFoundError("Not found.")
    if actor.person_id is None:
        raise ValidationError(
            "Your login is not linked to a person, so you have no objectives or outcomes."
        )
    return actor.person_id


def require_owner(actor: User, owner_id: int) -> None:
    if actor is None or not actor.is_authenticated or actor.person_id != owner_id:
        raise NotFoundError("Not found.")


def clean_text(value, *, field: str, limit: int, required: str | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: f"Keep it under {limit} characters (it has {len(text)})."})
    return text


def clean_day(value, *, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        raise ValidationError({field: "Give a date, not a date and time."})
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: f"{value!r} is not a date (use YYYY-MM-DD)."}) from None


def distinct_records(items: Iterable, model, field: str) -> list:
    found = []
    for item in items or ():
        if not isinstance(item, model) or item.pk is None:
            raise ValidationError({field: f"Expected saved {model.__name__} records."})
        if item not in found:
            found.append(item)
    return found
