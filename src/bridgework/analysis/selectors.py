"""Reads of the analysis app; every one takes the viewer and applies the privacy rules.

* :func:`group_view` -- leaders, people analysts, admins: group-level results
  only, through :func:`~bridgework.core.privacy.network.group_level_view`,
  whose thresholds count the people other than the viewer.
* :func:`individual_analysis` -- people analysts and holders of the
  ``analysis.view_individual_metrics`` permission: everything, audited.
* :func:`person_metrics` -- the person themselves, or a permission holder
  (audited); for anyone else the same "not found" as a missing person.
* ``*_map`` -- the JSON the network map draws (``docs/network-map.md``).
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import numpy as np
from django.conf import settings

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.analysis.models import AnalysisRun, PersonMetric
from bridgework.analysis.storage import analysis_run_folder
from bridgework.core.errors import NotFoundError
from bridgework.core.graph import engines
from bridgework.core.graph.analysis import NetworkAnalysis
from bridgework.core.graph.network import Network
from bridgework.core.privacy.network import GroupLevelView, group_level_view
from bridgework.network.selectors import consented_ties
from bridgework.people.consent import consents
from bridgework.people.models import EngagementType, Person

__all__ = [
    "active_run",
    "ego_map",
    "group_map",
    "group_view",
    "individual_analysis",
    "latest_run",
    "people_map",
    "person_metrics",
    "recent_runs",
    "report_analysis",
    "can_see_person_metrics",
    "viewer_person",
]

_cache_lock = threading.Lock()
_cache: dict[tuple, Any] = {}

METRIC_LABELS = {
    "degree": "Ties",
    "weighted_degree": "Tie strength (sum)",
    "betweenness": "Betweenness",
    "pagerank": "PageRank",
    "constraint": "Constraint",
    "effective_size": "Effective size",
    "two_step_reach": "Two-step reach",
    "brokerage": "Brokerage between teams",
    "people_cut_off": "People cut off without them",
}
GROUP_LABELS = {"community": "Community", "team": "Team", "engagement": "Engagement type"}


def _forbid() -> None:
    raise NotFoundError("Not found.")


def latest_run() -> AnalysisRun | None:
    """The newest finished run, or None."""
    return (
        AnalysisRun.objects.filter(status=AnalysisRun.Status.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .first()
    )


def active_run() -> AnalysisRun | None:
    """A queued or running run, or None."""
    return AnalysisRun.objects.filter(
        status__in=[AnalysisRun.Status.QUEUED, AnalysisRun.Status.RUNNING]
    ).first()


def recent_runs(*, viewer: User, limit: int = 5) -> list[AnalysisRun]:
    if not policies.can_view_group_network(viewer):
        _forbid()
    return list(AnalysisRun.objects.all()[:limit])


def _load(run: AnalysisRun) -> NetworkAnalysis:
    # A run's files never change once it has finished; the finish time keeps
    # two databases (or a reset demo) that reuse an id apart.
    key = ("analysis", run.pk, run.finished_at)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    result = NetworkAnalysis.read(analysis_run_folder(run.pk), summary=run.summary)
    with _cache_lock:
        _cache.clear()  # one run at a time is enough
        _cache[key] = result
    return result


def viewer_person(viewer: User) -> int | None:
    """The viewer's own person id, which every privacy threshold leaves out of its count."""
    return viewer.person_id if viewer.is_authenticated else None


def group_view(*, viewer: User) -> tuple[AnalysisRun | None, GroupLevelView | None]:
    """The leader's view of the latest run (``(None, None)`` before the first run).

    Built for this viewer: every group and figure counts the people other than
    them (:func:`~bridgework.core.privacy.network.group_level_view`).
    """
    if not policies.can_view_group_network(viewer):
        _forbid()
    run = latest_run()
    if run is None:
        return None, None
    minimum = settings.PRIVACY_MIN_GROUP_SIZE
    person = viewer_person(viewer)
    key = ("view", run.pk, run.finished_at, minimum, person)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is None:
        cached = group_level_view(_load(run), minimum=minimum, viewer=person)
        with _cache_lock:
            _cache[key] = cached
    return run, cached


