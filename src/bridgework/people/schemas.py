"""API schemas for people, relationships and the reference data (organizations, teams, skills).

Input schemas forbid unknown fields, so a misspelt field name is a 422 rather
than a silently ignored change. Foreign keys go in and come out as ids.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
from typing_extensions import TypeAliasType

from bridgework.accounts import policies
from bridgework.people.models import EngagementType, Organization, Person, Relationship
from bridgework.people.selectors import visible_note
from bridgework.web.apitypes import Id

__all__ = [
    "OrganizationOut",
    "OrganizationRefOut",
    "TeamOut",
    "TeamRefOut",
    "SkillOut",
    "SkillRefOut",
    "PersonRefOut",
    "PersonOut",
    "PersonDetailOut",
    "PersonCreateIn",
    "PersonUpdateIn",
    "PersonSkillOut",
    "RelationshipOut",
    "RelationshipCreateIn",
    "RelationshipUpdateIn",
    "PersonMergeIn",
    "PersonMergeOut",
    "PersonErasureOut",
    "OrganizationKind",
    "PersonLevel",
    "RelationshipContext",
]

_INPUT = ConfigDict(extra="forbid")

# A model's nested choices are named after the model in the OpenAPI schema, so
# that Organization.Kind and Nudge.Kind do not both publish (and overwrite) "Kind".
OrganizationKind = TypeAliasType("OrganizationKind", Organization.Kind)
PersonLevel = TypeAliasType("PersonLevel", Person.Level)
RelationshipContext = TypeAliasType("RelationshipContext", Relationship.Context)


def _viewer(context):
    return context["request"].auth


# Reference data -------------------------------------------------------------


class OrganizationRefOut(Schema):
    id: int
    name: str


class OrganizationOut(Schema):
    id: int
    name: str
    kind: OrganizationKind
    email_domains: list[str]
    website: str

    @staticmethod
    def resolve_email_domains(org: Organization) -> list[str]:
        return org.domain_list


class TeamRefOut(Schema):
    id: int
    name: str


class PersonRefOut(Schema):
    id: int
    full_name: str


class TeamOut(Schema):
    id: int
    name: str
    organization: OrganizationRefOut
    parent_id: int | None
    lead: PersonRefOut | None
    description: str


class SkillRefOut(Schema):
    id: int
    name: str
    slug: str


class SkillOut(SkillRefOut):
    parent_id: int | None
    description: str


# People ---------------------------------------------------------------------


class PersonOut(Schema):
    """A person's public profile: what every signed-in user may see."""

    id: int
    full_name: str
    title: str
    organization: OrganizationRefOut | None
    team: TeamRefOut | None
    manager_id: int | None
    level: PersonLevel | None = Field(description="1 individual, 2 manager, 3 executive.")
    location: str
    time_zone: str
    engagement_type: EngagementType
    bio: str
    primary_email: str
    listed: bool = Field(
        description="In the shared directory. False for a private contact: someone a "
        "member's own import brought in, seen only by that member and people managers "
        "until a people manager approves them (POST /api/people/{id}/approve)."
    )


class PersonDetailOut(PersonOut):
    """The public profile, plus private fields for the person themselves and people managers.

    ``phone``, ``engagement_start``, ``engagement_end`` and ``analytics_consent``
    are ``null`` when the caller may not see them.
    """

    manager: PersonRefOut | None
    phone: str | None = Field(description="Private: null unless the caller may see it.")
    engagement_start: dt.date | None = Field(description="Private.")
    engagement_end: dt.date | None = Field(description="Private.")
    analytics_consent: bool | None = Field(description="Private.")

    @staticmethod
    def _private(person: Person, context, name: str):
        if policies.can_see_private_profile(_viewer(context), person.pk):
            return getattr(person, name)
        return None

    @staticmethod
    def resolve_phone(person: Person, context):
        return PersonDetailOut._private(person, context, "phone")

    @staticmethod
    def resolve_engagement_start(person: Person, context):
        return PersonDetailOut._private(person, context, "engagement_start")

    @staticmethod
    def resolve_engagement_end(person: Person, context):
        return PersonDetailOut._private(person, context, "engagement_end")

    @staticmethod
    def resolve_analytics_consent(person: Person, context):
        return PersonDetailOut._private(person, context, "analytics_consent")


class PersonCreateIn(Schema):
    model_config = _INPUT

    full_name: str = Field(min_length=1, max_length=200)
    emails: list[str] = Field(
        default_factory=list, description="E-mail addresses; the first is the primary one."
    )
    title: str = ""
    phone: str = ""
    organization: Id | None = Field(None, description="Organization id.")
    team: Id | None = Field(None, description="Team id.")
    manager: Id | None = Field(None, description="Person id of the manager.")
    level: PersonLevel | None = None
    location: str = ""
    time_zone: str = "UTC"
    engagement_type: EngagementType = EngagementType.EXTERNAL
    engagement_start: dt.date | None = None
    engagement_end: dt.date | None = None
    bio: str = ""
    analytics_consent: bool = True


