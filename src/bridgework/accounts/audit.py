"""Reading the audit log: who did or viewed what, about whom, and when (admins only).

Every write of personal data and every look at someone else's individual data
is an :class:`~bridgework.accounts.models.AuditEntry` (``services.audit_record``).
Admins read them on ``/accounts/audit/`` and ``GET /api/audit/``, filtered by
:class:`AuditFilter`, and download them as CSV (:func:`audit_csv_write`, cells
made safe against spreadsheet formulas; each download is itself audited).
Anyone else gets "not found".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Q, QuerySet

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.exports import csv_writer

__all__ = [
    "NO_ACTOR",
    "AUDIT_CSV_COLUMNS",
    "AuditFilter",
    "audit_entry_list",
    "audit_object_types",
    "audit_csv_write",
]

#: The ``actor`` filter that keeps entries with no actor: the command line, the
#: system, or a login deleted since (an erased person's).
NO_ACTOR = "none"

AUDIT_CSV_COLUMNS = (
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "subject_person_id",
    "detail",
)


@dataclass(frozen=True)
class AuditFilter:
    """What to keep of the audit log; every field left empty keeps everything.

    ``actor`` is a username (any case) or :data:`NO_ACTOR`; ``since`` and
    ``until`` are days in the current time zone (the viewer's on pages), both
    included.
    """

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    subject_person_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def as_detail(self) -> dict[str, Any]:
        """The filters set, JSON-safe (for the audit entry of a download)."""
        return {
            name: value.isoformat() if isinstance(value, dt.date) else value
            for name, value in asdict(self).items()
            if value not in ("", None)
        }


def audit_entry_list(*, viewer: User, filters: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    """The audit log, newest first, narrowed by ``filters``: admins only."""
    require_login(viewer)
    require(policies.can_view_audit_log(viewer))
    f = filters or AuditFilter()
    entries = AuditEntry.objects.select_related("actor")
    if f.actor.strip().lower() == NO_ACTOR:
        entries = entries.filter(actor__isnull=True)
    elif f.actor.strip():
        entries = entries.filter(actor__username__iexact=f.actor.strip())
    if f.action:
        entries = entries.filter(action=f.action)
    if f.object_type:
        entries = entries.filter(object_type=f.object_type)
    if f.object_id:
        entries = entries.filter(object_id=f.object_id)
    if f.subject_person_id is not None:
        entries = entries.filter(subject_person_id=f.subject_person_id)
    if f.since is not None:
        entries = entries.filter(at__date__gte=f.since)
    if f.until is not None:
        entries = entries.filter(at__date__lte=f.until)
    return entries.order_by("-at", "-id")


def audit_object_types(*, viewer: User) -> list[str]:
    """The kinds of object the log names, for a filter's choices (admins only)."""
    require_login(viewer)
    require(policies.can_view_audit_log(viewer))
    return sorted(
        set(AuditEntry.objects.exclude(Q(object_type="")).values_list("object_type", flat=True))
    )


def _row(entry: AuditEntry) -> list[Any]:
    return [
        entry.at.isoformat(),
        entry.actor.username if entry.actor is not None else "",
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.subject_person_id,
        json.dumps(entry.detail, sort_keys=True, ensure_ascii=False) if entry.detail else "",
    ]


def audit_csv_write(
    stream: Any, *, viewer: User, filters: AuditFilter, entries: Iterable[AuditEntry]
) -> int:
    """Write ``entries`` (from :func:`audit_entry_list`) as CSV to ``stream``;
    the download is written to the audit log with its filters. Returns the rows."""
    require(policies.can_view_audit_log(viewer))
    writer = csv_writer(stream)
    writer.writerow(AUDIT_CSV_COLUMNS)
    rows = 0
    for entry in entries:
        writer.writerow(_row(entry))
        rows += 1
    audit_record(
        actor=viewer,
        action=AuditEntry.Action.VIEW,
        object_type="audit_log",
        detail={"download": "csv", "rows": rows, "filters": filters.as_detail()},
    )
    return rows
