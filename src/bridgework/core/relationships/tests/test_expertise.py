"""Expertise ranking: the score formula by hand, reach from known paths, an e-mail network.

Expected values are worked out by hand from the formula in the module
docstring (logarithms to 4 digits); on a synthetic e-mail network of about
1,000 people (``tests/data/email-network-synthetic``, modelled on SNAP
email-Eu-core; see its SOURCE.md) the reach of every candidate is checked
against NetworkX Dijkstra on a hop-layered copy of the graph (see
``core/graph/tests/test_paths.py``), not against our own paths.
"""

from __future__ import annotations

import gzip
import math
import random
from collections import Counter

import networkx as nx
import pytest

from bridgework.core.graph.paths import Path, TieGraph, best_paths
from bridgework.core.relationships.expertise import (
    ExpertCandidate,
    RankedExpert,
    expertise_score,
    rank_experts,
)
from bridgework.testsupport import sample_path

# -- expertise_score -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "endorsements", "text_hits", "expected"),
    [
        ([], 0, 0, 0.0),
        ([4], 0, 0, 0.6 * 4 / 5),  # 0.48
        ([5], 0, 0, 0.6),
        ([1, 5, 3], 0, 0, 0.6),  # the best matching level counts
        ([], 10, 0, 0.2),  # ten endorsements saturate
        ([], 1000, 0, 0.2),
        ([], 1, 0, 0.2 * 0.6931 / 2.3979),  # ln 2 / ln 11 = 0.2891
        ([], 0, 1, 0.1),  # one text hit: half the text part
        ([], 0, 2, 0.15),
        ([5], 10, 60, 1.0),
        ([3], 3, 1, 0.36 + 0.2 * 1.3863 / 2.3979 + 0.1),  # 0.5756
    ],
)
def test_expertise_score_by_hand(levels, endorsements, text_hits, expected):
    assert expertise_score(levels, endorsements, text_hits) == pytest.approx(expected, abs=1e-4)


def test_expertise_score_grows_with_each_input_and_stays_in_0_1():
    assert expertise_score([3], 0, 0) < expertise_score([4], 0, 0)
    assert expertise_score([3], 1, 0) < expertise_score([3], 2, 0)
    assert expertise_score([3], 2, 1) < expertise_score([3], 2, 2)
    assert 0.0 <= expertise_score([1], 0, 0) <= expertise_score([5], 10**6, 10**6) <= 1.0


def test_expertise_score_weights_are_options():
    assert expertise_score([5], 0, 0, level_weight=1.0, endorsement_weight=0, text_weight=0) == 1.0
    assert expertise_score([], 0, 1, level_weight=0, endorsement_weight=0, text_weight=1) == 0.5
    with pytest.raises(ValueError, match="sum to 1"):
        expertise_score([5], 0, 0, level_weight=0.9)


@pytest.mark.parametrize(
    ("levels", "endorsements", "text_hits"), [([0], 0, 0), ([6], 0, 0), ([3], -1, 0), ([3], 0, -2)]
)
def test_expertise_score_rejects_bad_input(levels, endorsements, text_hits):
    with pytest.raises(ValueError):
        expertise_score(levels, endorsements, text_hits)


# -- rank_experts on a hand-built graph ---------------------------------------------------

#   1 (me) ── 2 (0.8) ── 3 (0.5)        3 is one introduction away: reach 0.4
#   1 ── 4 (0.3)                        4 is a direct tie: reach 0.3
#   3 ── 5 (0.5) ── 6 (0.5)             5: 0.2 (3 hops via 2, 3); 6: 4 hops
#   7 ── 8                              7: no path at all
GRAPH = TieGraph.from_edges([1, 2, 1, 3, 5, 7], [2, 3, 4, 5, 6, 8], [0.8, 0.5, 0.3, 0.5, 0.5, 0.9])


def candidate(person_id: int, expertise: float) -> ExpertCandidate:
    return ExpertCandidate(person_id, expertise, (f"skill of {person_id}",))


