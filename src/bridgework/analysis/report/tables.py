"""The group-level numbers one report is built from, for either audience.

:func:`leader_tables` takes them from a
:class:`~bridgework.core.privacy.network.GroupLevelView` only;
:func:`analyst_tables` from the whole analysis, every group, in the same
columns. The findings and the rendered sections read these, never the
analysis, except for the analyst's named people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from bridgework.core.graph.analysis import AnalysisOptions, NetworkAnalysis
from bridgework.core.privacy.network import BROKER_SHARE, GroupLevelView

__all__ = [
    "Audience",
    "NO_GROUP",
    "NO_GROUP_LABEL",
    "ReportTables",
    "leader_tables",
    "analyst_tables",
]

Audience = Literal["leader", "analyst"]

NO_GROUP = "(none)"
NO_GROUP_LABEL = "(no team)"


@dataclass
class ReportTables:
    """Group-level numbers of one report, whichever audience they are for.

    The leader's come straight from :class:`GroupLevelView`; the analyst's
    from the whole analysis, in the same columns.
    """

    audience: Audience
    minimum: int
    teams: pd.DataFrame
    matrix: pd.DataFrame
    sizes: dict[str, int]
    communities: pd.DataFrame
    open_talent: pd.DataFrame
    risk: dict[str, Any]
    brokers: dict[str, Any]
    summary: dict[str, Any]
    hidden: dict[str, int]
    methods: dict[str, Any]
    without_team: int = 0
    withheld: dict[str, str] = field(default_factory=dict)

    @property
    def silos(self) -> pd.DataFrame:
        return self.teams[self.teams["silo"]].reset_index(drop=True)

    @property
    def silo_share(self) -> float | None:
        """The outside-tie share at or below which a group is a silo, if it can be trusted."""
        share = self.methods.get("silo_max_outside_share")
        if share is None:
            share = AnalysisOptions().silo_max_outside_share
        # The analysis does not record its silo setting; check the flags agree with it.
        judged = self.teams[self.teams["size"] >= 2]
        if "outside_withheld" in judged:
            judged = judged[~judged["outside_withheld"].astype(bool)]
        expected = judged["outside_share"].fillna(0) <= share
        return float(share) if bool((expected == judged["silo"]).all()) else None

    @property
    def group_word(self) -> tuple[str, str]:
        attribute = self.methods.get("group_attribute") or "team"
        return ("team", "teams") if attribute == "team" else ("group", "groups")


def leader_tables(view: GroupLevelView, methods: dict[str, Any]) -> ReportTables:
    """The leader's numbers: the group-level view as it is (small groups already withheld)."""
    return ReportTables(
        audience="leader",
        minimum=view.minimum,
        teams=view.teams,
        matrix=view.matrix,
        sizes=dict(zip(view.teams["group"], view.teams["size"], strict=True)),
        communities=view.communities,
        open_talent=view.open_talent,
        risk=view.risk,
        brokers=view.brokers,
        summary=view.summary,
        hidden=view.hidden,
        methods=methods,
        withheld=view.withheld,
    )


def analyst_tables(
    analysis: NetworkAnalysis, view: GroupLevelView, methods: dict[str, Any]
) -> ReportTables:
    """The analyst's numbers: every group, none withheld, in the same columns as the leader's."""
    # Same per-team counts as group_level_view, over every group.
    people = analysis.people
    cut = people["betweenness"].quantile(1 - BROKER_SHARE) if len(people) else 0.0
    per_team = (
        people.assign(
            broker=(people["betweenness"] >= cut) & (people["betweenness"] > 0),
            key_person=(people["people_cut_off"] > 0) | (people["group_links_lost"] > 0),
        )
        .groupby(people["team"].astype(str))[["broker", "key_person"]]
        .sum()
    )
    groups = analysis.groups
    teams = groups[groups["group"] != NO_GROUP].copy()
    teams["brokers"] = teams["group"].map(per_team["broker"]).fillna(0).astype(int)
    teams["key_people"] = teams["group"].map(per_team["key_person"]).fillna(0).astype(int)
    teams = teams.sort_values("group").reset_index(drop=True)

    # Teams whose ties to other teams all belong to one member (as group_level_view counts them).
    crossing = (
        people.assign(holder=people["cross_group_ties"] > 0)
        .groupby(people["team"].astype(str))[["cross_group_ties", "holder"]]
        .sum()
    )
    lone = set(crossing.index[(crossing["cross_group_ties"] > 0) & (crossing["holder"] <= 1)])
    single_link = [team for team in teams["group"] if team in lone]
    # The leader's view withholds figures few people make; the analyst sees them all.
    risk = {key: value for key, value in view.risk.items() if key != "teams_with_few_outside_links"}
    risk.update(
        largest_cut_off=int(people["people_cut_off"].max()) if len(people) else 0,
        group_links_on_one_person=int(people["group_links_lost"].sum()),
        teams_with_one_outside_link=single_link,
    )
    top = people.sort_values("betweenness", ascending=False).head(int(view.brokers["people"]))
    brokerage, betweenness = people["brokerage"].sum(), people["betweenness"].sum()
    brokers = {
        **view.brokers,
        "share_of_brokerage": float(top["brokerage"].sum() / brokerage) if brokerage else 0.0,
        "share_of_betweenness": float(top["betweenness"].sum() / betweenness)
        if betweenness > 0
        else 0.0,
        "teams_holding_brokers": int((teams["brokers"] > 0).sum()),
    }

    matrix = analysis.matrix.rename(
        index={NO_GROUP: NO_GROUP_LABEL}, columns={NO_GROUP: NO_GROUP_LABEL}
    )
    sizes = {
        NO_GROUP_LABEL if g == NO_GROUP else g: s
        for g, s in zip(groups["group"], groups["size"], strict=True)
    }
    communities = analysis.communities.rename(columns={"top_teams": "main_teams"})
    summary = {**view.summary, "silos": int(teams["silo"].sum())}
    return ReportTables(
        audience="analyst",
        minimum=view.minimum,
        teams=teams,
        matrix=matrix,
        sizes={str(k): int(v) for k, v in sizes.items()},
        communities=communities,
        open_talent=analysis.open_talent,
        risk=risk,
        brokers=brokers,
        summary=summary,
        hidden={},
        methods=methods,
        without_team=int(groups.loc[groups["group"] == NO_GROUP, "size"].sum()),
    )
