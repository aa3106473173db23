"""The report as one standalone HTML document, and written to a file as HTML or PDF.

:func:`render_network_report` builds each section's context (tables, plots,
findings) and renders ``analysis/report.html``; :func:`write_network_report`
writes it as ``.html``, or as ``.pdf`` through WeasyPrint.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from bridgework.analysis.report._common import (
    NOT_SHOWN,
    _count,
    _dec,
    _engagement,
    _int,
    _missing,
    _names,
    _or_withheld,
    _pct,
)
from bridgework.analysis.report.findings import BRIDGING_RATIO, key_findings, nmi_band
from bridgework.analysis.report.plots import (
    MAX_PLOTTED_GROUPS,
    betweenness_charts,
    concentration_bars,
    ei_chart,
    engagement_chart,
    heatmap,
    reach_chart,
)
from bridgework.analysis.report.tables import (
    NO_GROUP_LABEL,
    Audience,
    ReportTables,
    analyst_tables,
    leader_tables,
)
from bridgework.core.graph.analysis import NetworkAnalysis
from bridgework.core.privacy.network import BROKER_SHARE, group_level_view

__all__ = ["METHOD_KEYS", "render_network_report", "write_network_report"]

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
#: At most this many rows in a table of groups (silos always come first).
MAX_TABLE_ROWS = 60
#: Named people listed in the analyst version.
TOP_PEOPLE = 10


def render_network_report(
    analysis: NetworkAnalysis,
    *,
    audience: Audience,
    minimum_group_size: int = 5,
    viewer: int | None = None,
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
    viewer : int, keyword-only, optional
        The reader's own person id: the leader version's thresholds count
        the people other than them
        (:func:`~bridgework.core.privacy.network.group_level_view`).
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
    view = group_level_view(analysis, minimum=minimum_group_size, viewer=viewer)
    methods = {key: analysis.summary.get(key) for key in METHOD_KEYS}
    if audience == "leader":
        tables = leader_tables(view, methods)
    else:
        tables = analyst_tables(analysis, view, methods)
    context = _context(
        tables,
        analysis=analysis if audience == "analyst" else None,
        title=title,
        organization=organization,
        generated_at=generated_at or datetime.now(UTC),
        computed_at=computed_at,
    )
    return render_to_string("analysis/report.html", context)


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


def _context(
    tables: ReportTables,
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
        "findings": key_findings(tables, analysis),
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


def _overview(tables: ReportTables) -> list[tuple[str, str]]:
    s = tables.summary
    team, teams = tables.group_word
    withheld = tables.hidden.get("team", 0)
    rows = [
        ("People", _int(s.get("people"))),
        ("Ties", _or_withheld(s.get("ties"), _int)),
        ("Density (share of possible ties present)", _or_withheld(s.get("density"), _dec3)),
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


def _dec3(value: Any) -> str:
    return _dec(value, 3)


def _privacy(tables: ReportTables) -> dict[str, Any]:
    hidden = tables.hidden
    kinds = {"team": "team", "community": "community", "engagement": "engagement type"}
    parts = [
        _count(hidden[k], word, "communities" if k == "community" else None)
        for k, word in kinds.items()
        if hidden.get(k)
    ]
    team, teams = tables.group_word
    outside = (
        int(tables.teams["outside_withheld"].sum()) if "outside_withheld" in tables.teams else 0
    )
    figures = []
    if outside:
        figures.append(
            f"the ties to other {teams} of {_count(outside, team, teams)} (fewer than "
            f"{tables.minimum} members hold them)"
        )
    if "largest_cut_off" in tables.withheld:
        figures.append("the largest number of people one departure would cut off")
    if "group_links_on_one_person" in tables.withheld:
        figures.append("how many links between groups rest on a single person")
    if "broker_shares" in tables.withheld:
        figures.append("the top brokers' share of brokerage or betweenness")
    if "engagement_shares" in tables.withheld:
        figures.append("some engagement types' shares")
    if "ties" in tables.withheld:
        figures.append("the organization's number of ties (it would give the above away)")
    return {
        "withheld_total": sum(hidden.values()),
        "withheld": _names(parts) if parts else "",
        "teams_withheld": hidden.get("team", 0),
        "figures_withheld": _names(figures, limit=len(figures)) if figures else "",
        "outside_withheld": outside,
    }


def _communities(tables: ReportTables) -> dict[str, Any]:
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
        "band": nmi_band(s["nmi"]) if s.get("nmi") is not None and not _missing(s["nmi"]) else "",
    }


def _silos(tables: ReportTables, analysis: NetworkAnalysis | None) -> dict[str, Any]:
    frame = tables.teams.sort_values(
        ["silo", "outside_share", "group"], ascending=[False, True, True]
    )
    shown = frame.head(MAX_TABLE_ROWS)
    rows = [
        [
            str(r["group"]),
            _int(r["size"]),
            _int(r["internal_ties"]),
            _NOT_SHOWN if _withheld(r) else _int(r["external_ties"]),
            _NOT_SHOWN if _withheld(r) else _dec(r["ei_index"]),
            _dec(r["expected_ei"]),
            _NOT_SHOWN if _withheld(r) else _pct(r["outside_share"]),
            _NOT_SHOWN if _withheld(r) else _int(r["partner_groups"]),
            "silo" if r["silo"] else "",
        ]
        for _, r in shown.iterrows()
    ]
    team, teams = tables.group_word
    share = tables.silo_share
    return {
        "chart": ei_chart(tables.teams, share, tables.sizes),
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


_NOT_SHOWN = NOT_SHOWN


def _withheld(row: Any) -> bool:
    """Whether a team's figures about its ties to other teams were withheld."""
    return bool(row.get("outside_withheld", False))


