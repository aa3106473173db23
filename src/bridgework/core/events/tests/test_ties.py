"""Tie aggregation: values computed by hand, an independent Python implementation,
and a synthetic temporal e-mail network modelled on SNAP email-Eu-core
(``tests/data/email-network-synthetic``, see its SOURCE.md)."""

import datetime as dt
import gzip
import math
import random
from collections import Counter, defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from bridgework.core.events.schema import EVENT_SCHEMA
from bridgework.core.events.store import EventStore
from bridgework.core.events.ties import (
    CHANNEL_WEIGHTS,
    TIE_FEATURE_COLUMNS,
    TIE_FEATURE_SCHEMA,
    TIE_FEATURES_SQL,
    aggregate_ties,
    aggregate_ties_dataframe,
)
from bridgework.testsupport import sample_path

UTC = dt.UTC
AS_OF = dt.datetime(2026, 3, 31, tzinfo=UTC)


def at(year, month, day, hour=0):
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


def event(external_id, when, channel, sender, recipients, direction, *, source="t", **extra):
    return dict(
        source=source,
        external_id=external_id,
        occurred_at=when,
        channel=channel,
        sender_id=sender,
        recipient_ids=recipients,
        direction=direction,
        **extra,
    )


@pytest.fixture
def store(tmp_path):
    return EventStore(tmp_path / "events.duckdb")


# Four people: 1, 2, 3, 4. as_of = 2026-03-31 00:00 UTC; ages in days in brackets.
HAND_EVENTS = [
    # [30] a meeting of three, 60 minutes: 1-2, 1-3 and, as attendees, 2-3
    event("e1", at(2026, 3, 1), "meeting", 1, [2, 3], "two_way", duration_minutes=60),
    # [20] an e-mail 1 -> 2
    event("e2", at(2026, 3, 11), "email", 1, [2], "one_way"),
    # [10] 2 -> 1 answering e2, which 1 sent: a reply for 1-2
    event("e3", at(2026, 3, 21), "email", 2, [1], "one_way", reply_to="e2"),
    # [0.5] a group chat post of 3 to 1, 2, 4: pairs 1-3, 2-3, 3-4 only (one-way:
    # the readers did not interact with each other)
    event("e4", at(2026, 3, 30, 12), "chat", 3, [1, 2, 4], "one_way"),
    # [120] a call 1 - 4, 30 minutes (in the previous 90-day window)
    event("e5", at(2025, 12, 1), "call", 1, [4], "two_way", duration_minutes=30),
    # [150] an e-mail 4 -> 1, 2 (previous window)
    event("e6", at(2025, 11, 1), "email", 4, [1, 2], "one_way"),
    # [6] 1 -> 4 answering e6, sent by 4: a reply for 1-4
    event("e7", at(2026, 3, 25), "email", 1, [4], "one_way", reply_to="e6"),
    # [44] an introduction by 2 of 3 and 4: 2-3, 2-4 and 3-4 met
    event("e8", at(2026, 2, 15), "introduction", 2, [3, 4], "two_way"),
    # after as_of: ignored
    event("e9", at(2026, 4, 2), "meeting", 1, [2], "two_way", duration_minutes=45),
    # [26] 3 -> 2 "answering" e2, which 1 sent (not 2): no reply for 2-3
    event("e10", at(2026, 3, 5), "email", 3, [2], "one_way", reply_to="e2"),
    # [16] 2 -> 1 answering e2 of *another source*, which does not exist: no reply
    event("e12", at(2026, 3, 15), "email", 2, [1], "one_way", source="x", reply_to="e2"),
    # [303] something else, 3 -> 4, long ago (outside both windows)
    event("e13", at(2025, 6, 1), "other", 3, [4], "one_way"),
    # [0.25] 4 -> 1 answering e9, which lies after as_of: no reply
    event("e14", at(2026, 3, 30, 18), "email", 4, [1], "one_way", reply_to="e9"),
]


def decay(age_days):
    return 0.5 ** (age_days / 90)


