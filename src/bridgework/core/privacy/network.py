"""The leader's view of a network analysis: groups only, none too small, none inferable.

:func:`group_level_view` turns a full
:class:`~bridgework.core.graph.analysis.NetworkAnalysis` into the tables a
leader may see. Every group shown -- teams, communities, engagement types --
passes :func:`~bridgework.core.privacy.groups.disclosure_safe_groups`
together (so no two of them, nor a group and the organization total, differ
by fewer than ``minimum`` people); individual people appear only as counts
("3 people in Finance hold most of its outside ties"), never by name, id or
per-person value. The same view feeds the leader pages and the leader
version of the network report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from bridgework.core.graph.analysis import NetworkAnalysis
from bridgework.core.privacy.groups import SafeGroups, disclosure_safe_groups

__all__ = ["GroupLevelView", "group_level_view"]

#: Share of people, by betweenness, counted as the organization's brokers.
BROKER_SHARE = 0.05


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
    withheld; ``summary``: network-wide figures.
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

    @property
    def silos(self) -> pd.DataFrame:
        return self.teams[self.teams["silo"]].reset_index(drop=True)


def group_level_view(analysis: NetworkAnalysis, *, minimum: int = 5) -> GroupLevelView:
    """The leader's view of ``analysis``; see the module docstring.

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
    safe = disclosure_safe_groups(dimensions, minimum=minimum, population=population)
    hidden = {dim: len(dimensions[dim]) - len(safe.shown[dim]) for dim in dimensions}
    shown_teams = set(safe.shown.get("team", []))

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

    order = [g for g in analysis.matrix.index if g in shown_teams]
    matrix = analysis.matrix.loc[order, order]

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

    cross_total = people["brokerage"].sum()
    top = people.sort_values("betweenness", ascending=False).head(
        max(1, int(np.ceil(len(people) * BROKER_SHARE)))
    )
    brokers = {
        "share_of_people": BROKER_SHARE,
        "people": int(len(top)),
        "share_of_brokerage": float(top["brokerage"].sum() / cross_total) if cross_total else 0.0,
        "share_of_betweenness": float(top["betweenness"].sum() / people["betweenness"].sum())
        if people["betweenness"].sum() > 0
        else 0.0,
        "teams_holding_brokers": int((teams["brokers"] > 0).sum()),
    }
    single_link_teams = []
    for team in teams["group"]:
        members = people[people["team"].astype(str) == team]
        crossing = members["cross_group_ties"].sum()
        holders = int((members["cross_group_ties"] > 0).sum())
        if crossing and holders <= 1:
            single_link_teams.append(team)
    risk = {
        "key_people": int(is_key.sum()),
        "people_who_hold_others_connected": int((people["people_cut_off"] > 0).sum()),
        "largest_cut_off": int(people["people_cut_off"].max()) if len(people) else 0,
        "people_holding_a_group_link_alone": int((people["group_links_lost"] > 0).sum()),
        "group_links_on_one_person": int(people["group_links_lost"].sum()),
        "teams_with_one_outside_link": single_link_teams,
    }
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
    )
