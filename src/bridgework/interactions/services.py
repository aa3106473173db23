"""Writes: interactions people log by hand, and imports of source files."""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import stat
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.ingest import readers
from bridgework.core.ingest.base import Reader, input_size
from bridgework.core.ingest.pipeline import Progress, run_import
from bridgework.core.ingest.records import FormatError, ReadOptions, Window
from bridgework.interactions.events import (
    app_events_rewrite,
    get_event_store,
    interaction_event_refresh_soon,
)
from bridgework.interactions.models import (
    Channel,
    ImportRun,
    Interaction,
    InteractionParticipant,
    IntroductionRequest,
)
from bridgework.interactions.selectors import INTRODUCTION_MAX_HOPS, import_formats
from bridgework.people.models import Organization, Person, PersonEmail

__all__ = [
    "interaction_log",
    "interaction_update",
    "interaction_delete",
    "events_sync_from_app",
    "import_start",
    "import_run_execute",
    "parse_column_mapping",
    "safe_file_name",
    "introduction_request",
    "introduction_respond",
    "introduction_withdraw",
    "introduction_record_outcome",
]

logger = logging.getLogger(__name__)


def _refresh_event_on_commit(interaction_id: int) -> None:
    # After the commit only: a rolled-back write never reaches the event store.
    transaction.on_commit(partial(interaction_event_refresh_soon, interaction_id))
    _recompute_ties_on_commit(interaction_id)


def _recompute_ties_on_commit(interaction_id: int) -> None:
    """Recompute the participants' ties after the commit (read now: a delete follows)."""
    from bridgework.network.services import ties_recompute_on_commit

    ties_recompute_on_commit(
        people=InteractionParticipant.objects.filter(interaction_id=interaction_id).values_list(
            "person_id", flat=True
        )
    )


def _recompute_ties_after_import(run: ImportRun) -> None:
    from bridgework.network.services import ties_recompute_after_import

    ties_recompute_after_import(run)


def _participants(actor: User, participants: Sequence[Person]) -> list[Person]:
    people = list({p.pk: p for p in participants}.values())
    if not policies.can_manage_people(actor):
        # Members log their own touchpoints: they are always among the participants.
        if actor.person_id is None:
            raise ValidationError(
                "Your login is not linked to a person, so you cannot log interactions."
            )
        if actor.person_id not in {p.pk for p in people}:
            people.insert(0, Person.objects.get(pk=actor.person_id))
    if len(people) < 2:
        raise ValidationError(
            {"participants": "An interaction needs at least two different people."}
        )
    return people


@transaction.atomic
def interaction_log(
    *,
    actor: User,
    channel: str,
    occurred_at: dt.datetime,
    participants: Sequence[Person],
    duration_minutes: int | None = None,
    private_note: str = "",
) -> Interaction:
    """Record a touchpoint between two or more people.

    A member is added to the participants automatically; admins and people
    analysts may log interactions between any people.
    """
    if occurred_at is not None and occurred_at.tzinfo is None:
        raise ValidationError({"occurred_at": "Give the time with its time zone."})
    people = _participants(actor, participants)
    interaction = Interaction(
        channel=channel,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        private_note=private_note,
        logged_by=actor,
    )
    interaction.full_clean()
    interaction.save()
    InteractionParticipant.objects.bulk_create(
        [InteractionParticipant(interaction=interaction, person=p) for p in people]
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="interaction",
        object_id=interaction.pk,
        detail={"participants": [p.pk for p in people]},
    )
    _refresh_event_on_commit(interaction.pk)
    return interaction


def _require_author(actor: User, interaction: Interaction) -> None:
    if interaction.logged_by_id != actor.pk and not policies.can_see_everyones_records(actor):
        raise NotFoundError("Not found.")


