"""REST API of the analysis app under ``/api/analysis/``.

The same rules as the pages, through :mod:`bridgework.analysis.selectors`:
group-level results for leaders, people analysts and admins; individual
metrics for the person themselves and permission holders (audited); maps in
the JSON the network map draws (``docs/network-map.md``).
"""

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Router

from bridgework.accounts import policies
from bridgework.accounts.requests import ApiRequest
from bridgework.analysis import selectors, services
from bridgework.analysis.schemas import (
    GroupViewOut,
    PersonMetricOut,
    RunOut,
    frame_records,
)
from bridgework.core.errors import NotFoundError

__all__ = ["router"]

router = Router(tags=["analysis"])


@router.get("/runs", response=list[RunOut], summary="Recent analysis runs")
def runs(request: ApiRequest):
    """The latest runs (queued, running, succeeded or failed), newest first."""
    return selectors.recent_runs(viewer=request.auth)


@router.post("/runs", response={202: RunOut}, summary="Start an analysis run")
def run_start(request: ApiRequest):
    """Queue a run (people analysts and admins); returns the run already queued
    or running if there is one. Poll ``GET /runs`` for progress."""
    if not policies.can_run_analysis(request.auth):
        raise NotFoundError("Not found.")
    return services.analysis_start(actor=request.auth)


@router.get("/groups", response=GroupViewOut, summary="The organization's network, by group")
def groups(request: ApiRequest):
    """Group-level results of the latest run: teams (E-I, silo, reach, brokers,
    key people), the team-to-team matrix, communities, the open talent network,
    key-person risk and broker concentration. No group under the minimum size
    (counting people other than you), none whose figures could be inferred from
    others; a figure fewer than the minimum make is null, and ``withheld`` says
    which and why."""
    run, view = selectors.group_view(viewer=request.auth)
    if view is None:
        raise NotFoundError("No network analysis has been run yet.")
    return {
        "run": run,
        "minimum_group_size": view.minimum,
        "summary": view.summary,
        "teams": frame_records(view.teams),
        "matrix": {
            "groups": list(view.matrix.index),
            "ties": [
                [None if value != value else int(value) for value in row]
                for row in view.matrix.values.tolist()
            ],
        },
        "communities": frame_records(view.communities),
        "open_talent": frame_records(view.open_talent),
        "risk": view.risk,
        "brokers": view.brokers,
        "hidden": view.hidden,
        "withheld": view.withheld,
    }


@router.get("/people", response=list[dict[str, Any]], summary="Everyone's metrics (restricted)")
def people(request: ApiRequest, limit: int = 100, offset: int = 0, sort: str = "betweenness"):
    """Individual metrics of the latest run, ``sort``-ed descending (people
    analysts and holders of the permission; every call is audited)."""
    run, result = selectors.individual_analysis(viewer=request.auth)
    if result is None:
        return []
    frame = result.people
    if sort not in frame.columns:
        raise ValidationError({"sort": f"sort must be one of: {', '.join(frame.columns)}"})
    limit = max(1, min(limit, 1000))
    ordered = frame.sort_values([sort, "person"], ascending=[False, True], kind="stable")
    return frame_records(
        ordered.iloc[offset : offset + limit].drop(columns=["x", "y"], errors="ignore")
    )


@router.get("/people/{person_id}", response=PersonMetricOut, summary="One person's metrics")
def person(request: ApiRequest, person_id: int):
    """A person's metrics in the latest run: your own, or anyone's with the permission (audited)."""
    metric = selectors.person_metrics(viewer=request.auth, person_id=person_id)
    if metric is None:
        raise NotFoundError("Not in the latest network analysis.")
    return metric


@router.get("/map/groups", response=dict[str, Any], summary="Map data: teams")
def map_groups(request: ApiRequest):
    return selectors.group_map(viewer=request.auth)


@router.get("/map/people", response=dict[str, Any], summary="Map data: everyone (restricted)")
def map_people(request: ApiRequest):
    return selectors.people_map(viewer=request.auth)


@router.get("/map/ego/{person_id}", response=dict[str, Any], summary="Map data: a person's ties")
def map_ego(request: ApiRequest, person_id: int):
    return selectors.ego_map(viewer=request.auth, person_id=person_id)
