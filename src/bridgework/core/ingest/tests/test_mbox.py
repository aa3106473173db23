"""The mbox reader on sample files: synthetic Exchange-era mailboxes and the e-mail format samples.

The mailboxes (``tests/data/mbox-exchange-synthetic``) are invented but laid out
like Enron-era mail converted with Python's ``mailbox`` module; their
SOURCE.md lists what every file holds. Independent sources of expected values:

* message counts: lines starting with ``From `` counted here with a plain loop
  (what ``grep -c '^From '`` prints);
* how many messages of each file are events and what is wrong with the others:
  SOURCE.md, from what the generator made each message to be (its ``--check``
  confirms that with the standard library);
* every event's sender, recipients, date and Message-ID: Python's own
  ``mailbox`` + ``email`` parsing of the same file (``email.utils.getaddresses``,
  ``parsedate_to_datetime``), with two documented differences (an address used
  as a display name, and an address with two ``@``, which we refuse);
* spot checks: values read by hand from the files, written out literally with
  the line they came from;
* the reason for each malformed sample: read by hand from the sample.
"""

from __future__ import annotations

import collections
import datetime as dt
import email
import email.utils
import mailbox
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bridgework.core.ingest import reader, readers
from bridgework.core.ingest.base import input_size
from bridgework.core.ingest.mbox import EXPECTED, PROGRESS_EVERY, read_mbox
from bridgework.core.ingest.records import (
    EventRecord,
    FormatError,
    Identity,
    Issue,
    ReadOptions,
    Window,
)
from bridgework.testsupport import sample_path

MAILBOXES = "mbox-exchange-synthetic"
SAMPLES = sample_path("email-format-samples")
UTC = dt.UTC


def event(record: EventRecord | Issue) -> EventRecord:
    """``record``, which the test knows is an event."""
    assert isinstance(record, EventRecord), record
    return record


def issue(record: EventRecord | Issue) -> Issue:
    """``record``, which the test knows is an issue."""
    assert isinstance(record, Issue), record
    return record


def sender(record: EventRecord | Issue) -> Identity:
    """The sender of an event the test knows has one."""
    found = event(record).sender
    assert found is not None, record
    return found


def mailbox_files() -> list[Path]:
    return sorted(sample_path(MAILBOXES).glob("*.mbox"))


def mailbox_path(name: str) -> Path:
    """``mailbox_path("velsabe-c.sent")``: one of the synthetic mailboxes."""
    return sample_path(MAILBOXES, f"northwind.{name}.mbox")


def sample_files() -> list[Path]:
    """Every single-message sample (RFC 5322 text, some malformed), in a fixed order."""
    return sorted(SAMPLES.glob("cpython-test_email/msg_*.txt")) + sorted(
        SAMPLES.glob("mail-parser-tests/*.eml")
    )


def from_line_count(path: Path) -> int:
    """``grep -c '^From '``."""
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.startswith(b"From "))


def mboxrd_escape(message: bytes) -> bytes:
    """What an mbox writer does to a message: ``From `` lines become ``>From ``."""
    return re.sub(rb"(?m)^(>*From )", rb">\1", message)


def write_sample_mbox(path: Path, files: list[Path]) -> Path:
    with open(path, "wb") as out:
        for file in files:
            message = mboxrd_escape(file.read_bytes())
            out.write(b"From sample@example.org Mon Jan  1 00:00:00 2001\n" + message)
            out.write(b"\n" if message.endswith(b"\n") else b"\n\n")
    return path


