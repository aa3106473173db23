"""API schemas of the network app: portfolio rows, the summary, nudges, recomputations."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict
from typing_extensions import TypeAliasType

from bridgework.network.models import MAX_CADENCE_DAYS, Nudge, Tier, TieRecompute
from bridgework.network.selectors import PortfolioRow
from bridgework.people.models import EngagementType
from bridgework.people.schemas import OrganizationRefOut, PersonRefOut, TeamRefOut
from bridgework.web.apitypes import Id

__all__ = [
    "ExpertOut",
    "ExpertPathStepOut",
    "ExpertPersonOut",
    "ContactOut",
    "PortfolioRowOut",
    "PortfolioSummaryOut",
    "PortfolioEntryIn",
    "NudgeOut",
    "NudgeSnoozeIn",
    "RecomputeIn",
    "RecomputeOut",
    "NudgeKind",
    "TieRecomputeKind",
    "TieRecomputeStatus",
]

_INPUT = ConfigDict(extra="forbid")

# Named after their model in the OpenAPI schema (a bare "Kind" would collide).
NudgeKind = TypeAliasType("NudgeKind", Nudge.Kind)
TieRecomputeKind = TypeAliasType("TieRecomputeKind", TieRecompute.Kind)
TieRecomputeStatus = TypeAliasType("TieRecomputeStatus", TieRecompute.Status)


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
    kind: NudgeKind
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
    people: list[Id] = Field(
        default_factory=list, description="Person ids, for an incremental recomputation."
    )


class RecomputeOut(Schema):
    id: int
    kind: TieRecomputeKind
    status: TieRecomputeStatus
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


# ---- Find expertise ------------------------------------------------------------------


class ExpertPersonOut(Schema):
    """The public profile fields an expertise result shows."""

    id: int
    full_name: str
    title: str
    organization: OrganizationRefOut | None
    team: TeamRefOut | None
    engagement_type: EngagementType


class ExpertPathStepOut(Schema):
    person: PersonRefOut
    tie: Literal["strong", "regular", "occasional"] | None = Field(
        description="The band of the caller's own tie (the first step); null for a tie "
        "between two other people, of which a path tells only that it exists."
    )


class ExpertOut(Schema):
    person: ExpertPersonOut
    engagement: str = Field(description="The engagement type in words, e.g. 'Contractor'.")
    matched: list[str] = Field(description="What matched, e.g. 'Python 4/5, 2 endorsements'.")
    expertise: float = Field(description="0-1 expertise match.")
    reach_percent: int | None = Field(
        description="Your own direct tie's strength (100 for you), rounded to 5; null further "
        "away, where it would give away other people's ties; 0 when not reachable."
    )
    hops: int | None = Field(description="0 you, 1 direct tie, 2 one introduction away, …")
    reach: str = Field(description="The hops in words.")
    path: list[ExpertPathStepOut] = Field(description="From you (not listed) to the person.")
    introduction_url: str | None = Field(
        description="The page to find a warm introduction, when one is needed."
    )

    @staticmethod
    def resolve_introduction_url(row: dict) -> str | None:
        if not row["can_ask_introduction"]:
            return None
        return f"{reverse('interactions:introduction_create')}?person={row['person'].pk}"
