"""Action items of a pair: create, change, mark done."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.mentoring.models import ActionItem, MentoringRelationship, MentoringSession
from bridgework.mentoring.services._common import UNSET, Unset, pair_side, require_active
from bridgework.people.models import Person

__all__ = ["action_item_create", "action_item_update", "action_item_set_done"]


def _pair_person(
    relationship: MentoringRelationship, person: Person | int | None, field: str
) -> int:
    person_id = getattr(person, "pk", person)
    if person_id is None:
        return relationship.mentee_id
    if person_id not in (relationship.mentee_id, relationship.mentor_id):
        raise ValidationError({field: "Give it to the mentee or the mentor."})
    return person_id


@transaction.atomic
def action_item_create(
    *,
    actor: User,
    relationship: MentoringRelationship,
    title: str,
    owner: Person | int | None = None,
    due_on: dt.date | None = None,
    notes: str = "",
    session: MentoringSession | None = None,
) -> ActionItem:
    """An action item for the mentee (default) or the mentor, with a due date."""
    pair_side(actor, relationship)
    require_active(relationship)
    if session is not None and session.relationship_id != relationship.pk:
        raise ValidationError({"session": "That session belongs to another relationship."})
    item = ActionItem(
        relationship=relationship,
        title=(title or "").strip(),
        notes=(notes or "").strip(),
        owner_id=_pair_person(relationship, owner, "owner"),
        due_on=due_on,
        session=session,
        created_by=actor,
    )
    item.full_clean(validate_constraints=False)
    item.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_action_item",
        object_id=item.pk,
        subject_person_id=relationship.mentee_id,
    )
    return item


@transaction.atomic
def action_item_update(
    *,
    actor: User,
    item: ActionItem,
    title: str | None = None,
    notes: str | None = None,
    owner: Person | int | None = None,
    due_on: dt.date | None | Unset = UNSET,
    done: bool | None = None,
) -> ActionItem:
    """Change an action item, or mark it done (``done=True``) or open again."""
    relationship = item.relationship
    pair_side(actor, relationship)
    if title is not None:
        item.title = title.strip()
    if notes is not None:
        item.notes = notes.strip()
    if owner is not None:
        item.owner_id = _pair_person(relationship, owner, "owner")
    if due_on is not UNSET:
        item.due_on = due_on
    if done is not None:
        item.done_at = (item.done_at or timezone.now()) if done else None
    item.full_clean(validate_constraints=False)
    item.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_action_item",
        object_id=item.pk,
        subject_person_id=relationship.mentee_id,
        detail={"done": item.is_done},
    )
    return item


def action_item_set_done(*, actor: User, item: ActionItem, done: bool = True) -> ActionItem:
    """Mark an action item done, or open it again."""
    return action_item_update(actor=actor, item=item, done=done)
