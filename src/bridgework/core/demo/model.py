"""The demo organization as plain data: the types ``generate_demo_org`` returns.

They refer to each other by string keys (``"p0001"`` for people, slugs for
organizations, teams and skills), never model objects, so the demo is usable
from a notebook or a benchmark without a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = [
    "DemoInteraction",
    "DemoLogin",
    "DemoOrg",
    "DemoOrganization",
    "DemoPerson",
    "DemoPersonSkill",
    "DemoRelationship",
    "DemoSkill",
    "DemoTeam",
]

# Engagement types, channels and relationship contexts: the values of the
# choices in bridgework.people / bridgework.interactions (not imported: core
# stays framework-free).
EMPLOYEE_FT = "employee_ft"
EMPLOYEE_PT = "employee_pt"
CONTRACTOR = "contractor"
FREELANCER = "freelancer"
ALUMNI = "alumni"
PARTNER = "partner"
CLIENT = "client"
EXTERNAL = "external"
EMPLOYEES = (EMPLOYEE_FT, EMPLOYEE_PT)

MEETING = "meeting"
CALL = "call"
EMAIL = "email"
CHAT = "chat"


@dataclass(frozen=True, slots=True)
class DemoOrganization:
    """An organization; ``account_owner_keys`` are the people who hold the relationship."""

    key: str
    name: str
    kind: str
    email_domains: tuple[str, ...]
    website: str
    account_owner_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoTeam:
    """A team; ``depth`` is 0 for the company, 1 for a division, 2 for a team."""

    key: str
    name: str
    organization_key: str
    parent_key: str | None
    lead_key: str | None
    depth: int
    description: str = ""


@dataclass(frozen=True, slots=True)
class DemoSkill:
    """A skill; categories have no parent, skills have a category as parent."""

    key: str
    name: str
    parent_key: str | None


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """A person; ``emails[0]`` is the primary address."""

    key: str
    first_name: str
    last_name: str
    full_name: str
    emails: tuple[str, ...]
    title: str
    engagement_type: str
    organization_key: str | None
    team_key: str | None
    manager_key: str | None
    level: int | None
    location: str
    time_zone: str
    engagement_start: dt.date
    engagement_end: dt.date | None
    bio: str = ""
    is_bridge: bool = False

    @property
    def email(self) -> str:
        return self.emails[0]


@dataclass(frozen=True, slots=True)
class DemoPersonSkill:
    """A skill level, self-declared (``endorsed_by_key`` None) or endorsed by someone."""

    person_key: str
    skill_key: str
    level: int
    endorsed_by_key: str | None = None


@dataclass(frozen=True, slots=True)
class DemoInteraction:
    """A touchpoint; ``occurred_at`` is UTC-aware, participants are sorted keys."""

    channel: str
    occurred_at: dt.datetime
    duration_minutes: int | None
    participant_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoRelationship:
    """A tie declared by ``person_key`` (always a demo login's person) about ``other_key``."""

    person_key: str
    other_key: str
    context: str
    closeness: int
    since: dt.date
    note: str


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A demo login: role name, username, and the person it belongs to."""

    role: str
    username: str
    person_key: str


@dataclass(frozen=True)
class DemoOrg:
    """The whole demo organization. Interactions cover ``[window_start, today)``."""

    seed: int
    today: dt.date
    window_start: dt.date
    organizations: tuple[DemoOrganization, ...]
    teams: tuple[DemoTeam, ...]
    skills: tuple[DemoSkill, ...]
    people: tuple[DemoPerson, ...]
    person_skills: tuple[DemoPersonSkill, ...]
    interactions: tuple[DemoInteraction, ...]
    relationships: tuple[DemoRelationship, ...]
    logins: tuple[DemoLogin, ...]

    def people_by_key(self) -> dict[str, DemoPerson]:
        return {p.key: p for p in self.people}

    def login(self, role: str) -> DemoLogin:
        for login in self.logins:
            if login.role == role:
                return login
        raise KeyError(role)
