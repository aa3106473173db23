"""What importers produce: plain records, never model objects.

Every importer in :mod:`bridgework.core.ingest` reads one source format and
yields a stream of these records. Nothing here knows about people in the
directory: identities are resolved to Person ids later, by the app.

Only metadata is ever carried: who, when, which channel, how long, which
message answers which. Never message bodies, never subjects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bridgework.core.identity.records import Identity

__all__ = [
    "CHANNELS",
    "DIRECTIONS",
    "Identity",
    "EventRecord",
    "ContactRecord",
    "TieRecord",
    "Issue",
    "Window",
    "FormatError",
]

#: Channels of an event (the same values as logged interactions).
CHANNELS = ("email", "meeting", "call", "chat", "introduction", "other")
#: ``one_way``: a message from a sender to recipients (e-mail, chat post).
#: ``two_way``: everyone met (meeting, call): contact in both directions.
DIRECTIONS = ("one_way", "two_way")


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One touchpoint: a message, a meeting occurrence, a chat post.

    ``external_id`` is stable across re-imports of the same data (Message-ID,
    UID plus occurrence start, Slack channel plus ts): the store keeps one
    event per ``(source, external_id)``. ``occurred_at`` is timezone-aware UTC.
    ``reply_to`` is the external id of the event this one answers (e-mail
    ``In-Reply-To``, a Slack thread's parent), used to measure reciprocity.
    """

    external_id: str
    occurred_at: dt.datetime
    channel: str
    sender: Identity | None
    recipients: tuple[Identity, ...]
    direction: str = "one_way"
    duration_minutes: int | None = None
    reply_to: str = ""
    thread_id: str = ""


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """A person from an address book, a connections list or an HR export."""

    identity: Identity
    connected_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class TieRecord:
    """A tie a source has already scored, e.g. Viva Insights person-to-person."""

    external_id: str
    a: Identity
    b: Identity
    observed_on: dt.date | None
    metrics: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Issue:
    """A record that was skipped: where it is and why, never its content."""

    position: str
    reason: str


@dataclass(frozen=True, slots=True)
class Window:
    """Which events to keep: ``since <= occurred_at < until`` (UTC); open ends allowed.

    Also bounds the expansion of recurring meetings.
    """

    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def contains(self, moment: dt.datetime) -> bool:
        return (self.since is None or moment >= self.since) and (
            self.until is None or moment < self.until
        )


class FormatError(Exception):
    """The file cannot be read as the format asked for.

    The message names the file and says what was expected, e.g.
    ``"notes.txt is not an mbox file: expected it to start with a 'From ' line"``.
    """

    def __init__(self, path: Path | str, expected: str):
        self.path = str(path)
        self.expected = expected
        super().__init__(f"{Path(path).name}: {expected}")


@dataclass
class ReadOptions:
    """Options every reader accepts; readers ignore what does not apply to them."""

    window: Window = field(default_factory=Window)
    #: generic CSV: our field name -> the file's column name
    column_mapping: dict[str, str] = field(default_factory=dict)
    #: the mailbox / calendar / address book owner, when a member imports their own
    owner_email: str = ""


__all__.append("ReadOptions")
