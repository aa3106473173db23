"""The impact app's part of merging two people (see :mod:`bridgework.people.merge`).

What the dropped person owned or was named in becomes the kept person's:

* **objectives** and **outcomes** they own move;
* **shares** of an objective with them, **stakeholders** naming them and
  **contributors** (and the *via* of a contributor) point at the kept person;
  a row that would repeat one the kept person has is deleted (the kept
  person's stays, unless theirs was removed from the plan and the dropped
  person's is in it), and one that would name the owner in their own
  objective or outcome is deleted, as the services would refuse it;
* **contribution paths** are derived from the outcome's links: those of every
  outcome that named the dropped person are derived again.

Nothing here conflicts beyond repair, so this step never refuses a merge. The
undo moves everything back, recreates what was deleted and derives the paths
again. Registered as a :class:`~bridgework.people.merge.MergeStep` by the
app's ``ready()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q

from bridgework.impact.models import (
    ContributionPath,
    Objective,
    ObjectiveShare,
    Outcome,
    OutcomeContributor,
    PathStep,
    Stakeholder,
)
from bridgework.impact.services.outcomes import ContributorIn, derive_paths
from bridgework.people.merge import MergeStep, restore_rows, serialize_rows
from bridgework.people.models import Person

__all__ = ["IMPACT"]


def _move_named(
    model, keep: Person, drop: Person, *, parent: str, from_drop: list[int]
) -> tuple[list, list]:
    """Rows of ``model`` naming ``drop`` (its ``person``) that move to ``keep``, and
    the rows to delete: those that would name the owner of their ``parent``
    (objective or outcome) in it, the kept person's own in a parent the dropped
    person owned (``from_drop``), and those that would repeat another in the
    same parent (the kept person's stays, unless it is a stakeholder removed
    from the plan and the dropped person's is in it)."""
    taken = {getattr(row, f"{parent}_id"): row for row in model.objects.filter(person=keep)}
    moved: list[int] = []
    deleted = list(
        model.objects.filter(person=keep, **{f"{parent}_id__in": from_drop}).order_by("id")
    )
    for row in model.objects.filter(person=drop).select_related(parent).order_by("id"):
        twin = taken.get(getattr(row, f"{parent}_id"))
        if getattr(row, parent).owner_id in (keep.pk, drop.pk):
            deleted.append(row)
        elif twin is None:
            moved.append(row.pk)
        elif model is Stakeholder and row.is_accepted and not twin.is_accepted:
            deleted.append(twin)
            moved.append(row.pk)
        else:
            deleted.append(row)
    return moved, deleted


def _linked_outcomes(people: Iterable[int]) -> set[int]:
    """Outcomes these people own, contributed to, connected someone to or are on a path of."""
    people = list(people)
    return set(
        Outcome.objects.filter(
            Q(owner_id__in=people)
            | Q(contributors__person_id__in=people)
            | Q(contributors__via_id__in=people)
            | Q(paths__steps__person_id__in=people)
        ).values_list("id", flat=True)
    )


def _derive_paths_again(outcome_ids: Iterable[int]) -> None:
    """Derive the contribution paths of these outcomes from their links as they are now."""
    for outcome in Outcome.objects.filter(pk__in=list(outcome_ids)).prefetch_related(
        "introductions__interaction", "interactions"
    ):
        contributors = [
            ContributorIn(person=c.person, via=c.via, share=c.share)
            for c in outcome.contributors.select_related("person", "via").order_by("id")
        ]
        paths = derive_paths(
            owner_id=outcome.owner_id,
            occurred_on=outcome.occurred_on,
            contributors=contributors,
            introductions=sorted(outcome.introductions.all(), key=lambda r: (r.created_at, r.pk)),
            interactions=sorted(outcome.interactions.all(), key=lambda i: (i.occurred_at, i.pk)),
        )
        ContributionPath.objects.filter(outcome=outcome).delete()
        rows = ContributionPath.objects.bulk_create(
            ContributionPath(outcome=outcome, position=i, origin=origin, introduction_id=intro)
            for i, (origin, intro, _) in enumerate(paths)
        )
        PathStep.objects.bulk_create(
            PathStep(path=row, position=j, person_id=person, used_on=day)
            for row, (_, _, steps) in zip(rows, paths, strict=True)
            for j, (person, day) in enumerate(steps)
        )


def _clear_vias(keep: Person, drop: Person) -> dict[str, list[int]]:
    """Who connected a contributor is never the contributor nor the outcome's owner:
    a *via* that would become one is cleared, the dropped person's others move.
    Done first, so no row ever names the same person twice."""
    becomes_keep = Q(person__in=[keep, drop]) | Q(outcome__owner__in=[keep, drop])
    rows = OutcomeContributor.objects
    cleared = {
        "impact_via_cleared_keep": list(
            rows.filter(becomes_keep, via=keep).values_list("id", flat=True)
        ),
        "impact_via_cleared_drop": list(
            rows.filter(becomes_keep, via=drop).values_list("id", flat=True)
        ),
    }
    rows.filter(
        pk__in=cleared["impact_via_cleared_keep"] + cleared["impact_via_cleared_drop"]
    ).update(via=None)
    cleared["impact_via_moved"] = list(rows.filter(via=drop).values_list("id", flat=True))
    rows.filter(pk__in=cleared["impact_via_moved"]).update(via=keep)
    return cleared


def _merge(keep: Person, drop: Person) -> dict[str, Any]:
    # Only outcomes naming the dropped person change; the kept person's stay as they are.
    outcomes = _linked_outcomes([drop.pk])
    snapshot: dict[str, Any] = dict(_clear_vias(keep, drop))
    snapshot["impact_objectives"] = list(
        Objective.objects.filter(owner=drop).values_list("id", flat=True)
    )
    snapshot["impact_outcomes"] = list(
        Outcome.objects.filter(owner=drop).values_list("id", flat=True)
    )
    Objective.objects.filter(pk__in=snapshot["impact_objectives"]).update(owner=keep)
    Outcome.objects.filter(pk__in=snapshot["impact_outcomes"]).update(owner=keep)
    deleted: list[Any] = []
    for key, model, parent in (
        ("impact_shares", ObjectiveShare, "objective"),
        ("impact_stakeholders", Stakeholder, "objective"),
        ("impact_contributors", OutcomeContributor, "outcome"),
    ):
        from_drop = snapshot["impact_objectives" if parent == "objective" else "impact_outcomes"]
        moved, gone = _move_named(model, keep, drop, parent=parent, from_drop=from_drop)
        model.objects.filter(pk__in=[row.pk for row in gone]).delete()
        model.objects.filter(pk__in=moved).update(person=keep)
        snapshot[key] = moved
        deleted += gone
    snapshot["impact_deleted"] = serialize_rows(deleted)
    _derive_paths_again(outcomes)
    snapshot["impact_paths_derived"] = sorted(outcomes)
    return snapshot


def _undo(keep: Person, drop: Person, snapshot: Mapping[str, Any]) -> int:
    Objective.objects.filter(pk__in=snapshot.get("impact_objectives", []), owner=keep).update(
        owner=drop
    )
    Outcome.objects.filter(pk__in=snapshot.get("impact_outcomes", []), owner=keep).update(
        owner=drop
    )
    for key, model in (
        ("impact_shares", ObjectiveShare),
        ("impact_stakeholders", Stakeholder),
        ("impact_contributors", OutcomeContributor),
    ):
        model.objects.filter(pk__in=snapshot.get(key, []), person=keep).update(person=drop)
    deleted = snapshot.get("impact_deleted", [])
    skipped = len(deleted) - restore_rows(deleted)
    rows = OutcomeContributor.objects
    rows.filter(pk__in=snapshot.get("impact_via_moved", []), via=keep).update(via=drop)
    for key, person in (("impact_via_cleared_keep", keep), ("impact_via_cleared_drop", drop)):
        rows.filter(pk__in=snapshot.get(key, []), via__isnull=True).exclude(person=person).update(
            via=person
        )
    _derive_paths_again(snapshot.get("impact_paths_derived", []))
    return skipped


#: Moves objectives, outcomes, shares, stakeholders and contributors; derives paths again.
IMPACT = MergeStep(
    name="impact",
    relations=frozenset(
        {
            (Objective, "owner"),
            (Outcome, "owner"),
            (ObjectiveShare, "person"),
            (Stakeholder, "person"),
            (OutcomeContributor, "person"),
            (OutcomeContributor, "via"),
            (PathStep, "person"),
        }
    ),
    merge=_merge,
    undo=_undo,
)
