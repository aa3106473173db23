"""``bridgework analyze`` and ``bridgework report network`` through Typer's runner."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from bridgework.analysis.models import AnalysisRun, PersonMetric
from bridgework.cli.main import app
from bridgework.testsupport import sample_path

runner = CliRunner()
VIVA = sample_path("vivainsights-samples")


def test_analyze_a_viva_export_without_the_app(tmp_path):
    # Microsoft's sample p2p query: 2,014 rows, each a distinct pair, 3,783 people.
    result = runner.invoke(
        app,
        [
            "analyze",
            "--viva",
            str(VIVA / "p2p_data.csv"),
            "--out",
            str(tmp_path),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    people = pd.read_csv(tmp_path / "people.csv")
    assert len(people) == 3783
    assert people["degree"].sum() == 2 * 2014
    assert {"betweenness", "constraint", "community", "liaison"} <= set(people.columns)
    assert "People" in result.output and "3,783" in result.output


def test_analyze_refuses_bad_input(tmp_path):
    missing = runner.invoke(app, ["analyze", "--viva", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    wrong = runner.invoke(app, ["analyze", "--viva", str(VIVA / "pq_data.csv.gz")])
    assert wrong.exit_code == 1 and "PrimaryCollaborator_PersonId" in wrong.output
    fmt = runner.invoke(app, ["analyze", "--viva", str(VIVA / "p2p_data.csv"), "--format", "xlsx"])
    assert fmt.exit_code == 1 and "parquet or csv" in fmt.output
    alone = runner.invoke(app, ["analyze", "--person-query", str(VIVA / "pq_data.csv.gz")])
    assert alone.exit_code == 1 and "goes with --viva" in alone.output


def test_analyze_viva_says_what_it_dropped_and_can_leave_weights_out_of_burt(tmp_path):
    # A small person-to-person query: a self-loop, a repeated row, both directions.
    p2p = tmp_path / "p2p.csv"
    p2p.write_text(
        "PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,Strong_tie_score\n"
        "a,b,2023-04-01,0.9\nb,a,2023-04-01,0.8\na,b,2023-04-01,0.9\nb,c,2023-04-01,0.1\n"
        "c,c,2023-04-01,0.5\na,c,2023-05-01,0.2\nc,d,2023-05-01,0.3\nd,e,2023-05-01,0.4\n"
    )
    out = tmp_path / "tables"
    result = runner.invoke(
        app,
        ["analyze", "--viva", str(p2p), "--unweighted-burt", "--out", str(out), "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    assert "1 self-loop row(s) dropped" in result.output
    assert "1 duplicate row(s) dropped" in result.output
    assert "unweighted" in result.output
    people = pd.read_csv(out / "people.csv").set_index("label")
    g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e")])
    for name, expected in (
        ("constraint", nx.constraint(g)),
        ("effective_size", nx.effective_size(g)),
    ):
        assert people[name].to_dict() == pytest.approx(expected, rel=1e-13, abs=1e-13)


def test_unweighted_burt_needs_viva():
    alone = runner.invoke(app, ["analyze", "--unweighted-burt"])
    assert alone.exit_code == 1 and "goes with --viva" in alone.output


@pytest.mark.django_db
def test_analyze_the_stored_ties_and_report_on_them(org, tmp_path):
    result = runner.invoke(app, ["analyze", "--skip-ties", "--out", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    run = AnalysisRun.objects.get()
    assert run.status == "succeeded"
    assert PersonMetric.objects.filter(run=run).count() == 14
    assert (tmp_path / "t" / "people.parquet").exists()
    report = runner.invoke(app, ["report", "network", "--out", str(tmp_path / "r.html")])
    assert report.exit_code == 0, report.output
    html = (tmp_path / "r.html").read_text()
    # Leader version: groups only (Gamma is too small; Alpha is withheld so
    # that the total minus Beta cannot reveal Gamma).
    assert "Beta" in html and "Beta Person" not in html and "Gamma" not in html


@pytest.mark.django_db
def test_report_needs_a_run_and_a_known_format(org, tmp_path):
    none = runner.invoke(app, ["report", "network", "--out", str(tmp_path / "r.pdf")])
    assert none.exit_code == 1 and "bridgework analyze" in none.output
    bad = runner.invoke(app, ["report", "network", "--out", str(tmp_path / "r.docx")])
    assert bad.exit_code == 1 and ".pdf or .html" in bad.output
    who = runner.invoke(
        app, ["report", "network", "--out", str(tmp_path / "r.pdf"), "--audience", "everyone"]
    )
    assert who.exit_code == 1 and "leader or analyst" in who.output
