"""Viva Insights person and person-to-person queries on Microsoft's sample exports.

Counts are recomputed here with the csv module and sets (SOURCE.md: person
query 10,500 rows / 300 persons; network query 2,014 edges / 3,783 nodes);
row values are quoted literally from lines read by hand (``zcat pq_data.csv.gz
| sed -n 10204p``, ``sed -n 2p p2p_data.csv``).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from pathlib import Path
from typing import Any

import pytest

from bridgework.core.ingest import reader
from bridgework.core.ingest.records import ContactRecord, FormatError, Issue, TieRecord
from bridgework.testsupport import sample_path

SAMPLES = sample_path("vivainsights-samples")
P2P_HEADER = (
    "PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,"
    "Diverse_tie_score,Diverse_tie_type,Strong_tie_score,Strong_tie_type"
)


@pytest.fixture(scope="module")
def samples() -> Path:
    return SAMPLES


def read(name: str, path: Path) -> list[Any]:
    return list(reader(name)(path))


# ------------------------------------------------------------------ person query


def test_person_query_one_contact_per_distinct_person(samples):
    with gzip.open(samples / "pq_data.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 10_500  # SOURCE.md
    persons = {row["PersonId"] for row in rows}
    records = read("viva-person", samples / "pq_data.csv.gz")
    assert all(isinstance(r, ContactRecord) for r in records)
    assert len(records) == len(persons) == 300
    assert {r.identity.source_key for r in records} == {f"viva:{p}" for p in persons}


def test_person_query_attributes_come_from_the_latest_week(samples):
    records = read("viva-person", samples / "pq_data.csv.gz")
    person = next(
        r for r in records if r.identity.source_key == "viva:bb495ec9-8577-468a-8b48-e32677442f51"
    )
    # line 4 (2024-03-31) ends "Manager","Manager","Level4","Legal","Junior IC";
    # line 10204 (2024-11-24, the person's latest week) ends
    # "Specialist","Manager","Level4","Legal","Junior IC"
    assert person.identity.attributes == (
        ("FunctionType", "Specialist"),
        ("SupervisorIndicator", "Manager"),
        ("Level", "Level4"),
        ("Organization", "Legal"),
        ("LevelDesignation", "Junior IC"),
    )
    assert person.identity.organization == ""  # a department, not an employer
    assert person.connected_on is None


def test_person_query_latest_row_wins_in_any_order_plain_csv(tmp_path):
    path = tmp_path / "pq.csv"
    path.write_text(
        "PersonId,MetricDate,Emails_sent,Organization,Layer,Note\n"
        "p1,2024-05-05,3,Sales,2,\n"
        "p1,2024-04-28,4,Finance,3,x\n"
        "p2,2024-04-28,1,IT,1,\n"
    )
    records = read("viva-person", path)
    assert [(r.identity.source_key, r.identity.attributes) for r in records] == [
        ("viva:p1", (("Organization", "Sales"), ("Layer", "2"))),
        ("viva:p2", (("Organization", "IT"), ("Layer", "1"))),
    ]


def test_person_query_bad_rows_are_issues(tmp_path):
    path = tmp_path / "pq.csv"
    path.write_text(
        "PersonId,MetricDate,Organization\n"
        ",2024-05-05,IT\n"
        "p1,2024-13-05,IT\n"
        "p1,,IT\n"
        "p1,2024-05-05,HR\n"
    )
    records = read("viva-person", path)
    assert records[:3] == [
        Issue("line 2", "no PersonId"),
        Issue(
            "line 3",
            "MetricDate '2024-13-05' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)",
        ),
        Issue("line 4", "no MetricDate"),
    ]
    assert records[3].identity.attributes == (("Organization", "HR"),)


# ------------------------------------------------------------------ person-to-person query


def test_p2p_edges_and_nodes_match_an_independent_count(samples):
    with (samples / "p2p_data.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    nodes = {r["PrimaryCollaborator_PersonId"] for r in rows} | {
        r["SecondaryCollaborator_PersonId"] for r in rows
    }
    ties = read("viva-p2p", samples / "p2p_data.csv")
    assert all(isinstance(t, TieRecord) for t in ties)
    assert len(ties) == len(rows) == 2014
    assert (
        len({t.a.source_key for t in ties} | {t.b.source_key for t in ties}) == len(nodes) == 3783
    )
    assert len({t.external_id for t in ties}) == 2014


def test_p2p_row_read_by_hand(samples):
    ties = read("viva-p2p", samples / "p2p_data.csv")
    # line 2: 00014d52-6545-3d9a-80be-dfb892e9fa16,7d3ae47a-ea85-3bb2-8463-4648aee7d87f,
    #         01/04/2023,0.128658268,0,0.069560552,1
    tie = ties[0]
    assert tie.external_id == (
        "00014d52-6545-3d9a-80be-dfb892e9fa16:7d3ae47a-ea85-3bb2-8463-4648aee7d87f:2023-04-01"
    )
    assert tie.a.source_key == "viva:00014d52-6545-3d9a-80be-dfb892e9fa16"
    assert tie.b.source_key == "viva:7d3ae47a-ea85-3bb2-8463-4648aee7d87f"
    assert tie.observed_on == dt.date(2023, 4, 1)  # day-first, as the samples are
    assert tie.metrics == (
        ("Diverse_tie_score", 0.128658268),
        ("Diverse_tie_type", 0.0),
        ("Strong_tie_score", 0.069560552),
        ("Strong_tie_type", 1.0),
    )


def test_p2p_bad_rows_are_issues(tmp_path):
    path = tmp_path / "p2p.csv"
    path.write_text(
        P2P_HEADER + "\n"
        ",b,01/04/2023,0.1,0,0.2,1\n"
        "a,b,31/02/2023,0.1,0,0.2,1\n"
        "a,b,01/04/2023,0.1,0,high,1\n"
        "a,a,01/04/2023,0.1,0,0.2,1\n"
        "a,c,01/04/2023,0.1,0,,1\n"
    )
    records = read("viva-p2p", path)
    assert records[:4] == [
        Issue("line 2", "no PrimaryCollaborator_PersonId"),
        Issue(
            "line 3",
            "MetricDate '31/02/2023' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)",
        ),
        Issue("line 4", "Strong_tie_score 'high' is not a number"),
        Issue("line 5", "a person tied to themselves"),
    ]
    # an empty score is left out, not an issue
    assert records[4].metrics == (
        ("Diverse_tie_score", 0.1),
        ("Diverse_tie_type", 0.0),
        ("Strong_tie_type", 1.0),
    )


def test_p2p_dates_iso_month_first_when_proven_and_hr_attributes(tmp_path):
    path = tmp_path / "p2p.csv"
    path.write_text(
        "PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,"
        "PrimaryCollaborator_Organization,Strong_tie_score\n"
        "a,b,04/01/2023,IT,0.5\n"
        "a,c,04/30/2023,HR,0.25\n"
    )
    first, second = read("viva-p2p", path)
    assert (first.observed_on, second.observed_on) == (dt.date(2023, 4, 1), dt.date(2023, 4, 30))
    assert first.a.attributes == (("Organization", "IT"),) and first.b.attributes == ()
    assert first.metrics == (("Strong_tie_score", 0.5),)
    iso = tmp_path / "iso.csv.gz"
    iso.write_bytes(gzip.compress(f"{P2P_HEADER}\na,b,2023-04-01,0.1,0,0.2,1\n".encode()))
    [tie] = read("viva-p2p", iso)
    assert tie.observed_on == dt.date(2023, 4, 1)


# ------------------------------------------------------------------ wrong files


@pytest.mark.parametrize(
    ("file_name", "reader_name", "expected", "hint"),
    [
        (
            "p2p_data.csv",
            "viva-person",
            "person query with columns PersonId and MetricDate",
            "use viva-p2p",
        ),
        (
            "g2g_data.csv",
            "viva-person",
            "person query with columns PersonId and MetricDate",
            "group-to-group",
        ),
        (
            "g2g_data.csv",
            "viva-p2p",
            "PrimaryCollaborator_PersonId, SecondaryCollaborator_PersonId and MetricDate",
            "group-to-group",
        ),
        (
            "pq_data.csv.gz",
            "viva-p2p",
            "PrimaryCollaborator_PersonId, SecondaryCollaborator_PersonId and MetricDate",
            "use viva-person",
        ),
        ("p2g_data.csv", "viva-p2p", "missing SecondaryCollaborator_PersonId", "person-to-group"),
        ("mt_data.csv", "viva-person", "missing PersonId, MetricDate", "found MeetingId"),
    ],
)
def test_a_file_with_the_wrong_columns_is_a_format_error(
    samples, file_name, reader_name, expected, hint
):
    with pytest.raises(FormatError) as caught:
        read(reader_name, samples / file_name)
    message = str(caught.value)
    assert message.startswith(f"{file_name}: expected a Viva Insights")
    assert expected in message and hint in message


def test_unreadable_files_are_format_errors(tmp_path):
    broken = tmp_path / "pq.csv.gz"
    broken.write_bytes(gzip.compress(b"PersonId,MetricDate\n" * 100)[:40])
    with pytest.raises(FormatError, match="pq.csv.gz: cannot read"):
        read("viva-person", broken)
    with pytest.raises(FormatError, match="gone.csv: cannot open"):
        read("viva-p2p", tmp_path / "gone.csv")
