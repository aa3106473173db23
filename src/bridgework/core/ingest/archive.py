"""Zip archives looked at before they are read or unpacked: zip bombs are refused.

An upload of a few megabytes can expand to gigabytes (one entry compressed a
thousand times, entries that overlap and share one compressed block, a million
empty entries, archives inside archives), so an archive is judged on what it
declares before a byte is decompressed, and checked again on what it really
holds while it is read:

* :func:`inspect_zip` reads only the archive's directory. It counts the
  entries first, straight from the file, so a directory of millions of
  entries is refused before :mod:`zipfile` builds an object for each; then it
  refuses more than ``max_entries`` entries, a total uncompressed size over
  ``max_total_bytes``, an entry (or the whole archive) that expands more than
  ``max_ratio`` times, entries whose data overlap or run past the archive,
  archives inside the archive, paths that would leave the folder they are
  unpacked into, symbolic links, encrypted entries, and compression methods
  other than stored and deflate (:mod:`zipfile` decompresses bzip2 and LZMA
  without a bound on the output of one read).
* :func:`entry_chunks` reads one entry, stopping as soon as it yields more
  than its header declared (a header that lies) and checking its CRC at the
  end; :func:`extract_zip` unpacks through it, counting the bytes really
  written against ``max_total_bytes``.

Every refusal is an :class:`ArchiveRefused`, a
:class:`~bridgework.core.ingest.records.FormatError` whose message says in
plain words which limit was hit. Damage is a ``FormatError`` too, naming what
is damaged: a zip cut short (``the zip archive is truncated: ...``), its
list of entries, or one entry (``the entry 'cur/1' is damaged (CRC
mismatch)``); :func:`entry_chunks` raises :class:`DamagedEntry` for the last.

The compression ratio is only judged from :data:`RATIO_APPLIES_FROM` bytes
up: a small file of repeated characters compresses hundreds of times without
being a threat, and the total size limit bounds many small ones.

>>> import io, tempfile, pathlib, zipfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with zipfile.ZipFile(folder / "export.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
...     bundle.writestr("users.json", "[]")
...     bundle.writestr("general/2024-01-05.json", '[{"ts": "1"}]' * 10)
>>> found = inspect_zip(folder / "export.zip", max_total_bytes=10_000, max_entries=10, max_ratio=100)
>>> found.entries, found.total_uncompressed
(2, 132)
>>> inspect_zip(folder / "export.zip", max_total_bytes=100, max_entries=10, max_ratio=100)
Traceback (most recent call last):
...
bridgework.core.ingest.archive.ArchiveRefused: export.zip: refused: the archive would unpack to 132 bytes, more than the limit of 100 bytes on its total uncompressed size
"""

from __future__ import annotations

import contextlib
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Literal

from bridgework.core.ingest.records import FormatError

__all__ = [
    "DEFAULT_LIMITS",
    "RATIO_APPLIES_FROM",
    "ArchiveLimits",
    "ArchiveRefused",
    "DamagedEntry",
    "ZipInspection",
    "entry_chunks",
    "extract_zip",
    "inspect_zip",
]

#: Entries smaller than this (bytes, uncompressed) are not judged on their compression ratio.
RATIO_APPLIES_FROM = 1 << 20
#: Bytes read from an entry at a time.
CHUNK_SIZE = 1 << 20

#: What a limit is called in :attr:`ArchiveRefused.limit`.
Limit = Literal[
    "max_entries",
    "max_total_bytes",
    "max_ratio",
    "nested_archive",
    "declared_size",
    "unsafe_path",
    "symlink",
    "encrypted",
    "compression",
]


@dataclass(frozen=True)
class ArchiveLimits:
    """How far an archive may go; see :func:`inspect_zip`. The defaults are
    :data:`DEFAULT_LIMITS`."""

    max_total_bytes: int = 32 << 30  #: uncompressed bytes, all entries together (32 GiB)
    max_entries: int = 200_000  #: entries in the archive's directory, folders included
    max_ratio: float = 200.0  #: uncompressed / compressed size, per entry and overall


