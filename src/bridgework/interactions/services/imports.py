"""Writes of imports: start a run of source files, execute it, and tidy up
runs a stopped worker left behind.

:func:`import_start` checks who may import what, cleans the options and saves
the files (:mod:`~bridgework.interactions.services.import_files`), then queues
job ``interactions.import`` once the transaction commits (the CLI runs
:func:`import_run_execute` itself). The run reads the files through the core
import pipeline into one event-store session (all or nothing), resolving people
against the directory, and records progress and its outcome on the
:class:`~bridgework.interactions.models.ImportRun`.

What a member imports is theirs only (docs/ingest/README.md, "Members' own
data"): only events they sent or received, organized or attended, are kept
(the rest is counted as "not involving you" and stored nowhere), and the
people it brings in are their private contacts, not the shared directory's.
People analysts' and admins' imports are the organization's and keep
everything.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from bridgework import jobs
from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.ingest import readers
from bridgework.core.ingest.base import Reader, input_size
from bridgework.core.ingest.generic_csv import CONTACT_FIELDS, INTERACTION_FIELDS
from bridgework.core.ingest.pipeline import Progress, run_import
from bridgework.core.ingest.records import FormatError, ReadOptions, Window
from bridgework.eventstore import get_event_store
from bridgework.interactions.models import ImportRun
from bridgework.interactions.selectors import import_formats
from bridgework.interactions.services.import_files import (
    archive_limits,
    discard_uploads,
    local_inputs,
    prepare_inputs,
    store_uploads,
    upload_limit,
)
from bridgework.network.services import ties_recompute_after_import
from bridgework.people.identity import DirectoryResolver, people_introduced_by_import_delete
from bridgework.people.models import Person, PersonEmail

__all__ = [
    "PROGRESS_INTERVAL",
    "import_start",
    "import_run_execute",
    "import_runs_mark_interrupted",
    "parse_column_mapping",
]

logger = logging.getLogger(__name__)

#: Progress is written to the database at most this often (seconds).
PROGRESS_INTERVAL = 0.5
_OPTION_NAMES = frozenset(
    {"since", "until", "internal_domains", "column_mapping", "owner_email", "include_automated"}
)
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
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
    domains: list[str] = []
    bad: list[str] = []
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
    members_own = False
    if actor is not None and not policies.can_manage_people(actor):
        members_own = True
        own = Person.objects.get(user=actor).primary_email.lower()
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
        # A member's own data: only what involves them, people as private contacts.
        "members_own": members_own,
    }


def import_start(
    *,
    actor: User | None,
    format: str,  # noqa: A002 - the keyword every caller uses for the file format
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
    ``owner_email``, ``include_automated``. Uploads are only stored here:
    archives are inspected and unpacked by the worker.

    The run is queued as job ``interactions.import`` once the transaction
    commits (``enqueue=False``: the caller runs :func:`import_run_execute`
    itself, as the CLI does).
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
    limit = upload_limit(actor)
    if total > limit:
        # Normally stopped while the body streams in (interactions.uploads);
        # this is the service's own check, for every caller.
        raise ValidationError(
            {
                "files": f"The upload is {total / 2**20:,.1f} MB; your limit is "
                f"{limit / 2**20:,.0f} MB. Import larger files in parts, or ask a "
                "people analyst (bridgework import has no limit)."
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
                names, stored = store_uploads(run_dir, uploads, reader)
            else:
                names, stored = local_inputs(run_dir, local, reader)
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
            transaction.on_commit(partial(jobs.enqueue, "interactions.import", run.pk))
    return run


def _directory_resolver(*, run: ImportRun, internal_domains: Sequence[str]):
    """The resolver that finds or creates the people an import names; a member's
    own import adds only private contacts of theirs."""
    options = run.options or {}
    return DirectoryResolver(
        actor=run.started_by,
        source_label=f"{run.format} import #{run.pk}",
        import_run_id=run.pk,
        internal_domains=tuple(internal_domains),
        owner_person_id=options.get("owner_person_id"),
        private_owner_id=options.get("owner_person_id") if options.get("members_own") else None,
    )


def _addresses_of_owner(run: ImportRun) -> list[str] | None:
    """The addresses a member's own import must involve (all of theirs, as the
    directory knows them now); ``None`` for an organization import."""
    options = run.options or {}
    if not options.get("members_own"):
        return None
    person_id = options.get("owner_person_id")
    if person_id is None:
        return []
    return list(PersonEmail.objects.filter(person_id=person_id).values_list("address", flat=True))


def _forget_people_of_import(run_id: int) -> None:
    """Delete the people a failed import created (its events were never stored)."""
    people_introduced_by_import_delete(run_id)


def _people_count(resolver, name: str) -> int:
    value = getattr(resolver, name, 0)
    if value is None:
        return 0
    return value if isinstance(value, int) else len(value)


def _progress_save(run_id: int, progress: Progress) -> None:
    """Write an import's progress to its run, in its own autocommit update (never a
    long transaction), so the page polling the run sees it move."""
    ImportRun.objects.filter(pk=run_id).update(
        bytes_done=progress.bytes_done,
        bytes_total=progress.bytes_total,
        records=progress.records,
        events=progress.events,
    )


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
        inputs = prepare_inputs(
            Path(settings.UPLOAD_DIR) / str(run.pk),
            run.stored_paths,
            reader,
            limits=archive_limits(run.started_by),
        )
        report = run_import(
            reader,
            inputs,
            store=get_event_store(),
            resolver=resolver,
            import_id=f"import-{run.pk}",
            options=read_options,
            exclude_automated=not options.get("include_automated", False),
            keep_only_involving=_addresses_of_owner(run),
            on_progress=jobs.ThrottledProgress(
                save=partial(_progress_save, run.pk),
                interval=PROGRESS_INTERVAL,
                forward=on_progress,
            ),
        )
    except BaseException as exc:
        discard_uploads(run.pk)
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
    discard_uploads(run.pk)
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
    ties_recompute_after_import(run)
    return run


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
