"""API schemas of the network app: portfolio rows, the summary, nudges, recomputations."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from bridgework.network.models import MAX_CADENCE_DAYS, Nudge, Tier, TieRecompute
from bridgework.network.selectors import PortfolioRow
from bridgework.people.models import EngagementType

__all__ = [
    "ContactOut",
    "PortfolioRowOut",
    "PortfolioSummaryOut",
    "PortfolioEntryIn",
    "NudgeOut",
    "NudgeSnoozeIn",
    "RecomputeIn",
    "RecomputeOut",
]

_INPUT = ConfigDict(extra="forbid")


class ContactOut(Schema):
    """The other person: public profile fields only."""

    id: int
    full_name: str
    title: str
    engagement_type: EngagementType
    organization: str | None
    team: str | None

    @staticmethod
    def resolve_organization(person) -> str | None:
        return person.organization.name if person.organization_id else None

    @staticmethod
    def resolve_team(person) -> str | None:
        return person.team.name if person.team_id else None


class PortfolioRowOut(Schema):
    person: ContactOut = Field(alias="other")
    strength: float = Field(description="0-1; 0 with no recorded contact.")
    band: str = Field(description="strong, regular, occasional, dormant; empty: no contact yet.")
    trend: str = Field(description="rising, steady, cooling; empty: no contact yet.")
    explanation: str
    last_contact: dt.datetime | None
    days_since_contact: int | None
    events: int
    tier: Tier | None
    cadence_days: int | None = Field(
        description="The cadence that applies: the person's own, else the tier's default."
    )
    cadence_override: int | None = Field(description="The cadence set for this relationship.")
    overdue: bool
    note: str = Field(description="Your private note on this relationship.")

    @staticmethod
    def resolve_events(row: PortfolioRow) -> int:
        return row.tie.events if row.tie else 0

    @staticmethod
    def resolve_note(row: PortfolioRow) -> str:
        return row.entry.note if row.entry else ""


class MixRowOut(Schema):
    key: str
    label: str
    count: int
    share: float = Field(description="0-1 of the active relationships.")


class PortfolioSummaryOut(Schema):
    ties: int
    active: int = Field(description="Ties in the strong, regular or occasional band.")
    capacity: int = Field(description="About how many relationships a person can keep up.")
    capacity_percent: int
    bands: dict[str, int]
    tiers: dict[str, int]
    overdue: int
    by_engagement: list[MixRowOut]
    by_organization: list[MixRowOut]
    by_team: list[MixRowOut]
    own_team: str | None
    inside_own_team: int
    inside_own_team_share: float
    computed_at: dt.datetime | None


class PortfolioEntryIn(Schema):
    model_config = _INPUT

    tier: Tier | None = Field(description="core, strategic, wider; null takes them out.")
    cadence_days: int | None = Field(
        None, ge=1, le=MAX_CADENCE_DAYS, description="Null: the tier's default cadence."
    )
    note: str | None = Field(None, max_length=500, description="Null keeps the note as it is.")


class NudgeOut(Schema):
    id: int
    kind: Nudge.Kind
    person: ContactOut = Field(alias="other")
    reason: str
    priority: float
    due_since: dt.date | None
    created_at: dt.datetime
    snoozed_until: dt.datetime | None


class NudgeSnoozeIn(Schema):
    model_config = _INPUT

    until: AwareDatetime | None = Field(None, description="Default: two weeks from now.")


class RecomputeIn(Schema):
    model_config = _INPUT

    full: bool = True
    people: list[int] = Field(
        default_factory=list, description="Person ids, for an incremental recomputation."
    )


class RecomputeOut(Schema):
    id: int
    kind: TieRecompute.Kind
    status: TieRecompute.Status
    people: list[int]
    reason: str
    progress_percent: int
    pairs_done: int
    pairs_total: int
    ties_written: int
    ties_deleted: int
    bands: dict[str, int]
    nudges: int
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
