"""API schemas of the mentoring app."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from bridgework.mentoring.models import (
    MAX_CADENCE_DAYS,
    MAX_CAPACITY,
    Assessment,
    Enrollment,
    MatchOverride,
    MeetingFormat,
    MentoringSession,
    PracticePlan,
    Program,
    SessionNote,
)

__all__ = [
    "PersonRef",
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
    "AgreementOut",
    "RelationshipOut",
    "RespondIn",
    "EndIn",
    "AgreementPatch",
    "NoteOut",
    "NoteIn",
    "SessionOut",
    "SessionIn",
    "SessionPatch",
    "FeedbackIn",
    "FeedbackOut",
    "FitCheckIn",
    "FitCheckOut",
    "ActionItemOut",
    "ActionItemIn",
    "ActionItemPatch",
    "PracticePlanOut",
    "PracticePlanIn",
    "PracticePlanPatch",
    "IntroductionIn",
    "IntroductionOut",
    "RatingOut",
    "AssessmentOut",
    "AssessmentRequestIn",
    "AssessmentSubmitIn",
    "RoundOut",
    "BehaviorProgressOut",
    "NetworkRowOut",
    "NetworkChangeOut",
    "ProgressOut",
    "GrowthOut",
    "NetworkGrowthOut",
    "AtRiskOut",
    "DashboardOut",
]

_INPUT = ConfigDict(extra="forbid")


class PersonRef(Schema):
    id: int
    full_name: str
    title: str


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
    model_config = _INPUT
    yaml: str = Field(description="The framework as YAML (see docs/mentoring.md).")
    note: str = ""


# ---- Programs -------------------------------------------------------------------------------


class ProgramOut(Schema):
    id: int
    name: str
    goal: str
    framework_version_id: int
    kind: Program.Kind
    start_date: dt.date
    end_date: dt.date | None
    matching_mode: Program.MatchingMode
    status: Program.Status
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
    model_config = _INPUT
    name: str | None = None
    goal: str | None = None
    framework_version_id: int | None = None
    kind: Program.Kind | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    matching_mode: Program.MatchingMode | None = None
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
    model_config = _INPUT
    open: bool


class RoundIn(Schema):
    model_config = _INPUT
    round: Assessment.Round
    due_on: dt.date | None = None


class CountOut(Schema):
    count: int


# ---- Enrollment ------------------------------------------------------------------------------


class EnrollmentOut(Schema):
    id: int
    program_id: int
    person: PersonRef
    role: Enrollment.Role
    status: Enrollment.Status
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
    model_config = _INPUT
    goals: str | None = None
    behaviors_to_develop: list[str] | None = None
    self_levels: dict[str, int] | None = None
    skills_wanted: list[int] | None = None
    needed_teams: list[int] | None = None
    needed_organizations: list[int] | None = None
    availability: str | None = None
    time_zone: str | None = None
    meeting_format: MeetingFormat | None = None
    prefer_other_team: bool | None = None
    preferred_mentors: list[int] | None = None
    excluded_people: list[int] | None = None
    capacity: int | None = Field(None, ge=0, le=MAX_CAPACITY)


class EnrollmentIn(EnrollmentPatch):
    role: Enrollment.Role
    person_id: int | None = Field(
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
    kind: MatchOverride.Kind
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
    model_config = _INPUT
    mentee_enrollment_id: int
    mentor_enrollment_id: int
    kind: MatchOverride.Kind


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
    model_config = _INPUT
    run_id: int


class SuggestionOut(Schema):
    rank: int
    mentor: PersonRef
    score: ScoreParts
    places_left: int
    explanation: str


class MentorRequestIn(Schema):
    model_config = _INPUT
    mentor_id: int
    message: str = ""


# ---- Relationships -------------------------------------------------------------------------------


class AgreementOut(Schema):
    goals: str | None = Field(description="Null for program managers.")
    cadence_days: int
    meeting_format: MeetingFormat
    confidentiality: str | None
    share_network_with_mentor: bool
    mentee_agreed_at: dt.datetime | None
    mentor_agreed_at: dt.datetime | None


class RelationshipOut(Schema):
    id: int
    program_id: int
    mentee: PersonRef
    mentor: PersonRef
    status: str
    origin: str
    started_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    match_score: float | None
    match_explanation: str
    viewer_side: str = Field(description="mentee, mentor or manager (progress only).")
    agreement: AgreementOut | None

    @staticmethod
    def resolve_agreement(r):
        agreement = getattr(r, "agreement", None)
        if agreement is None:
            return None
        manager = r.viewer_side == "manager"
        return {
            "goals": None if manager else agreement.goals,
            "cadence_days": agreement.cadence_days,
            "meeting_format": agreement.meeting_format,
            "confidentiality": None if manager else agreement.confidentiality,
            "share_network_with_mentor": agreement.share_network_with_mentor,
            "mentee_agreed_at": agreement.mentee_agreed_at,
            "mentor_agreed_at": agreement.mentor_agreed_at,
        }


class RespondIn(Schema):
    model_config = _INPUT
    accept: bool


class EndIn(Schema):
    model_config = _INPUT
    reason: str = ""


class AgreementPatch(Schema):
    model_config = _INPUT
    goals: str | None = None
    cadence_days: int | None = Field(None, ge=1, le=MAX_CADENCE_DAYS)
    meeting_format: MeetingFormat | None = None
    confidentiality: str | None = None
    agree: bool | None = Field(None, description="True: your side agrees to the agreement.")
    share_network_with_mentor: bool | None = Field(None, description="The mentee only.")


# ---- Sessions ----------------------------------------------------------------------------------


class NoteOut(Schema):
    id: int
    author: PersonRef
    visibility: SessionNote.Visibility
    text: str
    created_at: dt.datetime


class NoteIn(Schema):
    model_config = _INPUT
    text: str
    visibility: SessionNote.Visibility = SessionNote.Visibility.PRIVATE


class SessionOut(Schema):
    id: int
    relationship_id: int
    scheduled_at: dt.datetime
    duration_minutes: int | None
    status: MentoringSession.Status
    agenda: str
    behaviors_practiced: list[str]
    logged_at: dt.datetime | None


class SessionIn(Schema):
    model_config = _INPUT
    scheduled_at: AwareDatetime
    duration_minutes: int | None = Field(None, ge=1, le=480)
    agenda: str = ""
    held: bool = False
    behaviors_practiced: list[str] = []


class SessionPatch(Schema):
    model_config = _INPUT
    status: MentoringSession.Status
    behaviors_practiced: list[str] = []
    duration_minutes: int | None = Field(None, ge=1, le=480)
    agenda: str | None = None
    scheduled_at: AwareDatetime | None = None


class FeedbackIn(Schema):
    model_config = _INPUT
    rating: int = Field(ge=1, le=5)
    comment: str = ""


class FeedbackOut(Schema):
    id: int
    session_id: int
    rating: int
    comment: str


class FitCheckIn(Schema):
    model_config = _INPUT
    fit: int = Field(ge=1, le=5)
    wants_rematch: bool = False
    comment: str = ""


class FitCheckOut(Schema):
    id: int
    relationship_id: int
    fit: int
    wants_rematch: bool
    comment: str


# ---- Action items, practice, introductions -----------------------------------------------------------


class ActionItemOut(Schema):
    id: int
    relationship_id: int
    title: str
    notes: str
    owner: PersonRef
    due_on: dt.date | None
    done_at: dt.datetime | None
    overdue: bool

    @staticmethod
    def resolve_overdue(item) -> bool:
        return item.is_overdue(timezone.now().date())


class ActionItemIn(Schema):
    model_config = _INPUT
    title: str
    owner_id: int | None = Field(None, description="The mentee (default) or the mentor.")
    due_on: dt.date | None = None
    notes: str = ""


class ActionItemPatch(Schema):
    model_config = _INPUT
    title: str | None = None
    owner_id: int | None = None
    due_on: dt.date | None = None
    notes: str | None = None
    done: bool | None = None


class PracticePlanOut(Schema):
    id: int
    relationship_id: int
    behavior_key: str
    conversation: str
    planned_for: dt.date | None
    preparation: str
    status: PracticePlan.Status
    reflection: str
    confidence_after: int | None
    reflected_at: dt.datetime | None


class PracticePlanIn(Schema):
    model_config = _INPUT
    behavior_key: str
    conversation: str
    planned_for: dt.date | None = None
    preparation: str = ""


class PracticePlanPatch(Schema):
    model_config = _INPUT
    conversation: str | None = None
    planned_for: dt.date | None = None
    preparation: str | None = None
    status: PracticePlan.Status | None = None
    reflection: str | None = None
    confidence_after: int | None = Field(None, ge=1, le=5)


class IntroductionIn(Schema):
    model_config = _INPUT
    target_id: int
    message: str


class IntroductionOut(Schema):
    introduction_id: int
    relationship_id: int
    target: PersonRef
    status: str

    @staticmethod
    def resolve_target(link):
        return link.introduction.target

    @staticmethod
    def resolve_status(link) -> str:
        return link.introduction.status


# ---- Assessments and progress ---------------------------------------------------------------------------


class RatingOut(Schema):
    behavior_key: str
    level: int
    note: str | None


class AssessmentOut(Schema):
    id: int
    subject: PersonRef
    assessor: PersonRef
    kind: Assessment.Kind
    round: Assessment.Round
    status: Assessment.Status
    framework_version_id: int
    due_on: dt.date | None
    submitted_at: dt.datetime | None
    comment: str | None
    ratings: list[RatingOut]

    @staticmethod
    def resolve_comment(a) -> str | None:
        return a.comment if a.viewer_sees_notes else None

    @staticmethod
    def resolve_ratings(a) -> list[dict]:
        notes = a.viewer_sees_notes
        return [
            {"behavior_key": r.behavior_key, "level": r.level, "note": r.note if notes else None}
            for r in a.ratings.all()
        ]


class AssessmentRequestIn(Schema):
    model_config = _INPUT
    kind: Assessment.Kind
    round: Assessment.Round
    assessor_id: int | None = Field(None, description="The peer, for kind peer.")
    due_on: dt.date | None = None


class AssessmentSubmitIn(Schema):
    model_config = _INPUT
    ratings: dict[str, int] = Field(description="Behavior key → level 1-5, every behavior.")
    notes: dict[str, str] = {}
    comment: str = ""


class RoundOut(Schema):
    key: str
    label: str
    day: dt.date


class BehaviorProgressOut(Schema):
    key: str
    name: str
    series: dict[str, list[float | None]] = Field(description="self, mentor, peer → per round.")
    combined: list[float | None]
    change: float | None


class NetworkRowOut(Schema):
    key: str
    label: str
    before: int | None
    after: int | None
    change: int | None


class NetworkChangeOut(Schema):
    start: dt.date
    end: dt.date
    rows: list[NetworkRowOut]
    missing: str = Field(
        "",
        description="Why there are no numbers: the mentee is not in analytics, or the "
        "nightly update has not stored them yet. Empty when there are.",
    )


class ProgressOut(Schema):
    rounds: list[RoundOut]
    behaviors: list[BehaviorProgressOut]
    network: NetworkChangeOut | None = Field(
        description="The mentee's network: for the mentee, and for the mentor if shared."
    )


# ---- Dashboard ---------------------------------------------------------------------------------------


class GrowthOut(Schema):
    key: str
    name: str
    first: float | None
    latest: float | None
    change: float | None
    mentees: int


class NetworkGrowthOut(Schema):
    key: str
    label: str
    before: float
    after: float
    change: float


class AtRiskOut(Schema):
    relationship_id: int
    mentee: PersonRef
    mentor: PersonRef
    reasons: list[str]

    @staticmethod
    def resolve_relationship_id(item) -> int:
        return item.relationship.pk

    @staticmethod
    def resolve_mentee(item):
        return item.relationship.mentee

    @staticmethod
    def resolve_mentor(item):
        return item.relationship.mentor


class DashboardOut(Schema):
    program_id: int
    today: dt.date
    participation: dict[str, int]
    cadence: dict[str, float | int | None]
    sessions_by_month: list[tuple[str, int]]
    behavior_growth: list[GrowthOut]
    network_growth: list[NetworkGrowthOut]
    network_hidden_reason: str
    network_note: str = Field(
        "", description="Why network growth covers fewer mentees than have a mentor."
    )
    feedback: dict[str, float | int | None]
    at_risk: list[AtRiskOut]

    @staticmethod
    def resolve_program_id(board) -> int:
        return board.program.pk
