"""API schemas for accounts: tokens and the signed-in user."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

__all__ = ["TokenObtainIn", "TokenCreatedOut", "TokenOut", "MeOut", "AuditEntryOut"]


class TokenObtainIn(Schema):
    model_config = ConfigDict(extra="forbid")

    # Bounded like the login form's fields: an over-long value is refused (422)
    # before it costs a password hash or a row in the sign-in failure log.
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("API token", max_length=100, description="What the token is for.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="First characters of the token, to recognise it.")
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime = Field(
        description="After this moment the token no longer works (API_TOKEN_DAYS after it was made)."
    )
    expired: bool = Field(description="Whether the token has expired; expired tokens answer 401.")


class TokenCreatedOut(TokenOut):
    token: str = Field(
        description="The bearer token. Shown only this once: send it as "
        "`Authorization: Bearer <token>`."
    )


class MePersonOut(Schema):
    """The user's own person in the directory, by name."""

    id: int
    full_name: str


class MeOut(Schema):
    id: int
    username: str
    roles: list[str]
    person_id: int | None = Field(description="The user's person in the directory, if any.")
    person: MePersonOut | None

    @staticmethod
    def resolve_roles(user) -> list[str]:
        return sorted(user.roles)


class AuditEntryOut(Schema):
    """One entry of the audit log: who did or viewed what, about whom, and when."""

    id: int
    at: dt.datetime
    actor: str | None = Field(
        description="Username of who did it; null for the command line, the system or a "
        "login deleted since."
    )
    action: str = Field(description="create, update, delete, view, login, merge, import, lockout.")
    object_type: str
    object_id: str
    subject_person_id: int | None = Field(description="Whose personal data it was about.")
    detail: dict = Field(description="What changed or was seen, without message content.")

    @staticmethod
    def resolve_actor(entry) -> str | None:
        return entry.actor.username if entry.actor is not None else None
