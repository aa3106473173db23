"""Warm-introduction paths: known answers, a brute-force oracle and an e-mail network.

Where expected values come from:

* the hand-built graphs are small enough to list every path by hand (each
  test spells out the products);
* the property tests compare with an exhaustive enumeration of simple paths
  by NetworkX (``nx.all_simple_paths`` with ``cutoff=max_hops``), scored
  left to right like ours, on 200 seeded random graphs of 30-80 nodes;
* on a synthetic e-mail network of about 1,000 people modelled on SNAP
  email-Eu-core (``tests/data/email-network-synthetic``, see its SOURCE.md)
  the oracle is NetworkX Dijkstra on a hop-layered copy of the graph (node
  ``(v, h)``: ``v`` reached in ``h`` hops; cost ``-log s``), which finds the
  best walk of at most 3 hops: its product equals the best simple path's
  (cutting a cycle out of a walk never lowers a product of strengths <= 1).
  On the static edge list with a uniform strength the k-best lists are
  checked against NetworkX's Yen-style ``shortest_simple_paths`` and a
  department target set against ``multi_source_dijkstra``.
"""

from __future__ import annotations

import gzip
import math
import pickle
import random
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np
import pytest

from bridgework.core.graph import paths as paths_module
from bridgework.core.graph.paths import Path, TieGraph, best_path_to_each, best_paths
from bridgework.testsupport import sample_path


def keys(found: Iterable[Path]) -> list[tuple[float, int, tuple[int, ...]]]:
    return [(-path.score, path.hops, path.nodes) for path in found]


def product(graph: nx.Graph, nodes: list[int]) -> float:
    score = 1.0
    for u, v in zip(nodes, nodes[1:], strict=False):
        score *= graph[u][v]["strength"]
    return score


def brute_force(graph: nx.Graph, source, targets, exclude=(), max_hops=3):
    """Every simple path, scored and sorted like ``best_paths`` promises.

    A path may not go through another target, an excluded node or back to the
    source: for each target, enumerate on the graph without those nodes.
    """
    exclude = set(exclude) - {source}
    targets = [t for t in dict.fromkeys(targets) if t != source and t not in exclude and t in graph]
    found = []
    for target in targets:
        allowed = [v for v in graph if v in (source, target) or v not in exclude | set(targets)]
        view = graph.subgraph(allowed)
        if source not in view:
            continue
        for nodes in nx.all_simple_paths(view, source, target, cutoff=max_hops):
            found.append((-product(graph, nodes), len(nodes) - 1, tuple(nodes)))
    return sorted(found)


def to_networkx(a, b, strength) -> nx.Graph:
    graph = nx.Graph()
    for u, v, s in zip(a, b, strength, strict=True):
        if u == v:
            continue
        if not graph.has_edge(u, v) or graph[u][v]["strength"] < s:
            graph.add_edge(u, v, strength=s)
    return graph


# -- TieGraph ----------------------------------------------------------------------------


def test_graph_keeps_the_strongest_copy_of_a_pair_and_drops_self_loops():
    graph = TieGraph.from_edges(
        [10, 20, 10, 30, 30], [20, 10, 20, 30, 10], [0.2, 0.7, 0.5, 1.0, 0.4]
    )
    assert graph.number_of_nodes() == 3  # 30's self-loop is dropped, 30 stays a node
    assert graph.number_of_edges() == 2
    assert graph.strength(10, 20) == graph.strength(20, 10) == 0.7
    assert graph.strength(30, 30) is None
    assert graph.strength(10, 99) is None
    assert graph.neighbors(10) == {20: 0.7, 30: 0.4}
    assert list(graph.neighbors(10)) == [20, 30]  # strongest first


def test_neighbors_are_strongest_first_then_by_id():
    graph = TieGraph.from_edges([5, 5, 5, 5], [9, 2, 7, 3], [0.5, 0.5, 0.9, 0.1])
    assert list(graph.neighbors(5).items()) == [(7, 0.9), (2, 0.5), (9, 0.5), (3, 0.1)]
    assert graph.degree(5) == 4


