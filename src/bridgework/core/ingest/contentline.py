"""Content lines, shared by the iCalendar and vCard readers: the file's lines, read
as a stream, and each line's parameters.

Both formats write a property as ``NAME *(";" param) ":" value`` (RFC 5545
section 3.1, RFC 6350 section 3.3), with parameter values that may be quoted
and comma-separated. :class:`TextLines` reads a file's physical lines a block
at a time, so a reader holds one line (cut at a bound) and never the file.

>>> read_parameters('DTSTART;TZID="Europe/Paris";X=a,b:2026', 7, bare=str)
({'TZID': ['Europe/Paris'], 'X': ['a', 'b']}, 33)
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["BadLine", "CutLine", "TextLines", "read_parameters", "text_encoding"]

_PARAM_NAME = re.compile(r"[A-Za-z0-9-]*")
_PARAM_TEXT = re.compile(r'[^";:,]*')


def _match(pattern: re.Pattern[str], text: str, pos: int) -> re.Match[str]:
    """``pattern.match`` for the two patterns above, which accept the empty string."""
    match = pattern.match(text, pos)
    if match is None:  # cannot happen: an empty match always succeeds
        raise AssertionError(f"{pattern.pattern!r} did not match at {pos}")
    return match


class BadLine(ValueError):
    """A content line that cannot be split into name, parameters and value."""


def _identity(value: str) -> str:
    return value


def read_parameters(
    text: str,
    start: int,
    *,
    bare: Callable[[str], str],
    decode: Callable[[str], str] = _identity,
) -> tuple[dict[str, list[str]], int]:
    """Parameters from ``text[start:]`` up to the ``:``; returns them and where they end.

    Parameter names are upper-cased; empty parameters (``;;``) are skipped; a
    bare parameter without ``=`` (vCard 2.1 ``TEL;CELL``) is filed under the
    key ``bare(name)``. ``decode`` is applied to each value. The error message
    never quotes the line.
    """
    end = len(text)
    i = start
    params: dict[str, list[str]] = {}
    while i < end and text[i] == ";":
        match = _match(_PARAM_NAME, text, i + 1)
        param, i = match.group().upper(), match.end()
        if i < end and text[i] == "=":
            i += 1
            values: list[str] = []
            while True:
                if i < end and text[i] == '"':
                    close = text.find('"', i + 1)
                    if close < 0:
                        raise BadLine(f"the {param} parameter's quoted value is never closed")
                    values.append(text[i + 1 : close])
                    i = close + 1
                else:
                    match = _match(_PARAM_TEXT, text, i)
                    values.append(match.group())
                    i = match.end()
                if i < end and text[i] == ",":
                    i += 1
                    continue
                break
            params.setdefault(param, []).extend(decode(v) for v in values)
        elif param:
            params.setdefault(bare(param), []).append(param)
    return params, i


# --------------------------------------------------------------------------- the file's lines

_BLOCK = 1 << 16  # characters read at a time
_NEWLINE = re.compile(r"\r\n|\n|\r")
#: Characters :meth:`str.splitlines` breaks at besides \\r and \\n; these files do not.
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _split_lines(block: str) -> list[str]:
    """``block`` split at \\r\\n, \\n and \\r only; the last item follows the last break."""
    if any(c in block for c in _OTHER_BREAKS):
        return _NEWLINE.split(block)
    pieces = block.splitlines()  # much faster than the pattern, when it gives the same
    if not pieces or block[-1] in "\r\n":
        pieces.append("")
    return pieces


def text_encoding(path: Path) -> str:
    """``"utf-16"`` for a file with a UTF-16 byte-order mark, ``"utf-8"`` if all of it
    decodes as UTF-8, else ``"latin-1"`` (which keeps every byte).

    Read a block at a time; raises :class:`OSError` when the file cannot be read.
    """
    with path.open("rb") as handle:
        start = handle.read(2)
        if start in (b"\xff\xfe", b"\xfe\xff"):
            return "utf-16"
        decoder = codecs.getincrementaldecoder("utf-8")()
        block = start
        try:
            while block:
                decoder.decode(block)
                block = handle.read(1 << 20)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "latin-1"
    return "utf-8"


class CutLine(str):
    """A line longer than the bound it was read with: only its start."""

    __slots__ = ()


class TextLines:
    """The physical lines of a text file, read a block at a time.

    Iterating yields each line without its ending (``\\r\\n``, ``\\n`` or
    ``\\r``), with the byte-order mark dropped from the start of the file; a
    line longer than ``limit`` characters comes cut to its first ``limit``, as
    a :class:`CutLine`, so no line, however long, is held whole. A file ending
    with a line break gives a last, empty line.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = path.write_bytes(b"\\xef\\xbb\\xbfone\\r\\ntwo\\rthree is long\\n")
    >>> [(line, isinstance(line, CutLine)) for line in TextLines(path, encoding="utf-8", limit=5)]
    [('one', False), ('two', False), ('three', True), ('', False)]
    """

    def __init__(self, path: Path, *, encoding: str, limit: int) -> None:
        self.path = path
        self.encoding = encoding
        self.limit = limit
        self._raw: io.BufferedReader | None = None

    @property
    def bytes_read(self) -> int:
        """Bytes of the file read so far (a block ahead of the lines yielded)."""
        return self._raw.tell() if self._raw is not None and not self._raw.closed else 0

    def __iter__(self) -> Iterator[str]:
        limit = self.limit
        pending: list[str] = []  # the start of a line that runs past the block
        pending_length, cut, after_cr, at_start = 0, False, False, True
        with self.path.open("rb") as raw:
            self._raw = raw
            text = io.TextIOWrapper(raw, encoding=self.encoding, errors="replace", newline="")
            while block := text.read(_BLOCK):
                if at_start:
                    block = block.lstrip("\ufeff")
                    at_start = not block
                if after_cr and block[:1] == "\n":
                    block = block[1:]  # the \n of a \r\n split between two blocks
                after_cr = block[-1:] == "\r"
                pieces = _split_lines(block)
                last = pieces.pop()
                for piece in pieces:
                    if not pending and len(piece) <= limit:
                        yield piece
                        continue
                    if pending_length + len(piece) > limit:
                        piece, cut = piece[: max(limit - pending_length, 0)], True
                    pending.append(piece)
                    line = "".join(pending)
                    yield CutLine(line) if cut else line
                    pending, pending_length, cut = [], 0, False
                if pending_length + len(last) > limit:
                    last, cut = last[: max(limit - pending_length, 0)], True
                if last:
                    pending.append(last)
                    pending_length += len(last)
            line = "".join(pending)
            yield CutLine(line) if cut else line
