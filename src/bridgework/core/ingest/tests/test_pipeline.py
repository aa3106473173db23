"""The import pipeline with a hand-made reader and resolver."""

import datetime as dt

import pytest

from bridgework.core.events.store import EventStore
from bridgework.core.ingest.base import Reader
from bridgework.core.ingest.pipeline import Progress, run_import
from bridgework.core.ingest.records import (
    ContactRecord,
    EventRecord,
    FormatError,
    Identity,
    Issue,
    TieRecord,
)

UTC = dt.UTC
ANA = Identity(email="ana@ourco.example", name="Ana")
BEN = Identity(email="ben@ourco.example", name="Ben")
CY = Identity(email="cy@client.example", name="Cy")
ROBOT = Identity(email="no-reply@tools.example")
LIST = Identity(email="team@lists.example", automated=True)


class DictResolver:
    """Ids by e-mail; unknown addresses get new ids."""

    def __init__(self):
        self.ids = {"ana@ourco.example": 1, "ben@ourco.example": 2}
        self.contacts = []

    def identify(self, identities):
        return [identity.email or None for identity in identities]

    def resolve(self, identities):
        out: list[int | None] = []
        for identity in identities:
            if not identity.email:
                out.append(None)
                continue
            out.append(self.ids.setdefault(identity.email, 100 + len(self.ids)))
        return out

    def add_contacts(self, contacts):
        self.contacts.extend(contacts)
        return len(contacts)


def mail(external_id, sender, *recipients, day=1, reply_to=""):
    return EventRecord(
        external_id=external_id,
        occurred_at=dt.datetime(2026, 2, day, 9, tzinfo=UTC),
        channel="email",
        sender=sender,
        recipients=tuple(recipients),
        reply_to=reply_to,
    )


def make_reader(records, *, fail_with=None):
    def read(path, *, options, progress=None, skipped=None):
        if fail_with:
            raise fail_with
        yield from records
        if progress:
            progress(path.stat().st_size)

    return Reader(name="fake", label="Fake", produces="events", read=read)


@pytest.fixture
def source_file(tmp_path):
    path = tmp_path / "input.txt"
    path.write_text("x" * 1000)
    return path


def test_events_are_resolved_and_written_once(tmp_path, source_file):
    store = EventStore(tmp_path / "e.duckdb")
    records = [
        mail("m1", ANA, BEN, CY),
        mail("m2", BEN, ANA, reply_to="m1"),
        Issue("message 3 (byte 400)", "no From address"),
        mail("m4", ROBOT, ANA),  # automated sender: skipped
        mail("m5", ANA, LIST, BEN),  # list recipient dropped, Ben kept
        mail("m6", ANA, ANA),  # only the sender: no tie
    ]
    reader = make_reader(records)
    progress: list[Progress] = []
    report = run_import(
        reader,
        [source_file],
        store=store,
        resolver=DictResolver(),
        import_id="import-1",
        on_progress=progress.append,
    )
    assert report.records_read == 6  # five records and one issue
    assert report.events_imported == 3
    assert report.skipped == {"automated": 1, "without_people": 1}
    assert report.issue_count == 1
    assert report.issues == [
        {"file": "input.txt", "position": "message 3 (byte 400)", "reason": "no From address"}
    ]
    rows = {r["external_id"]: r for r in store.events().to_pylist()}
    assert rows["m1"]["sender_id"] == 1 and rows["m1"]["recipient_ids"] == [2, 102]
    assert rows["m1"]["is_group"] is True
    assert rows["m2"]["reply_to"] == "m1"
    assert rows["m5"]["recipient_ids"] == [2]
    assert {r["source"] for r in rows.values()} == {"fake"}
    assert {r["import_id"] for r in rows.values()} == {"import-1"}
    assert progress[-1].bytes_done == progress[-1].bytes_total == 1000

    again = run_import(
        reader, [source_file], store=store, resolver=DictResolver(), import_id="import-2"
    )
    assert (again.events_imported, again.duplicates_skipped) == (0, 3)
    assert again.skipped == {"already_imported": 3, "automated": 1, "without_people": 1}
    assert store.count() == 3


def test_automated_senders_can_be_kept(tmp_path, source_file):
    store = EventStore(tmp_path / "e.duckdb")
    reader = make_reader([mail("m4", ROBOT, ANA)])
    report = run_import(
        reader,
        [source_file],
        store=store,
        resolver=DictResolver(),
        import_id="i",
        exclude_automated=False,
    )
    assert report.events_imported == 1


def test_a_meeting_without_organizer_ties_its_attendees(tmp_path, source_file):
    store = EventStore(tmp_path / "e.duckdb")
    meeting = EventRecord(
        external_id="uid@2026",
        occurred_at=dt.datetime(2026, 2, 1, tzinfo=UTC),
        channel="meeting",
        sender=None,
        recipients=(ANA, BEN, CY),
        direction="two_way",
        duration_minutes=30,
    )
    report = run_import(
        make_reader([meeting]), [source_file], store=store, resolver=DictResolver(), import_id="i"
    )
    assert report.events_imported == 1
    row = store.events().to_pylist()[0]
    assert (row["sender_id"], row["recipient_ids"], row["duration_minutes"]) == (1, [2, 102], 30)


def test_contacts_and_ties_go_to_their_places(tmp_path, source_file):
    store = EventStore(tmp_path / "e.duckdb")
    resolver = DictResolver()
    records = [
        ContactRecord(identity=CY),
        TieRecord(
            external_id="a:b:2023-04-01",
            a=ANA,
            b=BEN,
            observed_on=dt.date(2023, 4, 1),
            metrics=(("Strong_tie_score", 0.07),),
        ),
    ]
    report = run_import(
        make_reader(records), [source_file], store=store, resolver=resolver, import_id="i"
    )
    assert report.contacts_stored == 1 and resolver.contacts == [records[0]]
    assert report.ties_imported == 1
    tie = store.ties().to_pylist()[0]
    assert (tie["person_a"], tie["person_b"], tie["metrics"]) == (
        1,
        2,
        '{"Strong_tie_score": 0.07}',
    )


def test_a_wrong_format_file_writes_nothing(tmp_path, source_file):
    store = EventStore(tmp_path / "e.duckdb")
    store.write_events(
        [
            dict(
                source="fake",
                external_id="old",
                occurred_at=dt.datetime(2026, 1, 1, tzinfo=UTC),
                channel="email",
                sender_id=1,
                recipient_ids=[2],
                direction="one_way",
            )
        ]
    )
    good = make_reader([mail("m1", ANA, BEN)])
    bad = make_reader([], fail_with=FormatError(source_file, "expected an mbox file"))

    def read_both(path, *, options, progress=None, skipped=None):
        reader = good if path.name == "input.txt" else bad
        yield from reader.read(path, options=options, progress=progress)

    second = tmp_path / "second.txt"
    second.write_text("not mail")
    mixed = Reader(name="fake", label="Fake", produces="events", read=read_both)
    with pytest.raises(FormatError, match="expected an mbox file"):
        run_import(
            mixed, [source_file, second], store=store, resolver=DictResolver(), import_id="i"
        )
    assert [r["external_id"] for r in store.events().to_pylist()] == ["old"]
