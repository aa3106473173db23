"""The analysis app's part of a person's data rights (see :mod:`bridgework.people.rights`).

* **Export**: the person's own network metrics, one row per stored run (what
  their profile's network-position card shows, and more).
* **Erasure**: their metric rows are deleted; once the erasure commits, their
  rows leave the stored runs' tables too (the Parquet files under
  ``BRIDGEWORK_DATA_DIR/analysis/run-<id>/`` hold names: each table with a
  ``person`` column loses their row, each list of bridging people loses their
  id), and a fresh analysis is queued, so group results stop counting them.

Registered as a :class:`~bridgework.people.rights.PersonDataPart` by the app's
``ready()``.
"""

from __future__ import annotations

import logging
from functools import partial

import pandas as pd
from django.db import transaction

from bridgework.analysis.models import AnalysisRun, PersonMetric
from bridgework.analysis.services import analysis_start
from bridgework.analysis.storage import analysis_run_folder
from bridgework.people.models import Person
from bridgework.people.rights import PersonDataPart, Tables

__all__ = ["ANALYSIS_RIGHTS", "stored_runs_forget"]

logger = logging.getLogger(__name__)

_METRICS = (
    "degree",
    "weighted_degree",
    "betweenness",
    "betweenness_rank",
    "pagerank",
    "eigenvector",
    "k_core",
    "constraint",
    "effective_size",
    "hierarchy",
    "two_step_reach",
    "community",
    "brokerage",
    "roles",
    "diversity_team",
    "diversity_organization",
    "diversity_engagement",
    "people_cut_off",
    "people_losing_a_group",
    "group_links_lost",
    "cross_group_ties",
)


def _export(person: Person, own: bool) -> Tables:
    rows = []
    for metric in (
        PersonMetric.objects.filter(person=person)
        .select_related("run")
        .order_by("-run__finished_at", "-run_id")
    ):
        rows.append(
            {
                "run": metric.run_id,
                "run_finished_at": metric.run.finished_at,
                **{name: getattr(metric, name) for name in _METRICS},
            }
        )
    return {"metrics": rows}


def stored_runs_forget(person_id: int) -> int:
    """Take the person out of every stored run's tables; returns the files rewritten.

    Each table with a ``person`` column loses the person's rows and each
    ``bridgers`` list loses their id; a file is replaced only when it changed.
    """
    rewritten = 0
    for run_id in AnalysisRun.objects.values_list("id", flat=True):
        folder = analysis_run_folder(run_id)
        for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else ():
            frame = pd.read_parquet(path)
            changed = frame
            if "person" in frame:
                changed = frame[frame["person"] != person_id]
            if "bridgers" in changed:
                bridgers = [
                    [p for p in (listed if listed is not None else []) if p != person_id]
                    for listed in changed["bridgers"]
                ]
                if any(
                    len(new) != len(old if old is not None else [])
                    for new, old in zip(bridgers, changed["bridgers"], strict=True)
                ):
                    changed = changed.assign(
                        bridgers=pd.Series(bridgers, index=changed.index, dtype=object)
                    )
            if changed is frame:
                continue
            partial_path = path.with_suffix(".partial")
            changed.to_parquet(partial_path, index=False)
            partial_path.replace(path)
            rewritten += 1
    return rewritten


def _after_commit(person_id: int) -> None:
    # After the commit: a failure here must not undo the erasure (the database
    # rows are gone already); the next runs replace the old files anyway.
    try:
        stored_runs_forget(person_id)
    except Exception:
        logger.exception("Could not take person %s out of the stored analysis runs", person_id)
    try:
        analysis_start(actor=None)
    except Exception:
        logger.exception("Could not queue a network analysis after an erasure")


def _erase(person: Person) -> dict[str, int]:
    deleted = PersonMetric.objects.filter(person=person).delete()[0]
    transaction.on_commit(partial(_after_commit, person.pk))
    return {"network_metrics": deleted}


#: Exports a person's network metrics; erases them and their rows in the stored runs.
ANALYSIS_RIGHTS = PersonDataPart(
    name="analysis",
    title="Your network metrics from the organization's network analyses.",
    tables={
        "metrics": "Your position in the network, one row per stored analysis run: degree, "
        "betweenness, Burt's constraint and effective size, reach, community, brokerage "
        "roles, diversity and key-person risk (docs/metrics/ explains each).",
    },
    export=_export,
    erase=_erase,
    relations=frozenset({(PersonMetric, "person")}),
    order=30,
)