#: The reason for every sample that is not an event, read by hand from the files.
SAMPLE_ISSUES = {
    "msg_04.txt": "no To, Cc or Bcc recipients other than the sender",  # barry@ to barry@
    "msg_05.txt": "no Date header",
    "msg_06.txt": "no To, Cc or Bcc recipients other than the sender",
    "msg_11.txt": "no Date header",  # only Content-Type, MIME-Version, Subject
    "msg_15.txt": "no Date header",
    "msg_18.txt": "no Date header",
    "msg_19.txt": "no e-mail headers",  # a digest body without any header
    "msg_21.txt": "no Date header",
    "msg_23.txt": "no Date header",
    "msg_24.txt": "no Date header",
    "msg_28.txt": "no Date header",
    "msg_30.txt": "no Date header",
    "msg_31.txt": "no Date header",
    "msg_34.txt": "no Date header",
    "msg_35.txt": "no Date header",
    "msg_36.txt": "no To, Cc or Bcc recipients: only an empty group "
    "(like 'undisclosed-recipients:;')",  # To: IETF-Announce:;
    "msg_37.txt": "no Date header",
    "msg_38.txt": "no Date header",
    "msg_39.txt": "no Date header",
    "msg_40.txt": "no Date header",
    "msg_42.txt": "no Date header",
    "msg_43.txt": "no From address (the From header has no e-mail address)",  # MAILER DAEMON <>
    "msg_44.txt": "no To, Cc or Bcc recipients other than the sender",
    "msg_45.txt": "no Date header",
    "msg_47.txt": "no To, Cc or Bcc recipients",  # From and Date only
    # an Outlook .msg (OLE2 compound file) saved as .eml
    "mail_outlook_1.eml": "header block holds binary data (NUL bytes), not e-mail headers",
}


# -- independent oracle ------------------------------------------------------------------


def _valid(address: str) -> bool:
    return address.count("@") == 1 and not address.startswith("@") and not address.endswith("@")


