"""Network measures of people as of any date, straight from the event store.

Mentoring progress ("how did the mentee's network change over the program")
and program evaluation (before/after against a comparison group) need each
person's network as it was on a past day, not only the latest analysis.
:func:`network_measures_at` aggregates the events up to that day into ties
(the same SQL and strength formula as the stored ties), keeps the ties at or
above the "occasional" band, and measures every person on them.

**Internal, not viewer-scoped**: callers (the mentoring and impact selectors)
apply their own permission rules before showing a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from bridgework.core.events.ties import aggregate_ties
from bridgework.core.graph import engines
from bridgework.core.graph.brokerage import undirected_brokerage_roles
from bridgework.core.graph.network import Network
from bridgework.core.relationships.strength import score_ties
from bridgework.eventstore import get_event_store
from bridgework.network.services import strength_weights
from bridgework.people.models import Person

__all__ = ["MEASURES", "TIE_FLOOR", "network_measures_at"]

#: Ties below this strength (the "dormant" band) do not count as ties here.
TIE_FLOOR = 0.15

#: Columns of :func:`network_measures_at`, besides ``person``.
MEASURES = (
    "ties",
    "ties_outside_team",
    "two_step_reach",
    "teams_reached",
    "organizations_reached",
    "brokerage",
)


def network_measures_at(
    day: dt.date | dt.datetime, *, people: Iterable[int] | None = None
) -> pd.DataFrame:
    """Each person's network on ``day`` (end of day, UTC), from the events up to then.

    Returns a DataFrame with ``person`` and :data:`MEASURES`: ties (strength
    >= :data:`TIE_FLOOR`), ties to people outside their own team, two-step
    reach, distinct other teams and organizations tied to, and brokerage
    between teams (Gould-Fernandez roles other than coordinator). People who
    withdrew analytics consent are left out. ``people`` limits the rows (the
    network is always the whole one, so reach and brokerage are right).
    """
    as_of = (
        day
        if isinstance(day, dt.datetime)
        else dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)
    )
    weights = strength_weights()
    consenting = {
        p.pk: p
        for p in Person.objects.filter(analytics_consent=True).only(
            "id", "team_id", "organization_id"
        )
    }
    table = aggregate_ties(get_event_store(), as_of=as_of, half_life_days=weights.half_life_days)
    a, b, w = [], [], []
    for score in score_ties(table, as_of=as_of, weights=weights):
        pa_, pb_ = int(score.person_a), int(score.person_b)
        if score.strength >= TIE_FLOOR and pa_ in consenting and pb_ in consenting:
            a.append(pa_)
            b.append(pb_)
            w.append(score.strength)
    network = Network.from_ties(a, b, w, nodes=list(consenting))
    team = np.asarray([consenting[p].team_id or -p for p in network.nodes])
    organization = np.asarray([consenting[p].organization_id or -p for p in network.nodes])
    src, dst = network.sources, network.targets
    n = network.number_of_nodes()
    outside = team[src] != team[dst]
    ties_outside = np.bincount(src[outside], minlength=n) + np.bincount(dst[outside], minlength=n)

    def distinct(labels: np.ndarray) -> np.ndarray:
        owner = np.concatenate([src, dst])
        other = np.concatenate([labels[dst], labels[src]])
        keep = other != labels[owner]
        pairs = np.unique(np.column_stack([owner[keep], other[keep]]), axis=0)
        return np.bincount(pairs[:, 0], minlength=n) if len(pairs) else np.zeros(n, dtype=int)

    roles = undirected_brokerage_roles(
        network, {p: str(t) for p, t in zip(network.nodes, team, strict=True)}
    )
    frame = pd.DataFrame(
        {
            "person": network.ids,
            "ties": engines.degree(network),
            "ties_outside_team": ties_outside,
            "two_step_reach": engines.two_step_reach(network) if n else np.zeros(0, dtype=int),
            "teams_reached": distinct(team),
            "organizations_reached": distinct(organization),
            "brokerage": [
                sum(roles[p][r] for r in ("itinerant", "representative", "gatekeeper", "liaison"))
                for p in network.nodes
            ],
        }
    )
    if people is not None:
        wanted = {int(p) for p in people}
        frame = frame[frame["person"].isin(wanted)].reset_index(drop=True)
    return frame
