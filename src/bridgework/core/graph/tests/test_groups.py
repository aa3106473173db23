"""Group views against counts done by hand and against NetworkX on random graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from bridgework.core.graph.diversity import ei_index
from bridgework.core.graph.groups import group_matrix, group_summary, silo_bridgers, silos
from bridgework.core.graph.network import Network


def _two_teams():
    # Team a: 1-2-3 triangle; team b: 4-5-6 triangle; 3-4 and 3-5 cross.
    net = Network.from_ties([1, 1, 2, 4, 4, 5, 3, 3], [2, 3, 3, 5, 6, 6, 4, 5])
    return net, {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "b"}


def test_matrix_and_summary_by_hand():
    net, teams = _two_teams()
    assert group_matrix(net, teams).values.tolist() == [[3.0, 2.0], [2.0, 3.0]]
    summary = group_summary(net, teams).set_index("group")
    # Each team: 3 inside, 2 outside -> E-I = (2 - 3) / 5 = -0.2.
    assert summary.loc["a", "ei_index"] == pytest.approx(-0.2)
    assert summary.loc["a", "outside_share"] == pytest.approx(0.4)
    # Random mixing for 3 of 6: out 3*3 = 9, in C(3,2) = 3 -> (9 - 3) / 12 = 0.5.
    assert summary.loc["a", "expected_ei"] == pytest.approx(0.5)
    assert summary.loc["a", "partner_groups"] == 1


def test_bridgers_of_a_silo_by_hand():
    net, teams = _two_teams()
    bridgers = silo_bridgers(net, teams, "a")
    # Crossing ties 3-4 and 3-5: person 3 holds both (share 1.0), 4 and 5 one each.
    assert bridgers.values.tolist() == [[3, True, 2, 1.0], [4, False, 1, 0.5], [5, False, 1, 0.5]]
    with pytest.raises(ValueError, match="nobody"):
        silo_bridgers(net, teams, "zzz")


def test_silo_threshold():
    net, teams = _two_teams()
    assert silos(net, teams, max_outside_share=0.3).empty
    assert silos(net, teams, max_outside_share=0.4)["group"].tolist() == ["a", "b"]
    with pytest.raises(ValueError):
        silos(net, teams, max_outside_share=1.5)


@pytest.mark.parametrize("seed", range(5))
def test_summary_agrees_with_ei_index_and_networkx_counts(seed):
    g = nx.gnm_random_graph(40, 120, seed=seed)
    rng = np.random.default_rng(seed)
    teams = {v: "abcd"[int(rng.integers(4))] for v in g.nodes}
    a, b = zip(*g.edges, strict=True)
    net = Network.from_ties(list(a), list(b), nodes=list(g.nodes))
    summary = group_summary(net, teams).set_index("group")
    expected_ei = ei_index(list(g.edges), teams)
    for team, value in expected_ei.items():
        assert summary.loc[team, "ei_index"] == pytest.approx(value)
    matrix = group_matrix(net, teams)
    for t in "abcd":
        members = [v for v in g if teams[v] == t]
        assert matrix.loc[t, t] == g.subgraph(members).number_of_edges()
    # Every tie counted once: the upper triangle with the diagonal holds them all.
    assert np.triu(matrix.values).sum() == g.number_of_edges()