def test_reach_is_the_tie_strength_or_the_path_score():
    ranked = {
        expert.person_id: expert
        for expert in rank_experts(
            [candidate(p, 0.5) for p in (1, 3, 4, 5, 6, 7, 99)], graph=GRAPH, source=1
        )
    }
    assert (ranked[1].reach, ranked[1].hops, ranked[1].path) == (1.0, 0, Path((1,), (), 1.0, 0))
    assert (ranked[4].reach, ranked[4].hops) == (0.3, 1)  # the tie strength
    assert ranked[3].reach == pytest.approx(0.4) and ranked[3].hops == 2
    assert ranked[3].path is not None and ranked[3].path.nodes == (1, 2, 3)
    assert ranked[5].reach == pytest.approx(0.2) and ranked[5].hops == 3
    for unreachable in (6, 7, 99):  # 6 is 4 hops away, 7 elsewhere, 99 has no tie
        assert (ranked[unreachable].reach, ranked[unreachable].hops) == (0.0, None)
        assert ranked[unreachable].path is None
    assert ranked[3].matched == ("skill of 3",)


def test_score_formula_and_order():
    ranked = rank_experts(
        [candidate(4, 0.9), candidate(3, 0.9), candidate(7, 0.9), candidate(5, 0.2)],
        graph=GRAPH,
        source=1,
    )
    assert [e.person_id for e in ranked] == [3, 4, 7, 5]
    # 3: 0.6 * 0.9 + 0.4 * 0.4 = 0.70; 4: 0.54 + 0.12 = 0.66; 7: 0.54; 5: 0.12 + 0.08 = 0.20
    assert [round(e.score, 6) for e in ranked] == [0.70, 0.66, 0.54, 0.20]
    assert all(isinstance(e, RankedExpert) for e in ranked)


def test_unreachable_experts_come_after_reachable_ones_of_similar_expertise():
    ranked = rank_experts([candidate(7, 0.85), candidate(4, 0.8)], graph=GRAPH, source=1)
    assert [e.person_id for e in ranked] == [4, 7]  # 0.48 + 0.12 = 0.60 against 0.51
    ranked = rank_experts([candidate(7, 0.95), candidate(5, 0.3)], graph=GRAPH, source=1)
    assert [e.person_id for e in ranked] == [7, 5]  # a much better unreachable expert still leads


def test_max_hops_and_weights():
    two = {
        e.person_id: e for e in rank_experts([candidate(5, 0.5)], graph=GRAPH, source=1, max_hops=2)
    }
    assert two[5].hops is None and two[5].reach == 0.0
    only_expertise = rank_experts(
        [candidate(4, 0.6), candidate(7, 0.7)], graph=GRAPH, source=1, expertise_weight=1.0
    )
    assert [e.person_id for e in only_expertise] == [7, 4]
    only_reach = rank_experts(
        [candidate(4, 0.6), candidate(3, 0.1), candidate(7, 0.7)],
        graph=GRAPH,
        source=1,
        expertise_weight=0.0,
    )
    assert [e.person_id for e in only_reach] == [3, 4, 7]
    with pytest.raises(ValueError):
        rank_experts([candidate(4, 0.6)], graph=GRAPH, source=1, expertise_weight=1.5)


def test_people_held_back_are_experts_but_never_go_betweens():
    # 2 asked not to be a go-between: 3 (1-2-3) and 5 (1-2-3-5) lose their only
    # path, while 2 itself is still found through my direct tie (0.8).
    ranked = {
        e.person_id: e
        for e in rank_experts(
            [candidate(2, 0.5), candidate(3, 0.5), candidate(5, 0.5), candidate(4, 0.5)],
            graph=GRAPH,
            source=1,
            not_through=[2],
        )
    }
    assert (ranked[2].reach, ranked[2].hops) == (0.8, 1)
    assert (ranked[3].reach, ranked[3].hops, ranked[3].path) == (0.0, None, None)
    assert (ranked[5].reach, ranked[5].hops) == (0.0, None)
    assert (ranked[4].reach, ranked[4].hops) == (0.3, 1)