def _in_analytics_now(result: NetworkAnalysis) -> NetworkAnalysis:
    """The run's person-level results without the people who withdrew analytics
    consent or left the directory (merged away, say) since it ran.

    A stored run pictures the network when it ran, but consent counts as of
    now: someone who withdraws drops out of every individual read at once,
    not at the next run. Group-level tables (counts under disclosure control)
    change with the next run.
    """
    present = set(
        Person.objects.filter(analytics_consent=True).order_by().values_list("id", flat=True)
    )
    people = result.people
    shown = people["person"].astype(int).isin(present)
    risk = result.risk
    if "person" in risk:
        risk = risk[risk["person"].astype(int).isin(present)].reset_index(drop=True)
    silos = result.silos
    if "bridgers" in silos:
        silos = silos.copy()
        silos["bridgers"] = [
            [b for b in (bridgers or []) if int(b["person"]) in present]
            for bridgers in silos["bridgers"]
        ]
    return dataclasses.replace(
        result, people=people[shown].reset_index(drop=True), risk=risk, silos=silos
    )


def individual_analysis(*, viewer: User) -> tuple[AnalysisRun | None, NetworkAnalysis | None]:
    """The full latest analysis, names included, without anyone who has withdrawn
    analytics consent since it ran; audited."""
    if not policies.can_view_individual_metrics(viewer):
        _forbid()
    run = latest_run()
    if run is None:
        return None, None
    audit_record(
        actor=viewer,
        action=AuditEntry.Action.VIEW,
        object_type="analysis_people",
        object_id=run.pk,
    )
    return run, _in_analytics_now(_load(run))


def report_analysis(
    *, viewer: User, audience: str
) -> tuple[AnalysisRun | None, NetworkAnalysis | None]:
    """The analysis a report is rendered from. The leader report renderer keeps
    to group-level results itself (given :func:`viewer_person`, so its
    thresholds leave the viewer out); the analyst report needs the permission."""
    if audience == "analyst":
        return individual_analysis(viewer=viewer)
    if audience != "leader":
        raise ValueError("audience must be 'leader' or 'analyst'")
    if not policies.can_view_group_network(viewer):
        _forbid()
    run = latest_run()
    return run, (_load(run) if run is not None else None)


def person_metrics(*, viewer: User, person_id: int) -> PersonMetric | None:
    """A person's metrics in the latest run: for themselves or a permission holder.

    Returns None when the person is not in the latest run (no run yet) or does
    not consent to analytics now (withdrawing hides the stored metrics at
    once); raises NotFoundError for anyone else.
    """
    own = viewer.is_authenticated and viewer.person_id == person_id
    if not policies.can_see_person_metrics(viewer, person_id):
        _forbid()
    consent = consents(person_id)
    if consent is None:
        _forbid()
    run = latest_run()
    if run is None or not consent:
        return None
    if not own:
        audit_record(
            actor=viewer,
            action=AuditEntry.Action.VIEW,
            object_type="network_metrics",
            object_id=person_id,
            subject_person_id=person_id,
        )
    return PersonMetric.objects.filter(run=run, person_id=person_id).select_related("run").first()


def can_see_person_metrics(*, viewer: User, person_id: int) -> bool:
    """Whether the viewer may see this person's individual metrics: themselves,
    their mentor if they share them, or a permission holder
    (:func:`bridgework.accounts.policies.can_see_person_metrics`)."""
    return policies.can_see_person_metrics(viewer, person_id)


def person_metric_context(metric: PersonMetric | None) -> dict[str, Any]:
    """Plain-language reading of a person's metrics for their profile."""
    if metric is None:
        return {}
    total = PersonMetric.objects.filter(run_id=metric.run_id).count()
    share = metric.betweenness_rank / total if total else 1.0
    return {
        "metric": metric,
        "people_in_run": total,
        "top_percent": max(1, round(100 * share)),
        "is_broker": share <= 0.10 and metric.betweenness > 0,
        "between_groups": metric.brokerage,
    }


# ---------------------------------------------------------------- maps


def _columns(frame, names) -> dict[str, list]:
    return {name: frame[name].astype(str).tolist() for name in names if name in frame}


def _clean(values) -> list:
    return [None if (isinstance(v, float) and v != v) else v for v in values]


