"""API schemas for logged interactions and imports."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict
from typing_extensions import TypeAliasType

from bridgework.core.ingest.pipeline import SKIP_REASONS
from bridgework.interactions.models import Channel, ImportRun, Interaction, IntroductionRequest
from bridgework.people.schemas import OrganizationRefOut, PersonRefOut
from bridgework.people.selectors import visible_note
from bridgework.web.apitypes import Id

__all__ = [
    "InteractionOut",
    "InteractionCreateIn",
    "InteractionUpdateIn",
    "ImportOptionsIn",
    "ImportRunOut",
    "ImportReportOut",
    "PathPersonOut",
    "PathStepOut",
    "IntroductionPathOut",
    "IntroductionOut",
    "IntroductionCreateIn",
    "IntroductionRespondIn",
    "IntroductionOutcomeIn",
    "ImportRunStatus",
    "ImportRunOrigin",
    "IntroductionStatus",
]

_INPUT = ConfigDict(extra="forbid")

# Named after their model in the OpenAPI schema (a bare "Status" would collide).
ImportRunStatus = TypeAliasType("ImportRunStatus", ImportRun.Status)
ImportRunOrigin = TypeAliasType("ImportRunOrigin", ImportRun.Origin)
IntroductionStatus = TypeAliasType("IntroductionStatus", IntroductionRequest.Status)
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
    participants: list[Id] = Field(
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
    participants: list[Id] | None = Field(None, min_length=1)
    duration_minutes: int | None = Field(None, ge=0, le=_MINUTES_IN_A_DAY)
    private_note: str | None = None


class ImportOptionsIn(Schema):
    """How to read the files; sent as the JSON-encoded ``options`` form field."""

    model_config = _INPUT

    since: dt.date | None = Field(None, description="Leave out what happened before this day.")
    until: dt.date | None = Field(
        None, description="Leave out what happened after this day (inclusive)."
    )
    internal_domains: list[str] = Field(
        default_factory=list,
        description="E-mail domains of our organization (people analysts and admins only).",
    )
    column_mapping: dict[str, str] = Field(
        default_factory=dict, description="CSV only: our field name -> the file's column name."
    )
    owner_email: str = Field(
        "", description="Whose mailbox, calendar or address book it is (members: always theirs)."
    )
    include_automated: bool = Field(
        False, description="Keep mailing lists, no-reply and other automated senders."
    )


class ImportRunOut(Schema):
    id: int
    format: str
    files: list[str] = Field(alias="file_names")
    status: ImportRunStatus
    origin: ImportRunOrigin
    progress_percent: int
    bytes_done: int
    bytes_total: int
    records: int = Field(description="Records read so far.")
    events: int = Field(description="Events written so far.")
    error: str = Field(description="Why the import failed; empty otherwise.")
    started_by: str | None = Field(description="Username; null for command-line imports.")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_started_by(run: ImportRun) -> str | None:
        return run.started_by.get_username() if run.started_by else None


class ImportIssueOut(Schema):
    file: str
    position: str = Field(description="Where in the file, e.g. 'message 12 (byte 3456)'.")
    reason: str


class ImportCountsOut(Schema):
    records_read: int = Field(
        0,
        description="Every record of the files: records_read = events_imported + "
        "contacts_stored + ties_imported + the sum of skipped + issue_count.",
    )
    events_imported: int = 0
    duplicates_skipped: int = 0
    contacts_stored: int = 0
    ties_imported: int = 0
    skipped: dict[str, int] = Field(
        default_factory=dict,
        description="Records left out on purpose, by reason: "
        + "; ".join(f"{reason} ({label})" for reason, label in SKIP_REASONS.items())
        + ". duplicates_skipped, skipped_automated, skipped_without_people and "
        "skipped_not_involving repeat already_imported, automated, without_people "
        "and not_involving.",
    )
    people_created: int = 0
    people_matched: int = 0
    people_uncertain: int = 0
    skipped_automated: int = 0
    skipped_without_people: int = 0
    skipped_not_involving: int = Field(
        0,
        description="A member's own import: events (and source ties) between other "
        "people, left out and stored nowhere.",
    )
    issue_count: int = 0
    issues: list[ImportIssueOut] = Field(
        default_factory=list, description="The first problems (at most 1000)."
    )
    bytes_read: int = 0
    started_at: str = ""
    finished_at: str = ""


class ImportReportOut(Schema):
    id: int
    status: ImportRunStatus
    error: str
    report: ImportCountsOut | None = Field(
        description="What the import did; null until it has succeeded."
    )

    @staticmethod
    def resolve_report(run: ImportRun) -> dict | None:
        return run.report if run.status == ImportRun.Status.SUCCEEDED else None


# -- warm introductions ---------------------------------------------------------------


class PathPersonOut(Schema):
    """Someone on a path: public name, title and organization only."""

    id: int
    full_name: str
    title: str
    organization: OrganizationRefOut | None


class PathStepOut(Schema):
    person: PathPersonOut
    tie: Literal["strong", "regular", "occasional"] | None = Field(
        description="The band of the caller's own tie (the first step); null for a tie "
        "between two other people, of which a path tells only that it exists."
    )
    mine: bool = Field(description="True for the first step: the caller's own tie.")
    strength: float | None = Field(description="Your own tie only (0-1); null further along.")
    explanation: str | None = Field(description="Your own tie only; null further along.")
    last_contact: dt.datetime | None = Field(description="Your own tie only.")


class IntroductionPathOut(Schema):
    """One path from the caller to the target. Of ties between other people only a
    coarse word is given, never their strength or explanation."""

    person_ids: list[int] = Field(description="From the caller to the target.")
    hops: int
    chance: int | None = Field(
        description="A direct tie's strength as a percentage, rounded to 5; null on longer "
        "paths, where it would give away the strengths of other people's ties."
    )
    direct: bool = Field(description="The caller knows the target directly.")
    steps: list[PathStepOut]


class IntroductionOut(Schema):
    id: int
    requester: PersonRefOut
    via: PersonRefOut = Field(description="The person asked to make the introduction.")
    target: PersonRefOut
    target_organization: OrganizationRefOut | None
    path: list[int] = Field(description="Person ids from the requester to the target.")
    message: str
    status: IntroductionStatus
    response_note: str
    responded_at: dt.datetime | None
    interaction_id: int | None = Field(
        description="The introduction recorded as an interaction, once accepted."
    )
    outcome: str
    outcome_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class IntroductionCreateIn(Schema):
    model_config = _INPUT

    person: Id | None = Field(None, description="The person to meet (or give organization).")
    organization: Id | None = Field(
        None, description="Anyone at this organization (the path ends there)."
    )
    path: list[Id] = Field(
        min_length=3,
        description="Person ids from you through the person you ask to the target, e.g. "
        "one of the person_ids of GET /api/introductions/paths.",
    )
    message: str = Field(min_length=1, max_length=4000)


class IntroductionRespondIn(Schema):
    model_config = _INPUT

    accept: bool
    note: str = Field("", max_length=4000)


class IntroductionOutcomeIn(Schema):
    model_config = _INPUT

    outcome: str = Field(min_length=1, max_length=4000)
