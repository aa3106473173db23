"""The network report (HTML and PDF), for leaders and for people analysts.

Expected numbers come from the tables the report summarizes
(``analyze`` and ``group_level_view``, each tested against NetworkX or
published values in ``core``) and, for the named top broker and the bridge
person, from NetworkX run on the same ties. The test organization is built
here: ~300 people in 13 teams, two deliberate silos (Finance, Legal), a
research team reached only through one Engineering member, contractors who
tie into several teams, alumni outside every team, and a team of 3.
"""

from __future__ import annotations

import html as html_lib
import re
import sys
import zlib
from datetime import UTC, datetime

import networkx as nx
import numpy as np
import pytest

from bridgework.analysis.report import render_network_report, write_network_report
from bridgework.core.graph.analysis import AnalysisOptions, analyze
from bridgework.core.graph.network import Network
from bridgework.core.privacy.network import group_level_view
from bridgework.testsupport import require_pdf_renderer

WHEN = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
SCRIPT = "<script>alert(1)</script>"
# Made-up names, so a leak of any of them into the leader report is unambiguous.
FIRST_NAMES = (
    "Amara Bastian Chiara Dmitri Esther Farid Greta Hiroshi Ines Jonas Kalani Leopold Mireille "
    "Nikolai Oona Pavel Quilla Rasmus Solveig Tobias Ulrike Valentin Wilhelmina Xavier Yasmin Zoltan"
)
LAST_NAMES = (
    "Okafor Lindqvist Moreau Petrovic Yamamoto Castellano Haugen Brennan Szabo Delacroix "
    "Nakamura Whitfield"
)
TEAMS = {
    "Engineering": 50,
    "Sales": 35,
    "Support": 30,
    "Marketing": 25,
    "Product": 25,
    "Data": 20,
    "Operations": 20,
    "Finance": 20,
    "Design": 15,
    "HR": 15,
    "Legal": 12,
    "Research": 10,
    "Skunkworks": 3,
}
SILOS = ("Finance", "Legal")


def _organization(seed: int = 0, *, rename: dict[str, str] | None = None) -> Network:
    rename = rename or {}
    rng = np.random.default_rng(seed)
    names = iter(f"{f} {last}" for last in LAST_NAMES.split() for f in FIRST_NAMES.split())
    attributes: dict[int, dict[str, str]] = {}
    members: dict[str, list[int]] = {}
    for team, size in TEAMS.items():
        members[team] = []
        for _ in range(size):
            person = len(attributes) + 1
            draw = rng.random()
            kind = "contractor" if draw < 0.06 else "employee_pt" if draw < 0.15 else "employee_ft"
            attributes[person] = {
                "team": rename.get(team, team),
                "organization": "Acme",
                "engagement": kind,
                "internal": "yes",
                "label": next(names),
            }
            members[team].append(person)
    a: list[int] = []
    b: list[int] = []

    def tie(x: int, y: int) -> None:
        if x == y:
            return
        a.append(int(x))
        b.append(int(y))

    for people in members.values():
        density = 0.5 if len(people) < 15 else 8 / len(people)
        for i, x in enumerate(people):
            for y in people[i + 1 :]:
                if rng.random() < density:
                    tie(x, y)
            if i:
                tie(people[i - 1], x)  # every team is connected inside
    open_teams = [t for t in members if t not in (*SILOS, "Research")]
    everyone = [p for t in open_teams for p in members[t]]
    for _ in range(260):
        x, y = rng.choice(everyone, 2, replace=False)
        if attributes[x]["team"] != attributes[y]["team"]:
            tie(x, y)
    for person in everyone:
        if attributes[person]["engagement"] == "contractor":
            for team in rng.choice(open_teams, 3, replace=False):
                tie(person, rng.choice(members[team]))
    for silo in SILOS:
        for _ in range(4):
            tie(rng.choice(members[silo]), rng.choice(everyone))
    bridge = members["Engineering"][0]
    tie(bridge, members["Research"][0])
    tie(bridge, members["Research"][1])
    for _ in range(15):
        person = len(attributes) + 1
        attributes[person] = {
            "team": "",
            "organization": "Alumni network",
            "engagement": "alumni",
            "internal": "no",
            "label": next(names),
        }
        for team in rng.choice(open_teams, 2, replace=False):
            tie(person, rng.choice(members[team]))
    tie(members["Skunkworks"][0], rng.choice(everyone))
    return Network.from_ties(a, b, nodes=list(attributes), attributes=attributes)


