"""Generic CSV with a column mapping: contacts, interactions, encodings and every bad row.

The sample-file test maps the synthetic LinkedIn export
(``tests/data/linkedin-connections-synthetic``, the only contacts CSV among the
samples) as a generic contacts file and checks the count against the csv
module's own reading of it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from bridgework.core.ingest import reader
from bridgework.core.ingest.generic_csv import detect_day_first, parse_datetime
from bridgework.core.ingest.records import (
    ContactRecord,
    EventRecord,
    FormatError,
    Issue,
    ReadOptions,
    Window,
)
from bridgework.testsupport import sample_path

UTC = dt.UTC
LINKEDIN = sample_path("linkedin-connections-synthetic", "Connections.csv")
INTERACTIONS = {
    "occurred_at": "When",
    "sender_email": "From",
    "recipient_emails": "To",
    "channel": "Channel",
    "duration_minutes": "Minutes",
}


def read(path: Path, mapping: dict[str, str], **options: Any) -> list[Any]:
    return list(reader("csv")(path, options=ReadOptions(column_mapping=mapping, **options)))


def issues(records: list[Any]) -> list[Issue]:
    return [r for r in records if isinstance(r, Issue)]


# ------------------------------------------------------------------ contacts


def test_contacts_from_the_linkedin_export_as_a_generic_csv(tmp_path):
    text = LINKEDIN.read_text(encoding="utf-8")
    body = text[text.index("First Name,") :]
    path = tmp_path / "contacts.csv"
    path.write_text(body, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    expected = sum(1 for r in rows if r["First Name"].strip() or r["Last Name"].strip())
    records = read(
        path,
        {
            "first_name": "First Name",
            "last_name": "Last Name",
            "email": "Email Address",
            "organization": "Company",
            "title": "Position",
        },
    )
    contacts = [r for r in records if isinstance(r, ContactRecord)]
    assert len(contacts) == expected == 380 - 12  # SOURCE.md: 12 rows without names
    assert {i.reason for i in issues(records)} == {"no name and no e-mail address"}
    assert contacts[0].identity.organization == "Southridge Video"  # line 5


def test_the_linkedin_export_with_its_preamble_is_a_format_error_naming_columns():
    with pytest.raises(FormatError) as caught:
        read(LINKEDIN, {"first_name": "First Name"})
    message = str(caught.value)
    assert "the column mapping names columns the file lacks: 'First Name'" in message
    assert "the file has columns: 'Notes:'" in message


def test_contacts_semicolons_bom_several_emails_and_phones(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        "\ufeffNom;Courriel;Société;Téléphone\r\n"
        "Zoé Martin;zoe@example.fr, Z.Martin@Example.COM;Acme;+33 1 23 45 67 89,+33 6 00\r\n".encode()
    )
    [contact] = read(
        path, {"name": "Nom", "email": "Courriel", "organization": "Société", "phone": "Téléphone"}
    )
    assert contact.identity.name == "Zoé Martin"
    assert contact.identity.email == "zoe@example.fr"
    assert contact.identity.extra_emails == ("z.martin@example.com",)
    assert contact.identity.organization == "Acme"
    assert contact.identity.phones == ("+33 1 23 45 67 89", "+33 6 00")


def test_contacts_in_latin1_with_tabs_and_first_and_last_names(tmp_path):
    path = tmp_path / "contacts.tsv"
    path.write_bytes(
        "First\tLast\tMail\tPhone\nJosé\tNúñez\t\t555-0100;555-0101\n".encode("latin-1")
    )
    [contact] = read(path, {"first_name": "First", "last_name": "Last", "phone": "Phone"})
    assert contact.identity.name == "José Núñez"
    assert contact.identity.phones == ("555-0100", "555-0101")


def test_windows_1252_punctuation_is_read_as_windows_1252(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes("name,title\nAnn,“Chief” – ops\n".encode("cp1252"))
    [contact] = read(path, {"name": "name", "title": "title"})
    assert contact.identity.title == "“Chief” – ops"


def test_an_empty_mapping_uses_columns_named_like_the_fields(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Email,Organization,Notes\nAnn,ANN@example.org,Acme,x\n")
    [contact] = read(path, {})
    assert (contact.identity.name, contact.identity.email, contact.identity.organization) == (
        "Ann",
        "ann@example.org",
        "Acme",
    )


def test_bad_contact_rows_are_issues(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(
        "name,email\n"
        "Ann,ann@example.org\n"
        ",\n"  # blank: skipped silently
        ",not-an-address\n"
        "Bo,bo@example.org,extra\n"
        "Cy,\n"
    )
    records = read(path, {"name": "name", "email": "email"})
    assert issues(records) == [
        Issue("line 4", "e-mail 1 is not an e-mail address"),
        Issue("line 5", "3 cells but the header has 2 (an unquoted delimiter?)"),
    ]
    assert [r.identity.name for r in records if isinstance(r, ContactRecord)] == ["Ann", "Cy"]


# ------------------------------------------------------------------ interactions


def test_interactions_events_directions_and_durations(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "When,From,To,Channel,Minutes,Who\n"
        "2026-03-02T09:30:00Z,Ann@Example.org,bo@example.org; cy@example.org,Meeting,45,Ann\n"
        '2026-03-02 10:00,bo@example.org,"ann@example.org, bo@example.org",e-mail,,Bo\n'
        "24 Nov 2026 14:05,cy@example.org,ann@example.org,chat,,\n"
    )
    mapping = dict(INTERACTIONS, sender_name="Who")
    meeting, mail, chat = read(path, mapping)
    assert meeting.occurred_at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert (meeting.channel, meeting.direction, meeting.duration_minutes) == (
        "meeting",
        "two_way",
        45,
    )
    assert meeting.sender.email == "ann@example.org" and meeting.sender.name == "Ann"
    assert [r.email for r in meeting.recipients] == ["bo@example.org", "cy@example.org"]
    # naive times are UTC; the sender is never a recipient; aliases map to channels
    assert mail.occurred_at == dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert (mail.channel, mail.direction) == ("email", "one_way")
    assert [r.email for r in mail.recipients] == ["ann@example.org"]
    assert chat.occurred_at == dt.datetime(2026, 11, 24, 14, 5, tzinfo=UTC)


def test_external_ids_are_given_or_a_stable_hash_of_the_row(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "Id,When,From,To\n"
        "m-1,2026-03-02,ann@example.org,bo@example.org\n"
        ",2026-03-02,ann@example.org,bo@example.org\n"
        ",2026-03-03,ann@example.org,bo@example.org\n"
    )
    mapping = {
        "external_id": "Id",
        "occurred_at": "When",
        "sender_email": "From",
        "recipient_emails": "To",
    }
    first = [e.external_id for e in read(path, mapping)]
    second = [e.external_id for e in read(path, mapping)]
    assert first == second
    assert first[0] == "m-1"
    assert first[1].startswith("row-") and first[1] != first[2]
    # no channel column: "other"
    assert {e.channel for e in read(path, mapping)} == {"other"}


def test_slashed_dates_are_day_first_unless_the_file_proves_month_first(tmp_path):
    day_first = tmp_path / "eu.csv"
    day_first.write_text("When,From,To\n01/04/2026,a@example.org,b@example.org\n")
    month_first = tmp_path / "us.csv"
    month_first.write_text(
        "When,From,To\n"
        "01/04/2026,a@example.org,b@example.org\n"
        "03/25/2026 9:30 PM,a@example.org,b@example.org\n"
    )
    mapping = {"occurred_at": "When", "sender_email": "From", "recipient_emails": "To"}
    [eu] = read(day_first, mapping)
    assert eu.occurred_at == dt.datetime(2026, 4, 1, tzinfo=UTC)
    us = read(month_first, mapping)
    assert [e.occurred_at for e in us] == [
        dt.datetime(2026, 1, 4, tzinfo=UTC),
        dt.datetime(2026, 3, 25, 21, 30, tzinfo=UTC),
    ]


def test_date_formats():
    expected = dt.datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    for text in (
        "2026-11-24T09:30:00Z",
        "2026-11-24 10:30+01:00",
        "20261124T093000",
        "Tue, 24 Nov 2026 09:30:00 +0000",
        "24 Nov 2026 09:30",
        "24-Nov-26 9:30",
        "November 24, 2026 9:30 AM",
        "24.11.2026 09:30",
        "24/11/2026 09:30",
    ):
        assert parse_datetime(text) == expected, text
    for text in ("", "yesterday", "2026-13-01", "32/01/2026", "24 Foo 2026"):
        with pytest.raises(ValueError):
            parse_datetime(text)
    assert detect_day_first(["12/31/2026"]) is False
    assert detect_day_first(["31/12/2026", "12/31/2026"]) is True


def test_the_window_keeps_only_events_inside_it(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "When,From,To\n"
        "2026-01-01,a@example.org,b@example.org\n"
        "2026-02-01,a@example.org,b@example.org\n"
    )
    mapping = {"occurred_at": "When", "sender_email": "From", "recipient_emails": "To"}
    window = Window(since=dt.datetime(2026, 1, 15, tzinfo=UTC))
    [event] = read(path, mapping, window=window)
    assert event.occurred_at.month == 2


def test_bad_interaction_rows_are_issues_with_their_lines(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "When,From,To,Channel,Minutes\n"
        '2026-03-02,a@example.org,b@example.org,chat,"1\n0"\n'  # spans lines 2-3: bad number
        "2026-03-32,a@example.org,b@example.org,chat,\n"
        "2026-03-02,a@example.org,b@example.org,fax,\n"
        "2026-03-02,,b@example.org,chat,\n"
        "2026-03-02,a@example.org,,chat,\n"
        "2026-03-02,a@example.org,b@example.org;nobody,chat,\n"
        "2026-03-02,a@example.org,a@example.org,chat,\n"
        "2026-03-02,a@example.org,b@example.org,call,-5\n"
        ",a@example.org,b@example.org,chat,\n"
        "2026-03-02,a@example.org,b@example.org,call,30\n"
    )
    records = read(path, INTERACTIONS)
    assert issues(records) == [
        Issue("line 2", "duration_minutes '1\\n0' is not a number"),
        Issue(
            "line 4",
            "occurred_at '2026-03-32' is not a date (expected ISO 8601, e.g. 2026-11-24T09:30)",
        ),
        Issue(
            "line 5",
            "unknown channel 'fax' (expected one of email, meeting, call, chat, introduction, other)",
        ),
        Issue("line 6", "no sender e-mail address"),
        Issue("line 7", "no recipient e-mail address"),
        Issue("line 8", "recipient 2 is not an e-mail address"),
        Issue("line 9", "no recipient but the sender"),
        Issue("line 10", "duration_minutes '-5' is negative"),
        Issue("line 11", "no date (occurred_at is empty)"),
    ]
    [event] = [r for r in records if isinstance(r, EventRecord)]
    assert event.duration_minutes == 30


def test_a_nul_byte_is_an_issue_and_reading_goes_on(tmp_path):
    path = tmp_path / "contacts.csv"
    good = b"".join(b"P%04d,p%04d@example.org\n" % (n, n) for n in range(500))  # > 8 KB
    path.write_bytes(b"name,email\n" + good + b"A\x00n,a@example.org\nBo,bo@example.org\n")
    records = read(path, {"name": "name", "email": "email"})
    assert issues(records) == [
        Issue("line 502", "unreadable CSV (a NUL byte: the file is damaged)")
    ]
    assert [r.identity.name for r in records if isinstance(r, ContactRecord)][-1] == "Bo"
    assert len(records) == 502


# ------------------------------------------------------------------ whole-file failures


def test_a_mapping_naming_missing_columns_is_a_format_error(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("When,From,To\n2026-03-02,a@example.org,b@example.org\n")
    with pytest.raises(FormatError) as caught:
        read(path, dict(INTERACTIONS))
    assert str(caught.value) == (
        "log.csv: the column mapping names columns the file lacks: 'Channel', 'Minutes'; "
        "the file has columns: 'When', 'From', 'To'; "
        "read as UTF-8, with comma, semicolon, tab and pipe tried as the delimiter"
    )


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"occurred_at": "When"}, "the column mapping lacks sender_email, recipient_emails"),
        ({"nickname": "When"}, "unknown fields nickname"),
        (
            {
                "occurred_at": "When",
                "sender_email": "From",
                "recipient_emails": "To",
                "title": "To",
            },
            "fields title belong to contacts",
        ),
        ({"title": "To"}, "a contacts file needs a name"),
        ({}, "no column mapping was given and no column is named like a field"),
    ],
)
def test_an_unusable_mapping_is_a_format_error(tmp_path, mapping, message):
    path = tmp_path / "log.csv"
    path.write_text("When,From,To\n2026-03-02,a@example.org,b@example.org\n")
    with pytest.raises(FormatError, match=message):
        read(path, mapping)


def test_empty_missing_and_binary_files_are_format_errors(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    with pytest.raises(FormatError, match="empty.csv: the file is empty"):
        read(empty, {"name": "name"})
    with pytest.raises(FormatError, match="gone.csv: cannot open"):
        read(tmp_path / "gone.csv", {"name": "name"})
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(FormatError, match="image.csv: the file looks binary"):
        read(binary, {"name": "name"})
