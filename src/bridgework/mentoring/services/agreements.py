"""The pair's agreement: goals, cadence, format, confidentiality, and whether the
mentee shares their network with the mentor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.mentoring.models import (
    MAX_CADENCE_DAYS,
    Agreement,
    MeetingFormat,
    MentoringRelationship,
)
from bridgework.mentoring.services._common import pair_side

__all__ = ["agreement_update", "agreement_confirm", "agreement_set_network_sharing"]


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    relationship: MentoringRelationship,
    goals: str | None = None,
    cadence_days: int | None = None,
    meeting_format: str | None = None,
    confidentiality: str | None = None,
) -> Agreement:
    """Either side changes the agreement; a change asks both sides to agree again."""
    side = pair_side(actor, relationship)
    if not relationship.is_live:
        raise ValidationError({"status": "This relationship has ended."})
    agreement = relationship.agreement
    changed = []
    if goals is not None and goals.strip() != agreement.goals:
        agreement.goals = goals.strip()
        changed.append("goals")
    if cadence_days is not None and cadence_days != agreement.cadence_days:
        if not 1 <= int(cadence_days) <= MAX_CADENCE_DAYS:
            raise ValidationError(
                {
                    "cadence_days": f"Meet at least every {MAX_CADENCE_DAYS} days (1-{MAX_CADENCE_DAYS})."
                }
            )
        agreement.cadence_days = int(cadence_days)
        changed.append("cadence_days")
    if meeting_format is not None and meeting_format != agreement.meeting_format:
        if meeting_format not in MeetingFormat.values:
            raise ValidationError(
                {"meeting_format": f"Choose one of {', '.join(MeetingFormat.values)}."}
            )
        agreement.meeting_format = meeting_format
        changed.append("meeting_format")
    if confidentiality is not None and confidentiality.strip() != agreement.confidentiality:
        if not confidentiality.strip():
            raise ValidationError({"confidentiality": "Say what stays between you."})
        agreement.confidentiality = confidentiality.strip()
        changed.append("confidentiality")
    if changed:
        now = timezone.now()
        agreement.mentee_agreed_at = now if side == "mentee" else None
        agreement.mentor_agreed_at = now if side == "mentor" else None
        agreement.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="mentoring_agreement",
            object_id=agreement.pk,
            subject_person_id=relationship.mentee_id,
            detail={"fields": changed},
        )
    return agreement


@transaction.atomic
def agreement_confirm(*, actor: User, relationship: MentoringRelationship) -> Agreement:
    """The actor's side agrees to the agreement as it stands."""
    side = pair_side(actor, relationship)
    agreement = relationship.agreement
    setattr(agreement, f"{side}_agreed_at", timezone.now())
    agreement.save(update_fields=[f"{side}_agreed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_agreement",
        object_id=agreement.pk,
        subject_person_id=relationship.mentee_id,
        detail={"agreed": side},
    )
    return agreement


@transaction.atomic
def agreement_set_network_sharing(
    *, actor: User, relationship: MentoringRelationship, share: bool
) -> Agreement:
    """The mentee lets their mentor see their individual network metrics, or stops.
    Only the mentee decides."""
    if pair_side(actor, relationship) != "mentee":
        raise ValidationError(
            {"share_network_with_mentor": "Only the mentee decides whether to share their network."}
        )
    agreement = relationship.agreement
    agreement.share_network_with_mentor = bool(share)
    agreement.save(update_fields=["share_network_with_mentor", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_agreement",
        object_id=agreement.pk,
        subject_person_id=relationship.mentee_id,
        detail={"share_network_with_mentor": bool(share)},
    )
    return agreement
