"""E-mail from mbox files: one event per message, from its headers only.

An mbox file is messages one after another, each starting with a ``From ``
line (the envelope line written by the mail system). Every line that starts
with ``From `` starts a message, as in ``grep -c '^From '``; lines of a body
that start with ``From `` are escaped as ``>From `` by the writer (mboxrd/mboxo),
so they are body content and are skipped with the rest of the body.

Speed comes from never parsing a body. The file is memory-mapped; the reader
finds the next ``\\nFrom `` with one byte search, takes the header block (up to
the first empty line, LF or CRLF) and hands it to
:func:`~bridgework.core.ingest.email_headers.record_from_headers`. Bodies,
attachments and subjects are never decoded, copied or kept.

Positions in issues are ``"message N (byte OFFSET)"``: the message's number in
the file (from 1) and the byte offset of its ``From `` line. A message dated
outside ``options.window`` is counted in ``skipped`` as ``"outside_window"``.

An empty (or whitespace-only) file is a valid, empty mailbox: mail programs
create one for an empty folder. It yields nothing and raises no error.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "inbox.mbox"
>>> _ = path.write_bytes(b"From x Mon Jan  1 00:00:00 2001\\n"
...     b"From: a@example.org\\nTo: b@example.org\\nDate: 1 Jan 2001 09:00 +0100\\n\\n>From body\\n"
...     b"From y Mon Jan  1 00:00:00 2001\\nFrom: a@example.org\\nTo: b@example.org\\n\\n")
>>> [type(record).__name__ for record in read_mbox(path)]
['EventRecord', 'Issue']
>>> list(read_mbox(path))[1]
Issue(position='message 2 (byte 111)', reason='no Date header')
"""

from __future__ import annotations

import mmap
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from bridgework.core.ingest.base import Reader
from bridgework.core.ingest.email_headers import (
    MAX_HEADER_BYTES,
    header_block_end,
    record_from_headers,
)
from bridgework.core.ingest.records import EventRecord, FormatError, Issue, ReadOptions

__all__ = ["READER", "read_mbox", "iter_header_blocks", "EXPECTED"]

#: What a file must look like; the message of the :class:`FormatError` otherwise.
EXPECTED = "expected an mbox file starting with a 'From ' line"
#: Report progress about this often (bytes).
PROGRESS_EVERY = 1 << 20
_FIRST_TEXT = re.compile(rb"\S")
_SEPARATOR = b"\nFrom "


def iter_header_blocks(data: bytes | mmap.mmap, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """``(offset of the From line, header block)`` of every message in ``data``
    (``bytes`` or an ``mmap`` holding an mbox), from the ``From `` line at ``start``.

    >>> [(offset, block) for offset, block in iter_header_blocks(
    ...     b"From a\\nX: 1\\n\\nFrom me, hi\\n>From b\\nFrom b\\r\\nY: 2\\r\\n\\r\\nbody")]
    [(0, b'X: 1'), (13, b'>From b'), (33, b'Y: 2')]
    """
    size = len(data)
    find = data.find
    position = start
    while position < size:
        following = find(_SEPARATOR, position)
        end = size if following < 0 else following + 1
        line_end = find(b"\n", position, end)
        if line_end < 0:  # a From line at the very end of the file
            yield position, b""
            position = end
            continue
        header_start = line_end + 1
        header_end = min(header_block_end(data, header_start, end), header_start + MAX_HEADER_BYTES)
        yield position, data[header_start:header_end] if header_end > header_start else b""
        position = end


def _first_message(path: Path) -> int:
    """Offset of the first ``From`` line, or -1 for an empty mailbox; raises
    :class:`FormatError` when the file is unreadable or not an mbox."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
            skipped = 0
            while head and not head.strip():  # a long run of whitespace: keep looking
                skipped += len(head)
                head = handle.read(1 << 16)
            head += handle.read(5)  # so that "From " is never cut off at the end
    except OSError as exc:
        raise FormatError(path, f"{EXPECTED}, but it cannot be read ({exc.strerror})") from exc
    first = _FIRST_TEXT.search(head)
    if first is None:
        return -1
    if head[first.start() : first.start() + 5] != b"From ":
        raise FormatError(path, EXPECTED)
    return skipped + first.start()


def read_mbox(
    path: Path | str,
    *,
    options: ReadOptions | None = None,
    progress: Callable[[int], None] | None = None,
    skipped: Counter[str] | None = None,
) -> Iterator[EventRecord | Issue]:
    """Events (and issues) of every message in the mbox file at ``path``.

    Raises :class:`FormatError` before yielding anything when the file cannot
    be read or does not start with a ``From `` line (after optional whitespace).
    ``progress(bytes_done)`` is called about every megabyte and at the end.
    ``skipped`` counts the messages outside the window (``"outside_window"``).
    """
    path = Path(path)
    start = _first_message(path)  # raise now, not at the first next()
    skipped = skipped if skipped is not None else Counter()
    return _read(path, start, options or ReadOptions(), progress, skipped)


def _read(
    path: Path,
    start: int,
    options: ReadOptions,
    progress: Callable[[int], None] | None,
    skipped: Counter[str],
) -> Iterator[EventRecord | Issue]:
    if start < 0:
        if progress is not None:
            progress(path.stat().st_size)
        return
    window = options.window
    owner = options.owner_email
    next_report = PROGRESS_EVERY
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for number, (offset, block) in enumerate(iter_header_blocks(data, start), 1):
            record = record_from_headers(
                block,
                position=f"message {number} (byte {offset})",
                window=window,
                owner_email=owner,
            )
            if record is None:
                skipped["outside_window"] += 1
            else:
                yield record
            if progress is not None and offset >= next_report:
                progress(offset)
                next_report = offset + PROGRESS_EVERY
        if progress is not None:
            progress(len(data))


READER = Reader(
    name="mbox",
    label="E-mail (mbox file)",
    produces="events",
    read=read_mbox,
    extensions=(".mbox", ".mbx"),
    description=(
        "Messages of an mbox file (Thunderbird, Apple Mail, Google Takeout, mutt): "
        "From, To, Cc, Bcc, Date, Message-ID, In-Reply-To and References only; "
        "never subjects or bodies."
    ),
)
