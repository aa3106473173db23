"""Key-person risk against a brute-force oracle: remove each person with
NetworkX, recount components and which groups each remaining person can
still reach. The oracle shares no code with the block-cut tree method."""

from __future__ import annotations

import itertools
from typing import cast

import networkx as nx
import numpy as np
import pytest

from bridgework.core.graph.network import Network
from bridgework.core.graph.risk import key_person_risk


def brute_force(graph: nx.Graph, groups: dict[int, str]) -> dict[int, dict[str, int]]:
    result = {}
    reach_before = {}
    for component in nx.connected_components(graph):
        present = {groups[p] for p in component}
        for p in component:
            reach_before[p] = (component, present)
    for v in graph.nodes:
        component, _ = reach_before[v]
        rest = graph.subgraph(component - {v})
        pieces = [set(c) for c in nx.connected_components(rest)]
        whole = {groups[p] for p in component - {v}}
        losing = access = 0
        for piece in pieces:
            lost = len(whole - {groups[p] for p in piece})
            if lost:
                losing += len(piece)
                access += len(piece) * lost
        sizes = sorted((len(p) for p in pieces), reverse=True)
        cross = [(a, b) for a, b in graph.edges if groups[a] != groups[b]]
        pair_ties: dict[frozenset[str], list[tuple[int, int]]] = {}
        for a, b in cross:
            pair_ties.setdefault(frozenset((groups[a], groups[b])), []).append((a, b))
        links_lost = sum(all(v in tie for tie in ties) for ties in pair_ties.values())
        result[v] = {
            "components_split": max(len(pieces) - 1, 0),
            "people_cut_off": sum(sizes[1:]),
            "people_losing_a_group": losing,
            "group_access_lost": access,
            "cross_group_ties": sum(v in tie for tie in cross),
            "group_links_lost": links_lost,
        }
    return result


def ours(graph: nx.Graph, groups: dict[int, str]) -> dict[int, dict[str, int]]:
    a, b = zip(*graph.edges, strict=True) if graph.number_of_edges() else ((), ())
    net = Network.from_ties(list(a), list(b), nodes=list(graph.nodes))
    frame = key_person_risk(net, groups).set_index("person")
    return {
        int(cast(int, p)): {str(k): int(v) for k, v in row.items()} for p, row in frame.iterrows()
    }


@pytest.mark.parametrize("seed", range(40))
def test_matches_brute_force_on_random_sparse_graphs(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 30))
    # Sparse trees-with-extras have many articulation points.
    graph = (
        nx.random_labeled_tree(n, seed=seed) if seed % 2 else nx.gnm_random_graph(n, n, seed=seed)
    )
    graph.add_edges_from(
        (int(rng.integers(n)), int(rng.integers(n))) for _ in range(int(rng.integers(0, 4)))
    )
    graph.remove_edges_from(nx.selfloop_edges(graph))
    groups = {v: "abc"[int(rng.integers(3))] for v in graph.nodes}
    assert ours(graph, groups) == brute_force(graph, groups)


def test_barbell_bridge_people():
    # Two 4-cliques (team a, team b) joined through person 8 in the middle:
    # 3 - 8 - 4 (hand count: removing 8 cuts the 4 people of the smaller...
    # equal halves, so 4 people are cut off and all 8 others lose the other team).
    graph = nx.Graph()
    graph.add_edges_from(itertools.combinations([0, 1, 2, 3], 2))
    graph.add_edges_from(itertools.combinations([4, 5, 6, 7], 2))
    graph.add_edges_from([(3, 8), (8, 4)])
    groups = {**dict.fromkeys([0, 1, 2, 3], "a"), **dict.fromkeys([4, 5, 6, 7], "b"), 8: "c"}
    risk = ours(graph, groups)
    assert risk[8]["components_split"] == 1
    assert risk[8]["people_cut_off"] == 4
    assert risk[8]["people_losing_a_group"] == 8
    assert risk[8]["group_access_lost"] == 8
    # 3 is the only way from team a to 8 and team b: removing 3 strands 8, 4..7
    # (5 people) from team a, and 0, 1, 2 from c and b.
    assert risk[3]["people_cut_off"] == 3
    assert risk[3]["people_losing_a_group"] == 8
    assert risk[3]["group_access_lost"] == 5 + 3 * 2
    assert risk[0]["components_split"] == 0
    assert risk[0]["people_losing_a_group"] == 0
    assert brute_force(graph, groups) == risk


def test_isolated_people_and_no_groups():
    net = Network.from_ties([1], [2], nodes=[3])
    frame = key_person_risk(net, {})
    assert frame["people_cut_off"].tolist() == [0, 0, 0]
    assert set(frame["person"]) == {1, 2, 3}