@transaction.atomic
def interaction_update(
    *,
    actor: User,
    interaction: Interaction,
    participants: Sequence[Person] | None = None,
    **fields,
) -> Interaction:
    """Change a logged interaction; only whoever logged it (or an admin)."""
    _require_author(actor, interaction)
    allowed = {"channel", "occurred_at", "duration_minutes", "private_note"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown interaction field(s): {', '.join(sorted(unknown))}")
    if "private_note" in fields and interaction.logged_by_id != actor.pk:
        raise ValidationError(
            {"private_note": "Only whoever logged the interaction can write its note."}
        )
    occurred_at = fields.get("occurred_at")
    if occurred_at is not None and occurred_at.tzinfo is None:
        raise ValidationError({"occurred_at": "Give the time with its time zone."})
    for name, value in fields.items():
        setattr(interaction, name, value)
    interaction.full_clean()
    interaction.save()
    if participants is not None:
        people = _participants(actor, participants)
        _recompute_ties_on_commit(interaction.pk)  # the people leaving it, too
        InteractionParticipant.objects.filter(interaction=interaction).delete()
        InteractionParticipant.objects.bulk_create(
            [InteractionParticipant(interaction=interaction, person=p) for p in people]
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="interaction",
        object_id=interaction.pk,
        detail={"changed": sorted(fields)},
    )
    _refresh_event_on_commit(interaction.pk)
    return interaction


@transaction.atomic
def interaction_delete(*, actor: User, interaction: Interaction) -> None:
    _require_author(actor, interaction)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="interaction",
        object_id=interaction.pk,
    )
    _refresh_event_on_commit(interaction.pk)
    interaction.delete()


def events_sync_from_app() -> int:
    """Rewrite every logged interaction into the event store (source ``"app"``).

    For repairs (a store restored from a backup, a write the worker could not
    make) and for the demo. Idempotent; returns the number of events written.
    """
    return app_events_rewrite()


# -- imports ------------------------------------------------------------------------

#: Unpacked zips may hold at most this many times the upload limit, and this many files.
ZIP_EXPANSION_LIMIT = 10
ZIP_MAX_FILES = 500_000
#: Progress is written to the database at most this often (seconds).
PROGRESS_INTERVAL = 0.5
_OPTION_NAMES = frozenset(
    {"since", "until", "internal_domains", "column_mapping", "owner_email", "include_automated"}
)
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._ -]+")
_ERROR_LIMIT = 500


def _can_start_imports(actor: User | None) -> bool:
    if actor is None:
        return True  # the command line: whoever can read the data folder
    return actor.is_authenticated and actor.is_active and bool(import_formats(viewer=actor))


def _reader_for(actor: User | None, format_name: str) -> Reader:
    known = readers()
    if format_name not in known:
        raise ValidationError(
            {"format": f"Unknown format {format_name!r}; choose one of: {', '.join(known)}."}
        )
    if actor is not None and format_name not in import_formats(viewer=actor):
        # Not a validation message: whether the format exists for others is not the
        # member's business, so a forbidden format looks like a missing page.
        raise NotFoundError("Not found.")
    return known[format_name]