_CLEARED_BY_NULL = "null clears it (the same as an empty string)."


class PersonUpdateIn(Schema):
    """Only the fields given change. Members may change only their own
    ``full_name``, ``title``, ``phone``, ``location``, ``time_zone``, ``bio``
    and ``analytics_consent``.

    ``null`` removes a value, as in a JSON merge patch: the optional links and
    dates become empty, and so do ``title``, ``phone``, ``location`` and ``bio``
    (stored as empty text). Fields that cannot be empty (``full_name``,
    ``time_zone``, ``engagement_type``, ``analytics_consent``) refuse ``null``.
    """

    model_config = _INPUT

    # Typed without None, so that null is a 422 and the schema does not offer it; the
    # default None only means "not given" and never reaches the service, which gets
    # model_dump(exclude_unset=True).
    full_name: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    emails: list[str] | None = Field(
        None, description="Replaces all addresses; the first is the primary one."
    )
    title: str | None = Field(None, description=_CLEARED_BY_NULL)
    phone: str | None = Field(None, description=_CLEARED_BY_NULL)
    organization: Id | None = None
    team: Id | None = None
    manager: Id | None = None
    level: PersonLevel | None = None
    location: str | None = Field(None, description=_CLEARED_BY_NULL)
    time_zone: str = Field(  # type: ignore[assignment]
        None, description="An IANA time zone, e.g. Europe/Paris."
    )
    engagement_type: EngagementType = Field(None)  # type: ignore[assignment]
    engagement_start: dt.date | None = None
    engagement_end: dt.date | None = None
    bio: str | None = Field(None, description=_CLEARED_BY_NULL)
    analytics_consent: bool = Field(None)  # type: ignore[assignment]

    @field_validator("title", "phone", "location", "bio")
    @classmethod
    def _null_clears(cls, value: str | None) -> str:
        # These columns hold "" for "none": storing null would break NOT NULL.
        return "" if value is None else value


class EndorsementOut(Schema):
    by: PersonRefOut
    level: int


class PersonSkillOut(Schema):
    skill: SkillRefOut
    level: int | None = Field(description="Self-declared level 1-5, null if not declared.")
    endorsements: list[EndorsementOut]


# Relationships ----------------------------------------------------------------


class RelationshipOut(Schema):
    id: int
    person: PersonRefOut
    other: PersonRefOut
    context: RelationshipContext
    closeness: int = Field(description="1 = acquaintance, 5 = very close.")
    since: dt.date | None
    private_note: str | None = Field(
        description="Only whoever declared the relationship reads it; null for everyone else."
    )
    declared_by_me: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_private_note(rel: Relationship, context) -> str | None:
        return visible_note(viewer=_viewer(context), obj=rel)

    @staticmethod
    def resolve_declared_by_me(rel: Relationship, context) -> bool:
        return rel.declared_by_id == _viewer(context).pk


class RelationshipCreateIn(Schema):
    model_config = _INPUT

    person: Id | None = Field(
        None, description="Person id on one side of the tie; defaults to the caller's own person."
    )
    other: Id = Field(description="Person id on the other side of the tie.")
    closeness: int = Field(ge=1, le=5, description="1 = acquaintance, 5 = very close.")
    context: RelationshipContext = Relationship.Context.COLLEAGUE
    since: dt.date | None = None
    private_note: str = ""


class RelationshipUpdateIn(Schema):
    model_config = _INPUT

    closeness: int | None = Field(None, ge=1, le=5)
    context: RelationshipContext | None = None
    since: dt.date | None = None
    private_note: str | None = None


# Merges (people managers) ---------------------------------------------------------


class PersonMergeIn(Schema):
    """Two people who are one: ``drop`` is merged into ``keep`` and removed."""

    model_config = _INPUT

    keep: Id = Field(description="Person id of who stays.")
    drop: Id = Field(description="Person id of who is merged into them and removed.")


class PersonMergeOut(Schema):
    id: int
    keep: int | None = Field(description="Person id of who stayed (null once deleted).")
    dropped_person_id: int
    dropped_name: str
    events_changed: int = Field(description="Events and source ties that named the dropped person.")
    merged_at: dt.datetime
    undone_at: dt.datetime | None

    @staticmethod
    def resolve_keep(merge) -> int | None:
        return merge.keep_id


class PersonErasureOut(Schema):
    """What an erasure removed (``people/rights.py``): counts only."""

    person_id: int = Field(description="The id the erased person had; no one has it now.")
    counts: dict[str, dict[str, int]] = Field(
        description="Rows deleted or anonymised, by part (people, network, mentoring, ...; "
        "`events`: the event store's) and by kind."
    )
    audit_entry_id: int = Field(description="The audit entry that records the erasure.")

    @staticmethod
    def resolve_audit_entry_id(result) -> int:
        return result.audit_entry.pk
