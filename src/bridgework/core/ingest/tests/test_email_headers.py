"""Header parsing shared by the mbox and Maildir readers.

Where a value could be computed by the standard library, the expected value
comes from it (``email.utils.parsedate_to_datetime``, ``email.header``), not
from our own code; the rest are written out by hand from the RFCs (5322 for
addresses, dates and message ids, 2047 for encoded words).
"""

from __future__ import annotations

import datetime as dt
import email.header
import email.utils
from typing import Any

import pytest

from bridgework.core.ingest.email_headers import (
    decode_encoded_words,
    fallback_message_id,
    header_block_end,
    is_automated_address,
    is_list_robot_address,
    normalize_message_id,
    parse_addresses,
    parse_date,
    parse_header_block,
    record_from_headers,
)
from bridgework.core.ingest.records import EventRecord, Identity, Issue, Window

UTC = dt.UTC


def _message(*lines: str) -> bytes:
    return "\n".join(lines).encode("utf-8")


def _event(block: bytes, **options: Any) -> EventRecord:
    """``record_from_headers`` for a block the test knows is an event."""
    record = record_from_headers(block, **options)
    assert isinstance(record, EventRecord), record
    return record


def _issue(block: bytes, **options: Any) -> Issue:
    """``record_from_headers`` for a block the test knows is an issue."""
    record = record_from_headers(block, **options)
    assert isinstance(record, Issue), record
    return record


def _sender(event: EventRecord) -> Identity:
    assert event.sender is not None, event
    return event.sender


BASE = (
    "Message-ID: <m1@example.org>",
    "Date: Tue, 16 Oct 2001 13:59:25 +0300",
    "From: Ann Lee <ann@example.org>",
    "To: bob@example.org",
)


# -- addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("bob@example.org", [("", "bob@example.org")]),
        ("Bob Roe <Bob@Example.ORG>", [("Bob Roe", "bob@example.org")]),
        ('"Roe, Bob" <bob@x.org>, ann@x.org', [("Roe, Bob", "bob@x.org"), ("", "ann@x.org")]),
        ("bbb@ddd.com (John X. Doe)", [("John X. Doe", "bbb@ddd.com")]),  # cpython msg_01
        ("undisclosed-recipients:;", []),
        ("IETF-Announce:;", []),  # cpython msg_36
        ("Team: a@x.org, b@x.org;, c@x.org", [("", "a@x.org"), ("", "b@x.org"), ("", "c@x.org")]),
        # mail-parser mail_test_19: an address used as the display name
        ("alice@example.com <bob@example.com>", [("alice@example.com", "bob@example.com")]),
        ("eve@example.com <frank@example.com>", [("eve@example.com", "frank@example.com")]),
        # mail-parser mail_test_18: an encoded comma must not split the address list
        (
            "=?iso-8859-1?Q?Last=DFlName=2C_FirstName?= <comma.name@example.com>",
            [("LastßlName, FirstName", "comma.name@example.com")],
        ),
        ('"John \\"Johnny\\" Doe" <john@x.org>', [('John "Johnny" Doe', "john@x.org")]),
        ("<@relay.example:ann@x.org>", [("", "ann@x.org")]),  # obsolete source route
        ("MAILER DAEMON <>", [("MAILER DAEMON", "")]),  # cpython msg_43: no address
        ("a@x.org,, b@x.org", [("", "a@x.org"), ("", "b@x.org")]),
        ('"ann@x.org" <ann@x.org>', [("", "ann@x.org")]),  # name equal to the address
    ],
)
def test_parse_addresses(value, expected):
    assert parse_addresses(value) == expected