def test_arbitrary_integer_ids_numpy_input_and_membership():
    a = np.array([-5, 10**12, 7], dtype=np.int64)
    b = np.array([10**12, 7, -5], dtype=np.int64)
    graph = TieGraph.from_edges(a, b, np.array([0.5, 0.25, 1.0]))
    assert -5 in graph and 10**12 in graph and np.int64(7) in graph
    assert 8 not in graph and "x" not in graph
    assert sorted(graph) == [-5, 7, 10**12]
    assert len(graph) == 3
    assert graph.strength(np.int64(7), -5) == 1.0  # type: ignore[arg-type]  # numpy ids work too
    assert [p.nodes for p in best_paths(graph, -5, 7, k=5)] == [(-5, 7), (-5, 10**12, 7)]


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.0000001, float("nan"), float("inf")])
def test_strength_outside_zero_one_is_rejected(bad):
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        TieGraph.from_edges([1, 2], [2, 3], [0.5, bad])


def test_bad_shapes_and_ids_are_rejected():
    with pytest.raises(ValueError, match="same length"):
        TieGraph.from_edges([1, 2], [2], [0.5, 0.5])
    with pytest.raises(TypeError, match="integer ids"):
        TieGraph.from_edges([1.5], [2.0], [0.5])  # type: ignore[list-item]  # on purpose
    with pytest.raises(KeyError):
        TieGraph.from_edges([1], [2], [0.5]).neighbors(3)


def test_empty_graph():
    graph = TieGraph.from_edges([], [], [])
    assert graph.number_of_nodes() == graph.number_of_edges() == 0
    assert best_paths(graph, 1, 2) == []
    assert best_path_to_each(graph, 1, [1, 2]) == {1: Path((1,), (), 1.0, 0)}


def test_graph_survives_pickling():
    graph = TieGraph.from_edges([1, 2], [2, 3], [0.5, 0.5])
    again = pickle.loads(pickle.dumps(graph))  # noqa: S301 - round-trips an object the test made itself
    assert again.neighbors(2) == graph.neighbors(2)
    assert keys(best_paths(again, 1, 3)) == keys(best_paths(graph, 1, 3))


# -- Path ------------------------------------------------------------------------------


def test_path_checks_its_shape_and_scores_left_to_right():
    path = Path.from_strengths([1, 2, 3, 4], [0.9, 0.5, 0.8])
    assert path.score == (0.9 * 0.5) * 0.8 and path.hops == 3
    assert (path.source, path.target, path.first_hop) == (1, 4, 2)
    assert Path((7,), (), 1.0, 0).first_hop is None
    with pytest.raises(ValueError):
        Path((1, 2), (0.5, 0.5), 0.25, 2)
    with pytest.raises(ValueError):
        Path((1, 2), (0.5,), 0.5, 2)


# -- best_paths on hand-built graphs -----------------------------------------------------

# 1 ── 2 ── 3 ── 4 strong chain (0.9 each): 0.729
# 1 ── 5 ── 4      through a weak tie (0.3, 0.9): 0.27
# 1 ── 4           a very weak direct tie 0.1
# 4 ── 6 ── 7 ── 8 ── 9: 9 is four hops from 1 only via 4
CHAIN = TieGraph.from_edges(
    [1, 2, 3, 1, 5, 1, 4, 6, 7, 8],
    [2, 3, 4, 5, 4, 4, 6, 7, 8, 9],
    [0.9, 0.9, 0.9, 0.3, 0.9, 0.1, 0.9, 0.9, 0.9, 0.9],
)


def test_three_hops_beat_two_and_one_by_product():
    found = best_paths(CHAIN, 1, 4, k=5)
    assert [p.nodes for p in found] == [(1, 2, 3, 4), (1, 5, 4), (1, 4)]
    assert found[0].strengths == (0.9, 0.9, 0.9)
    assert found[0].score == pytest.approx(0.729)
    assert found[1].score == pytest.approx(0.27)
    assert found[2].score == 0.1


def test_max_hops_is_respected():
    assert [p.nodes for p in best_paths(CHAIN, 1, 4, max_hops=2)] == [(1, 5, 4), (1, 4)]
    assert [p.nodes for p in best_paths(CHAIN, 1, 4, max_hops=1)] == [(1, 4)]
    assert best_paths(CHAIN, 1, 8, max_hops=3) == []
    # 1-4-6-7-8 (4 hops, 0.1 * 0.9^3) against 1-2-3-4-6-7-8 (6 hops, 0.9^6)
    assert [p.nodes for p in best_paths(CHAIN, 1, 8, max_hops=4)] == [(1, 4, 6, 7, 8)]
    six = best_paths(CHAIN, 1, 8, max_hops=6, k=2)
    assert [p.nodes for p in six] == [(1, 2, 3, 4, 6, 7, 8), (1, 5, 4, 6, 7, 8)]
    assert all(p.hops <= 2 for p in best_paths(CHAIN, 1, 4, max_hops=2, k=10))


