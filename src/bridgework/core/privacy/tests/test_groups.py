"""Disclosure control for group results, on small cases worked out by hand."""

from __future__ import annotations

import itertools

import pytest

from bridgework.core.privacy.groups import disclosure_safe_groups, figure_shown


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


# ---------------------------------------------------------------- the viewer


def test_a_viewer_who_joins_a_group_of_four_does_not_make_it_shown():
    # A leader (id 99) enrols in a program of four: five members, four of them
    # other people. Shown, its totals less the leader's own would be the four's.
    program = {1, 2, 3, 4, 99}
    safe = disclosure_safe_groups({"program": {"p": program}}, minimum=5, viewer=99)
    assert safe.shown == {"program": []}
    assert safe.hidden == {("program", "p"): "fewer than 5 people"}
    # The same five seen by someone outside the group are five other people.
    assert disclosure_safe_groups({"program": {"p": program}}, minimum=5, viewer=7).shown == {
        "program": ["p"]
    }


def test_the_viewers_own_consent_moves_no_group_across_the_threshold():
    # Four colleagues and the viewer (99): with the viewer's consent the group
    # has five members, without it four; hidden either way.
    others = {1, 2, 3, 4}
    for members in (others | {99}, others):
        safe = disclosure_safe_groups({"team": {"t": members}}, minimum=5, viewer=99)
        assert not safe.is_shown("team", "t"), members
    # With five colleagues it is shown either way.
    for members in (others | {5, 99}, others | {5}):
        safe = disclosure_safe_groups({"team": {"t": members}}, minimum=5, viewer=99)
        assert safe.is_shown("team", "t"), members


def test_nesting_counts_the_difference_without_the_viewer():
    # Community X is team A plus the viewer and four others: X - A describes four
    # people the viewer does not speak for, so A is hidden from them.
    team_a = set(range(10))
    community = team_a | {99, 100, 101, 102, 103}
    dims = {"team": {"A": team_a}, "community": {"X": community}}
    assert disclosure_safe_groups(dims, minimum=5).hidden == {}
    safe = disclosure_safe_groups(dims, minimum=5, viewer=99)
    assert not safe.is_shown("team", "A") and safe.is_shown("community", "X")


def test_a_difference_of_only_the_viewer_is_their_own_and_allowed():
    team_a = set(range(10))
    safe = disclosure_safe_groups(
        {"team": {"A": team_a}, "community": {"X": team_a | {99}}}, minimum=5, viewer=99
    )
    assert safe.hidden == {}


def test_the_complement_leaves_the_viewer_out_of_the_hidden_remainder():
    # b (3) and e (2) are hidden: together five people, enough for the total
    # minus the shown teams not to describe anyone. For a viewer in b they are
    # four other people, so the next smallest shown team (d, 6) is hidden too.
    teams = {
        "a": range(0, 10),
        "b": range(10, 13),
        "e": range(13, 15),
        "c": range(15, 25),
        "d": range(25, 31),
    }
    population = range(31)
    safe = disclosure_safe_groups({"team": teams}, minimum=5, population=population)
    assert safe.shown == {"team": ["a", "c", "d"]}
    safe = disclosure_safe_groups({"team": teams}, minimum=5, population=population, viewer=11)
    assert safe.shown == {"team": ["a", "c"]}
    assert "inferred from the total" in safe.hidden[("team", "d")]


def test_nearly_everyone_counts_the_rest_without_the_viewer():
    # 45 employees and the viewer with 4 contractors: everyone minus employees is
    # the four contractors and the viewer.
    safe = disclosure_safe_groups(
        {"engagement": {"employee": range(0, 45)}}, minimum=5, population=range(50)
    )
    assert safe.is_shown("engagement", "employee")
    safe = disclosure_safe_groups(
        {"engagement": {"employee": range(0, 45)}}, minimum=5, population=range(50), viewer=49
    )
    assert not safe.is_shown("engagement", "employee")


def test_no_shown_group_or_difference_describes_fewer_than_minimum_people_besides_the_viewer():
    # The property above, for random viewers: counted without the viewer, every
    # shown group has at least `minimum` people and every nested difference 0 or
    # at least `minimum`; with the population, so does everyone outside a group.
    import random

    rng = random.Random(11)
    for _ in range(300):
        people = list(range(30))
        viewer = rng.choice(people)
        dims = {
            d: {f"{d}{i}": set(rng.sample(people, rng.randint(1, 15))) for i in range(4)}
            for d in ("team", "community")
        }
        safe = disclosure_safe_groups(dims, minimum=4, population=people, viewer=viewer)
        shown = [set(dims[d][g]) - {viewer} for d in dims for g in safe.shown[d]]
        for a in shown:
            assert len(a) >= 4
            rest = set(people) - {viewer} - a
            assert len(rest) == 0 or len(rest) >= 4
        for a, b in itertools.permutations(shown, 2):
            if b <= a:
                assert len(a - b) == 0 or len(a - b) >= 4


def test_a_figure_is_shown_for_no_one_the_viewer_alone_or_enough_others():
    assert figure_shown(set(), minimum=5)
    assert figure_shown({99}, minimum=5, viewer=99)
    assert not figure_shown({1}, minimum=5)
    assert not figure_shown({1, 2, 3, 4, 99}, minimum=5, viewer=99)
    assert figure_shown({1, 2, 3, 4, 5}, minimum=5, viewer=99)
    with pytest.raises(ValueError, match="below 3"):
        figure_shown({1}, minimum=2)
