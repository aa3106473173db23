"""Schemas of frameworks, programs, enrollment and matching."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from bridgework.mentoring.models import MAX_CADENCE_DAYS, MAX_CAPACITY, MeetingFormat
from bridgework.mentoring.schemas._common import (
    INPUT,
    AssessmentRound,
    EnrollmentRole,
    EnrollmentStatus,
    MatchOverrideKind,
    PersonRef,
    ProgramKind,
    ProgramMatchingMode,
    ProgramStatus,
)
from bridgework.web.apitypes import Id

__all__ = [
    "RubricLevel",
    "BehaviorOut",
    "FrameworkVersionOut",
    "FrameworkOut",
    "FrameworkIn",
    "ProgramOut",
    "ProgramPatch",
    "ProgramIn",
    "EnrollmentSwitchIn",
    "RoundIn",
    "CountOut",
    "EnrollmentOut",
    "EnrollmentPatch",
    "EnrollmentIn",
    "ScoreParts",
    "ProposedMatchOut",
    "MatchingRunOut",
    "OverrideOut",
    "OverrideIn",
    "MatchingReviewOut",
    "PublishIn",
    "SuggestionOut",
    "MentorRequestIn",
]


# ---- Frameworks -----------------------------------------------------------------------


class RubricLevel(Schema):
    level: int
    description: str


class BehaviorOut(Schema):
    key: str
    name: str
    description: str
    rubric: list[RubricLevel]
    exercises: list[str]


class FrameworkVersionOut(Schema):
    id: int
    framework_id: int
    number: int
    note: str
    created_at: dt.datetime
    name: str = Field(description="The framework's name in this version.")
    behaviors: list[BehaviorOut]

    @staticmethod
    def resolve_name(version) -> str:
        return version.content.get("name", "")


class FrameworkOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    is_default: bool
    latest: FrameworkVersionOut | None = Field(description="The newest version.")
    versions: list[int] = Field(description="Version numbers, newest first.")

    @staticmethod
    def resolve_latest(framework):
        return framework.latest_version

    @staticmethod
    def resolve_versions(framework) -> list[int]:
        return [v.number for v in framework.versions.all()]


class FrameworkIn(Schema):
    model_config = INPUT
    yaml: str = Field(description="The framework as YAML (see docs/mentoring.md).")
    note: str = ""


# ---- Programs -------------------------------------------------------------------------------


class ProgramOut(Schema):
    id: int
    name: str
    goal: str
    framework_version_id: int
    kind: ProgramKind
    start_date: dt.date
    end_date: dt.date | None
    matching_mode: ProgramMatchingMode
    status: ProgramStatus
    enrollment_open: bool
    session_cadence_days: int
    assessment_cadence_days: int | None
    max_time_zone_difference_hours: float | None
    allow_repeat_pairing: bool
    maximize_participation: bool
    weight_behavior: float
    weight_network: float
    weight_skills: float
    weight_preferences: float


class ProgramPatch(Schema):
    model_config = INPUT
    name: str | None = None
    goal: str | None = None
    framework_version_id: Id | None = None
    kind: ProgramKind | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    matching_mode: ProgramMatchingMode | None = None
    session_cadence_days: int | None = Field(None, ge=1, le=MAX_CADENCE_DAYS)
    assessment_cadence_days: int | None = Field(None, ge=7, le=365)
    max_time_zone_difference_hours: float | None = Field(None, ge=0, le=12)
    allow_repeat_pairing: bool | None = None
    maximize_participation: bool | None = None
    weight_behavior: float | None = Field(None, ge=0)
    weight_network: float | None = Field(None, ge=0)
    weight_skills: float | None = Field(None, ge=0)
    weight_preferences: float | None = Field(None, ge=0)


class ProgramIn(ProgramPatch):
    name: str
    goal: str
    start_date: dt.date


class EnrollmentSwitchIn(Schema):
    model_config = INPUT
    open: bool


class RoundIn(Schema):
    model_config = INPUT
    round: AssessmentRound
    due_on: dt.date | None = None


class CountOut(Schema):
    count: int


# ---- Enrollment ------------------------------------------------------------------------------


class EnrollmentOut(Schema):
    id: int
    program_id: int
    person: PersonRef
    role: EnrollmentRole
    status: EnrollmentStatus
    goals: str
    behaviors_to_develop: list[str]
    self_levels: dict[str, int]
    skills_wanted: list[int]
    needed_teams: list[int]
    needed_organizations: list[int]
    availability: str
    time_zone: str
    meeting_format: MeetingFormat
    prefer_other_team: bool
    preferred_mentors: list[int]
    excluded_people: list[int]
    capacity: int

    @staticmethod
    def _ids(enrollment, name: str) -> list[int]:
        return sorted(o.pk for o in getattr(enrollment, name).all())

    @staticmethod
    def resolve_skills_wanted(enrollment) -> list[int]:
        return EnrollmentOut._ids(enrollment, "skills_wanted")

    @staticmethod
    def resolve_needed_teams(enrollment) -> list[int]:
        return EnrollmentOut._ids(enrollment, "needed_teams")

    @staticmethod
    def resolve_needed_organizations(enrollment) -> list[int]:
        return EnrollmentOut._ids(enrollment, "needed_organizations")

    @staticmethod
    def resolve_preferred_mentors(enrollment) -> list[int]:
        return EnrollmentOut._ids(enrollment, "preferred_mentors")

    @staticmethod
    def resolve_excluded_people(enrollment) -> list[int]:
        return EnrollmentOut._ids(enrollment, "excluded_people")


class EnrollmentPatch(Schema):
    model_config = INPUT
    goals: str | None = None
    behaviors_to_develop: list[str] | None = None
    self_levels: dict[str, int] | None = None
    skills_wanted: list[Id] | None = None
    needed_teams: list[Id] | None = None
    needed_organizations: list[Id] | None = None
    availability: str | None = None
    time_zone: str | None = None
    meeting_format: MeetingFormat | None = None
    prefer_other_team: bool | None = None
    preferred_mentors: list[Id] | None = None
    excluded_people: list[Id] | None = None
    capacity: int | None = Field(None, ge=0, le=MAX_CAPACITY)


class EnrollmentIn(EnrollmentPatch):
    role: EnrollmentRole
    person_id: Id | None = Field(
        None, description="Program managers may enroll someone else; default: yourself."
    )


# ---- Matching ----------------------------------------------------------------------------------


class ScoreParts(Schema):
    total: float | None = None
    behavior: float
    network: float
    skills: float
    preferences: float


class ProposedMatchOut(Schema):
    mentee: PersonRef
    mentor: PersonRef
    mentee_enrollment_id: int
    mentor_enrollment_id: int
    score: float
    parts: ScoreParts
    explanation: str
    fixed: bool

    @staticmethod
    def resolve_mentee(match):
        return match.mentee.person

    @staticmethod
    def resolve_mentor(match):
        return match.mentor.person

    @staticmethod
    def resolve_mentee_enrollment_id(match) -> int:
        return match.mentee_id

    @staticmethod
    def resolve_mentor_enrollment_id(match) -> int:
        return match.mentor_id

    @staticmethod
    def resolve_score(match) -> float:
        return match.total

    @staticmethod
    def resolve_parts(match) -> dict:
        return match.components


class MatchingRunOut(Schema):
    id: int
    status: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    maximize_participation: bool
    mentees: int
    mentors: int
    total_score: float
    unmatched: dict[str, str] = Field(description="Mentee person id → why unmatched.")
    fixed: list[list[int]]
    forbidden: list[list[int]]
    matches: list[ProposedMatchOut]

    @staticmethod
    def resolve_matches(run):
        return list(
            run.matches.select_related("mentee__person", "mentor__person").order_by("-total", "id")
        )


class OverrideOut(Schema):
    id: int
    kind: MatchOverrideKind
    mentee_enrollment_id: int
    mentor_enrollment_id: int
    mentee: PersonRef
    mentor: PersonRef

    @staticmethod
    def resolve_mentee_enrollment_id(o) -> int:
        return o.mentee_id

    @staticmethod
    def resolve_mentor_enrollment_id(o) -> int:
        return o.mentor_id

    @staticmethod
    def resolve_mentee(o):
        return o.mentee.person

    @staticmethod
    def resolve_mentor(o):
        return o.mentor.person


class OverrideIn(Schema):
    model_config = INPUT
    mentee_enrollment_id: Id
    mentor_enrollment_id: Id
    kind: MatchOverrideKind


class MatchingReviewOut(Schema):
    run: MatchingRunOut | None
    overrides: list[OverrideOut]
    mentees_waiting: int
    mentors: int
    places_left: int

    @staticmethod
    def resolve_mentees_waiting(review) -> int:
        return len(review.mentees_waiting)

    @staticmethod
    def resolve_mentors(review) -> int:
        return len(review.mentors)

    @staticmethod
    def resolve_places_left(review) -> int:
        return review.places_total


class PublishIn(Schema):
    model_config = INPUT
    run_id: Id


class SuggestionOut(Schema):
    rank: int
    mentor: PersonRef
    score: ScoreParts
    places_left: int
    explanation: str


class MentorRequestIn(Schema):
    model_config = INPUT
    mentor_id: Id
    message: str = ""
