"""Centrality metrics against independent sources.

Where expected values come from:

* NetworkX 3.x reference implementations (pure Python, a different code base
  from igraph): ``betweenness_centrality`` (Brandes 2001), ``degree``,
  ``core_number``, the pure-Python power-iteration PageRank run to
  ``tol=1e-12`` (NetworkX's public ``pagerank`` needs scipy, which is not
  installed; its default tolerance also stops early, see PERFORMANCE.md) and
  ``eigenvector_centrality`` run to ``tol=1e-12``;
* the data sets in ``tests/data``: Zachary's karate club (Zachary 1977,
  weighted), Krackhardt's high-tech managers (Krackhardt 1987; the directed
  advice and friendship ties made undirected: a tie if either names the
  other) and Padgett's Florentine marriage network (Breiger & Pattison 1986);
* published numbers: betweenness in Padgett's marriage network as printed
  by Jackson, *Social and Economic Networks* (2008), Sect. 2.2.4 (Medici .522,
  Guadagni .255, Albizzi .212, Strozzi .103, on the 15 connected families).
  NetworkX's bundled ``florentine_families_graph`` gives the same values and
  the same 20 ties as our copy of the data, which the test also checks.
"""

from __future__ import annotations

import csv
from fractions import Fraction
from typing import Any

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from bridgework.core.graph import centrality
from bridgework.core.graph.network import Network
from bridgework.testsupport import sample_path

DATA = sample_path()


def _edges(relative: str) -> list[dict[str, str]]:
    with open(DATA / relative, newline="") as f:
        return list(csv.DictReader(f))


def _dataset(name: str) -> tuple[Network, nx.Graph]:
    """The same undirected network as ours and as a NetworkX graph."""
    if name == "karate":
        rows = _edges("zachary-karate/edges.csv")
        weights = [float(r["weight"]) for r in rows]
    else:
        path = {
            "advice": "krackhardt-hightech/advice_edges.csv",
            "friendship": "krackhardt-hightech/friendship_edges.csv",
            "marriage": "padgett-florentine/marriage_edges.csv",
        }[name]
        rows = _edges(path)
        weights = [1.0] * len(rows)
    graph = nx.Graph()
    for row, weight in zip(rows, weights, strict=True):
        # Directed pairs named both ways collapse to one undirected tie of weight 1.
        graph.add_edge(int(row["from"]), int(row["to"]), weight=weight, distance=1.0 / weight)
    a, b = zip(*graph.edges(), strict=True)
    w = [graph.edges[e]["weight"] for e in graph.edges()]
    return Network.from_ties(a, b, w), graph


DATASETS = ["karate", "advice", "friendship", "marriage"]


def _close(ours: dict[Any, float], expected: dict[Any, float], tol: float) -> None:
    assert ours.keys() == expected.keys()
    for k in ours:
        assert ours[k] == pytest.approx(expected[k], abs=tol), k


@pytest.mark.parametrize("name", DATASETS)
def test_betweenness_matches_networkx(name):
    net, graph = _dataset(name)
    _close(centrality.betweenness(net), nx.betweenness_centrality(graph, normalized=True), 1e-9)
    _close(
        centrality.betweenness(net, normalized=False),
        nx.betweenness_centrality(graph, normalized=False),
        1e-9,
    )


def test_distance_weighted_betweenness_matches_networkx_in_exact_arithmetic():
    """Lengths 1/w tie in exact arithmetic (1/3 + 1/6 == 1/2) but not in
    floating point: NetworkX compares floats exactly and misses such ties,
    igraph compares with a tolerance. So the oracle is NetworkX run on
    ``Fraction`` lengths, where every tie is exact."""
    net, graph = _dataset("karate")
    for a, b in graph.edges():
        graph.edges[a, b]["exact"] = Fraction(1) / Fraction(int(graph.edges[a, b]["weight"]))
    expected = {
        k: float(v)
        for k, v in nx.betweenness_centrality(graph, normalized=True, weight="exact").items()
    }
    _close(centrality.betweenness(net, weight="distance"), expected, 1e-9)


@pytest.mark.parametrize("name", DATASETS)
def test_degree_and_k_core_match_networkx(name):
    net, graph = _dataset(name)
    assert centrality.degree(net) == dict(graph.degree())
    assert centrality.k_core(net) == nx.core_number(graph)
    _close(centrality.weighted_degree(net), dict(graph.degree(weight="weight")), 1e-12)


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("weighted", [True, False])
def test_pagerank_matches_networkx(name, weighted):
    net, graph = _dataset(name)
    expected = _pagerank_python(
        graph, alpha=0.85, tol=1e-12, max_iter=10_000, weight="weight" if weighted else None
    )
    _close(centrality.pagerank(net, weighted=weighted), expected, 1e-6)


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("weighted", [True, False])
def test_eigenvector_matches_networkx(name, weighted):
    net, graph = _dataset(name)
    expected = nx.eigenvector_centrality(
        graph, tol=1e-12, max_iter=10_000, weight="weight" if weighted else None
    )
    _close(centrality.eigenvector(net, weighted=weighted), expected, 1e-6)


