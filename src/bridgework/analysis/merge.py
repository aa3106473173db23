"""The analysis app's part of merging two people (see :mod:`bridgework.people.merge`).

A person's :class:`~bridgework.analysis.models.PersonMetric` rows are results
of a run over the network as it was, with the two people apart: the dropped
person's are deleted, and a fresh run is queued once the merge commits (or the
one already waiting is used), so the kept person's metrics come to include
the dropped person's ties. Until it finishes, the stored run's pages leave out
people who are no longer in the directory (:mod:`bridgework.analysis.selectors`).
The undo puts the dropped person's rows back as they were (those of runs
deleted since stay gone) and queues a run again.

Registered as a :class:`~bridgework.people.merge.MergeStep` by the app's ``ready()``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from bridgework.analysis.models import PersonMetric
from bridgework.analysis.services import analysis_start
from bridgework.people.merge import MergeStep, restore_rows, serialize_rows
from bridgework.people.models import Person

__all__ = ["ANALYSIS"]

logger = logging.getLogger(__name__)


def _start_quietly() -> None:
    # Runs after the commit: a failure to queue must never break the merge; the
    # nightly run catches up.
    try:
        analysis_start(actor=None)
    except Exception:
        logger.exception("Could not queue a network analysis after a merge")


def _merge(keep: Person, drop: Person) -> dict[str, Any]:
    rows = list(PersonMetric.objects.filter(person=drop).order_by("id"))
    PersonMetric.objects.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(_start_quietly)
    return {"analysis_metrics_deleted": serialize_rows(rows)}


def _undo(keep: Person, drop: Person, snapshot: Mapping[str, Any]) -> int:
    # Derived rows: what cannot come back (its run was replaced since) the next run recomputes.
    restore_rows(snapshot.get("analysis_metrics_deleted", []))
    transaction.on_commit(_start_quietly)
    return 0


#: Deletes the dropped person's network metrics and queues a fresh analysis.
ANALYSIS = MergeStep(
    name="analysis.person_metrics",
    relations=frozenset({(PersonMetric, "person")}),
    merge=_merge,
    undo=_undo,
)
