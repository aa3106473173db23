"""API schemas for accounts: tokens and the signed-in user."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

__all__ = ["TokenObtainIn", "TokenCreatedOut", "TokenOut", "MeOut"]


class TokenObtainIn(Schema):
    model_config = ConfigDict(extra="forbid")

    username: str
    password: str
    name: str = Field("API token", max_length=100, description="What the token is for.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="First characters of the token, to recognise it.")
    created_at: dt.datetime
    last_used_at: dt.datetime | None


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
