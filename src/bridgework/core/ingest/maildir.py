"""E-mail from a Maildir folder: one event per message file, from its headers only.

A Maildir is a folder with ``cur/`` and ``new/`` sub-folders holding one file
per message (``tmp/`` holds deliveries in progress and is ignored). Maildir++
sub-folders (``.Sent/``, ``.Archive.2024/``) and plain nested Maildirs are read
too: every ``cur/`` and ``new/`` folder under the root counts. Files whose
names start with a dot are not messages (the Maildir convention) and are skipped.

Each file is read only up to the end of its header block (in 64 KiB steps), so
attachments are never loaded; the headers are turned into records by
:func:`~bridgework.core.ingest.email_headers.record_from_headers`, exactly as
for mbox files, so the same message gives the same event (and external id) in
both formats.

Positions in issues are ``"file NAME"`` with the file's path relative to the
Maildir root, e.g. ``"file .Sent/cur/1700000000.M1P2.host:2,S"``. A message
dated outside ``options.window`` is counted in ``skipped`` as ``"outside_window"``.

>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / "cur").mkdir(); (root / "new").mkdir()
>>> _ = (root / "cur" / "1.host:2,S").write_bytes(
...     b"From: a@example.org\\nTo: b@example.org\\nDate: 1 Jan 2001 09:00 +0100\\n\\nbody")
>>> _ = (root / "new" / "2.host").write_bytes(b"From: a@example.org\\n\\nbody")
>>> [getattr(record, "reason", "event") for record in read_maildir(root)]
['event', 'no Date header']
"""

from __future__ import annotations

import os
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

__all__ = ["READER", "read_maildir", "message_files", "EXPECTED"]

#: The message of the :class:`FormatError` for a path that is not a Maildir.
EXPECTED = "expected a Maildir folder with cur/ and new/ sub-folders"
#: Report progress about this often (bytes of message files).
PROGRESS_EVERY = 1 << 20
_STEP = 1 << 16
_MESSAGE_FOLDERS = ("cur", "new")


def _is_maildir(path: Path) -> bool:
    return any((path / name).is_dir() for name in _MESSAGE_FOLDERS)


def message_files(root: Path) -> Iterator[Path]:
    """Message files under a Maildir root, in a stable order: folder by folder
    (the root first, then sub-folders by name), ``cur`` before ``new``, files by
    name (Maildir names start with the delivery time, so this is roughly
    chronological)."""
    for directory, subdirectories, files in os.walk(root):
        subdirectories.sort()
        here = Path(directory)
        if here.name in _MESSAGE_FOLDERS:
            subdirectories.clear()  # messages are files; nothing below cur/ or new/
            for name in sorted(files):
                if not name.startswith("."):
                    yield here / name
        else:
            subdirectories[:] = [name for name in subdirectories if name != "tmp"]
            # cur/ and new/ of this folder before its Maildir++ sub-folders
            subdirectories.sort(key=lambda name: (name not in _MESSAGE_FOLDERS, name))


def _header_block(path: Path) -> bytes:
    """The header block of one message file, reading no more than needed (and
    at most :data:`MAX_HEADER_BYTES` when a file has no empty line at all)."""
    with open(path, "rb") as handle:
        data = handle.read(_STEP)
        while len(data) < MAX_HEADER_BYTES and b"\n\n" not in data and b"\n\r\n" not in data:
            more = handle.read(_STEP)
            if not more:
                break
            data += more
    end = min(header_block_end(data, 0, len(data)), MAX_HEADER_BYTES)
    return data[:end] if end > 0 else b""


def read_maildir(
    path: Path | str,
    *,
    options: ReadOptions | None = None,
    progress: Callable[[int], None] | None = None,
    skipped: Counter[str] | None = None,
) -> Iterator[EventRecord | Issue]:
    """Events (and issues) of every message in the Maildir folder at ``path``.

    Raises :class:`FormatError` before yielding anything when ``path`` is not
    a folder with a ``cur/`` or ``new/`` sub-folder. A message file that cannot
    be read becomes an :class:`Issue`. ``progress(bytes_done)`` is called about
    every megabyte of message files and at the end. ``skipped`` counts the
    messages outside the window (``"outside_window"``).
    """
    path = Path(path)
    if not path.is_dir():
        reason = "it does not exist" if not path.exists() else "it is a file"
        raise FormatError(path, f"{EXPECTED}, but {reason}")
    if not _is_maildir(path):
        raise FormatError(path, EXPECTED)
    skipped = skipped if skipped is not None else Counter()
    return _read(path, options or ReadOptions(), progress, skipped)


def _read(
    root: Path,
    options: ReadOptions,
    progress: Callable[[int], None] | None,
    skipped: Counter[str],
) -> Iterator[EventRecord | Issue]:
    window = options.window
    owner = options.owner_email
    done = 0
    next_report = PROGRESS_EVERY
    for file in message_files(root):
        position = f"file {file.relative_to(root).as_posix()}"
        try:
            block = _header_block(file)
            size = file.stat().st_size
        except OSError as exc:
            yield Issue(position, f"cannot be read ({exc.strerror or exc})")
            continue
        if size == 0:
            yield Issue(position, "empty file")
            continue
        record = record_from_headers(block, position=position, window=window, owner_email=owner)
        if record is None:
            skipped["outside_window"] += 1
        else:
            yield record
        done += size
        if progress is not None and done >= next_report:
            progress(done)
            next_report = done + PROGRESS_EVERY
    if progress is not None:
        progress(done)


READER = Reader(
    name="maildir",
    label="E-mail (Maildir folder)",
    produces="events",
    read=read_maildir,
    folder=True,
    description=(
        "Messages of a Maildir folder (cur/ and new/, with Maildir++ sub-folders such as "
        ".Sent): From, To, Cc, Bcc, Date, Message-ID, In-Reply-To and References only; "
        "never subjects or bodies."
    ),
)
