"""Zip archives: each kind of zip bomb and unsafe entry is refused, with the limit named.

Most archives here are written byte by byte (:func:`raw_zip`, after PKWARE's
APPNOTE.TXT sections 4.3.7, 4.3.12 and 4.3.16), because a bomb is an archive
whose headers say something other than what :mod:`zipfile` would write.
Expected sizes and ratios come from the data the test put in, or from the
standard library's own reading of the archive, never from the code under test.
"""

from __future__ import annotations

import io
import random
import stat
import struct
import tracemalloc
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from bridgework.core.ingest.archive import (
    RATIO_APPLIES_FROM,
    ArchiveLimits,
    ArchiveRefused,
    DamagedEntry,
    entry_chunks,
    extract_zip,
    inspect_zip,
)
from bridgework.core.ingest.records import FormatError

MiB = 1 << 20
LIMITS = ArchiveLimits(max_total_bytes=64 * MiB, max_entries=1_000, max_ratio=100)


@dataclass
class Entry:
    """One entry as the archive's headers will declare it."""

    name: str
    data: bytes  # as stored: already compressed when method is 8
    size: int  # declared uncompressed size
    crc: int = 0
    method: int = 0  # 0 stored, 8 deflate, 12 bzip2
    flags: int = 0
    external_attr: int = 0
    offset: int | None = None  # declared local header offset; None: where it really is

    @classmethod
    def stored(cls, name: str, content: bytes) -> Entry:
        return cls(name, content, len(content), zlib.crc32(content))

    @classmethod
    def deflated(cls, name: str, content: bytes, *, declared: int | None = None) -> Entry:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        data = packer.compress(content) + packer.flush()
        size = len(content) if declared is None else declared
        return cls(name, data, size, zlib.crc32(content), method=8)


def raw_zip(path: Path, entries: list[Entry], *, claimed: int | None = None) -> Path:
    """An archive whose headers say exactly what ``entries`` declare; its end record
    claims ``claimed`` entries when given."""
    local, central, offsets = bytearray(), bytearray(), []
    for entry in entries:
        name = entry.name.encode()
        offsets.append(len(local))
        local += struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            20,
            entry.flags,
            entry.method,
            0,
            0x21,
            entry.crc,
            len(entry.data),
            entry.size,
            len(name),
            0,
        )
        local += name + entry.data
    for entry, offset in zip(entries, offsets, strict=True):
        name = entry.name.encode()
        central += struct.pack(
            "<4s4B4HL2L5H2L",
            b"PK\x01\x02",
            20,
            3,  # made on Unix: external attributes carry the file mode
            20,
            0,
            entry.flags,
            entry.method,
            0,
            0x21,
            entry.crc,
            len(entry.data),
            entry.size,
            len(name),
            0,
            0,
            0,
            0,
            entry.external_attr,
            offset if entry.offset is None else entry.offset,
        )
        central += name
    count = min(len(entries), 0xFFFF) if claimed is None else claimed
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def refused(path: Path, limits: ArchiveLimits = LIMITS) -> ArchiveRefused:
    with pytest.raises(ArchiveRefused) as caught:
        inspect_zip(
            path,
            max_total_bytes=limits.max_total_bytes,
            max_entries=limits.max_entries,
            max_ratio=limits.max_ratio,
        )
    return caught.value


