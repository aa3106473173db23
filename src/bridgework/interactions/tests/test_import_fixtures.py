"""Small source files and helpers shared by the import tests (no tests here).

The files are written by hand so each test knows exactly what is in them:
independent counts (messages, events, issues) come from the text itself.
"""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

#: Three messages: two readable (one replying to the other), one without a Date
#: header (an issue). Subjects and bodies carry words no report may echo.
MBOX = b"""From alice@ourco.example Mon Jan  5 09:00:00 2026
From: Alice Able <alice@ourco.example>
To: Bob Baker <bob@client.example>, carol@ourco.example
Date: Mon, 05 Jan 2026 09:00:00 +0000
Message-ID: <m1@ourco.example>
Subject: SECRET-SUBJECT

SECRET-BODY text.

From bob@client.example Mon Jan  5 10:00:00 2026
From: Bob Baker <bob@client.example>
To: Alice Able <alice@ourco.example>
Date: Mon, 05 Jan 2026 10:00:00 +0000
Message-ID: <m2@client.example>
In-Reply-To: <m1@ourco.example>
Subject: Re: SECRET-SUBJECT

SECRET-BODY reply.

From alice@ourco.example Mon Jan  5 11:00:00 2026
From: alice@ourco.example
To: bob@client.example
Message-ID: <m3@ourco.example>

SECRET-BODY without a date.
"""
MBOX_MESSAGES = MBOX.count(b"\nFrom ") + 1  # grep -c '^From '
MBOX_EVENTS = 2
MBOX_PEOPLE = {"alice@ourco.example", "bob@client.example", "carol@ourco.example"}

#: Not an mbox at all.
NOT_MBOX = b"Dear diary,\nthis is not an mbox file.\n"


def ics(organizer: str, attendee: str, *, uid: str = "standup-1") -> bytes:
    """One 30-minute meeting between two people."""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bridgework tests//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T093000Z\r\n"
        f"SUMMARY:SECRET-SUBJECT\r\nORGANIZER:mailto:{organizer}\r\n"
        f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{attendee}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, content in entries.items():
            bundle.writestr(name, content)
    return buffer.getvalue()


def maildir_zip() -> bytes:
    """A Maildir folder with the two readable messages of :data:`MBOX`, zipped."""
    first, second = MBOX.split(b"\n\nFrom ")[:2]
    as_message = lambda block: block.split(b"\n", 1)[1]  # noqa: E731 - drop the From line
    return zipped(
        {
            "Maildir/cur/1.ourco:2,S": as_message(first),
            "Maildir/new/2.ourco": as_message(b"From " + second),
            "Maildir/tmp/.keep": b"",
        }
    )