def test_exclude_removes_people_from_paths():
    assert [p.nodes for p in best_paths(CHAIN, 1, 4, exclude=[3], k=5)] == [(1, 5, 4), (1, 4)]
    assert [p.nodes for p in best_paths(CHAIN, 1, 4, exclude={2, 5})] == [(1, 4)]
    assert best_paths(CHAIN, 1, 4, exclude=[4]) == []  # the target itself
    # the source is never excluded
    assert keys(best_paths(CHAIN, 1, 4, exclude=[1])) == keys(best_paths(CHAIN, 1, 4))


def test_k_distinct_paths_in_order():
    # 0 to 9 through four middles with products 0.8, 0.6, 0.6, 0.3 (+ a 3-hop one, 0.512)
    graph = TieGraph.from_edges(
        [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 6],
        [1, 9, 2, 9, 3, 9, 4, 9, 5, 6, 9],
        [1.0, 0.8, 0.6, 1.0, 1.0, 0.6, 0.5, 0.6, 0.8, 0.8, 0.8],
    )
    found = best_paths(graph, 0, 9, k=10)
    assert [p.nodes for p in found] == [
        (0, 1, 9),
        (0, 2, 9),  # 0.6, tied with 0-3-9: same hops, smaller id first
        (0, 3, 9),
        (0, 5, 6, 9),  # 0.512
        (0, 4, 9),  # 0.3
    ]
    assert len({p.nodes for p in found}) == len(found)
    assert [p.nodes for p in best_paths(graph, 0, 9, k=2)] == [(0, 1, 9), (0, 2, 9)]


def test_equal_scores_prefer_fewer_hops():
    graph = TieGraph.from_edges([1, 2, 3, 1], [2, 3, 4, 4], [1.0, 1.0, 0.5, 0.5])
    assert [p.nodes for p in best_paths(graph, 1, 4)] == [(1, 4), (1, 2, 3, 4)]


def test_target_sets_end_at_the_first_target_reached():
    # the organization {4, 5, 6}: 5 is only reachable through 4, which is a target
    graph = TieGraph.from_edges([1, 2, 4, 1, 3], [2, 4, 5, 3, 6], [0.9, 0.9, 1.0, 0.5, 0.5])
    found = best_paths(graph, 1, {4, 5, 6}, k=5)
    assert [p.nodes for p in found] == [(1, 2, 4), (1, 3, 6)]
    assert best_paths(graph, 1, [5], k=5)[0].nodes == (1, 2, 4, 5)
    # ids not in the graph and the source itself are ignored
    assert keys(best_paths(graph, 1, [4, 5, 6, 1, 999], k=5)) == keys(found)
    assert best_paths(graph, 1, [1]) == []


def test_unreachable_and_unknown_give_no_path():
    graph = TieGraph.from_edges([1, 2, 10], [2, 3, 11], [0.5, 0.5, 0.5])
    assert best_paths(graph, 1, 11) == []
    assert best_paths(graph, 1, 42) == []
    assert best_paths(graph, 42, 1) == []
    assert best_paths(graph, 1, []) == []
    assert best_path_to_each(graph, 1, [11, 42]) == {}


@pytest.mark.parametrize(("max_hops", "k"), [(0, 1), (1, 0), (-1, 3), (2.5, 3), (True, 3)])
def test_bad_limits_are_rejected(max_hops, k):
    with pytest.raises(ValueError):
        best_paths(CHAIN, 1, 4, max_hops=max_hops, k=k)


# -- best_path_to_each --------------------------------------------------------------------


def test_best_path_to_each_target_independently():
    found = best_path_to_each(CHAIN, 1, [4, 3, 1, 9, 77])
    assert list(found) == [4, 3, 1]  # the order asked for; 9 is 5 hops away, 77 unknown
    assert found[4].nodes == (1, 2, 3, 4)
    assert found[3].nodes == (1, 2, 3)  # through no other target restriction
    assert found[1] == Path((1,), (), 1.0, 0)
    assert best_path_to_each(CHAIN, 1, [9], max_hops=5)[9].nodes == (1, 4, 6, 7, 8, 9)
    assert best_path_to_each(CHAIN, 1, [4], max_hops=1)[4].nodes == (1, 4)
    # 2 is on the best path to 4: other targets may be intermediates here
    assert best_path_to_each(CHAIN, 1, [2, 4])[4].nodes == (1, 2, 3, 4)