def test_ties_duplicates_and_empty_input_are_deterministic():
    ranked = rank_experts(
        [candidate(7, 0.5), candidate(8, 0.5), candidate(4, 0.5), candidate(4, 0.2)],
        graph=GRAPH,
        source=1,
    )
    # 4 appears twice: the better entry stays; 7 and 8 tie exactly: by id
    assert [(e.person_id, e.expertise) for e in ranked] == [(4, 0.5), (7, 0.5), (8, 0.5)]
    assert rank_experts([], graph=GRAPH, source=1) == []


def test_the_searcher_without_ties_still_reaches_themself():
    ranked = rank_experts([candidate(500, 0.4), candidate(3, 0.4)], graph=GRAPH, source=500)
    assert [(e.person_id, e.reach, e.hops) for e in ranked] == [(500, 1.0, 0), (3, 0.0, None)]


def test_candidate_expertise_must_be_0_1():
    with pytest.raises(ValueError):
        ExpertCandidate(1, 1.2)


# -- synthetic e-mail network, synthetic expertise ------------------------------------------


def test_rank_experts_over_a_synthetic_email_network():
    counts: Counter[tuple[int, int]] = Counter()
    with gzip.open(sample_path("email-network-synthetic", "temporal.txt.gz"), "rt") as handle:
        for line in handle:
            a, b, _ = line.split()
            if a != b:
                counts[min(int(a), int(b)), max(int(a), int(b))] += 1
    pairs = sorted(counts)
    strength = [1.0 - 0.5 ** counts[pair] for pair in pairs]  # as in test_paths.py
    graph = TieGraph.from_edges([a for a, _ in pairs], [b for _, b in pairs], strength)

    layered = nx.DiGraph()  # the independent reach: Dijkstra over (node, hops) states
    for (u, v), s in zip(pairs, strength, strict=True):
        for h in range(3):
            layered.add_edge((u, h), (v, h + 1), cost=-math.log(s))
            layered.add_edge((v, h), (u, h + 1), cost=-math.log(s))

    rng = random.Random(11)
    people = sorted(graph)
    for source in rng.sample(people, 5):
        pool = rng.sample(people, 150) + [source]
        candidates = [
            ExpertCandidate(
                person,
                expertise_score([rng.randint(1, 5)], rng.randint(0, 12), rng.randint(0, 2)),
                ("synthetic",),
            )
            for person in pool
        ]
        ranked = rank_experts(candidates, graph=graph, source=source)
        assert len(ranked) == len({c.person_id for c in candidates})
        distance = nx.single_source_dijkstra_path_length(layered, (source, 0), weight="cost")
        best: dict[int, float] = {}
        for (node, hops), d in distance.items():
            if hops and node != source:
                best[node] = max(best.get(node, 0.0), math.exp(-d))
        for expert in ranked:
            assert expert.score == pytest.approx(0.6 * expert.expertise + 0.4 * expert.reach)
            if expert.person_id == source:
                assert (expert.reach, expert.hops) == (1.0, 0)
            elif expert.person_id in best:
                assert expert.reach == pytest.approx(best[expert.person_id], rel=1e-9)
                assert expert.reach == best_paths(graph, source, expert.person_id, k=1)[0].score
                assert expert.path is not None
                assert expert.path.nodes[0] == source and expert.path.hops == expert.hops
            else:
                assert (expert.reach, expert.hops, expert.path) == (0.0, None, None)
        order = [
            (-e.score, -e.expertise, math.inf if e.hops is None else e.hops, e.person_id)
            for e in ranked
        ]
        assert order == sorted(order)
        # the same input in another order ranks the same
        rng.shuffle(candidates)
        assert rank_experts(candidates, graph=graph, source=source) == ranked
