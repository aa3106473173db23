"""Schemas of a mentoring pair's work: the relationship and its agreement, sessions, notes,
feedback, action items, practice conversations and introductions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AwareDatetime

from bridgework.mentoring.models import MAX_CADENCE_DAYS, MeetingFormat, SessionNote
from bridgework.mentoring.schemas._common import (
    INPUT,
    MentoringSessionStatus,
    PersonRef,
    PracticePlanStatus,
    SessionNoteVisibility,
)
from bridgework.web.apitypes import Id

__all__ = [
    "AgreementOut",
    "MentoringRelationshipOut",
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
    "MentorIntroductionOut",
]


# ---- Relationships -------------------------------------------------------------------------------


class AgreementOut(Schema):
    goals: str | None = Field(description="Null for program managers.")
    cadence_days: int
    meeting_format: MeetingFormat
    confidentiality: str | None
    share_network_with_mentor: bool
    mentee_agreed_at: dt.datetime | None
    mentor_agreed_at: dt.datetime | None


class MentoringRelationshipOut(Schema):
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
    model_config = INPUT
    accept: bool


class EndIn(Schema):
    model_config = INPUT
    reason: str = ""


class AgreementPatch(Schema):
    model_config = INPUT
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
    visibility: SessionNoteVisibility
    text: str
    created_at: dt.datetime


class NoteIn(Schema):
    model_config = INPUT
    text: str
    visibility: SessionNoteVisibility = SessionNote.Visibility.PRIVATE


class SessionOut(Schema):
    id: int
    relationship_id: int
    scheduled_at: dt.datetime
    duration_minutes: int | None
    status: MentoringSessionStatus
    agenda: str
    behaviors_practiced: list[str]
    logged_at: dt.datetime | None


class SessionIn(Schema):
    model_config = INPUT
    scheduled_at: AwareDatetime
    duration_minutes: int | None = Field(None, ge=1, le=480)
    agenda: str = ""
    held: bool = False
    behaviors_practiced: list[str] = []


class SessionPatch(Schema):
    model_config = INPUT
    status: MentoringSessionStatus
    behaviors_practiced: list[str] = []
    duration_minutes: int | None = Field(None, ge=1, le=480)
    agenda: str | None = None
    scheduled_at: AwareDatetime | None = None


class FeedbackIn(Schema):
    model_config = INPUT
    rating: int = Field(ge=1, le=5)
    comment: str = ""


class FeedbackOut(Schema):
    id: int
    session_id: int
    rating: int
    comment: str


class FitCheckIn(Schema):
    model_config = INPUT
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
    model_config = INPUT
    title: str
    owner_id: Id | None = Field(None, description="The mentee (default) or the mentor.")
    due_on: dt.date | None = None
    notes: str = ""


class ActionItemPatch(Schema):
    model_config = INPUT
    title: str | None = None
    owner_id: Id | None = None
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
    status: PracticePlanStatus
    reflection: str
    confidence_after: int | None
    reflected_at: dt.datetime | None


class PracticePlanIn(Schema):
    model_config = INPUT
    behavior_key: str
    conversation: str
    planned_for: dt.date | None = None
    preparation: str = ""


class PracticePlanPatch(Schema):
    model_config = INPUT
    conversation: str | None = None
    planned_for: dt.date | None = None
    preparation: str | None = None
    status: PracticePlanStatus | None = None
    reflection: str | None = None
    confidence_after: int | None = Field(None, ge=1, le=5)


class IntroductionIn(Schema):
    model_config = INPUT
    target_id: Id
    message: str


class MentorIntroductionOut(Schema):
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
