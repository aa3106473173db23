"""The leader's view of a network analysis: groups only, none too small, none inferable.

:func:`group_level_view` turns a full
:class:`~bridgework.core.graph.analysis.NetworkAnalysis` into the tables a
leader may see. Every group shown -- teams, communities, engagement types --
passes :func:`~bridgework.core.privacy.groups.disclosure_safe_groups`
together (so no two of them, nor a group and the organization total, differ
by fewer than ``minimum`` people), counting people other than the viewer;
individual people appear only as counts ("3 people in Finance hold most of
its outside ties"), never by name, id or per-person value.

Figures that one person, or a few, could make on their own pass
:func:`~bridgework.core.privacy.groups.figure_shown` (at least ``minimum``
contributors besides the viewer, or none), and are ``None`` (in tables:
NaN) with a note in :attr:`GroupLevelView.withheld` otherwise:

* the largest number of people one departure cuts off (shown only when at
  least ``minimum`` people share that largest value);
* the links between groups resting on a single person (their total is the
  holders' own count when fewer than ``minimum`` people hold them);
* a team's figures about its ties to other teams (ties outside, E-I,
  outside share, partner teams, reach, and its row of the team matrix) when
  fewer than ``minimum`` members hold those ties; such teams are listed by
  name only as "resting on fewer than ``minimum`` people". So that the
  withheld cells cannot be worked back from sums, the outside figures of a
  team whose ties outside would then give them away are withheld too
  (secondary suppression), and so is the organization's tie count when it
  would;
* the top brokers' share of brokerage and betweenness, when the top
  :data:`BROKER_SHARE` of people is fewer than ``minimum`` people;
* an engagement type's share of the ties between teams, of betweenness and
  of brokerage, when fewer than ``minimum`` of its people hold any.

The same view feeds the leader pages and the leader version of the network
report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from bridgework.core.graph.analysis import NetworkAnalysis
from bridgework.core.privacy.groups import (
    SafeGroups,
    disclosure_safe_groups,
    figure_shown,
    withheld_note,
)

__all__ = ["BROKER_SHARE", "OUTSIDE_COLUMNS", "GroupLevelView", "group_level_view"]

#: Share of people, by betweenness, counted as the organization's brokers.
BROKER_SHARE = 0.05

#: A team's figures about its ties to other teams: made by the members who
#: hold such ties, so withheld when fewer than the minimum do.
OUTSIDE_COLUMNS = (
    "external_ties",
    "ei_index",
    "outside_share",
    "partner_groups",
    "internal_direct",
    "external_direct",
    "internal_two_step",
    "external_two_step",
    "external_share",
)

#: An engagement type's figures and the people who make each of them.
_ENGAGEMENT_FIGURES = {
    "cross_group_ties": "cross_group_ties",
    "cross_group_share": "cross_group_ties",
    "bridging_ratio": "cross_group_ties",
    "betweenness_share": "betweenness",
    "brokerage_share": "brokerage",
}


@dataclass
class GroupLevelView:
    """Group-level results, each table already filtered by the privacy rules.

    ``teams``: one row per shown team (size, E-I, outside share, silo flag,
    reach inside and outside, how many of the organization's brokers and
    key people it holds); ``matrix``: ties between shown teams;
    ``communities``: shown communities with the shown teams they draw from;
    ``open_talent``: shown engagement types and their share of the bridging;
    ``risk``: organization-wide key-person counts; ``brokers``: how
    concentrated brokerage is; ``hidden``: how many groups of each kind were
    withheld; ``summary``: network-wide figures; ``withheld``: each figure
    withheld because fewer than ``minimum`` people make it, with the note a
    page shows in its place (``"largest_cut_off"``,
    ``"group_links_on_one_person"``, ``"broker_shares"``,
    ``"team_outside"``, ``"engagement_shares"``). Teams whose outside
    figures are withheld have ``outside_withheld`` set and NaN in
    :data:`OUTSIDE_COLUMNS` and in their off-diagonal matrix cells.
    """

    minimum: int
    teams: pd.DataFrame
    matrix: pd.DataFrame
    communities: pd.DataFrame
    open_talent: pd.DataFrame
    risk: dict[str, Any]
    brokers: dict[str, Any]
    summary: dict[str, Any]
    hidden: dict[str, int] = field(default_factory=dict)
    safe: SafeGroups[str, str] | None = None
    withheld: dict[str, str] = field(default_factory=dict)

    @property
    def silos(self) -> pd.DataFrame:
        return self.teams[self.teams["silo"]].reset_index(drop=True)


def group_level_view(
    analysis: NetworkAnalysis, *, minimum: int = 5, viewer: int | None = None
) -> GroupLevelView:
    """The leader's view of ``analysis`` for ``viewer``; see the module docstring.

    ``viewer`` is the viewer's own person id (None for a viewer without one,
    or a report made outside the web app): every threshold counts the people
    other than them.

    Examples
    --------
    >>> from bridgework.core.graph.analysis import analyze
    >>> from bridgework.core.graph.network import Network
    >>> teams = {p: ("a" if p <= 6 else "b" if p <= 12 else "c") for p in range(1, 15)}
    >>> ties = [(p, p + 1) for p in range(1, 14)]
    >>> net = Network.from_ties(*zip(*ties), attributes={p: {"team": t} for p, t in teams.items()})
    >>> view = group_level_view(analyze(net), minimum=5)
    >>> view.teams["group"].tolist(), view.hidden["team"]
    (['b'], 2)

    Team ``c`` (2 people) is withheld, and so is ``a``: otherwise the
    organization's totals minus ``a`` and ``b`` would describe ``c``.
    """
    people = analysis.people
    population = set(people["person"].tolist())
    dimensions: dict[str, dict[str, set[int]]] = {}
    for name, column in (
        ("team", "team"),
        ("community", "community"),
        ("engagement", "engagement"),
    ):
        if column in people:
            labelled = people[people[column].astype(str) != ""]
            dimensions[name] = {
                str(g): set(members["person"].tolist())
                for g, members in labelled.groupby(labelled[column].astype(str))
            }
    safe = disclosure_safe_groups(dimensions, minimum=minimum, population=population, viewer=viewer)
    hidden = {dim: len(dimensions[dim]) - len(safe.shown[dim]) for dim in dimensions}
    shown_teams = set(safe.shown.get("team", []))
    note = withheld_note(minimum)
    withheld: dict[str, str] = {}

    def shown_for(contributors: pd.Series) -> bool:
        return figure_shown(set(contributors.tolist()), minimum=minimum, viewer=viewer)

    broker_cut = people["betweenness"].quantile(1 - BROKER_SHARE) if len(people) else 0.0
    is_broker = (people["betweenness"] >= broker_cut) & (people["betweenness"] > 0)
    is_key = (people["people_cut_off"] > 0) | (people["group_links_lost"] > 0)
    per_team = (
        people.assign(broker=is_broker, key_person=is_key)
        .groupby(people["team"].astype(str))[["broker", "key_person"]]
        .sum()
    )
    teams = analysis.groups[analysis.groups["group"].astype(str).isin(shown_teams)].copy()
    teams["brokers"] = teams["group"].map(per_team["broker"]).fillna(0).astype(int)
    teams["key_people"] = teams["group"].map(per_team["key_person"]).fillna(0).astype(int)
    teams = teams.sort_values("group").reset_index(drop=True)

    # A team's ties to other teams are made by the members who hold them: with
    # one holder, "ties outside", "partner teams" and the reach are that
    # person's own figures.
    holders = people[people["cross_group_ties"] > 0]
    holders_of = {
        team: set(members["person"].tolist())
        for team, members in holders.groupby(holders["team"].astype(str))
    }
    protected = {
        str(team)
        for team in teams["group"]
        if not figure_shown(holders_of.get(str(team), set()), minimum=minimum, viewer=viewer)
    }
    # Secondary suppression: a shown team's ties outside are the sum of its row
    # of the team matrix, so when that row holds a withheld cell and nothing else
    # unknown (no ties to hidden teams or people without a team), the sum would
    # give the withheld cell back. Its outside figures are withheld too.
    full = analysis.matrix
    unknown_groups = [g for g in full.columns if str(g) not in shown_teams]
    inferable = {
        str(team)
        for team in teams["group"]
        if str(team) not in protected
        and full.loc[team, sorted(protected)].sum() > 0
        and full.loc[team, unknown_groups].sum() == 0
    }
    teams["outside_withheld"] = [str(team) in protected | inferable for team in teams["group"]]
    outside_hidden = teams["outside_withheld"].astype(bool)
    for column in OUTSIDE_COLUMNS:
        if column in teams:
            # Whole numbers stay whole ("Int64" holds them beside a missing value).
            values = teams[column]
            if pd.api.types.is_integer_dtype(values):
                teams[column] = values.astype(pd.Int64Dtype()).mask(outside_hidden)
            else:
                teams[column] = values.astype(float).mask(outside_hidden)
    few_outside_links = [
        str(team) for team in teams["group"] if 0 < len(holders_of.get(str(team), ())) < minimum
    ]
    if outside_hidden.any():
        withheld["team_outside"] = f"ties to other {_teams_word(analysis)} {note} hold them"

    order = [g for g in analysis.matrix.index if g in shown_teams]
    cells = analysis.matrix.loc[order, order].to_numpy(dtype=float, copy=True)
    hidden_rows = np.asarray([str(g) in protected for g in order], dtype=bool)
    # A withheld team's ties with every other team; its own inside ties stay.
    off_diagonal = (hidden_rows[:, None] | hidden_rows[None, :]) & ~np.eye(len(order), dtype=bool)
    cells[off_diagonal] = np.nan
    matrix = pd.DataFrame(cells, index=order, columns=order)

    shown_communities = set(safe.shown.get("community", []))
    communities = []
    for community, members in people.groupby(people["community"].astype(str)):
        if community not in shown_communities:
            continue
        counts = members["team"].astype(str).value_counts()
        visible = counts[[t in shown_teams and c >= minimum for t, c in counts.items()]]
        communities.append(
            {
                "community": community,
                "size": len(members),
                "teams": int(len(counts)),
                "main_teams": ", ".join(f"{t} ({c})" for t, c in visible.head(3).items())
                or "many small groups",
                "main_team_share": float(counts.iloc[0] / len(members)) if len(counts) else 0.0,
            }
        )
    community_frame = pd.DataFrame(
        communities, columns=["community", "size", "teams", "main_teams", "main_team_share"]
    )
    if not community_frame.empty:
        community_frame = community_frame.sort_values(
            ["size", "community"], ascending=[False, True]
        ).reset_index(drop=True)

    shown_engagements = set(safe.shown.get("engagement", []))
    open_talent = analysis.open_talent[
        analysis.open_talent["engagement"].astype(str).isin(shown_engagements)
    ].reset_index(drop=True)
    engagement_of = people["engagement"].astype(str) if "engagement" in people else None
    for i, engagement in enumerate(open_talent["engagement"].astype(str)):
        if engagement_of is None:
            break
        members = people[engagement_of == engagement]
        for column, made_by in _ENGAGEMENT_FIGURES.items():
            if column in open_talent and not shown_for(members.loc[members[made_by] > 0, "person"]):
                open_talent[column] = open_talent[column].astype(float)
                open_talent.loc[i, column] = np.nan
                withheld["engagement_shares"] = f"some shares {note} make them"

    cross_total = people["brokerage"].sum()
    top = people.sort_values("betweenness", ascending=False).head(
        max(1, int(np.ceil(len(people) * BROKER_SHARE)))
    )
    brokers: dict[str, Any] = {
        "share_of_people": BROKER_SHARE,
        "people": int(len(top)),
        "share_of_brokerage": float(top["brokerage"].sum() / cross_total) if cross_total else 0.0,
        "share_of_betweenness": float(top["betweenness"].sum() / people["betweenness"].sum())
        if people["betweenness"].sum() > 0
        else 0.0,
        "teams_holding_brokers": int((teams["brokers"] > 0).sum()),
    }
    # The top 5% of a small organization can be one or two people, whose
    # shares are then their own.
    for share, made_by in (
        ("share_of_brokerage", "brokerage"),
        ("share_of_betweenness", "betweenness"),
    ):
        if not shown_for(top.loc[top[made_by] > 0, "person"]):
            brokers[share] = None
            withheld["broker_shares"] = f"{note} in the top {BROKER_SHARE:.0%} make them"

    largest = int(people["people_cut_off"].max()) if len(people) else 0
    cut_off_by_largest = people.loc[people["people_cut_off"] == largest, "person"]
    link_holders = people.loc[people["group_links_lost"] > 0, "person"]
    risk: dict[str, Any] = {
        "key_people": int(is_key.sum()),
        "people_who_hold_others_connected": int((people["people_cut_off"] > 0).sum()),
        "largest_cut_off": largest,
        "people_holding_a_group_link_alone": int(len(link_holders)),
        "group_links_on_one_person": int(people["group_links_lost"].sum()),
        "teams_with_few_outside_links": few_outside_links,
    }
    if largest > 0 and not shown_for(cut_off_by_largest):
        # The largest value is one person's own unless many share it.
        risk["largest_cut_off"] = None
        withheld["largest_cut_off"] = f"{note} share the largest value"
    if not shown_for(link_holders):
        risk["group_links_on_one_person"] = None
        withheld["group_links_on_one_person"] = f"{note} hold them"
    summary = {
        key: analysis.summary.get(key)
        for key in (
            "people",
            "ties",
            "density",
            "components",
            "communities",
            "modularity",
            "modularity_of_groups",
            "nmi",
            "ari",
            "silos",
        )
    }
    summary["silos"] = int(teams["silo"].sum()) if "silo" in teams else 0
    # The same for the organization's tie count: with no ties at all to hidden
    # teams or people without a team, it less the shown cells is the withheld cells.
    if protected and _ties_touching(full, unknown_groups) == 0:
        summary["ties"] = summary["density"] = None
        withheld["ties"] = f"{note} hold the ties it would give away"
    return GroupLevelView(
        minimum=minimum,
        teams=teams,
        matrix=matrix,
        communities=community_frame,
        open_talent=open_talent,
        risk=risk,
        brokers=brokers,
        summary=summary,
        hidden=hidden,
        safe=safe,
        withheld=withheld,
    )


def _ties_touching(matrix: pd.DataFrame, groups: list[Any]) -> float:
    """Ties with at least one end in ``groups`` (the matrix is symmetric)."""
    if not groups:
        return 0.0
    inside = matrix.loc[groups, groups].to_numpy()
    across = matrix.loc[groups, [g for g in matrix.columns if g not in set(groups)]].to_numpy()
    return float(np.triu(inside).sum() + across.sum())


def _teams_word(analysis: NetworkAnalysis) -> str:
    return "teams" if (analysis.summary.get("group_attribute") or "team") == "team" else "groups"