def _moment(value, *, name: str, end_of_day: bool = False) -> dt.datetime | None:
    """A date (midnight UTC; with ``end_of_day`` the next midnight), an aware
    datetime, or an ISO string of either."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (
                dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
            )
        except ValueError:
            raise ValidationError(
                {name: f"Give a date like 2025-01-31 (or an ISO date and time), not {text!r}."}
            ) from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValidationError({name: "Give the time with its time zone."})
        return value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
        return moment + dt.timedelta(days=1) if end_of_day else moment
    raise ValidationError({name: "Give a date like 2025-01-31."})


def _domains(value) -> list[str]:
    if value in (None, ""):
        return []
    items = re.split(r"[\s,;]+", value) if isinstance(value, str) else list(value)
    domains, bad = [], []
    for item in items:
        domain = str(item).strip().lower().lstrip("@")
        if not domain:
            continue
        (domains if _DOMAIN.match(domain) else bad).append(domain)
    if bad:
        raise ValidationError(
            {"internal_domains": f"Not an e-mail domain: {', '.join(bad)} (e.g. ourco.example)."}
        )
    return list(dict.fromkeys(domains))


def parse_column_mapping(value) -> dict[str, str]:
    """``{"field": "column"}`` from a dict, or from ``field=column`` lines
    (or ``--map`` values); raises ``ValidationError`` naming a malformed line.

    >>> parse_column_mapping("email = E-mail Address\\nname=Full name")
    {'email': 'E-mail Address', 'name': 'Full name'}
    """
    if value in (None, ""):
        return {}
    if isinstance(value, Mapping):
        pairs = [(str(k), str(v)) for k, v in value.items()]
    else:
        lines = value.splitlines() if isinstance(value, str) else list(value)
        pairs = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            field_name, separator, column = line.partition("=")
            if not separator:
                raise ValidationError(
                    {"column_mapping": f"Line {number}: write field=column, e.g. email=E-mail."}
                )
            pairs.append((field_name, column))
    mapping: dict[str, str] = {}
    for field_name, column in pairs:
        field_name, column = field_name.strip().lower(), column.strip()
        if not field_name or not column:
            raise ValidationError(
                {"column_mapping": "Each line needs a field and a column: field=column."}
            )
        mapping[field_name] = column
    return mapping


def _column_mapping(value, *, format_name: str) -> dict[str, str]:
    mapping = parse_column_mapping(value)
    if not mapping:
        return {}
    if format_name != "csv":
        raise ValidationError({"column_mapping": "A column mapping applies to CSV imports only."})
    try:
        from bridgework.core.ingest.generic_csv import CONTACT_FIELDS, INTERACTION_FIELDS
    except ImportError:  # pragma: no cover - the reader checks the fields itself
        return mapping
    known = (*CONTACT_FIELDS, *INTERACTION_FIELDS)
    unknown = [name for name in mapping if name not in known]
    if unknown:
        raise ValidationError(
            {
                "column_mapping": f"Unknown field(s) {', '.join(unknown)}; contacts use "
                f"{', '.join(CONTACT_FIELDS)}; interactions use {', '.join(INTERACTION_FIELDS)}."
            }
        )
    return mapping


def _clean_options(actor: User | None, format_name: str, options: Mapping | None) -> dict:
    options = dict(options or {})
    unknown = sorted(set(options) - _OPTION_NAMES)
    if unknown:
        raise ValidationError(
            {
                "options": f"Unknown option(s) {', '.join(unknown)}; use {', '.join(sorted(_OPTION_NAMES))}."
            }
        )
    since = _moment(options.get("since"), name="since")
    until = _moment(options.get("until"), name="until", end_of_day=True)
    if since and until and until <= since:
        raise ValidationError({"until": "The end must come after the start."})
    owner_email = str(options.get("owner_email") or "").strip().lower()
    owner_person_id = None
    if actor is not None and not policies.can_manage_people(actor):
        own = Person.objects.get(pk=actor.person_id).primary_email.lower()
        if not own:
            raise ValidationError(
                "Your person in the directory has no e-mail address, so Bridgework cannot tell "
                "which messages are yours; add one to your profile first."
            )
        if owner_email and owner_email != own:
            raise ValidationError({"owner_email": "You can import only your own data."})
        if options.get("internal_domains"):
            raise ValidationError(
                {"internal_domains": "Only people analysts and admins set internal domains."}
            )
        owner_email, owner_person_id = own, actor.person_id
    elif owner_email:
        try:
            validate_email(owner_email)
        except ValidationError:
            raise ValidationError(
                {"owner_email": f"Not an e-mail address: {owner_email!r}."}
            ) from None
        owner_person_id = (
            PersonEmail.objects.filter(address=owner_email)
            .values_list("person_id", flat=True)
            .first()
        )
    return {
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "internal_domains": _domains(options.get("internal_domains")),
        "column_mapping": _column_mapping(options.get("column_mapping"), format_name=format_name),
        "owner_email": owner_email,
        "owner_person_id": owner_person_id,
        "include_automated": bool(options.get("include_automated", False)),
    }


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


def _store_uploads(run_dir: Path, uploads: Sequence, reader: Reader) -> tuple[list[str], list[str]]:
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


def _local_inputs(run_dir: Path, paths: Sequence, reader: Reader) -> tuple[list[str], list[str]]:
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


def import_start(
    *,
    actor: User | None,
    format: str,
    uploaded_files: Sequence | None = None,
    paths: Sequence[str | Path] | None = None,
    options: Mapping | None = None,
    origin: str = ImportRun.Origin.WEB,
    enqueue: bool = True,
) -> ImportRun:
    """Queue an import of uploaded files (pages, API) or local paths (command line).

    People analysts and admins may import any format; anyone else whose login
    is linked to a person may import their own mailbox, calendar and contacts
    (:data:`~bridgework.interactions.selectors.MEMBER_FORMATS`), read as theirs
    (the owner is their primary e-mail address). Any other format is a
    :class:`NotFoundError`. ``actor=None`` is the command line. Uploads are
    saved under ``UPLOAD_DIR/<run id>/`` with safe names; a zip of a folder
    format is unpacked there. ``options``: ``since``, ``until`` (dates; until
    is inclusive), ``internal_domains``, ``column_mapping`` (CSV),
    ``owner_email``, ``include_automated``.

    The run is queued for :func:`~bridgework.interactions.tasks.run_import_task`
    once the transaction commits (``enqueue=False``: the caller runs
    :func:`import_run_execute` itself, as the CLI does).
    """
    if actor is not None and not _can_start_imports(actor):
        raise NotFoundError("Not found.")
    reader = _reader_for(actor, format)
    uploads, local = list(uploaded_files or ()), list(paths or ())
    if actor is not None and local and not policies.can_manage_people(actor):
        raise NotFoundError("Not found.")
    if not uploads and not local:
        raise ValidationError({"files": "Choose at least one file to import."})
    if uploads and local:
        raise TypeError("Pass uploaded_files or paths, not both.")
    total = sum(getattr(upload, "size", 0) or 0 for upload in uploads)
    if total > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "files": f"The upload is {total / 2**20:,.1f} MB; the limit is "
                f"{settings.IMPORT_MAX_UPLOAD_BYTES / 2**20:,.0f} MB. Import larger files "
                "with the command line (bridgework import)."
            }
        )
    cleaned = _clean_options(actor, format, options)
    with transaction.atomic():
        run = ImportRun.objects.create(
            format=format,
            options=cleaned,
            origin=origin,
            started_by=actor if actor is not None and actor.is_authenticated else None,
        )
        run_dir = Path(settings.UPLOAD_DIR) / str(run.pk)
        # A run id can come back after a rolled-back transaction: start clean.
        shutil.rmtree(run_dir, ignore_errors=True)
        try:
            if uploads:
                run_dir.mkdir(parents=True, exist_ok=True)
                names, stored = _store_uploads(run_dir, uploads, reader)
            else:
                names, stored = _local_inputs(run_dir, local, reader)
        except BaseException:
            shutil.rmtree(run_dir, ignore_errors=True)
            raise
        run.file_names, run.stored_paths = names, stored
        run.bytes_total = sum(input_size(Path(p)) for p in stored)
        run.save(update_fields=["file_names", "stored_paths", "bytes_total"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            object_type="import_run",
            object_id=run.pk,
            detail={"format": format, "files": names, "origin": origin},
        )
        if enqueue:
            transaction.on_commit(partial(_enqueue_import, run.pk))
    return run


def _enqueue_import(run_id: int) -> None:
    from bridgework.interactions.tasks import run_import_task

    run_import_task(run_id)


def _directory_resolver(*, run: ImportRun, internal_domains: Sequence[str]):
    """The resolver that finds or creates the people an import names."""
    from bridgework.people.identity import DirectoryResolver

    return DirectoryResolver(
        actor=run.started_by,
        source_label=f"{run.format} import #{run.pk}",
        import_run_id=run.pk,
        internal_domains=tuple(internal_domains),
        owner_person_id=run.options.get("owner_person_id"),
    )


def _forget_people_of_import(run_id: int) -> None:
    """Delete the people a failed import created (its events were never stored)."""
    from bridgework.people.identity import people_introduced_by_import_delete

    people_introduced_by_import_delete(run_id)


def _people_count(resolver, name: str) -> int:
    value = getattr(resolver, name, 0)
    if value is None:
        return 0
    return value if isinstance(value, int) else len(value)


class _ProgressWriter:
    """Writes progress to the run at most every ``interval`` seconds, in its own
    autocommit update (never a long transaction), so the page sees it."""

    def __init__(self, run_id: int, forward: Callable[[Progress], None] | None, interval: float):
        self.run_id, self.forward, self.interval = run_id, forward, interval
        self.last = float("-inf")

    def __call__(self, progress: Progress) -> None:
        if self.forward is not None:
            self.forward(progress)
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last = now
        ImportRun.objects.filter(pk=self.run_id).update(
            bytes_done=progress.bytes_done,
            bytes_total=progress.bytes_total,
            records=progress.records,
            events=progress.events,
        )


def _discard_uploads(run_id: int) -> None:
    """Delete the run's uploaded (and unpacked) files once read: they hold message
    bodies and everything else Bridgework never keeps. Local paths the command
    line was given are the user's and stay."""
    shutil.rmtree(Path(settings.UPLOAD_DIR) / str(run_id), ignore_errors=True)