#: What a reader holds a zip it is given directly to (a Slack export read in place):
#: a backstop against bombs, above what the app itself allows an upload by default
#: (which it checks first, with its own settings). A reader reads one file at a
#: time, so the total bounds the time spent, not the memory.
DEFAULT_LIMITS = ArchiveLimits()


class ArchiveRefused(FormatError):
    """An archive that will not be read or unpacked: a zip bomb, or an unsafe entry.

    ``limit`` names the limit hit (one of :data:`Limit`), for callers that
    want to react to one kind; the message says it in words.
    """

    def __init__(self, path: Path | str, reason: str, *, limit: Limit):
        self.limit: Limit = limit
        super().__init__(path, f"refused: {reason}")


class DamagedEntry(zipfile.BadZipFile):
    """One entry of an archive that cannot be read back: its compressed data are
    invalid, end early, or do not match the size or CRC its header declares.

    The message names the entry and what is wrong with it, as in ``the entry
    'cur/1' is damaged (CRC mismatch)``; ``entry`` is its name in the archive.
    A :class:`zipfile.BadZipFile`, so callers that catch that still do.
    """

    def __init__(self, entry: str, problem: str):
        self.entry = entry
        self.problem = problem
        super().__init__(f"the entry {_shown(entry)} is damaged ({problem})")


@dataclass(frozen=True)
class ZipInspection:
    """What an archive declares, once :func:`inspect_zip` found it within its limits."""

    entries: int  #: records in the archive's directory, folders included
    files: int  #: entries that are files
    total_uncompressed: int  #: declared bytes of all files once decompressed
    total_compressed: int  #: bytes of compressed data in the archive
    largest_ratio: float  #: the highest ratio among entries of at least RATIO_APPLIES_FROM bytes
    archive_bytes: int  #: size of the archive file
    names: tuple[str, ...]  #: the files' names, as stored


# --------------------------------------------------------------------------- inspection

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")  # 46 bytes
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_CENTRAL_LENGTHS = struct.Struct("<3H")  # name, extra field and comment, at offset 28
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # 30 bytes
_LOCAL_SIGNATURE = b"PK\x03\x04"
_MAX_COMMENT = 0xFFFF
#: Why a file that starts like a zip has no end record: it was cut short.
_TRUNCATED = (
    "the zip archive is truncated: it ends before the list of its entries "
    "(an incomplete download or copy?)"
)

_ARCHIVE_SUFFIXES = frozenset(
    {
        ".zip",
        ".zipx",
        ".jar",
        ".war",
        ".ear",
        ".apk",
        ".7z",
        ".rar",
        ".tar",
        ".gz",
        ".tgz",
        ".bz2",
        ".tbz",
        ".tbz2",
        ".xz",
        ".txz",
        ".lz",
        ".lzma",
        ".zst",
        ".z",
        ".cab",
    }
)
#: How archives begin; a file starting like this is an archive whatever its name.
_ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",  # 7-Zip
    b"Rar!\x1a\x07",  # RAR
    b"\x28\xb5\x2f\xfd",  # zstandard
)


def _size(value: int) -> str:
    """Bytes for people: ``1,048,576 bytes (1.0 MiB)``."""
    if value < 1 << 20:
        return f"{value:,} bytes"
    return f"{value:,} bytes ({value / (1 << 20):,.1f} MiB)"


def _shown(name: str) -> str:
    return repr(name if len(name) <= 80 else name[:77] + "...")


