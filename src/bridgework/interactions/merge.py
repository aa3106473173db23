"""The interactions app's part of merging two people (see :mod:`bridgework.people.merge`).

The dropped person's participations move to the kept person; a participation
in an interaction the kept person also took part in is deleted instead (one
person takes part once). The undo moves them back and recreates the deleted
ones. Registered as a :class:`~bridgework.people.merge.MergeStep` by the app's
``ready()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bridgework.interactions.models import InteractionParticipant
from bridgework.people.merge import MergeStep, restore_rows, serialize_rows
from bridgework.people.models import Person

__all__ = ["PARTICIPATIONS"]


def _merge(keep: Person, drop: Person) -> dict[str, Any]:
    both = set(
        InteractionParticipant.objects.filter(person=keep).values_list("interaction_id", flat=True)
    )
    moved: list[InteractionParticipant] = []
    deleted: list[InteractionParticipant] = []
    for part in InteractionParticipant.objects.filter(person=drop).order_by("id"):
        (deleted if part.interaction_id in both else moved).append(part)
    snapshot = {
        "participations_moved": [p.pk for p in moved],
        "participations_deleted": serialize_rows(deleted),
    }
    InteractionParticipant.objects.filter(pk__in=[p.pk for p in deleted]).delete()
    InteractionParticipant.objects.filter(pk__in=[p.pk for p in moved]).update(person=keep)
    return snapshot


def _undo(keep: Person, drop: Person, snapshot: Mapping[str, Any]) -> int:
    InteractionParticipant.objects.filter(
        pk__in=snapshot.get("participations_moved", []), person=keep
    ).update(person=drop)
    deleted = snapshot.get("participations_deleted", [])
    return len(deleted) - restore_rows(deleted)


#: Moves interaction participations in a merge of two people.
PARTICIPATIONS = MergeStep(
    name="interactions.participations",
    relations=frozenset({(InteractionParticipant, "person")}),
    merge=_merge,
    undo=_undo,
)
