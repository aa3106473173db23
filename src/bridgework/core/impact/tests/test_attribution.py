"""Attribution: hand-computed splits, the Shapley axioms, and the closed form checked
against the Shapley formula evaluated literally over every coalition."""

import datetime as dt
import itertools
import math
import random
from fractions import Fraction

import pytest

from bridgework.core.impact.attribution import (
    ContributionPath,
    credit_to_people,
    declared_split,
    first_touch,
    last_touch,
    round_credit,
    shapley_error_bound,
    shapley_split,
)
from bridgework.core.impact.records import Relationship

R = Relationship
UTC = dt.UTC


def by_name(result):
    return {str(r): c for r, c in result.relationships.items()}


def literal_shapley(paths, extra=()):
    """Second implementation: the defining formula, in exact fractions, over all 2^n
    coalitions of relationships (no inclusion-exclusion, no sampling)."""
    path_sets = [frozenset(R(a, b) for a, b in itertools.pairwise(path)) for path in paths]
    players = sorted(set().union(*path_sets) | set(extra))
    n = len(players)

    def v(coalition):
        return 1 if any(p <= coalition for p in path_sets) else 0

    phi = {}
    for i in players:
        others = [p for p in players if p != i]
        total = Fraction(0)
        for size in range(n):
            weight = Fraction(
                math.factorial(size) * math.factorial(n - size - 1), math.factorial(n)
            )
            for coalition in itertools.combinations(others, size):
                s = frozenset(coalition)
                total += weight * (v(s | {i}) - v(s))
        phi[i] = total
    return phi


# ------------------------------------------------------------- Shapley by hand


def test_one_path_of_three_relationships_splits_in_thirds():
    # v(S) = 90 only when S holds all three hops, so each is pivotal in exactly the
    # 2 of 6 orders where it comes last: 90 * 2/6 = 30 each.
    result = shapley_split(90, [(1, 2, 3, 4)])
    assert by_name(result) == pytest.approx({"1-2": 30.0, "2-3": 30.0, "3-4": 30.0})
    assert result.exact and result.error_bound == 0.0


def test_two_disjoint_paths_by_hand():
    # Paths {a, b} = {1-2, 2-3} and {c} = {1-4}. Pivotal player in each of the 6 orders:
    #   c a b -> c    c b a -> c    a c b -> c    b c a -> c    a b c -> b    b a c -> a
    # so phi_c = 4/6 = 2/3 and phi_a = phi_b = 1/6. (Dividends give the same:
    # a: 1/2 - 1/3 = 1/6, c: 1 - 1/3 = 2/3.) With value 1200: 800, 200, 200.
    result = shapley_split(1200, [(1, 2, 3), (1, 4)])
    assert by_name(result) == pytest.approx({"1-2": 200.0, "2-3": 200.0, "1-4": 800.0})


def test_overlapping_paths_by_hand():
    # Owner 1 reaches client 3 and partner 4, both through 2: paths {r1, r2} and
    # {r1, r3} with r1 = 1-2 shared. v(S) = 1 iff r1 in S and (r2 or r3 in S).
    # Orders: r1 r2 r3 -> r2; r1 r3 r2 -> r3; r2 r1 r3, r2 r3 r1, r3 r1 r2, r3 r2 r1 -> r1.
    # phi_r1 = 4/6 = 2/3, phi_r2 = phi_r3 = 1/6.
    result = shapley_split(60, [(1, 2, 3), (1, 2, 4)])
    assert by_name(result) == pytest.approx({"1-2": 40.0, "2-3": 10.0, "2-4": 10.0})


def test_paths_of_different_lengths_sharing_the_first_hop_by_hand():
    # Paths {a, b} and {a, c, d} (a = 1-2, b = 2-3, c = 2-4, d = 4-5).
    # Harsanyi dividends: +1 on {a,b}, +1 on {a,c,d}, -1 on {a,b,c,d}, so
    #   a = 1/2 + 1/3 - 1/4 = 7/12, b = 1/2 - 1/4 = 1/4, c = d = 1/3 - 1/4 = 1/12.
    # The literal formula over all 16 coalitions (second implementation) agrees.
    paths = [(1, 2, 3), (1, 2, 4, 5)]
    expected = {"1-2": 7 / 12, "2-3": 1 / 4, "2-4": 1 / 12, "4-5": 1 / 12}
    assert by_name(shapley_split(1, paths)) == pytest.approx(expected, abs=1e-12)
    literal = {str(r): float(v) for r, v in literal_shapley(paths).items()}
    assert literal == pytest.approx(expected, abs=1e-12)


