"""The event store: idempotent, atomic, mergeable, exportable."""

import datetime as dt

import pyarrow.parquet as pq
import pytest

from bridgework.core.events.store import EventStore

UTC = dt.UTC


def event(external_id, sender, recipients, *, source="mbox", day=1, **extra):
    return dict(
        source=source,
        external_id=external_id,
        occurred_at=dt.datetime(2026, 3, day, 10, 0, tzinfo=UTC),
        channel="email",
        sender_id=sender,
        recipient_ids=recipients,
        direction="one_way",
        **extra,
    )


@pytest.fixture
def store(tmp_path):
    return EventStore(tmp_path / "events.duckdb")


def test_rewriting_the_same_events_adds_nothing(store):
    rows = [event("a", 1, [2]), event("b", 2, [1, 3])]
    first = store.write_events(rows)
    second = store.write_events(rows)
    assert (first.inserted, first.duplicates) == (2, 0)
    assert (second.inserted, second.duplicates) == (0, 2)
    assert store.count() == 2


def test_duplicates_inside_one_batch_are_stored_once(store):
    result = store.write_events([event("a", 1, [2]), event("a", 1, [2])])
    assert (result.inserted, result.duplicates) == (1, 1)


def test_same_external_id_from_two_sources_are_two_events(store):
    store.write_events([event("x", 1, [2], source="mbox"), event("x", 1, [2], source="maildir")])
    assert store.count() == 2


def test_is_group_follows_the_recipients(store):
    store.write_events([event("one", 1, [2]), event("many", 1, [2, 3])])
    table = store.events().to_pylist()
    assert {r["external_id"]: r["is_group"] for r in table} == {"one": False, "many": True}


def test_a_failing_session_leaves_the_store_as_it_was(store):
    store.write_events([event("kept", 1, [2])])
    with pytest.raises(RuntimeError), store.session() as session:
        session.add_events([event("new-1", 1, [3]), event("new-2", 3, [1])])
        raise RuntimeError("the import broke halfway")
    assert [r["external_id"] for r in store.events().to_pylist()] == ["kept"]


def test_naive_times_are_refused(store):
    row = event("a", 1, [2])
    row["occurred_at"] = dt.datetime(2026, 3, 1, 10, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        store.write_events([row])
    assert store.count() == 0


def test_merge_moves_every_reference_and_undo_restores_it(store):
    store.write_events(
        [
            event("a", 7, [2, 3]),  # drop as sender
            event("b", 2, [7, 9]),  # drop as recipient
            event("c", 2, [7, 9]),
            event("d", 9, [7, 9]),  # keep and drop both present
            event("e", 2, [3]),  # untouched
        ]
    )
    store.write_ties(
        [dict(source="viva-p2p", external_id="t", person_a=7, person_b=4, metrics={"s": 0.5})]
    )
    changed = store.reassign_person(drop_id=7, keep_id=9, merge_id="m1")
    assert changed == 5
    after = {
        r["external_id"]: (r["sender_id"], r["recipient_ids"]) for r in store.events().to_pylist()
    }
    assert after == {
        "a": (9, [2, 3]),
        "b": (2, [9]),
        "c": (2, [9]),
        "d": (9, []),
        "e": (2, [3]),
    }
    assert store.ties().to_pylist()[0]["person_a"] == 9
    assert store.undo_reassign(merge_id="m1") == 5
    restored = {
        r["external_id"]: (r["sender_id"], r["recipient_ids"]) for r in store.events().to_pylist()
    }
    assert restored == {
        "a": (7, [2, 3]),
        "b": (2, [7, 9]),
        "c": (2, [7, 9]),
        "d": (9, [7, 9]),
        "e": (2, [3]),
    }
    assert store.ties().to_pylist()[0]["person_a"] == 7


def test_parquet_round_trip(store, tmp_path):
    store.write_events(
        [event("a", 1, [2], import_id="i1"), event("b", 2, [1, 3], duration_minutes=30)]
    )
    path = tmp_path / "out" / "events.parquet"
    assert store.export_parquet(path) == 2
    read_back = pq.read_table(path).to_pylist()
    assert [r["external_id"] for r in read_back] == ["a", "b"]
    other = EventStore(tmp_path / "other.duckdb")
    assert other.import_parquet(path).inserted == 2
    assert other.import_parquet(path).inserted == 0
    assert other.events().to_pylist() == store.events().to_pylist()


def test_reading_a_file_that_is_not_parquet_names_it(store, tmp_path):
    bogus = tmp_path / "notes.parquet"
    bogus.write_text("hello")
    with pytest.raises(ValueError, match="notes.parquet: expected a Parquet file"):
        store.import_parquet(bogus)


def test_replace_and_delete_app_events(store):
    store.replace_events(source="app", rows=[event("interaction:1", 1, [2], source="app")])
    store.replace_events(source="app", rows=[event("interaction:1", 1, [2, 3], source="app")])
    assert [r["recipient_ids"] for r in store.events(source="app").to_pylist()] == [[2, 3]]
    assert store.delete_events(source="app", external_ids=["interaction:1"]) == 1
    assert store.count() == 0


def test_delete_import_removes_only_that_import(store):
    store.write_events([event("a", 1, [2], import_id="i1"), event("b", 1, [2], import_id="i2")])
    assert store.delete_import("i1") == 1
    assert [r["external_id"] for r in store.events().to_pylist()] == ["b"]


def test_events_of_one_person(store):
    store.write_events([event("a", 1, [2]), event("b", 3, [1]), event("c", 3, [4])])
    assert [r["external_id"] for r in store.events(person_id=1).to_pylist()] == ["a", "b"]


def test_count_events_matches_the_events_it_counts(store):
    store.write_events(
        [
            event("a", 1, [2]),
            event("b", 3, [1], source="ics"),
            event("c", 3, [4]),
            event("d", 2, [1, 3], source="ics"),
        ]
    )
    # Expected counts read off the four rows above, not computed by the store.
    expected = {
        (None, None): 4,
        (1, None): 3,  # sender of a, recipient of b and d
        (None, "ics"): 2,
        (1, "ics"): 2,
        (4, "mbox"): 1,
        (4, "ics"): 0,
        (99, None): 0,
    }
    for (person_id, source), count in expected.items():
        assert store.count_events(person_id=person_id, source=source) == count
        assert store.events(person_id=person_id, source=source).num_rows == count


def test_count_events_on_a_new_store_is_zero(tmp_path):
    assert EventStore(tmp_path / "new" / "events.duckdb").count_events() == 0


def test_options_are_fixed_at_construction(tmp_path):
    store = EventStore(tmp_path / "events.duckdb", lock_timeout=2)
    assert (store.path, store.lock_timeout) == (tmp_path / "events.duckdb", 2.0)
    with pytest.raises(AttributeError):
        store.lock_timeout = 5  # type: ignore[misc]  # read-only on purpose: that is the test
    with pytest.raises(AttributeError):
        store.path = tmp_path / "other.duckdb"  # type: ignore[misc]  # as above
    assert EventStore(tmp_path / "e.duckdb").lock_timeout == 60.0
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="lock_timeout"):
            EventStore(tmp_path / "e.duckdb", lock_timeout=bad)