def _failure_message(exc: BaseException) -> str:
    if isinstance(exc, FormatError):
        message = str(exc)
    elif isinstance(exc, KeyboardInterrupt):
        message = "Import interrupted."
    else:
        message = f"Import failed: {type(exc).__name__}: {exc}".rstrip(": ")
    return message if len(message) <= _ERROR_LIMIT else message[: _ERROR_LIMIT - 1] + "…"


def import_run_execute(
    *, run_id: int, on_progress: Callable[[Progress], None] | None = None
) -> ImportRun:
    """Run a queued import: read, resolve people, write events; record the outcome.

    Only a queued run starts (a second call returns the run as it is). On
    success the run holds the report (:class:`~bridgework.core.ingest.pipeline.ImportReport`
    plus ``people_created``, ``people_matched`` and ``people_uncertain``). On
    any failure it is marked failed with one message (a
    :class:`~bridgework.core.ingest.records.FormatError`'s own text, naming the
    file), the event store is as it was (the import's store session rolled
    back) and the people it created are deleted again. Either way the uploaded
    files are deleted once read (importing again means uploading again).
    """
    started = timezone.now()
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=started
    )
    try:
        run = ImportRun.objects.select_related("started_by").get(pk=run_id)
    except ImportRun.DoesNotExist:
        raise NotFoundError("Not found.") from None
    if not claimed:
        return run
    options = run.options or {}
    resolver = None
    try:
        reader = readers().get(run.format)
        if reader is None:
            raise FormatError(
                run.format, f"this format is not available; choose one of: {', '.join(readers())}"
            )
        internal = list(
            dict.fromkeys([*settings.INTERNAL_DOMAINS, *options.get("internal_domains", [])])
        )
        resolver = _directory_resolver(run=run, internal_domains=internal)
        read_options = ReadOptions(
            window=Window(
                since=_moment(options.get("since"), name="since"),
                until=_moment(options.get("until"), name="until"),
            ),
            column_mapping=dict(options.get("column_mapping") or {}),
            owner_email=options.get("owner_email") or "",
        )
        report = run_import(
            reader,
            [Path(p) for p in run.stored_paths],
            store=get_event_store(),
            resolver=resolver,
            import_id=f"import-{run.pk}",
            options=read_options,
            exclude_automated=not options.get("include_automated", False),
            on_progress=_ProgressWriter(run.pk, on_progress, PROGRESS_INTERVAL),
        )
    except BaseException as exc:
        _discard_uploads(run.pk)
        message = _failure_message(exc)
        if not isinstance(exc, FormatError | KeyboardInterrupt):
            logger.exception("Import #%s failed", run.pk)
        try:
            _forget_people_of_import(run.pk)
        except Exception:
            logger.exception("Could not delete the people of failed import #%s", run.pk)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, error=message, finished_at=timezone.now()
        )
        if not isinstance(exc, Exception):
            raise
        run.refresh_from_db()
        return run
    _discard_uploads(run.pk)
    outcome = report.to_dict()
    outcome.update(
        people_created=_people_count(resolver, "created"),
        people_matched=_people_count(resolver, "matched"),
        people_uncertain=_people_count(resolver, "uncertain"),
    )
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.SUCCEEDED,
        report=outcome,
        bytes_done=report.bytes_read,
        bytes_total=report.bytes_read,
        records=report.records_read,
        events=report.events_imported,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    _recompute_ties_after_import(run)
    return run


