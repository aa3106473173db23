"""A member's import keeps only what the member took part in (issue 13, item 2).

The expected counts come from the hand-made records themselves: which of them
name the member is visible by reading them.
"""

import datetime as dt

from bridgework.core.events.store import EventStore
from bridgework.core.ingest.base import Reader
from bridgework.core.ingest.pipeline import run_import
from bridgework.core.ingest.records import ContactRecord, EventRecord, Identity, TieRecord

UTC = dt.UTC
ME = Identity(email="me@ourco.example", name="Me")
ME_ALIAS = Identity(email="Me.Too@OurCo.example", name="Me")
ANA = Identity(email="ana@ourco.example", name="Ana")
BEN = Identity(email="ben@ourco.example", name="Ben")
CY = Identity(email="cy@client.example", name="Cy")


class RecordingResolver:
    """Hands out ids by address and remembers every identity it was asked about."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.asked: list[str] = []
        self.contacts: list[ContactRecord] = []

    def identify(self, identities):
        self.asked.extend(i.email for i in identities)
        return [i.email.lower() for i in identities]

    def resolve(self, identities):
        self.asked.extend(i.email for i in identities)
        return [self.ids.setdefault(i.email.lower(), len(self.ids) + 1) for i in identities]

    def add_contacts(self, contacts):
        self.contacts.extend(contacts)
        return len(contacts)


def event(external_id, sender, *recipients, direction="one_way", channel="email"):
    return EventRecord(
        external_id=external_id,
        occurred_at=dt.datetime(2026, 2, 1, 9, tzinfo=UTC),
        channel=channel,
        sender=sender,
        recipients=tuple(recipients),
        direction=direction,
    )


def reader_of(records):
    def read(path, *, options, progress=None, skipped=None):
        yield from records

    return Reader(name="fake", label="Fake", produces="events", read=read)


def run(tmp_path, records, **kwargs):
    path = tmp_path / "input.txt"
    path.write_text("x")
    store = EventStore(tmp_path / "e.duckdb")
    resolver = RecordingResolver()
    report = run_import(
        reader_of(records), [path], store=store, resolver=resolver, import_id="i1", **kwargs
    )
    return report, resolver, store


RECORDS = [
    event("forged", ANA, BEN),  # between two other people
    event("sent", ME, ANA),  # I sent it
    event("received", CY, BEN, ME_ALIAS),  # I am one recipient, by another address of mine
    event("meeting-others", ANA, BEN, CY, direction="two_way", channel="meeting"),
    event("meeting-mine", None, ANA, ME, direction="two_way", channel="meeting"),
]


def test_a_members_import_keeps_only_events_they_took_part_in(tmp_path):
    report, resolver, store = run(
        tmp_path, RECORDS, keep_only_involving=["me@ourco.example", "me.too@ourco.example"]
    )
    assert report.records_read == 5
    assert report.skipped_not_involving == 2  # "forged" and "meeting-others"
    assert report.events_imported == 3
    stored = set(store.events().column("external_id").to_pylist())
    assert stored == {"sent", "received", "meeting-mine"}
    # Nobody was even looked up for the events left out: Ana and Ben appear in
    # kept events too, so only their pairing must be absent, not their names.
    pairs = {
        frozenset((row["sender_id"], r))
        for row in store.events().to_pylist()
        for r in row["recipient_ids"]
    }
    ana, ben = resolver.ids["ana@ourco.example"], resolver.ids["ben@ourco.example"]
    assert frozenset((ana, ben)) not in pairs


def test_people_only_in_events_of_others_are_never_resolved(tmp_path):
    report, resolver, _store = run(
        tmp_path,
        [event("forged", ANA, BEN), event("sent", ME, CY)],
        keep_only_involving=["me@ourco.example"],
    )
    assert report.skipped_not_involving == 1
    assert "ana@ourco.example" not in resolver.asked
    assert "ben@ourco.example" not in resolver.asked


def test_an_analysts_import_keeps_everything(tmp_path):
    report, _resolver, store = run(tmp_path, RECORDS)
    assert report.skipped_not_involving == 0
    assert report.events_imported == 5
    assert store.count() == 5


def test_no_address_keeps_nothing(tmp_path):
    report, resolver, store = run(tmp_path, RECORDS, keep_only_involving=[])
    assert report.skipped_not_involving == 5
    assert store.count() == 0 and resolver.asked == []


def test_source_ties_of_others_are_dropped_and_contacts_kept(tmp_path):
    records = [
        TieRecord(external_id="t1", a=ANA, b=BEN, observed_on=None),
        TieRecord(external_id="t2", a=ME, b=BEN, observed_on=None),
        ContactRecord(identity=CY),
    ]
    report, resolver, _store = run(tmp_path, records, keep_only_involving=["me@ourco.example"])
    assert report.ties_imported == 1
    assert report.skipped_not_involving == 1
    assert report.contacts_stored == 1 and resolver.contacts == [ContactRecord(identity=CY)]
