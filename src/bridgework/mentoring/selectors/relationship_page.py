"""The relationship page: everything it shows the viewer, filtered by their side
(the pair, or a program manager who sees progress only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import User
from bridgework.core.errors import NotFoundError
from bridgework.mentoring.models import (
    FIT_CHECK_AFTER_SESSIONS,
    ActionItem,
    Agreement,
    Assessment,
    FitCheck,
    MentoringRelationship,
    MentoringSession,
    PracticePlan,
    RelationshipIntroduction,
    SessionFeedback,
    SessionNote,
)
from bridgework.mentoring.selectors._common import pair_risk_reasons
from bridgework.mentoring.selectors.network import NetworkChange, network_change
from bridgework.mentoring.selectors.progress import ProgressData, behavior_progress

__all__ = ["RelationshipPage", "SessionRow", "fit_check_due", "relationship_page"]


def fit_check_due(relationship: MentoringRelationship, held_sessions: int) -> bool:
    """The fit check is open once the pair has held its first sessions."""
    return relationship.is_active and held_sessions >= FIT_CHECK_AFTER_SESSIONS


@dataclass
class SessionRow:
    """A session on the relationship page, with what the viewer may read of it."""

    session: MentoringSession
    #: The names of the behaviors practised (their keys when the framework lost one).
    behavior_names: list[str]
    #: The viewer's own notes and the other side's shared ones (none for a program manager).
    visible_notes: list[SessionNote]
    #: The feedback the viewer may read (their own; all of it for a program manager).
    visible_feedback: list[SessionFeedback]


@dataclass
class RelationshipPage:
    """Everything the relationship page shows the viewer, already filtered by their side."""

    relationship: MentoringRelationship
    side: str
    agreement: Agreement | None
    sessions: list[SessionRow]
    action_items: list[ActionItem]
    practice_plans: list[PracticePlan]
    introductions: list[RelationshipIntroduction]
    assessments: list[Assessment]
    progress: ProgressData
    network: NetworkChange | None
    fit_checks: list[FitCheck]
    my_fit_check: FitCheck | None
    held_sessions: int
    overdue_items: int
    open_items: int
    at_risk: list[str]
    today: dt.date

    @property
    def is_pair(self) -> bool:
        return self.side in ("mentee", "mentor")

    @property
    def fit_check_open(self) -> bool:
        return self.is_pair and fit_check_due(self.relationship, self.held_sessions)

    @property
    def fit_after(self) -> int:
        return FIT_CHECK_AFTER_SESSIONS

    @property
    def network_shared(self) -> bool:
        return bool(self.agreement and self.agreement.share_network_with_mentor)


def relationship_page(
    *, viewer: User, relationship: MentoringRelationship, today: dt.date | None = None
) -> RelationshipPage:
    """The relationship page's data for the viewer's side (from :func:`access_relationship`).

    The pair sees sessions with the notes each may read, action items,
    practice plans, introductions, assessments (with the assessors' notes),
    progress and their own feedback. A program manager sees sessions without
    agendas or notes, counts of action items and plans, ratings, and the fit
    checks; not the mentee's network (only program-wide averages).
    """
    today = today or timezone.now().date()
    side = relationship.viewer_side or relationship.side_of(viewer.person_id)
    if side is None:
        raise NotFoundError("Not found.")
    pair = side in ("mentee", "mentor")
    notes = Prefetch(
        "notes", queryset=SessionNote.objects.select_related("author").order_by("created_at", "id")
    )
    feedback = Prefetch("feedback", queryset=SessionFeedback.objects.order_by("id"))
    sessions = list(
        relationship.sessions.prefetch_related(notes, feedback).order_by("-scheduled_at", "-id")
    )
    labels = relationship.program.framework_version.labels
    rows = [
        SessionRow(
            session=session,
            behavior_names=[labels.get(k, k) for k in session.behaviors_practiced],
            visible_notes=[
                n
                for n in session.notes.all()
                if policies.can_read_mentoring_note(
                    viewer,
                    author_id=n.author_id,
                    shared=n.visibility == SessionNote.Visibility.SHARED,
                    mentee_id=relationship.mentee_id,
                    mentor_id=relationship.mentor_id,
                )
            ]
            if pair
            else [],
            visible_feedback=[
                f
                for f in session.feedback.all()
                if policies.can_read_mentoring_feedback(viewer, author_id=f.author_id)
            ],
        )
        for session in sessions
    ]
    held = sum(1 for s in sessions if s.is_held)
    items = list(relationship.action_items.select_related("owner"))
    overdue = sum(1 for i in items if i.is_overdue(today))
    fit_checks = [
        f
        for f in relationship.fit_checks.select_related("author")
        if policies.can_read_mentoring_feedback(viewer, author_id=f.author_id)
    ]
    assessments = list(
        relationship.mentee_enrollment.assessments.select_related(
            "assessor", "framework_version"
        ).order_by("created_at", "id")
    )
    agreement = getattr(relationship, "agreement", None)
    return RelationshipPage(
        relationship=relationship,
        side=side,
        agreement=agreement,
        sessions=rows,
        action_items=items if pair else [],
        practice_plans=list(relationship.practice_plans.select_related("counterpart"))
        if pair
        else [],
        introductions=list(
            relationship.introductions.select_related(
                "introduction__target", "introduction__target__organization"
            )
        )
        if pair
        else [],
        assessments=assessments,
        progress=behavior_progress(enrollment=relationship.mentee_enrollment),
        network=network_change(viewer=viewer, relationship=relationship, today=today)
        if pair
        else None,
        fit_checks=fit_checks,
        my_fit_check=next((f for f in fit_checks if f.author_id == viewer.person_id), None),
        held_sessions=held,
        overdue_items=overdue,
        open_items=sum(1 for i in items if not i.is_done),
        at_risk=pair_risk_reasons(
            relationship,
            last_held=max((s.scheduled_at for s in sessions if s.is_held), default=None),
            overdue=overdue,
            fit_checks=list(relationship.fit_checks.all()),
            ratings=[f.rating for s in sessions for f in s.feedback.all()],
            today=today,
        ),
        today=today,
    )
