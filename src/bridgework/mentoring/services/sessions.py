"""Mentoring sessions: schedule or record one, log what happened, notes on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.mentoring.models import MentoringRelationship, MentoringSession, SessionNote
from bridgework.mentoring.services._common import (
    checked_behavior_keys,
    mail_on_commit,
    own_person_id,
    page_link,
    pair_side,
    require_active,
)

__all__ = ["session_create", "session_log", "session_note_add"]


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if value is None:
        raise ValidationError({field: "Give the date and time."})
    if value.tzinfo is None:
        raise ValidationError({field: "Give the time with its time zone."})
    return value


@transaction.atomic
def session_create(
    *,
    actor: User,
    relationship: MentoringRelationship,
    scheduled_at: dt.datetime,
    duration_minutes: int | None = None,
    agenda: str = "",
    held: bool = False,
    behaviors_practiced: Sequence[str] = (),
) -> MentoringSession:
    """Schedule a session (either side), or record one already held (``held``)."""
    pair_side(actor, relationship)
    require_active(relationship)
    scheduled_at = _aware(scheduled_at, "scheduled_at")
    if held and scheduled_at > timezone.now() + dt.timedelta(hours=1):
        raise ValidationError({"scheduled_at": "A session is logged as held after it happened."})
    session = MentoringSession(
        relationship=relationship,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        agenda=(agenda or "").strip(),
        created_by=actor,
    )
    if held:
        session.status = MentoringSession.Status.HELD
        session.behaviors_practiced = checked_behavior_keys(
            relationship, behaviors_practiced, "behaviors_practiced"
        )
        session.logged_at = timezone.now()
        session.logged_by = actor
    session.full_clean(validate_constraints=False)
    session.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_session",
        object_id=session.pk,
        subject_person_id=relationship.mentee_id,
        detail={"status": session.status},
    )
    if not held:
        other = (
            relationship.mentor
            if actor.person_id == relationship.mentee_id
            else relationship.mentee
        )
        when = scheduled_at.astimezone(dt.UTC)
        agenda_text = f"Agenda:\n{session.agenda}\n\n" if session.agenda else ""
        mail_on_commit(
            to=other,
            subject=f"Mentoring session on {when:%d %B %Y, %H:%M} UTC",
            body=(
                f"{relationship.mentee if other == relationship.mentor else relationship.mentor} "
                f"scheduled a mentoring session with you on {when:%A %d %B %Y at %H:%M} UTC.\n\n"
                f"{agenda_text}See it in Bridgework: {page_link('session_detail', session.pk)}\n"
            ),
        )
    return session


@transaction.atomic
def session_log(
    *,
    actor: User,
    session: MentoringSession,
    status: str = MentoringSession.Status.HELD,
    behaviors_practiced: Sequence[str] = (),
    duration_minutes: int | None = None,
    agenda: str | None = None,
    scheduled_at: dt.datetime | None = None,
) -> MentoringSession:
    """Log what happened to a session: held (with the behaviors practised), missed
    or cancelled; or move a scheduled one (``status="scheduled"`` with a new time)."""
    relationship = session.relationship
    pair_side(actor, relationship)
    if status not in MentoringSession.Status.values:
        raise ValidationError(
            {"status": f"Choose one of {', '.join(MentoringSession.Status.values)}."}
        )
    if scheduled_at is not None:
        session.scheduled_at = _aware(scheduled_at, "scheduled_at")
    if (
        status == MentoringSession.Status.HELD
        and session.scheduled_at > timezone.now() + dt.timedelta(hours=1)
    ):
        raise ValidationError({"status": "A session is logged as held after it happened."})
    session.status = status
    if agenda is not None:
        session.agenda = agenda.strip()
    if duration_minutes is not None:
        session.duration_minutes = duration_minutes
    if status == MentoringSession.Status.HELD:
        session.behaviors_practiced = checked_behavior_keys(
            relationship, behaviors_practiced, "behaviors_practiced"
        )
    if status == MentoringSession.Status.SCHEDULED:
        session.logged_at = None
        session.logged_by = None
    else:
        session.logged_at = timezone.now()
        session.logged_by = actor
    session.full_clean(validate_constraints=False)
    session.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_session",
        object_id=session.pk,
        subject_person_id=relationship.mentee_id,
        detail={"status": status},
    )
    return session


@transaction.atomic
def session_note_add(
    *,
    actor: User,
    session: MentoringSession,
    text: str,
    visibility: str = SessionNote.Visibility.PRIVATE,
) -> SessionNote:
    """A note on a session by either side: private (only its author reads it) or
    shared with the other side. Program managers never read notes."""
    person_id = own_person_id(actor)
    pair_side(actor, session.relationship)
    if visibility not in SessionNote.Visibility.values:
        raise ValidationError({"visibility": "Choose private or shared."})
    note = SessionNote(
        session=session, author_id=person_id, visibility=visibility, text=(text or "").strip()
    )
    note.full_clean(validate_constraints=False)
    note.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_note",
        object_id=note.pk,
        subject_person_id=session.relationship.mentee_id,
        detail={"visibility": visibility},
    )
    return note
