"""Open-talent views against brute force with NetworkX and hand counts."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from bridgework.core.graph.network import Network
from bridgework.core.graph.open_talent import bridging_by_engagement, reach_by_team


@pytest.mark.parametrize("seed", range(8))
def test_reach_by_team_matches_brute_force(seed):
    g = nx.gnm_random_graph(50, 90, seed=seed)
    rng = np.random.default_rng(seed)
    teams = {v: (None if v % 7 == 0 else "xyz"[int(rng.integers(3))]) for v in g}
    internal = {v: bool(rng.random() < 0.7) for v in g}
    a, b = zip(*g.edges, strict=True)
    net = Network.from_ties(list(a), list(b), nodes=list(g.nodes))
    ours = reach_by_team(net, teams, internal).set_index("team")
    for team in "xyz":
        members = {v for v in g if teams[v] == team}
        if not members:
            continue
        first = {u for v in members for u in g[v]} - members
        second = ({w for u in first for w in g[u]} | first) - members
        row = ours.loc[team]
        assert row["members"] == len(members)
        assert row["internal_direct"] == sum(internal[u] for u in first)
        assert row["external_direct"] == sum(not internal[u] for u in first)
        assert row["internal_two_step"] == sum(internal[u] for u in second)
        assert row["external_two_step"] == sum(not internal[u] for u in second)


def test_bridging_shares_by_hand():
    # Teams a = {1,2,3}, b = {4,5}. Cross ties: 3-4 (contractor 3) and 2-5.
    net = Network.from_ties([1, 2, 3, 4, 2], [2, 3, 4, 5, 5])
    engagement = {1: "employee", 2: "employee", 3: "contractor", 4: "employee", 5: "alumni"}
    teams = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b"}
    frame = bridging_by_engagement(
        net, engagement, teams, betweenness={3: 2.0, 2: 1.0, 4: 1.0}
    ).set_index("engagement")
    # Two cross ties, each half to each end: contractor 0.5, alumni 0.5, employee 1.0.
    assert frame.loc["contractor", "cross_group_share"] == pytest.approx(0.25)
    assert frame.loc["alumni", "cross_group_share"] == pytest.approx(0.25)
    assert frame.loc["employee", "cross_group_share"] == pytest.approx(0.5)
    # Contractor: 1 of 5 people (0.2) doing 0.25 of the bridging -> ratio 1.25.
    assert frame.loc["contractor", "bridging_ratio"] == pytest.approx(1.25)
    assert frame.loc["contractor", "betweenness_share"] == pytest.approx(0.5)
