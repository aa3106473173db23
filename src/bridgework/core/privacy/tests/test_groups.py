"""Disclosure control for group results, on small cases worked out by hand."""

from __future__ import annotations

import itertools

import pytest

from bridgework.core.privacy.groups import disclosure_safe_groups


def test_groups_under_the_minimum_are_hidden():
    safe = disclosure_safe_groups({"team": {"a": range(5), "b": range(5, 9)}}, minimum=5)
    assert safe.shown == {"team": ["a"]}
    assert safe.hidden == {("team", "b"): "fewer than 5 people"}


def test_a_community_one_person_larger_than_a_team_is_not_shown_beside_it():
    # Community X = team A plus person 99: X - A would describe person 99 alone.
    team_a = set(range(10))
    safe = disclosure_safe_groups(
        {"team": {"A": team_a}, "community": {"X": team_a | {99}}}, minimum=5
    )
    assert not safe.is_shown("team", "A")
    assert safe.is_shown("community", "X")
    assert "differs from community X" in safe.hidden[("team", "A")]


def test_nested_groups_far_enough_apart_are_both_shown():
    team_a = set(range(10))
    safe = disclosure_safe_groups(
        {"team": {"A": team_a}, "community": {"X": team_a | set(range(100, 105))}}, minimum=5
    )
    assert safe.is_shown("team", "A") and safe.is_shown("community", "X")


def test_overlapping_but_not_nested_groups_are_both_shown():
    safe = disclosure_safe_groups(
        {"team": {"A": range(0, 10)}, "community": {"X": range(1, 11)}}, minimum=5
    )
    assert safe.hidden == {}


def test_a_group_of_nearly_everyone_is_hidden_when_totals_are_shown():
    safe = disclosure_safe_groups(
        {"engagement": {"employee": range(0, 48), "contractor": range(48, 50)}},
        minimum=5,
        population=range(50),
    )
    # contractor (2) is too small; employee (48) is everyone but 2, so the
    # total minus employees would give the contractors' figures.
    assert safe.shown == {"engagement": []}


def test_complementary_suppression_hides_the_next_smallest_until_the_remainder_is_safe():
    teams = {"a": range(0, 20), "b": range(20, 26), "c": range(26, 33), "d": range(33, 35)}
    safe = disclosure_safe_groups({"team": teams}, minimum=5, population=range(35))
    # d (2) hidden; remainder 2 < 5, so the smallest shown (b, 6) goes too: 8 >= 5.
    assert safe.shown == {"team": ["a", "c"]}


def test_no_shown_group_or_difference_describes_fewer_than_minimum_people():
    # Exhaustive check on small random layouts: for every pair of shown groups
    # where one contains the other, the difference is 0 or >= minimum.
    import random

    rng = random.Random(7)
    for _ in range(200):
        people = list(range(30))
        dims = {
            d: {f"{d}{i}": set(rng.sample(people, rng.randint(1, 15))) for i in range(4)}
            for d in ("team", "community")
        }
        safe = disclosure_safe_groups(dims, minimum=4)
        shown = [set(dims[d][g]) for d in dims for g in safe.shown[d]]
        for a, b in itertools.permutations(shown, 2):
            assert len(a) >= 4
            if b <= a:
                assert len(a - b) == 0 or len(a - b) >= 4


def test_minimum_cannot_go_below_three():
    with pytest.raises(ValueError, match="below 3"):
        disclosure_safe_groups({"team": {}}, minimum=2)
