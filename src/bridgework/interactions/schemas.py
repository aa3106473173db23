"""API schemas for logged interactions."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from bridgework.interactions.models import Channel, Interaction
from bridgework.people.schemas import PersonRefOut
from bridgework.people.selectors import visible_note

__all__ = ["InteractionOut", "InteractionCreateIn", "InteractionUpdateIn"]

_INPUT = ConfigDict(extra="forbid")
_MINUTES_IN_A_DAY = 24 * 60


class InteractionOut(Schema):
    id: int
    channel: Channel
    occurred_at: dt.datetime
    duration_minutes: int | None
    participants: list[PersonRefOut]
    private_note: str | None = Field(
        description="Only whoever logged the interaction reads it; null for everyone else."
    )
    logged_by_me: bool
    source: str
    created_at: dt.datetime

    @staticmethod
    def resolve_participants(interaction: Interaction):
        return list(interaction.participants.all())

    @staticmethod
    def resolve_private_note(interaction: Interaction, context) -> str | None:
        return visible_note(viewer=context["request"].auth, obj=interaction)

    @staticmethod
    def resolve_logged_by_me(interaction: Interaction, context) -> bool:
        return interaction.logged_by_id == context["request"].auth.pk


class InteractionCreateIn(Schema):
    model_config = _INPUT

    channel: Channel
    occurred_at: AwareDatetime = Field(
        description="ISO 8601 with a time zone, e.g. 2025-03-14T09:30:00+01:00 or ...Z."
    )
    participants: list[int] = Field(
        min_length=1,
        description="Person ids. A member is added automatically; "
        "an interaction needs at least two different people.",
    )
    duration_minutes: int | None = Field(None, ge=0, le=_MINUTES_IN_A_DAY)
    private_note: str = ""


class InteractionUpdateIn(Schema):
    model_config = _INPUT

    channel: Channel | None = None
    occurred_at: AwareDatetime | None = None
    participants: list[int] | None = Field(None, min_length=1)
    duration_minutes: int | None = Field(None, ge=0, le=_MINUTES_IN_A_DAY)
    private_note: str | None = None