def test_automated_addresses():
    # identity rule (re-exported) plus the mailing-list robots of RFC 2142 / Mailman
    for address in (
        "noreply@ggg.com",  # mail-parser mail_test_6
        "postmaster@netpar.com.br",  # mail-parser mail_malformed_2
        "MAILER-DAEMON@zinfandel.lacita.com",  # cpython msg_25
        "ppp-request@zzz.org",  # cpython msg_02
        "owner-freebsd-isp@FreeBSD.ORG",  # cpython msg_32 (Sender)
        "scr-admin@socal-raves.org",  # cpython msg_16
        "list-bounces+ann=x.org@lists.example",
    ):
        assert is_automated_address(address) or is_list_robot_address(address), address
    for address in ("ann.owner@x.org", "requester@x.org", "bob@example.org"):
        assert not (is_automated_address(address) or is_list_robot_address(address)), address


# -- encoded words -------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "=?GB2312?B?1cXPyMn6?=",  # mail-parser mail_test_12
        "=?UTF-8?B?0JLRgNC10LzRjyDQv9GA0LjRiNC70L4=?=",  # mail-parser mail_test_6
        "=?utf-8?Q?Continuity=20Insights?=",  # mail-parser mail_test_13
        "=?ISO-8859-1?Q?Andr=E9?= Pirard",
        "=?utf-8?b?SmFuZQ==?= =?utf-8?b?IERvZQ==?=",
    ],
)
def test_encoded_words_match_the_standard_library(word):
    expected = str(email.header.make_header(email.header.decode_header(word)))
    assert decode_encoded_words(word) == expected


def test_encoded_words_that_do_not_decode_are_kept_or_replaced():
    assert decode_encoded_words("=?utf-8?B?###?=") == "=?utf-8?B?###?="  # bad base64: kept
    assert decode_encoded_words("=?x-klingon?Q?Qapla=27?=") == "Qapla'"  # unknown charset
    assert decode_encoded_words("no words here") == "no words here"


# -- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mon, 25 Sep 2000 03:39:00 -0700 (PDT)",  # Enron
        "Fri, 4 May 2001 14:05:44 -0400",  # cpython msg_01
        "Sun, 23 Sep 2001 20:14:35 -0700 (PDT)",  # cpython msg_16
        "Fri, 6 Apr 2001 09:23:06 -0800 (GMT-0800)",  # cpython msg_25
        "01 Jan 2001 00:01+0000",  # cpython msg_47
        "Wed, 24 Apr 2019 10:05:02 +0200 (CEST)",  # mail-parser mail_test_14
        "Mon, 3 Nov 2025 18:23:00 +0100",
        "Tue, 1 Jan 2019 00:14:06 GMT",
        "Tue, 1 Jan 2019 00:14:06 EST",
        "Tue, 1 Jan 19 00:14:06 +0000",  # two-digit year: standard library path
        "Tue, 1 Jan 2019 00:14:06 -0000",
        "Tue, 1 Jan 2019 00:14:06",  # no zone
        "Tue, 1 Jan 2019 00:14:06 Z",
        "Tue, 1 Jan 2019 00:14:06 A",  # military zone: standard library path
    ],
)
def test_dates_match_the_standard_library(text):
    expected = email.utils.parsedate_to_datetime(text)
    expected = expected.replace(tzinfo=UTC) if expected.tzinfo is None else expected.astimezone(UTC)
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is UTC


def test_dates_that_are_not_dates():
    for text in ("Thu, 32 Foo 2001", "", "yesterday", "Tue, 31 Feb 2019 10:00:00 +0000"):
        assert parse_date(text) is None, text
    assert parse_date("2019-01-01T10:00:00+02:00") == dt.datetime(2019, 1, 1, 8, tzinfo=UTC)
    assert parse_date("Tue, 1 Jan 2019 23:59:60 +0000") == dt.datetime(
        2019, 1, 1, 23, 59, 59, tzinfo=UTC
    )  # a leap second


# -- ids and blocks ------------------------------------------------------------------


def test_message_ids():
    assert normalize_message_id("<a@b>") == "a@b"
    assert normalize_message_id("  <a@b>  <c@d>") == "a@b"  # References: the first
    assert normalize_message_id("<a@b\n c>") == "a@bc"  # folded inside the brackets
    assert normalize_message_id("a@b") == "a@b"
    assert normalize_message_id("<>") == ""


