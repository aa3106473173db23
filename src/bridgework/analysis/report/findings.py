"""The report's key findings: plain-language sentences, each computed from numbers
shown in the report (see ``docs/reports.md`` for how they are worded).

:func:`findings_for` gives the leader's findings for a group-level view (the
Organization page); :func:`key_findings` those of one report's tables.
"""

from __future__ import annotations

from typing import Any

from bridgework.analysis.report._common import _count, _engagement, _int, _missing, _names, _pct
from bridgework.analysis.report.tables import NO_GROUP, ReportTables, leader_tables
from bridgework.core.graph.analysis import NetworkAnalysis
from bridgework.core.privacy.network import GroupLevelView

__all__ = ["BRIDGING_RATIO", "findings_for", "key_findings", "nmi_band"]

#: An engagement type "bridges out of proportion" from this ratio of
#: cross-group share to people share.
BRIDGING_RATIO = 1.5


def findings_for(view: GroupLevelView, *, methods: dict[str, Any] | None = None) -> list[str]:
    """The leader report's key findings for a group-level view (the Organization page).

    Built only from ``view``, so it holds no individual's name or value.
    """
    return key_findings(leader_tables(view, dict(methods or {})), None)


def key_findings(tables: ReportTables, analysis: NetworkAnalysis | None) -> list[str]:
    """Plain-language findings, each computed from numbers shown in the report."""
    team, teams = tables.group_word
    findings: list[str] = []
    findings += _silo_findings(tables, team, teams)
    findings += _broker_findings(tables, teams)
    if analysis is not None:
        findings += _top_broker_finding(analysis)
    findings += _open_talent_findings(tables, teams)
    findings += _community_findings(tables, teams)
    findings += _risk_findings(tables, teams)
    findings += _reach_findings(tables, team, teams)
    components = tables.summary.get("components") or 0
    if components > 1:
        findings.append(
            f"The network falls into {components} separate parts: some people have no "
            "path at all, direct or indirect, to others."
        )
    return findings


def _silo_findings(tables: ReportTables, team: str, teams: str) -> list[str]:
    shown = tables.teams
    withheld = tables.hidden.get("team", 0)
    if shown.empty:
        if withheld:
            return [
                f"No {team} can be shown: each has fewer than {tables.minimum} people or "
                f"could be inferred from the others ({_count(withheld, team)} withheld), "
                f"so silos are not reported."
            ]
        return [f"No {team} information is recorded, so ties between {teams} cannot be compared."]
    if len(shown) + withheld == 1:
        return [f"Everyone is in one {team}, so there are no ties between {teams} to compare."]
    silos = tables.silos
    n, k = len(shown), len(silos)
    share = tables.silo_share
    if n == 1:
        only = f"The one {team} shown, {shown['group'].iloc[0]},"
        if k:
            limit = (
                f"at most {_pct(share)} of its ties"
                if share is not None
                else "nearly none of its ties"
            )
            return [f"{only} is a silo: {limit} leave it."]
        return [f"{only} is not a silo."]
    of = f"{n} {teams} shown" if withheld else _count(n, team)
    rule = (
        f"at most {_pct(share)} of their ties leave the {team}"
        if share is not None
        else f"they keep nearly all their ties inside the {team}"
    )
    if k == 0:
        if share is None:
            return [f"None of the {of} is a silo."]
        return [
            f"None of the {of} is a silo: more than {_pct(share)} of every {team}'s ties leave it."
        ]
    verb = "is a silo" if k == 1 else "are silos"
    if k == 1:
        rule = rule.replace("their ties", "its ties").replace("they keep", "it keeps")
    return [f"{k} of {of} {verb}: {rule} ({_names(silos['group'])})."]


def _broker_findings(tables: ReportTables, teams: str) -> list[str]:
    b = tables.brokers
    people = tables.summary.get("people") or 0
    if not people:
        return []
    top = f"The top {_pct(b['share_of_people'])} of people by betweenness ({b['people']} of {_int(people)})"
    if _missing(b["share_of_brokerage"]) or _missing(b["share_of_betweenness"]):
        return [
            f"{top} are too few to show what they carry: their share of brokerage between "
            f"{teams} and of betweenness is not shown when fewer than {tables.minimum} "
            "people make it."
        ]
    if b["share_of_brokerage"] > 0:
        return [
            f"{top} carry {_pct(b['share_of_brokerage'])} of all brokerage between {teams} "
            f"and {_pct(b['share_of_betweenness'])} of all betweenness."
        ]
    if b["share_of_betweenness"] > 0:
        return [
            f"{top} carry {_pct(b['share_of_betweenness'])} of all betweenness; nobody "
            f"brokers between {teams} (no one links two people of different {teams} who are not tied)."
        ]
    return ["No one lies on a shortest path between two other people: the network has no brokers."]


def _top_broker_finding(analysis: NetworkAnalysis) -> list[str]:
    top = analysis.brokers(top=1)
    if top.empty:
        return []
    row = top.iloc[0]
    if not row["betweenness"] > 0:
        return []
    where = f" ({row['team']})" if row.get("team") else ""
    return [
        f"The top broker is {row['label'] or row['person']}{where}: on average, "
        f"{_pct(row['betweenness'], digits=1)} of the shortest paths between two other people "
        f"run through them (normalized betweenness {row['betweenness']:.3f})."
    ]