# Worked by hand from the events above. Weights: meeting/call 1.0, introduction
# 0.8, e-mail 0.6, group chat 0.2, other 0.5; divided by sqrt(participants - 1).
HAND_TIES = {
    (1, 2): dict(
        # e1 (meeting of 3), e2 (1->2), e3 (2->1, reply to e2), e12 (2->1)
        events=4, emails=3, meetings=1, calls=0, chats=0, introductions=0, others=0,
        one_to_one=3, group_events=1, a_to_b=1, b_to_a=2, two_way_events=1, replies=1,
        first_contact=at(2026, 3, 1), last_contact=at(2026, 3, 21),
        last_two_way=at(2026, 3, 1), recent_events=4, previous_events=0, meeting_minutes=60,
        decayed_weight=1.0 / math.sqrt(2) * decay(30)
        + 0.6 * decay(20) + 0.6 * decay(10) + 0.6 * decay(16),
    ),  # = 0.561231 + 0.514346 + 0.555525 + 0.530438 = 2.161540
    (1, 3): dict(
        # e1 (meeting of 3), e4 (3->1, group chat of 4)
        events=2, emails=0, meetings=1, calls=0, chats=1, introductions=0, others=0,
        one_to_one=0, group_events=2, a_to_b=0, b_to_a=1, two_way_events=1, replies=0,
        first_contact=at(2026, 3, 1), last_contact=at(2026, 3, 30, 12),
        last_two_way=at(2026, 3, 1), recent_events=2, previous_events=0, meeting_minutes=60,
        decayed_weight=1.0 / math.sqrt(2) * decay(30) + 0.2 / math.sqrt(3) * decay(0.5),
    ),  # = 0.561231 + 0.115026 = 0.676257
    (1, 4): dict(
        # e5 (call), e6 (4->1,2), e7 (1->4, reply to e6), e14 (4->1, its parent is ignored)
        events=4, emails=3, meetings=0, calls=1, chats=0, introductions=0, others=0,
        one_to_one=3, group_events=1, a_to_b=1, b_to_a=2, two_way_events=1, replies=1,
        first_contact=at(2025, 11, 1), last_contact=at(2026, 3, 30, 18),
        last_two_way=at(2025, 12, 1), recent_events=2, previous_events=2, meeting_minutes=30,
        decayed_weight=1.0 * decay(120) + 0.6 / math.sqrt(2) * decay(150)
        + 0.6 * decay(6) + 0.6 * decay(0.25),
    ),  # = 0.396850 + 0.133635 + 0.572905 + 0.598846 = 1.702236
    (2, 3): dict(
        # e1 (2 and 3 attended), e4 (3->2, group chat), e8 (introduction by 2), e10 (3->2)
        events=4, emails=1, meetings=1, calls=0, chats=1, introductions=1, others=0,
        one_to_one=1, group_events=3, a_to_b=0, b_to_a=2, two_way_events=2, replies=0,
        first_contact=at(2026, 2, 15), last_contact=at(2026, 3, 30, 12),
        last_two_way=at(2026, 3, 1), recent_events=4, previous_events=0, meeting_minutes=60,
        decayed_weight=1.0 / math.sqrt(2) * decay(30) + 0.2 / math.sqrt(3) * decay(0.5)
        + 0.8 / math.sqrt(2) * decay(44) + 0.6 * decay(26),
    ),  # = 0.561231 + 0.115026 + 0.403093 + 0.491119 = 1.570469
    (2, 4): dict(
        # e6 (4->1,2), e8 (introduction by 2 of 3 and 4)
        events=2, emails=1, meetings=0, calls=0, chats=0, introductions=1, others=0,
        one_to_one=0, group_events=2, a_to_b=0, b_to_a=1, two_way_events=1, replies=0,
        first_contact=at(2025, 11, 1), last_contact=at(2026, 2, 15),
        last_two_way=at(2026, 2, 15), recent_events=1, previous_events=1, meeting_minutes=0,
        decayed_weight=0.6 / math.sqrt(2) * decay(150) + 0.8 / math.sqrt(2) * decay(44),
    ),  # = 0.133635 + 0.403093 = 0.536727
    (3, 4): dict(
        # e4 (3->4, group chat), e8 (3 and 4 introduced), e13 (other, 3->4)
        events=3, emails=0, meetings=0, calls=0, chats=1, introductions=1, others=1,
        one_to_one=1, group_events=2, a_to_b=2, b_to_a=0, two_way_events=1, replies=0,
        first_contact=at(2025, 6, 1), last_contact=at(2026, 3, 30, 12),
        last_two_way=at(2026, 2, 15), recent_events=2, previous_events=0, meeting_minutes=0,
        decayed_weight=0.2 / math.sqrt(3) * decay(0.5) + 0.8 / math.sqrt(2) * decay(44)
        + 0.5 * decay(303),
    ),  # = 0.115026 + 0.403093 + 0.048473 = 0.566592
}  # fmt: skip


