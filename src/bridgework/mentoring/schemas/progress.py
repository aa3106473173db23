"""Schemas of assessments, a pair's progress and a program's dashboard."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from bridgework.mentoring.schemas._common import (
    INPUT,
    AssessmentKind,
    AssessmentRound,
    AssessmentStatus,
    PersonRef,
)
from bridgework.web.apitypes import Id

__all__ = [
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


# ---- Assessments and progress ---------------------------------------------------------------------------


class RatingOut(Schema):
    behavior_key: str
    level: int
    note: str | None


class AssessmentOut(Schema):
    id: int
    subject: PersonRef
    assessor: PersonRef
    kind: AssessmentKind
    round: AssessmentRound
    status: AssessmentStatus
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
    model_config = INPUT
    kind: AssessmentKind
    round: AssessmentRound
    assessor_id: Id | None = Field(None, description="The peer, for kind peer.")
    due_on: dt.date | None = None


class AssessmentSubmitIn(Schema):
    model_config = INPUT
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