def test_medici_have_the_highest_betweenness_in_padgett_marriage_network():
    net, graph = _dataset("marriage")
    names = {int(r["id"]): r["name"] for r in _edges("padgett-florentine/nodes.csv")}
    ours = {names[k]: v for k, v in centrality.betweenness(net).items()}
    # Our copy of the data is NetworkX's bundled graph of the same families.
    bundled = nx.florentine_families_graph()
    assert {frozenset((names[a], names[b])) for a, b in graph.edges()} == {
        frozenset(e) for e in bundled.edges()
    }
    assert max(ours, key=ours.__getitem__) == "Medici"
    # Jackson (2008), Sect. 2.2.4, three decimals.
    for family, published in {
        "Medici": 0.522,
        "Guadagni": 0.255,
        "Albizzi": 0.212,
        "Strozzi": 0.103,
    }.items():
        assert ours[family] == pytest.approx(published, abs=5e-4)


def test_pucci_isolate_changes_normalization_not_ranking():
    """With Pucci included (16 families, n-1 = 15) the raw score stays 47.5."""
    rows = _edges("padgett-florentine/marriage_edges.csv")
    net = Network.from_ties(
        [int(r["from"]) for r in rows], [int(r["to"]) for r in rows], nodes=[12]
    )
    raw = centrality.betweenness(net, normalized=False)
    assert raw[9] == pytest.approx(47.5)
    assert raw[12] == 0.0
    assert centrality.betweenness(net)[9] == pytest.approx(47.5 / (15 * 14 / 2))
    assert centrality.degree(net)[12] == 0 and centrality.k_core(net)[12] == 0
    assert centrality.eigenvector(net)[12] == 0.0


def test_path_sampled_betweenness_is_within_the_stated_bound():
    """2,000 people: Riondato-Kornaropoulos estimates with epsilon 0.01 lie within
    epsilon * n / (n - 2) of the exact values (checked against NetworkX above);
    the guarantee holds with probability 0.9 and the seed is fixed."""
    from bridgework.core.graph.engines import betweenness_sampled_paths

    graph = nx.connected_watts_strogatz_graph(2000, 8, 0.05, seed=7)
    a, b = zip(*graph.edges(), strict=True)
    net = Network.from_ties(a, b, nodes=range(2000))
    sampled = centrality.betweenness(net, exact_up_to=100, epsilon=0.01, delta=0.1, seed=3)
    exact = centrality.betweenness(net)
    bound = 0.01 * 2000 / 1998
    errors = np.array([abs(sampled[k] - exact[k]) for k in exact])
    assert errors.max() <= bound
    # The same seed gives the same estimate; the sample size follows the formula.
    assert sampled == centrality.betweenness(net, exact_up_to=100, seed=3)
    _, pairs = betweenness_sampled_paths(net, epsilon=0.01, delta=0.1, seed=3)
    assert 20_000 < pairs < 60_000


def test_path_sampling_is_unbiased_on_a_small_graph():
    """Many samples on Zachary-sized graphs: the estimates converge to the exact
    betweenness (NetworkX), which a biased choice of paths would not."""
    from bridgework.core.graph.engines import betweenness_sampled_paths

    graph = nx.connected_watts_strogatz_graph(60, 4, 0.3, seed=2)
    a, b = zip(*graph.edges(), strict=True)
    net = Network.from_ties(a, b, nodes=range(60))
    raw, _ = betweenness_sampled_paths(net, epsilon=0.004, delta=0.1, seed=1)
    exact = nx.betweenness_centrality(graph, normalized=False)
    assert np.abs(raw - np.array([exact[k] for k in net.nodes])).max() < 0.004 * 60 * 59 / 2


def test_sampled_betweenness_with_distances_is_within_the_stated_bound():
    """Weighted distances: 1,000 sampled sources, fixed seed: every estimate lies
    within the Hoeffding bound of the exact value."""
    from bridgework.core.graph.engines import betweenness_error_bound

    graph = nx.gnm_random_graph(2000, 8000, seed=7)
    a, b = zip(*graph.edges(), strict=True)
    weights = np.random.default_rng(1).uniform(0.1, 1.0, len(a))
    net = Network.from_ties(a, b, weights, nodes=range(2000))
    sampled = centrality.betweenness(net, weight="distance", exact_up_to=100, samples=1000, seed=3)
    exact = centrality.betweenness(net, weight="distance")
    bound = betweenness_error_bound(2000, 1000, delta=0.01)
    errors = np.array([abs(sampled[k] - exact[k]) for k in exact])
    assert errors.max() <= bound
    assert errors.max() < bound / 10


def test_betweenness_rejects_unknown_weight():
    net, _ = _dataset("marriage")
    with pytest.raises(ValueError):
        centrality.betweenness(net, weight="strength")  # type: ignore[arg-type]  # on purpose
