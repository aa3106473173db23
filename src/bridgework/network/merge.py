"""The network app's part of merging two people (see :mod:`bridgework.people.merge`).

* **Ties** are results of the event store, which the merge re-points: the
  dropped person's ties (the one between the two included) go with the
  dropped person, and the kept person's ties are recomputed once the merge
  commits, from their events and the dropped person's together. The undo
  recomputes both people's ties after the event store is put back.
* **Portfolio entries** are what people chose: the dropped person's own move
  to the kept person, and entries other people keep about the dropped person
  now point at the kept one. An entry that would repeat one already there (the
  kept person's own stays) or be about oneself is deleted; the undo moves them
  back and recreates the deleted ones.
* **Nudges** are derived: those of or about the dropped person are deleted and
  the recomputation suggests new ones. The undo recreates them as they were
  (a dismissed or snoozed nudge stays so), and the next refresh updates them.

Registered as a :class:`~bridgework.people.merge.MergeStep` by the app's ``ready()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from bridgework.network.models import Nudge, PortfolioEntry, Tie
from bridgework.network.services import ties_recompute_on_commit
from bridgework.people.merge import MergeStep, restore_rows, serialize_rows
from bridgework.people.models import Person

__all__ = ["NETWORK"]


def _merge(keep: Person, drop: Person) -> dict[str, Any]:
    deleted: list[PortfolioEntry] = []
    owner_moved: list[int] = []
    others_of_keep = set(
        PortfolioEntry.objects.filter(owner=keep).values_list("other_id", flat=True)
    )
    for entry in PortfolioEntry.objects.filter(owner=drop).order_by("id"):
        if entry.other_id == keep.pk or entry.other_id in others_of_keep:
            deleted.append(entry)
        else:
            owner_moved.append(entry.pk)
            others_of_keep.add(entry.other_id)
    other_moved: list[int] = []
    owners_about_keep = set(
        PortfolioEntry.objects.filter(other=keep).values_list("owner_id", flat=True)
    )
    for entry in PortfolioEntry.objects.filter(other=drop).exclude(owner=drop).order_by("id"):
        if entry.owner_id == keep.pk or entry.owner_id in owners_about_keep:
            deleted.append(entry)
        else:
            other_moved.append(entry.pk)
            owners_about_keep.add(entry.owner_id)
    nudges = list(Nudge.objects.filter(Q(owner=drop) | Q(other=drop)).order_by("id"))
    snapshot = {
        "portfolio_owner_moved": owner_moved,
        "portfolio_other_moved": other_moved,
        "portfolio_deleted": serialize_rows(deleted),
        "nudges_deleted": serialize_rows(nudges),
    }
    PortfolioEntry.objects.filter(pk__in=[e.pk for e in deleted]).delete()
    PortfolioEntry.objects.filter(pk__in=owner_moved).update(owner=keep)
    PortfolioEntry.objects.filter(pk__in=other_moved).update(other=keep)
    Nudge.objects.filter(pk__in=[n.pk for n in nudges]).delete()
    # The dropped person's ties are deleted with them (they are derived, never moved).
    ties_recompute_on_commit(people=[keep.pk], reason=f"merge of #{drop.pk} into #{keep.pk}")
    return snapshot


def _undo(keep: Person, drop: Person, snapshot: Mapping[str, Any]) -> int:
    PortfolioEntry.objects.filter(
        pk__in=snapshot.get("portfolio_owner_moved", []), owner=keep
    ).update(owner=drop)
    PortfolioEntry.objects.filter(
        pk__in=snapshot.get("portfolio_other_moved", []), other=keep
    ).update(other=drop)
    deleted = snapshot.get("portfolio_deleted", [])
    skipped = len(deleted) - restore_rows(deleted)
    # Derived: what cannot come back is suggested again by the next refresh.
    restore_rows(snapshot.get("nudges_deleted", []))
    ties_recompute_on_commit(
        people=[keep.pk, drop.pk], reason=f"undone merge of #{drop.pk} into #{keep.pk}"
    )
    return skipped


#: Recomputes ties and nudges and moves portfolio entries in a merge of two people.
NETWORK = MergeStep(
    name="network.ties_portfolio_nudges",
    relations=frozenset(
        {
            (Tie, "person_a"),
            (Tie, "person_b"),
            (PortfolioEntry, "owner"),
            (PortfolioEntry, "other"),
            (Nudge, "owner"),
            (Nudge, "other"),
        }
    ),
    merge=_merge,
    undo=_undo,
)
