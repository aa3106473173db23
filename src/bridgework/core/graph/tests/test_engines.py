"""The igraph adapter and our Network type.

Expected values are worked out by hand on tiny graphs, or taken from
NetworkX (an independent implementation) on Zachary's karate club
(``tests/data/zachary-karate``).
"""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from bridgework.core.graph import engines
from bridgework.core.graph.network import Network
from bridgework.testsupport import sample_path

ROOT = Path(__file__).resolve().parents[5]
DATA = sample_path()


def test_from_ties_maps_ids_merges_duplicates_and_keeps_attributes():
    net = Network.from_ties(
        [30, 10, 20, 30],
        [10, 20, 10, 20],
        [1.0, 2.0, 0.5, 4.0],
        nodes=[99],
        attributes={10: {"team": "a"}, 99: {"team": "b"}, 12345: {"team": "gone"}},
    )
    assert net.nodes == [10, 20, 30, 99]
    assert net.number_of_nodes() == 4 and net.number_of_edges() == 3
    assert net.weight(10, 20) == 2.5 and net.weight(20, 10) == 2.5
    assert net.weight(10, 99) is None
    assert net.neighbors(10) == [20, 30] and net.neighbors(99) == []
    assert net.attribute("team") == {10: "a", 20: None, 30: None, 99: "b"}
    assert 12345 not in net.attributes
    assert 99 in net and 5 not in net


@pytest.mark.parametrize(
    ("a", "b", "w"),
    [([1, 2], [2], None), ([1], [1], None), ([1], [2], [0.0]), ([1], [2], [float("nan")])],
)
def test_from_ties_rejects_bad_input(a, b, w):
    with pytest.raises(ValueError):
        Network.from_ties(a, b, w)


def test_to_igraph_keeps_structure_ids_and_weights():
    with open(DATA / "zachary-karate" / "edges.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    net = Network.from_ties(
        [int(r["from"]) for r in rows],
        [int(r["to"]) for r in rows],
        [float(r["weight"]) for r in rows],
    )
    graph = engines.to_igraph(net)
    assert graph.vcount() == 34 and graph.ecount() == 78 and not graph.is_directed()
    assert graph.vs["person"] == net.nodes
    got = {
        frozenset((graph.vs[e.source]["person"], graph.vs[e.target]["person"])): e["weight"]
        for e in graph.es
    }
    assert got == {frozenset((int(r["from"]), int(r["to"]))): float(r["weight"]) for r in rows}
    reference = nx.Graph()
    reference.add_weighted_edges_from(
        (int(r["from"]), int(r["to"]), float(r["weight"])) for r in rows
    )
    assert engines.degree(net).tolist() == [reference.degree(v) for v in net.nodes]
    assert engines.strength(net).tolist() == [
        reference.degree(v, weight="weight") for v in net.nodes
    ]


def test_engine_graph_is_built_once():
    net = Network.from_ties([1, 2], [2, 3])
    engines.pagerank(net)
    first = net._engine_graph
    engines.coreness(net)
    assert net._engine_graph is first


def test_sampled_betweenness_uses_all_sources_when_samples_cover_everyone():
    graph = nx.gnm_random_graph(50, 150, seed=1)
    net = Network.from_ties(*zip(*graph.edges(), strict=True))
    assert np.allclose(engines.betweenness(net, samples=50), engines.betweenness(net))
    assert engines.betweenness_error_bound(50, 50) == 0.0


def test_error_bound_formula():
    # n/(n-1) * sqrt(ln(2n/delta) / (2k)), computed by hand for n=100, k=25, delta=0.05.
    assert engines.betweenness_error_bound(100, 25, delta=0.05) == pytest.approx(
        100 / 99 * np.sqrt(np.log(4000) / 50)
    )


def test_only_engines_imports_igraph_and_core_never_imports_django():
    core = ROOT / "src" / "bridgework" / "core"
    offenders = []
    for path in core.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in ("igraph", "networkit") and path.name != "engines.py":
                    offenders.append((str(path), name))
                if top == "django":
                    offenders.append((str(path), name))
    # Tests may use NetworkX as an oracle, but not igraph directly.
    assert offenders == []
