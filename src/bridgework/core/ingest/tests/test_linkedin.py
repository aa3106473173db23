"""LinkedIn Connections.csv: an export in the current layout and every layout and
failure it may have.

The export is synthetic (``tests/data/linkedin-connections-synthetic``: invented
people, LinkedIn's layout byte for byte). Expected values come from the file
itself, read here with the plain csv module (independent of the reader), from
its SOURCE.md (380 rows, 12 without names, 19 with an e-mail address, 45,778
bytes), and from lines read by hand (``sed -n 5p`` etc.), quoted literally below.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest

from bridgework.core.ingest import reader
from bridgework.core.ingest.base import input_size
from bridgework.core.ingest.records import ContactRecord, FormatError, Issue
from bridgework.testsupport import sample_path

SAMPLE = sample_path("linkedin-connections-synthetic", "Connections.csv")
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def read(path: Path) -> tuple[list[ContactRecord], list[Issue]]:
    records = list(reader("linkedin")(path))
    contacts = [r for r in records if isinstance(r, ContactRecord)]
    issues = [r for r in records if isinstance(r, Issue)]
    assert len(contacts) + len(issues) == len(records)
    return contacts, issues


def data_rows(text: str) -> list[list[str]]:
    """The rows after the header line, by the csv module alone."""
    body = text[text.index(HEADER) + len(HEADER) :].lstrip("\n")
    return [row for row in csv.reader(io.StringIO(body)) if row]


def test_export_counts_match_an_independent_count(sample_text):
    rows = data_rows(sample_text)
    assert len(rows) == 380  # SOURCE.md
    named = [r for r in rows if r[0].strip() or r[1].strip()]
    contacts, issues = read(SAMPLE)
    assert len(contacts) == len(named) == 380 - 12
    assert len(issues) == 12
    assert {i.reason for i in issues} == {
        "no first or last name (LinkedIn blanks them for deactivated or private members)"
    }
    with_email = sum(1 for r in rows if r[3].strip())
    assert sum(1 for c in contacts if c.identity.email) == with_email == 380 - 361


def test_export_rows_read_by_hand(sample_text):
    contacts, issues = read(SAMPLE)
    # line 5: Linnea,Jorarath,https://www.linkedin.com/in/linnea-jorarath-757593fe,,
    #         Southridge Video,Automation & Solutions Engineer Intern,07 Feb 2026
    first = contacts[0]
    assert first.identity.name == "Linnea Jorarath"
    assert first.identity.source_key == (
        "linkedin:https://www.linkedin.com/in/linnea-jorarath-757593fe"
    )
    assert first.identity.email == ""
    assert first.identity.organization == "Southridge Video"
    assert first.identity.title == "Automation & Solutions Engineer Intern"
    assert first.connected_on == dt.date(2026, 2, 7)
    # line 6: ...,Harbor Lantern Labs , Data Analyst ,07 Feb 2026 -- stray spaces stripped
    assert (contacts[1].identity.organization, contacts[1].identity.title) == (
        "Harbor Lantern Labs",
        "Data Analyst",
    )
    # line 7: ...,Self-employed," Manager, Reporting | Finance Systems ",07 Feb 2026
    assert contacts[2].identity.title == "Manager, Reporting | Finance Systems"
    # line 12: Quentin,Tarapenn,...,Quentin.Tarapenn@Example.ORG,... -- lower-cased
    assert contacts[7].identity.email == "quentin.tarapenn@example.org"
    # line 134: ,,,,,,18 Oct 2023 -- the first row without names
    assert issues[0].position == "line 134"
    # the last row is the oldest connection: 14 Oct 2014
    assert contacts[-1].connected_on == dt.date(2014, 10, 14)


def test_progress_reaches_the_file_size(sample_text, tmp_path):
    assert input_size(SAMPLE) == 45_778  # SOURCE.md
    # progress is reported every 2,000 rows: six copies of the 380 rows make 2,280
    preamble, rows = sample_text.split(HEADER + "\n")
    path = tmp_path / "Connections.csv"
    path.write_text(preamble + HEADER + "\n" + "\n".join([rows] * 6), encoding="utf-8")
    seen: list[int] = []
    list(reader("linkedin")(path, progress=seen.append))
    assert seen == sorted(seen) and len(seen) >= 2
    assert seen[-1] == input_size(path) == path.stat().st_size


def test_layout_without_the_notes_preamble(sample_text, tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(sample_text[sample_text.index(HEADER) :], encoding="utf-8")
    contacts, issues = read(path)
    original, original_issues = read(SAMPLE)
    assert contacts == original
    # the preamble took 3 lines: positions shift by 3
    assert issues[0].position == "line 131"
    assert len(issues) == len(original_issues)


def test_layout_without_the_url_column(sample_text, tmp_path):
    rows = list(csv.reader(io.StringIO(sample_text[sample_text.index(HEADER) :])))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:2] + r[3:] for r in rows])
    path = tmp_path / "Connections.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    contacts, _issues = read(path)
    assert len(contacts) == 380 - 12
    assert all(c.identity.source_key == "" for c in contacts)
    assert contacts[0].identity.name == "Linnea Jorarath"
    assert contacts[0].identity.organization == "Southridge Video"
    assert contacts[0].connected_on == dt.date(2026, 2, 7)


def test_older_layout_dates_bom_and_crlf(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_bytes(
        b"\xef\xbb\xbfFirst Name,Last Name,Email Address,Company,Position,Connected On\r\n"
        b"Ann,Lee,Ann.Lee@Example.org,Acme,CTO,24-Nov-26\r\n"
        b'Bo,,,"Widgets, Inc.",,2019-03-01\r\n'
    )
    contacts, issues = read(path)
    assert issues == []
    assert [(c.identity.name, c.identity.email, c.connected_on) for c in contacts] == [
        ("Ann Lee", "ann.lee@example.org", dt.date(2026, 11, 24)),
        ("Bo", "", dt.date(2019, 3, 1)),
    ]
    assert contacts[1].identity.organization == "Widgets, Inc."


def test_an_empty_date_keeps_the_contact_without_an_issue(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(HEADER + "\nAnn,Lee,,,Acme,CTO,\n")
    contacts, issues = read(path)
    assert issues == []
    assert contacts[0].connected_on is None


def test_a_broken_date_skips_the_row_with_an_issue(sample_text, tmp_path):
    lines = sample_text.split("\n")
    assert lines[4].endswith(",07 Feb 2026")
    lines[4] = lines[4].replace(",07 Feb 2026", ",31 Foo 2026")
    path = tmp_path / "Connections.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    contacts, issues = read(path)
    assert len(contacts) == 380 - 12 - 1
    assert contacts[0].identity.name == "Zofia Belaquist"
    assert issues[0] == Issue(
        "line 5",
        "Connected On '31 Foo 2026' is not a date (expected e.g. '24 Nov 2026'); "
        "the row may be shifted by an unquoted comma",
    )


def test_an_unquoted_comma_shifts_the_row_and_is_reported(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(HEADER + "\nAnn,Lee,,,Widgets, Inc.,CTO,24 Nov 2026\nBo,Ek,,,X,Y,01 Jan 2020\n")
    contacts, issues = read(path)
    assert [c.identity.name for c in contacts] == ["Bo Ek"]
    assert issues == [Issue("line 2", "8 cells but the header has 7 (an unquoted comma?)")]


def test_a_row_missing_names_is_an_issue(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        'Notes:\n"some notes"\n\n'
        + HEADER
        + "\n,,https://www.linkedin.com/in/x,,Acme,CTO,01 Jan 2020\n"
        "Ann,,,,,,01 Jan 2020\n"
    )
    contacts, issues = read(path)
    assert [c.identity.name for c in contacts] == ["Ann"]
    assert [i.position for i in issues] == ["line 5"]
    assert "no first or last name" in issues[0].reason


@pytest.mark.parametrize(
    "content",
    [
        "Name,Email\nAnn,ann@example.org\n",  # another CSV
        "",  # empty
        "Notes:\n\n" * 40 + HEADER + "\n",  # header too far down to be this export
    ],
)
def test_a_file_that_is_not_a_connections_export_is_a_format_error(tmp_path, content):
    path = tmp_path / "people.csv"
    path.write_text(content)
    with pytest.raises(FormatError) as caught:
        list(reader("linkedin")(path))
    assert str(caught.value).startswith(
        "people.csv: expected LinkedIn's Connections.csv with columns First Name, Last Name,"
    )
    assert "Connected On" in str(caught.value)


def test_a_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(FormatError, match="nothing.csv: cannot open"):
        list(reader("linkedin")(tmp_path / "nothing.csv"))


def test_the_export_is_what_its_generator_writes():
    script = sample_path("linkedin-connections-synthetic", "generate.py")
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
