"""Opening delimited text files as people save them: any encoding, any delimiter.

Shared by the CSV-based readers (generic CSV, LinkedIn, Viva Insights).

**Encoding** (:func:`detect_encoding`), in this order:

1. a byte-order mark decides: UTF-8, UTF-16 LE or BE, UTF-32 LE or BE (Excel's
   "Unicode Text" is UTF-16 LE with a mark);
2. NUL bytes in the first 8 KB: UTF-16 or UTF-32 without a mark when
   charset-normalizer recognises it, else the file is binary;
3. the whole file decodes as UTF-8 (checked in 1 MB chunks, never loaded whole): UTF-8;
4. otherwise a legacy code page, guessed by charset-normalizer from the lines
   holding non-ASCII bytes (at most 64 KB of them). Windows-1252 is preferred
   whenever it reads those lines as cleanly as the best guess: on short Western
   text charset-normalizer often ranks Windows-1250 first, which turns ``Núñez``
   into ``Núńez``. Windows-1252 becomes Latin-1 when the file has bytes
   Windows-1252 leaves undefined.

The file is then read as a stream; bytes the chosen encoding cannot decode become
U+FFFD rather than stopping the import.

**Delimiter** (:func:`sniff_delimiter`): one of :data:`DELIMITERS` (comma,
semicolon, tab, pipe), chosen by :class:`csv.Sniffer` on the first 8 KB of text
(its quote search takes time that grows with the square of the sample), which
weighs quoting and how consistently each candidate splits the lines; when the
sniffer cannot decide, the candidate that splits the first non-blank line into
the most cells. Readers that know which columns to expect try the others too
(:func:`delimiters_to_try`) and name what they tried when none fits
(:func:`tried`).

``.gz`` files are decompressed on the fly.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "people.txt"
>>> _ = path.write_bytes(b"\\xff\\xfe" + "Name\\tCity\\nZoë\\tKraków\\n".encode("utf-16-le"))
>>> source = open_text(path, what="a CSV file")
>>> source.encoding.label, sniff_delimiter(source.sample)
('UTF-16 LE (byte-order mark)', '\\t')
>>> source.text.read()
'Name\\tCity\\nZoë\\tKraków\\n'
>>> source.close()
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple, TextIO

from bridgework.core.ingest.records import FormatError

__all__ = [
    "DELIMITERS",
    "DetectedEncoding",
    "TextSource",
    "detect_encoding",
    "open_text",
    "sniff_delimiter",
    "delimiters_to_try",
    "tried",
]

#: The delimiters a file may use, with the names messages give them.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

_BOMS = (  # UTF-32 LE first: its mark begins with UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 LE (byte-order mark)"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 BE (byte-order mark)"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (byte-order mark)"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE (byte-order mark)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE (byte-order mark)"),
)
_BINARY_PEEK = 8192  # a text file in an 8-bit encoding has no NUL byte in its first 8 KB
_CHUNK = 1 << 20
_SAMPLE_BYTES = 1 << 16
_SNIFF_CHARS = 8192
_EVIDENCE_BYTES = 1 << 16
_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_WIDE_UNICODE = {
    "utf_16_le": "UTF-16 LE",
    "utf_16_be": "UTF-16 BE",
    "utf_32_le": "UTF-32 LE",
    "utf_32_be": "UTF-32 BE",
}
_LABELS = {"cp1252": "Windows-1252", "latin_1": "Latin-1"}


class DetectedEncoding(NamedTuple):
    """How to decode a file: ``codec`` for Python, ``label`` for messages."""

    codec: str
    label: str


@dataclass
class TextSource:
    """An open text stream, the first 64 KB of its text, and the bytes read so far."""

    text: TextIO
    raw: BinaryIO
    encoding: DetectedEncoding
    #: the first 64 KB of text, cut after its last line break: enough to sniff
    sample: str = ""

    def bytes_done(self) -> int:
        """Bytes of the file (compressed, for ``.gz``) read so far."""
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        self.text.close()
        self.raw.close()


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def _binary(path: Path, raw: BinaryIO) -> BinaryIO | gzip.GzipFile:
    return gzip.GzipFile(fileobj=raw, mode="rb") if _is_gzip(path) else raw


def detect_encoding(path: Path) -> DetectedEncoding | None:
    """The encoding of ``path`` by the rules in the module docs; ``None`` for a binary file.

    Reads the file once, in chunks (``.gz`` decompressed on the fly).
    """
    with path.open("rb") as raw, _binary(path, raw) as data:
        head = data.read(_CHUNK)
        for mark, codec, label in _BOMS:
            if head.startswith(mark):
                return DetectedEncoding(codec, label)
        if b"\x00" in head[:_BINARY_PEEK]:
            return _wide_unicode_without_mark(head[:_SAMPLE_BYTES])
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8_ok = True
        cp1252_ok = True
        evidence = bytearray()
        chunk = last = head
        while chunk:
            if utf8_ok:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            if not utf8_ok and len(evidence) < _EVIDENCE_BYTES:
                for line in _NON_ASCII_LINE.finditer(chunk):
                    evidence += line[0] + b"\n"
                    if len(evidence) >= _EVIDENCE_BYTES:
                        break
            if cp1252_ok and any(b in chunk for b in _CP1252_UNDEFINED):
                cp1252_ok = False
            last, chunk = chunk, data.read(_CHUNK)
        if utf8_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:  # a sequence cut off at the very end
                utf8_ok = False
                evidence += last[-_EVIDENCE_BYTES:]
    if utf8_ok:
        return DetectedEncoding("utf-8-sig", "UTF-8")
    codec = _legacy_code_page(bytes(evidence))
    if codec == "cp1252" and not cp1252_ok:
        codec = "latin_1"
    if codec in _LABELS:
        return DetectedEncoding(codec, _LABELS[codec])
    return DetectedEncoding(codec, f"{codec} (guessed)")


def _wide_unicode_without_mark(sample: bytes) -> DetectedEncoding | None:
    import charset_normalizer  # here, not at the top: 0.1 s to import, and few files need it

    best = charset_normalizer.from_bytes(sample).best()
    if best is None or best.encoding not in _WIDE_UNICODE:
        return None
    return DetectedEncoding(best.encoding, f"{_WIDE_UNICODE[best.encoding]} (guessed)")


def _legacy_code_page(evidence: bytes) -> str:
    """The 8-bit code page that reads ``evidence`` (lines with non-ASCII bytes) best."""
    import charset_normalizer  # here, not at the top: 0.1 s to import, and few files need it

    matches = charset_normalizer.from_bytes(evidence)
    best = matches.best()
    if best is None or best.encoding in ("ascii", "utf_8"):
        return "cp1252"
    for match in matches:
        if (
            "cp1252" in match.could_be_from_charset
            and match.chaos <= best.chaos
            and match.coherence >= best.coherence
        ):
            return "cp1252"
    return best.encoding


def _expectation(what: str) -> str:
    return what if what.startswith("expected ") else f"expected {what}"


def open_text(path: Path, *, what: str, encoding: DetectedEncoding | None = None) -> TextSource:
    """Open a delimited text file (or its ``.gz``) as text in its detected encoding.

    ``what`` describes the expected format for the :class:`FormatError` raised
    when the file cannot be opened, decompressed or decoded as text. ``encoding``,
    when known from an earlier opening, saves detecting it again.
    """
    path = Path(path)
    if not path.is_file():
        reason = "no such file" if not path.exists() else "not a file"
        raise FormatError(path, f"cannot open ({reason}); {_expectation(what)}")
    try:
        encoding = encoding or detect_encoding(path)
        if encoding is None:
            raise FormatError(path, f"the file looks binary (NUL bytes); {_expectation(what)}")
        with path.open("rb") as raw, _binary(path, raw) as data:
            sample_bytes = data.read(_SAMPLE_BYTES)
        raw = path.open("rb")
        stream = _binary(path, raw)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise FormatError(path, f"cannot read ({exc}); {_expectation(what)}") from None
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors="replace")
    sample = decoder.decode(sample_bytes)
    if len(sample_bytes) == _SAMPLE_BYTES:  # cut where the file goes on
        sample = sample[: sample.rfind("\n") + 1]
    text = io.TextIOWrapper(stream, encoding=encoding.codec, errors="replace", newline="")
    return TextSource(text, raw, encoding, sample)


def sniff_delimiter(sample: str) -> str:
    """The delimiter of ``sample`` (the first lines of a file), by the module's rules.

    >>> sniff_delimiter('a;b;"c,d"'), sniff_delimiter("a,b\\tc"), sniff_delimiter("x")
    (';', ',', ',')
    >>> sniff_delimiter("Email;Company, legal name;Title, current\\nann@example.org;Acme;CTO\\n")
    ';'
    """
    if len(sample) > _SNIFF_CHARS:
        sample = sample[:_SNIFF_CHARS]
        sample = sample[: sample.rfind("\n") + 1] or sample
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        pass
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    best, best_count = ",", 1
    for delimiter in DELIMITERS:
        try:
            count = len(next(csv.reader([first_line], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            continue
        if count > best_count:
            best, best_count = delimiter, count
    return best


def delimiters_to_try(sample: str) -> list[str]:
    """Every delimiter, the sniffed one first: for readers that know their columns.

    >>> delimiters_to_try("a|b\\n1|2\\n")
    ['|', ',', ';', '\\t']
    """
    sniffed = sniff_delimiter(sample)
    return [sniffed] + [d for d in DELIMITERS if d != sniffed]


def tried(encoding: DetectedEncoding, delimiters: list[str]) -> str:
    """What a reader tried, for a message: ``read as UTF-8, with comma, ... tried``.

    >>> tried(DetectedEncoding("utf-8-sig", "UTF-8"), [";", ",", "\\t", "|"])
    'read as UTF-8, with semicolon, comma, tab and pipe tried as the delimiter'
    """
    names = [DELIMITERS[d] for d in delimiters]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"read as {encoding.label}, with {listed} tried as the delimiter"