def people_map(*, viewer: User) -> dict[str, Any]:
    """Everyone in the latest run who still consents, positioned, coloured and
    sized (permission holders)."""
    run, result = individual_analysis(viewer=viewer)
    if result is None:
        return _empty("person", "people")
    people = result.people
    index = {int(p): i for i, p in enumerate(people["person"].tolist())}
    # Only people and ties of people who consent today: someone who withdrew
    # since the run is neither a node nor at the end of a tie.
    ties = (
        consented_ties()
        .filter(strength__gt=0, person_a_id__in=index.keys(), person_b_id__in=index.keys())
        .values_list("person_a_id", "person_b_id", "strength")
    )
    source, target, weight = [], [], []
    for a, b, strength in ties.iterator(chunk_size=20_000):
        if a in index and b in index:
            source.append(index[a])
            target.append(index[b])
            weight.append(round(float(strength), 3))
    return {
        "nodes": {
            "id": people["person"].astype(str).tolist(),
            "label": people["label"].astype(str).tolist(),
            "x": _clean(people["x"].tolist()) if "x" in people else [0.0] * len(people),
            "y": _clean(people["y"].tolist()) if "y" in people else [0.0] * len(people),
            "groups": {
                "community": ["Community " + str(c) for c in people["community"].tolist()],
                "team": [t or None for t in people["team"].astype(str).tolist()],
                "engagement": people["engagement"].astype(str).tolist(),
            },
            "metrics": {
                name: _clean([round(float(v), 6) for v in people[name].tolist()])
                for name in METRIC_LABELS
                if name in people
            },
        },
        "edges": {"source": source, "target": target, "weight": weight},
        "labels": {"groups": GROUP_LABELS, "metrics": METRIC_LABELS},
        "noun": ["person", "people"],
        "edgeNoun": ["tie", "ties"],
        "href": "/people/{id}/",
    }


def group_map(*, viewer: User) -> dict[str, Any]:
    """The shown teams as nodes (sized by headcount), ties between them as links."""
    _, view = group_view(viewer=viewer)
    if view is None:
        return _empty("team", "teams")
    teams = view.teams
    names = teams["group"].astype(str).tolist()
    matrix = view.matrix
    source, target, weight = [], [], []
    for i, a in enumerate(names):
        for j in range(i + 1, len(names)):
            value = float(matrix[names[j]][a]) if a in matrix.index else 0.0
            if value > 0:  # NaN (withheld) is no link on the map
                source.append(i)
                target.append(j)
                weight.append(value)
    positions = _group_positions(len(names), source, target, weight)
    return {
        "nodes": {
            "id": names,
            "label": names,
            "x": [round(float(p[0]), 3) for p in positions],
            "y": [round(float(p[1]), 3) for p in positions],
            "groups": {
                "silo": ["Silo" if s else "Connected" for s in teams["silo"].tolist()],
            },
            "metrics": {
                "size": teams["size"].astype(int).tolist(),
                # None where the privacy rules withheld a team's ties to other teams.
                "outside_share": [
                    None if withheld else round(float(v), 3) if v == v else 0.0
                    for v, withheld in zip(
                        teams["outside_share"], _outside_withheld(teams), strict=True
                    )
                ],
                "external_direct": [
                    None if withheld else int(v)
                    for v, withheld in zip(
                        teams["external_direct"].fillna(0), _outside_withheld(teams), strict=True
                    )
                ],
            },
        },
        "edges": {"source": source, "target": target, "weight": weight},
        "labels": {
            "groups": {"silo": "Silo or connected"},
            "metrics": {
                "size": "Headcount",
                "outside_share": "Share of ties leaving the team",
                "external_direct": "External people reached",
            },
        },
        "noun": ["team", "teams"],
        "edgeNoun": ["link", "links"],
    }


def _outside_withheld(teams) -> list[bool]:
    if "outside_withheld" not in teams:
        return [False] * len(teams)
    return [bool(v) for v in teams["outside_withheld"]]


def _group_positions(n: int, source, target, weight) -> np.ndarray:
    if n == 0:
        return np.zeros((0, 2))
    if not source:
        angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
        return np.column_stack([np.cos(angle), np.sin(angle)])
    net = Network.from_ties(source, target, weight, nodes=range(n))
    return engines.force_layout(net, seed=0)