@pytest.fixture(scope="module")
def network():
    return _organization()


@pytest.fixture(scope="module")
def analysis(network):
    return analyze(network)


@pytest.fixture(scope="module")
def view(analysis):
    return group_level_view(analysis, minimum=5)


@pytest.fixture(scope="module")
def leader_html(analysis):
    return render_network_report(
        analysis, audience="leader", organization="Acme", generated_at=WHEN, computed_at=WHEN
    )


@pytest.fixture(scope="module")
def analyst_html(analysis):
    return render_network_report(
        analysis, audience="analyst", organization="Acme", generated_at=WHEN
    )


def _findings(document: str) -> list[str]:
    block = re.search(r'<ul class="findings">(.*?)</ul>', document, re.DOTALL).group(1)
    return [html_lib.unescape(f) for f in re.findall(r"<li>(.*?)</li>", block, re.DOTALL)]


def _text(document: str) -> str:
    """The document's visible text, without the inline charts."""
    without_svg = re.sub(r"<(svg|style)\b.*?</\1>", " ", document, flags=re.DOTALL)
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", without_svg)))


def _pages(pdf: bytes) -> int:
    """Page objects in a PDF, also inside compressed object streams (WeasyPrint writes those)."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue  # not Flate-compressed (or an image)
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", part)) for part in parts)


# ------------------------------------------------------------------------ leader


def test_leader_report_puts_findings_first_then_every_section(leader_html):
    assert leader_html.startswith("<!DOCTYPE html>")
    order = [
        'id="findings"',
        'id="overview"',
        'id="communities"',
        'id="silos"',
        'id="matrix"',
        'id="brokers"',
        'id="risk"',
        'id="open-talent"',
        'id="methods"',
    ]
    positions = [leader_html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert len(_findings(leader_html)) >= 5
    # heat map, E-I bars, brokerage bars, engagement bars, reach bars: inline, nothing fetched
    assert leader_html.count('<svg class="chart"') == 5
    assert not re.search(r'(src|href)="(https?:)?//', leader_html)
    assert "<link" not in leader_html and "<script" not in leader_html
    assert "Generated 2025-03-03 09:00 UTC" in leader_html


def test_leader_report_names_nobody(network, leader_html):
    labels = [a["label"] for a in network.attributes.values()]
    assert len(labels) == sum(TEAMS.values()) + 15
    assert [label for label in labels if label in leader_html] == []
    for analyst_only in (
        "<h3>Top brokers</h3>",
        "<h3>Key people</h3>",
        "Who bridges each silo",
        "Contains individual network metrics",
    ):
        assert analyst_only not in leader_html


def test_leader_report_withholds_small_groups_and_says_how_many(leader_html, view):
    assert "Skunkworks" not in leader_html  # 3 people
    withheld = view.hidden["team"]
    assert withheld >= 1
    text = _text(leader_html)
    assert "at least 5 people" in text
    assert re.search(rf"\b{withheld} teams\b.*were withheld under this rule", text)
    assert f"{len(view.teams)} ({withheld} withheld)" in text
    for team in view.teams["group"]:
        assert team in text


def test_leader_findings_match_the_group_level_view(leader_html, view):
    findings = _findings(leader_html)
    silos = view.silos["group"].tolist()
    assert sorted(silos) == ["Finance", "Legal", "Research"]
    silo_finding = next(f for f in findings if "silo" in f)
    assert silo_finding.startswith(f"{len(silos)} of {len(view.teams)} teams shown are silos")
    assert "at most 25% of their ties leave the team" in silo_finding
    assert all(name in silo_finding for name in silos)

    b = view.brokers
    broker = next(f for f in findings if "by betweenness" in f)
    assert f"({b['people']} of {view.summary['people']})" in broker
    assert f"carry {round(b['share_of_brokerage'] * 100)}% of all brokerage" in broker
    assert f"{round(b['share_of_betweenness'] * 100)}% of all betweenness" in broker

    contractors = view.open_talent.set_index("engagement").loc["contractor"]
    talent = next(f for f in findings if f.startswith("Contractors"))
    assert f"are {round(contractors['people_share'] * 100)}% of people" in talent
    assert f"hold {round(contractors['cross_group_share'] * 100)}% of the ties" in talent

    assert any(f"NMI {view.summary['nmi']:.2f}" in f for f in findings)
    risk = view.risk
    assert any(
        f.startswith(f"{risk['group_links_on_one_person']} links between two groups")
        for f in findings
    )


def test_leader_report_withholds_what_one_person_makes(leader_html, view):
    findings = _findings(leader_html)
    # The Engineering bridge alone cuts Research off (10 people, as NetworkX finds
    # in the analyst test below): one person's own figure, so the leader reads
    # that someone holds part of the network together, not how many hang on them.
    assert view.risk["people_who_hold_others_connected"] == 1
    assert view.risk["largest_cut_off"] is None
    cut = next(f for f in findings if f.startswith("1 person holds part of the network together"))
    assert "not shown: fewer than 5 people share that figure" in cut and "10 people" not in cut
    # Research's ties out run through two members (both tied to the bridge);
    # Finance and Legal have four random ties out each, so at most four holders.
    # Their ties to other teams are not shown, and they are named as resting on
    # fewer than 5 people, never as "one member".
    few = "In 3 teams (Finance, Legal and Research), fewer than 5 people hold every tie"
    assert any(f.startswith(few) for f in findings)
    assert not any("one member holds" in f for f in findings)
    silo_rows = leader_html.split('id="silos"', 1)[1].split("</section>", 1)[0]
    for team in ("Finance", "Legal", "Research"):
        row = silo_rows.split(f"<td>{team}</td>", 1)[1].split("</tr>", 1)[0]
        assert row.count("not shown") == 4, team  # ties outside, E-I, outside share, partners
    assert "Cells marked n/s are not shown" in _text(leader_html)
    reach = leader_html.split("<h3>Reach inside and outside the organization</h3>", 1)[1]
    assert "Not shown for 3 of the teams" in _text(reach)


# ----------------------------------------------------------------------- analyst


def test_analyst_report_names_the_top_broker_found_by_networkx(network, analyst_html):
    graph = nx.Graph()
    graph.add_edges_from(
        zip(
            network.ids[network.sources].tolist(),
            network.ids[network.targets].tolist(),
            strict=True,
        )
    )
    betweenness = nx.betweenness_centrality(graph)  # hop counts, normalized, exact
    first, second = sorted(betweenness.items(), key=lambda kv: -kv[1])[:2]
    assert first[1] > second[1] + 1e-6
    label = network.attributes[first[0]]["label"]
    top_table = analyst_html.split("Top brokers", 1)[1]
    assert re.search(r"<td>(.*?)</td>", top_table).group(1) == label
    assert f"{first[1]:.3f}" in top_table.split("</tr>", 2)[1]
    assert any(
        f.startswith(f"The top broker is {label} (Engineering)") for f in _findings(analyst_html)
    )
    assert "Contains individual network metrics — restricted" in analyst_html


def test_analyst_report_names_the_bridge_person_and_who_they_cut_off(network, analyst_html):
    graph = nx.Graph()
    graph.add_edges_from(
        zip(
            network.ids[network.sources].tolist(),
            network.ids[network.targets].tolist(),
            strict=True,
        )
    )
    bridge = next(p for p, a in network.attributes.items() if a["team"] == "Engineering")
    assert bridge in set(nx.articulation_points(graph))
    graph.remove_node(bridge)
    pieces = sorted(len(c) for c in nx.connected_components(graph))
    cut_off = sum(pieces[:-1])
    assert cut_off == 10  # Research
    key_people = analyst_html.split("<h3>Key people</h3>", 1)[1]
    first_row = re.findall(r"<td[^>]*>(.*?)</td>", key_people.split("</tr>", 2)[1])
    assert first_row[:3] == [network.attributes[bridge]["label"], "Engineering", str(cut_off)]
    bridgers = analyst_html.split("Who bridges each silo", 1)[1].split("</section>", 1)[0]
    assert "<h4>Research</h4>" in bridgers
    assert network.attributes[bridge]["label"] in bridgers.split("<h4>Research</h4>", 1)[1]


def test_analyst_report_shows_every_group_and_matches_the_analysis(analysis, analyst_html):
    assert "Skunkworks" in analyst_html
    findings = _findings(analyst_html)
    silos = len(analysis.silos)
    teams = int((analysis.groups["group"] != "(none)").sum())
    assert any(f.startswith(f"{silos} of {teams} teams are silos") for f in findings)
    assert analyst_html.count('<svg class="chart"') == 5
    assert "People without a team" in analyst_html


# -------------------------------------------------------------------- files


def test_pdf_has_several_pages(analysis, tmp_path):
    require_pdf_renderer()
    path = write_network_report(
        analysis, tmp_path / "out" / "report.pdf", audience="leader", generated_at=WHEN
    )
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert _pages(data) > 1


def test_html_file_is_the_rendered_report(analysis, leader_html, tmp_path):
    path = write_network_report(
        analysis,
        str(tmp_path / "report.HTML"),
        audience="leader",
        organization="Acme",
        generated_at=WHEN,
        computed_at=WHEN,
    )
    assert path.read_text(encoding="utf-8") == leader_html  # and rendering is deterministic


def test_other_suffixes_are_refused(analysis, tmp_path):
    with pytest.raises(ValueError, match=r"\.html or \.pdf"):
        write_network_report(analysis, tmp_path / "report.txt", audience="leader")
    assert not (tmp_path / "report.txt").exists()


def test_missing_weasyprint_gives_an_install_hint(analysis, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now raises ImportError
    with pytest.raises(RuntimeError, match="libpango-1.0-0 libpangoft2-1.0-0") as raised:
        write_network_report(analysis, tmp_path / "report.pdf", audience="leader")
    assert ".html" in str(raised.value)


def test_unknown_audience_is_refused(analysis):
    with pytest.raises(ValueError, match="audience"):
        render_network_report(analysis, audience="everyone")


# -------------------------------------------------------------- escaping, edges


def test_group_names_are_escaped():
    analysis = analyze(_organization(rename={"Finance": SCRIPT}))
    assert SCRIPT in group_level_view(analysis).teams["group"].tolist()
    for audience in ("leader", "analyst"):
        document = render_network_report(
            analysis, audience=audience, title=SCRIPT, generated_at=WHEN
        )
        assert "<script" not in document
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
        assert any(SCRIPT in f for f in _findings(document))  # the silo finding names it


def test_a_three_person_team_renders_without_groups():
    people = {1: "Ada Quist", 2: "Bo Renn", 3: "Cy Tamm"}
    network = Network.from_ties(
        [1, 2],
        [2, 3],
        attributes={p: {"team": "Solo", "label": name} for p, name in people.items()},
    )
    analysis = analyze(network)
    leader = render_network_report(analysis, audience="leader", generated_at=WHEN)
    assert "Solo" not in leader
    assert not any(name in leader for name in people.values())
    assert "1 team and 1 community were withheld" in _text(leader)
    assert any(f.startswith("No team can be shown") for f in _findings(leader))
    analyst = render_network_report(analysis, audience="analyst", generated_at=WHEN)
    findings = _findings(analyst)
    assert "Everyone is in one team, so there are no ties between teams to compare." in findings
    assert any("Engagement types" in f and "not recorded" in f for f in findings)
    assert any(f.startswith("The top broker is Bo Renn (Solo)") for f in findings)


def test_no_silos_and_estimated_betweenness_are_worded():
    rng = np.random.default_rng(3)
    a, b = zip(*(rng.choice(40, 2, replace=False) for _ in range(200)), strict=True)
    attributes = {p: {"team": "North" if p % 2 else "South", "label": f"P{p}"} for p in range(40)}
    network = Network.from_ties(a, b, nodes=range(40), attributes=attributes)
    analysis = analyze(
        network, options=AnalysisOptions(exact_betweenness_up_to=10, betweenness_epsilon=0.1)
    )
    assert analysis.silos.empty and not analysis.summary["betweenness_exact"]
    document = render_network_report(analysis, audience="analyst", generated_at=WHEN)
    assert any(f.startswith("None of the 2 teams is a silo") for f in _findings(document))
    text = _text(document)
    pairs = analysis.summary["betweenness_samples"]
    assert f"Estimated from {pairs:,} shortest paths between randomly chosen pairs" in text
    assert "with probability at least 90%" in text
    assert f"within ±{analysis.summary['betweenness_error_bound']:.3f}" in text