# -- warm introductions ---------------------------------------------------------------
#
# I ask the first person on a path to someone (the "via" person) to introduce
# me; they accept or decline with a note; an accepted introduction becomes an
# interaction (channel "introduction", reaching the event store on commit like
# any logged interaction) and its outcome can be noted later. The via person
# hears of the ask and the requester of the answer by e-mail, after the commit.


def _require_own_person(actor: User) -> int:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotFoundError("Not found.")
    if actor.person_id is None:
        raise ValidationError(
            "Your login is not linked to a person, so you cannot ask for introductions."
        )
    return actor.person_id


def _path_ids(path_person_ids: Sequence) -> list[int]:
    try:
        return [int(pk) for pk in path_person_ids]
    except (TypeError, ValueError):
        raise ValidationError({"path": "A path is a list of person ids."}) from None


def _check_path(*, me: int, target: Person | Organization, path: list[int]) -> dict[int, Person]:
    """The people on a valid path, by id; a ``ValidationError`` naming ``path`` otherwise.

    A later hop without a stored tie gets the same message whether the tie is
    missing or someone on it declined analytics: the error must not tell a
    member anything about other people's ties.
    """
    from bridgework.network.selectors import tie_between

    if len(path) < 3:
        raise ValidationError(
            {
                "path": "An introduction path runs from you through the person you ask to the "
                "person you want to meet."
            }
        )
    if len(path) - 1 > INTRODUCTION_MAX_HOPS:
        raise ValidationError(
            {"path": f"An introduction path has at most {INTRODUCTION_MAX_HOPS} hops."}
        )
    if len(set(path)) != len(path):
        raise ValidationError({"path": "A path cannot pass through anyone twice."})
    if path[0] != me:
        raise ValidationError({"path": "An introduction path starts with you."})
    people = Person.objects.select_related("organization").in_bulk(path)
    missing = [str(pk) for pk in path if pk not in people]
    if missing:
        raise ValidationError({"path": f"No person with id {', '.join(missing)}."})
    end = people[path[-1]]
    if isinstance(target, Organization):
        if end.organization_id != target.pk:
            raise ValidationError({"path": f"The path must end at someone at {target}."})
    elif end.pk != target.pk:
        raise ValidationError({"path": f"The path must end at {target}."})
    for hop, (a, b) in enumerate(zip(path, path[1:], strict=False)):
        consenting = people[a].analytics_consent and people[b].analytics_consent
        if consenting and tie_between(a, b) is not None:
            continue
        if hop == 0:
            raise ValidationError({"path": f"You have no known tie with {people[b]}."})
        raise ValidationError(
            {
                "path": "This path has a step Bridgework knows no tie for: choose one of the "
                "suggested paths."
            }
        )
    return people


