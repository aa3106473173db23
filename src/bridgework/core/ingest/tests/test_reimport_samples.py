"""Every format, on a sample file from ``tests/data``, twice: the second import adds nothing."""

import pytest

from bridgework.core.events.store import EventStore
from bridgework.core.ingest import reader
from bridgework.core.ingest.pipeline import run_import
from bridgework.core.ingest.records import ReadOptions, Window
from bridgework.testsupport import sample_path

SAMPLES = [
    ("mbox", ("mbox-exchange-synthetic", "northwind.fenwistle-j.sent.mbox")),
    ("ics", ("ical-vcard-samples", "icalendar-tests", "calendars", "property_params.ics")),
    ("vcard", ("ical-vcard-samples", "vobject-test_files", "radicale-1587.vcf")),
    ("linkedin", ("linkedin-connections-synthetic", "Connections.csv")),
    ("slack", ("slack-export-houstondatavis",)),
    ("viva-person", ("vivainsights-samples", "pq_data.csv.gz")),
    ("viva-p2p", ("vivainsights-samples", "p2p_data.csv")),
]


class KeyResolver:
    """A stand-in for the directory: one id per e-mail, source key or name."""

    def __init__(self):
        self.ids: dict[str, int] = {}

    def _key(self, identity):
        return identity.email or identity.source_key or identity.name

    def identify(self, identities):
        return [self._key(i) or None for i in identities]

    def resolve(self, identities):
        return [
            self.ids.setdefault(self._key(i), len(self.ids) + 1) if self._key(i) else None
            for i in identities
        ]

    def add_contacts(self, contacts):
        self.resolve([c.identity for c in contacts])
        return len(contacts)


@pytest.mark.parametrize(("format_name", "parts"), SAMPLES, ids=[name for name, _ in SAMPLES])
def test_reimporting_a_sample_adds_nothing(tmp_path, format_name, parts):
    path = sample_path(*parts)
    store = EventStore(tmp_path / "events.duckdb")
    resolver = KeyResolver()
    options = ReadOptions(window=Window())
    first = run_import(
        reader(format_name),
        [path],
        store=store,
        resolver=resolver,
        import_id="first",
        options=options,
    )
    events, ties = store.count(), store.count(table="source_ties")
    assert first.records_read > 0
    assert first.events_imported == events and first.ties_imported == ties
    assert first.records_read == first.records_stored + first.records_skipped + first.issue_count
    second = run_import(
        reader(format_name),
        [path],
        store=store,
        resolver=resolver,
        import_id="second",
        options=options,
    )
    assert (second.events_imported, second.ties_imported) == (0, 0)
    assert second.duplicates_skipped == events + ties
    assert second.records_read == first.records_read
    assert second.records_read == (
        second.records_stored + second.records_skipped + second.issue_count
    )
    assert (store.count(), store.count(table="source_ties")) == (events, ties)
