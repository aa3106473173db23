"""Benchmark: mbox import throughput against Python's mailbox + email, and event-store writes.

Run::

    python bench/ingest.py                 # 500 MB mbox, 1,000,000 events
    python bench/ingest.py --size-mb 50    # quicker

1. Generates (or reuses, from a cache folder under the temp dir) a realistic
   mbox of ``--size-mb`` megabytes with ``bench/mbox_generator.py``.
2. Reads it with Python's ``mailbox.mbox`` (each message parsed by the
   ``email`` package, default ``compat32`` policy), taking the same headers we
   need (From, To, Cc, Bcc, Date, Message-ID, In-Reply-To) and parsing the
   addresses and dates with ``email.utils``: the baseline.
3. Reads it with :func:`bridgework.core.ingest.mbox.read_mbox` before and
   after the baseline, in the same run, from the same (warm) page cache, and
   prints MB/s, messages/s (mean of the two reads) and the ratio; the target
   is at least 5x the baseline.
4. Writes 1,000,000 events to a fresh :class:`~bridgework.core.events.store.EventStore`
   (target: under 30 s), once as one Arrow table and once the way
   ``run_import`` does it (dict rows in batches of 20,000 in one session), then
   writes the same events again to show that re-importing adds nothing.

Machines are noisy: compare the numbers of one run with each other. The
baseline stops after ``--baseline-seconds`` (default 400) and is rated on the
bytes it got through, so the whole run stays under about ten minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import mailbox
import os
import random
import sys
import tempfile
import time
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mbox_generator import GENERATOR_VERSION, generate_mbox

from bridgework.core.events.schema import EVENT_SCHEMA
from bridgework.core.events.store import EventStore
from bridgework.core.ingest.mbox import read_mbox
from bridgework.core.ingest.records import EventRecord

TARGET_RATIO = 5.0
TARGET_STORE_SECONDS = 30.0


def cached_mbox(cache: Path, size_mb: float, seed: int) -> Path:
    path = cache / f"bench-{size_mb:g}mb-seed{seed}-v{GENERATOR_VERSION}.mbox"
    if path.exists() and path.stat().st_size >= size_mb * 1_000_000:
        print(f"reusing {path} ({path.stat().st_size / 1e6:,.1f} MB)")
        return path
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    result = generate_mbox(partial, size_mb=size_mb, seed=seed)
    partial.replace(path)
    print(
        f"generated {path} ({result.bytes / 1e6:,.1f} MB, {result.messages:,} messages) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return path


def warm_page_cache(path: Path) -> None:
    with open(path, "rb") as handle:
        while handle.read(1 << 24):
            pass


def run_baseline(path: Path, budget_seconds: float) -> tuple[float, int, int, bool]:
    """Seconds, messages and bytes done by mailbox + email; ``True`` if complete."""
    started = time.perf_counter()
    box = mailbox.mbox(path, create=False)
    messages = 0
    done_bytes = 0
    complete = True
    for key in box.iterkeys():
        message = box[key]
        addresses = getaddresses(
            message.get_all("From", [])
            + message.get_all("To", [])
            + message.get_all("Cc", [])
            + message.get_all("Bcc", [])
        )
        _ = (addresses, message["Message-ID"], message["In-Reply-To"])
        with contextlib.suppress(TypeError, ValueError):
            parsedate_to_datetime(message["Date"])
        messages += 1
        done_bytes = box._toc[key][1]  # end of this message in the file
        if time.perf_counter() - started > budget_seconds:
            complete = False
            break
    box.close()
    return time.perf_counter() - started, messages, done_bytes, complete


def run_ours(path: Path) -> tuple[float, int, int]:
    started = time.perf_counter()
    events = issues = 0
    for record in read_mbox(path):
        if isinstance(record, EventRecord):
            events += 1
        else:
            issues += 1
    return time.perf_counter() - started, events, issues


def event_rows(count: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    people = 100_000
    rows = []
    for index in range(count):
        recipients = rng.sample(range(1, people), rng.choice((1, 1, 1, 2, 3, 5)))
        rows.append(
            {
                "source": "mbox",
                "external_id": f"{index:08d}.{rng.getrandbits(40):010x}@bench.example",
                "occurred_at": start + dt.timedelta(seconds=index * 31),
                "channel": "email",
                "sender_id": rng.randrange(1, people),
                "recipient_ids": recipients,
                "direction": "one_way",
                "is_group": len(recipients) > 1,
                "duration_minutes": None,
                "reply_to": f"{index - 1:08d}@bench.example" if index % 3 == 0 else None,
                "thread_id": None,
                "import_id": "bench",
            }
        )
    return rows


def run_store(folder: Path, count: int) -> list[tuple[str, float, int]]:
    print(f"\nbuilding {count:,} events ...", flush=True)
    rows = event_rows(count)
    table = pa.Table.from_pylist(rows, schema=EVENT_SCHEMA)
    results = []

    store = EventStore(folder / "arrow.duckdb")
    started = time.perf_counter()
    written = store.write_events(table)
    results.append(("one Arrow table", time.perf_counter() - started, written.inserted))
    started = time.perf_counter()
    again = store.write_events(table)
    results.append(("the same again (re-import)", time.perf_counter() - started, again.inserted))

    store = EventStore(folder / "batches.duckdb")
    started = time.perf_counter()
    inserted = 0
    with store.session() as session:
        for offset in range(0, count, 20_000):
            inserted += session.add_events(rows[offset : offset + 20_000]).inserted
    results.append(
        ("dict rows, 20,000 a batch, one session", time.perf_counter() - started, inserted)
    )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=500, help="mbox size (default 500)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--events", type=int, default=1_000_000, help="events to store")
    parser.add_argument("--baseline-seconds", type=float, default=400)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bridgework-bench",
        help="where the generated mbox is kept between runs",
    )
    parser.add_argument("--skip-store", action="store_true")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)

    path = cached_mbox(args.cache, args.size_mb, args.seed)
    size = path.stat().st_size
    warm_page_cache(path)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n", flush=True)

    # read_mbox runs before and after the baseline and is rated on the mean of
    # both, so that a burst of load on a shared machine does not favour either side.
    before_seconds, events, issues = run_ours(path)
    messages = events + issues
    print(f"read_mbox: {events:,} events + {issues:,} issues in {before_seconds:.2f} s", flush=True)
    base_seconds, base_messages, base_bytes, complete = run_baseline(path, args.baseline_seconds)
    print(
        f"baseline:  {base_messages:,} messages in {base_seconds:.2f} s"
        + ("" if complete else f" (stopped after the budget, {base_bytes / 1e6:,.0f} MB)"),
        flush=True,
    )
    after_seconds, _events, _issues = run_ours(path)
    print(f"read_mbox again: {after_seconds:.2f} s", flush=True)
    ours_seconds = (before_seconds + after_seconds) / 2
    if complete and base_messages != messages:
        print(f"WARNING: message counts differ ({base_messages:,} vs {messages:,})")

    ours_mb = size / 1e6 / ours_seconds
    base_mb = base_bytes / 1e6 / base_seconds
    ratio = ours_mb / base_mb
    print(f"\n{'':24}{'MB/s':>10}{'messages/s':>14}")
    print(f"{'mailbox + email':24}{base_mb:>10,.1f}{base_messages / base_seconds:>14,.0f}")
    print(f"{'bridgework read_mbox':24}{ours_mb:>10,.1f}{messages / ours_seconds:>14,.0f}")
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"RATIO {ratio:.1f}x (target >= {TARGET_RATIO:g}x): {verdict}")
    ok = ratio >= TARGET_RATIO

    if not args.skip_store:
        with tempfile.TemporaryDirectory(dir=args.cache) as folder:
            for label, seconds, inserted in run_store(Path(folder), args.events):
                print(f"store: {label}: {seconds:.2f} s, {inserted:,} inserted")
                if label == "one Arrow table":
                    store_ok = seconds < TARGET_STORE_SECONDS
                    print(
                        f"STORE {args.events:,} events in {seconds:.1f} s "
                        f"(target < {TARGET_STORE_SECONDS:g} s): {'PASS' if store_ok else 'FAIL'}"
                    )
                    ok = ok and store_ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
