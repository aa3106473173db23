"""LinkedIn Connections.csv as older exports and spreadsheets leave it: US dates with a
time, day-first dates, UTF-16, semicolons and tabs.

Every file is synthetic, written here in the layout of a real export: the current
one starts with LinkedIn's ``Notes:`` preamble (copied from
``tests/data/linkedin-connections-synthetic``), older ones start with the header
``First Name,Last Name,Email Address,Company,Position,Connected On`` and write
``Connected On`` as ``11/17/17, 9:40 PM`` (quoted, for its comma). Expected dates
are read off the rows by hand: in a file holding ``11/17/17`` the first number is
the month (there is no 17th month), so ``1/8/18`` in the same file is 8 January.
Rows are identified by their Company, which no other change to the reader touches.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bridgework.core.ingest import reader
from bridgework.core.ingest.records import ContactRecord, FormatError, Issue

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email '
    "addresses are missing. You will only see email addresses for connections who have "
    "allowed their connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
OLD_HEADER = "First Name,Last Name,Email Address,Company,Position,Connected On"


def read(path: Path) -> tuple[list[ContactRecord], list[Issue]]:
    records = list(reader("linkedin")(path))
    contacts = [r for r in records if isinstance(r, ContactRecord)]
    issues = [r for r in records if isinstance(r, Issue)]
    assert len(contacts) + len(issues) == len(records)
    return contacts, issues


def dates_by_company(contacts: list[ContactRecord]) -> dict[str, dt.date | None]:
    return {c.identity.organization: c.connected_on for c in contacts}


def summary(contacts: list[ContactRecord]) -> list[tuple[str, str, str, dt.date | None]]:
    return [
        (c.identity.organization, c.identity.email, c.identity.source_key, c.connected_on)
        for c in contacts
    ]


# ------------------------------------------------------------------ dates


def test_us_dates_with_a_time_and_no_url_column(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        OLD_HEADER + "\n"
        'Ann,Lee,ann.lee@example.org,Acme,CTO,"11/17/17, 9:40 PM"\n'
        'Bo,Ek,,Borealis,,"1/8/18, 10:05 AM"\n'
        'Cy,Ng,,Cygnus,Analyst,"12/3/17, 12:15 PM"\n'
        'Di,Oz,,Dione,Intern,"2/28/18, 12:01 AM"\n'
        'Ed,Uy,,Erebus,Engineer,"4/5/18, 7:00 AM"\n',
        encoding="utf-8",
    )
    contacts, issues = read(path)
    assert issues == []
    assert dates_by_company(contacts) == {
        "Acme": dt.date(2017, 11, 17),
        "Borealis": dt.date(2018, 1, 8),  # not 1 August: 11/17/17 proves month-first
        "Cygnus": dt.date(2017, 12, 3),
        "Dione": dt.date(2018, 2, 28),
        "Erebus": dt.date(2018, 4, 5),
    }
    assert all(c.identity.source_key == "" for c in contacts)  # no URL column


def test_the_proof_of_the_order_may_come_late_in_the_file(tmp_path):
    # 3,000 rows whose day and month are equal, about 100 KB: beyond any sample
    # read to sniff the file; the only date that proves the order is the last one.
    rows = "".join(
        f'P{n},Q{n},,Co{n},,"{n % 12 + 1}/{n % 12 + 1}/18, 9:00 AM"\n' for n in range(3000)
    )
    first = 'Ann,Lee,,First,,"1/8/18, 10:05 AM"\n'
    # day-first, although the twelve-hour clock suggests a US export
    last = 'Bo,Ek,,Last,,"25/3/19, 6:30 PM"\n'
    path = tmp_path / "Connections.csv"
    path.write_text(f"{OLD_HEADER}\n{first}{rows}{last}", encoding="utf-8")
    assert path.stat().st_size > 100_000
    contacts, issues = read(path)
    assert issues == []
    assert dates_by_company(contacts)["First"] == dt.date(2018, 8, 1)
    assert dates_by_company(contacts)["Last"] == dt.date(2019, 3, 25)


def test_a_twelve_hour_clock_reads_month_first_when_no_date_proves_the_order(tmp_path):
    # "1/8/18, 10:05 AM" is how a US-English export writes dates; with no day
    # above 12 in the whole file, the AM/PM clock is the only clue.
    path = tmp_path / "Connections.csv"
    path.write_text(OLD_HEADER + '\nBo,Ek,,Borealis,,"1/8/18, 10:05 AM"\n', encoding="utf-8")
    contacts, issues = read(path)
    assert issues == []
    assert dates_by_company(contacts) == {"Borealis": dt.date(2018, 1, 8)}


def test_day_first_dates(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        OLD_HEADER + "\n"
        'Ann,Lee,,Acme,CTO,"17/11/2017, 21:40"\n'
        "Bo,Ek,,Borealis,,01/08/2018\n"
        'Cy,Ng,,Cygnus,,"3/12/2017, 08:15"\n',
        encoding="utf-8",
    )
    contacts, issues = read(path)
    assert issues == []
    assert dates_by_company(contacts) == {
        "Acme": dt.date(2017, 11, 17),
        "Borealis": dt.date(2018, 8, 1),  # 17/11/2017 proves day-first
        "Cygnus": dt.date(2017, 12, 3),
    }


def test_columns_the_app_does_not_need_never_reject_a_row(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        PREAMBLE + "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ann,Lee,N/A,not shared,Acme,,07 Feb 2026\n"  # odd URL, odd e-mail, no Position
        "Bo,Ek,,,,,08 Feb 2026\n"  # no URL, Company or Position
        "Cy,Ng,https://www.linkedin.com/in/cy-ng/,,Cygnus,Analyst,09 Feb 2026\n"
        "Di,Oz\n",  # a short row: the missing cells are empty
        encoding="utf-8",
    )
    contacts, issues = read(path)
    assert issues == []
    assert summary(contacts) == [
        ("Acme", "", "", dt.date(2026, 2, 7)),  # "N/A" is not a profile address
        ("", "", "", dt.date(2026, 2, 8)),
        ("Cygnus", "", "linkedin:https://www.linkedin.com/in/cy-ng", dt.date(2026, 2, 9)),
        ("", "", "", None),
    ]


# ------------------------------------------------------------------ encodings and delimiters

CURRENT = (
    PREAMBLE + "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Zoë,Müller,https://www.linkedin.com/in/zoe-muller,,Ørsted,Engineer,07 Feb 2026\n"
    'Łukasz,Żak,,lz@example.org,"Widgets, Inc.",CTO,24 Nov 2025\n'
)
CURRENT_EXPECTED = [
    ("Ørsted", "", "linkedin:https://www.linkedin.com/in/zoe-muller", dt.date(2026, 2, 7)),
    ("Widgets, Inc.", "lz@example.org", "", dt.date(2025, 11, 24)),
]


def test_utf16_le_with_a_byte_order_mark_and_tabs(tmp_path):
    # Excel's "Unicode Text": UTF-16 little-endian with a BOM, tab-separated, CRLF
    text = CURRENT.replace(",", "\t").replace('"Widgets\t Inc."', "Widgets, Inc.")
    text = text.replace("\n", "\r\n")
    assert "\tWidgets, Inc.\t" in text
    path = tmp_path / "Connections.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    contacts, issues = read(path)
    assert issues == []
    assert summary(contacts) == CURRENT_EXPECTED
    assert contacts[1].identity.title == "CTO"


def test_utf16_be_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_bytes(b"\xfe\xff" + CURRENT.encode("utf-16-be"))
    contacts, issues = read(path)
    assert issues == []
    assert summary(contacts) == CURRENT_EXPECTED


def test_semicolons_in_windows_1252(tmp_path):
    # Excel in a French or German locale saves "CSV" with semicolons in the ANSI code page
    path = tmp_path / "Connections.csv"
    path.write_bytes(
        (
            "First Name;Last Name;URL;Email Address;Company;Position;Connected On\r\n"
            "Zoë;Müller;https://www.linkedin.com/in/zoe-muller;;Ørsted;Engineer;07 Feb 2026\r\n"
            "Ann;Lee;;;Widgets, Inc.;Head of R&D “Labs”;24 Nov 2025\r\n"
        ).encode("cp1252")
    )
    contacts, issues = read(path)
    assert issues == []
    assert summary(contacts) == [
        ("Ørsted", "", "linkedin:https://www.linkedin.com/in/zoe-muller", dt.date(2026, 2, 7)),
        ("Widgets, Inc.", "", "", dt.date(2025, 11, 24)),
    ]
    assert contacts[1].identity.title == "Head of R&D “Labs”"


@pytest.mark.parametrize(
    ("content", "read_as"),
    [
        (
            b"Vorname;Nachname;E-Mail-Adresse;Unternehmen;Position;Verbunden am\n"
            b"Ann;Lee;;Acme;CTO;07.02.2026\n",
            "UTF-8",
        ),
        (
            b"\xff\xfe" + "Name\tEmail\nAnn Lee\tann@example.org\n".encode("utf-16-le"),
            "UTF-16 LE (byte-order mark)",
        ),
    ],
    ids=["german-semicolons", "utf16-tabs"],
)
def test_a_file_that_fits_no_layout_names_the_encoding_and_delimiters_tried(
    tmp_path, content, read_as
):
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    with pytest.raises(FormatError) as caught:
        list(reader("linkedin")(path))
    assert str(caught.value) == (
        "people.csv: expected LinkedIn's Connections.csv with columns First Name, Last Name, "
        "URL, Email Address, Company, Position, Connected On (URL optional, possibly after a "
        f"'Notes:' preamble); no such header in the first 50 rows read as {read_as}, "
        "with comma, semicolon, tab and pipe tried as the delimiter"
    )
