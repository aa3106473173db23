"""Every importer accounts for every record (issue 14, item 5).

For each format a small file written here holds records whose fate is plain
from reading them: stored, skipped for a reason, or an error. The expected
counts are written by hand next to each record, and each test checks the
report against them and that ``read = stored + skipped + errors``. The last
tests run real exports from ``tests/data`` and compare ``records_read`` with
the records counted there independently (``grep -c '^From '``, plain ``json``,
``BEGIN:VCARD`` lines, ``csv`` rows).

The resolver stands in for the directory with its rules for who an identity
is (``docs/identity.md``): an e-mail address that is no robot's, a source key,
or a name of at least two words; anything less names nobody.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re

import pytest

from bridgework.core.events.store import EventStore
from bridgework.core.identity.automated import is_automated_address
from bridgework.core.ingest import reader
from bridgework.core.ingest.pipeline import SKIP_REASONS, ImportReport, run_import
from bridgework.core.ingest.records import Identity, ReadOptions, Window
from bridgework.testsupport import sample_path

UTC = dt.UTC
YEAR_2026 = Window(
    since=dt.datetime(2026, 1, 1, tzinfo=UTC), until=dt.datetime(2027, 1, 1, tzinfo=UTC)
)


class DirectoryRules:
    """Ids by e-mail address, source key or a name of two words or more."""

    def __init__(self):
        self.ids: dict[str, int] = {}

    @staticmethod
    def key(identity: Identity) -> str | None:
        if identity.automated:
            return None
        if identity.email and not is_automated_address(identity.email):
            return identity.email.lower()
        if identity.source_key:
            return identity.source_key
        if len(identity.name.split()) >= 2:
            return "name:" + identity.name.lower()
        return None

    def identify(self, identities):
        return [self.key(identity) for identity in identities]

    def resolve(self, identities):
        return [
            None
            if (key := self.key(identity)) is None
            else self.ids.setdefault(key, len(self.ids) + 1)
            for identity in identities
        ]

    def add_contacts(self, contacts):
        return sum(person is not None for person in self.resolve([c.identity for c in contacts]))


def run(tmp_path, format_name, path, *, resolver=None, **kwargs) -> ImportReport:
    return run_import(
        reader(format_name),
        [path],
        store=EventStore(tmp_path / "events.duckdb"),
        resolver=resolver or DirectoryRules(),
        import_id="import-1",
        **kwargs,
    )


def balances(report: ImportReport) -> bool:
    return report.records_read == (
        report.records_stored + report.records_skipped + report.issue_count
    )


def assert_accounts(report, *, read, stored, skipped, errors):
    """The report says what the hand count says; the hand count adds up."""
    assert read == stored + sum(skipped.values()) + errors  # the hand count itself
    assert report.records_read == read
    assert report.records_stored == stored
    assert report.skipped == skipped
    assert report.issue_count == errors
    assert set(skipped) <= set(SKIP_REASONS)
    assert balances(report)


# -- e-mail -------------------------------------------------------------------------------


def message(message_id, sender, to, date="Mon, 05 Jan 2026 09:00:00 +0000") -> str:
    date_line = f"Date: {date}\n" if date else ""
    return (
        f"From someone Mon Jan  5 09:00:00 2026\nMessage-ID: <{message_id}>\n"
        f"From: {sender}\nTo: {to}\n{date_line}Subject: never read\n\nbody\n"
    )


LAST_JUNE = "Mon, 02 Jun 2025 09:00:00 +0000"
MESSAGES = [
    message("m1@ourco.example", "Ann Lee <ann@ourco.example>", "Bo Chen <bo@ourco.example>"),
    message("m2@ourco.example", "ann@ourco.example", "bo@ourco.example", LAST_JUNE),
    message("m3@tools.example", "no-reply@tools.example", "ann@ourco.example"),
    message("m4@ext.example", "Xavier Ext <x@ext.example>", "all-staff@ourco.example"),
    message("m5@ourco.example", "ann@ourco.example", "bo@ourco.example", date=""),
    message("m1@ourco.example", "Ann Lee <ann@ourco.example>", "bo@ourco.example"),
]


def test_mbox(tmp_path):
    path = tmp_path / "inbox.mbox"
    path.write_text("".join(MESSAGES))
    resolver = DirectoryRules()
    report = run(tmp_path, "mbox", path, resolver=resolver, options=ReadOptions(window=YEAR_2026))
    assert_accounts(
        report,
        read=6,
        stored=1,  # m1
        skipped={
            "outside_window": 1,  # m2, June 2025
            "automated": 1,  # m3, from no-reply
            "without_people": 1,  # m4, to a staff list alone
            "already_imported": 1,  # the copy of m1
        },
        errors=1,  # m5, no Date
    )
    # Item 7: the sender of the message to the list alone was never resolved.
    assert set(resolver.ids) == {"ann@ourco.example", "bo@ourco.example"}

    again = run(tmp_path, "mbox", path, resolver=resolver, options=ReadOptions(window=YEAR_2026))
    assert_accounts(
        again,
        read=6,
        stored=0,
        skipped={"outside_window": 1, "automated": 1, "without_people": 1, "already_imported": 2},
        errors=1,
    )


def test_mbox_of_a_member_counts_what_does_not_involve_them(tmp_path):
    path = tmp_path / "inbox.mbox"
    path.write_text("".join(MESSAGES))
    report = run(
        tmp_path,
        "mbox",
        path,
        options=ReadOptions(window=YEAR_2026),
        keep_only_involving=["ann@ourco.example"],
    )
    assert_accounts(
        report,
        read=6,
        stored=1,  # m1
        skipped={
            "outside_window": 1,  # m2
            "automated": 1,  # m3 reached Ann, from no-reply
            "not_involving": 1,  # m4, Xavier to the list
            "already_imported": 1,  # the copy of m1
        },
        errors=1,  # m5
    )


def test_maildir(tmp_path):
    root = tmp_path / "Maildir"
    for folder in ("cur", "new", "tmp"):
        (root / folder).mkdir(parents=True)
    files = {
        "cur/1.host:2,S": MESSAGES[0],  # stored
        "cur/2.host:2,S": MESSAGES[1],  # outside the window
        "cur/3.host:2,S": MESSAGES[3],  # to the list alone
        "cur/4.host:2,S": "",  # empty: an error
        "new/5.host": MESSAGES[5],  # the copy of m1
        "tmp/6.host": MESSAGES[0],  # a delivery in progress: not a message yet
    }
    for name, text in files.items():
        (root / name).write_text(text.split("\n", 1)[1] if text else "")  # no envelope line
    report = run(tmp_path, "maildir", root, options=ReadOptions(window=YEAR_2026))
    assert_accounts(
        report,
        read=5,
        stored=1,
        skipped={"outside_window": 1, "without_people": 1, "already_imported": 1},
        errors=1,
    )


# -- calendars and contacts ----------------------------------------------------------------


def vevent(uid, *lines) -> str:
    return (
        "BEGIN:VEVENT\n" + f"UID:{uid}\n" + "".join(f"{line}\n" for line in lines) + "END:VEVENT\n"
    )


def test_ics(tmp_path):
    ann, bo = "ORGANIZER;CN=Ann Lee:mailto:ann@ourco.example", "ATTENDEE:mailto:bo@ourco.example"
    staff = "ATTENDEE:mailto:all-staff@ourco.example"
    declined = "ATTENDEE;PARTSTAT=DECLINED:mailto:bo@ourco.example"
    weekly = ("DTSTART:20260105T090000Z", "DURATION:PT30M", "RRULE:FREQ=WEEKLY;COUNT=3")
    path = tmp_path / "team.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\n"
        + vevent("weekly", *weekly, ann, bo)  # three occurrences...
        # ... of which the second, moved, is left to Ann alone: Bo declined
        + vevent(
            "weekly", "RECURRENCE-ID:20260112T090000Z", "DTSTART:20260112T100000Z", ann, declined
        )
        + vevent("cancelled", "DTSTART:20260106T090000Z", "STATUS:CANCELLED", ann, bo)
        + vevent("alone", "DTSTART:20260107T090000Z", ann)  # a personal appointment
        + vevent("last-year", "DTSTART:20250301T090000Z", ann, bo)
        + vevent("no-start", ann, bo)  # an error
        + vevent("staff", "DTSTART:20260108T090000Z", ann, staff)  # with a list alone
        + "END:VCALENDAR\n"
    )
    report = run(tmp_path, "ics", path, options=ReadOptions(window=YEAR_2026))
    assert_accounts(
        report,
        read=8,
        stored=2,  # the first and third weekly occurrences
        skipped={
            "cancelled": 1,
            "no_people": 2,  # the moved weekly occurrence; the appointment alone
            "outside_window": 1,
            "without_people": 1,  # Ann and the staff list
        },
        errors=1,  # no DTSTART
    )


VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Ann Lee
EMAIL:ann@ourco.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
EMAIL:jane.doe@example.org
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Madonna
TEL:+1 555 0100
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:JD
N:;JD;;;
TEL:+1 555 0101
END:VCARD
BEGIN:VCARD
VERSION:4.0
KIND:group
FN:Team
END:VCARD
BEGIN:VCARD
VERSION:5.0
FN:From The Future
END:VCARD
BEGIN:VCARD
VERSION:4.0
TEL:+1 555 0102
END:VCARD
"""


