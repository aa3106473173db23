"""What a person allows of their place in the network: read, set, and carried through merges.

One preference for now, ``introducer_opt_out`` ("do not suggest me as an
introducer"): whoever sets it is never a go-between on anyone's introduction
or expertise path and cannot be asked for an introduction, while they can
still be the person someone wants to meet (issue 13, item 7). Only the person
sets it, on ``/network/preferences/``, linked from their own profile; each
change is audited.

:func:`introducers_opted_out` is **internal, not viewer-scoped**, like
:func:`~bridgework.network.selectors.tie_graph`: path finding uses it to hold
people back; it is never shown. Its topic fits one module better than a
line in each of ``selectors.py`` and ``services.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from bridgework.accounts.guards import require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.network.models import NetworkPreference
from bridgework.people.merge import MergeStep, restore_rows, serialize_rows
from bridgework.people.models import Person

__all__ = [
    "introducers_opted_out",
    "network_preference",
    "network_preference_set",
    "PREFERENCES",
]


def introducers_opted_out() -> set[int]:
    """Ids of the people who asked not to be suggested as introducers.

    **Internal, not viewer-scoped**: to keep them off paths, never to show."""
    return set(
        NetworkPreference.objects.filter(introducer_opt_out=True).values_list(
            "person_id", flat=True
        )
    )


def _own_person_id(user: User) -> int:
    require_login(user)
    if user.person_id is None:
        raise NotFoundError("Not found.")
    return user.person_id


def network_preference(*, viewer: User) -> NetworkPreference:
    """The viewer's own preferences (the defaults, unsaved, when they never set any).

    A login without a person has none: not found."""
    person_id = _own_person_id(viewer)
    found = NetworkPreference.objects.filter(person_id=person_id).first()
    return found or NetworkPreference(person_id=person_id)


@transaction.atomic
def network_preference_set(*, actor: User, introducer_opt_out: bool) -> NetworkPreference:
    """Set the actor's own preferences; a change is written to the audit log.

    Takes effect on the next path or expertise query (nothing is cached):
    opted out, the actor is on no one's path as a go-between and requests
    through them are refused; requests already waiting for their answer stay
    theirs to answer or decline.
    """
    person_id = _own_person_id(actor)
    preference, _ = NetworkPreference.objects.select_for_update().get_or_create(person_id=person_id)
    if preference.introducer_opt_out != introducer_opt_out:
        preference.introducer_opt_out = introducer_opt_out
        preference.save(update_fields=["introducer_opt_out", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="network_preference",
            object_id=preference.pk,
            subject_person_id=person_id,
            detail={"introducer_opt_out": introducer_opt_out},
        )
    return preference


# ---- Merging two people ----------------------------------------------------------------


def _merge(keep: Person, drop: Person) -> dict[str, Any]:
    """The kept person keeps the stricter choice: opted out if either was."""
    dropped = NetworkPreference.objects.filter(person=drop).first()
    if dropped is None:
        return {}
    kept = NetworkPreference.objects.filter(person=keep).first()
    snapshot: dict[str, Any] = {"network_preference_dropped": serialize_rows([dropped])}
    if kept is None:
        dropped.person = keep
        dropped.save(update_fields=["person", "updated_at"])
        snapshot["network_preference_moved"] = dropped.pk
        return snapshot
    snapshot["network_preference_kept"] = serialize_rows([kept])
    dropped.delete()
    if dropped.introducer_opt_out and not kept.introducer_opt_out:
        kept.introducer_opt_out = True
        kept.save(update_fields=["introducer_opt_out", "updated_at"])
    return snapshot


def _undo(keep: Person, drop: Person, snapshot: Mapping[str, Any]) -> int:
    moved = snapshot.get("network_preference_moved")
    if moved is not None:
        NetworkPreference.objects.filter(pk=moved, person=keep).update(person=drop)
        return 0
    rows = snapshot.get("network_preference_dropped", [])
    if not rows:
        return 0
    kept = snapshot.get("network_preference_kept", [])
    if kept:
        NetworkPreference.objects.filter(person=keep).delete()
        restore_rows(kept)
    return len(rows) - restore_rows(rows)


#: Carries a person's network preferences through a merge of two people.
PREFERENCES = MergeStep(
    name="network.preferences",
    relations=frozenset({(NetworkPreference, "person")}),
    merge=_merge,
    undo=_undo,
)