def ego_map(*, viewer: User, person_id: int) -> dict[str, Any]:
    """A person and their contacts. Ties among the contacts are drawn only for
    permission holders: a member sees their own ties, never other people's.

    Someone who withdrew analytics consent has no ego map for anyone else ("not
    found"); their own shows only themselves.
    """
    metric = person_metrics(viewer=viewer, person_id=person_id)  # access check
    if metric is None and viewer.person_id != person_id and not consents(person_id):
        _forbid()
    show_alter_ties = policies.can_view_individual_metrics(viewer)
    ties = list(
        consented_ties()
        .filter(strength__gt=0, person_a_id=person_id)
        .values_list("person_b_id", "strength")
    ) + list(
        consented_ties()
        .filter(strength__gt=0, person_b_id=person_id)
        .values_list("person_a_id", "strength")
    )
    contacts = {other: float(strength) for other, strength in ties}
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=[person_id, *contacts]).select_related("team")
    }
    order = [person_id, *sorted(contacts, key=lambda p: (-contacts[p], p))]
    order = [p for p in order if p in people]
    index = {p: i for i, p in enumerate(order)}
    source = [0] * (len(order) - 1)
    target = list(range(1, len(order)))
    weight = [round(contacts[p], 3) for p in order[1:]]
    if show_alter_ties and len(order) > 2:
        alters = order[1:]
        for a, b, strength in (
            consented_ties()
            .filter(strength__gt=0, person_a_id__in=alters, person_b_id__in=alters)
            .values_list("person_a_id", "person_b_id", "strength")
        ):
            source.append(index[a])
            target.append(index[b])
            weight.append(round(float(strength), 3))
    if show_alter_ties:
        net = Network.from_ties(source, target, weight or None, nodes=range(len(order)))
        xy = engines.force_layout(net, seed=person_id) if len(order) > 1 else np.zeros((1, 2))
    else:
        xy = _radial(order, people, contacts)
    engagement = dict(EngagementType.choices)
    communities = {}
    if metric is not None and show_alter_ties:
        communities = dict(
            PersonMetric.objects.filter(run_id=metric.run_id, person_id__in=order).values_list(
                "person_id", "community"
            )
        )
    groups: dict[str, list[str | None]] = {
        "team": [team.name if (team := people[p].team) else "No team" for p in order],
        "engagement": [
            engagement.get(people[p].engagement_type, people[p].engagement_type) for p in order
        ],
    }
    if communities:
        groups["community"] = [
            f"Community {communities[p]}" if p in communities else None for p in order
        ]
    return {
        "nodes": {
            "id": [str(p) for p in order],
            "label": [people[p].full_name for p in order],
            "x": [round(float(v), 3) for v in xy[:, 0]],
            "y": [round(float(v), 3) for v in xy[:, 1]],
            "groups": groups,
            "metrics": {"strength": [1.0] + weight[: len(order) - 1]},
        },
        "edges": {"source": source, "target": target, "weight": weight},
        "labels": {
            "groups": GROUP_LABELS,
            "metrics": {"strength": "Tie strength to them"},
        },
        "noun": ["person", "people"],
        "edgeNoun": ["tie", "ties"],
        "href": "/people/{id}/",
    }


def _radial(order: list[int], people: dict, contacts: dict[int, float]) -> np.ndarray:
    """The person in the middle, contacts around them grouped by team, stronger ties closer."""
    xy = np.zeros((len(order), 2))
    alters = order[1:]
    if not alters:
        return xy

    def team(p: int) -> str:
        return people[p].team.name if people[p].team_id else "~"

    ranked = sorted(alters, key=lambda p: (team(p), -contacts[p], p))
    for i, p in enumerate(ranked):
        angle = 2 * np.pi * i / len(ranked)
        radius = 1.0 - 0.6 * min(max(contacts[p], 0.0), 1.0)
        xy[order.index(p)] = (radius * np.cos(angle), radius * np.sin(angle))
    return xy


def _empty(one: str, many: str) -> dict[str, Any]:
    return {
        "nodes": {"id": [], "label": [], "x": [], "y": [], "groups": {}, "metrics": {}},
        "edges": {"source": [], "target": [], "weight": []},
        "noun": [one, many],
    }
