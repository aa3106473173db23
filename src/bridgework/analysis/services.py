"""Writes of the analysis app: start and run the organizational network analysis.

A run reads the stored ties between consenting people (a person who
withdrew analytics consent is not in the network at all, so their ties drop
out of the next run), builds a :class:`~bridgework.core.graph.network.Network`
with team, organization and engagement type, runs
:func:`~bridgework.core.graph.analysis.analyze` step by step with progress,
writes the tables as Parquet and each person's metrics as rows. Earlier runs
stay readable until the new one has finished.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bridgework import jobs
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.analysis.models import AnalysisRun, PersonMetric
from bridgework.analysis.storage import analysis_run_folder
from bridgework.core.errors import NotFoundError
from bridgework.core.graph.analysis import STEPS, AnalysisOptions, NetworkAnalysis, analyze
from bridgework.core.graph.brokerage import ROLES as BROKERAGE_ROLES
from bridgework.core.graph.network import Network
from bridgework.network.selectors import consented_ties
from bridgework.people.models import INTERNAL_ENGAGEMENTS, EngagementType, Person

__all__ = [
    "KEEP_RUNS",
    "analysis_network",
    "analysis_run",
    "analysis_run_folder",
    "analysis_start",
]

logger = logging.getLogger(__name__)

#: Finished runs kept (their files and metric rows); older ones are deleted.
KEEP_RUNS = 3
_ERROR_LIMIT = 2000


def analysis_network() -> Network:
    """The network to analyze: every stored tie (strength > 0) between two
    consenting people, with everyone consenting as a node (isolates included)."""
    people = Person.objects.filter(analytics_consent=True).select_related("team", "organization")
    engagement_label = dict(EngagementType.choices)
    attributes = {}
    for person in people.iterator(chunk_size=5000):
        attributes[person.pk] = {
            "label": person.full_name,
            "team": person.team.name if person.team else "",
            "organization": person.organization.name if person.organization else "",
            "engagement": engagement_label.get(person.engagement_type, person.engagement_type),
            "internal": "yes" if person.engagement_type in INTERNAL_ENGAGEMENTS else "no",
        }
    a, b, weight = [], [], []
    for person_a, person_b, strength in (
        consented_ties()
        .filter(strength__gt=0)
        .order_by()
        .values_list("person_a_id", "person_b_id", "strength")
        .iterator(chunk_size=20_000)
    ):
        a.append(person_a)
        b.append(person_b)
        weight.append(strength)
    return Network.from_ties(a, b, weight, nodes=list(attributes), attributes=attributes)


def analysis_start(
    *,
    actor: User | None = None,
    run_now: bool = False,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> AnalysisRun:
    """Queue a run (or return the one already queued or running).

    With ``run_now`` the run happens in this process (the CLI); otherwise it
    is handed to the task worker.
    """
    with transaction.atomic():
        active = (
            AnalysisRun.objects.select_for_update()
            .filter(status__in=[AnalysisRun.Status.QUEUED, AnalysisRun.Status.RUNNING])
            .first()
        )
        if active is not None and not run_now:
            return active
        run = AnalysisRun.objects.create(
            started_by=actor if actor is not None and actor.is_authenticated else None,
            steps_total=len(STEPS),
            options=_options_dict(),
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            object_type="analysis_run",
            object_id=run.pk,
        )
    if run_now:
        return analysis_run(run_id=run.pk, on_progress=on_progress)
    transaction.on_commit(lambda: jobs.enqueue("analysis.run", run.pk))
    return run


def _options() -> AnalysisOptions:
    return AnalysisOptions(
        exact_betweenness_up_to=settings.ANALYSIS_EXACT_BETWEENNESS_UP_TO,
        betweenness_epsilon=settings.ANALYSIS_BETWEENNESS_EPSILON,
    )


def _options_dict() -> dict:
    options = _options()
    return {
        "group": options.group,
        "exact_betweenness_up_to": options.exact_betweenness_up_to,
        "betweenness_epsilon": options.betweenness_epsilon,
        "betweenness_delta": options.betweenness_delta,
        "resolution": options.resolution,
        "silo_max_outside_share": options.silo_max_outside_share,
        "seed": options.seed,
    }


def analysis_run(
    *, run_id: int, on_progress: Callable[[str, int, int], None] | None = None
) -> AnalysisRun:
    """Run the queued analysis ``run_id`` to the end; returns it succeeded or failed."""
    claimed = AnalysisRun.objects.filter(pk=run_id, status=AnalysisRun.Status.QUEUED).update(
        status=AnalysisRun.Status.RUNNING, started_at=timezone.now()
    )
    try:
        run = AnalysisRun.objects.get(pk=run_id)
    except AnalysisRun.DoesNotExist:
        raise NotFoundError("Not found.") from None
    if not claimed:
        return run

    def progress(step: str, done: int, total: int) -> None:
        AnalysisRun.objects.filter(pk=run_id).update(
            step=step[:40], steps_done=min(done, total), steps_total=total
        )
        if on_progress is not None:
            on_progress(step, done, total)

    try:
        network = analysis_network()
        result = analyze(network, options=_options(), progress=progress)
        _store(run_id, result)
    except Exception as exc:
        logger.exception("Network analysis #%s failed", run_id)
        message = f"Analysis failed: {type(exc).__name__}: {exc}".rstrip(": ")
        AnalysisRun.objects.filter(pk=run_id).update(
            status=AnalysisRun.Status.FAILED,
            error=message[:_ERROR_LIMIT],
            finished_at=timezone.now(),
        )
        shutil.rmtree(analysis_run_folder(run_id).with_suffix(".partial"), ignore_errors=True)
        run.refresh_from_db()
        return run
    AnalysisRun.objects.filter(pk=run_id).update(
        status=AnalysisRun.Status.SUCCEEDED,
        step="done",
        steps_done=len(STEPS),
        steps_total=len(STEPS),
        summary=_jsonable(result.summary),
        timings={k: round(v, 3) for k, v in result.timings.items()},
        finished_at=timezone.now(),
    )
    _prune()
    run.refresh_from_db()
    return run


def _store(run_id: int, result: NetworkAnalysis) -> None:
    final = analysis_run_folder(run_id)
    partial = final.with_suffix(".partial")
    shutil.rmtree(partial, ignore_errors=True)
    result.write(partial)
    people = result.people.sort_values("betweenness", ascending=False, kind="stable")
    rank = {int(p): i for i, p in enumerate(people["person"].tolist(), start=1)}
    has_xy = "x" in people
    rows = []
    for row in people.to_dict("records"):
        rows.append(
            PersonMetric(
                run_id=run_id,
                person_id=int(row["person"]),
                degree=int(row["degree"]),
                weighted_degree=float(row["weighted_degree"]),
                betweenness=float(row["betweenness"]),
                pagerank=float(row["pagerank"]),
                eigenvector=float(row["eigenvector"]),
                k_core=int(row["k_core"]),
                constraint=_number(row["constraint"]),
                effective_size=_number(row["effective_size"]),
                hierarchy=_number(row["hierarchy"]),
                two_step_reach=int(row["two_step_reach"]),
                community=int(row["community"]),
                brokerage=int(row["brokerage"]),
                roles={r: int(row[r]) for r in BROKERAGE_ROLES},
                diversity_team=float(row["diversity_team"]),
                diversity_organization=float(row["diversity_organization"]),
                diversity_engagement=float(row["diversity_engagement"]),
                people_cut_off=int(row["people_cut_off"]),
                people_losing_a_group=int(row["people_losing_a_group"]),
                group_links_lost=int(row["group_links_lost"]),
                cross_group_ties=int(row["cross_group_ties"]),
                betweenness_rank=rank[int(row["person"])],
                x=_number(row["x"]) if has_xy else None,
                y=_number(row["y"]) if has_xy else None,
            )
        )
    with transaction.atomic():
        PersonMetric.objects.filter(run_id=run_id).delete()
        PersonMetric.objects.bulk_create(rows, batch_size=2000)
    shutil.rmtree(final, ignore_errors=True)
    partial.rename(final)


def _number(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if value != value else value  # NaN -> None


def _jsonable(summary: dict) -> dict:
    out = {}
    for key, value in summary.items():
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and value != value:
            value = None
        out[key] = value
    return out


def _prune() -> None:
    finished = AnalysisRun.objects.filter(status=AnalysisRun.Status.SUCCEEDED).order_by(
        "-finished_at", "-id"
    )
    for old in finished[KEEP_RUNS:]:
        shutil.rmtree(analysis_run_folder(old.pk), ignore_errors=True)
        old.delete()