def _open_talent_findings(tables: ReportTables, teams: str) -> list[str]:
    frame = tables.open_talent
    recorded = frame[frame["engagement"].astype(str) != NO_GROUP]
    if len(recorded) < 2:
        if tables.hidden.get("engagement"):
            return [
                "Engagement types are withheld (too few people in them), so the open talent "
                "network is not compared."
            ]
        return [
            "Engagement types (employee, contractor, alumni, ...) are not recorded, or everyone "
            "has the same one, so the open talent network cannot be compared."
        ]
    largest = recorded.sort_values(["people", "engagement"], ascending=[False, True]).iloc[0]
    others = recorded[
        (recorded["engagement"] != largest["engagement"])
        & (recorded["bridging_ratio"] >= BRIDGING_RATIO)
        & (recorded["cross_group_share"] > 0)
    ].sort_values(["bridging_ratio", "engagement"], ascending=[False, True])
    if others.empty and _missing(largest["cross_group_share"]):
        return [
            f"No engagement type shown holds more than {BRIDGING_RATIO:g} times its share of "
            f"people in the ties between {teams}; what "
            f"{_engagement(largest['engagement']).lower()} hold is not shown (fewer than "
            f"{tables.minimum} of them hold such ties)."
        ]
    if others.empty:
        return [
            f"No engagement type holds more than {BRIDGING_RATIO:g} times its share of people "
            f"in the ties between {teams}; {_engagement(largest['engagement']).lower()} are "
            f"{_pct(largest['people_share'])} of people and hold "
            f"{_pct(largest['cross_group_share'])} of those ties."
        ]
    return [
        f"{_engagement(row['engagement'])} are {_pct(row['people_share'])} of people but hold "
        f"{_pct(row['cross_group_share'])} of the ties between {teams} "
        f"({row['bridging_ratio']:.1f}x their share)."
        for _, row in others.head(2).iterrows()
    ]


def _community_findings(tables: ReportTables, teams: str) -> list[str]:
    nmi = tables.summary.get("nmi")
    groups = len(tables.teams) + tables.hidden.get("team", 0)
    if nmi is None or _missing(nmi) or groups < 2:
        return []
    count = tables.summary.get("communities") or 0
    return [
        f"Communities follow the org chart {nmi_band(nmi)}: NMI {nmi:.2f} between the "
        f"{count} communities found in the ties and the {teams} (1 = identical, 0 = unrelated)."
    ]


def nmi_band(nmi: float) -> str:
    """How closely the communities follow the groups, in a word, from their NMI."""
    if nmi >= 0.8:
        return "closely"
    if nmi >= 0.5:
        return "loosely"
    return "only weakly"


def _risk_findings(tables: ReportTables, teams: str) -> list[str]:
    r = tables.risk
    found = []
    holders, largest = r["people_who_hold_others_connected"], r["largest_cut_off"]
    # A largest value is one person's own: withheld (None) unless enough people share it.
    hidden_largest = (
        f" (how many is not shown: fewer than {tables.minimum} people share that figure)"
    )
    if holders == 1:
        found.append(
            "1 person holds part of the network together: without them, some people "
            f"would have no path left to the rest of the network{hidden_largest}."
            if largest is None
            else "1 person holds part of the network together: without them, "
            f"{_count(largest, 'person', 'people')} "
            "would have no path left to the rest of the network."
        )
    elif holders > 1:
        found.append(
            f"{holders} people each hold part of the network together: without any one of them, "
            "some people would have no path left to the rest of the network"
            + (
                f"{hidden_largest}."
                if largest is None
                else f" (up to {largest} people for one departure)."
            )
        )
    alone, links = r["people_holding_a_group_link_alone"], r["group_links_on_one_person"]
    if links is None and alone:
        found.append(
            f"Some links between two groups rest on a single person "
            f"({_count(alone, 'person', 'people')} in all; how many links is not shown: fewer "
            f"than {tables.minimum} people hold them): if that person left, the two groups "
            "would have no direct tie left."
        )
    elif links:
        found.append(
            f"{_count(links, 'link')} between two groups "
            f"{'rests' if links == 1 else 'each rest'} on a single person "
            f"({_count(alone, 'person', 'people')} in all): if that person left, the two groups "
            "would have no direct tie left."
        )
    if not found:
        found.append(
            "No single departure would cut anyone off from the network or remove the last "
            f"direct tie between two {teams}."
        )
    few = r.get("teams_with_few_outside_links") or []
    if few:
        holders_word = f"fewer than {tables.minimum} people hold"
        found.append(
            f"In {_names(few)}, {holders_word} every tie to other {teams}."
            if len(few) == 1
            else f"In {len(few)} {teams} ({_names(few)}), {holders_word} every tie to other {teams}."
        )
    single = r.get("teams_with_one_outside_link") or []
    if single:
        found.append(
            f"In {_names(single)}, one member holds every tie to other {teams}."
            if len(single) == 1
            else f"In {len(single)} {teams} ({_names(single)}), one member holds every tie to other {teams}."
        )
    return found


def _reach_findings(tables: ReportTables, team: str, teams: str) -> list[str]:
    frame = (
        tables.teams.dropna(subset=["external_direct"])
        if "external_direct" in tables.teams
        else None
    )
    if frame is None or frame.empty:
        return []
    if frame["external_direct"].sum() == 0:
        return [f"None of the {teams} shown has a direct tie to anyone outside the organization."]
    ranked = frame.sort_values(["external_share", "group"], ascending=[False, True])
    top = ranked.iloc[0]
    none = frame[frame["external_direct"] == 0]["group"].tolist()
    tail = (
        f"; {_count(len(none), team)} ({_names(none)}) {'has' if len(none) == 1 else 'have'} none"
        if none
        else ""
    )
    return [
        f"{top['group']} reaches furthest outside the organization: {_pct(top['external_share'])} "
        f"of the people its members are tied to directly are external{tail}."
    ]
