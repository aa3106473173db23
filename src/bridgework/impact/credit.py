"""Who gets credit for a stored outcome: the stored rows turned into the engine's records.

:func:`attributions` runs every method of :mod:`bridgework.core.impact.attribution`
on an :class:`~bridgework.impact.models.Outcome`:

* **declared** — on the shares the owner declared for the contributors
  (``OutcomeContributor.share``); not available without a positive share;
* **first touch**, **last touch**, **Shapley** — on the outcome's
  contribution paths (``ContributionPath``/``PathStep``); not available
  without a path.

:func:`credited` gives the :class:`~bridgework.core.impact.records.Outcome`
that return on impact is computed from, credited by the outcome's
``credit_method``; when that method is not available the next one of
Shapley, declared is used, and an outcome with no contribution evidence at
all credits its whole value to its owner (a result of their own).

Callers prefetch ``paths__steps`` and ``contributors`` (see
:data:`OUTCOME_PREFETCH`) so a list of outcomes costs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from bridgework.core.impact.attribution import (
    METHODS,
    Attribution,
    ContributionPath,
    declared_split,
    first_touch,
    last_touch,
    shapley_split,
)
from bridgework.core.impact.records import Outcome as OutcomeRecord
from bridgework.core.impact.records import OutcomeDetails
from bridgework.impact.models import ContributionPath as PathRow
from bridgework.impact.models import Outcome, OutcomeContributor, PathStep

__all__ = [
    "OUTCOME_PREFETCH",
    "FALLBACK_ORDER",
    "Credited",
    "contribution_paths",
    "declared_shares",
    "attributions",
    "credited",
    "credited_all",
]

#: Prefetches that make :func:`attributions` and :func:`credited` query-free.
OUTCOME_PREFETCH = (
    Prefetch(
        "paths",
        queryset=PathRow.objects.order_by("position").prefetch_related(
            Prefetch("steps", queryset=PathStep.objects.order_by("position"))
        ),
    ),
    Prefetch("contributors", queryset=OutcomeContributor.objects.order_by("id")),
)
#: When the chosen method is not available, the first available of these is used.
FALLBACK_ORDER = ("shapley", "declared")


@dataclass(frozen=True)
class Credited:
    """An outcome as the engine's record, and which method credited it
    (``"owner"``: no contribution evidence, the whole value to the owner)."""

    record: OutcomeRecord
    method: str


def contribution_paths(outcome: Outcome) -> list[ContributionPath]:
    """The outcome's stored paths as engine paths, owner first.

    A path that lost a person (deleted since) or no longer starts at the owner
    is left out. Hop dates are kept only when every path has all of them
    (the engine does not mix dated and undated paths).
    """
    chains: list[tuple[tuple[int, ...], tuple]] = []
    for path in outcome.paths.all():
        steps = list(path.steps.all())
        people = tuple(s.person_id for s in steps)
        if (
            len(steps) < 2
            or [s.position for s in steps] != list(range(len(steps)))
            or people[0] != outcome.owner_id
            or len(set(people)) != len(people)
        ):
            continue
        chains.append((people, tuple(s.used_on for s in steps[1:])))
    dated = all(None not in days for _, days in chains)
    return [ContributionPath(people, used_on=days if dated else None) for people, days in chains]


def declared_shares(outcome: Outcome) -> dict[int, float]:
    """The shares the owner declared: contributor → share (positive ones only)."""
    return {
        c.person_id: float(c.share)
        for c in outcome.contributors.all()
        if c.share is not None and c.share > 0 and c.person_id != outcome.owner_id
    }


def attributions(outcome: Outcome) -> dict[str, Attribution | None]:
    """Every method's attribution of ``outcome`` (None where it is not available), in
    :data:`~bridgework.core.impact.attribution.METHODS` order."""
    value = float(outcome.value)
    paths = contribution_paths(outcome)
    shares = declared_shares(outcome)
    result: dict[str, Attribution | None] = dict.fromkeys(METHODS)
    if shares:
        result["declared"] = declared_split(value, shares)
    if paths:
        result["first_touch"] = first_touch(value, paths)
        result["last_touch"] = last_touch(value, paths)
        result["shapley"] = shapley_split(value, paths)
    return result


def credited(outcome: Outcome, *, computed: dict | None = None) -> Credited:
    """The outcome credited by its ``credit_method`` (see the module docs for the fallback)."""
    computed = attributions(outcome) if computed is None else computed
    details: OutcomeDetails = {
        "owner": outcome.owner_id,
        "objective": outcome.objective_id,
        "kind": outcome.kind,
        "outcome_id": outcome.pk,
    }
    unit, day = outcome.unit, outcome.occurred_on
    for method in (outcome.credit_method, *FALLBACK_ORDER):
        attribution = computed.get(method)
        if attribution is not None:
            return Credited(
                record=OutcomeRecord.from_attribution(
                    attribution, unit=unit, occurred_on=day, **details
                ),
                method=method,
            )
    value = float(outcome.value)
    return Credited(
        record=OutcomeRecord(
            value=value, people={outcome.owner_id: value}, unit=unit, occurred_on=day, **details
        ),
        method="owner",
    )


def credited_all(outcomes: Iterable[Outcome]) -> list[OutcomeRecord]:
    """:func:`credited` records of many outcomes (prefetched with :data:`OUTCOME_PREFETCH`)."""
    return [credited(o).record for o in outcomes]
