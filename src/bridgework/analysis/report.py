"""The organizational network report: key findings, tables and plots, as HTML or PDF.

:func:`render_network_report` turns a
:class:`~bridgework.core.graph.analysis.NetworkAnalysis` into one standalone
HTML document (styles and plots inline, nothing loaded from anywhere);
:func:`write_network_report` writes it as ``.html``, or as ``.pdf`` through
WeasyPrint. ``bridgework report network`` calls the latter.

Two versions, by ``audience``:

``"leader"``
    Built only from :func:`~bridgework.core.privacy.network.group_level_view`:
    groups of at least ``minimum_group_size`` people that cannot be inferred
    from each other, and counts of people, never a name, an id or one
    person's value. The only other things read from the analysis are
    network-wide method settings (:data:`METHOD_KEYS`: whether betweenness
    was exact, its error bound, the group attribute).
``"analyst"``
    For people analysts with explicit permission: every group (no
    suppression; the report is marked restricted on every page), plus the
    top brokers, the key people and the people who bridge each silo by name.

Findings are sentences computed from the same numbers as the tables (see
``docs/reports.md`` for how they are worded). Plots are drawn with
matplotlib ``Figure`` objects (no pyplot state), under a lock, with a fixed
``svg.hashsalt``, so the same analysis gives byte-identical SVG; nothing in
the report is random.

Examples
--------
>>> from datetime import UTC, datetime
>>> from bridgework.core.graph.analysis import analyze
>>> from bridgework.core.graph.network import Network
>>> net = Network.from_ties([1, 2, 3], [2, 3, 1], attributes={p: {"team": "a"} for p in (1, 2, 3)})
>>> html = render_network_report(analyze(net), audience="leader",
...                              generated_at=datetime(2025, 1, 6, tzinfo=UTC))
>>> html.startswith("<!DOCTYPE html>"), "1 team and 1 community were withheld" in html
(True, True)
"""

from __future__ import annotations

import base64
import io
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from matplotlib import colormaps, rc_context
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from bridgework.core.graph.analysis import AnalysisOptions, NetworkAnalysis
from bridgework.core.privacy.network import BROKER_SHARE, GroupLevelView, group_level_view

__all__ = ["METHOD_KEYS", "findings_for", "render_network_report", "write_network_report"]

Audience = Literal["leader", "analyst"]

#: Network-wide method settings the leader report reads from ``analysis.summary``
#: (everything else in it comes from the group-level view).
METHOD_KEYS = (
    "betweenness_exact",
    "betweenness_samples",
    "betweenness_error_bound",
    "betweenness_confidence",
    "group_attribute",
    "silo_max_outside_share",
)

#: At most this many groups in a plot (the largest by size).
MAX_PLOTTED_GROUPS = 30
#: At most this many rows in a table of groups (silos always come first).
MAX_TABLE_ROWS = 60
#: An engagement type "bridges out of proportion" from this ratio of
#: cross-group share to people share.
BRIDGING_RATIO = 1.5
#: Named people listed in the analyst version.
TOP_PEOPLE = 10

# Okabe & Ito (2008), "Color universal design": distinguishable with every
# common colour-vision deficiency.
BLUE, ORANGE, VERMILLION, GREY = "#0072B2", "#E69F00", "#D55E00", "#9A9A9A"
HEATMAP_COLORS = "YlGnBu"  # ColorBrewer sequential, colour-blind safe

ENGAGEMENT_LABELS = {
    "employee_ft": "Full-time employees",
    "employee_pt": "Part-time employees",
    "contractor": "Contractors",
    "freelancer": "Freelancers",
    "alumni": "Alumni",
    "partner": "Partners",
    "client": "Clients",
    "external": "External contacts",
    "(none)": "Not recorded",
}
NO_GROUP = "(none)"
NO_GROUP_LABEL = "(no team)"