def test_a_single_relationship_gets_everything():
    result = shapley_split(250, [(8, 3)])
    assert result.relationships == {R(3, 8): 250.0}
    assert result.people == {8: 125.0, 3: 125.0}


def test_the_module_example_people_split():
    # 1-2: 200, 2-3: 200, 1-4: 800 halved: 1 = 100 + 400, 2 = 100 + 100, 3 = 100, 4 = 400.
    assert shapley_split(1200, [(1, 2, 3), (1, 4)]).people == pytest.approx(
        {1: 500.0, 2: 200.0, 3: 100.0, 4: 400.0}
    )


# ------------------------------------------------------------ Shapley axioms


def test_efficiency_symmetry_and_null_player():
    stray = R(7, 9)  # linked to the outcome but on no path
    # 1-5 and 5-4 complete only the path they share; 1-2-3 is symmetric within itself;
    # the path 1-2-3-6 contains the path 1-2-3, so 3-6 is a null player too.
    result = shapley_split(100, [(1, 2, 3), (1, 5, 4), (1, 2, 3, 6)], other_relationships=[stray])
    credit = result.relationships
    assert math.fsum(credit.values()) == pytest.approx(100)
    assert credit[R(1, 2)] == pytest.approx(credit[R(2, 3)])
    assert credit[R(1, 5)] == pytest.approx(credit[R(4, 5)])
    assert credit[stray] == 0.0
    assert credit[R(3, 6)] == 0.0
    # Two disjoint two-hop paths: each hop is pivotal in 1/4 of the orders.
    assert credit[R(1, 2)] == pytest.approx(25.0)


def test_closed_form_matches_the_literal_formula_on_random_cases():
    rng = random.Random(20260501)
    for _ in range(40):
        owner = 0
        paths = []
        for _ in range(rng.randint(1, 4)):
            middle = rng.sample(range(1, 7), rng.randint(0, 3))
            end = rng.choice([p for p in range(1, 9) if p not in middle])
            paths.append((owner, *middle, end))
        exact = shapley_split(1, paths).relationships
        literal = literal_shapley(paths)
        assert set(exact) == set(literal)
        for relationship, value in literal.items():
            # both are exact fractions, so their floats agree to the last bit
            assert exact[relationship] == float(value)


def test_sampled_shapley_is_within_its_hoeffding_bound():
    paths = [(1, 2, 3), (1, 4), (1, 2, 5, 6), (1, 7, 3)]
    exact = shapley_split(1000, paths)
    for seed in range(3):
        sampled = shapley_split(1000, paths, max_exact_paths=0, tolerance=0.02, seed=seed)
        assert not sampled.exact and sampled.delta == 0.01
        # samples = ceil(ln(2 * 7 / 0.01) / (2 * 0.02^2)) = ceil(7.2442 / 0.0008) = 9,056
        assert sampled.samples == 9056
        assert sampled.error_bound == pytest.approx(
            1000 * math.sqrt(math.log(2 * 7 / 0.01) / (2 * 9056))
        )
        assert sampled.error_bound <= 20.0
        # Every order has exactly one pivotal relationship: the total is exact.
        assert math.fsum(sampled.relationships.values()) == pytest.approx(1000)
        for relationship, value in exact.relationships.items():
            assert abs(sampled.relationships[relationship] - value) <= sampled.error_bound
    again = shapley_split(1000, paths, max_exact_paths=0, tolerance=0.02, seed=0)
    assert (
        again.relationships
        == shapley_split(1000, paths, max_exact_paths=0, tolerance=0.02, seed=0).relationships
    )
    assert "random orders" in again.note and "99%" in again.note


def test_many_paths_switch_to_sampling():
    paths = [(0, p, 100) for p in range(1, 19)]  # 18 disjoint two-hop paths
    result = shapley_split(1, paths, samples=2000)
    assert not result.exact and result.samples == 2000
    # By symmetry every hop gets 1/36.
    assert all(abs(c - 1 / 36) <= result.error_bound for c in result.relationships.values())