def _email_of(person: Person) -> str:
    """Where to write to a person: their primary address, else their login's."""
    address = person.primary_email
    if not address:
        address = User.objects.filter(person=person).values_list("email", flat=True).first() or ""
    return address


def _mail_on_commit(*, to: Person, subject: str, body: str) -> None:
    address = _email_of(to)
    if address:
        # robust: a mail that cannot be queued is logged, and the saved request stands.
        transaction.on_commit(partial(send_mail, subject, body, None, [address]), robust=True)


def _request_link(request: IntroductionRequest) -> str:
    from django.urls import reverse

    return reverse("interactions:introduction_detail", args=[request.pk])


@transaction.atomic
def introduction_request(
    *,
    actor: User,
    target: Person | Organization,
    path_person_ids: Sequence[int],
    message: str,
) -> IntroductionRequest:
    """Ask the first person on a path to introduce the actor to ``target``.

    ``target`` is a person, or an organization (then the path may end at anyone
    there). The path is person ids from the actor's own person (the requester)
    through the person asked (``via``, its second node) to the target, at most
    :data:`~bridgework.interactions.selectors.INTRODUCTION_MAX_HOPS` hops, and
    every hop must be a stored tie between people who consented to analytics.
    Anything else is a ``ValidationError`` and nothing is saved. The via person
    is e-mailed once the request is committed.
    """
    me = _require_own_person(actor)
    message = (message or "").strip()
    if not message:
        raise ValidationError(
            {"message": "Say what you would like the introduction for: it helps them say yes."}
        )
    path = _path_ids(path_person_ids)
    people = _check_path(me=me, target=target, path=path)
    requester, via, end = people[path[0]], people[path[1]], people[path[-1]]
    if IntroductionRequest.objects.filter(
        requester=requester, via=via, target=end, status=IntroductionRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            {
                "path": f"You have already asked {via} to introduce you to {end}: wait for "
                "their answer, or withdraw that request first."
            }
        )
    request = IntroductionRequest(
        requester=requester,
        via=via,
        target=end,
        target_organization=target if isinstance(target, Organization) else None,
        path=path,
        message=message,
    )
    request.full_clean(validate_unique=False, validate_constraints=False)
    request.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="introduction_request",
        object_id=request.pk,
        subject_person_id=end.pk,
        detail={"via": via.pk, "path": path},
    )
    where = f" ({end.title})" if end.title else ""
    _mail_on_commit(
        to=via,
        subject=f"{requester} asks you for an introduction to {end}",
        body=(
            f"{requester} would like you to introduce them to {end}{where}.\n\n"
            f"Their message:\n\n{message}\n\n"
            f"Accept or decline, with a note for {requester}, in Bridgework: "
            f"{_request_link(request)}\n"
        ),
    )
    return request


def _locked_status(request: IntroductionRequest) -> str:
    """The request's status as stored now, with its row locked until the commit
    (on databases that lock rows), so two answers cannot both win."""
    return (
        IntroductionRequest.objects.select_for_update()
        .filter(pk=request.pk)
        .values_list("status", flat=True)
        .get()
    )