def incompressible(size: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(size)


# --------------------------------------------------------------------------- honest archives


def test_an_honest_archive_is_described_and_unpacked(tmp_path):
    archive = tmp_path / "export.zip"
    contents = {
        "export/users.json": b'[{"id": "U1"}]' * 100,
        "export/general/2024-01-05.json": incompressible(3000),
        "__MACOSX/export/._users.json": b"\x00\x05\x16\x07",
        "export/.DS_Store": b"\x00\x00\x00\x01Bud1",
    }
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.mkdir("export/empty")
        for name, content in contents.items():
            bundle.writestr(name, content)
    with zipfile.ZipFile(archive) as bundle:  # the standard library's reading, for comparison
        infos = bundle.infolist()

    found = inspect_zip(archive, max_total_bytes=MiB, max_entries=10, max_ratio=100)
    assert found.entries == 5 and found.files == 4
    assert found.total_uncompressed == sum(len(c) for c in contents.values()) == 4412
    assert found.total_compressed == sum(i.compress_size for i in infos)
    assert found.largest_ratio == 0.0  # no entry reaches RATIO_APPLIES_FROM
    assert found.archive_bytes == archive.stat().st_size
    assert set(found.names) == set(contents)

    target = tmp_path / "out"
    assert extract_zip(archive, target, limits=LIMITS) == found
    written = {p.relative_to(target).as_posix() for p in target.rglob("*")}
    assert written == {"export", "export/empty", "export/users.json", "export/general"} | {
        "export/general/2024-01-05.json"
    }
    for name in ("export/users.json", "export/general/2024-01-05.json"):
        assert (target / name).read_bytes() == contents[name]


def test_a_file_that_is_not_a_zip_is_a_format_error_not_a_refusal(tmp_path):
    path = tmp_path / "notes.zip"
    path.write_text("just some notes\n")
    with pytest.raises(FormatError, match="notes.zip: expected a zip archive") as caught:
        inspect_zip(path, max_total_bytes=MiB, max_entries=10, max_ratio=100)
    assert not isinstance(caught.value, ArchiveRefused)


# --------------------------------------------------------------------------- bombs


def peak_memory(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_too_many_entries_are_refused_before_zipfile_builds_them(tmp_path):
    """A directory of 100,001 entries, over a limit of 100,000, is counted straight from
    the file, in a small fraction of what zipfile's listing of it would take (measured
    on 2,000 entries, and scaled)."""
    limits = ArchiveLimits(max_total_bytes=MiB, max_entries=100_000, max_ratio=100)
    count = limits.max_entries + 1
    entries = [Entry.stored(f"{n:06}", b"") for n in range(count)]
    archive = raw_zip(tmp_path / "many.zip", entries, claimed=1)  # its end record lies too
    sample = raw_zip(tmp_path / "sample.zip", entries[:2_000])

    def listing() -> None:
        with zipfile.ZipFile(sample) as bundle:
            assert len(bundle.infolist()) == 2_000

    zipfile_would_take = peak_memory(listing) * count / 2_000
    caught: list[ArchiveRefused] = []
    ours = peak_memory(lambda: caught.append(refused(archive, limits)))

    assert caught[0].limit == "max_entries"
    assert caught[0].expected == (
        "refused: the archive holds more than 100,000 entries, the limit on the number of entries"
    )
    assert ours < zipfile_would_take / 20, (ours, zipfile_would_take)


def test_an_entry_with_a_high_compression_ratio_is_refused(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        bundle.writestr("general/2024-01-05.json", b"\x00" * (20 * MiB))
    with zipfile.ZipFile(archive) as bundle:
        info = bundle.infolist()[0]
    ratio = info.file_size / info.compress_size
    assert ratio > 500  # deflate's best is about 1,000 to 1

    error = refused(archive)
    assert error.limit == "max_ratio"
    assert error.expected == (
        f"refused: the entry 'general/2024-01-05.json' expands {ratio:,.0f} times (from "
        f"{info.compress_size:,} bytes to 20,971,520 bytes (20.0 MiB)), more than the limit "
        "of 100 on the compression ratio"
    )


def test_many_small_entries_that_expand_together_are_refused(tmp_path):
    """Each entry stays under RATIO_APPLIES_FROM; the archive as a whole expands hundreds of times."""
    archive = tmp_path / "spread.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for n in range(200):
            bundle.writestr(f"day-{n}.json", b" " * (100 * 1024))
    total = 200 * 100 * 1024
    assert RATIO_APPLIES_FROM > 100 * 1024

    error = refused(archive)
    assert error.limit == "max_ratio"
    size = archive.stat().st_size
    assert error.expected.startswith(
        f"refused: the archive expands {total / size:,.0f} times (from {size:,} bytes to "
        "20,480,000 bytes (19.5 MiB)), more than the limit of 100"
    )


def test_a_total_uncompressed_size_over_the_limit_is_refused(tmp_path):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for n in range(3):
            bundle.writestr(f"part-{n}.bin", incompressible(MiB, seed=n))
    limits = ArchiveLimits(max_total_bytes=2 * MiB, max_entries=10, max_ratio=100)

    error = refused(archive, limits)
    assert error.limit == "max_total_bytes"
    assert error.expected == (
        "refused: the archive would unpack to 3,145,728 bytes (3.0 MiB), more than the limit "
        "of 2,097,152 bytes (2.0 MiB) on its total uncompressed size"
    )
    with pytest.raises(ArchiveRefused, match="total uncompressed size"):
        extract_zip(archive, tmp_path / "out", limits=limits)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_archive_inside_the_archive_is_refused(tmp_path):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as bundle:
        bundle.writestr("a.txt", "a")
    archive = tmp_path / "outer.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(inner, "export/attachments/inner.zip")

    error = refused(archive)
    assert error.limit == "nested_archive"
    assert error.expected == (
        "refused: the entry 'export/attachments/inner.zip' is itself an archive; archives "
        "inside an archive are not unpacked"
    )


def test_an_archive_hidden_under_another_name_is_refused_while_unpacking(tmp_path):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as bundle:
        bundle.writestr("a.txt", "a")
    archive = tmp_path / "outer.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("readme.txt", "hello")
        bundle.write(inner, "general/2024-01-05.json")
    target = tmp_path / "out"

    inspect_zip(archive, max_total_bytes=MiB, max_entries=10, max_ratio=100)  # names look fine
    with pytest.raises(ArchiveRefused) as caught:
        extract_zip(archive, target, limits=LIMITS)
    assert caught.value.limit == "nested_archive"
    assert "'general/2024-01-05.json' is itself an archive" in caught.value.expected
    assert list(target.rglob("*")) == []  # what was written before is removed again


def test_a_header_that_lies_about_its_size_stops_the_unpacking_at_the_declared_size(tmp_path):
    """The headers declare 1,000 bytes; the deflate stream holds 64 MiB of zeros."""
    real = 64 * MiB
    archive = raw_zip(
        tmp_path / "liar.zip",
        [
            Entry.stored("readme.txt", b"hello"),
            Entry.deflated("general/2024-01-05.json", b"\x00" * real, declared=1_000),
        ],
    )
    found = inspect_zip(archive, max_total_bytes=MiB, max_entries=10, max_ratio=100)
    assert found.total_uncompressed == 1_005  # what the headers claim passes the limits

    with zipfile.ZipFile(archive) as bundle, archive.open("rb") as handle:
        info = bundle.getinfo("general/2024-01-05.json")
        produced = 0
        with pytest.raises(ArchiveRefused) as caught:
            for chunk in entry_chunks(handle, info, path=archive, chunk_size=64 * 1024):
                produced += len(chunk)
    assert caught.value.limit == "declared_size"
    assert produced <= 1_000  # the chunk that went past the declared size is not handed out

    target = tmp_path / "out"
    with pytest.raises(ArchiveRefused) as caught:
        extract_zip(archive, target, limits=LIMITS)
    assert caught.value.expected == (
        "refused: the entry 'general/2024-01-05.json' holds more than the 1,000 bytes its "
        "header declares (a header that lies, as in a zip bomb)"
    )
    assert list(target.rglob("*")) == []


def test_entries_that_overlap_are_refused(tmp_path):
    """Two entries declaring the same data, as in Fifield's overlapping zip bomb."""
    data = Entry.deflated("a.json", b"\x00" * 4096)
    archive = raw_zip(
        tmp_path / "overlap.zip",
        [data, Entry("b.json", data.data, data.size, data.crc, method=8, offset=0)],
    )
    error = refused(archive)
    assert error.limit == "declared_size"
    assert "overlap" in error.expected


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "export/../../evil.txt", "/etc/evil.txt", "C:/evil.txt", "..\\evil.txt"],
)
def test_a_path_that_leaves_the_target_is_refused(tmp_path, name):
    archive = raw_zip(tmp_path / "climb.zip", [Entry.stored(name, b"gotcha")])
    error = refused(archive)
    assert error.limit == "unsafe_path"
    assert error.expected == (
        f"refused: the entry {name!r} would be unpacked outside its folder (an absolute "
        "path, a drive letter or '..')"
    )
    target = tmp_path / "deep" / "out"
    with pytest.raises(ArchiveRefused):
        extract_zip(archive, target, limits=LIMITS)
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "deep" / "evil.txt").exists()


