"""Burt's measures against NetworkX (the reference implementation, which agrees
with igraph to 1e-15 per docs/PERFORMANCE) and hand-computed values.

NetworkX is called with ``nodes=list(g)`` so that it runs its pure-Python
definition: with SciPy installed, ``nx.effective_size`` over all nodes takes
a sparse-matrix shortcut whose weighted results (NetworkX 3.6, SciPy 1.17)
differ from its own definition by up to a few percent; a brute-force
evaluation of Burt's formula agrees with the pure-Python path and with us.
"""

import csv
import math
import random

import networkx as nx
import pytest

from bridgework.core.graph.structural_holes import constraint, effective_size, hierarchy
from bridgework.testsupport import sample_path

DATA = sample_path()


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _karate():
    return [
        (int(r["from"]), int(r["to"]), float(r["weight"]))
        for r in _rows(DATA / "zachary-karate" / "edges.csv")
    ]


def _unweighted(path):
    return [(int(r["from"]), int(r["to"]), 1.0) for r in _rows(path)]


def _graph(edges, nodes=()):
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_weighted_edges_from(edges)
    return g


def _assert_close(ours, theirs, tol=1e-12):
    assert ours.keys() == theirs.keys()
    for v, expected in theirs.items():
        if math.isnan(expected):
            assert math.isnan(ours[v]), v
        else:
            assert ours[v] == pytest.approx(expected, abs=tol, rel=tol), v


@pytest.mark.parametrize("weighted", [True, False])
def test_karate_club_matches_networkx(weighted):
    # Zachary (1977) weighted ties (igraphdata); NetworkX as the oracle.
    edges = _karate()
    g = _graph(edges)
    w = "weight" if weighted else None
    _assert_close(constraint(edges, weighted=weighted), nx.constraint(g, nodes=list(g), weight=w))
    _assert_close(
        effective_size(edges, weighted=weighted), nx.effective_size(g, nodes=list(g), weight=w)
    )


def test_krackhardt_friendship_symmetrized_matches_networkx():
    # Krackhardt (1987) friendship, directed; a tie either way is one tie here.
    edges = _unweighted(DATA / "krackhardt-hightech" / "friendship_edges.csv")
    g = nx.Graph()
    g.add_edges_from((a, b) for a, b, _ in edges)
    _assert_close(constraint(edges, weighted=False), nx.constraint(g))
    _assert_close(effective_size(edges, weighted=False), nx.effective_size(g))


def test_padgett_marriage_matches_networkx_and_medici_are_the_brokers():
    nodes = {int(r["id"]): r["name"] for r in _rows(DATA / "padgett-florentine" / "nodes.csv")}
    edges = _unweighted(DATA / "padgett-florentine" / "marriage_edges.csv")
    g = _graph(edges, nodes)
    c = constraint(edges, nodes=nodes)
    e = effective_size(edges, nodes=nodes)
    _assert_close(c, nx.constraint(g))
    _assert_close(e, nx.effective_size(g))
    # Pucci has no marriage ties: nan, as in NetworkX.
    pucci = next(i for i, name in nodes.items() if name == "Pucci")
    assert math.isnan(c[pucci]) and math.isnan(e[pucci])
    # Padgett & Ansell (1993, "Robust Action and the Rise of the Medici") read
    # the Medici's power as brokerage between otherwise unconnected families;
    # in Burt's terms they have the largest effective size and the lowest
    # constraint of all families (checked with nx.constraint/effective_size).
    medici = next(i for i, name in nodes.items() if name == "Medici")
    tied = [v for v in nodes if v != pucci]
    assert max(tied, key=e.__getitem__) == medici
    assert min(tied, key=c.__getitem__) == medici


@pytest.mark.parametrize("seed", range(5))
def test_random_weighted_graphs_match_networkx(seed):
    rng = random.Random(seed)
    g = nx.gnp_random_graph(40, 0.15, seed=seed)
    edges = [(a, b, rng.uniform(0.1, 5.0)) for a, b in g.edges()]
    g = _graph(edges, range(40))
    _assert_close(
        constraint(edges, nodes=range(40)), nx.constraint(g, nodes=list(g), weight="weight")
    )
    _assert_close(
        effective_size(edges, nodes=range(40)), nx.effective_size(g, nodes=list(g), weight="weight")
    )