def _directory_location(handle: BinaryIO, archive_bytes: int) -> tuple[int, int] | None:
    """Where the central directory starts and how long it is; ``None`` if no end record."""
    tail_size = min(archive_bytes, _EOCD.size + _MAX_COMMENT)
    handle.seek(archive_bytes - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    end_position = archive_bytes - tail_size + at
    fields = _EOCD.unpack(tail[at : at + _EOCD.size])
    directory_size, directory_offset = fields[5], fields[6]
    if fields[4] == 0xFFFF or directory_size == 0xFFFFFFFF or directory_offset == 0xFFFFFFFF:
        locator_at = at - _ZIP64_LOCATOR.size
        if locator_at >= 0 and tail[locator_at : locator_at + 4] == _ZIP64_LOCATOR_SIGNATURE:
            record_offset = _ZIP64_LOCATOR.unpack(tail[locator_at:at])[2]
            handle.seek(record_offset)
            record = handle.read(_ZIP64_EOCD.size)
            if len(record) == _ZIP64_EOCD.size and record[:4] == _ZIP64_EOCD_SIGNATURE:
                zip64 = _ZIP64_EOCD.unpack(record)
                directory_size = zip64[8]
                # data prepended to the archive shifts every offset alike
                end_position = end_position - _ZIP64_LOCATOR.size - _ZIP64_EOCD.size
    start = end_position - directory_size
    return (start, directory_size) if start >= 0 else None


def _count_entries(handle: BinaryIO, start: int, length: int, *, stop_after: int) -> int:
    """Records in the central directory, counted without building them; stops past ``stop_after``.

    Reads the directory a block at a time and looks only at each record's
    signature and the three lengths that say where the next one starts.
    """
    count, position = 0, 0  # position: offset of the next record in the directory
    block, block_start = b"", 0
    while position + _CENTRAL_HEADER.size <= length and count <= stop_after:
        if position + _CENTRAL_HEADER.size > block_start + len(block):
            handle.seek(start + position)
            block, block_start = handle.read(min(CHUNK_SIZE, length - position)), position
            if len(block) < _CENTRAL_HEADER.size:
                break
        at = position - block_start
        if not block.startswith(_CENTRAL_SIGNATURE, at):
            break  # a damaged directory: zipfile will say so
        name, extra, comment = _CENTRAL_LENGTHS.unpack_from(block, at + 28)
        position += _CENTRAL_HEADER.size + name + extra + comment
        count += 1
    return count


def _unsafe_path(name: str) -> bool:
    """Absolute, drive-lettered, ``..``-climbing or NUL-carrying names leave the target folder."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0] or "\x00" in name


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _is_archive_name(name: str) -> bool:
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    return suffix in _ARCHIVE_SUFFIXES


def _local_header_end(info: zipfile.ZipInfo) -> int:
    """The least offset where an entry's compressed data can end (its local header at least)."""
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        name_length = len(info.orig_filename.encode(encoding))
    except UnicodeEncodeError:
        name_length = len(info.orig_filename.encode("utf-8"))
    return info.header_offset + _LOCAL_HEADER.size + name_length + info.compress_size


def _ratio(info: zipfile.ZipInfo) -> float:
    if info.file_size == 0:
        return 0.0
    return info.file_size / info.compress_size if info.compress_size else float("inf")


def inspect_zip(
    path: Path | str, *, max_total_bytes: int, max_entries: int, max_ratio: float
) -> ZipInspection:
    """What a zip archive declares, or :class:`ArchiveRefused` if it looks like a bomb.

    Only the archive's directory is read; nothing is decompressed. The checks,
    in order (the message names the first one that fails): more than
    ``max_entries`` entries; an unsafe path (absolute, ``..``, a drive
    letter); a symbolic link; an encrypted entry; a compression method other
    than stored or deflate; an archive inside the archive (by name); entries
    that overlap or whose data run past the archive; a total declared
    uncompressed size over ``max_total_bytes``; an entry of at least
    :data:`RATIO_APPLIES_FROM` bytes, or the archive as a whole, expanding
    more than ``max_ratio`` times.

    Parameters
    ----------
    path : Path or str
        The archive.
    max_total_bytes : int
        The most bytes all entries may declare together, uncompressed.
    max_entries : int
        The most records the archive's directory may hold, folders included.
    max_ratio : float
        The most an entry (or the archive) may expand: uncompressed size over
        compressed size.

    Raises
    ------
    ArchiveRefused
        When a limit is hit or an entry is unsafe.
    FormatError
        When the file cannot be read or is not a zip archive; when a zip is
        truncated (it starts like one but its end record is missing) or its
        list of entries is damaged.
    """
    path = Path(path)
    try:
        archive_bytes = path.stat().st_size
        with path.open("rb") as handle:
            starts_like_a_zip = handle.read(len(_LOCAL_SIGNATURE)) == _LOCAL_SIGNATURE
            located = _directory_location(handle, archive_bytes)
            if located is None and starts_like_a_zip:
                raise FormatError(path, _TRUNCATED)
            if located is None:
                raise FormatError(path, "expected a zip archive; the file is not one")
            directory_start = located[0]
            counted = _count_entries(handle, *located, stop_after=max_entries)
    except OSError as exc:
        raise FormatError(
            path, f"expected a zip archive; the file cannot be read ({exc.strerror or exc})"
        ) from exc
    if counted > max_entries:
        raise ArchiveRefused(
            path,
            f"the archive holds more than {max_entries:,} entries, the limit on the number "
            "of entries",
            limit="max_entries",
        )
    try:
        with zipfile.ZipFile(path) as bundle:
            infos = bundle.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        if starts_like_a_zip:
            raise FormatError(
                path, f"the zip archive is damaged: its list of entries cannot be read ({exc})"
            ) from None
        raise FormatError(path, f"expected a zip archive; it cannot be read ({exc})") from None
    if len(infos) > max_entries:  # a directory the quick count could not walk to the end
        raise ArchiveRefused(
            path,
            f"the archive holds {len(infos):,} entries, more than the limit of "
            f"{max_entries:,} on the number of entries",
            limit="max_entries",
        )
    return _judge(
        path,
        infos,
        archive_bytes,
        directory_start=directory_start,
        max_total_bytes=max_total_bytes,
        max_ratio=max_ratio,
    )


def _judge(
    path: Path,
    infos: list[zipfile.ZipInfo],
    archive_bytes: int,
    *,
    directory_start: int,
    max_total_bytes: int,
    max_ratio: float,
) -> ZipInspection:
    for info in infos:
        if not info.filename:
            raise FormatError(path, "the zip archive is damaged: an entry has no name")
        if info.header_offset < 0:
            raise FormatError(
                path,
                f"the zip archive is damaged: the entry {_shown(info.filename)} would start "
                "before the beginning of the file",
            )
    files = [info for info in infos if not info.is_dir()]
    for info in infos:
        name = info.filename
        if _unsafe_path(name):
            raise ArchiveRefused(
                path,
                f"the entry {_shown(name)} would be unpacked outside its folder "
                "(an absolute path, a drive letter or '..')",
                limit="unsafe_path",
            )
        if _is_symlink(info):
            raise ArchiveRefused(
                path,
                f"the entry {_shown(name)} is a symbolic link; links are not unpacked",
                limit="symlink",
            )
    for info in files:
        if info.flag_bits & 0x1:
            raise ArchiveRefused(
                path,
                f"the entry {_shown(info.filename)} is encrypted (password-protected)",
                limit="encrypted",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveRefused(
                path,
                f"the entry {_shown(info.filename)} uses compression method "
                f"{info.compress_type}; only stored and deflate (what zip tools write) are read",
                limit="compression",
            )
        if _is_archive_name(info.filename):
            raise ArchiveRefused(
                path,
                f"the entry {_shown(info.filename)} is itself an archive; archives inside "
                "an archive are not unpacked",
                limit="nested_archive",
            )

    ordered = sorted(files, key=lambda info: info.header_offset)
    for position, info in enumerate(ordered):
        following = ordered[position + 1] if position + 1 < len(ordered) else None
        limit_offset = following.header_offset if following is not None else directory_start
        if _local_header_end(info) > limit_offset:
            raise ArchiveRefused(
                path,
                f"the entry {_shown(info.filename)} declares more compressed data than the "
                "archive has room for (entries that overlap: a zip bomb)",
                limit="declared_size",
            )

    total = sum(info.file_size for info in files)
    compressed = sum(info.compress_size for info in files)
    if total > max_total_bytes:
        raise ArchiveRefused(
            path,
            f"the archive would unpack to {_size(total)}, more than the limit of "
            f"{_size(max_total_bytes)} on its total uncompressed size",
            limit="max_total_bytes",
        )
    judged = [info for info in files if info.file_size >= RATIO_APPLIES_FROM]
    largest = max(judged, key=_ratio, default=None)
    largest_ratio = _ratio(largest) if largest is not None else 0.0
    if largest is not None and largest_ratio > max_ratio:
        raise ArchiveRefused(
            path,
            f"the entry {_shown(largest.filename)} expands {largest_ratio:,.0f} times "
            f"(from {_size(largest.compress_size)} to {_size(largest.file_size)}), more than "
            f"the limit of {max_ratio:g} on the compression ratio",
            limit="max_ratio",
        )
    if total >= RATIO_APPLIES_FROM and total > max_ratio * max(archive_bytes, 1):
        raise ArchiveRefused(
            path,
            f"the archive expands {total / max(archive_bytes, 1):,.0f} times (from "
            f"{_size(archive_bytes)} to {_size(total)}), more than the limit of "
            f"{max_ratio:g} on the compression ratio",
            limit="max_ratio",
        )
    return ZipInspection(
        entries=len(infos),
        files=len(files),
        total_uncompressed=total,
        total_compressed=compressed,
        largest_ratio=largest_ratio,
        archive_bytes=archive_bytes,
        names=tuple(info.filename for info in files),
    )


# --------------------------------------------------------------------------- reading


def entry_chunks(
    handle: BinaryIO,
    info: zipfile.ZipInfo,
    *,
    path: Path | str,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[bytes]:
    """The decompressed bytes of one entry, checked while they come.

    ``handle`` is the archive opened for reading in binary, ``info`` an entry
    of an archive :func:`inspect_zip` accepted and ``path`` the archive's
    path, for messages. The entry is decompressed here, at most
    ``chunk_size`` bytes at a time, and stops with :class:`ArchiveRefused`
    (``limit="declared_size"``) as soon as it yields more than the
    uncompressed size its header declares: a header that lies costs at most
    one chunk more than it declared. (:mod:`zipfile` would cut such an entry
    short and blame its CRC.) An entry whose data are invalid, end early, or
    do not match its declared size or CRC raises :class:`DamagedEntry`.
    """
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise DamagedEntry(info.filename, "its local header is missing")
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    handle.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    produced, crc = 0, 0
    for chunk in _decompressed(handle, info, chunk_size=chunk_size):
        produced += len(chunk)
        if produced > info.file_size:
            raise ArchiveRefused(
                path,
                f"the entry {_shown(info.filename)} holds more than the "
                f"{_size(info.file_size)} its header declares (a header that lies, as in "
                "a zip bomb)",
                limit="declared_size",
            )
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if produced != info.file_size:
        raise DamagedEntry(
            info.filename,
            f"it holds {_size(produced)}, not the {_size(info.file_size)} its header declares",
        )
    if crc != info.CRC:
        raise DamagedEntry(info.filename, "CRC mismatch")


def _decompressed(handle: BinaryIO, info: zipfile.ZipInfo, *, chunk_size: int) -> Iterator[bytes]:
    """An entry's data from where ``handle`` stands, never more than ``chunk_size`` at once."""
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while left > 0 and (data := handle.read(min(chunk_size, left))):
            left -= len(data)
            yield data
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise DamagedEntry(info.filename, "it is neither stored nor deflated")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pending = b""
    while not inflater.eof:
        if not pending:
            pending = handle.read(min(chunk_size, left)) if left > 0 else b""
            left -= len(pending)
            if not pending:
                raise DamagedEntry(
                    info.filename, "its compressed data end early: the archive may be truncated"
                )
        try:
            data = inflater.decompress(pending, chunk_size)
        except zlib.error as exc:
            # "Error -3 while decompressing data: invalid block type": the part after
            # the colon is what people can use
            detail = str(exc).rpartition(": ")[2]
            raise DamagedEntry(info.filename, f"invalid compressed data: {detail}") from None
        pending = inflater.unconsumed_tail
        if data:
            yield data


_JUNK = ("__MACOSX",)


def _is_junk(parts: list[str]) -> bool:
    """macOS metadata a zip made in the Finder carries: never part of an export."""
    return parts[0] in _JUNK or parts[-1] == ".DS_Store"


def extract_zip(path: Path | str, target: Path | str, *, limits: ArchiveLimits) -> ZipInspection:
    """Unpack a zip into ``target`` after :func:`inspect_zip`, checking what is really written.

    Entries are written under ``target`` (created if missing) and nowhere
    else: a name that resolves outside it, a symbolic link, or a name that
    is already there is refused. Unpacking stops with :class:`ArchiveRefused`
    as soon as an entry yields more than it declared, the bytes written pass
    ``limits.max_total_bytes``, or a file turns out to be an archive; the
    files written so far are then removed. macOS metadata (``__MACOSX/``,
    ``.DS_Store``) is skipped.

    Raises
    ------
    ArchiveRefused
        See :func:`inspect_zip` and above.
    FormatError
        When the archive cannot be read, is truncated, or an entry is damaged
        (the message names the entry: ``the entry 'cur/1' is damaged (CRC
        mismatch)``).
    """
    path, target = Path(path), Path(target)
    inspection = inspect_zip(path, **asdict(limits))
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    created: list[Path] = []
    try:
        with zipfile.ZipFile(path) as bundle, path.open("rb") as handle:
            written = 0
            for info in bundle.infolist():
                parts = [
                    p for p in info.filename.replace("\\", "/").split("/") if p not in ("", ".")
                ]
                if not parts or _is_junk(parts):
                    continue
                destination = root.joinpath(*parts)
                if not destination.resolve().is_relative_to(root) or _unsafe_path(info.filename):
                    raise ArchiveRefused(
                        path,
                        f"the entry {_shown(info.filename)} would be unpacked outside its folder",
                        limit="unsafe_path",
                    )
                written = _extract_one(
                    handle, info, destination, created, path=path, written=written, limits=limits
                )
    except BaseException:
        for made in reversed(created):
            with contextlib.suppress(OSError):
                made.rmdir() if made.is_dir() else made.unlink()
        raise
    return inspection


def _extract_one(
    handle: BinaryIO,
    info: zipfile.ZipInfo,
    destination: Path,
    created: list[Path],
    *,
    path: Path,
    written: int,
    limits: ArchiveLimits,
) -> int:
    """Write one entry; returns the bytes written so far, all entries together."""
    folder = destination if info.is_dir() else destination.parent
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    try:
        for made in reversed(missing):
            made.mkdir()
            created.append(made)
    except OSError:  # a file already stands where a folder must go
        raise ArchiveRefused(
            path,
            f"the entry {_shown(info.filename)} clashes with another entry of the archive",
            limit="unsafe_path",
        ) from None
    if info.is_dir():
        return written
    try:
        sink = destination.open("xb")  # never through a link, never over a file
    except FileExistsError:
        raise ArchiveRefused(
            path,
            f"the entry {_shown(info.filename)} appears twice in the archive",
            limit="unsafe_path",
        ) from None
    except NotADirectoryError:  # a file already stands where one of its folders must go
        raise ArchiveRefused(
            path,
            f"the entry {_shown(info.filename)} clashes with another entry of the archive",
            limit="unsafe_path",
        ) from None
    created.append(destination)
    try:
        with sink:
            first = True
            for chunk in entry_chunks(handle, info, path=path):
                if first and chunk.startswith(_ARCHIVE_MAGIC):
                    raise ArchiveRefused(
                        path,
                        f"the entry {_shown(info.filename)} is itself an archive; archives "
                        "inside an archive are not unpacked",
                        limit="nested_archive",
                    )
                first = False
                written += len(chunk)
                if written > limits.max_total_bytes:
                    raise ArchiveRefused(
                        path,
                        f"unpacking wrote more than the limit of {_size(limits.max_total_bytes)} "
                        "on the total uncompressed size",
                        limit="max_total_bytes",
                    )
                sink.write(chunk)
    except zipfile.BadZipFile as exc:
        raise FormatError(path, str(exc)) from None
    return written
