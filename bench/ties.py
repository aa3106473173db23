"""Benchmark: events to ties with the DuckDB query set against the same aggregation in pandas.

Run::

    python bench/ties.py                                   # 20,000,000 events, 100,000 people
    python bench/ties.py --events 2000000 --people 20000   # quicker

1. Generates (or reuses, from a cache folder under the temp dir) a synthetic
   organization's events with numpy, straight into Arrow and Parquet: 500 teams
   in 50 departments, most contact inside the team, some inside the
   department, a little anywhere; heavy-tailed activity (senders drawn from
   lognormal activity levels); 1-5 recipients; e-mail, chat, meetings, calls,
   other; 15% of the events are replies to an earlier e-mail; timestamps over
   2025. The Parquet file is loaded into an :class:`EventStore` (also cached).
2. Runs :func:`bridgework.core.events.ties.aggregate_ties` over the store, the
   pandas baseline over the Parquet file, and ``aggregate_ties`` again, each in
   its own subprocess: wall time of the aggregation and the peak resident
   memory of the whole process (``os.wait4`` gives each child's own
   ``ru_maxrss``, so the sides are measured separately). Ours is rated on the
   mean of its two runs, so a burst of load on a shared machine favours
   neither side.
3. The pandas baseline computes the same columns the same way (pairs of sender
   and recipient, pairs of attendees of two-way events, replies by a join on
   ``(source, reply_to)``, channel counts, windows, the decayed weight) and is
   written the fast way a competent analyst would: the recipient lists are
   exploded with Arrow's flatten and ``numpy.repeat`` (``DataFrame.explode``
   over 20M Python lists is far slower), then one ``groupby``. Reading the
   Parquet file into pandas is timed separately and not counted; ours is timed
   over the whole call, from opening the store to the finished Arrow table. Both sides report the
   number of ties and column sums, which must agree.

Targets: ours at least 4x faster than pandas (wall time), and under 4 GB peak
memory. Machines are noisy: compare the numbers of one run with each other.
DuckDB uses both cores and pandas one, so another busy process on a 2-core
machine slows ours more than the baseline; the CPU seconds of each side are
printed too, to tell such a run apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

GENERATOR_VERSION = 2
TARGET_RATIO = 4.0
TARGET_MEMORY_GB = 4.0
AS_OF = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HALF_LIFE_DAYS = 90.0
SUMMED = (
    "events",
    "emails",
    "meetings",
    "calls",
    "chats",
    "introductions",
    "others",
    "one_to_one",
    "group_events",
    "a_to_b",
    "b_to_a",
    "two_way_events",
    "replies",
    "recent_events",
    "previous_events",
    "meeting_minutes",
)

# -------------------------------------------------------------------- data


def _strings(codes: np.ndarray, labels: list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), labels).cast(pa.string())


def generate_events(events: int, people: int, *, teams: int = 500, seed: int = 7) -> pa.Table:
    """``events`` synthetic events among ``people`` people, as an events table."""
    from bridgework.core.events.schema import EVENT_SCHEMA

    rng = np.random.default_rng(seed)
    team_size = people // teams
    dept_size = team_size * 10
    replies = int(events * 0.15)
    base = events - replies

    # Heavy-tailed activity: a few people send far more than most.
    activity = rng.lognormal(mean=0.0, sigma=1.6, size=people)
    cumulative = np.cumsum(activity)
    senders = np.searchsorted(cumulative, rng.random(base) * cumulative[-1])  # 0-based
    senders = np.minimum(senders, people - 1)

    counts = rng.choice([1, 2, 3, 4, 5], size=base, p=[0.5, 0.2, 0.13, 0.1, 0.07])
    # email, chat, meeting, call, other
    channel = rng.choice(5, size=base, p=[0.5, 0.27, 0.16, 0.05, 0.02])
    counts[channel == 3] = 1  # calls are one-to-one

    # Where the recipients are: the team, the department, or anywhere.
    scope = rng.choice(3, size=base, p=[0.963, 0.03, 0.007])
    scope_size = np.where(scope == 0, team_size, np.where(scope == 1, dept_size, people))
    scope_size = np.minimum(scope_size, people)
    scope_start = (senders // scope_size) * scope_size
    position = senders - scope_start

    # Distinct offsets around a ring inside the scope: near colleagues more often.
    event_of = np.repeat(np.arange(base), counts)
    size_of = scope_size[event_of]
    cap = np.maximum((size_of - 1) // 5, 1)
    step = np.minimum(rng.geometric(np.where(scope[event_of] == 0, 0.28, 0.01)), cap)
    step = np.where(scope[event_of] == 2, rng.integers(1, cap + 1), step)
    offsets = np.cumsum(step)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    offsets -= np.repeat(offsets[starts] - step[starts], counts)
    sign = np.where(rng.random(base) < 0.5, 1, -1)[event_of]
    recipients = (
        scope_start[event_of] + (position[event_of] + sign * offsets) % size_of + 1
    ).astype(np.int64)
    senders = senders.astype(np.int64) + 1
    del event_of, size_of, cap, step, offsets, sign

    # Replies: answer an earlier e-mail, from its first recipient to its sender.
    emails = np.flatnonzero(channel == 0)
    parents = emails[rng.integers(0, len(emails), size=replies)]

    start_us = int(dt.datetime(2025, 1, 1, tzinfo=dt.UTC).timestamp() * 1e6)
    year_us = 365 * 86_400 * 1_000_000
    base_times = start_us + rng.integers(0, year_us, size=base)
    reply_times = base_times[parents] + (rng.exponential(6 * 3600, size=replies) * 1e6).astype(
        np.int64
    )

    all_senders = np.concatenate([senders, recipients[starts[parents]]])
    all_counts = np.concatenate([counts, np.ones(replies, dtype=counts.dtype)])
    all_recipients = np.concatenate([recipients, senders[parents]])
    all_channel = np.concatenate([channel, np.zeros(replies, dtype=channel.dtype)])
    times = np.concatenate([base_times, reply_times])
    reply_to = np.concatenate([np.full(base, -1), parents])
    del recipients, senders

    # Stored in time order, like a store filled by imports.
    order = np.argsort(times, kind="stable")
    list_offsets = np.concatenate([[0], np.cumsum(all_counts)]).astype(np.int32)
    recipient_lists = pa.ListArray.from_arrays(pa.array(list_offsets), pa.array(all_recipients))
    take = pa.array(order)
    ids = pa.array(np.arange(events)).cast(pa.string())
    reply_ids = pa.array(reply_to[order], mask=reply_to[order] < 0).cast(pa.string())
    channel_sorted = all_channel[order]
    two_way = (channel_sorted == 2) | (channel_sorted == 3)
    duration = rng.choice(np.array([15, 30, 45, 60], dtype=np.int32), size=events)
    counts_sorted = all_counts[order]
    table = pa.table(
        {
            "source": _strings(np.zeros(events, dtype=np.int32), ["bench"]),
            "external_id": pc.take(ids, take),
            "occurred_at": pa.array(times[order], pa.timestamp("us", tz="UTC")),
            "channel": _strings(channel_sorted, ["email", "chat", "meeting", "call", "other"]),
            "sender_id": pa.array(all_senders[order]),
            "recipient_ids": pc.take(recipient_lists, take),
            "direction": _strings(two_way.astype(np.int32), ["one_way", "two_way"]),
            "is_group": pa.array(counts_sorted > 1),
            "duration_minutes": pa.array(duration, mask=~two_way),
            "reply_to": reply_ids,
            "thread_id": pa.nulls(events, pa.string()),
            "import_id": pa.nulls(events, pa.string()),
        }
    )
    return table.cast(EVENT_SCHEMA)


def cached_data(cache: Path, events: int, people: int, seed: int) -> tuple[Path, Path]:
    """The Parquet file and the event store of this size, generated once."""
    from bridgework.core.events.store import EventStore

    stem = f"ties-{events}-{people}-seed{seed}-v{GENERATOR_VERSION}"
    parquet = cache / f"{stem}.parquet"
    store_path = cache / f"{stem}.duckdb"
    if parquet.exists():
        print(f"reusing {parquet} ({parquet.stat().st_size / 1e6:,.0f} MB)")
    else:
        started = time.perf_counter()
        table = generate_events(events, people, seed=seed)
        partial = parquet.with_suffix(".partial")
        pq.write_table(table, partial, row_group_size=1_000_000)
        partial.replace(parquet)
        print(
            f"generated {table.num_rows:,} events in {time.perf_counter() - started:.1f} s "
            f"-> {parquet} ({parquet.stat().st_size / 1e6:,.0f} MB)",
            flush=True,
        )
        del table
    if store_path.exists():
        print(f"reusing {store_path}")
    else:
        started = time.perf_counter()
        partial = store_path.with_suffix(".partial.duckdb")
        partial.unlink(missing_ok=True)
        store = EventStore(partial)
        with store.connect() as connection:
            # Straight from the Parquet file: the generated ids are unique, so the
            # de-duplicating write path (write_events) is not what is measured here.
            connection.execute("SET enable_progress_bar = false").fetchall()
            connection.execute(
                "INSERT INTO events SELECT * FROM read_parquet(?)", [str(parquet)]
            ).fetchall()
            connection.execute("CHECKPOINT").fetchall()
        partial.replace(store_path)
        print(f"loaded the event store in {time.perf_counter() - started:.1f} s", flush=True)
    return parquet, store_path


# -------------------------------------------------------------------- the two sides


def _summary(frame_or_table) -> dict:
    if isinstance(frame_or_table, pa.Table):
        table = frame_or_table
        sums = {name: int(pc.sum(table[name]).as_py() or 0) for name in SUMMED}
        weight = float(pc.sum(table["decayed_weight"]).as_py() or 0.0)
        two_way = int(table.num_rows - table["last_two_way"].null_count)
        rows = table.num_rows
    else:
        frame = frame_or_table
        sums = {name: int(frame[name].sum()) for name in SUMMED}
        weight = float(frame["decayed_weight"].sum())
        two_way = int(frame["last_two_way"].notna().sum())
        rows = len(frame)
    return {"ties": rows, "sums": sums, "decayed_weight": weight, "with_two_way": two_way}


def run_ours(store_path: Path) -> dict:
    from bridgework.core.events.store import EventStore
    from bridgework.core.events.ties import aggregate_ties

    store = EventStore(store_path)
    started, cpu = time.perf_counter(), time.process_time()
    table = aggregate_ties(store, as_of=AS_OF, half_life_days=HALF_LIFE_DAYS)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, **_summary(table)}


def pandas_ties(events: pa.Table, *, as_of: dt.datetime, half_life_days: float):
    """The same aggregation as ``aggregate_ties``, in pandas and numpy."""
    import pandas as pd

    from bridgework.core.events.ties import CHANNEL_WEIGHTS, RECENT_WINDOW_DAYS

    as_of_us = int(as_of.timestamp() * 1_000_000)
    day_us = 86_400_000_000
    recent_start = as_of_us - RECENT_WINDOW_DAYS * day_us
    previous_start = as_of_us - 2 * RECENT_WINDOW_DAYS * day_us

    lists = events["recipient_ids"].combine_chunks()
    frame = pd.DataFrame(
        {
            "source": events["source"].to_pandas(),
            "external_id": events["external_id"].to_pandas(),
            "t": events["occurred_at"].cast(pa.int64()).to_numpy(),
            "channel": events["channel"].to_pandas().astype("category"),
            "two_way": (events["direction"].to_pandas() == "two_way").to_numpy(),
            "sender": events["sender_id"].to_pandas().fillna(-1).astype("int64").to_numpy(),
            "reply_to": events["reply_to"].to_pandas(),
            "minutes": events["duration_minutes"].to_pandas().fillna(0).astype("int64"),
            "n_recipients": pc.list_value_length(lists).to_numpy(zero_copy_only=False),
        }
    )
    flat = pc.list_flatten(lists).to_numpy()
    parent = pc.list_parent_indices(lists).to_numpy()
    return _pandas_aggregate(
        frame,
        flat,
        parent,
        as_of_us=as_of_us,
        recent_start=recent_start,
        previous_start=previous_start,
        half_life_days=half_life_days,
        weights=CHANNEL_WEIGHTS,
    )


def _pandas_aggregate(
    frame, flat, parent, *, as_of_us, recent_start, previous_start, half_life_days, weights
):
    import pandas as pd

    # Replies: the sender of the answered message (looked up among all stored events).
    parents = frame.loc[frame["t"] <= as_of_us, ["source", "external_id", "sender"]]
    asks = frame.loc[frame["reply_to"].notna() & ~frame["two_way"], ["source", "reply_to"]]
    answered = asks.reset_index().merge(
        parents.rename(columns={"external_id": "reply_to", "sender": "answered"}),
        on=["source", "reply_to"],
        how="inner",
    )
    frame["answered"] = -1
    frame.loc[answered["index"].to_numpy(), "answered"] = answered["answered"].to_numpy()

    keep = (frame["t"] <= as_of_us).to_numpy()
    participants = frame["n_recipients"].to_numpy() + (frame["sender"].to_numpy() >= 0)
    codes = frame["channel"].cat.codes.to_numpy()
    categories = list(frame["channel"].cat.categories)
    code_of = {name: categories.index(name) if name in categories else -9 for name in weights}
    channel_weight = np.full(len(frame), weights["other"])
    for name in ("meeting", "call", "introduction", "email"):
        channel_weight[codes == code_of[name]] = weights[name]
    chat = codes == code_of["chat"]
    channel_weight[chat] = np.where(participants[chat] == 2, weights["chat"], weights["group_chat"])
    age_days = (as_of_us - frame["t"].to_numpy()) / 86_400_000_000
    weight = (
        channel_weight
        / np.sqrt(np.maximum(participants - 1, 1))
        * np.power(0.5, age_days / half_life_days)
    )

    # Explode: the sender with each recipient ...
    sender = frame["sender"].to_numpy()
    pair_event = parent
    other = flat
    ok = keep[pair_event] & (sender[pair_event] >= 0) & (other != sender[pair_event])
    pair_event, other = pair_event[ok], other[ok]
    s = sender[pair_event]
    two_way = frame["two_way"].to_numpy()
    direct = pd.DataFrame(
        {
            "a": np.minimum(s, other),
            "b": np.maximum(s, other),
            "event": pair_event,
            "a_to_b": ~two_way[pair_event] & (s < other),
            "b_to_a": ~two_way[pair_event] & (s > other),
            "reply": frame["answered"].to_numpy()[pair_event] == other,
        }
    )
    # ... and the attendees of two-way events with each other.
    attending = keep[parent] & two_way[parent]
    attendees = pd.DataFrame({"event": parent[attending], "r": flat[attending]})
    met = attendees.merge(attendees, on="event")
    met = met[met["r_x"] < met["r_y"]]
    among = pd.DataFrame(
        {
            "a": met["r_x"].to_numpy(),
            "b": met["r_y"].to_numpy(),
            "event": met["event"].to_numpy(),
            "a_to_b": False,
            "b_to_a": False,
            "reply": False,
        }
    )
    del met, attendees
    pairs = pd.concat([direct, among], ignore_index=True)
    del direct, among
    event = pairs["event"].to_numpy()
    t = frame["t"].to_numpy()[event]
    pair_codes = codes[event]
    known = [code_of[name] for name in ("email", "meeting", "call", "chat", "introduction")]
    pairs = pairs.assign(
        t=t,
        emails=pair_codes == code_of["email"],
        meetings=pair_codes == code_of["meeting"],
        calls=pair_codes == code_of["call"],
        chats=pair_codes == code_of["chat"],
        introductions=pair_codes == code_of["introduction"],
        others=~np.isin(pair_codes, known),
        one_to_one=participants[event] == 2,
        group_events=participants[event] != 2,
        two_way_events=two_way[event],
        t_two_way=np.where(two_way[event], t, np.iinfo(np.int64).min),
        recent_events=t > recent_start,
        previous_events=(t > previous_start) & (t <= recent_start),
        meeting_minutes=frame["minutes"].to_numpy()[event],
        decayed_weight=weight[event],
    )
    ties = pairs.groupby(["a", "b"], sort=True).agg(
        events=("t", "size"),
        emails=("emails", "sum"),
        meetings=("meetings", "sum"),
        calls=("calls", "sum"),
        chats=("chats", "sum"),
        introductions=("introductions", "sum"),
        others=("others", "sum"),
        one_to_one=("one_to_one", "sum"),
        group_events=("group_events", "sum"),
        a_to_b=("a_to_b", "sum"),
        b_to_a=("b_to_a", "sum"),
        two_way_events=("two_way_events", "sum"),
        replies=("reply", "sum"),
        first_contact=("t", "min"),
        last_contact=("t", "max"),
        last_two_way=("t_two_way", "max"),
        recent_events=("recent_events", "sum"),
        previous_events=("previous_events", "sum"),
        meeting_minutes=("meeting_minutes", "sum"),
        decayed_weight=("decayed_weight", "sum"),
    )
    ties["last_two_way"] = ties["last_two_way"].where(
        ties["last_two_way"] != np.iinfo(np.int64).min
    )
    for column in ("first_contact", "last_contact", "last_two_way"):
        ties[column] = pd.to_datetime(ties[column], unit="us", utc=True)
    return ties.reset_index().rename(columns={"a": "person_a", "b": "person_b"})


def run_pandas(parquet: Path) -> dict:
    started = time.perf_counter()
    events = pq.read_table(parquet)
    load_seconds = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    ties = pandas_ties(events, as_of=AS_OF, half_life_days=HALF_LIFE_DAYS)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "load_seconds": load_seconds,
        **_summary(ties),
    }


# -------------------------------------------------------------------- measuring


def measure(side: str, path: Path) -> dict:
    """Run one side in a fresh process; its result plus its own peak memory."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--worker", side, "--path", str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"the {side} run failed (exit {process.returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_gb"] = usage.ru_maxrss * 1024 / 1e9  # ru_maxrss is in KiB on Linux
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bridgework-bench",
        help="where the generated events are kept between runs",
    )
    parser.add_argument("--worker", choices=("ours", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker == "ours":
        print(json.dumps(run_ours(args.path)))
        return 0
    if args.worker == "pandas":
        print(json.dumps(run_pandas(args.path)))
        return 0

    args.cache.mkdir(parents=True, exist_ok=True)
    parquet, store_path = cached_data(args.cache, args.events, args.people, args.seed)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n", flush=True)

    first = measure("ours", store_path)
    print(f"aggregate_ties: {first['ties']:,} ties in {first['seconds']:.2f} s", flush=True)
    base = measure("pandas", parquet)
    print(
        f"pandas:         {base['ties']:,} ties in {base['seconds']:.2f} s "
        f"(+ {base['load_seconds']:.2f} s reading the Parquet file, not counted)",
        flush=True,
    )
    second = measure("ours", store_path)
    print(f"aggregate_ties again: {second['seconds']:.2f} s", flush=True)

    same = (
        first["ties"] == base["ties"]
        and first["sums"] == base["sums"]
        and first["with_two_way"] == base["with_two_way"]
        and abs(first["decayed_weight"] - base["decayed_weight"])
        <= 1e-9 * max(1.0, base["decayed_weight"])
    )
    if not same:
        print("WARNING: the two aggregations disagree:")
        print(f"  ours:   {json.dumps({k: first[k] for k in ('ties', 'sums', 'decayed_weight')})}")
        print(f"  pandas: {json.dumps({k: base[k] for k in ('ties', 'sums', 'decayed_weight')})}")
    ours_seconds = (first["seconds"] + second["seconds"]) / 2
    ours_gb = max(first["peak_gb"], second["peak_gb"])
    ours_cpu = (first["cpu_seconds"] + second["cpu_seconds"]) / 2
    print(f"\n{'':24}{'seconds':>10}{'CPU s':>10}{'peak GB':>10}")
    print(
        f"{'pandas + numpy':24}{base['seconds']:>10.2f}{base['cpu_seconds']:>10.2f}"
        f"{base['peak_gb']:>10.2f}"
    )
    print(f"{'bridgework (DuckDB)':24}{ours_seconds:>10.2f}{ours_cpu:>10.2f}{ours_gb:>10.2f}")
    print(
        f"{args.events:,} events, {first['ties']:,} ties, "
        f"{first['sums']['events']:,} pair-events; results {'identical' if same else 'DIFFER'}"
    )
    ratio = base["seconds"] / ours_seconds
    ratio_ok = ratio >= TARGET_RATIO
    memory_ok = ours_gb < TARGET_MEMORY_GB
    print(f"RATIO {ratio:.1f}x (target >= {TARGET_RATIO:g}x): {'PASS' if ratio_ok else 'FAIL'}")
    print(
        f"MEMORY {ours_gb:.2f} GB (target < {TARGET_MEMORY_GB:g} GB): "
        f"{'PASS' if memory_ok else 'FAIL'}"
    )
    print(f"SAME RESULT: {'PASS' if same else 'FAIL'}")
    return 0 if ratio_ok and memory_ok and same else 1


if __name__ == "__main__":
    sys.exit(main())
