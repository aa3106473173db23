"""The files an import reads: uploads saved under safe names, local paths
checked, archives inspected and unpacked in the worker, and uploads deleted
once read.

Uploads hold message bodies and everything else Bridgework never keeps, so
they live only under ``UPLOAD_DIR/<run id>/`` and only until the import has
read them.

Nothing is unpacked or read while the upload's request runs: the request only
stores the files (:func:`store_uploads`). The worker judges each zip on its
directory before a byte is decompressed
(:func:`~bridgework.core.ingest.archive.inspect_zip`: total unpacked size,
number of entries, compression ratio, unsafe paths) and unpacks a folder
format through :func:`~bridgework.core.ingest.archive.extract_zip`, which
counts what it really writes (:func:`prepare_inputs`). The limits depend on
who started the import (:func:`upload_limit`, :func:`archive_limits`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from bridgework.accounts import policies
from bridgework.accounts.models import User
from bridgework.core.ingest.archive import ArchiveLimits, extract_zip, inspect_zip
from bridgework.core.ingest.base import Reader

__all__ = [
    "ZIP_EXPANSION_LIMIT",
    "upload_limit",
    "archive_limits",
    "safe_file_name",
    "store_uploads",
    "local_inputs",
    "prepare_inputs",
    "discard_uploads",
]

#: An unpacked zip may hold at most this many times its starter's upload limit.
ZIP_EXPANSION_LIMIT = 10
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._ -]+")


def upload_limit(user: User | None) -> int:
    """The most bytes ``user`` may upload for one import, all files together:
    ``IMPORT_MAX_UPLOAD_BYTES_ANALYST`` for people analysts and admins (and the
    command line, ``None``), ``IMPORT_MAX_UPLOAD_BYTES_MEMBER`` for anyone else."""
    if user is None or (user.is_authenticated and policies.can_manage_people(user)):
        return int(settings.IMPORT_MAX_UPLOAD_BYTES_ANALYST)
    return int(settings.IMPORT_MAX_UPLOAD_BYTES_MEMBER)


def archive_limits(user: User | None) -> ArchiveLimits:
    """How far a zip imported by ``user`` may go: unpacked, at most
    :data:`ZIP_EXPANSION_LIMIT` times their upload limit;
    ``IMPORT_ZIP_MAX_ENTRIES`` entries; ``IMPORT_ZIP_MAX_RATIO`` times its
    compressed size."""
    return ArchiveLimits(
        max_total_bytes=upload_limit(user) * ZIP_EXPANSION_LIMIT,
        max_entries=int(settings.IMPORT_ZIP_MAX_ENTRIES),
        max_ratio=float(settings.IMPORT_ZIP_MAX_RATIO),
    )


def safe_file_name(name: str, *, default: str = "upload") -> str:
    """A name that is safe as one file in a folder: no path, no hidden or odd characters.

    >>> safe_file_name("../../etc/passwd"), safe_file_name("C:\\\\mail\\\\inbox .mbox")
    ('passwd', 'inbox .mbox')
    >>> safe_file_name(".."), safe_file_name("rés umé?.vcf")
    ('upload', 'r_s um_.vcf')
    """
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = _UNSAFE_NAME_CHARACTERS.sub("_", base).strip(" .")
    base = base.lstrip("-_ ")
    if not base or set(base) <= {"."}:
        return default
    if len(base) > 120:
        stem, dot, extension = base.rpartition(".")
        base = (
            (stem[: 120 - len(extension) - 1] + dot + extension)
            if dot and len(extension) < 16
            else base[:120]
        )
    return base


def _unique(folder: Path, name: str) -> Path:
    candidate, number = folder / name, 2
    while candidate.exists():
        candidate = folder / f"{number}-{name}"
        number += 1
    return candidate


def _is_zip(name: str) -> bool:
    return name.lower().endswith(".zip")


def _needs_unpacking(reader: Reader, name: str) -> bool:
    return reader.folder and _is_zip(name) and ".zip" not in reader.extensions


def _reads_zip_itself(reader: Reader, name: str) -> bool:
    return _is_zip(name) and ".zip" in reader.extensions


def _unpack_zip(archive: Path, target: Path, *, limits: ArchiveLimits) -> Path:
    """Unpack an inspected zip into ``target`` (refusing bombs and unsafe entries
    with :class:`~bridgework.core.ingest.archive.ArchiveRefused`). Returns the
    folder to read: ``target`` itself, or its only sub-folder when the archive
    holds one top-level folder."""
    extract_zip(archive, target, limits=limits)
    children = list(target.iterdir()) if target.exists() else []
    if len(children) == 1 and children[0].is_dir():
        return children[0]
    return target


def store_uploads(run_dir: Path, uploads: Sequence, reader: Reader) -> tuple[list[str], list[str]]:
    """Save uploaded files in ``run_dir`` under safe names, as they are (a zip is
    unpacked by the worker, :func:`prepare_inputs`); returns the names shown and
    the stored paths."""
    names, stored = [], []
    for upload in uploads:
        display = safe_file_name(getattr(upload, "name", ""))
        if reader.folder and not _is_zip(display) and ".zip" not in reader.extensions:
            raise ValidationError(
                {
                    "files": f"{reader.label} is a folder: upload it as a .zip file ({display} is not)."
                }
            )
        path = _unique(run_dir, display)
        temporary = getattr(upload, "temporary_file_path", None)
        if temporary is not None:
            # Django already streamed a large upload to a temporary file: move
            # it rather than write it a second time inside the request.
            shutil.move(temporary(), path)
        else:
            with path.open("wb") as sink:
                for chunk in upload.chunks():
                    sink.write(chunk)
        stored.append(str(path))
        names.append(display)
    return names, stored


def local_inputs(run_dir: Path, paths: Sequence, reader: Reader) -> tuple[list[str], list[str]]:
    """Local files and folders (the command line) to read where they are (a zip
    of a folder format is unpacked by :func:`prepare_inputs`). Returns names and
    paths."""
    names, stored = [], []
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists():
            raise ValidationError({"paths": f"No such file or folder: {given}"})
        stored.append(str(path.resolve()))
        names.append(path.name)
    return names, stored


def prepare_inputs(
    run_dir: Path, stored: Sequence[str], reader: Reader, *, limits: ArchiveLimits
) -> list[Path]:
    """The paths the reader reads, made ready in the worker: a zip of a folder
    format is inspected and unpacked into ``run_dir``; a zip the reader opens
    itself (a Slack export) is inspected. Anything over ``limits`` raises
    :class:`~bridgework.core.ingest.archive.ArchiveRefused` (a
    :class:`~bridgework.core.ingest.records.FormatError` naming the file and
    the limit) before a byte is decompressed; a file that is no zip at all is
    a ``FormatError``."""
    ready: list[Path] = []
    for given in stored:
        path = Path(given)
        if path.is_file() and _needs_unpacking(reader, path.name):
            folder = _unique(run_dir, f"{safe_file_name(path.stem, default='folder')}-unpacked")
            folder.mkdir(parents=True)
            ready.append(_unpack_zip(path, folder, limits=limits))
        else:
            if path.is_file() and _reads_zip_itself(reader, path.name):
                inspect_zip(
                    path,
                    max_total_bytes=limits.max_total_bytes,
                    max_entries=limits.max_entries,
                    max_ratio=limits.max_ratio,
                )
            ready.append(path)
    return ready


def discard_uploads(run_id: int) -> None:
    """Delete the run's uploaded (and unpacked) files once read: they hold message
    bodies and everything else Bridgework never keeps. Local paths the command
    line was given are the user's and stay."""
    shutil.rmtree(Path(settings.UPLOAD_DIR) / str(run_id), ignore_errors=True)
