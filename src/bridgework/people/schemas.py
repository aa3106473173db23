"""API schemas for people, relationships and the reference data (organizations, teams, skills).

Input schemas forbid unknown fields, so a misspelt field name is a 422 rather
than a silently ignored change. Foreign keys go in and come out as ids.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from bridgework.accounts import policies
from bridgework.people.models import EngagementType, Organization, Person, Relationship
from bridgework.people.selectors import visible_note

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
]

_INPUT = ConfigDict(extra="forbid")


def _viewer(context):
    return context["request"].auth


# Reference data -------------------------------------------------------------


class OrganizationRefOut(Schema):
    id: int
    name: str


class OrganizationOut(Schema):
    id: int
    name: str
    kind: Organization.Kind
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
    level: Person.Level | None = Field(description="1 individual, 2 manager, 3 executive.")
    location: str
    time_zone: str
    engagement_type: EngagementType
    bio: str
    primary_email: str


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
    organization: int | None = Field(None, description="Organization id.")
    team: int | None = Field(None, description="Team id.")
    manager: int | None = Field(None, description="Person id of the manager.")
    level: Person.Level | None = None
    location: str = ""
    time_zone: str = "UTC"
    engagement_type: EngagementType = EngagementType.EXTERNAL
    engagement_start: dt.date | None = None
    engagement_end: dt.date | None = None
    bio: str = ""
    analytics_consent: bool = True


class PersonUpdateIn(Schema):
    """Only the fields given change. Members may change only their own
    ``full_name``, ``title``, ``phone``, ``location``, ``time_zone``, ``bio``
    and ``analytics_consent``."""

    model_config = _INPUT

    full_name: str | None = Field(None, min_length=1, max_length=200)
    emails: list[str] | None = Field(
        None, description="Replaces all addresses; the first is the primary one."
    )
    title: str | None = None
    phone: str | None = None
    organization: int | None = None
    team: int | None = None
    manager: int | None = None
    level: Person.Level | None = None
    location: str | None = None
    time_zone: str | None = None
    engagement_type: EngagementType | None = None
    engagement_start: dt.date | None = None
    engagement_end: dt.date | None = None
    bio: str | None = None
    analytics_consent: bool | None = None


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
    context: Relationship.Context
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

    person: int | None = Field(
        None, description="Person id on one side of the tie; defaults to the caller's own person."
    )
    other: int = Field(description="Person id on the other side of the tie.")
    closeness: int = Field(ge=1, le=5, description="1 = acquaintance, 5 = very close.")
    context: Relationship.Context = Relationship.Context.COLLEAGUE
    since: dt.date | None = None
    private_note: str = ""


class RelationshipUpdateIn(Schema):
    model_config = _INPUT

    closeness: int | None = Field(None, ge=1, le=5)
    context: Relationship.Context | None = None
    since: dt.date | None = None
    private_note: str | None = None
