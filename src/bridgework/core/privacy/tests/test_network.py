"""The leader's view of a network analysis withholds what one person, or a few, make.

Each network is small enough to work out by hand; the expected values in the
comments come from counting ties and removing people on paper, not from the
code under test.
"""

from __future__ import annotations

import itertools

from bridgework.core.graph.analysis import analyze
from bridgework.core.graph.network import Network
from bridgework.core.privacy.network import OUTSIDE_COLUMNS, group_level_view


def _clique(people: range) -> list[tuple[int, int]]:
    return list(itertools.combinations(people, 2))


def _network(
    ties: list[tuple[int, int]],
    teams: dict[int, str],
    extra: dict[int, dict[str, str]] | None = None,
) -> Network:
    attributes = {p: {"team": t, **(extra or {}).get(p, {})} for p, t in teams.items()}
    a, b = zip(*ties, strict=True)
    return Network.from_ties(a, b, nodes=sorted(teams), attributes=attributes)


def _three_teams() -> Network:
    """Teams a (1-6), b (7-12), c (13-18), each a clique. Only person 1 of a ties
    outside a: to 7 and 8 of b and to 13 of c. b and c are tied pairwise
    (7-13, 8-14, ..., 12-18), so all six of b and all six of c hold outside ties.
    One more team d (19-24) ties to b one to one (19-7, 20-8, ..., 24-12: six
    holders), so that b's row of the matrix holds more than a's cell."""
    ties = _clique(range(1, 7)) + _clique(range(7, 13)) + _clique(range(13, 19))
    ties += _clique(range(19, 25))
    ties += [(1, 7), (1, 8), (1, 13)]
    ties += [(b, b + 6) for b in range(7, 13)]
    ties += [(d, d - 12) for d in range(19, 25)]
    teams = {p: "abcd"[(p - 1) // 6] for p in range(1, 25)}
    return _network(ties, teams)


def test_a_team_whose_outside_ties_are_one_persons_shows_none_of_them():
    view = group_level_view(analyze(_three_teams()), minimum=5)
    teams = view.teams.set_index("group")
    # Team a: its ties outside (3), partner teams (2), E-I are person 1's own.
    assert bool(teams.loc["a", "outside_withheld"])
    for column in OUTSIDE_COLUMNS:
        if column in teams:
            assert teams[column].isna()["a"], column
    assert teams.loc["a", "size"] == 6 and teams.loc["a", "internal_ties"] == 15  # C(6, 2)
    # Its cells of the matrix are withheld; its inside ties (15) are not.
    assert view.matrix.isna().loc["a", "b"] and view.matrix.isna().loc["c", "a"]
    assert view.matrix.loc["a", "a"] == 15
    # Named only as resting on fewer than 5 people, never as "one member".
    assert view.risk["teams_with_few_outside_links"] == ["a"]
    assert "teams_with_one_outside_link" not in view.risk
    assert "team_outside" in view.withheld
    # Team d: six holders, each with one tie into b: shown.
    assert not teams.loc["d", "outside_withheld"] and teams.loc["d", "external_ties"] == 6
    assert view.matrix.loc["b", "d"] == 6


def test_a_team_whose_outside_ties_would_give_a_withheld_cell_back_is_withheld_too():
    # b's ties outside are 2 (to a) + 6 (to c) + 6 (to d) = 14; with a's cell
    # hidden and nothing else unknown in b's row, 14 - 6 - 6 would give person 1's
    # two ties to b back. So b's outside figures go too; its cells with c and d stay.
    view = group_level_view(analyze(_three_teams()), minimum=5)
    teams = view.teams.set_index("group")
    assert bool(teams.loc["b", "outside_withheld"]) and teams["external_ties"].isna()["b"]
    assert bool(teams.loc["c", "outside_withheld"])  # 1 (to a) + 6 (to b): the same
    assert view.matrix.loc["b", "c"] == 6 and view.matrix.loc["b", "d"] == 6
    # The organization's tie count less every shown cell would give 3: withheld.
    assert view.summary["ties"] is None and view.summary["density"] is None


def test_with_people_outside_every_team_the_tie_count_gives_nothing_away():
    network = _three_teams()
    ties = list(zip(network.ids[network.sources], network.ids[network.targets], strict=True))
    ties += [(25, 2), (25, 10), (25, 15)]  # someone without a team, tied into a, b and c
    teams = {int(p): network.attributes[int(p)]["team"] for p in network.ids}
    teams[25] = ""
    view = group_level_view(analyze(_network(ties, teams)), minimum=5)
    assert view.summary["ties"] == len(ties)
    # b now also ties to someone unknown (person 25): its ties outside are shown.
    assert not view.teams.set_index("group").loc["b", "outside_withheld"]


def _hub_with_leaves(leaves: int) -> Network:
    """Ten colleagues in a clique (1-10); each of the first ``leaves`` of them is
    the only contact of one more colleague (101, 102, ...)."""
    ties = _clique(range(1, 11)) + [(i, 100 + i) for i in range(1, leaves + 1)]
    teams = dict.fromkeys(range(1, 11), "a") | {100 + i: "a" for i in range(1, leaves + 1)}
    return _network(ties, teams)


def test_the_largest_number_one_departure_cuts_off_is_withheld_when_one_person_holds_it():
    # A chain hanging off person 1: without 1, people 101, 102 and 103 are cut off.
    ties = _clique(range(1, 11)) + [(1, 101), (101, 102), (102, 103)]
    teams = dict.fromkeys([*range(1, 11), 101, 102, 103], "a")
    view = group_level_view(analyze(_network(ties, teams)), minimum=5)
    # 1 cuts off 3, 101 cuts off 2, 102 cuts off 1: the largest, 3, is person 1's.
    assert view.risk["people_who_hold_others_connected"] == 3
    assert view.risk["largest_cut_off"] is None
    assert "largest_cut_off" in view.withheld


def test_the_largest_number_is_shown_when_enough_people_share_it():
    # Five people each hold one leaf: each departure cuts off 1, shared by five.
    view = group_level_view(analyze(_hub_with_leaves(5)), minimum=5)
    assert view.risk["people_who_hold_others_connected"] == 5
    assert view.risk["largest_cut_off"] == 1
    # Seen by one of the five, four others share it: withheld.
    view = group_level_view(analyze(_hub_with_leaves(5)), minimum=5, viewer=3)
    assert view.risk["largest_cut_off"] is None


def test_links_between_groups_held_by_one_person_are_not_counted_for_the_leader():
    # Person 1 alone ties a to b and to c: 2 group links rest on one person.
    view = group_level_view(analyze(_three_teams()), minimum=5)
    assert view.risk["people_holding_a_group_link_alone"] >= 1
    assert view.risk["group_links_on_one_person"] is None
    assert "group_links_on_one_person" in view.withheld


def test_broker_shares_of_a_small_top_are_withheld():
    # 24 people: the top 5% is 2 people, whose share of betweenness is theirs.
    view = group_level_view(analyze(_three_teams()), minimum=5)
    assert view.brokers["people"] == 2  # ceil(24 * 0.05)
    assert view.brokers["share_of_betweenness"] is None
    assert view.brokers["share_of_brokerage"] is None
    assert "broker_shares" in view.withheld


def test_an_engagement_types_shares_are_withheld_when_few_of_them_make_them():
    # Team a are the contractors; only person 1 of them ties outside a.
    network = _three_teams()
    ties = list(zip(network.ids[network.sources], network.ids[network.targets], strict=True))
    teams = {int(p): network.attributes[int(p)]["team"] for p in network.ids}
    kinds = {p: {"engagement": "contractor" if p <= 6 else "employee_ft"} for p in teams}
    view = group_level_view(analyze(_network(ties, teams, kinds)), minimum=5)
    frame = view.open_talent.set_index("engagement")
    missing = frame.isna()
    # Six contractors (a shown type), but only person 1 ties across teams.
    assert frame.loc["contractor", "people"] == 6
    assert missing.loc["contractor", "cross_group_share"]
    assert missing.loc["contractor", "bridging_ratio"]
    assert not missing.loc["employee_ft", "cross_group_share"]


def test_the_viewers_membership_never_counts_towards_the_minimum():
    # Team d has six people; a viewer in d sees five others: shown. Team a
    # seen by a viewer in a: five others, still shown.
    analysis = analyze(_three_teams())
    for viewer in (None, 19, 1):
        shown = set(group_level_view(analysis, minimum=5, viewer=viewer).teams["group"])
        assert shown == {"a", "b", "c", "d"}, viewer
    # With a minimum of 6, a viewer in d leaves five others: d is withheld for
    # them (and by the complement one more team), never for an outsider.
    assert "d" in set(group_level_view(analysis, minimum=6).teams["group"])
    assert "d" not in set(group_level_view(analysis, minimum=6, viewer=19).teams["group"])
