"""Erasing a person from the event store: what goes, what stays, and for whom.

The expected rows below are worked out by hand from the rules in
:meth:`EventStore.erase_person`'s docstring (a one-way message of theirs goes,
they leave every other event, an event left with fewer than two people goes),
not by running the code.
"""

import datetime as dt

import pytest

from bridgework.core.events.store import EventStore
from bridgework.core.events.ties import aggregate_ties

UTC = dt.UTC
GONE = 7  # the person erased


def event(external_id, sender, recipients, *, direction="one_way", channel="email", day=1):
    return dict(
        source="test",
        external_id=external_id,
        occurred_at=dt.datetime(2026, 3, day, 10, 0, tzinfo=UTC),
        channel=channel,
        sender_id=sender,
        recipient_ids=recipients,
        direction=direction,
    )


def meeting(external_id, organizer, attendees, *, day=1):
    return event(external_id, organizer, attendees, direction="two_way", channel="meeting", day=day)


@pytest.fixture
def store(tmp_path):
    store = EventStore(tmp_path / "events.duckdb")
    store.write_events(
        [
            event("their-mail", GONE, [2, 3]),  # theirs, one way: deleted
            event("to-them", 2, [GONE]),  # only the sender is left: deleted
            event("to-them-and-3", 2, [GONE, 3]),  # 2 and 3 are left: kept without them
            meeting("their-meeting", GONE, [2, 3]),  # 2 and 3 met: kept, no organizer
            meeting("their-1on1", GONE, [2]),  # only 2 is left: deleted
            meeting("attended", 4, [GONE, 5, 6]),  # kept without them
            event("others", 2, [3, 4]),  # not theirs: untouched
        ]
    )
    store.write_ties(
        [
            {"source": "viva", "external_id": "t1", "person_a": 2, "person_b": GONE},
            {"source": "viva", "external_id": "t2", "person_a": 2, "person_b": 3},
        ]
    )
    return store


def rows(store):
    return {
        r["external_id"]: (r["sender_id"], r["recipient_ids"], r["is_group"])
        for r in store.events().to_pylist()
    }


def test_erasure_deletes_their_messages_and_takes_them_out_of_every_other_event(store):
    result = store.erase_person(GONE)
    assert rows(store) == {
        "to-them-and-3": (2, [3], False),
        "their-meeting": (None, [2, 3], True),
        "attended": (4, [5, 6], True),
        "others": (2, [3, 4], True),
    }
    assert (result.events_deleted, result.events_anonymised, result.ties_deleted) == (3, 3, 1)
    # Everyone else who shared an event or a source tie with them, by id.
    assert result.people_affected == (2, 3, 4, 5, 6)
    assert [(t["person_a"], t["person_b"]) for t in store.ties().to_pylist()] == [(2, 3)]
    assert store.count_events(person_id=GONE) == 0


def test_erasing_twice_changes_nothing_more(store):
    store.erase_person(GONE)
    before = rows(store)
    again = store.erase_person(GONE)
    assert rows(store) == before
    assert (again.events_deleted, again.events_anonymised, again.ties_deleted) == (0, 0, 0)
    assert again.people_affected == ()


def test_the_ties_between_the_others_survive_and_none_reaches_them(store):
    """After the erasure, pairs come only from the events kept: 2-3 (2's mail
    to 3 and the meeting they organized), 2-4 (the untouched mail; it is one
    way, so 3-4 get nothing from it), 4-5, 4-6 and 5-6 (the meeting they
    attended)."""
    store.erase_person(GONE)
    ties = aggregate_ties(store, as_of=dt.datetime(2026, 3, 2, tzinfo=UTC))
    pairs = {(t["person_a"], t["person_b"]) for t in ties.to_pylist()}
    assert pairs == {(2, 3), (2, 4), (4, 5), (4, 6), (5, 6)}
    assert all(GONE not in pair for pair in pairs)


def test_no_merge_undo_can_bring_them_back(store):
    """A merge of 9 into 2 remembered the old recipients of the meeting they
    attended; after the erasure, undoing that merge restores 9 but not them."""
    store.write_events([meeting("with-9", 9, [GONE, 3])])
    store.reassign_person(drop_id=9, keep_id=2, merge_id="merge-1")
    store.erase_person(GONE)
    store.undo_reassign(merge_id="merge-1")
    assert rows(store)["with-9"] == (9, [3], False)


def test_the_undo_rows_of_their_own_merges_go_entirely(store):
    store.write_events([event("from-8", 8, [3])])
    store.reassign_person(drop_id=8, keep_id=GONE, merge_id="merge-2")
    result = store.erase_person(GONE, merge_ids=["merge-2"])
    assert result.undo_rows_changed == 1
    with store.connect(read_only=True) as c:
        assert c.sql("SELECT count(*) FROM merge_undo").fetchall() == [(0,)]
    # The mail 8 sent (re-pointed to them by the merge) went with them: one way, theirs.
    assert "from-8" not in rows(store)


def test_a_failing_erasure_leaves_the_store_as_it_was(store, monkeypatch):
    before = rows(store)

    from bridgework.core.events import store as store_module

    calls = {"n": 0}
    original = store_module._count_of

    def count_then_fail(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # after the events were deleted, before the ties
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(store_module, "_count_of", count_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        store.erase_person(GONE)
    monkeypatch.undo()
    assert rows(store) == before