def test_hand_computed_ties(store):
    store.write_events(HAND_EVENTS)
    table = aggregate_ties(store, as_of=AS_OF)
    assert table.schema == TIE_FEATURE_SCHEMA
    assert tuple(table.column_names) == TIE_FEATURE_COLUMNS
    rows = {(r["person_a"], r["person_b"]): r for r in table.to_pylist()}
    assert list(rows) == sorted(HAND_TIES)  # one row per pair, a < b, sorted
    for pair, expected in HAND_TIES.items():
        row = rows[pair]
        for name, value in expected.items():
            if name == "decayed_weight":
                assert row[name] == pytest.approx(value, abs=1e-9), (pair, name)
            else:
                assert row[name] == value, (pair, name)


def test_hand_computed_decayed_weights_in_numbers(store):
    """The same weights as plain numbers (6 decimals, worked on a calculator)."""
    store.write_events(HAND_EVENTS)
    weights = {
        (r["person_a"], r["person_b"]): round(r["decayed_weight"], 6)
        for r in aggregate_ties(store, as_of=AS_OF).to_pylist()
    }
    assert weights == {
        (1, 2): 2.161540,
        (1, 3): 0.676257,
        (1, 4): 1.702236,
        (2, 3): 1.570469,
        (2, 4): 0.536727,
        (3, 4): 0.566592,
    }


def test_people_limits_to_pairs_touching_them(store):
    store.write_events(HAND_EVENTS)
    everything = aggregate_ties(store, as_of=AS_OF).to_pylist()
    only_four = aggregate_ties(store, as_of=AS_OF, people=[4]).to_pylist()
    assert only_four == [r for r in everything if 4 in (r["person_a"], r["person_b"])]
    assert aggregate_ties(store, as_of=AS_OF, people=[]).num_rows == 0
    assert aggregate_ties(store, as_of=AS_OF, people=[99]).num_rows == 0


def test_half_life_and_channel_weights(store):
    store.write_events([event("a", at(2026, 1, 1), "email", 1, [2], "one_way")])  # 89 days
    as_of = at(2026, 3, 31)
    [row] = aggregate_ties(store, as_of=as_of, half_life_days=89).to_pylist()
    assert row["decayed_weight"] == pytest.approx(0.3, abs=1e-12)
    [row] = aggregate_ties(
        store, as_of=as_of, half_life_days=89, channel_weights={"email": 1}
    ).to_pylist()
    assert row["decayed_weight"] == pytest.approx(0.5, abs=1e-12)
    with pytest.raises(ValueError, match="unknown channel weight"):
        aggregate_ties(store, as_of=as_of, channel_weights={"fax": 1})
    with pytest.raises(ValueError, match="half_life_days"):
        aggregate_ties(store, as_of=as_of, half_life_days=0)


def test_as_of_must_be_aware_and_a_date_means_its_end(store):
    store.write_events([event("a", at(2026, 3, 31, 23), "email", 1, [2], "one_way")])
    with pytest.raises(ValueError, match="timezone-aware"):
        aggregate_ties(store, as_of=dt.datetime(2026, 3, 31))
    assert aggregate_ties(store, as_of=dt.date(2026, 3, 31)).num_rows == 1
    assert aggregate_ties(store, as_of=dt.date(2026, 3, 30)).num_rows == 0


def test_empty_store_gives_an_empty_table(store):
    table = aggregate_ties(store, as_of=AS_OF)
    assert table.num_rows == 0 and table.schema == TIE_FEATURE_SCHEMA


def test_a_meeting_without_organizer_still_ties_its_attendees(store):
    store.write_events([event("m", at(2026, 3, 1), "meeting", None, [5, 6, 7], "two_way")])
    pairs = [
        (r["person_a"], r["person_b"], r["group_events"])
        for r in aggregate_ties(store, as_of=AS_OF).to_pylist()
    ]
    assert pairs == [(5, 6, 1), (5, 7, 1), (6, 7, 1)]


def test_dataframe_for_analysts(store):
    store.write_events(HAND_EVENTS)
    frame = aggregate_ties_dataframe(store, as_of=AS_OF)
    assert list(frame.columns) == list(TIE_FEATURE_COLUMNS)
    assert len(frame) == 6 and str(frame["last_contact"].dt.tz) == "UTC"