def test_repeated_pairs_add_weights_and_self_loops_are_ignored():
    edges = [(1, 2, 1.0), (2, 1, 2.0), (1, 3, 1.0), (2, 3, 1.0), (3, 3, 9.0)]
    merged = [(1, 2, 3.0), (1, 3, 1.0), (2, 3, 1.0)]
    assert constraint(edges) == constraint(merged)
    assert effective_size(edges) == effective_size(merged)


def test_hierarchy_star_and_triangle_are_zero():
    # Every contact constrains equally: all r_ij = 1, so H = 0.
    star = [(0, k, 1.0) for k in range(1, 5)]
    triangle = [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0)]
    assert hierarchy(star) == dict.fromkeys(range(5), 0.0)
    assert hierarchy(triangle) == dict.fromkeys(range(3), 0.0)


def test_hierarchy_hand_computed():
    # Ego 0 tied to 1, 2, 3; 1 - 2 tied. p_0j = 1/3; p_1,2 = p_2,1 = 1/2.
    # c_01 = c_02 = (1/3 + 1/3 * 1/2)^2 = 1/4, c_03 = (1/3)^2 = 1/9.
    # C = 11/18, C/N = 11/54, r = 27/22, 27/22, 6/11 (they add up to N = 3).
    # H_0 = (2 * 27/22 ln(27/22) + 6/11 ln(6/11)) / (3 ln 3).
    edges = [(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0), (1, 2, 1.0)]
    expected = (2 * 27 / 22 * math.log(27 / 22) + 6 / 11 * math.log(6 / 11)) / (3 * math.log(3))
    h = hierarchy(edges, nodes=[9])
    assert h[0] == pytest.approx(expected, rel=1e-12)
    # Node 1: contacts 0 and 2, p_10 = p_12 = 1/2; p_20 = 1/2, p_02 = 1/3.
    # c_10 = (1/2 + 1/2 * 1/2)^2 = 9/16, c_12 = (1/2 + 1/2 * 1/3)^2 = 4/9;
    # C/N = 145/288, r = 162/145, 128/145; H_1 = sum r ln r / (2 ln 2).
    r0, r2 = 162 / 145, 128 / 145
    expected_1 = (r0 * math.log(r0) + r2 * math.log(r2)) / (2 * math.log(2))
    assert h[1] == pytest.approx(expected_1, rel=1e-12)
    assert h[3] == 0.0  # a single contact
    assert math.isnan(h[9])


def test_ten_thousand_people_each_get_a_value():
    """The sparse path on an organization-sized input (its speed: bench/ona.py)."""
    rng = random.Random(7)
    n = 10_000  # teams of 50
    edges = []
    for v in range(n):
        for _ in range(30):  # mostly within the team, some across
            u = v // 50 * 50 + rng.randrange(50) if rng.random() < 0.8 else rng.randrange(n)
            edges.append((v, u, rng.uniform(0.1, 1.0)))
    c = constraint(edges)
    e = effective_size(edges)
    h = hierarchy(edges)
    assert len(c) == len(e) == len(h) == n
    # Unweighted, a sample of people: constraint against NetworkX's definition,
    # effective size against Borgatti's (1997) shortcut n - 2t/n (t: ties among
    # the n contacts), which NetworkX's own unweighted path is too slow for here.
    g = nx.Graph()
    g.add_edges_from((a, b) for a, b, _ in edges if a != b)
    sample = random.Random(3).sample(sorted(g), 8)
    plain_c = constraint(edges, weighted=False)
    plain_e = effective_size(edges, weighted=False)
    _assert_close({v: plain_c[v] for v in sample}, nx.constraint(g, nodes=sample))
    borgatti = {}
    for v in sample:
        contacts = set(g[v])
        among = sum(len(contacts & set(g[u])) for u in contacts) / 2
        borgatti[v] = len(contacts) - 2 * among / len(contacts)
    _assert_close({v: plain_e[v] for v in sample}, borgatti)