def _silo_bridgers(tables: ReportTables, analysis: NetworkAnalysis) -> list[dict[str, Any]]:
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


def _matrix(tables: ReportTables) -> dict[str, Any]:
    names = list(tables.matrix.index)
    return {
        "chart": heatmap(tables.matrix, tables.sizes),
        "groups": len(names),
        "capped": len(names) > MAX_PLOTTED_GROUPS,
        "cap": MAX_PLOTTED_GROUPS,
    }


def _brokers(tables: ReportTables, analysis: NetworkAnalysis | None) -> dict[str, Any]:
    b = tables.brokers
    per_team = tables.teams.sort_values(["brokers", "group"], ascending=[False, True])
    per_team = per_team[per_team["brokers"] > 0]
    team, _ = tables.group_word
    result: dict[str, Any] = {
        "share_of_people": _pct(b["share_of_people"]),
        "people": b["people"],
        "share_of_brokerage": _or_withheld(b["share_of_brokerage"], _pct),
        "share_of_betweenness": _or_withheld(b["share_of_betweenness"], _pct),
        "shares_withheld": _missing(b["share_of_brokerage"]) or _missing(b["share_of_betweenness"]),
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
        result["chart"] = "" if result["shares_withheld"] else concentration_bars(b)
    else:
        result["chart"] = betweenness_charts(analysis.people)
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


def _risk(tables: ReportTables, analysis: NetworkAnalysis | None) -> dict[str, Any]:
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
        "few_link_teams": ", ".join(str(t) for t in r.get("teams_with_few_outside_links") or []),
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


def _open_talent(tables: ReportTables) -> dict[str, Any]:
    frame = tables.open_talent
    rows = [
        [
            _engagement(r["engagement"]),
            _int(r["people"]),
            _pct(r["people_share"]),
            _or_withheld(r["cross_group_share"], _pct),
            _or_withheld(r["bridging_ratio"], lambda v: _dec(v, 1)),
            _or_withheld(r.get("betweenness_share"), _pct),
            _or_withheld(r.get("brokerage_share"), _pct),
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
        "chart": engagement_chart(frame, teams),
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
        "shares_withheld": "engagement_shares" in tables.withheld,
        "reach_withheld": int(tables.teams["outside_withheld"].sum())
        if "outside_withheld" in tables.teams
        else 0,
        "reach_chart": reach_chart(reach, tables.sizes),
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


def _methods(tables: ReportTables) -> dict[str, Any]:
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


def _person_name(row: Any, person: Any) -> str:
    label = row.get("label") if row is not None else ""
    return str(label) if label else f"person {person}"


def _when(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")
