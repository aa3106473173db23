"""Running an import: read records, resolve the people in them, write events.

The pipeline is the same for every format. The app supplies a
:class:`Resolver` that turns identities into Person ids (creating people as
needed); the pipeline batches records, drops automated senders and lists,
writes events and source ties in one event-store session (so a failure leaves
the store as it was) and counts everything for the report.

A member's import describes only what the member took part in: with
``keep_only_involving`` (the member's addresses) an event whose sender and
recipients (organizer and attendees) are all someone else, or a source tie
between two other people, is dropped before anyone in it is resolved, so it
creates neither people nor ties, and is only counted
(``ImportReport.skipped_not_involving``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol, TypedDict

from bridgework.core.events.store import EventStore, Row, StoreSession
from bridgework.core.identity.automated import is_automated_address
from bridgework.core.identity.normalize import normalize_email
from bridgework.core.ingest.base import Reader, input_size
from bridgework.core.ingest.records import (
    ContactRecord,
    EventRecord,
    Identity,
    Issue,
    ReadOptions,
    TieRecord,
)

__all__ = ["Resolver", "ImportReport", "Progress", "run_import", "MAX_REPORTED_ISSUES"]

#: Issues kept in a report; beyond this only the count grows.
MAX_REPORTED_ISSUES = 1000


class Resolver(Protocol):
    """Turns identities into Person ids; implemented by the app."""

    def resolve(self, identities: Sequence[Identity]) -> list[int | None]:
        """One id per identity (``None``: leave this one out)."""

    def add_contacts(self, contacts: Sequence[ContactRecord]) -> int:
        """Create or enrich people from contact records; returns how many were stored."""


class ReportedIssue(TypedDict):
    """An :class:`Issue` in a report, with the file it came from."""

    file: str
    position: str
    reason: str


@dataclass
class Progress:
    bytes_done: int
    bytes_total: int
    records: int
    events: int


@dataclass
class ImportReport:
    """What an import did. Never holds message content: counts, positions, reasons."""

    format: str
    files: list[str]
    records_read: int = 0
    events_imported: int = 0
    duplicates_skipped: int = 0
    contacts_stored: int = 0
    ties_imported: int = 0
    skipped_automated: int = 0
    skipped_without_people: int = 0
    #: events and source ties left out of a member's import: none of their
    #: people was the member (never resolved, never stored)
    skipped_not_involving: int = 0
    issue_count: int = 0
    issues: list[ReportedIssue] = field(default_factory=list)
    bytes_read: int = 0
    started_at: str = ""
    finished_at: str = ""

    def add_issue(self, file: str, issue: Issue) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_REPORTED_ISSUES:
            self.issues.append({"file": file, "position": issue.position, "reason": issue.reason})

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict())


def _is_automated(identity: Identity) -> bool:
    return identity.automated or any(is_automated_address(a) for a in identity.emails)


def _is_one_of(identity: Identity | None, addresses: frozenset[str]) -> bool:
    return identity is not None and any(normalize_email(a) in addresses for a in identity.emails)


def _involves(event: EventRecord, addresses: frozenset[str]) -> bool:
    """Whether one of ``addresses`` (normalized) sent the event or is among its
    recipients (for a meeting: organized or attended it).

    >>> from bridgework.core.ingest.records import EventRecord, Identity
    >>> mail = lambda sender, to: EventRecord(
    ...     external_id=f"{sender}>{to}", channel="email",
    ...     occurred_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
    ...     sender=Identity(email=sender), recipients=(Identity(email=to),))
    >>> mine = frozenset({"me@ourco.example"})
    >>> _involves(mail("a@ourco.example", "Me@OurCo.example"), mine)
    True
    >>> _involves(mail("a@ourco.example", "b@ourco.example"), mine)
    False
    """
    return _is_one_of(event.sender, addresses) or any(
        _is_one_of(recipient, addresses) for recipient in event.recipients
    )


def run_import(
    reader: Reader,
    paths: Sequence[Path | str],
    *,
    store: EventStore,
    resolver: Resolver,
    import_id: str,
    source: str | None = None,
    options: ReadOptions | None = None,
    exclude_automated: bool = True,
    batch_size: int = 20_000,
    on_progress: Callable[[Progress], None] | None = None,
    keep_only_involving: Collection[str] | None = None,
) -> ImportReport:
    """Import ``paths`` with ``reader``; raises :class:`FormatError` for a file of
    the wrong format, in which case nothing is written to the store.

    ``keep_only_involving``: the e-mail addresses of the member whose own data
    this is. Only events they sent or received (organized or attended) and
    source ties they are part of are kept; the others are counted in
    ``skipped_not_involving`` and never reach the resolver or the store. An
    empty collection keeps none; ``None`` (an analyst's import) keeps all.
    Contact records are not filtered: an address book is its owner's own.
    """
    files = [Path(p) for p in paths]
    involving = (
        None
        if keep_only_involving is None
        else frozenset(normalize_email(a) for a in keep_only_involving if a)
    )
    source_name = source or reader.name
    read_options = options or ReadOptions()
    report = ImportReport(format=reader.name, files=[p.name for p in files])
    report.started_at = dt.datetime.now(dt.UTC).isoformat()
    total = sum(input_size(p) for p in files)
    done_before = 0

    def notify(bytes_in_file: int = 0) -> None:
        if on_progress is not None:
            on_progress(
                Progress(
                    bytes_done=min(total, done_before + bytes_in_file),
                    bytes_total=total,
                    records=report.records_read,
                    events=report.events_imported,
                )
            )

    events: list[EventRecord] = []
    contacts: list[ContactRecord] = []
    ties: list[TieRecord] = []

    def flush(session: StoreSession) -> None:
        if events:
            _write_events(
                events,
                session=session,
                resolver=resolver,
                source=source_name,
                import_id=import_id,
                report=report,
                exclude_automated=exclude_automated,
                involving=involving,
            )
            events.clear()
        if contacts:
            report.contacts_stored += resolver.add_contacts(list(contacts))
            contacts.clear()
        if ties:
            _write_ties(
                ties,
                session=session,
                resolver=resolver,
                source=source_name,
                import_id=import_id,
                report=report,
                involving=involving,
            )
            ties.clear()

    with store.session() as session:
        for path in files:
            for record in reader(path, options=read_options, progress=notify):
                if isinstance(record, Issue):
                    report.add_issue(path.name, record)
                    continue
                report.records_read += 1
                if isinstance(record, EventRecord):
                    events.append(record)
                elif isinstance(record, ContactRecord):
                    contacts.append(record)
                elif isinstance(record, TieRecord):
                    ties.append(record)
                if len(events) + len(contacts) + len(ties) >= batch_size:
                    flush(session)
                    notify()
            flush(session)
            done_before += input_size(path)
            notify()
    report.bytes_read = total
    report.finished_at = dt.datetime.now(dt.UTC).isoformat()
    return report


def _resolve_all(resolver: Resolver, identities: Iterable[Identity]) -> dict[Identity, int | None]:
    unique = list(dict.fromkeys(identities))
    return dict(zip(unique, resolver.resolve(unique), strict=True)) if unique else {}


def _write_events(
    events: Sequence[EventRecord],
    *,
    session: StoreSession,
    resolver: Resolver,
    source: str,
    import_id: str,
    report: ImportReport,
    exclude_automated: bool,
    involving: frozenset[str] | None = None,
) -> None:
    wanted: list[Identity] = []
    kept: list[EventRecord] = []
    for event in events:
        if involving is not None and not _involves(event, involving):
            # Before resolving: a message between two other people must not
            # even bring their names into the directory.
            report.skipped_not_involving += 1
            continue
        if exclude_automated and event.sender is not None and _is_automated(event.sender):
            report.skipped_automated += 1
            continue
        kept.append(event)
        if event.sender is not None:
            wanted.append(event.sender)
        for recipient in event.recipients:
            if not (exclude_automated and _is_automated(recipient)):
                wanted.append(recipient)
    ids = _resolve_all(resolver, wanted)
    rows: list[Row] = []
    for event in kept:
        sender_id = ids.get(event.sender) if event.sender is not None else None
        recipient_ids: list[int] = []
        for recipient in event.recipients:
            person_id = ids.get(recipient)
            if person_id is not None and person_id != sender_id and person_id not in recipient_ids:
                recipient_ids.append(person_id)
        if sender_id is None and event.direction == "two_way" and len(recipient_ids) >= 2:
            # A meeting without a known organizer still ties its attendees.
            sender_id, recipient_ids = recipient_ids[0], recipient_ids[1:]
        if sender_id is None or not recipient_ids:
            report.skipped_without_people += 1
            continue
        rows.append(
            {
                "source": source,
                "external_id": event.external_id,
                "occurred_at": event.occurred_at,
                "channel": event.channel,
                "sender_id": sender_id,
                "recipient_ids": recipient_ids,
                "direction": event.direction,
                "duration_minutes": event.duration_minutes,
                "reply_to": event.reply_to or None,
                "thread_id": event.thread_id or None,
                "import_id": import_id,
            }
        )
    result = session.add_events(rows)
    report.events_imported += result.inserted
    report.duplicates_skipped += result.duplicates


def _write_ties(
    ties: Sequence[TieRecord],
    *,
    session: StoreSession,
    resolver: Resolver,
    source: str,
    import_id: str,
    report: ImportReport,
    involving: frozenset[str] | None = None,
) -> None:
    if involving is not None:
        kept = [t for t in ties if _is_one_of(t.a, involving) or _is_one_of(t.b, involving)]
        report.skipped_not_involving += len(ties) - len(kept)
        ties = kept
    ids = _resolve_all(resolver, [t.a for t in ties] + [t.b for t in ties])
    rows: list[Row] = []
    for tie in ties:
        a, b = ids.get(tie.a), ids.get(tie.b)
        if a is None or b is None or a == b:
            report.skipped_without_people += 1
            continue
        rows.append(
            {
                "source": source,
                "external_id": tie.external_id,
                "person_a": a,
                "person_b": b,
                "observed_on": tie.observed_on,
                "metrics": dict(tie.metrics),
                "import_id": import_id,
            }
        )
    result = session.add_ties(rows)
    report.ties_imported += result.inserted
    report.duplicates_skipped += result.duplicates