@transaction.atomic
def introduction_respond(
    *, actor: User, request: IntroductionRequest, accept: bool, note: str = ""
) -> IntroductionRequest:
    """The via person accepts or declines, with a note for the requester.

    Only the via person may answer (anyone else: ``NotFoundError``), and only a
    pending request. Accepting records the introduction as an interaction of
    channel ``introduction`` logged by the via person, with the via person, the
    requester and the target taking part (so it reaches the event store on
    commit, like any logged interaction). The requester is e-mailed the answer.
    """
    if actor is None or actor.person_id is None or request.via_id != actor.person_id:
        raise NotFoundError("Not found.")
    status = _locked_status(request)
    if status != IntroductionRequest.Status.PENDING:
        label = IntroductionRequest.Status(status).label.lower()
        raise ValidationError({"status": f"This request has been answered already ({label})."})
    now = timezone.now()
    if accept:
        request.interaction = interaction_log(
            actor=actor,
            channel=Channel.INTRODUCTION,
            occurred_at=now,
            participants=[request.via, request.requester, request.target],
        )
        request.status = IntroductionRequest.Status.ACCEPTED
    else:
        request.status = IntroductionRequest.Status.DECLINED
    request.response_note = (note or "").strip()
    request.responded_at = now
    request.save(
        update_fields=["status", "response_note", "responded_at", "interaction", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="introduction_request",
        object_id=request.pk,
        subject_person_id=request.requester_id,
        detail={"status": request.status},
    )
    answer = "accepted" if accept else "declined"
    note_text = f"\n\nTheir note:\n\n{request.response_note}" if request.response_note else ""
    _mail_on_commit(
        to=request.requester,
        subject=f"{request.via} {answer} your introduction to {request.target}",
        body=(
            f"{request.via} {answer} your request for an introduction to {request.target}."
            f"{note_text}\n\nSee the request in Bridgework: {_request_link(request)}\n"
        ),
    )
    return request


@transaction.atomic
def introduction_withdraw(*, actor: User, request: IntroductionRequest) -> IntroductionRequest:
    """The requester takes back a request nobody has answered yet."""
    if actor is None or actor.person_id is None or request.requester_id != actor.person_id:
        raise NotFoundError("Not found.")
    if _locked_status(request) != IntroductionRequest.Status.PENDING:
        raise ValidationError(
            {"status": "Only a request still waiting for an answer can be withdrawn."}
        )
    request.status = IntroductionRequest.Status.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="introduction_request",
        object_id=request.pk,
        subject_person_id=request.target_id,
        detail={"status": request.status},
    )
    return request


@transaction.atomic
def introduction_record_outcome(
    *, actor: User, request: IntroductionRequest, outcome: str
) -> IntroductionRequest:
    """Note what came of an accepted introduction (the requester or the via
    person; saving again replaces the outcome)."""
    me = actor.person_id if actor is not None else None
    if me is None or me not in (request.requester_id, request.via_id):
        raise NotFoundError("Not found.")
    if _locked_status(request) not in (
        IntroductionRequest.Status.ACCEPTED,
        IntroductionRequest.Status.COMPLETED,
    ):
        raise ValidationError(
            {"status": "An outcome can be recorded once the introduction has been accepted."}
        )
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": "Say what came of the introduction."})
    request.outcome = outcome
    request.outcome_at = timezone.now()
    request.status = IntroductionRequest.Status.COMPLETED
    request.save(update_fields=["outcome", "outcome_at", "status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="introduction_request",
        object_id=request.pk,
        subject_person_id=request.target_id,
        detail={"status": request.status, "outcome": True},
    )
    return request


def import_runs_mark_interrupted() -> int:
    """Mark imports left "running" by a worker that stopped as failed.

    Only for the embedded server, whose single worker starts with it: no other
    worker can be running those imports. Nothing was written to the event store
    by them (an import commits only at its end); people they created are removed.
    """
    interrupted = list(
        ImportRun.objects.filter(status=ImportRun.Status.RUNNING).values_list("pk", flat=True)
    )
    for run_id in interrupted:
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.FAILED,
            error="Import interrupted: the task worker stopped before it finished. Start it again.",
            finished_at=timezone.now(),
        )
        _forget_people_of_import(run_id)
    return len(interrupted)