def test_best_path_to_each_for_a_source_without_ties():
    assert best_path_to_each(CHAIN, 500, [500, 1]) == {500: Path((500,), (), 1.0, 0)}


def test_best_path_to_each_prefers_fewer_hops_on_ties_even_with_strength_one():
    # 1-2 and 2-3 at 1.0: the walk 1-2-1-... is never chosen; 1-3 direct ties 1-2-3
    graph = TieGraph.from_edges([1, 2, 1], [2, 3, 3], [1.0, 1.0, 1.0])
    assert best_path_to_each(graph, 1, [3], max_hops=4)[3].nodes == (1, 3)
    assert best_path_to_each(graph, 1, [2], max_hops=4)[2].nodes == (1, 2)


# -- against a brute-force oracle on random graphs -----------------------------------------


def random_graph(seed: int):
    rng = random.Random(seed)
    n = rng.randint(30, 80)
    m = rng.randint(2 * n, 5 * n)
    ids = rng.sample(range(-1000, 100_000), n)  # arbitrary, unsorted ids
    a = [rng.choice(ids) for _ in range(m)]
    b = [rng.choice(ids) for _ in range(m)]
    if seed % 3 == 0:  # powers of two: products tie exactly, testing the tie rules
        strength = [rng.choice([0.25, 0.5, 1.0]) for _ in range(m)]
    else:
        strength = [rng.uniform(0.01, 1.0) for _ in range(m)]
    return rng, TieGraph.from_edges(a, b, strength), to_networkx(a, b, strength)


def test_best_paths_match_brute_force_on_200_random_graphs():
    checked: Counter[bool] = Counter()
    for seed in range(200):
        rng, graph, oracle = random_graph(seed)
        nodes = sorted(oracle)
        for _ in range(4):
            source = rng.choice(nodes)
            targets = rng.sample(nodes, rng.choice([1, 1, 2, 6]))
            exclude = rng.sample(nodes, rng.choice([0, 0, 3]))
            max_hops, k = rng.randint(1, 4), rng.randint(1, 6)
            expected = brute_force(oracle, source, targets, exclude, max_hops)[:k]
            found = best_paths(graph, source, targets, max_hops=max_hops, k=k, exclude=exclude)
            assert keys(found) == expected, (seed, source, targets, exclude, max_hops, k)
            for path in found:
                assert path.score == product(oracle, list(path.nodes))
                assert list(path.strengths) == [
                    oracle[u][v]["strength"]
                    for u, v in zip(path.nodes, path.nodes[1:], strict=False)
                ]
            checked[bool(expected)] += 1
    assert checked[True] > 500 and checked[False] > 100  # both outcomes exercised


def test_the_bounded_search_matches_brute_force_at_every_hop_limit():
    """The A* search (used from 4 hops) on limits the fast join also covers."""
    for seed in range(60):
        rng, graph, oracle = random_graph(1000 + seed)
        nodes = sorted(oracle)
        source = rng.choice(nodes)
        targets = rng.sample(nodes, rng.choice([1, 3]))
        max_hops, k = rng.randint(1, 4), rng.randint(1, 6)
        start = graph._position[source]
        goal = graph._indices(targets)
        goal = goal[goal != start]
        found = paths_module._bounded_search(
            graph, start, goal, np.array([], dtype=np.int64), max_hops=max_hops, k=k
        )
        ids = graph._ids
        got = [
            (-score, len(strengths), tuple(ids[list(n)].tolist())) for score, n, strengths in found
        ]
        assert got == brute_force(oracle, source, targets, (), max_hops)[:k], seed


def test_best_path_to_each_matches_brute_force_on_random_graphs():
    for seed in range(100):
        rng, graph, oracle = random_graph(2000 + seed)
        nodes = sorted(oracle)
        source = rng.choice(nodes)
        targets = rng.sample(nodes, 10)
        max_hops = rng.randint(1, 4)
        found = best_path_to_each(graph, source, targets, max_hops=max_hops)
        for target in targets:
            if target == source:
                assert found[target].hops == 0
                continue
            every = sorted(
                (-product(oracle, p), len(p) - 1, tuple(p))
                for p in nx.all_simple_paths(oracle, source, target, cutoff=max_hops)
            )
            if every:
                assert keys([found[target]]) == every[:1], (seed, source, target)
            else:
                assert target not in found


