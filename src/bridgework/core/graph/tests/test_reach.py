"""Two-step reach against a brute-force count.

The expected values are counted independently: NetworkX's breadth-first
``single_source_shortest_path_length(graph, v, cutoff=2)`` lists everyone
within two ties of ``v`` (we drop ``v`` itself), on seeded random graphs and
on Zachary's karate club (``tests/data/zachary-karate``).
"""

from __future__ import annotations

import csv

import networkx as nx
import pytest

from bridgework.core.graph.network import Network
from bridgework.core.graph.reach import two_step_reach, two_step_reach_share
from bridgework.testsupport import sample_path

DATA = sample_path()


def _brute_force(graph: nx.Graph) -> dict[int, int]:
    return {v: len(nx.single_source_shortest_path_length(graph, v, cutoff=2)) - 1 for v in graph}


def _network(graph: nx.Graph) -> Network:
    edges = list(graph.edges())
    return Network.from_ties([a for a, _ in edges], [b for _, b in edges], nodes=graph.nodes)


@pytest.mark.parametrize("seed", range(20))
def test_two_step_reach_equals_brute_force_on_random_graphs(seed):
    graph = nx.gnp_random_graph(60, 0.05 + 0.01 * (seed % 5), seed=seed)
    assert two_step_reach(_network(graph)) == _brute_force(graph)


def test_two_step_reach_on_karate_club():
    with open(DATA / "zachary-karate" / "edges.csv", newline="") as f:
        graph = nx.Graph((int(r["from"]), int(r["to"])) for r in csv.DictReader(f))
    net = _network(graph)
    expected = _brute_force(graph)
    assert two_step_reach(net) == expected
    share = two_step_reach_share(net)
    assert share == {v: pytest.approx(expected[v] / 33) for v in expected}


def test_isolates_and_tiny_networks():
    net = Network.from_ties([1], [2], nodes=[3])
    assert two_step_reach(net) == {1: 1, 2: 1, 3: 0}
    assert two_step_reach_share(net) == {1: 0.5, 2: 0.5, 3: 0.0}
    lone = Network.from_ties([], [], nodes=[7])
    assert two_step_reach(lone) == {7: 0}
    assert two_step_reach_share(lone) == {7: 0.0}
