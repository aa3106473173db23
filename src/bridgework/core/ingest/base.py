"""The reader interface every format module implements.

A format module defines ``READER = Reader(...)`` (or ``READERS = (...)`` when one
module reads two closely related layouts) whose ``read`` function is::

    read(path: Path, *, options: ReadOptions, progress: Callable[[int], None] | None,
         skipped: Counter[str] | None)
        -> Iterator[EventRecord | ContactRecord | TieRecord | Issue]

* ``path`` is a file, or a folder for formats that are folders (Maildir,
  Slack exports).
* ``progress(bytes_done)`` is called now and then with the bytes read so far;
  :func:`input_size` gives the total to compare with.
* A record that cannot be read becomes an :class:`Issue` with its position
  and a specific reason, and reading goes on.
* A record left out on purpose (a message outside the date window, a
  cancelled meeting, a group card in an address book) is counted in
  ``skipped`` under its reason, one of
  :data:`~bridgework.core.ingest.pipeline.SKIP_REASONS`; nothing is yielded for
  it. So every record of the file is yielded, counted as skipped, or yielded
  as an issue: the import report accounts for each one.
* A file that is not of the format at all (or cannot be opened) raises
  :class:`FormatError` once, naming the file and what was expected, before
  yielding anything.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bridgework.core.ingest.records import (
    ContactRecord,
    EventRecord,
    Issue,
    ReadOptions,
    TieRecord,
)

__all__ = ["ProgressCallback", "ReadFunction", "Reader", "Record", "input_size"]

Record = EventRecord | ContactRecord | TieRecord | Issue

#: Called now and then with the bytes read so far.
ProgressCallback = Callable[[int], None]


class ReadFunction(Protocol):
    """The ``read`` function of a format module; see the module docstring."""

    def __call__(
        self,
        path: Path,
        *,
        options: ReadOptions,
        progress: ProgressCallback | None = None,
        skipped: Counter[str] | None = None,
    ) -> Iterator[Record]: ...


@dataclass(frozen=True)
class Reader:
    """One importable format."""

    name: str  #: CLI name, e.g. ``"mbox"``
    label: str  #: for people, e.g. ``"E-mail (mbox file)"``
    produces: str  #: ``"events"``, ``"contacts"`` or ``"ties"``
    read: ReadFunction
    folder: bool = False  #: the input is a folder (Maildir, Slack export)
    extensions: tuple[str, ...] = ()  #: usual file name endings, for upload hints
    description: str = ""

    def __call__(
        self,
        path: Path | str,
        *,
        options: ReadOptions | None = None,
        progress: ProgressCallback | None = None,
        skipped: Counter[str] | None = None,
    ) -> Iterator[Record]:
        return self.read(
            Path(path), options=options or ReadOptions(), progress=progress, skipped=skipped
        )


def input_size(path: Path | str) -> int:
    """Bytes in a file, or in all files under a folder."""
    path = Path(path)
    if path.is_dir():
        return sum(
            (Path(root) / name).stat().st_size
            for root, _dirs, files in os.walk(path)
            for name in files
        )
    return path.stat().st_size if path.exists() else 0