def test_vcard(tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_text(VCARDS)
    resolver = DirectoryRules()
    report = run(tmp_path, "vcard", path, resolver=resolver)
    assert_accounts(
        report,
        read=7,
        stored=2,  # Ann Lee; jane.doe@ with an address and no name
        skipped={
            "not_identifiable": 2,  # "Madonna" and "JD": one word, a phone, no address
            "not_a_person": 1,  # the group card
        },
        errors=2,  # VERSION 5.0; a phone alone
    )
    assert set(resolver.ids) == {"ann@ourco.example", "jane.doe@example.org"}


def test_linkedin(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "Notes:\n"
        '"When exporting your connection data, you may notice that some of the email '
        'addresses are missing."\n'
        "\n"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ann,Lee,https://www.linkedin.com/in/annlee,,Acme,CTO,24 Nov 2025\n"  # stored
        "Cher,,,,,,03 Jan 2024\n"  # one word, no URL or address: skipped
        ",,,,,,12 Feb 2024\n"  # no name at all: an error
        "Bo,Chen,https://www.linkedin.com/in/bochen,bo@x.example,Beta,Dev,soon\n"  # an error
        "\n"  # a blank line: no record
        "Dee,Ray,,,,,\n"  # stored, with no date
    )
    report = run(tmp_path, "linkedin", path)
    assert_accounts(report, read=5, stored=2, skipped={"not_identifiable": 1}, errors=2)


# -- spreadsheets ----------------------------------------------------------------------------


def test_generic_csv_contacts(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "name,email,organization\n"
        "Ann Lee,ann@example.org,Acme\n"  # stored
        "Cher,,Acme\n"  # one word, no address: skipped
        ",,Acme\n"  # no name and no address: an error
        "Bo,not-an-address,Beta\n"  # an error
        ",,\n"  # blank: no record
    )
    report = run(tmp_path, "csv", path)
    assert_accounts(report, read=4, stored=1, skipped={"not_identifiable": 1}, errors=2)


def test_generic_csv_interactions(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "When,From,To,Kind\n"
        "2026-03-02 10:00,ann@x.example,bo@x.example,call\n"  # stored
        "2025-03-02 10:00,ann@x.example,bo@x.example,call\n"  # outside the window
        "2026-03-03 10:00,no-reply@x.example,bo@x.example,email\n"  # automated
        "2026-03-04 10:00,ann@x.example,all-staff@x.example,email\n"  # to a list alone
        "yesterday,ann@x.example,bo@x.example,email\n"  # an error
        "2026-03-02 10:00,ann@x.example,bo@x.example,call\n"  # the same row again
    )
    mapping = {
        "occurred_at": "When",
        "sender_email": "From",
        "recipient_emails": "To",
        "channel": "Kind",
    }
    report = run(
        tmp_path, "csv", path, options=ReadOptions(window=YEAR_2026, column_mapping=mapping)
    )
    assert_accounts(
        report,
        read=6,
        stored=1,
        skipped={
            "outside_window": 1,
            "automated": 1,
            "without_people": 1,
            "already_imported": 1,
        },
        errors=1,
    )


def test_viva_person_query(tmp_path):
    path = tmp_path / "person.csv"
    path.write_text(
        "PersonId,MetricDate,Collaboration_hours,Organization,LevelDesignation\n"
        "p1,2024-03-03,10.5,IT,Senior IC\n"  # an earlier week of p1
        "p1,2024-03-10,11.0,IT,Senior IC\n"  # p1, stored
        "p2,2024-03-03,9.0,HR,Manager\n"  # p2, stored
        ",2024-03-03,5.0,HR,Manager\n"  # no PersonId: an error
        "p3,someday,5.0,HR,Manager\n"  # an error
        "\n"  # blank: no record
    )
    report = run(tmp_path, "viva-person", path)
    assert_accounts(report, read=5, stored=2, skipped={"earlier_week": 1}, errors=2)


def test_viva_p2p_query(tmp_path):
    path = tmp_path / "p2p.csv"
    path.write_text(
        "PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,Strong_tie_score\n"
        "p1,p2,01/04/2023,0.5\n"  # stored
        "p1,p3,01/04/2023,0.2\n"  # stored
        "p1,p1,01/04/2023,0.1\n"  # a tie to oneself: an error
        "p2,,01/04/2023,0.3\n"  # an error
        "p1,p2,01/04/2023,0.5\n"  # the first tie again
        "p2,p3,01/04/2023,high\n"  # not a number: an error
    )
    report = run(tmp_path, "viva-p2p", path)
    assert_accounts(report, read=6, stored=2, skipped={"already_imported": 1}, errors=3)


# -- chat ----------------------------------------------------------------------------------

JAN_5_2026 = 1767603600  # 2026-01-05 09:00 UTC
JAN_1_2025 = 1735689600


def test_slack(tmp_path):
    root = tmp_path / "export"
    (root / "general").mkdir(parents=True)
    (root / "D1").mkdir()
    users = [
        {"id": "U1", "name": "ann", "real_name": "Ann Lee", "profile": {"email": "ann@x.example"}},
        {"id": "U2", "name": "bo", "real_name": "Bo Chen", "profile": {"email": "bo@x.example"}},
        {"id": "U3", "name": "cy", "real_name": "Cy Diaz", "profile": {"email": "cy@x.example"}},
    ]
    (root / "users.json").write_text(json.dumps(users))
    (root / "channels.json").write_text(
        json.dumps([{"id": "C1", "name": "general", "members": ["U1", "U2", "U3"]}])
    )
    (root / "dms.json").write_text(json.dumps([{"id": "D1", "members": ["U1", "U2"]}]))

    def ts(seconds: int) -> str:
        return f"{seconds}.000100"

    general = [
        {"type": "message", "user": "U1", "text": "hello all", "ts": ts(JAN_5_2026)},  # broadcast
        {"type": "message", "user": "U2", "text": "hi <@U1>", "ts": ts(JAN_5_2026 + 60)},  # stored
        {"type": "message", "subtype": "channel_join", "user": "U3", "ts": ts(JAN_5_2026 + 120)},
        {"type": "message", "user": "U1", "text": "<@U2> old", "ts": ts(JAN_1_2025)},  # window
        {"type": "message", "text": "whose?", "ts": ts(JAN_5_2026 + 180)},  # no user: an error
        {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B1",
            "username": "deploybot",
            "text": "<@U1> deployed",
            "ts": ts(JAN_5_2026 + 240),
        },  # automated
    ]
    (root / "general" / "2026-01-05.json").write_text(json.dumps(general))
    (root / "general" / "2026-01-06.json").write_text("[{not json")  # one error
    (root / "D1" / "2026-01-05.json").write_text(
        json.dumps([{"type": "message", "user": "U1", "text": "psst", "ts": ts(JAN_5_2026)}])
    )  # stored
    report = run(tmp_path, "slack", root, options=ReadOptions(window=YEAR_2026))
    assert_accounts(
        report,
        read=8,
        stored=2,
        skipped={"broadcast": 1, "system_notice": 1, "outside_window": 1, "automated": 1},
        errors=2,
    )


# -- real exports: records_read is the number of records counted independently --------------


def test_a_real_mbox_accounts_for_every_message(tmp_path):
    path = sample_path("mbox-exchange-synthetic", "northwind.fenwistle-j.sent.mbox")
    messages = sum(1 for line in path.read_bytes().splitlines() if line.startswith(b"From "))
    report = run(tmp_path, "mbox", path)
    assert report.records_read == messages
    assert balances(report)


def test_a_real_vcard_file_accounts_for_every_card(tmp_path):
    path = sample_path("ical-vcard-samples", "vobject-test_files", "radicale-1587.vcf")
    begin = re.compile(r"(?i)(?:[a-z0-9-]+\.)?begin:vcard")
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    cards = sum(1 for line in lines if begin.fullmatch(line.strip()))
    report = run(tmp_path, "vcard", path)
    assert report.records_read == cards
    assert balances(report)


def test_a_real_linkedin_export_accounts_for_every_row(tmp_path):
    path = sample_path("linkedin-connections-synthetic", "Connections.csv")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    header = next(i for i, row in enumerate(rows) if "Connected On" in row)
    connections = sum(1 for row in rows[header + 1 :] if any(cell.strip() for cell in row))
    report = run(tmp_path, "linkedin", path)
    assert report.records_read == connections
    assert balances(report)


def test_a_real_slack_export_accounts_for_every_message(tmp_path):
    root = sample_path("slack-export-houstondatavis")
    channels = [c["name"] for c in json.loads((root / "channels.json").read_text())]
    messages = [
        message
        for channel in channels
        for day in sorted((root / channel).glob("*.json"))
        for message in json.loads(day.read_text())
    ]
    people_write = {None, "file_share", "file_comment", "bot_message", "me_message"}
    notices = sum(
        1 for m in messages if m.get("subtype") not in people_write | {"thread_broadcast"}
    )
    report = run(tmp_path, "slack", root)
    assert report.records_read == len(messages)
    assert report.skipped.get("system_notice", 0) == notices
    assert balances(report)


@pytest.mark.parametrize("reason", sorted(SKIP_REASONS))
def test_every_reason_reads_as_words(reason):
    label = SKIP_REASONS[reason]
    assert label and label == label.strip() and "_" not in label
