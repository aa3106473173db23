"""Mentoring relationships and what belongs to the pair: the viewer's relationships,
one relationship (for the pair, or as progress for a program manager), its
sessions, notes, action items and practice plans."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.mentoring.models import (
    ActionItem,
    MentoringRelationship,
    MentoringSession,
    PracticePlan,
    Program,
    SessionNote,
)
from bridgework.mentoring.selectors._common import get_or_not_found

__all__ = [
    "relationship_list",
    "access_relationship",
    "access_session",
    "visible_notes",
    "access_action_item",
    "access_practice_plan",
    "relationships_for_program",
    "sessions_of",
]


def _relationships() -> QuerySet[MentoringRelationship]:
    return MentoringRelationship.objects.select_related(
        "program__framework_version",
        "mentee__team",
        "mentor__team",
        "mentee_enrollment",
        "agreement",
    )


def relationship_list(
    *, viewer: User, program: Program | None = None, side: str | None = None
) -> list[MentoringRelationship]:
    """The viewer's own relationships (``side``: ``mentee`` or ``mentor`` only);
    with ``program``, a program manager gets every relationship of the program."""
    require_login(viewer)
    relationships = _relationships()
    if program is not None and policies.can_manage_mentoring(viewer):
        return list(relationships.filter(program=program))
    if viewer.person_id is None:
        return []
    mine = Q()
    if side in (None, "mentee"):
        mine |= Q(mentee_id=viewer.person_id)
    if side in (None, "mentor"):
        mine |= Q(mentor_id=viewer.person_id)
    relationships = relationships.filter(mine)
    if program is not None:
        relationships = relationships.filter(program=program)
    return list(relationships.order_by("-status", "-started_on", "-id"))


def access_relationship(*, viewer: User, relationship_id: int) -> MentoringRelationship:
    """A relationship for its mentee or mentor, or (progress only, audited) for a
    program manager; ``viewer_side`` says which: ``mentee``, ``mentor`` or ``manager``."""
    require_login(viewer)
    relationship = get_or_not_found(_relationships(), relationship_id)
    side = relationship.side_of(viewer.person_id)
    if side is None:
        if not policies.can_see_mentoring_pair(
            viewer, mentee_id=relationship.mentee_id, mentor_id=relationship.mentor_id
        ):
            raise NotFoundError("Not found.")
        side = "manager"
        audit_record(
            actor=viewer,
            action=AuditEntry.Action.VIEW,
            object_type="mentoring_progress",
            object_id=relationship.pk,
            subject_person_id=relationship.mentee_id,
        )
    relationship.viewer_side = side
    return relationship


def _pair_only(viewer: User, relationship: MentoringRelationship) -> str:
    side = relationship.side_of(viewer.person_id)
    if side is None:
        raise NotFoundError("Not found.")
    return side


def access_session(*, viewer: User, session_id: int) -> MentoringSession:
    """A session, for the pair only (program managers see sessions as progress)."""
    require_login(viewer)
    session = get_or_not_found(
        MentoringSession.objects.select_related(
            "relationship__program__framework_version",
            "relationship__mentee",
            "relationship__mentor",
        ),
        session_id,
    )
    _pair_only(viewer, session.relationship)
    return session


def visible_notes(*, viewer: User, session: MentoringSession) -> list[SessionNote]:
    """The session's notes the viewer may read: their own, and the other side's shared ones."""
    relationship = session.relationship
    return [
        note
        for note in session.notes.select_related("author")
        if policies.can_read_mentoring_note(
            viewer,
            author_id=note.author_id,
            shared=note.visibility == SessionNote.Visibility.SHARED,
            mentee_id=relationship.mentee_id,
            mentor_id=relationship.mentor_id,
        )
    ]


def access_action_item(*, viewer: User, item_id: int) -> ActionItem:
    require_login(viewer)
    item = get_or_not_found(ActionItem.objects.select_related("relationship", "owner"), item_id)
    _pair_only(viewer, item.relationship)
    return item


def access_practice_plan(*, viewer: User, plan_id: int) -> PracticePlan:
    require_login(viewer)
    plan = get_or_not_found(
        PracticePlan.objects.select_related(
            "relationship__program__framework_version", "relationship__mentee", "counterpart"
        ),
        plan_id,
    )
    _pair_only(viewer, plan.relationship)
    return plan


def relationships_for_program(*, viewer: User, program: Program) -> list[MentoringRelationship]:
    """Every relationship of a program (program managers)."""
    require(policies.can_manage_mentoring(viewer))
    return list(_relationships().filter(program=program))


def sessions_of(*, viewer: User, relationship: MentoringRelationship) -> list[MentoringSession]:
    """The relationship's sessions (pair only)."""
    _pair_only(viewer, relationship)
    return list(relationship.sessions.order_by("-scheduled_at", "-id"))