def test_best_path_to_each_never_passes_through_held_back_nodes():
    """``not_through`` (people who asked not to be go-betweens): the oracle keeps
    only the simple paths none of whose intermediate nodes is held back; a
    held-back target is still reached."""
    reached_held_target = 0
    for seed in range(100):
        rng, graph, oracle = random_graph(3000 + seed)
        nodes = sorted(oracle)
        source = rng.choice(nodes)
        targets = rng.sample(nodes, 10)
        held = set(rng.sample(nodes, rng.choice([1, 5, 15])) + rng.sample(targets, 3))
        max_hops = rng.randint(1, 4)
        found = best_path_to_each(graph, source, targets, max_hops=max_hops, not_through=held)
        for target in targets:
            if target == source:
                assert found[target].hops == 0
                continue
            every = sorted(
                (-product(oracle, p), len(p) - 1, tuple(p))
                for p in nx.all_simple_paths(oracle, source, target, cutoff=max_hops)
                if not held & set(p[1:-1])
            )
            if every:
                assert keys([found[target]]) == every[:1], (seed, source, target)
                reached_held_target += target in held
            else:
                assert target not in found
    assert reached_held_target > 20  # held-back people are still reached as targets


def test_held_back_node_is_a_target_but_never_a_go_between():
    # 1-2 0.9, 2-3 0.9, 1-3 0.5: the best way to 3 is through 2 (0.81), unless 2
    # is held back; 2 itself stays reachable directly.
    g = TieGraph.from_edges([1, 2, 1], [2, 3, 3], [0.9, 0.9, 0.5])
    assert best_path_to_each(g, 1, [3])[3].nodes == (1, 2, 3)
    found = best_path_to_each(g, 1, [2, 3], not_through=[2])
    assert found[2].nodes == (1, 2) and found[3].nodes == (1, 3)
    assert found[3].score == 0.5
    # The source is never held back.
    assert best_path_to_each(g, 1, [3], not_through=[1, 2])[3].nodes == (1, 3)


def test_queries_from_many_threads_agree_with_one_thread():
    """Each thread gets its own scratch arrays: concurrent queries do not mix."""
    rng, graph, oracle = random_graph(7)
    nodes = sorted(oracle)
    queries = [(rng.choice(nodes), rng.sample(nodes, rng.choice([1, 4]))) for _ in range(300)]

    def run(query):
        source, targets = query
        return keys(best_paths(graph, source, targets, k=4)), keys(
            best_path_to_each(graph, source, targets).values()
        )

    alone = [run(query) for query in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(run, queries)) == alone


# -- synthetic e-mail network (tests/data/email-network-synthetic) ---------------------------


def synthetic_temporal_ties() -> tuple[list[int], list[int], list[float]]:
    """Ties from the temporal e-mail list: strength ``1 - 0.5 ** count``.

    ``count`` is the number of e-mails between the two people, both ways: one
    e-mail gives 0.5, two 0.75, three 0.875, ... (each further e-mail halves
    the remaining doubt that the tie would pass an introduction on).
    Very busy pairs round to exactly 1.0, which the tie rules must handle.
    """
    counts: Counter[tuple[int, int]] = Counter()
    with gzip.open(sample_path("email-network-synthetic", "temporal.txt.gz"), "rt") as handle:
        for line in handle:
            a, b, _ = line.split()
            if a != b:
                counts[min(int(a), int(b)), max(int(a), int(b))] += 1
    pairs = sorted(counts)
    return (
        [a for a, _ in pairs],
        [b for _, b in pairs],
        [1.0 - 0.5 ** counts[pair] for pair in pairs],
    )


def layered_copy(graph: nx.Graph, max_hops: int) -> nx.DiGraph:
    """Node ``(v, h)``: ``v`` reached in ``h`` hops; arcs only from layer ``h`` to ``h + 1``."""
    layered = nx.DiGraph()
    for u, v, data in graph.edges(data=True):
        cost = -math.log(data["strength"])
        for h in range(max_hops):
            layered.add_edge((u, h), (v, h + 1), cost=cost)
            layered.add_edge((v, h), (u, h + 1), cost=cost)
    return layered


