"""Practice plans: a real conversation that practises one behavior, prepared and
reflected on."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.mentoring.models import MentoringRelationship, PracticePlan
from bridgework.mentoring.services._common import (
    UNSET,
    Unset,
    checked_behavior_keys,
    pair_side,
    rating_level,
    require_active,
)
from bridgework.people.models import Person

__all__ = ["practice_plan_create", "practice_plan_update"]


@transaction.atomic
def practice_plan_create(
    *,
    actor: User,
    relationship: MentoringRelationship,
    behavior_key: str,
    conversation: str,
    planned_for: dt.date | None = None,
    preparation: str = "",
    counterpart: Person | None = None,
) -> PracticePlan:
    """Plan a real conversation that practises one behavior, and prepare it."""
    pair_side(actor, relationship)
    require_active(relationship)
    if not behavior_key:
        raise ValidationError({"behavior_key": "Choose the behavior to practise."})
    checked_behavior_keys(relationship, [behavior_key], "behavior_key")
    plan = PracticePlan(
        relationship=relationship,
        behavior_key=behavior_key,
        conversation=(conversation or "").strip(),
        planned_for=planned_for,
        preparation=(preparation or "").strip(),
        counterpart=counterpart,
        created_by=actor,
    )
    if not plan.conversation:
        raise ValidationError(
            {"conversation": "Say which conversation you will hold, and with whom."}
        )
    plan.full_clean(validate_constraints=False)
    plan.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_practice_plan",
        object_id=plan.pk,
        subject_person_id=relationship.mentee_id,
    )
    return plan


@transaction.atomic
def practice_plan_update(
    *,
    actor: User,
    plan: PracticePlan,
    conversation: str | None = None,
    planned_for: dt.date | None | Unset = UNSET,
    preparation: str | None = None,
    status: str | None = None,
    reflection: str | None = None,
    confidence_after: int | None = None,
) -> PracticePlan:
    """Prepare, mark held, reflect on (which sets the status to reflected) or drop a plan."""
    relationship = plan.relationship
    pair_side(actor, relationship)
    if conversation is not None:
        if not conversation.strip():
            raise ValidationError({"conversation": "Say which conversation you will hold."})
        plan.conversation = conversation.strip()
    if planned_for is not UNSET:
        plan.planned_for = planned_for
    if preparation is not None:
        plan.preparation = preparation.strip()
    if status is not None:
        if status not in PracticePlan.Status.values:
            raise ValidationError(
                {"status": f"Choose one of {', '.join(PracticePlan.Status.values)}."}
            )
        plan.status = status
    if reflection is not None:
        plan.reflection = reflection.strip()
        if plan.reflection and status is None:
            plan.status = PracticePlan.Status.REFLECTED
    if confidence_after is not None:
        plan.confidence_after = rating_level(confidence_after, "confidence_after")
    if plan.status == PracticePlan.Status.REFLECTED:
        if not plan.reflection:
            raise ValidationError({"reflection": "Write how the conversation went."})
        plan.reflected_at = plan.reflected_at or timezone.now()
    plan.full_clean(validate_constraints=False)
    plan.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_practice_plan",
        object_id=plan.pk,
        subject_person_id=relationship.mentee_id,
        detail={"status": plan.status},
    )
    return plan