def _utf8(text: str) -> str:
    """Messages are given to the stdlib as Latin-1 text; 8-bit addresses are UTF-8."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def _addresses(message: email.message.Message, *names: str) -> list[str]:
    values = [str(value) for name in names for value in message.get_all(name, [])]
    return [
        _utf8(address).lower()
        for _name, address in email.utils.getaddresses(values)
        if _valid(address)
    ]


def oracle(message: email.message.Message) -> tuple[str, set[str], dt.datetime, str]:
    """Sender (``""`` when there is none), recipients, UTC date and Message-ID as the
    standard library reads them."""
    sender = next(iter(_addresses(message, "From") + _addresses(message, "Sender")), "")
    recipients = set(_addresses(message, "To", "Cc", "Bcc")) - {sender}
    date = email.utils.parsedate_to_datetime(str(message["Date"]))
    date = date.replace(tzinfo=UTC) if date.tzinfo is None else date.astimezone(UTC)
    return sender, recipients, date, str(message["Message-ID"] or "").strip().strip("<>")


def ours(event: EventRecord) -> tuple[str, set[str], dt.datetime, str]:
    external_id = "" if event.external_id.startswith("sha256:") else event.external_id
    return sender(event).email, {r.email for r in event.recipients}, event.occurred_at, external_id


# -- the synthetic mailboxes ---------------------------------------------------------------

#: Every reason a synthetic message is not an event: nobody received it (calendar
#: entries, notes to self) or it is one of the broken messages (SOURCE.md).
MAILBOX_REASONS = {
    "no To, Cc or Bcc recipients",
    "no To, Cc or Bcc recipients other than the sender",
    "no To, Cc or Bcc recipients with an e-mail address",
    "no To, Cc or Bcc recipients: only an empty group (like 'undisclosed-recipients:;')",
    "no From address (no From header)",
    "no From address (the From header has no e-mail address)",
}


@pytest.mark.parametrize("path", mailbox_files(), ids=lambda p: p.name)
def test_mailbox_counts_match_grep(path):
    records = list(read_mbox(path))
    events = [r for r in records if isinstance(r, EventRecord)]
    issues = [r for r in records if isinstance(r, Issue)]
    assert len(events) + len(issues) == from_line_count(path)
    assert len(events) > 0 or "calendar" in path.name
    assert {issue.reason for issue in issues} <= MAILBOX_REASONS


def test_mailbox_file_counts():
    counts = {}
    for path in mailbox_files():
        records = list(read_mbox(path))
        counts[path.name] = (
            from_line_count(path),
            sum(isinstance(r, EventRecord) for r in records),
        )
    # first number: grep -c '^From '; second: events (the rest are issues).
    # Both as tests/data/mbox-exchange-synthetic/SOURCE.md states them.
    assert counts == {
        "northwind.fenwistle-j.sent.mbox": (50, 48),
        "northwind.fenwistle-j.sent_items.mbox": (16, 16),
        "northwind.okoravy-t.calendar.mbox": (20, 5),
        "northwind.okoravy-t.sent.mbox": (30, 28),
        "northwind.rovanek-d.hr_stats.mbox": (9, 8),
        "northwind.rovanek-d.personnel.mbox": (24, 17),
        "northwind.velsabe-c.calendar.mbox": (8, 0),
        "northwind.velsabe-c.sent.mbox": (60, 60),
        "northwind.velsabe-c.sent_items.mbox": (13, 13),
    }


def test_the_broken_messages_have_their_reasons():
    # SOURCE.md, northwind.rovanek-d.personnel.mbox: what each message was made to be
    records = list(read_mbox(mailbox_path("rovanek-d.personnel")))
    issues = {int(r.position.split()[1]): r.reason for r in records if isinstance(r, Issue)}
    assert issues == {
        5: "no To, Cc or Bcc recipients",
        8: "no From address (no From header)",
        12: "no From address (the From header has no e-mail address)",
        14: "no To, Cc or Bcc recipients",
        17: "no To, Cc or Bcc recipients with an e-mail address",
        21: "no To, Cc or Bcc recipients",
        23: "no To, Cc or Bcc recipients: only an empty group (like 'undisclosed-recipients:;')",
    }
    # message 10 has no To but a Cc (and the Bcc repeating it): an event
    assert isinstance(records[9], EventRecord)
    assert [r.email for r in records[9].recipients] == ["dalia.rovanek@northwind.example"]


@pytest.mark.parametrize("path", mailbox_files(), ids=lambda p: p.name)
def test_mailbox_agrees_with_the_standard_library(path):
    records = list(read_mbox(path))
    messages = list(mailbox.mbox(path, create=False))
    assert len(records) == len(messages)
    for number, (record, message) in enumerate(zip(records, messages, strict=True), 1):
        expected = oracle(message)
        sender, recipients, _date, _id = expected
        if isinstance(record, Issue):
            assert record.position.startswith(f"message {number} (byte ")
            if not sender:
                no_header = message["From"] is None and message["Sender"] is None
                assert record.reason == (
                    "no From address (no From header)"
                    if no_header
                    else "no From address (the From header has no e-mail address)"
                ), number
            else:
                assert not recipients, record
            continue
        if record.external_id == "27399203.1075842997200.JavaMail.evans@thyme":
            # fenwistle-j.sent_items line 253: <'"ines.quorvale@fabrikam.example"@northwind.example>
            # has two @; getaddresses keeps it, we refuse it as not an address.
            expected[1].discard('\'"ines.quorvale@fabrikam.example"@northwind.example')
        assert ours(record) == expected, number


def test_mailbox_spot_checks():
    # northwind.velsabe-c.sent.mbox, lines 2-5
    first = event(next(read_mbox(mailbox_path("velsabe-c.sent"))))
    assert first.external_id == "41872093.1075840263517.JavaMail.evans@thyme"
    assert first.occurred_at == dt.datetime(2000, 9, 26, 11, 12, tzinfo=UTC)  # 04:12 -0700
    assert sender(first).email == "odile.pramstead@northwind.example"
    assert [r.email for r in first.recipients] == ["aurelio.kavaholm@northwind.example"]

    # northwind.rovanek-d.hr_stats.mbox, lines 26-35: Bcc repeats the Cc
    second = event(list(read_mbox(mailbox_path("rovanek-d.hr_stats")))[1])
    assert second.external_id == "5518274.1075855431172.JavaMail.evans@thyme"
    assert second.occurred_at == dt.datetime(2001, 6, 22, 23, 5, tzinfo=UTC)  # 16:05 -0700
    assert sender(second).email == "priya.ostaford@northwind.example"
    assert [r.email for r in second.recipients] == [
        "caspar.belawynd@northwind.example",
        "yusuf.moraquist@northwind.example",
        "dalia.rovanek@northwind.example",
    ]

    # northwind.fenwistle-j.sent.mbox, lines 2-5
    third = event(next(read_mbox(mailbox_path("fenwistle-j.sent"))))
    assert (sender(third).email, [r.email for r in third.recipients]) == (
        "sunniva.talbrook@northwind.example",
        ["aurora.dellacourt@closer-look.example"],
    )
    assert third.occurred_at == dt.datetime(2000, 4, 13, 16, 47, tzinfo=UTC)


def test_calendar_entries_without_recipients():
    # northwind.okoravy-t.calendar.mbox lines 1-4: a calendar note from r..dunmere with no To
    issue = next(read_mbox(mailbox_path("okoravy-t.calendar")))
    assert issue == Issue("message 1 (byte 0)", "no To, Cc or Bcc recipients")


def test_the_same_message_twice_keeps_its_id():
    # SOURCE.md: fenwistle-j.sent_items message 16 is message 4 again, byte for byte,
    # and rovanek-d.hr_stats message 7 is fenwistle-j.sent_items message 5 as its
    # recipient filed it (other X-Folder, X-Origin, X-FileName and X-From).
    items = list(read_mbox(mailbox_path("fenwistle-j.sent_items")))
    assert items[15] == items[3]
    assert list(read_mbox(mailbox_path("rovanek-d.hr_stats")))[6] == items[4]
    # the standard library sees these two Message-IDs twice, and no other
    seen = collections.Counter(
        str(message["Message-ID"]) for path in mailbox_files() for message in mailbox.mbox(path)
    )
    repeated = sorted(i.strip("<>") for i, count in seen.items() if count > 1)
    assert repeated == sorted([event(items[3]).external_id, event(items[4]).external_id])


def test_no_subject_or_body_in_any_record():
    records = list(read_mbox(mailbox_path("velsabe-c.sent")))
    text = repr(records)
    assert "Succession planning for the Lisbon office" not in text  # Subject, line 6
    assert "Corin is at the Lisbon site visit" not in text  # body, line 18
    assert "Odile Pramstead" not in text  # X-From (line 10) is not read either


def test_mboxrd_escaped_body_lines_are_skipped():
    path = mailbox_path("velsabe-c.sent")
    escaped = sum(line.startswith(b">From ") for line in path.read_bytes().splitlines())
    assert escaped == 5  # grep -c '^>From '; SOURCE.md
    assert len(list(read_mbox(path))) == from_line_count(path) == 60


def test_reimport_gives_identical_ids():
    for path in mailbox_files():
        first = [getattr(r, "external_id", r) for r in read_mbox(path)]
        assert first == [getattr(r, "external_id", r) for r in read_mbox(path)]


def test_window_filtering():
    path = mailbox_path("velsabe-c.sent")
    everything = [r for r in read_mbox(path) if isinstance(r, EventRecord)]
    window = Window(
        since=dt.datetime(2000, 6, 1, tzinfo=UTC), until=dt.datetime(2001, 1, 1, tzinfo=UTC)
    )
    kept = list(read_mbox(path, options=ReadOptions(window=window)))
    assert all(isinstance(r, EventRecord) for r in kept)  # outside the window: silent
    assert kept == [e for e in everything if window.contains(e.occurred_at)]
    assert 0 < len(kept) < len(everything)


def test_progress_reaches_the_file_size(tmp_path):
    source = mailbox_path("velsabe-c.sent").read_bytes()
    path = tmp_path / "big.mbox"
    path.write_bytes(source * (3 * PROGRESS_EVERY // len(source) + 1))  # over 3 MB
    seen: list[int] = []
    list(read_mbox(path, progress=seen.append))
    assert seen == sorted(seen) and len(seen) >= 3
    assert seen[-1] == input_size(path) == path.stat().st_size


def test_crlf_file_reads_like_the_lf_file(tmp_path):
    source = mailbox_path("rovanek-d.personnel")
    crlf = tmp_path / "crlf.mbox"
    crlf.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    lf_records, crlf_records = list(read_mbox(source)), list(read_mbox(crlf))
    assert len(crlf_records) == len(lf_records) == 24
    for lf_record, crlf_record in zip(lf_records, crlf_records, strict=True):
        if isinstance(lf_record, Issue):  # the same message, at a later byte offset
            assert issue(crlf_record).reason == lf_record.reason
            assert issue(crlf_record).position.split(" (")[0] == lf_record.position.split(" (")[0]
        else:
            assert crlf_record == lf_record


def test_leading_whitespace_before_the_first_from_line(tmp_path):
    source = mailbox_path("velsabe-c.sent_items")
    path = tmp_path / "padded.mbox"
    path.write_bytes(b"\n  \n" + source.read_bytes())
    records = list(read_mbox(path))
    assert [event(r).external_id for r in records] == [
        event(r).external_id for r in read_mbox(source)
    ]
    assert records and len(records) == 13


def test_the_mailboxes_are_what_their_generator_writes():
    # generate.py --check rebuilds every file in memory, compares it byte for byte and
    # reads each message back with the standard library.
    script = sample_path(MAILBOXES, "generate.py")
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


# -- the format samples ------------------------------------------------------------------------


def test_every_sample_is_an_event_or_a_precise_issue(tmp_path):
    files = sample_files()
    assert len(files) == 64  # SOURCE.md: 48 cpython + 16 mail-parser
    path = write_sample_mbox(tmp_path / "samples.mbox", files)
    assert from_line_count(path) == len(files)
    records = list(read_mbox(path))
    assert len(records) == len(files)
    offsets = [m.start() for m in re.finditer(rb"(?m)^From ", path.read_bytes())]
    for number, (file, record) in enumerate(zip(files, records, strict=True), 1):
        if file.name in SAMPLE_ISSUES:
            assert record == Issue(
                f"message {number} (byte {offsets[number - 1]})", SAMPLE_ISSUES[file.name]
            ), file.name
            continue
        assert isinstance(record, EventRecord), (file.name, record)
        message = email.message_from_string(file.read_bytes().decode("latin-1"))
        expected = oracle(message)
        if file.name == "mail_test_19.eml":
            # "From: alice@example.com <bob@example.com>": getaddresses (3.11) also
            # takes the display name for an address; the address is bob@.
            expected = (
                "bob@example.com",
                expected[1] - {"alice@example.com", "eve@example.com"},
                *expected[2:],
            )
        assert ours(record) == expected, file.name
    # no subject or body of any sample leaks into the records
    text = repr(records)
    for secret in ("Here is your dingus fish", "Test for Comma and Name Bugs", "Too many hops"):
        assert secret not in text


def test_sample_details_read_by_hand(tmp_path):
    files = sample_files()
    records = dict(
        zip(
            (f.name for f in files),
            read_mbox(write_sample_mbox(tmp_path / "s.mbox", files)),
            strict=True,
        )
    )
    # mail_test_18.eml line 3: an encoded comma inside an ISO-8859-1 name, "LastßlName,
    # FirstName", written family first and so shown in reading order
    assert (
        sender(records["mail_test_18.eml"]).name,
        sender(records["mail_test_18.eml"]).email,
    ) == (
        "FirstName LastßlName",
        "comma.name@example.com",
    )
    # mail_test_12.eml: GB2312 name, raw UTF-8 in the To address
    assert sender(records["mail_test_12.eml"]).name == "张先生"
    assert [r.email for r in event(records["mail_test_12.eml"]).recipients] == ["danglüe@email.com"]
    # msg_25.txt: a bounce (Auto-Submitted, MAILER-DAEMON) whose From_ line was escaped
    bounce = sender(records["msg_25.txt"])
    assert bounce.automated and bounce.email == "mailer-daemon@zinfandel.lacita.com"
    # msg_16.txt: List-Id and Precedence: bulk
    assert sender(records["msg_16.txt"]).automated
    # mail_test_6.eml: noreply@ and List-Unsubscribe
    assert sender(records["mail_test_6.eml"]).automated
    # msg_07.txt: no Message-ID -> a stable hash of the header block
    assert event(records["msg_07.txt"]).external_id.startswith("sha256:")
    # msg_01.txt: a plain message
    assert not sender(records["msg_01.txt"]).automated
    assert sender(records["msg_01.txt"]).name == "John X. Doe"


# -- one test per class of failure ---------------------------------------------------------


def _sample(name: str) -> bytes:
    path = next(SAMPLES.glob(f"*/{name}"))
    return path.read_bytes()


def _one_message_mbox(tmp_path: Path, message: bytes) -> list[EventRecord | Issue]:
    path = tmp_path / "one.mbox"
    path.write_bytes(b"From x@example.org Mon Jan  1 00:00:00 2001\n" + mboxrd_escape(message))
    return list(read_mbox(path))


def test_bad_date(tmp_path):
    message = _sample("msg_01.txt").replace(
        b"Date: Fri, 4 May 2001 14:05:44 -0400", b"Date: Thu, 32 Foo 2001"
    )
    assert _one_message_mbox(tmp_path, message) == [
        Issue("message 1 (byte 0)", "Date header 'Thu, 32 Foo 2001' is not a valid date")
    ]


def test_missing_from(tmp_path):
    message = _sample("msg_01.txt").replace(b"From: bbb@ddd.com (John X. Doe)\n", b"")
    assert _one_message_mbox(tmp_path, message) == [
        Issue("message 1 (byte 0)", "no From address (no From header)")
    ]


def test_no_recipients(tmp_path):
    assert _one_message_mbox(tmp_path, _sample("msg_47.txt")) == [
        Issue("message 1 (byte 0)", "no To, Cc or Bcc recipients")
    ]


def test_undecodable_header_bytes(tmp_path):
    # a Latin-1 byte (not UTF-8) in the display name, and a broken encoded word
    message = _sample("msg_01.txt").replace(
        b"From: bbb@ddd.com (John X. Doe)", b"From: Jos\xe9 =?utf-8?B?###?= <bbb@ddd.com>"
    )
    [record] = _one_message_mbox(tmp_path, message)
    assert sender(record) == Identity(email="bbb@ddd.com", name="José =?utf-8?B?###?=")


def test_binary_file_is_not_an_mbox(tmp_path):
    outlook = next(SAMPLES.glob("*/mail_outlook_1.eml"))
    with pytest.raises(FormatError) as caught:
        read_mbox(outlook)  # raised at the call, before anything is yielded
    assert str(caught.value) == f"mail_outlook_1.eml: {EXPECTED}"
    # a single message file is not an mbox either (no From_ line)
    with pytest.raises(FormatError, match="msg_01.txt: expected an mbox file"):
        read_mbox(next(SAMPLES.glob("*/msg_01.txt")))


def test_binary_message_inside_an_mbox(tmp_path):
    [record] = _one_message_mbox(tmp_path, _sample("mail_outlook_1.eml"))
    assert issue(record).reason == "header block holds binary data (NUL bytes), not e-mail headers"


def test_unreadable_paths(tmp_path):
    with pytest.raises(FormatError, match=r"missing.mbox: expected an mbox file .* cannot be read"):
        read_mbox(tmp_path / "missing.mbox")
    with pytest.raises(FormatError, match="cannot be read"):
        read_mbox(tmp_path)  # a folder


def test_empty_file_is_an_empty_mailbox(tmp_path):
    # Mail programs keep an empty file for an empty folder: no records, no error.
    empty = tmp_path / "Trash.mbox"
    empty.write_bytes(b"")
    assert list(read_mbox(empty)) == []
    empty.write_bytes(b"\n \r\n")
    assert list(read_mbox(empty)) == []


def test_unescaped_from_line_in_a_body_splits_like_grep(tmp_path):
    # mboxo writers leave "From " lines in bodies as they are: every such line
    # starts a message for us exactly as for grep and for Python's mailbox.
    message = _sample("msg_01.txt") + b"\nFrom here on, it is a body line\nand more\n"
    path = tmp_path / "mboxo.mbox"
    path.write_bytes(b"From x Mon Jan  1 00:00:00 2001\n" + message)
    records = list(read_mbox(path))
    assert len(records) == from_line_count(path) == len(mailbox.mbox(path)) == 2
    assert isinstance(records[0], EventRecord)
    assert issue(records[1]).reason == "no e-mail headers"


def test_registered_reader():
    assert readers()["mbox"].extensions == (".mbox", ".mbx")
    assert reader("mbox").read is read_mbox
    assert reader("mbox").produces == "events" and not reader("mbox").folder