def test_error_bound_formula():
    # sqrt(ln(2 * 10 / 0.05) / (2 * 1000)) = sqrt(5.9915 / 2000) = 0.054733
    assert shapley_error_bound(players=10, samples=1000, delta=0.05) == pytest.approx(
        0.054733, abs=1e-6
    )
    with pytest.raises(ValueError, match="delta"):
        shapley_error_bound(players=10, samples=1000, delta=0)


# --------------------------------------------------------- first / last touch

JAN5, FEB1, MAR1 = dt.date(2026, 1, 5), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def test_first_and_last_touch_on_a_dated_path():
    path = ContributionPath((1, 2, 3), used_on=(JAN5, MAR1))
    assert by_name(first_touch(100, [path])) == {"1-2": 100.0, "2-3": 0.0}
    assert by_name(last_touch(100, [path])) == {"1-2": 0.0, "2-3": 100.0}
    assert first_touch(100, [path]).note == (
        "All credit to the relationship used first, on 2026-01-05."
    )


def test_touch_ties_on_the_same_day_split_equally():
    # 1-2 and 1-4 were both first used on 5 January: 50 each. A datetime counts by its
    # UTC day (23:30 at UTC-2 on 4 January is 01:30 UTC on 5 January).
    late_evening = dt.datetime(2026, 1, 4, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2)))
    paths = [
        ContributionPath((1, 2, 3), used_on=(JAN5, FEB1)),
        ContributionPath((1, 4, 3), used_on=(late_evening, FEB1)),
    ]
    assert by_name(first_touch(100, paths)) == {
        "1-2": 50.0,
        "2-3": 0.0,
        "1-4": 50.0,
        "3-4": 0.0,
    }
    assert by_name(last_touch(100, paths)) == {
        "1-2": 0.0,
        "2-3": 50.0,
        "1-4": 0.0,
        "3-4": 50.0,
    }
    assert "split equally" in first_touch(100, paths).note


def test_a_shared_relationship_counts_with_its_earliest_and_latest_use():
    # 1-2 is on both paths, used on 1 February and on 1 April.
    paths = [
        ContributionPath((1, 2, 3), used_on=(FEB1, MAR1)),
        ContributionPath((1, 2, 4), used_on=(dt.date(2026, 4, 1), JAN5)),
    ]
    # earliest uses: 1-2 Feb 1, 2-3 Mar 1, 2-4 Jan 5 -> first touch 2-4.
    # latest uses:   1-2 Apr 1, 2-3 Mar 1, 2-4 Jan 5 -> last touch 1-2.
    assert by_name(first_touch(10, paths)) == {"1-2": 0.0, "2-3": 0.0, "2-4": 10.0}
    assert by_name(last_touch(10, paths)) == {"1-2": 10.0, "2-3": 0.0, "2-4": 0.0}


def test_undated_paths_use_path_order():
    paths = [(1, 2, 3), (1, 4, 3)]
    assert by_name(first_touch(100, paths)) == {
        "1-2": 50.0,
        "2-3": 0.0,
        "1-4": 50.0,
        "3-4": 0.0,
    }
    assert by_name(last_touch(30, [(1, 2, 3, 5)])) == {"1-2": 0.0, "2-3": 0.0, "3-5": 30.0}
    result = first_touch(30, [(1, 2, 3)], other_relationships=[R(5, 6)])
    assert result.relationships[R(5, 6)] == 0.0
    assert result.people == {1: 15.0, 2: 15.0, 3: 0.0, 5: 0.0, 6: 0.0}


def test_mixing_dated_and_undated_paths_is_refused():
    with pytest.raises(ValueError, match="every path carries hop dates or none"):
        first_touch(10, [ContributionPath((1, 2), used_on=(JAN5,)), (1, 3)])


# ------------------------------------------------------------ declared, people