def test_a_symbolic_link_is_refused(tmp_path):
    link = Entry.stored("export/users.json", b"/etc/passwd")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = raw_zip(tmp_path / "link.zip", [link])
    error = refused(archive)
    assert error.limit == "symlink"
    assert error.expected == (
        "refused: the entry 'export/users.json' is a symbolic link; links are not unpacked"
    )


def test_a_link_already_in_the_target_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "out"
    target.mkdir()
    (target / "export").symlink_to(outside)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("export/users.json", "[]")
    with pytest.raises(ArchiveRefused) as caught:
        extract_zip(archive, target, limits=LIMITS)
    assert caught.value.limit == "unsafe_path"
    assert list(outside.iterdir()) == []


def test_encrypted_entries_and_other_compression_methods_are_refused(tmp_path):
    locked = Entry.stored("users.json", b"[]")
    locked.flags = 0x1
    error = refused(raw_zip(tmp_path / "locked.zip", [locked]))
    assert error.limit == "encrypted"
    assert error.expected == "refused: the entry 'users.json' is encrypted (password-protected)"

    archive = tmp_path / "bzip2.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_BZIP2) as bundle:
        bundle.writestr("users.json", "[]")
    error = refused(archive)
    assert error.limit == "compression"
    assert error.expected == (
        "refused: the entry 'users.json' uses compression method 12; only stored and "
        "deflate (what zip tools write) are read"
    )


