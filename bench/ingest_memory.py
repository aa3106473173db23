"""Benchmark: peak memory of the iCalendar and vCard readers, against reading the file whole.

Run::

    python bench/ingest_memory.py                  # 40 MB files
    python bench/ingest_memory.py --size-mb 200    # memory should not move
    python bench/ingest_memory.py --no-icalendar   # skip the slow library baseline

1. Generates (or reuses, from a cache folder under the temp dir) an ``.ics``
   of ``--size-mb`` megabytes, meetings of two to six people with 3 kB
   descriptions folded at 75 characters as Outlook writes them, and a
   ``.vcf`` of cards with 20 kB inline photos folded the same way.
2. Measures each of these in a fresh process (so none inherits another's
   heap), once for the time and the growth of the resident set
   (``ru_maxrss`` less what the process held before reading) and once under
   :mod:`tracemalloc` for the peak of Python's allocations:

   * ``whole file``: the file's bytes, decoded, split into lines: what any
     reader that loads the file first pays before parsing anything (the
     readers before streaming did this, then built an object per line);
   * ``icalendar``: ``icalendar.Calendar.from_ical`` on the whole text, the
     iCalendar library Bridgework already depends on (``.ics`` only);
   * ``reader``: :func:`~bridgework.core.ingest.ics.read_ics` or
     :func:`~bridgework.core.ingest.vcard.read_vcard`, every record consumed.

3. Prints one table per format. Targets: the reader's traced peak stays
   under 16 MB and under a tenth of the whole-file baseline, at any size.

Machines are noisy: compare the numbers of one run with each other.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

TARGET_PEAK_BYTES = 16 * 2**20
TARGET_FRACTION = 0.1
GENERATOR_VERSION = 1


def folded(line: str, width: int = 75) -> str:
    parts = [line[:width]] + [line[i : i + width - 1] for i in range(width, len(line), width - 1)]
    return "\r\n ".join(parts)


def generate_ics(path: Path, size: int) -> int:
    description = folded("DESCRIPTION:" + "Agenda, decisions and follow-ups. " * 90)
    meetings = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bridgework//bench//EN\r\n")
        while out.tell() < size:
            meetings += 1
            attendees = "".join(
                f"ATTENDEE;CN=Person {(meetings + k) % 900};PARTSTAT=ACCEPTED:"
                f"mailto:person-{(meetings + k) % 900}@example.org\r\n"
                for k in range(1, 2 + meetings % 5)
            )
            out.write(
                f"BEGIN:VEVENT\r\nUID:bench-{meetings}@example.org\r\n"
                f"DTSTART:2024{1 + meetings % 12:02d}{1 + meetings % 28:02d}T"
                f"{8 + meetings % 9:02d}0000Z\r\nDURATION:PT30M\r\n"
                f"SUMMARY:Meeting {meetings}\r\nORGANIZER;CN=Person {meetings % 900}:"
                f"mailto:person-{meetings % 900}@example.org\r\n{attendees}{description}\r\n"
                "END:VEVENT\r\n"
            )
        out.write("END:VCALENDAR\r\n")
    return meetings


def generate_vcf(path: Path, size: int) -> int:
    photo = folded("PHOTO;ENCODING=b;TYPE=JPEG:" + "/9j/4AAQSkZJRgABAQEASABIAAD" * 740)
    cards = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        while out.tell() < size:
            cards += 1
            out.write(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person;Number {cards};;;\r\n"
                f"FN:Number {cards} Person\r\nEMAIL;TYPE=work:person-{cards}@example.org\r\n"
                f"TEL;TYPE=cell:+1 555 {cards:07}\r\nORG:Example;Unit {cards % 40}\r\n"
                f"{photo}\r\nEND:VCARD\r\n"
            )
    return cards


def cached(folder: Path, kind: str, size_mb: float) -> Path:
    path = folder / f"bench-{size_mb:g}mb-v{GENERATOR_VERSION}.{kind}"
    if path.exists() and path.stat().st_size >= size_mb * 1_000_000:
        return path
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    generate = generate_ics if kind == "ics" else generate_vcf
    count = generate(partial, int(size_mb * 1_000_000))
    partial.replace(path)
    print(
        f"generated {path} ({path.stat().st_size / 1e6:,.1f} MB, {count:,} "
        f"{'meetings' if kind == 'ics' else 'cards'}) in {time.perf_counter() - started:.1f} s"
    )
    return path


# ---------------------------------------------------------------- one measurement, in a child


def _run(method: str, path: Path) -> int:
    """Do the work once; returns how many things it produced."""
    if method == "whole file":
        text = path.read_bytes().decode("utf-8")
        return len(text.splitlines())
    if method == "icalendar":
        import icalendar

        calendar = icalendar.Calendar.from_ical(path.read_bytes().decode("utf-8"))
        return len(calendar.walk("VEVENT"))
    from bridgework.core.ingest.ics import read_ics
    from bridgework.core.ingest.records import ReadOptions
    from bridgework.core.ingest.vcard import read_vcard

    read = read_ics if path.suffix == ".ics" else read_vcard
    return sum(1 for _ in read(path, options=ReadOptions()))


def measure(method: str, path: Path, traced: bool) -> dict[str, float]:
    # import what the work needs first, so the resident set before reading includes it
    import icalendar  # noqa: F401 - imported for its share of the resident set

    from bridgework.core.ingest import ics, vcard  # noqa: F401 - the same

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    produced = _run(method, path)
    seconds = time.perf_counter() - started
    result: dict[str, float] = {"produced": produced, "seconds": seconds}
    if traced:
        result["traced_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        result["rss_growth"] = max(after - before, 0)
    return result


def in_child(method: str, path: Path, *, traced: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", method, str(path)]
    if traced:
        command.append("--traced")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------- the run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=40, help="size of each file (default 40)")
    parser.add_argument("--no-icalendar", action="store_true", help="skip the icalendar baseline")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "bw-bench")
    parser.add_argument("--measure", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        method, path = args.measure
        print(json.dumps(measure(method, Path(path), args.traced)))
        return 0

    args.cache.mkdir(parents=True, exist_ok=True)
    failed = False
    for kind in ("ics", "vcf"):
        path = cached(args.cache, kind, args.size_mb)
        methods = ["whole file", "reader"]
        if kind == "ics" and not args.no_icalendar:
            methods.insert(1, "icalendar")
        print(f"\n{path.name}: {path.stat().st_size / 1e6:,.1f} MB")
        print(f"  {'':<12} {'seconds':>9} {'RSS growth MB':>14} {'traced peak MB':>15}")
        rows = {}
        for method in methods:
            plain = in_child(method, path, traced=False)
            traced = in_child(method, path, traced=True)
            rows[method] = traced["traced_peak"]
            print(
                f"  {method:<12} {plain['seconds']:>9.1f} {plain['rss_growth'] / 1e6:>14.1f} "
                f"{traced['traced_peak'] / 1e6:>15.1f}"
            )
        peak, whole = rows["reader"], rows["whole file"]
        ok = peak < TARGET_PEAK_BYTES and peak < TARGET_FRACTION * whole
        failed = failed or not ok
        print(
            f"  reader peak {peak / 1e6:.1f} MB is {peak / whole:.1%} of reading the file whole "
            f"(target: under {TARGET_PEAK_BYTES / 2**20:.0f} MiB and {TARGET_FRACTION:.0%}): "
            f"{'met' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