def test_the_sql_marks_what_a_spark_port_changes():
    marked = [line for line in TIE_FEATURES_SQL.splitlines() if "[DuckDB]" in line]
    assert any("unnest" in line and "explode" in line for line in marked)
    assert any("epoch_us" in line and "unix_micros" in line for line in marked)


# ------------------------------------------------------------------ independent implementation

CHANNELS = ("email", "meeting", "call", "chat", "introduction", "other", "fax")


def random_events(count, *, seed, people=25):
    rng = random.Random(seed)
    start = at(2025, 1, 1)
    rows: list[dict[str, Any]] = []
    for index in range(count):
        channel = rng.choice(CHANNELS)
        direction = "two_way" if channel in ("meeting", "call", "introduction") else "one_way"
        if rng.random() < 0.05:
            direction = "two_way"  # some "other" contact where everyone took part
        sender = None if rng.random() < 0.03 else rng.randint(1, people)
        others = [p for p in range(1, people + 1) if p != sender]
        recipients = rng.sample(others, rng.choice((1, 1, 1, 2, 3, 5, 8)))
        reply_to, source = None, rng.choice(("mbox", "mbox", "mbox", "slack"))
        if rows and rng.random() < 0.3:
            # Mostly a real answer: a recipient of an earlier message writes to its
            # sender (and maybe others); sometimes a dangling or odd reference.
            parent = rng.choice(rows)
            reply_to = parent["external_id"] if rng.random() < 0.9 else "missing"
            if parent["sender_id"] is not None and rng.random() < 0.8:
                sender = rng.choice(parent["recipient_ids"])
                others = [p for p in range(1, people + 1) if p not in (sender, parent["sender_id"])]
                recipients = [parent["sender_id"], *rng.sample(others, rng.choice((0, 0, 1, 2)))]
                source = parent["source"] if rng.random() < 0.9 else "slack"
        rows.append(
            event(
                f"r{index}",
                start + dt.timedelta(seconds=rng.randrange(0, 500 * 86_400)),
                channel,
                sender,
                recipients,
                direction,
                source=source,
                duration_minutes=rng.choice((None, 15, 30, 60)) if direction == "two_way" else None,
                reply_to=reply_to,
            )
        )
    return rows


def python_ties(rows, *, as_of, half_life_days=90.0):
    """The tie features, written from the definitions without SQL."""
    kept = [r for r in rows if r["occurred_at"] <= as_of]
    by_key = {(r["source"], r["external_id"]): r for r in kept}
    recent_start = as_of - dt.timedelta(days=90)
    previous_start = as_of - dt.timedelta(days=180)
    column_of = {
        "email": "emails",
        "meeting": "meetings",
        "call": "calls",
        "chat": "chats",
        "introduction": "introductions",
    }
    ties: defaultdict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    times: defaultdict[tuple[int, int], list[dt.datetime]] = defaultdict(list)
    two_way_times: defaultdict[tuple[int, int], list[dt.datetime]] = defaultdict(list)
    weight: defaultdict[tuple[int, int], float] = defaultdict(float)
    for r in kept:
        sender, recipients = r["sender_id"], r["recipient_ids"]
        participants = len(recipients) + (sender is not None)
        pairs = []
        if sender is not None:
            pairs += [(sender, other) for other in recipients if other != sender]
        if r["direction"] == "two_way":
            pairs += [(x, y) for i, x in enumerate(recipients) for y in recipients[i + 1 :]]
        parent = by_key.get((r["source"], r.get("reply_to")))
        channel_weight = CHANNEL_WEIGHTS.get(r["channel"], CHANNEL_WEIGHTS["other"])
        if r["channel"] == "chat" and participants > 2:
            channel_weight = CHANNEL_WEIGHTS["group_chat"]
        age = (as_of - r["occurred_at"]).total_seconds() / 86_400
        w = channel_weight / math.sqrt(max(participants - 1, 1)) * 0.5 ** (age / half_life_days)
        for x, y in pairs:
            key = (min(x, y), max(x, y))
            tie = ties[key]
            tie["events"] += 1
            tie[column_of.get(r["channel"], "others")] += 1
            tie["one_to_one" if participants == 2 else "group_events"] += 1
            if r["direction"] == "two_way":
                tie["two_way_events"] += 1
                two_way_times[key].append(r["occurred_at"])
            else:
                tie["a_to_b" if x == key[0] else "b_to_a"] += 1
                if parent is not None and parent["sender_id"] == y and x == sender:
                    tie["replies"] += 1
            if r["occurred_at"] > recent_start:
                tie["recent_events"] += 1
            elif r["occurred_at"] > previous_start:
                tie["previous_events"] += 1
            tie["meeting_minutes"] += r.get("duration_minutes") or 0
            times[key].append(r["occurred_at"])
            weight[key] += w
    result = {}
    for key, tie in ties.items():
        row: dict[str, Any] = {
            name: tie[name] for name in TIE_FEATURE_COLUMNS[2:15] + TIE_FEATURE_COLUMNS[18:21]
        }
        row.update(
            first_contact=min(times[key]),
            last_contact=max(times[key]),
            last_two_way=max(two_way_times[key]) if two_way_times[key] else None,
            decayed_weight=weight[key],
        )
        result[key] = row
    return result