def test_a_damaged_entry_is_a_format_error(tmp_path):
    damaged = Entry.stored("users.json", b"[1, 2, 3]")
    damaged.crc ^= 0xFFFF
    archive = raw_zip(tmp_path / "damaged.zip", [damaged])
    with pytest.raises(FormatError) as caught:
        extract_zip(archive, tmp_path / "out", limits=LIMITS)
    assert str(caught.value) == "damaged.zip: the entry 'users.json' is damaged (CRC mismatch)"
    assert not isinstance(caught.value, ArchiveRefused)
    assert not (tmp_path / "out" / "users.json").exists()


# --------------------------------------------------------------------------- damage

#: A good archive as zip tools write it: a Maildir of two messages.
MAILDIR_ENTRIES = {
    "cur/1.host:2,S": b"From: a@example.org\nTo: b@example.org\n\n" + b"body " * 200,
    "new/2.host": b"From: b@example.org\nTo: a@example.org\n\n" + b"reply " * 200,
}


def good_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, content in entries.items():
            bundle.writestr(name, content)
    return buffer.getvalue()


def damage(archive: bytes, entry: str, how: str) -> bytes:
    """``archive`` (written by :mod:`zipfile`) with one entry damaged, as a bad disk
    or a bad download leaves it: ``"deflate"`` overwrites the entry's compressed
    data with 0xFF bytes (a deflate block of the reserved type 3: RFC 1951
    section 3.2.3, "11 - reserved (error)"), ``"crc"`` changes the CRC-32 stored
    for it in its local and central headers (APPNOTE.TXT 4.3.7 and 4.3.12),
    ``"truncate"`` cuts the file in the middle of that entry's data."""
    data = bytearray(archive)
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        info = bundle.getinfo(entry)
    name_length, extra_length = struct.unpack_from("<2H", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    if how == "truncate":
        return bytes(data[: start + info.compress_size // 2])
    if how == "deflate":
        data[start : start + info.compress_size] = b"\xff" * info.compress_size
        return bytes(data)
    assert how == "crc"
    wrong = struct.pack("<L", info.CRC ^ 0xFFFFFFFF)
    data[info.header_offset + 14 : info.header_offset + 18] = wrong
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + length] == entry.encode():
            data[central + 16 : central + 20] = wrong
        central = data.find(b"PK\x01\x02", central + 1)
    return bytes(data)


@pytest.mark.parametrize(
    ("how", "problem"),
    [
        ("crc", "CRC mismatch"),
        ("deflate", "invalid compressed data: invalid block type"),
    ],
)
def test_a_damaged_member_is_named_with_what_is_wrong(tmp_path, how, problem):
    archive = tmp_path / "mail.zip"
    archive.write_bytes(damage(good_zip(MAILDIR_ENTRIES), "new/2.host", how))
    inspect_zip(archive, max_total_bytes=MiB, max_entries=10, max_ratio=100)  # it looks fine
    with pytest.raises(FormatError) as caught:
        extract_zip(archive, tmp_path / "out", limits=LIMITS)
    assert str(caught.value) == f"mail.zip: the entry 'new/2.host' is damaged ({problem})"
    assert not isinstance(caught.value, ArchiveRefused)
    assert list((tmp_path / "out").iterdir()) == []  # what was written is removed

    with (
        archive.open("rb") as handle,
        zipfile.ZipFile(archive) as bundle,
        pytest.raises(DamagedEntry) as read,
    ):
        list(entry_chunks(handle, bundle.getinfo("new/2.host"), path=archive))
    assert (read.value.entry, read.value.problem) == ("new/2.host", problem)


def test_a_truncated_zip_is_called_truncated(tmp_path):
    archive = tmp_path / "mail.zip"
    archive.write_bytes(damage(good_zip(MAILDIR_ENTRIES), "new/2.host", "truncate"))
    with pytest.raises(FormatError) as caught:
        inspect_zip(archive, max_total_bytes=MiB, max_entries=10, max_ratio=100)
    assert str(caught.value) == (
        "mail.zip: the zip archive is truncated: it ends before the list of its entries "
        "(an incomplete download or copy?)"
    )
    with pytest.raises(FormatError, match="mail.zip: the zip archive is truncated"):
        extract_zip(archive, tmp_path / "out", limits=LIMITS)


def test_a_damaged_list_of_entries_is_called_damaged(tmp_path):
    data = bytearray(good_zip(MAILDIR_ENTRIES))
    central = data.find(b"PK\x01\x02")
    data[central : central + 4] = b"XXXX"  # the first central header's signature
    archive = tmp_path / "mail.zip"
    archive.write_bytes(bytes(data))
    with pytest.raises(FormatError) as caught:
        inspect_zip(archive, max_total_bytes=MiB, max_entries=10, max_ratio=100)
    assert str(caught.value).startswith(
        "mail.zip: the zip archive is damaged: its list of entries cannot be read ("
    )


def test_an_entry_without_a_name_is_damage_not_a_crash(tmp_path):
    archive = raw_zip(tmp_path / "noname.zip", [Entry.stored("", b"x")])
    with pytest.raises(FormatError) as caught:
        inspect_zip(archive, max_total_bytes=MiB, max_entries=10, max_ratio=100)
    assert str(caught.value) == "noname.zip: the zip archive is damaged: an entry has no name"


def test_an_entry_said_to_start_before_the_file_is_damage_not_a_crash(tmp_path):
    """The end record's directory offset is raised by 100: zipfile then places
    every entry 100 bytes earlier (APPNOTE.TXT 4.3.16; zipfile's ``concat``), the
    first one before the file's first byte."""
    archive = raw_zip(tmp_path / "shifted.zip", [Entry.stored("cur/1", b"From: a")])
    data = bytearray(archive.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    (offset,) = struct.unpack_from("<L", data, end + 16)
    struct.pack_into("<L", data, end + 16, offset + 100)
    archive.write_bytes(bytes(data))
    with pytest.raises(FormatError) as caught:
        extract_zip(archive, tmp_path / "out", limits=LIMITS)
    assert str(caught.value) == (
        "shifted.zip: the zip archive is damaged: the entry 'cur/1' would start before "
        "the beginning of the file"
    )


def test_an_archive_of_folders_only_is_read(tmp_path):
    archive = tmp_path / "empty-maildir.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for folder in ("cur", "new", "tmp"):
            bundle.mkdir(folder)
    found = inspect_zip(archive, max_total_bytes=MiB, max_entries=10, max_ratio=100)
    assert (found.entries, found.files) == (3, 0)
    extract_zip(archive, tmp_path / "out", limits=LIMITS)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["cur", "new", "tmp"]


def test_a_file_where_a_folder_must_go_is_refused(tmp_path):
    archive = tmp_path / "clash.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("cur", b"a file")
        bundle.writestr("cur/1", b"From: a")
    with pytest.raises(ArchiveRefused) as caught:
        extract_zip(archive, tmp_path / "out", limits=LIMITS)
    assert caught.value.limit == "unsafe_path"
    assert caught.value.expected == (
        "refused: the entry 'cur/1' clashes with another entry of the archive"
    )
    assert list((tmp_path / "out").iterdir()) == []
