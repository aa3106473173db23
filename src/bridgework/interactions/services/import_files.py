"""The files an import reads: uploads saved under safe names, zips unpacked
safely, local paths checked, and uploads deleted once read.

Uploads hold message bodies and everything else Bridgework never keeps, so
they live only under ``UPLOAD_DIR/<run id>/`` and only until the import has
read them.
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from bridgework.core.ingest.base import Reader

__all__ = [
    "ZIP_EXPANSION_LIMIT",
    "ZIP_MAX_FILES",
    "safe_file_name",
    "store_uploads",
    "local_inputs",
    "discard_uploads",
]

#: Unpacked zips may hold at most this many times the upload limit, and this many files.
ZIP_EXPANSION_LIMIT = 10
ZIP_MAX_FILES = 500_000
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._ -]+")


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


def _unpack_zip(archive: Path, target: Path, *, display_name: str) -> Path:
    """Extract a zip into ``target`` without letting any entry escape it.

    Entries with absolute paths, ``..`` parts or drive letters, and symbolic
    links, are refused; the unpacked size and the number of files are limited
    (zip bombs). Returns the folder to read: ``target`` itself, or its only
    sub-folder when the archive holds one top-level folder.
    """
    limit = settings.IMPORT_MAX_UPLOAD_BYTES * ZIP_EXPANSION_LIMIT
    try:
        with zipfile.ZipFile(archive) as bundle:
            entries = [e for e in bundle.infolist() if not e.is_dir()]
            if len(entries) > ZIP_MAX_FILES:
                raise ValidationError(
                    {"files": f"{display_name} holds more than {ZIP_MAX_FILES:,} files."}
                )
            written = 0
            for entry in entries:
                parts = entry.filename.replace("\\", "/").split("/")
                if (
                    entry.filename.startswith(("/", "\\"))
                    or ".." in parts
                    or ":" in parts[0]
                    or stat.S_ISLNK(entry.external_attr >> 16)
                ):
                    raise ValidationError(
                        {"files": f"{display_name} contains an unsafe path; refusing to unpack it."}
                    )
                parts = [p for p in parts if p not in ("", ".")]
                if not parts or parts[0] == "__MACOSX" or parts[-1] == ".DS_Store":
                    continue
                destination = target.joinpath(*parts)
                if not destination.resolve().is_relative_to(target.resolve()):
                    raise ValidationError(
                        {"files": f"{display_name} contains an unsafe path; refusing to unpack it."}
                    )
                destination.parent.mkdir(parents=True, exist_ok=True)
                with bundle.open(entry) as source, destination.open("wb") as sink:
                    while chunk := source.read(1 << 20):
                        written += len(chunk)
                        if written > limit:
                            raise ValidationError(
                                {
                                    "files": f"{display_name} unpacks to more than {limit // 2**20:,} MB."
                                }
                            )
                        sink.write(chunk)
    except zipfile.BadZipFile:
        raise ValidationError({"files": f"{display_name} is not a readable .zip file."}) from None
    children = [p for p in target.iterdir()] if target.exists() else []
    if len(children) == 1 and children[0].is_dir():
        return children[0]
    return target


def store_uploads(run_dir: Path, uploads: Sequence, reader: Reader) -> tuple[list[str], list[str]]:
    """Save uploaded files in ``run_dir`` under safe names, unpacking a zip of a
    folder format; returns the names shown and the paths to read."""
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
        with path.open("wb") as sink:
            for chunk in upload.chunks():
                sink.write(chunk)
        if _needs_unpacking(reader, display):
            folder = _unique(run_dir, f"{display[:-4] or 'folder'}-unpacked")
            folder.mkdir()
            stored.append(str(_unpack_zip(path, folder, display_name=display)))
            path.unlink()
        else:
            stored.append(str(path))
        names.append(display)
    return names, stored


def local_inputs(run_dir: Path, paths: Sequence, reader: Reader) -> tuple[list[str], list[str]]:
    """Local files and folders (the command line) to read where they are; a zip
    of a folder format is unpacked into ``run_dir``. Returns names and paths."""
    names, stored = [], []
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists():
            raise ValidationError({"paths": f"No such file or folder: {given}"})
        if reader.folder and path.is_file() and _needs_unpacking(reader, path.name):
            folder = _unique(run_dir, f"{safe_file_name(path.stem, default='folder')}-unpacked")
            folder.mkdir(parents=True)
            stored.append(str(_unpack_zip(path, folder, display_name=path.name)))
        else:
            stored.append(str(path.resolve()))
        names.append(path.name)
    return names, stored


def discard_uploads(run_id: int) -> None:
    """Delete the run's uploaded (and unpacked) files once read: they hold message
    bodies and everything else Bridgework never keeps. Local paths the command
    line was given are the user's and stay."""
    shutil.rmtree(Path(settings.UPLOAD_DIR) / str(run_id), ignore_errors=True)
