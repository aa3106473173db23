"""What the mentoring schemas share: the names of the models' choices, a person reference."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict
from typing_extensions import TypeAliasType

from bridgework.mentoring.models import (
    Assessment,
    Enrollment,
    MatchOverride,
    MentoringSession,
    PracticePlan,
    Program,
    SessionNote,
)

__all__ = [
    "AssessmentKind",
    "AssessmentRound",
    "AssessmentStatus",
    "EnrollmentRole",
    "EnrollmentStatus",
    "MatchOverrideKind",
    "MentoringSessionStatus",
    "PersonRef",
    "PracticePlanStatus",
    "ProgramKind",
    "ProgramMatchingMode",
    "ProgramStatus",
    "SessionNoteVisibility",
]

INPUT = ConfigDict(extra="forbid")

# Named after their model in the OpenAPI schema (a bare "Status" or "Kind" collides).
AssessmentKind = TypeAliasType("AssessmentKind", Assessment.Kind)
AssessmentRound = TypeAliasType("AssessmentRound", Assessment.Round)
AssessmentStatus = TypeAliasType("AssessmentStatus", Assessment.Status)
EnrollmentRole = TypeAliasType("EnrollmentRole", Enrollment.Role)
EnrollmentStatus = TypeAliasType("EnrollmentStatus", Enrollment.Status)
MatchOverrideKind = TypeAliasType("MatchOverrideKind", MatchOverride.Kind)
MentoringSessionStatus = TypeAliasType("MentoringSessionStatus", MentoringSession.Status)
PracticePlanStatus = TypeAliasType("PracticePlanStatus", PracticePlan.Status)
ProgramKind = TypeAliasType("ProgramKind", Program.Kind)
ProgramMatchingMode = TypeAliasType("ProgramMatchingMode", Program.MatchingMode)
ProgramStatus = TypeAliasType("ProgramStatus", Program.Status)
SessionNoteVisibility = TypeAliasType("SessionNoteVisibility", SessionNote.Visibility)


class PersonRef(Schema):
    id: int
    full_name: str
    title: str
