"""Writes of interactions people log by hand, and their events in the store.

Every write reaches the event store after its commit (and only then: a rolled
back write never does), and recomputes the ties of the people it touches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.interactions.events import app_events_rewrite, interaction_event_refresh_soon
from bridgework.interactions.models import Interaction, InteractionParticipant
from bridgework.network.services import ties_recompute_on_commit
from bridgework.people.models import Person

__all__ = [
    "interaction_log",
    "interaction_update",
    "interaction_delete",
    "events_sync_from_app",
]


def _refresh_event_on_commit(interaction_id: int) -> None:
    # After the commit only: a rolled-back write never reaches the event store.
    transaction.on_commit(partial(interaction_event_refresh_soon, interaction_id))
    _recompute_ties_on_commit(interaction_id)


def _recompute_ties_on_commit(interaction_id: int) -> None:
    """Recompute the participants' ties after the commit (read now: a delete follows)."""
    ties_recompute_on_commit(
        people=InteractionParticipant.objects.filter(interaction_id=interaction_id).values_list(
            "person_id", flat=True
        )
    )


def _participants(actor: User, participants: Sequence[Person]) -> list[Person]:
    people = list({p.pk: p for p in participants}.values())
    if not policies.can_manage_people(actor):
        # Members log their own touchpoints: they are always among the participants.
        if actor.person_id is None:
            raise ValidationError(
                "Your login is not linked to a person, so you cannot log interactions."
            )
        if actor.person_id not in {p.pk for p in people}:
            people.insert(0, Person.objects.get(pk=actor.person_id))
    if len(people) < 2:
        raise ValidationError(
            {"participants": "An interaction needs at least two different people."}
        )
    return people


@transaction.atomic
def interaction_log(
    *,
    actor: User,
    channel: str,
    occurred_at: dt.datetime,
    participants: Sequence[Person],
    duration_minutes: int | None = None,
    private_note: str = "",
) -> Interaction:
    """Record a touchpoint between two or more people.

    A member is added to the participants automatically; admins and people
    analysts may log interactions between any people.
    """
    if occurred_at is not None and occurred_at.tzinfo is None:
        raise ValidationError({"occurred_at": "Give the time with its time zone."})
    people = _participants(actor, participants)
    interaction = Interaction(
        channel=channel,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        private_note=private_note,
        logged_by=actor,
    )
    interaction.full_clean()
    interaction.save()
    InteractionParticipant.objects.bulk_create(
        [InteractionParticipant(interaction=interaction, person=p) for p in people]
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="interaction",
        object_id=interaction.pk,
        detail={"participants": [p.pk for p in people]},
    )
    _refresh_event_on_commit(interaction.pk)
    return interaction


def _require_author(actor: User, interaction: Interaction) -> None:
    if interaction.logged_by_id != actor.pk and not policies.can_see_everyones_records(actor):
        raise NotFoundError("Not found.")


@transaction.atomic
def interaction_update(
    *,
    actor: User,
    interaction: Interaction,
    participants: Sequence[Person] | None = None,
    **fields,
) -> Interaction:
    """Change a logged interaction; only whoever logged it (or an admin)."""
    _require_author(actor, interaction)
    allowed = {"channel", "occurred_at", "duration_minutes", "private_note"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown interaction field(s): {', '.join(sorted(unknown))}")
    if "private_note" in fields and interaction.logged_by_id != actor.pk:
        raise ValidationError(
            {"private_note": "Only whoever logged the interaction can write its note."}
        )
    occurred_at = fields.get("occurred_at")
    if occurred_at is not None and occurred_at.tzinfo is None:
        raise ValidationError({"occurred_at": "Give the time with its time zone."})
    for name, value in fields.items():
        setattr(interaction, name, value)
    interaction.full_clean()
    interaction.save()
    if participants is not None:
        people = _participants(actor, participants)
        _recompute_ties_on_commit(interaction.pk)  # the people leaving it, too
        InteractionParticipant.objects.filter(interaction=interaction).delete()
        InteractionParticipant.objects.bulk_create(
            [InteractionParticipant(interaction=interaction, person=p) for p in people]
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="interaction",
        object_id=interaction.pk,
        detail={"changed": sorted(fields)},
    )
    _refresh_event_on_commit(interaction.pk)
    return interaction


@transaction.atomic
def interaction_delete(*, actor: User, interaction: Interaction) -> None:
    _require_author(actor, interaction)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="interaction",
        object_id=interaction.pk,
    )
    _refresh_event_on_commit(interaction.pk)
    interaction.delete()


def events_sync_from_app() -> int:
    """Rewrite every logged interaction into the event store (source ``"app"``).

    For repairs (a store restored from a backup, a write the worker could not
    make) and for the demo. Idempotent; returns the number of events written.
    """
    return app_events_rewrite()
