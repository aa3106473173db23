"""Running an import: read records, decide which are stored, resolve their people, write.

The pipeline is the same for every format. The app supplies a
:class:`Resolver` that turns identities into Person ids (creating people as
needed); the pipeline batches records, drops automated senders and lists,
writes events and source ties in one event-store session (so a failure leaves
the store as it was) and counts everything for the report.

**Every record is accounted for.** The report's counts obey one identity::

    records_read = stored + skipped + issue_count

*stored* is the events imported, contacts stored and ties imported; *skipped*
is the records left out on purpose, each under its reason (:data:`SKIP_REASONS`:
already imported, an automated sender, outside the date window, ...), whether
the reader or the pipeline left it out; *issue_count* the records that could
not be read (each :class:`~bridgework.core.ingest.records.Issue` counts as one
record, whatever it covered). What a record is, format by format, is in
``docs/ingest/README.md``. :func:`accounting` gives the three parts of a stored
report for the pages and the command line.

**People are resolved only for what is stored.** Whether an event (or tie, or
contact) is stored is decided first, with :meth:`Resolver.identify`, which
creates nobody; only the people of the records that are stored are then
resolved, so a message to a mailing list alone brings its sender into the
directory no more than it brings in a tie.

A member's import describes only what the member took part in: with
``keep_only_involving`` (the member's addresses) an event whose sender and
recipients (organizer and attendees) are all someone else, or a source tie
between two other people, is dropped before anyone in it is looked up, and is
counted under the reason ``not_involving``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypedDict, TypeVar

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

__all__ = [
    "Resolver",
    "ImportReport",
    "Accounting",
    "accounting",
    "Progress",
    "run_import",
    "MAX_REPORTED_ISSUES",
    "SKIP_REASONS",
]

#: Issues kept in a report; beyond this only the count grows.
MAX_REPORTED_ISSUES = 1000

#: Why a record is left out on purpose: the reason's key (in
#: ``ImportReport.skipped`` and the API) and what the report says. The first
#: five are the pipeline's; the others come from the readers (each reader's
#: ``skipped`` counter, see :class:`~bridgework.core.ingest.base.ReadFunction`).
SKIP_REASONS: dict[str, str] = {
    "already_imported": "already imported",
    "not_involving": "not involving you",
    "automated": "automated sender or mailing list",
    "without_people": "not two people who can be identified",
    "not_identifiable": "too little to identify a person (e.g. one word and no address)",
    "outside_window": "outside the date window",
    "cancelled": "cancelled",
    "no_people": "fewer than two people",
    "not_a_person": "not a person (a group, organization or place)",
    "system_notice": "a system notice (joined, left, topic...)",
    "broadcast": "a channel post to no one in particular",
    "earlier_week": "an earlier week of a person (the latest is kept)",
}

#: The names the counts of the first four reasons had before ``skipped``
#: held them all; reports still carry them, for API clients.
_LEGACY_SKIP_FIELDS = {
    "already_imported": "duplicates_skipped",
    "automated": "skipped_automated",
    "without_people": "skipped_without_people",
    "not_involving": "skipped_not_involving",
}
#: What is stored, by field, as the report says it.
_STORED_FIELDS = {
    "events_imported": "events imported",
    "contacts_stored": "contacts stored",
    "ties_imported": "ties imported",
}

_Key = TypeVar("_Key", bound=Hashable)


class Resolver(Protocol):
    """Turns identities into Person ids; implemented by the app."""

    def identify(self, identities: Sequence[Identity]) -> list[Hashable | None]:
        """Who each identity is, creating and changing nobody: a key that is the same
        for identities :meth:`resolve` would give the same person (a known person's
        id, a key for one it would create), ``None`` for those it would leave out."""

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
    """What an import did. Never holds message content: counts, positions, reasons.

    ``records_read == records_stored + records_skipped + issue_count``: every
    record read is stored, skipped for a reason (``skipped``, by the keys of
    :data:`SKIP_REASONS`) or an issue.
    """

    format: str
    files: list[str]
    records_read: int = 0
    events_imported: int = 0
    contacts_stored: int = 0
    ties_imported: int = 0
    #: records left out on purpose, by reason (:data:`SKIP_REASONS`); events and
    #: ties already in the store are ``already_imported``, and for a member's
    #: import those between other people are ``not_involving`` (never resolved,
    #: never stored)
    skipped: dict[str, int] = field(default_factory=dict)
    issue_count: int = 0
    issues: list[ReportedIssue] = field(default_factory=list)
    bytes_read: int = 0
    started_at: str = ""
    finished_at: str = ""

    def add_issue(self, file: str, issue: Issue) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_REPORTED_ISSUES:
            self.issues.append({"file": file, "position": issue.position, "reason": issue.reason})

    def skip(self, reason: str, count: int = 1) -> None:
        """Count ``count`` records left out for ``reason`` (a key of :data:`SKIP_REASONS`)."""
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count

    @property
    def records_stored(self) -> int:
        return self.events_imported + self.contacts_stored + self.ties_imported

    @property
    def records_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def duplicates_skipped(self) -> int:
        return self.skipped.get("already_imported", 0)

    @property
    def skipped_automated(self) -> int:
        return self.skipped.get("automated", 0)

    @property
    def skipped_without_people(self) -> int:
        return self.skipped.get("without_people", 0)

    @property
    def skipped_not_involving(self) -> int:
        return self.skipped.get("not_involving", 0)

    def to_dict(self) -> dict[str, object]:
        """The report as stored with the import run: its fields, plus the counts of
        the first reasons under their older names (``duplicates_skipped``...)."""
        data = asdict(self)
        for reason, name in _LEGACY_SKIP_FIELDS.items():
            data[name] = self.skipped.get(reason, 0)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict())


@dataclass(frozen=True)
class Accounting:
    """Where every record of an import went: ``read == stored + skipped + errors``.

    ``stored`` and ``skipped`` list ``(what the report says, count)``, leaving
    out what is zero; ``unaccounted`` is 0 for every report written since the
    identity was kept (an older report, whose ``records_read`` left out the
    issues and whose contacts could vanish, may not balance).
    """

    read: int
    stored: tuple[tuple[str, int], ...]
    skipped: tuple[tuple[str, int], ...]
    errors: int

    @property
    def stored_total(self) -> int:
        return sum(count for _label, count in self.stored)

    @property
    def skipped_total(self) -> int:
        return sum(count for _label, count in self.skipped)

    @property
    def unaccounted(self) -> int:
        return self.read - self.stored_total - self.skipped_total - self.errors


def _count(report: Mapping[str, Any], name: str) -> int:
    value = report.get(name, 0)
    return value if isinstance(value, int) else 0


def accounting(report: Mapping[str, Any]) -> Accounting:
    """The accounting of a report as stored (:meth:`ImportReport.to_dict`).

    Reports from before ``skipped`` held every reason give their four older
    counts instead.

    >>> report = ImportReport(format="mbox", files=["a.mbox"], records_read=6,
    ...                       events_imported=3, issue_count=1)
    >>> report.skip("already_imported"); report.skip("outside_window")
    >>> account = accounting(report.to_dict())
    >>> account.stored, account.skipped, account.errors, account.unaccounted
    ((('events imported', 3),), (('already imported', 1), ('outside the date window', 1)), 1, 0)
    """
    skipped = report.get("skipped")
    if isinstance(skipped, Mapping):
        counts = {str(reason): count for reason, count in skipped.items() if isinstance(count, int)}
    else:
        counts = {reason: _count(report, name) for reason, name in _LEGACY_SKIP_FIELDS.items()}
    ordered = [*(r for r in SKIP_REASONS if r in counts), *sorted(set(counts) - set(SKIP_REASONS))]
    return Accounting(
        read=_count(report, "records_read"),
        stored=tuple(
            (label, _count(report, name))
            for name, label in _STORED_FIELDS.items()
            if _count(report, name)
        ),
        skipped=tuple(
            (SKIP_REASONS.get(reason, reason.replace("_", " ")), counts[reason])
            for reason in ordered
            if counts[reason]
        ),
        errors=_count(report, "issue_count"),
    )


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
    source ties they are part of are kept; the others are skipped as
    ``not_involving`` and never reach the resolver or the store. An empty
    collection keeps none; ``None`` (an analyst's import) keeps all. Contact
    records are not filtered: an address book is its owner's own.
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
            _store_contacts(contacts, resolver=resolver, report=report)
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
            left_out: Counter[str] = Counter()  # what the reader skipped on purpose
            for record in reader(path, options=read_options, progress=notify, skipped=left_out):
                report.records_read += 1
                if isinstance(record, Issue):
                    report.add_issue(path.name, record)
                    continue
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
            for reason, count in sorted(left_out.items()):
                report.records_read += count
                report.skip(reason, count)
            done_before += input_size(path)
            notify()
    report.bytes_read = total
    report.finished_at = dt.datetime.now(dt.UTC).isoformat()
    return report


def _identify_all(
    resolver: Resolver, identities: Iterable[Identity]
) -> dict[Identity, Hashable | None]:
    unique = list(dict.fromkeys(identities))
    return dict(zip(unique, resolver.identify(unique), strict=True)) if unique else {}


def _resolve_all(resolver: Resolver, identities: Iterable[Identity]) -> dict[Identity, int | None]:
    unique = list(dict.fromkeys(identities))
    return dict(zip(unique, resolver.resolve(unique), strict=True)) if unique else {}


def _sender_and_recipients(
    event: EventRecord, who: Mapping[Identity, _Key | None]
) -> tuple[_Key, list[_Key]] | None:
    """The event's sender and distinct recipients other than the sender, as ``who``
    names them (people identified, or resolved), or ``None`` when it does not tie
    two people.

    A meeting without a known organizer still ties its attendees: the first
    is taken as the sender.
    """
    sender = who.get(event.sender) if event.sender is not None else None
    recipients: list[_Key] = []
    for recipient in event.recipients:
        person = who.get(recipient)
        if person is not None and person != sender and person not in recipients:
            recipients.append(person)
    if sender is None and event.direction == "two_way" and len(recipients) >= 2:
        sender, recipients = recipients[0], recipients[1:]
    if sender is None or not recipients:
        return None
    return sender, recipients


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
    considered: list[EventRecord] = []
    for event in events:
        if involving is not None and not _involves(event, involving):
            # Before anything else: a message between two other people must
            # not even bring their names into the directory.
            report.skip("not_involving")
        elif exclude_automated and event.sender is not None and _is_automated(event.sender):
            report.skip("automated")
        else:
            considered.append(event)

    def people_of(event: EventRecord) -> list[Identity]:
        people = [event.sender] if event.sender is not None else []
        people.extend(r for r in event.recipients if not (exclude_automated and _is_automated(r)))
        return people

    # Which events tie two people is decided before anyone is resolved: people
    # are created for the events that are stored, never for those dropped
    # (a sender whose message went to a mailing list alone).
    who = _identify_all(resolver, (p for event in considered for p in people_of(event)))
    kept = [event for event in considered if _sender_and_recipients(event, who) is not None]
    report.skip("without_people", len(considered) - len(kept))
    ids = _resolve_all(
        resolver, (p for event in kept for p in people_of(event) if who.get(p) is not None)
    )
    rows: list[Row] = []
    for event in kept:
        people = _sender_and_recipients(event, ids)
        if people is None:  # two identities the resolver found to be one person
            report.skip("without_people")
            continue
        sender_id, recipient_ids = people
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
    report.skip("already_imported", result.duplicates)


def _store_contacts(
    contacts: Sequence[ContactRecord], *, resolver: Resolver, report: ImportReport
) -> None:
    """Contacts that name someone identifiable go to the directory; the rest are skipped."""
    who = _identify_all(resolver, (contact.identity for contact in contacts))
    known = [contact for contact in contacts if who.get(contact.identity) is not None]
    stored = resolver.add_contacts(known) if known else 0
    report.contacts_stored += stored
    report.skip("not_identifiable", len(contacts) - stored)


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
        considered = [t for t in ties if _is_one_of(t.a, involving) or _is_one_of(t.b, involving)]
        report.skip("not_involving", len(ties) - len(considered))
    else:
        considered = list(ties)
    who = _identify_all(resolver, (side for tie in considered for side in (tie.a, tie.b)))
    kept = [tie for tie in considered if _two_people(who.get(tie.a), who.get(tie.b))]
    report.skip("without_people", len(considered) - len(kept))
    ids = _resolve_all(resolver, (side for tie in kept for side in (tie.a, tie.b)))
    rows: list[Row] = []
    for tie in kept:
        a, b = ids.get(tie.a), ids.get(tie.b)
        if a is None or b is None or a == b:
            report.skip("without_people")
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
    report.skip("already_imported", result.duplicates)


def _two_people(a: Hashable | None, b: Hashable | None) -> bool:
    return a is not None and b is not None and a != b
