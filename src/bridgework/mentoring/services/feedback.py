"""Feedback from the pair: a rating of each held session, and the fit check after
the first sessions (which can ask for a re-match)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.mentoring.models import (
    FIT_CHECK_AFTER_SESSIONS,
    FitCheck,
    MentoringRelationship,
    MentoringSession,
    SessionFeedback,
)
from bridgework.mentoring.services._common import (
    mail_on_commit,
    own_person_id,
    page_link,
    pair_side,
    rating_level,
    require_active,
)

__all__ = ["session_feedback_submit", "fit_check_submit"]


@transaction.atomic
def session_feedback_submit(
    *, actor: User, session: MentoringSession, rating: int, comment: str = ""
) -> SessionFeedback:
    """Short feedback on a held session (either side; again replaces it). Seen by
    its author and the program manager, not by the other side."""
    person_id = own_person_id(actor)
    pair_side(actor, session.relationship)
    if session.status != MentoringSession.Status.HELD:
        raise ValidationError({"rating": "Give feedback on a session once it has been held."})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": "Keep the comment under 500 characters."})
    feedback, _ = SessionFeedback.objects.update_or_create(
        session=session,
        author_id=person_id,
        defaults={"rating": rating_level(rating, "rating"), "comment": comment},
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_feedback",
        object_id=feedback.pk,
        subject_person_id=session.relationship.mentee_id,
        detail={"rating": feedback.rating},
    )
    return feedback


@transaction.atomic
def fit_check_submit(
    *,
    actor: User,
    relationship: MentoringRelationship,
    fit: int,
    wants_rematch: bool = False,
    comment: str = "",
) -> FitCheck:
    """After the first sessions, say how well the pairing fits (either side; again
    replaces the answer). A low fit or a re-match request flags the pair for the
    program manager, who is e-mailed about a re-match request."""
    person_id = own_person_id(actor)
    pair_side(actor, relationship)
    require_active(relationship)
    held = relationship.sessions.filter(status=MentoringSession.Status.HELD).count()
    if held < FIT_CHECK_AFTER_SESSIONS:
        raise ValidationError(
            {
                "fit": f"The fit check opens after {FIT_CHECK_AFTER_SESSIONS} held sessions ({held} so far)."
            }
        )
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": "Keep the comment under 500 characters."})
    check, _ = FitCheck.objects.update_or_create(
        relationship=relationship,
        author_id=person_id,
        defaults={
            "fit": rating_level(fit, "fit"),
            "wants_rematch": bool(wants_rematch),
            "comment": comment,
        },
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_fit_check",
        object_id=check.pk,
        subject_person_id=relationship.mentee_id,
        detail={"fit": check.fit, "wants_rematch": check.wants_rematch},
    )
    if check.wants_rematch:
        manager = relationship.program.created_by
        if manager is not None and manager.person_id is not None:
            mail_on_commit(
                to=manager.person,
                subject=f"{relationship.program.name}: a re-match is requested",
                body=(
                    f"One side of the pair {relationship.mentee} / {relationship.mentor} asks for "
                    f"a re-match (fit {check.fit}/5).\n\nSee the program dashboard: "
                    f"{page_link('program_dashboard', relationship.program_id)}\n"
                ),
            )
    return check