def layered_oracle(layered: nx.DiGraph, source) -> dict[int, float]:
    """Best walk product (of the layered copy's hop limit) to every node, by Dijkstra."""
    distance = nx.single_source_dijkstra_path_length(layered, (source, 0), weight="cost")
    best: dict[int, float] = {}
    for (node, hops), d in distance.items():
        if hops and node != source:
            best[node] = max(best.get(node, 0.0), math.exp(-d))
    return best


def test_synthetic_temporal_best_paths_match_a_networkx_oracle():
    a, b, strength = synthetic_temporal_ties()
    graph = TieGraph.from_edges(a, b, strength)
    oracle = to_networkx(a, b, strength)
    # Counts from tests/data/email-network-synthetic/SOURCE.md.
    assert graph.number_of_nodes() == oracle.number_of_nodes() == 964
    assert graph.number_of_edges() == oracle.number_of_edges() == 14_046
    assert strength.count(1.0) == 47  # 54 e-mails or more: the strength-1.0 case is exercised
    rng = random.Random(42)
    nodes = sorted(oracle)
    layered = layered_copy(oracle, 3)
    compared = reached = 0
    for source in rng.sample(nodes, 40):
        best = layered_oracle(layered, source)
        for target in rng.sample([v for v in nodes if v != source], 5):
            found = best_paths(graph, source, target, max_hops=3, k=3)
            compared += 1
            if target not in best:
                assert found == []
                continue
            reached += 1
            assert found[0].score == pytest.approx(best[target], rel=1e-9)
            assert found[0].hops <= 3 and len(set(found[0].nodes)) == found[0].hops + 1
            assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)
            each = best_path_to_each(graph, source, [target])[target]
            assert each.score == found[0].score
    assert compared == 200 and reached > 150


def synthetic_static_graph():
    edges = np.loadtxt(sample_path("email-network-synthetic", "edges.txt"), dtype=np.int64)
    labels = np.loadtxt(
        sample_path("email-network-synthetic", "department-labels.txt"), dtype=np.int64
    )
    graph = TieGraph.from_edges(edges[:, 0], edges[:, 1], np.full(len(edges), 0.5))
    oracle = nx.Graph()
    oracle.add_edges_from(edges.tolist())
    oracle.remove_edges_from(list(nx.selfloop_edges(oracle)))
    return graph, oracle, dict(labels.tolist())


def test_synthetic_static_k_best_hop_counts_match_yen():
    """Uniform strength 0.5: the k best paths are the k shortest simple paths."""
    graph, oracle, _ = synthetic_static_graph()
    rng = random.Random(7)
    nodes = sorted(v for v in oracle if oracle.degree(v) > 0)
    for _ in range(60):
        source, target = rng.sample(nodes, 2)
        found = best_paths(graph, source, target, max_hops=3, k=4)
        shortest: list[int] = []
        if nx.has_path(oracle, source, target):
            for nodes_on in nx.shortest_simple_paths(oracle, source, target):
                if len(nodes_on) - 1 > 3 or len(shortest) == 4:
                    break
                shortest.append(len(nodes_on) - 1)
        assert [p.hops for p in found] == shortest
        assert [p.score for p in found] == [0.5**h for h in shortest]


def test_synthetic_departments_as_target_sets():
    graph, oracle, department = synthetic_static_graph()
    members: dict[int, list[int]] = {}
    for person, dept in department.items():
        members.setdefault(dept, []).append(person)
    rng = random.Random(3)
    nodes = sorted(v for v in oracle if oracle.degree(v) > 0)
    for dept in rng.sample(sorted(members), 10):
        team = [p for p in members[dept] if p in oracle]
        if not team:
            continue
        distance = nx.multi_source_dijkstra_path_length(oracle, set(team))
        for source in rng.sample(nodes, 5):
            found = best_paths(graph, source, team, max_hops=3, k=3)
            others = [p for p in team if p != source]
            d = (
                nx.multi_source_dijkstra_path_length(oracle, set(others)).get(source)
                if others
                else None
            )
            if source not in team:
                assert d == distance.get(source)
            if d is None or d > 3:
                assert found == []
            else:
                assert found[0].hops == d and found[0].score == 0.5**d
                assert all(p.target in team for p in found)
                assert not any(v in team for p in found for v in p.nodes[1:-1])