def test_matches_an_independent_python_implementation(store):
    rows = random_events(2_000, seed=20260331)
    store.write_events(rows)
    as_of = at(2026, 2, 1)  # some events lie after it
    expected = python_ties(rows, as_of=as_of)
    table = aggregate_ties(store, as_of=as_of)
    got = {(r["person_a"], r["person_b"]): r for r in table.to_pylist()}
    assert set(got) == set(expected)
    assert sum(r["replies"] for r in expected.values()) > 50  # the test exercises replies
    for key, row in expected.items():
        for name, value in row.items():
            if name == "decayed_weight":
                assert got[key][name] == pytest.approx(value, rel=1e-12), (key, name)
            else:
                assert got[key][name] == value, (key, name)
    # ... and the people filter picks exactly the pairs touching them.
    some = {3, 17}
    scoped = aggregate_ties(store, as_of=as_of, people=some).to_pylist()
    assert {(r["person_a"], r["person_b"]) for r in scoped} == {
        key for key in expected if some & set(key)
    }


# ------------------------------------------------------------------ synthetic e-mail network


def test_synthetic_email_network_temporal_pairs(tmp_path):
    """49,871 timed e-mails of a synthetic institution of 998 people: every
    undirected pair of the edge list (self-loops excluded) is one tie, and the
    directed counts follow the edge list."""
    path = sample_path("email-network-synthetic", "temporal.txt.gz")
    with gzip.open(path, "rt") as handle:
        edges = np.loadtxt(handle, dtype=np.int64)
    # Counts from tests/data/email-network-synthetic/SOURCE.md.
    assert edges.shape == (49_871, 3)
    source, target, seconds = edges[:, 0], edges[:, 1], edges[:, 2]
    assert (source == target).sum() == 965  # e-mails to oneself, which make no tie
    count = len(edges)
    start_us = int(at(2003, 1, 1).timestamp() * 1_000_000)
    table = pa.table(
        {
            "source": pa.array(["synthetic"] * count),
            "external_id": pa.array(np.arange(count)).cast(pa.string()),
            "occurred_at": pa.array(start_us + seconds * 1_000_000, pa.timestamp("us", tz="UTC")),
            "channel": pa.array(["email"] * count),
            "sender_id": pa.array(source),
            "recipient_ids": pa.ListArray.from_arrays(
                pa.array(np.arange(count + 1, dtype=np.int32)), pa.array(target)
            ),
            "direction": pa.array(["one_way"] * count),
            "is_group": pa.array(np.zeros(count, dtype=bool)),
            "duration_minutes": pa.nulls(count, pa.int32()),
            "reply_to": pa.nulls(count, pa.string()),
            "thread_id": pa.nulls(count, pa.string()),
            "import_id": pa.nulls(count, pa.string()),
        }
    ).cast(EVENT_SCHEMA)
    store = EventStore(tmp_path / "synthetic.duckdb")
    assert store.write_events(table).inserted == count
    as_of = at(2003, 1, 1) + dt.timedelta(seconds=int(seconds.max()))
    ties = aggregate_ties(store, as_of=as_of)

    # Independent count straight from the edge list.
    undirected = {
        frozenset((int(a), int(b))) for a, b in zip(source, target, strict=True) if a != b
    }
    directed = Counter((int(a), int(b)) for a, b in zip(source, target, strict=True) if a != b)
    assert ties.num_rows == len(undirected)
    rows = ties.to_pylist()
    assert sum(r["events"] for r in rows) == sum(directed.values())
    for r in rows[::97]:
        a, b = r["person_a"], r["person_b"]
        assert (r["a_to_b"], r["b_to_a"]) == (directed[(a, b)], directed[(b, a)])
        assert r["one_to_one"] == r["events"] and r["emails"] == r["events"]