_PLOT_LOCK = threading.Lock()
_RC = {
    "svg.hashsalt": "bridgework-network-report",
    "svg.fonttype": "path",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


# ----------------------------------------------------------------------------- API


def render_network_report(
    analysis: NetworkAnalysis,
    *,
    audience: Audience,
    minimum_group_size: int = 5,
    title: str = "Organizational network report",
    organization: str = "",
    generated_at: datetime | None = None,
    computed_at: datetime | None = None,
) -> str:
    """The network report as one standalone HTML document.

    Parameters
    ----------
    analysis : NetworkAnalysis
        The result of :func:`~bridgework.core.graph.analysis.analyze`.
    audience : {"leader", "analyst"}, keyword-only
        ``"leader"``: group level only, groups smaller than
        ``minimum_group_size`` (or inferable from others) withheld;
        ``"analyst"``: every group and named individuals, marked restricted.
    minimum_group_size : int, keyword-only
        Smallest group the leader version shows (at least 3).
    title, organization : str, keyword-only
        Shown in the heading and on every printed page.
    generated_at, computed_at : datetime, keyword-only, optional
        When the report was made (default: now) and when the analysis ran.

    Raises
    ------
    ValueError
        On an unknown audience or a minimum group size below 3.
    """
    if audience not in ("leader", "analyst"):
        raise ValueError("audience must be 'leader' or 'analyst'")
    view = group_level_view(analysis, minimum=minimum_group_size)
    methods = {key: analysis.summary.get(key) for key in METHOD_KEYS}
    if audience == "leader":
        tables = _leader_tables(view, methods)
    else:
        tables = _analyst_tables(analysis, view, methods)
    context = _context(
        tables,
        analysis=analysis if audience == "analyst" else None,
        title=title,
        organization=organization,
        generated_at=generated_at or datetime.now(UTC),
        computed_at=computed_at,
    )
    return render_to_string("analysis/report.html", context)


def findings_for(view: GroupLevelView, *, methods: dict[str, Any] | None = None) -> list[str]:
    """The leader report's key findings for a group-level view (the Organization page).

    Built only from ``view``, so it holds no individual's name or value.
    """
    return _findings(_leader_tables(view, dict(methods or {})), None)


def write_network_report(analysis: NetworkAnalysis, out: Path | str, **kwargs: Any) -> Path:
    """Write the report to ``out``: HTML for ``.html``, PDF for ``.pdf``.

    Keyword arguments go to :func:`render_network_report` (``audience`` is
    required). Missing parent folders are created.

    Raises
    ------
    ValueError
        When ``out`` ends in anything but ``.html`` or ``.pdf``.
    RuntimeError
        For ``.pdf`` when WeasyPrint or its system libraries (Pango) are
        missing; the message says what to install.
    """
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise ValueError(
            f"cannot write a report to {path.name!r}: the file name must end in .html or .pdf"
        )
    write_pdf = _pdf_writer() if suffix == ".pdf" else None
    html = render_network_report(analysis, **kwargs)
    path.parent.mkdir(parents=True, exist_ok=True)
    if write_pdf is None:
        path.write_text(html, encoding="utf-8")
    else:
        write_pdf(html, path)
    return path


def _pdf_writer():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango's shared libraries not found
        raise RuntimeError(
            "PDF reports need WeasyPrint and its Pango text layout library, which could not "
            f"be loaded ({exc}). Install the Python package (`pip install weasyprint`) and "
            "the system libraries: on Debian or Ubuntu `apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0`; for other systems see "
            "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html. "
            "HTML output (--out report.html) works without them."
        ) from exc

    def write(html: str, path: Path) -> None:
        weasyprint.HTML(string=_charts_as_images(html)).write_pdf(path)

    return write


# -------------------------------------------------------------------------- tables


@dataclass
class _Tables:
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
        expected = judged["outside_share"].fillna(0) <= share
        return float(share) if bool((expected == judged["silo"]).all()) else None

    @property
    def group_word(self) -> tuple[str, str]:
        attribute = self.methods.get("group_attribute") or "team"
        return ("team", "teams") if attribute == "team" else ("group", "groups")


def _leader_tables(view: GroupLevelView, methods: dict[str, Any]) -> _Tables:
    return _Tables(
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
    )


def _analyst_tables(
    analysis: NetworkAnalysis, view: GroupLevelView, methods: dict[str, Any]
) -> _Tables:
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
    risk = {**view.risk, "teams_with_one_outside_link": single_link}
    brokers = {**view.brokers, "teams_holding_brokers": int((teams["brokers"] > 0).sum())}

    matrix = analysis.matrix.rename(
        index={NO_GROUP: NO_GROUP_LABEL}, columns={NO_GROUP: NO_GROUP_LABEL}
    )
    sizes = {
        NO_GROUP_LABEL if g == NO_GROUP else g: s
        for g, s in zip(groups["group"], groups["size"], strict=True)
    }
    communities = analysis.communities.rename(columns={"top_teams": "main_teams"})
    summary = {**view.summary, "silos": int(teams["silo"].sum())}
    return _Tables(
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


# ------------------------------------------------------------------------ findings


def _findings(tables: _Tables, analysis: NetworkAnalysis | None) -> list[str]:
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


def _silo_findings(tables: _Tables, team: str, teams: str) -> list[str]:
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


def _broker_findings(tables: _Tables, teams: str) -> list[str]:
    b = tables.brokers
    people = tables.summary.get("people") or 0
    if not people:
        return []
    top = f"The top {_pct(b['share_of_people'])} of people by betweenness ({b['people']} of {_int(people)})"
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
    if top.empty or not top.loc[0, "betweenness"] > 0:
        return []
    row = top.iloc[0]
    where = f" ({row['team']})" if row.get("team") else ""
    return [
        f"The top broker is {row['label'] or row['person']}{where}: on average, "
        f"{_pct(row['betweenness'], digits=1)} of the shortest paths between two other people "
        f"run through them (normalized betweenness {row['betweenness']:.3f})."
    ]


def _open_talent_findings(tables: _Tables, teams: str) -> list[str]:
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


def _community_findings(tables: _Tables, teams: str) -> list[str]:
    nmi = tables.summary.get("nmi")
    groups = len(tables.teams) + tables.hidden.get("team", 0)
    if nmi is None or _missing(nmi) or groups < 2:
        return []
    count = tables.summary.get("communities") or 0
    return [
        f"Communities follow the org chart {_nmi_band(nmi)}: NMI {nmi:.2f} between the "
        f"{count} communities found in the ties and the {teams} (1 = identical, 0 = unrelated)."
    ]


def _nmi_band(nmi: float) -> str:
    if nmi >= 0.8:
        return "closely"
    if nmi >= 0.5:
        return "loosely"
    return "only weakly"


def _risk_findings(tables: _Tables, teams: str) -> list[str]:
    r = tables.risk
    found = []
    holders, largest = r["people_who_hold_others_connected"], r["largest_cut_off"]
    if holders == 1:
        found.append(
            f"1 person holds part of the network together: without them, "
            f"{_count(largest, 'person', 'people')} "
            "would have no path left to the rest of the network."
        )
    elif holders > 1:
        found.append(
            f"{holders} people each hold part of the network together: without any one of them, "
            f"some people would have no path left to the rest of the network (up to {largest} "
            "people for one departure)."
        )
    alone, links = r["people_holding_a_group_link_alone"], r["group_links_on_one_person"]
    if links:
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
    single = r.get("teams_with_one_outside_link") or []
    if single:
        found.append(
            f"In {_names(single)}, one member holds every tie to other {teams}."
            if len(single) == 1
            else f"In {len(single)} {teams} ({_names(single)}), one member holds every tie to other {teams}."
        )
    return found


def _reach_findings(tables: _Tables, team: str, teams: str) -> list[str]:
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


# ------------------------------------------------------------------- context


def _context(
    tables: _Tables,
    *,
    analysis: NetworkAnalysis | None,
    title: str,
    organization: str,
    generated_at: datetime,
    computed_at: datetime | None,
) -> dict[str, Any]:
    team, teams = tables.group_word
    summary = tables.summary
    context: dict[str, Any] = {
        "title": title,
        "organization": organization,
        "generated_at": _when(generated_at),
        "computed_at": _when(computed_at) if computed_at else "",
        "audience": tables.audience,
        "analyst": tables.audience == "analyst",
        "minimum": tables.minimum,
        "team": team,
        "teams": teams,
        "Teams": teams.capitalize(),
        "Team": team.capitalize(),
        "findings": _findings(tables, analysis),
        "overview": _overview(tables),
        "privacy": _privacy(tables),
        "communities": _communities(tables),
        "silos": _silos(tables, analysis),
        "matrix": _matrix(tables),
        "brokers": _brokers(tables, analysis),
        "risk": _risk(tables, analysis),
        "open_talent": _open_talent(tables),
        "methods": _methods(tables),
        "people": summary.get("people") or 0,
    }
    return context


def _overview(tables: _Tables) -> list[tuple[str, str]]:
    s = tables.summary
    team, teams = tables.group_word
    withheld = tables.hidden.get("team", 0)
    rows = [
        ("People", _int(s.get("people"))),
        ("Ties", _int(s.get("ties"))),
        ("Density (share of possible ties present)", _dec(s.get("density"), 3)),
        ("Connected parts", _int(s.get("components"))),
        ("Communities found in the ties", _int(s.get("communities"))),
        ("Modularity of the communities", _dec(s.get("modularity"))),
        (f"Modularity of the {teams}", _dec(s.get("modularity_of_groups"))),
        (f"NMI, communities vs {teams}", _dec(s.get("nmi"))),
        (f"ARI, communities vs {teams}", _dec(s.get("ari"))),
        (
            f"{teams.capitalize()} shown",
            f"{len(tables.teams)} ({withheld} withheld)" if withheld else str(len(tables.teams)),
        ),
        ("Silos", str(len(tables.silos))),
    ]
    if tables.audience == "analyst" and tables.without_team:
        rows.append((f"People without a {team}", _int(tables.without_team)))
    return rows


def _privacy(tables: _Tables) -> dict[str, Any]:
    hidden = tables.hidden
    kinds = {"team": "team", "community": "community", "engagement": "engagement type"}
    parts = [
        _count(hidden[k], word, "communities" if k == "community" else None)
        for k, word in kinds.items()
        if hidden.get(k)
    ]
    return {
        "withheld_total": sum(hidden.values()),
        "withheld": _names(parts) if parts else "",
        "teams_withheld": hidden.get("team", 0),
    }


def _communities(tables: _Tables) -> dict[str, Any]:
    frame = tables.communities
    rows = [
        [
            str(r["community"]),
            _int(r["size"]),
            _int(r["teams"]),
            str(r["main_teams"]),
            _pct(r["main_team_share"]),
        ]
        for _, r in frame.head(MAX_TABLE_ROWS).iterrows()
    ]
    team, teams = tables.group_word
    s = tables.summary
    return {
        "table": _table(
            [
                "Community",
                "People",
                teams.capitalize(),
                f"Main {teams}",
                f"Share in its largest {team}",
            ],
            rows,
            numeric=(1, 2, 4),
            more=len(frame) - len(rows),
        ),
        "count": s.get("communities") or 0,
        "withheld": tables.hidden.get("community", 0),
        "nmi": _dec(s.get("nmi")),
        "ari": _dec(s.get("ari")),
        "modularity": _dec(s.get("modularity")),
        "modularity_of_groups": _dec(s.get("modularity_of_groups")),
        "band": _nmi_band(s["nmi"]) if s.get("nmi") is not None and not _missing(s["nmi"]) else "",
    }


def _silos(tables: _Tables, analysis: NetworkAnalysis | None) -> dict[str, Any]:
    frame = tables.teams.sort_values(
        ["silo", "outside_share", "group"], ascending=[False, True, True]
    )
    shown = frame.head(MAX_TABLE_ROWS)
    rows = [
        [
            str(r["group"]),
            _int(r["size"]),
            _int(r["internal_ties"]),
            _int(r["external_ties"]),
            _dec(r["ei_index"]),
            _dec(r["expected_ei"]),
            _pct(r["outside_share"]),
            _int(r["partner_groups"]),
            "silo" if r["silo"] else "",
        ]
        for _, r in shown.iterrows()
    ]
    team, teams = tables.group_word
    share = tables.silo_share
    return {
        "chart": _ei_chart(tables.teams, share, tables.sizes),
        "table": _table(
            [
                team.capitalize(),
                "People",
                "Ties inside",
                "Ties outside",
                "E-I",
                "E-I by size alone",
                "Outside share",
                f"Partner {teams}",
                "Silo",
            ],
            rows,
            numeric=(1, 2, 3, 4, 5, 6, 7),
            more=len(frame) - len(shown),
        ),
        "count": len(tables.silos),
        "threshold": _pct(share) if share is not None else "",
        "ei_threshold": f"{2 * share - 1:.2f}" if share is not None else "",
        "bridgers": _silo_bridgers(tables, analysis) if analysis is not None else [],
    }


def _silo_bridgers(tables: _Tables, analysis: NetworkAnalysis) -> list[dict[str, Any]]:
    people = analysis.people.set_index("person")
    team = tables.group_word[0]
    found = []
    for _, silo in analysis.silos.iterrows():
        rows = []
        for b in silo["bridgers"]:
            person = people.loc[b["person"]] if b["person"] in people.index else None
            rows.append(
                [
                    _person_name(person, b["person"]),
                    (person["team"] if person is not None else "") or NO_GROUP_LABEL,
                    "member" if b["member"] else "outsider",
                    _int(b["across"]),
                    _pct(b["share"]),
                ]
            )
        found.append(
            {
                "group": silo["group"],
                "table": _table(
                    [
                        "Name",
                        team.capitalize(),
                        "Member or outsider",
                        "Ties across",
                        "Share of the crossing ties",
                    ],
                    rows,
                    numeric=(3, 4),
                ),
            }
        )
    return found


def _matrix(tables: _Tables) -> dict[str, Any]:
    names = list(tables.matrix.index)
    return {
        "chart": _heatmap(tables.matrix, tables.sizes),
        "groups": len(names),
        "capped": len(names) > MAX_PLOTTED_GROUPS,
        "cap": MAX_PLOTTED_GROUPS,
    }


def _brokers(tables: _Tables, analysis: NetworkAnalysis | None) -> dict[str, Any]:
    b = tables.brokers
    per_team = tables.teams.sort_values(["brokers", "group"], ascending=[False, True])
    per_team = per_team[per_team["brokers"] > 0]
    team, _ = tables.group_word
    result: dict[str, Any] = {
        "share_of_people": _pct(b["share_of_people"]),
        "people": b["people"],
        "share_of_brokerage": _pct(b["share_of_brokerage"]),
        "share_of_betweenness": _pct(b["share_of_betweenness"]),
        "teams_holding_brokers": b["teams_holding_brokers"],
        "per_team": _table(
            [team.capitalize(), "People", "Brokers (top 5% by betweenness)"],
            [
                [str(r["group"]), _int(r["size"]), _int(r["brokers"])]
                for _, r in per_team.iterrows()
            ],
            numeric=(1, 2),
        ),
        "chart": "",
        "named": None,
    }
    if analysis is None:
        result["chart"] = _concentration_bars(b)
    else:
        result["chart"] = _betweenness_charts(analysis.people)
        top = analysis.brokers(top=TOP_PEOPLE)
        result["named"] = _table(
            ["Name", team.capitalize(), "Betweenness", "Constraint", "Brokerage between groups"],
            [
                [
                    _person_name(r, r["person"]),
                    str(r.get("team") or NO_GROUP_LABEL),
                    _dec(r["betweenness"], 3),
                    _dec(r["constraint"], 2),
                    _int(r["brokerage"]),
                ]
                for _, r in top.iterrows()
            ],
            numeric=(2, 3, 4),
        )
    return result


def _risk(tables: _Tables, analysis: NetworkAnalysis | None) -> dict[str, Any]:
    r = tables.risk
    team, teams = tables.group_word
    keyed = tables.teams[tables.teams["key_people"] > 0].sort_values(
        ["key_people", "group"], ascending=[False, True]
    )
    result: dict[str, Any] = {
        "key_people": r["key_people"],
        "holders": r["people_who_hold_others_connected"],
        "largest_cut_off": r["largest_cut_off"],
        "alone": r["people_holding_a_group_link_alone"],
        "links": r["group_links_on_one_person"],
        "single_link_teams": ", ".join(str(t) for t in r.get("teams_with_one_outside_link") or []),
        "per_team": _table(
            [team.capitalize(), "People", "Key people"],
            [
                [str(x["group"]), _int(x["size"]), _int(x["key_people"])]
                for _, x in keyed.iterrows()
            ],
            numeric=(1, 2),
        ),
        "named": None,
    }
    if analysis is not None:
        people = analysis.people
        risky = people[
            (people["people_cut_off"] > 0)
            | (people["people_losing_a_group"] > 0)
            | (people["group_links_lost"] > 0)
        ].sort_values(
            ["people_cut_off", "people_losing_a_group", "group_links_lost", "person"],
            ascending=[False, False, False, True],
            kind="stable",
        )
        top = risky.head(2 * TOP_PEOPLE)
        result["named"] = _table(
            [
                "Name",
                team.capitalize(),
                "People cut off",
                f"People losing a {team}",
                f"{team.capitalize()} links lost",
            ],
            [
                [
                    _person_name(x, x["person"]),
                    str(x["team"] or NO_GROUP_LABEL),
                    _int(x["people_cut_off"]),
                    _int(x["people_losing_a_group"]),
                    _int(x["group_links_lost"]),
                ]
                for _, x in top.iterrows()
            ],
            numeric=(2, 3, 4),
            more=len(risky) - len(top),
        )
    return result


def _open_talent(tables: _Tables) -> dict[str, Any]:
    frame = tables.open_talent
    rows = [
        [
            _engagement(r["engagement"]),
            _int(r["people"]),
            _pct(r["people_share"]),
            _pct(r["cross_group_share"]),
            _dec(r["bridging_ratio"], 1),
            _pct(r.get("betweenness_share")),
            _pct(r.get("brokerage_share")),
        ]
        for _, r in frame.iterrows()
    ]
    team, teams = tables.group_word
    reach = (
        tables.teams.dropna(subset=["internal_direct"])
        if "internal_direct" in tables.teams
        else tables.teams.iloc[0:0]
    )
    reach = reach.sort_values(["external_share", "group"], ascending=[False, True])
    reach_rows = [
        [
            str(r["group"]),
            _int(r["size"]),
            _int(r["internal_direct"]),
            _int(r["external_direct"]),
            _int(r["internal_two_step"]),
            _int(r["external_two_step"]),
            _pct(r["external_share"]),
        ]
        for _, r in reach.head(MAX_TABLE_ROWS).iterrows()
    ]
    return {
        "chart": _engagement_chart(frame, teams),
        "table": _table(
            [
                "Engagement",
                "People",
                "Share of people",
                f"Share of ties between {teams}",
                "Ratio",
                "Share of betweenness",
                "Share of brokerage",
            ],
            rows,
            numeric=(1, 2, 3, 4, 5, 6),
        ),
        "withheld": tables.hidden.get("engagement", 0),
        "reach_chart": _reach_chart(reach, tables.sizes),
        "reach_table": _table(
            [
                team.capitalize(),
                "People",
                "Inside, direct",
                "Outside, direct",
                "Inside, within two steps",
                "Outside, within two steps",
                "Outside share (direct)",
            ],
            reach_rows,
            numeric=(1, 2, 3, 4, 5, 6),
            more=len(reach) - len(reach_rows),
        ),
        "ratio": f"{BRIDGING_RATIO:g}",
    }


def _methods(tables: _Tables) -> dict[str, Any]:
    m = tables.methods
    exact = m.get("betweenness_exact")
    share = tables.silo_share
    return {
        "betweenness_exact": exact is not False,
        "samples": _int(m.get("betweenness_samples")) if m.get("betweenness_samples") else "",
        "error_bound": _dec(m.get("betweenness_error_bound"), 3),
        "confidence": f"{float(m.get('betweenness_confidence') or 0.9):.0%}",
        "silo_share": _pct(share) if share is not None else "",
        "ei_threshold": f"{2 * share - 1:.2f}" if share is not None else "",
        "broker_share": _pct(BROKER_SHARE),
        "ratio": f"{BRIDGING_RATIO:g}",
    }


def _charts_as_images(html: str) -> str:
    """The same document with each inline chart as an ``<img>`` of the same SVG.

    WeasyPrint draws inline SVG, but also reads the ``style`` attribute of
    every SVG element as HTML CSS and logs a warning for each ``fill`` and
    ``stroke``; as an image, the SVG goes to its SVG renderer only.
    """

    def image(match: re.Match) -> str:
        svg = match.group(0)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="chart" alt="" src="data:image/svg+xml;base64,{data}">'

    return re.sub(r'<svg class="chart".*?</svg>', image, html, flags=re.DOTALL)


# ------------------------------------------------------------------------- plots


def _render_svg(fig: Figure, name: str) -> SafeString:
    """``fig`` as inline SVG markup with ids unique to ``name`` (several plots share a page)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # Comments repeat every text drawn; metadata only names matplotlib.
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))

    def prefix(match: re.Match) -> str:
        head, ident = match.group(1), match.group(2)
        return f"{head}{name}-{ident}" if ident in ids else match.group(0)

    svg = re.sub(r'(\bid="|href="#|url\(#)([^")]+)', prefix, svg)
    svg = svg.replace(
        "<svg ", f'<svg class="chart" role="img" aria-labelledby="{name}-caption" ', 1
    )
    return mark_safe(svg)  # matplotlib escapes every text it writes into the SVG


def _plot(draw, name: str, *args: Any) -> SafeString | str:
    """Run ``draw(fig, *args)`` on a fresh Figure; '' when it draws nothing."""
    with _PLOT_LOCK, rc_context(_RC):
        fig = Figure(figsize=(6.6, 3.2))
        if draw(fig, *args) is False:
            return ""
        return _render_svg(fig, name)


def _largest(
    names: Iterable[str], sizes: dict[str, int], cap: int = MAX_PLOTTED_GROUPS
) -> list[str]:
    return sorted(names, key=lambda g: (-sizes.get(str(g), 0), str(g)))[:cap]


def _short(name: Any, width: int = 28) -> str:
    text = str(name)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _heatmap(matrix: pd.DataFrame, sizes: dict[str, int]) -> SafeString | str:
    def draw(fig: Figure) -> bool:
        if len(matrix) < 2:
            return False
        order = _largest(matrix.index, sizes)
        values = matrix.loc[order, order].to_numpy(dtype=float)
        k = len(order)
        fig.set_size_inches(6.6, min(6.6, max(4.2, 1.6 + 0.2 * k)))
        ax = fig.add_subplot()
        cmap = colormaps[HEATMAP_COLORS].with_extremes(bad="#f3f3f3")
        norm = LogNorm(vmin=1, vmax=max(values.max(), 2))
        image = ax.imshow(np.ma.masked_less_equal(values, 0), cmap=cmap, norm=norm, aspect="equal")
        labels = [_short(g) for g in order]
        ax.set_xticks(range(k), labels, rotation=60, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(k), labels)
        ax.tick_params(length=0, labelsize=7 if k > 15 else 8)
        for side in ax.spines.values():
            side.set_visible(False)
        if k <= 16:
            for i in range(k):
                for j in range(k):
                    if values[i, j] > 0:
                        dark = norm(values[i, j]) > 0.55
                        ax.text(
                            j,
                            i,
                            f"{values[i, j]:.0f}",
                            ha="center",
                            va="center",
                            fontsize=6.5,
                            color="white" if dark else "black",
                        )
        bar = fig.colorbar(image, ax=ax, shrink=0.7, pad=0.02)
        bar.set_label("ties (log scale); diagonal: ties inside the group")
        return True

    return _plot(draw, "heatmap")


def _ei_chart(teams: pd.DataFrame, share: float | None, sizes: dict[str, int]) -> SafeString | str:
    def draw(fig: Figure) -> bool:
        frame = teams.dropna(subset=["ei_index"])
        if len(frame) < 2:
            return False
        keep = set(_largest(frame["group"], sizes))
        frame = frame[frame["group"].isin(keep)].sort_values(
            ["ei_index", "group"], ascending=[False, True]
        )
        k = len(frame)
        fig.set_size_inches(6.6, 1.0 + 0.22 * k)
        ax = fig.add_subplot()
        y = np.arange(k)
        colors = [VERMILLION if s else BLUE for s in frame["silo"]]
        ax.barh(y, frame["ei_index"], color=colors, height=0.7)
        ax.scatter(
            frame["expected_ei"], y, marker="|", s=120, color="black", linewidths=1.2, zorder=3
        )
        ax.set_yticks(y, [_short(g) for g in frame["group"]])
        ax.set_xlim(-1, 1)
        ax.axvline(0, color=GREY, linewidth=0.6)
        handles = [
            Patch(color=VERMILLION, label="silo"),
            Patch(color=BLUE, label="not a silo"),
            Line2D(
                [],
                [],
                color="black",
                marker="|",
                linestyle="none",
                markersize=9,
                label="E-I from group size alone",
            ),
        ]
        if share is not None:
            ax.axvline(2 * share - 1, color="black", linestyle="--", linewidth=1)
            handles.append(
                Line2D(
                    [],
                    [],
                    color="black",
                    linestyle="--",
                    label=f"silo threshold (E-I {2 * share - 1:.2f})",
                )
            )
        ax.set_xlabel("E-I index: -1 = every tie inside the group, +1 = every tie outside")
        ax.legend(
            handles=handles,
            loc="lower right",
            fontsize=7,
            frameon=False,
            bbox_to_anchor=(1.0, 1.0),
            ncol=2,
        )
        return True

    return _plot(draw, "ei")


def _engagement_chart(frame: pd.DataFrame, teams: str) -> SafeString | str:
    def draw(fig: Figure) -> bool:
        if len(frame) < 2:
            return False
        ax = fig.add_subplot()
        x = np.arange(len(frame))
        width = 0.38
        ax.bar(
            x - width / 2, frame["people_share"] * 100, width, color=GREY, label="share of people"
        )
        ax.bar(
            x + width / 2,
            frame["cross_group_share"] * 100,
            width,
            color=ORANGE,
            label=f"share of the ties between {teams}",
        )
        ax.set_xticks(
            x,
            [_short(_engagement(e), 20) for e in frame["engagement"]],
            rotation=20,
            ha="right",
            rotation_mode="anchor",
        )
        ax.set_ylabel("% of the organization's total")
        ax.legend(frameon=False, fontsize=7)
        return True

    return _plot(draw, "engagement")


def _reach_chart(reach: pd.DataFrame, sizes: dict[str, int]) -> SafeString | str:
    def draw(fig: Figure) -> bool:
        if reach.empty:
            return False
        keep = set(_largest(reach["group"], sizes))
        frame = reach[reach["group"].isin(keep)]
        frame = frame.assign(total=frame["internal_direct"] + frame["external_direct"]).sort_values(
            ["total", "group"], ascending=[True, False]
        )
        k = len(frame)
        fig.set_size_inches(6.6, 1.0 + 0.22 * k)
        ax = fig.add_subplot()
        y = np.arange(k)
        ax.barh(
            y, frame["internal_direct"], color=BLUE, height=0.7, label="inside the organization"
        )
        ax.barh(
            y,
            frame["external_direct"],
            left=frame["internal_direct"],
            color=ORANGE,
            height=0.7,
            label="outside (alumni, partners, clients, external)",
        )
        ax.set_yticks(y, [_short(g) for g in frame["group"]])
        ax.set_xlabel("people outside the group tied directly to a member")
        ax.legend(frameon=False, fontsize=7, loc="lower right")
        return True

    return _plot(draw, "reach")


def _concentration_bars(brokers: dict[str, Any]) -> SafeString | str:
    def draw(fig: Figure) -> bool:
        if not brokers["share_of_betweenness"] and not brokers["share_of_brokerage"]:
            return False
        fig.set_size_inches(6.6, 1.7)
        ax = fig.add_subplot()
        labels = ["share of people", "share of brokerage between groups", "share of betweenness"]
        values = [
            brokers["share_of_people"],
            brokers["share_of_brokerage"],
            brokers["share_of_betweenness"],
        ]
        y = np.arange(3)[::-1]
        ax.barh(y, np.asarray(values) * 100, color=[GREY, ORANGE, BLUE], height=0.6)
        for yi, v in zip(y, values, strict=True):
            ax.text(v * 100 + 1, yi, _pct(v), va="center", fontsize=7)
        ax.set_yticks(y, labels)
        ax.set_xlim(0, 100)
        ax.set_xlabel(
            f"% of the organization's total held by the top {_pct(brokers['share_of_people'])} of people by betweenness"
        )
        return True

    return _plot(draw, "concentration")


def _betweenness_charts(people: pd.DataFrame) -> SafeString | str:
    def draw(fig: Figure) -> bool:
        values = people["betweenness"].to_numpy(dtype=float)
        if len(values) < 2 or values.sum() <= 0:
            return False
        fig.set_size_inches(6.6, 2.8)
        left, right = fig.subplots(1, 2)
        left.hist(values, bins=30, color=BLUE)
        left.set_yscale("log")
        left.set_xlabel("normalized betweenness")
        left.set_ylabel("people (log scale)")
        left.set_title("Distribution of betweenness")
        order = np.lexsort((people["person"].to_numpy(), -values))
        share = np.arange(1, len(values) + 1) / len(values)
        right.plot(
            np.r_[0, share] * 100,
            np.r_[0, np.cumsum(values[order]) / values.sum()] * 100,
            color=BLUE,
            label="betweenness",
        )
        brokerage = people["brokerage"].to_numpy(dtype=float)[order]
        if brokerage.sum() > 0:
            right.plot(
                np.r_[0, share] * 100,
                np.r_[0, np.cumsum(brokerage) / brokerage.sum()] * 100,
                color=ORANGE,
                linestyle="--",
                label="brokerage between groups",
            )
        right.plot([0, 100], [0, 100], color=GREY, linewidth=0.6, label="equal shares")
        right.axvline(BROKER_SHARE * 100, color="black", linestyle=":", linewidth=0.8)
        right.set_xlabel("% of people, highest betweenness first")
        right.set_ylabel("cumulative % of the total")
        right.set_title("Concentration")
        right.legend(frameon=False, fontsize=7, loc="lower right")
        return True

    return _plot(draw, "betweenness")


# ---------------------------------------------------------------------- formatting


def _table(
    columns: Sequence[str], rows: list[list[str]], *, numeric: Iterable[int] = (), more: int = 0
) -> dict[str, Any]:
    numeric = set(numeric)
    return {
        "columns": [{"label": c, "numeric": i in numeric} for i, c in enumerate(columns)],
        "rows": [
            [{"value": v, "numeric": i in numeric} for i, v in enumerate(row)] for row in rows
        ],
        "more": max(more, 0),
    }


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float | np.floating) and math.isnan(value))


def _pct(value: Any, digits: int = 0) -> str:
    """A share as a percentage; tiny non-zero shares read "<1%" rather than "0%"."""
    if _missing(value):
        return "\u2013"
    percent = float(value) * 100
    if 0 < percent < 0.5 * 10**-digits:
        return f"<{10**-digits:g}%"
    return f"{percent:.{digits}f}%"


def _dec(value: Any, digits: int = 2) -> str:
    return "\u2013" if _missing(value) else f"{float(value):.{digits}f}"


def _int(value: Any) -> str:
    return "\u2013" if _missing(value) else f"{round(float(value)):,}"


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _names(names: Iterable[Any], limit: int = 5) -> str:
    items = [str(n) for n in names]
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _engagement(value: Any) -> str:
    return ENGAGEMENT_LABELS.get(str(value), str(value))


def _person_name(row: Any, person: Any) -> str:
    label = row.get("label") if row is not None else ""
    return str(label) if label else f"person {person}"


def _when(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")
