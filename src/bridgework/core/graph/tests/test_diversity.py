"""Network diversity and the E-I index against hand-computed values (the
formulas of Eagle, Macy & Claxton 2010 and Krackhardt & Stern 1988)."""

import csv
import math

import pytest

from bridgework.core.graph.diversity import ei_index, network_diversity
from bridgework.testsupport import sample_path

DATA = sample_path()


def test_diversity_hand_computed():
    # Categories in the network: a, b, c (K = 3).
    # Person 1's contacts 2 (a), 3 (b), 4 (b): shares 1/3, 2/3,
    # D = (1/3 ln 3 + 2/3 ln 3/2) / ln 3.
    teams = {1: "a", 2: "a", 3: "b", 4: "b", 5: "c", 6: "c"}
    edges = [(1, 2, 1.0), (1, 3, 1.0), (1, 4, 1.0)]
    d = network_diversity(edges, teams)
    assert d[1] == pytest.approx((math.log(3) / 3 + 2 / 3 * math.log(1.5)) / math.log(3))
    assert d[2] == 0.0  # one contact, one category
    assert math.isnan(d[5])  # no ties


def test_diversity_even_spread_over_every_category_is_one():
    teams = {0: "a", 1: "a", 2: "b", 3: "c"}
    d = network_diversity([(0, 1, 1), (0, 2, 1), (0, 3, 1)], teams)
    assert d[0] == pytest.approx(1.0)


def test_weighted_diversity_uses_tie_weights():
    # Weights 3 (a) and 1 (b): shares 3/4, 1/4; K = 2, so D = H / ln 2.
    teams = {0: "a", 1: "a", 2: "b"}
    d = network_diversity([(0, 1, 3.0), (0, 2, 1.0)], teams, weighted=True)
    expected = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(2)
    assert d[0] == pytest.approx(expected)
    assert network_diversity([(0, 1, 3.0), (0, 2, 1.0)], teams)[0] == pytest.approx(1.0)


def test_single_category_network_scores_zero():
    assert network_diversity([(1, 2, 1)], {1: "a", 2: "a"}) == {1: 0.0, 2: 0.0}


def test_missing_category_is_an_error():
    with pytest.raises(ValueError, match="no category"):
        network_diversity([(1, 2, 1)], {1: "a"})


def test_ei_index_hand_computed():
    # Group a = {1, 2, 3}: internal 1-2, 2-3 (I = 2), external 3-4 (E = 1): -1/3.
    # Group b = {4, 5}: internal 4-5 (I = 1), external 3-4 (E = 1): 0.
    # Group c = {6}: no ties: nan. The repeated 2-1 is the same tie as 1-2.
    groups = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "c"}
    ei = ei_index([(1, 2), (2, 1), (2, 3), (3, 4), (4, 5)], groups)
    assert ei["a"] == pytest.approx(-1 / 3)
    assert ei["b"] == 0.0
    assert math.isnan(ei["c"])


def test_karate_factions_are_inward_looking():
    # Zachary (1977): 68 of the 78 ties stay inside the two factions the club
    # split into (10 cross), so both factions have a clearly negative E-I index.
    folder = DATA / "zachary-karate"
    with open(folder / "nodes.csv", newline="") as f:
        faction = {int(r["id"]): r["Faction"] for r in csv.DictReader(f)}
    with open(folder / "edges.csv", newline="") as f:
        edges = [(int(r["from"]), int(r["to"])) for r in csv.DictReader(f)]
    cross = sum(faction[a] != faction[b] for a, b in edges)
    ei = ei_index(edges, faction)
    for g in ("1", "2"):
        inside = sum(faction[a] == faction[b] == g for a, b in edges)
        assert ei[g] == pytest.approx((cross - inside) / (cross + inside))
        assert ei[g] < -0.5