def test_declared_shares_are_normalized():
    # 3 : 1 of 800 -> 600 and 200.
    result = declared_split(800, {5: 3, 6: 1})
    assert result.people == {5: 600.0, 6: 200.0}
    assert result.relationships == {} and result.method == "declared"
    assert declared_split(10, {5: 0.0, 6: 2.5}).people == {5: 0.0, 6: 10.0}


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({}, "non-empty"),
        ({5: 0, 6: 0}, "sum to a positive number"),
        ({5: -1, 6: 3}, "at least 0"),
        ({5: math.nan}, "NaN"),
        ({"ann": 1}, "integer person id"),
    ],
)
def test_declared_shares_are_validated(shares, message):
    with pytest.raises(ValueError, match=message):
        declared_split(100, shares)


def test_people_rules_by_hand():
    credit = {R(1, 2): 60.0, R(2, 3): 30.0, R(1, 4): 10.0}
    # split: 1 = 30 + 5, 2 = 30 + 15, 3 = 15, 4 = 5
    assert credit_to_people(credit) == {1: 35.0, 2: 45.0, 3: 15.0, 4: 5.0}
    # exclude_owner (owner 1): 1-2 all to 2, 1-4 all to 4, 2-3 halved.
    assert credit_to_people(credit, owner=1, rule="exclude_owner") == {
        2: 75.0,
        3: 15.0,
        4: 10.0,
    }
    result = shapley_split(90, [(1, 2, 3)], people_rule="exclude_owner")
    assert result.people == pytest.approx({2: 67.5, 3: 22.5})
    with pytest.raises(ValueError, match="unknown people rule"):
        credit_to_people(credit, rule="owner")
    with pytest.raises(ValueError, match="needs the owner"):
        credit_to_people(credit, rule="exclude_owner")


# --------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("value", "paths", "message"),
    [
        (-5, [(1, 2)], "at least 0"),
        (math.nan, [(1, 2)], "NaN"),
        (math.inf, [(1, 2)], "finite"),
        ("lots", [(1, 2)], "must be a number"),
        (10, [], "at least one path"),
        (10, [()], "path is empty"),
        (10, [(1,)], "at least two people"),
        (10, [(1, 2, 1)], "passes through person 1 more than once"),
        (10, [(1, 2), (3, 2)], "start at the outcome's owner"),
        (10, [(1, "x")], "integer person id"),
        (10, [(1, True)], "integer person id"),
        (10, (1, 2), "path must be a sequence"),
    ],
)
def test_bad_input_is_refused(value, paths, message):
    with pytest.raises(ValueError, match=message):
        shapley_split(value, paths)


def test_hop_dates_are_validated():
    with pytest.raises(ValueError, match="2 hops but 1 hop dates"):
        ContributionPath((1, 2, 3), used_on=(JAN5,))
    with pytest.raises(ValueError, match="timezone-aware"):
        ContributionPath((1, 2), used_on=(dt.datetime(2026, 1, 5, 9),))
    with pytest.raises(ValueError, match="other_relationships"):
        shapley_split(1, [(1, 2)], other_relationships=[(3, 4)])  # type: ignore[list-item]  # on purpose


def test_zero_value_gives_zero_credit():
    result = shapley_split(0, [(1, 2, 3)])
    assert set(result.relationships.values()) == {0.0}
    assert result.to_frame()["share"].tolist() == [0.0, 0.0]


# ------------------------------------------------------------------- display


def test_round_credit_keeps_the_total():
    # 100/3 each: floors 33.33 * 3 = 99.99, one cent missing goes to the first key.
    assert round_credit({1: 100 / 3, 2: 100 / 3, 3: 100 / 3}) == {1: 33.34, 2: 33.33, 3: 33.33}
    # 1200 * (1/6, 1/6, 2/3) is already exact.
    assert round_credit({1: 200.0, 2: 200.0, 3: 800.0}) == {1: 200.0, 2: 200.0, 3: 800.0}
    assert round_credit({1: 0.125, 2: 0.875}, decimals=0) == {1: 0.0, 2: 1.0}


def test_to_frame_by_person():
    frame = shapley_split(1200, [(1, 2, 3), (1, 4)]).to_frame(level="person")
    assert frame.columns.tolist() == ["person", "credit", "share"]
    assert frame["credit"].sum() == pytest.approx(1200)
    assert frame.set_index("person")["share"].to_dict() == pytest.approx(
        {1: 5 / 12, 2: 1 / 6, 3: 1 / 12, 4: 1 / 3}
    )
    with pytest.raises(ValueError, match="level"):
        shapley_split(1, [(1, 2)]).to_frame(level="team")
