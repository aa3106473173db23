"""The mentoring relationship's life: a mentee asks a mentor (self-matching), the
mentor answers, either side or a program manager ends it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from bridgework.accounts import policies
from bridgework.accounts.guards import require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.matching import ranked_suggestions
from bridgework.mentoring.models import Enrollment, MentoringRelationship, Program
from bridgework.mentoring.profiles import matching_pool
from bridgework.mentoring.services._common import (
    LIVE,
    mail_on_commit,
    own_person_id,
    page_link,
    pair_side,
    relationship_close,
    relationship_row_create,
    today_utc,
)
from bridgework.people.models import Person

__all__ = ["relationship_request", "relationship_respond", "relationship_end"]


def _own_mentee_enrollment(actor: User, program: Program) -> Enrollment:
    person_id = own_person_id(actor)
    enrollment = Enrollment.objects.filter(
        program=program,
        person_id=person_id,
        role=Enrollment.Role.MENTEE,
        status=Enrollment.Status.ACTIVE,
    ).first()
    if enrollment is None:
        raise ValidationError({"program": "Join the program as a mentee first."})
    return enrollment


@transaction.atomic
def relationship_request(
    *, actor: User, program: Program, mentor: Person, message: str = ""
) -> MentoringRelationship:
    """A mentee asks a mentor from their ranked suggestions (self-matching mode).

    The mentor must pass every hard constraint and have a place left; the
    request holds that place until the mentor answers. The mentor is e-mailed.
    """
    if program.matching_mode != Program.MatchingMode.SELF:
        raise ValidationError(
            {"program": "In this program the program manager matches mentors and mentees."}
        )
    if program.status != Program.Status.ACTIVE:
        raise ValidationError({"program": "This program is not running."})
    mentee = _own_mentee_enrollment(actor, program)
    if MentoringRelationship.objects.filter(
        program=program, mentee_id=mentee.person_id, status__in=LIVE
    ).exists():
        raise ValidationError(
            {"mentor": "You already have a mentor (or a request) in this program."}
        )
    pool = matching_pool(program, mentee_person_ids=[mentee.person_id])
    suggestions = (
        ranked_suggestions(
            pool.mentees[0],
            pool.mentors,
            weights=program.matching_weights(),
            constraints=program.matching_constraints(),
            remaining_capacity=pool.places_left,
            limit=None,
            names=pool.names,
            behavior_labels=pool.labels,
        )
        if pool.mentees
        else []
    )
    chosen = next((s for s in suggestions if s.mentor_id == mentor.pk), None)
    if chosen is None:
        raise ValidationError(
            {
                "mentor": f"{mentor} is not among your suggestions: a matching rule rules the "
                "pair out, or they have no place left."
            }
        )
    relationship = relationship_row_create(
        program=program,
        mentee=mentee,
        mentor=pool.mentor_enrollments[mentor.pk],
        status=MentoringRelationship.Status.REQUESTED,
        origin=MentoringRelationship.Origin.SELF,
        score=chosen.score.total,
        components={
            "behavior": chosen.score.behavior,
            "network": chosen.score.network,
            "skills": chosen.score.skills,
            "preferences": chosen.score.preferences,
        },
        explanation=chosen.explanation,
        message=(message or "").strip(),
        today=today_utc(),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_relationship",
        object_id=relationship.pk,
        subject_person_id=mentor.pk,
        detail={"status": "requested", "program": program.pk},
    )
    note = (
        f"\n\nTheir message:\n\n{relationship.request_message}"
        if relationship.request_message
        else ""
    )
    mail_on_commit(
        to=mentor,
        subject=f"{mentee.person} asks you to be their mentor in {program.name}",
        body=(
            f"{mentee.person} would like you as their mentor in {program.name}.\n\n"
            f"Why Bridgework suggested you: {chosen.explanation}{note}\n\n"
            f"Accept or decline: {page_link('relationship_detail', relationship.pk)}\n"
        ),
    )
    return relationship


@transaction.atomic
def relationship_respond(
    *, actor: User, relationship: MentoringRelationship, accept: bool
) -> MentoringRelationship:
    """The mentor accepts (the relationship starts) or declines a mentee's request."""
    if pair_side(actor, relationship) != "mentor":
        raise NotFoundError("Not found.")
    relationship = MentoringRelationship.objects.select_for_update().get(pk=relationship.pk)
    if relationship.status != MentoringRelationship.Status.REQUESTED:
        raise ValidationError({"status": "This request has been answered already."})
    today = today_utc()
    if accept:
        relationship.status = MentoringRelationship.Status.ACTIVE
        relationship.started_on = today
    else:
        relationship.status = MentoringRelationship.Status.DECLINED
        relationship.ended_on = today
    relationship.save(update_fields=["status", "started_on", "ended_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_relationship",
        object_id=relationship.pk,
        subject_person_id=relationship.mentee_id,
        detail={"status": relationship.status},
    )
    answer = "accepted" if accept else "declined"
    mail_on_commit(
        to=relationship.mentee,
        subject=f"{relationship.mentor} {answer} your mentoring request",
        body=(
            f"{relationship.mentor} {answer} your request in {relationship.program.name}.\n\n"
            + (
                f"Plan your first session: {page_link('relationship_detail', relationship.pk)}\n"
                if accept
                else f"Choose another mentor: {page_link('suggestions', relationship.program_id)}\n"
            )
        ),
    )
    return relationship


@transaction.atomic
def relationship_end(
    *, actor: User, relationship: MentoringRelationship, reason: str = ""
) -> MentoringRelationship:
    """End a live relationship (either side, or a program manager, e.g. for a
    re-match: the mentee is back in the pool and the earlier mentor is not
    proposed again unless the program allows repeat pairing)."""
    require_login(actor)
    if relationship.side_of(actor.person_id) is None and not policies.can_manage_mentoring(actor):
        raise NotFoundError("Not found.")
    if not relationship.is_live:
        raise ValidationError({"status": "This relationship has ended already."})
    reason = (reason or "").strip() or "Ended."
    relationship_close(relationship, reason=reason, today=today_utc())
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_relationship",
        object_id=relationship.pk,
        subject_person_id=relationship.mentee_id,
        detail={"status": relationship.status, "reason": reason},
    )
    return relationship