def test_header_block_parsing():
    fields, has_headers = parse_header_block(
        b"To: a@x.org,\r\n\tb@x.org\r\nCC: c@x.org\r\ncc: d@x.org\r\nX-Other: 1"
    )
    assert has_headers
    assert fields == {b"to": [b"a@x.org, b@x.org"], b"cc": [b"c@x.org", b"d@x.org"]}
    # cpython msg_35: no empty line after the headers; the body must not be read
    fields, _ = parse_header_block(b"From: a@x\nTo: b@x\nbody text, no colon\nCc: c@x")
    assert fields == {b"from": [b"a@x"], b"to": [b"b@x"]}
    # envelope lines left at the top (cpython msg_25) are not headers and do not end them
    fields, _ = parse_header_block(b">From MAILER-DAEMON Fri Apr 06 16:46:09 2001\nTo: b@x")
    assert fields == {b"to": [b"b@x"]}
    assert parse_header_block(b"just text") == ({}, False)
    assert parse_header_block(b"X-Only: 1") == ({}, True)


def test_header_block_end():
    data = b"A: 1\nB: 2\n\nbody\n\nmore"
    assert data[: header_block_end(data, 0, len(data))] == b"A: 1\nB: 2"
    data = b"A: 1\r\nB: 2\r\n\r\nbody"
    assert data[: header_block_end(data, 0, len(data))] == b"A: 1\r\nB: 2"
    data = b"A: 1\nB: 2\n"  # no body at all
    assert data[: header_block_end(data, 0, len(data))] == b"A: 1\nB: 2"


def test_fallback_id_is_stable_across_refolding_line_ends_and_read_flags():
    block = b"From: a@x\nTo: b@x,\n c@x\nDate: 1 Jan 2001 00:00 +0000"
    same = b"From: a@x\r\nTo: b@x, c@x\r\nStatus: RO\r\nDate: 1 Jan 2001 00:00 +0000"
    other = b"From: a@x\nTo: b@x\nDate: 1 Jan 2001 00:00 +0000"
    assert fallback_message_id(block) == fallback_message_id(same)
    envelope = b"From a@x Mon Jan  1 00:00:00 2001\n"
    assert fallback_message_id(block) == fallback_message_id(envelope + block)
    assert fallback_message_id(block) == fallback_message_id(b">" + envelope + block)
    assert fallback_message_id(block) != fallback_message_id(other)
    assert fallback_message_id(block).startswith("sha256:")


# -- one message -----------------------------------------------------------------------


def test_a_full_message():
    event = record_from_headers(
        _message(
            *BASE,
            "Cc: Ann Lee <ann@example.org>, carl@example.org, Bob R <BOB@example.org>",
            "Bcc: dora@example.org",
            "In-Reply-To: <m0@example.org> (Bob's message)",
            "References: <root@example.org> <m0@example.org>",
            "Subject: Secret plans",
        ),
        position="message 1",
    )
    assert isinstance(event, EventRecord)
    assert event.external_id == "m1@example.org"
    assert event.occurred_at == dt.datetime(2001, 10, 16, 10, 59, 25, tzinfo=UTC)
    assert (event.channel, event.direction) == ("email", "one_way")
    assert (_sender(event).email, _sender(event).name, _sender(event).automated) == (
        "ann@example.org",
        "Ann Lee",
        False,
    )
    # sender left out, duplicates merged (keeping a name), To, Cc, Bcc in order
    assert [(r.email, r.name) for r in event.recipients] == [
        ("bob@example.org", "Bob R"),
        ("carl@example.org", ""),
        ("dora@example.org", ""),
    ]
    assert (event.reply_to, event.thread_id) == ("m0@example.org", "root@example.org")
    assert "Secret" not in repr(event)


def test_sender_header_when_from_has_no_address():
    event = _event(
        _message(*BASE[:2], "From: MAILER DAEMON <>", "Sender: bounce@x.org", "To: b@x.org"),
        position="m",
    )
    assert _sender(event).email == "bounce@x.org" and _sender(event).automated


