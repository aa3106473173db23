"""Gould-Fernandez brokerage roles against a hand enumeration and against a
brute force written straight from the definition (Gould & Fernandez 1989)."""

import csv
import random

import pytest

from bridgework.core.graph.brokerage import (
    ROLES,
    brokerage_roles,
    brokerage_totals,
    undirected_brokerage_roles,
)
from bridgework.core.graph.network import Network
from bridgework.testsupport import sample_path

DATA = sample_path()


def _brute_force(edges, groups):
    """Loop over every ordered triple; classify with the paper's wording."""
    tie = {(a, b) for a, b in edges if a != b}
    roles = {v: dict.fromkeys(ROLES, 0) for v in groups}
    for b in groups:
        for a in groups:
            for c in groups:
                if len({a, b, c}) < 3 or (a, b) not in tie or (b, c) not in tie:
                    continue
                if (a, c) in tie:
                    continue  # a reaches c directly: b brokers nothing
                ga, gb, gc = groups[a], groups[b], groups[c]
                if ga == gb == gc:
                    role = "coordinator"
                elif ga == gc:
                    role = "itinerant"
                elif ga == gb:
                    role = "representative"
                elif gb == gc:
                    role = "gatekeeper"
                else:
                    role = "liaison"
                roles[b][role] += 1
    return roles


def _zero():
    return dict.fromkeys(ROLES, 0)


def test_hand_enumerated_example():
    # Groups: 1, 2, 6, 7 in A; 3, 4 in B; 5 in C.
    # Ties 1->2, 2->3, 3->4, 4->5, 1->4, 5->1, 3->6, 2->7. Open two-paths by broker:
    #   1: 5->1->2 (C,A,A) gatekeeper; 5->1->4 (C,A,B) liaison
    #   2: 1->2->3 (A,A,B) representative; 1->2->7 (A,A,A) coordinator
    #   3: 2->3->4 (A,B,B) gatekeeper; 2->3->6 (A,B,A) itinerant
    #   4: 3->4->5 (B,B,C) representative; 1->4->5 (A,B,C) liaison
    #   5: 4->5->1 (B,C,A) liaison (1->4 exists, but 4->1 does not)
    #   6, 7: no outgoing ties, no two-paths.
    groups = {1: "A", 2: "A", 3: "B", 4: "B", 5: "C", 6: "A", 7: "A"}
    edges = [(1, 2), (2, 3), (3, 4), (4, 5), (1, 4), (5, 1), (3, 6), (2, 7)]
    roles = brokerage_roles(edges, groups)
    assert roles[1] == {**_zero(), "gatekeeper": 1, "liaison": 1}
    assert roles[2] == {**_zero(), "representative": 1, "coordinator": 1}
    assert roles[3] == {**_zero(), "gatekeeper": 1, "itinerant": 1}
    assert roles[4] == {**_zero(), "representative": 1, "liaison": 1}
    assert roles[5] == {**_zero(), "liaison": 1}
    assert roles[6] == roles[7] == _zero()
    totals = brokerage_totals(roles)
    assert totals == {
        "coordinator": 1,
        "itinerant": 1,
        "representative": 2,
        "gatekeeper": 2,
        "liaison": 3,
        "total": 9,
    }


def test_closed_and_reciprocal_two_paths_do_not_count():
    # 1->2->3 is closed by 1->3; 1->2->1 returns to its start.
    roles = brokerage_roles([(1, 2), (2, 3), (1, 3), (2, 1)], {1: "A", 2: "B", 3: "A"})
    assert roles[2] == _zero()


@pytest.mark.parametrize("seed", range(8))
def test_random_digraphs_match_brute_force(seed):
    rng = random.Random(seed)
    n = rng.randint(5, 25)
    groups = {v: rng.choice("ABCD") for v in range(n)}
    p = rng.uniform(0.05, 0.5)
    edges = [(a, b) for a in range(n) for b in range(n) if a != b and rng.random() < p]
    edges += edges[:3]  # duplicates are ignored
    assert brokerage_roles(edges, groups) == _brute_force(edges, groups)
    undirected = [(a, b) for a, b in edges if a < b]
    symmetric = undirected + [(b, a) for a, b in undirected]
    sym = undirected_brokerage_roles(undirected, groups)
    assert sym == _brute_force(symmetric, groups)
    if undirected:
        a, b = zip(*undirected, strict=True)
        network = Network.from_ties(list(a), list(b), nodes=range(n))
        assert undirected_brokerage_roles(network, groups) == sym
    for counts in sym.values():
        assert counts["representative"] == counts["gatekeeper"]
        assert all(counts[r] % 2 == 0 for r in ("coordinator", "itinerant", "liaison"))


def test_krackhardt_advice_by_department_matches_brute_force():
    # Krackhardt (1987) advice network, departments from nodes.csv (CEO = dept 0).
    folder = DATA / "krackhardt-hightech"
    with open(folder / "nodes.csv", newline="") as f:
        groups = {int(r["id"]): r["dept"] for r in csv.DictReader(f)}
    with open(folder / "advice_edges.csv", newline="") as f:
        edges = [(int(r["from"]), int(r["to"])) for r in csv.DictReader(f)]
    roles = brokerage_roles(edges, groups)
    assert roles == _brute_force(edges, groups)
    assert brokerage_totals(roles)["total"] > 0


def test_person_without_group_is_an_error():
    with pytest.raises(ValueError, match="no group"):
        brokerage_roles([(1, 2)], {1: "A"})
