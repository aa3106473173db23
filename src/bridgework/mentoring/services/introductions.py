"""Introductions the mentor makes from their own network for the mentee."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.interactions.models import Channel, IntroductionRequest
from bridgework.interactions.services import interaction_log
from bridgework.mentoring.models import MentoringRelationship, RelationshipIntroduction
from bridgework.mentoring.services._common import mail_on_commit, pair_side, require_active
from bridgework.network.selectors import tie_between
from bridgework.people.models import Person
from bridgework.web.links import site_url

__all__ = ["mentor_introduction_make"]


@transaction.atomic
def mentor_introduction_make(
    *, actor: User, relationship: MentoringRelationship, target: Person, message: str
) -> RelationshipIntroduction:
    """The mentor introduces the mentee to someone from the mentor's own network.

    Recorded through the introduction workflow: an
    :class:`~bridgework.interactions.models.IntroductionRequest` with the
    mentee as requester, the mentor as the person introducing and ``target``
    as the person introduced, already accepted (the mentor makes it), and the
    introduction logged as an ``introduction`` interaction with
    :func:`~bridgework.interactions.services.interaction_log` (so it reaches
    the event store and the ties). Its outcome is recorded later on the
    introduction's page, as for any introduction. The mentor needs a stored
    tie with ``target``; the mentee and the target are e-mailed.
    """
    if pair_side(actor, relationship) != "mentor":
        raise NotFoundError("Not found.")
    require_active(relationship)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Say why the two of them should meet."})
    if target is None or target.pk in (relationship.mentee_id, relationship.mentor_id):
        raise ValidationError({"target": "Introduce your mentee to someone else."})
    mentor, mentee = relationship.mentor, relationship.mentee
    consenting = mentor.analytics_consent and target.analytics_consent
    if not consenting or tie_between(mentor.pk, target.pk) is None:
        raise ValidationError(
            {
                "target": f"Bridgework knows no tie between you and {target}: introduce people you know."
            }
        )
    if IntroductionRequest.objects.filter(
        requester=mentee,
        target=target,
        status__in=[IntroductionRequest.Status.ACCEPTED, IntroductionRequest.Status.COMPLETED],
    ).exists():
        raise ValidationError({"target": f"{mentee} has been introduced to {target} already."})
    now = timezone.now()
    interaction = interaction_log(
        actor=actor,
        channel=Channel.INTRODUCTION,
        occurred_at=now,
        participants=[mentor, mentee, target],
    )
    request = IntroductionRequest(
        requester=mentee,
        via=mentor,
        target=target,
        path=[mentee.pk, mentor.pk, target.pk],
        message=message,
        status=IntroductionRequest.Status.ACCEPTED,
        response_note=f"Introduced by {mentor} as {mentee}'s mentor in {relationship.program.name}.",
        responded_at=now,
        interaction=interaction,
    )
    request.full_clean(validate_unique=False, validate_constraints=False)
    request.save()
    link = RelationshipIntroduction.objects.create(relationship=relationship, introduction=request)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="introduction_request",
        object_id=request.pk,
        subject_person_id=target.pk,
        detail={"mentoring_relationship": relationship.pk, "mentor_made": True},
    )
    intro_link = site_url() + reverse("interactions:introduction_detail", args=[request.pk])
    mail_on_commit(
        to=mentee,
        subject=f"{mentor} introduced you to {target}",
        body=(
            f"{mentor}, your mentor, introduced you to {target}:\n\n{message}\n\n"
            f"Record what comes of it: {intro_link}\n"
        ),
    )
    mail_on_commit(
        to=target,
        subject=f"{mentor} would like you to meet {mentee}",
        body=f"{mentor} introduces you to {mentee}:\n\n{message}\n",
    )
    return link
