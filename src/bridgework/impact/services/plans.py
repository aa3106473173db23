"""The relationship plan of an objective: adding someone (proposed or by hand),
changing their target strength, cadence and next step, taking them out."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.impact.models import MAX_CADENCE_DAYS, Objective, Stakeholder
from bridgework.impact.services._common import clean_text, require_owner
from bridgework.people.models import Person

__all__ = ["stakeholder_add", "stakeholder_update", "stakeholder_remove"]

_STEP = 300


def _plan_fields(*, target_strength, cadence_days, next_step, reason) -> dict:
    if target_strength in ("", None):
        target = None
    else:
        try:
            target = float(target_strength)
        except (TypeError, ValueError):
            raise ValidationError({"target_strength": "Give a number from 0 to 1."}) from None
        if not math.isfinite(target) or not 0 < target <= 1:
            raise ValidationError(
                {"target_strength": "A target tie strength lies above 0 and at most 1."}
            )
    if cadence_days in ("", None):
        cadence = None
    else:
        try:
            cadence = int(cadence_days)
        except (TypeError, ValueError):
            raise ValidationError({"cadence_days": "Give a number of days."}) from None
        if not 1 <= cadence <= MAX_CADENCE_DAYS:
            raise ValidationError(
                {"cadence_days": f"Choose a cadence from 1 to {MAX_CADENCE_DAYS} days."}
            )
    return {
        "target_strength": target,
        "cadence_days": cadence,
        "next_step": clean_text(next_step, field="next_step", limit=_STEP),
        "reason": clean_text(reason, field="reason", limit=_STEP),
    }


@transaction.atomic
def stakeholder_add(
    *,
    actor: User,
    objective: Objective,
    person: Person,
    origin: str = Stakeholder.Origin.ADDED,
    reason: str = "",
    target_strength: float | None = None,
    cadence_days: int | None = None,
    next_step: str = "",
) -> Stakeholder:
    """Put someone in the objective's plan: accept Bridgework's proposal
    (``origin="proposed"``, with its reason) or add them by hand.

    Someone removed earlier comes back with the new values.
    """
    require_owner(actor, objective.owner_id)
    if person is None or person.pk is None:
        raise ValidationError({"person": "Choose someone to add."})
    if person.pk == objective.owner_id:
        raise ValidationError({"person": "You cannot be a stakeholder in your own plan."})
    if origin not in Stakeholder.Origin.values:
        raise ValidationError({"origin": "A stakeholder is proposed or added by hand."})
    fields = _plan_fields(
        target_strength=target_strength,
        cadence_days=cadence_days,
        next_step=next_step,
        reason=reason,
    )
    stakeholder = Stakeholder.objects.filter(objective=objective, person=person).first()
    if stakeholder is None:
        stakeholder = Stakeholder(objective=objective, person=person, origin=origin)
    stakeholder.status = Stakeholder.Status.ACCEPTED
    for name, value in fields.items():
        setattr(stakeholder, name, value)
    stakeholder.full_clean(validate_constraints=False, validate_unique=False)
    stakeholder.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="stakeholder",
        object_id=stakeholder.pk,
        subject_person_id=person.pk,
        detail={"objective": objective.pk, "origin": stakeholder.origin},
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *,
    actor: User,
    stakeholder: Stakeholder,
    target_strength: float | None = None,
    cadence_days: int | None = None,
    next_step: str = "",
    reason: str | None = None,
) -> Stakeholder:
    """Change a stakeholder's target strength, cadence and next step (``reason``:
    kept when None)."""
    require_owner(actor, stakeholder.objective.owner_id)
    fields = _plan_fields(
        target_strength=target_strength,
        cadence_days=cadence_days,
        next_step=next_step,
        reason=stakeholder.reason if reason is None else reason,
    )
    for name, value in fields.items():
        setattr(stakeholder, name, value)
    stakeholder.full_clean(validate_constraints=False, validate_unique=False)
    stakeholder.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="stakeholder",
        object_id=stakeholder.pk,
        subject_person_id=stakeholder.person_id,
        detail=fields,
    )
    return stakeholder


@transaction.atomic
def stakeholder_remove(*, actor: User, stakeholder: Stakeholder) -> Stakeholder:
    """Take someone out of the plan. The row stays, marked removed, so Bridgework
    does not propose them again; adding them later brings them back."""
    require_owner(actor, stakeholder.objective.owner_id)
    stakeholder.status = Stakeholder.Status.DISMISSED
    stakeholder.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="stakeholder",
        object_id=stakeholder.pk,
        subject_person_id=stakeholder.person_id,
        detail={"status": stakeholder.status},
    )
    return stakeholder