@pytest.mark.parametrize(
    ("header", "automated"),
    [
        ("List-Id: SoCal-Raves <scr.socal-raves.org>", True),
        ("List-Unsubscribe: <mailto:u@x.org>", True),
        ("Precedence: bulk", True),
        ("Precedence: junk", True),
        ("Precedence: first-class", False),
        ("Auto-Submitted: auto-generated (failure)", True),
        ("Auto-Submitted: no", False),
        ("Sender: owner-freebsd-isp@FreeBSD.ORG", True),
        ("X-Mailer: Outlook", False),
    ],
)
def test_automated_mail(header, automated):
    event = _event(_message(*BASE, header), position="m")
    assert _sender(event).automated is automated


def test_list_post_address_is_an_automated_recipient():
    event = _event(
        _message(*BASE, "Cc: list@lists.x.org", "List-Post: <mailto:list@lists.x.org>"),
        position="m",
    )
    assert {r.email: r.automated for r in event.recipients} == {
        "bob@example.org": False,
        "list@lists.x.org": True,
    }


def test_owner_is_the_recipient_of_undisclosed_mail():
    block = _message(*BASE[:3], "To: undisclosed-recipients:;")
    assert _issue(block, position="m").reason == (
        "no To, Cc or Bcc recipients: only an empty group (like 'undisclosed-recipients:;')"
    )
    event = _event(block, position="m", owner_email="Me@Example.org")
    assert [r.email for r in event.recipients] == ["me@example.org"]


def test_window_drops_silently():
    block = _message(*BASE)
    inside = Window(since=dt.datetime(2001, 10, 16, tzinfo=UTC))
    outside = Window(until=dt.datetime(2001, 10, 16, tzinfo=UTC))
    assert isinstance(record_from_headers(block, position="m", window=inside), EventRecord)
    assert record_from_headers(block, position="m", window=outside) is None


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (("From: a@x.org", "To: b@x.org"), "no Date header"),
        (
            ("Date: Thu, 32 Foo 2001", "From: a@x.org", "To: b@x.org"),
            "Date header 'Thu, 32 Foo 2001' is not a valid date",
        ),
        (
            ("Date: Thu, 1 Jan 1920 00:00:00 +0000", "From: a@x.org", "To: b@x.org"),
            "Date header 'Thu, 1 Jan 1920 00:00:00 +0000' is outside 1970-2099",
        ),
        ((BASE[1], "To: b@x.org"), "no From address (no From header)"),
        (
            (BASE[1], "From: foo", "To: b@x.org"),
            "no From address (the From header has no e-mail address)",
        ),
        ((BASE[1], BASE[2]), "no To, Cc or Bcc recipients"),
        (
            (BASE[1], BASE[2], "To: Ann <ann@example.org>"),
            "no To, Cc or Bcc recipients other than the sender",
        ),
        (
            (BASE[1], BASE[2], "To: baz"),
            "no To, Cc or Bcc recipients with an e-mail address",
        ),
        ((BASE[1], BASE[2], "To: ", "Cc:"), "no To, Cc or Bcc recipients (the headers are empty)"),
        (("some body text",), "no e-mail headers"),
    ],
)
def test_issues(lines, reason):
    assert record_from_headers(_message(*lines), position="message 3 (byte 9)") == Issue(
        "message 3 (byte 9)", reason
    )


def test_binary_header_block():
    issue = _issue(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", position="m")
    assert issue.reason == "header block holds binary data (NUL bytes), not e-mail headers"


def test_undecodable_bytes_fall_back_to_latin1():
    event = _event(
        _message(*BASE[:2], "To: b@x.org").replace(b"To:", b"From: Ren\xe9e <r@x.org>\nTo:"),
        position="m",
    )
    assert _sender(event).name == "Renée"


def test_long_values_in_reasons_are_shortened():
    issue = _issue(_message("Date: " + "x" * 500, "From: a@x.org", "To: b@x.org"), position="m")
    assert len(issue.reason) < 120 and issue.reason.endswith("...' is not a valid date")
