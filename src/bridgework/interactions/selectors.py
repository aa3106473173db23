"""Reads of logged interactions, always on behalf of a viewer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.ingest import readers
from bridgework.core.ingest.base import Reader
from bridgework.interactions.models import ImportRun, Interaction
from bridgework.people.models import Person

__all__ = [
    "interaction_list",
    "access_interaction",
    "people_gone_quiet",
    "MEMBER_FORMATS",
    "import_formats",
    "can_import",
    "import_run_list",
    "access_import_run",
]

#: What anyone linked to a person may import: their own mailbox, calendar and contacts.
MEMBER_FORMATS = ("mbox", "maildir", "ics", "vcard", "linkedin")


def _interactions() -> QuerySet[Interaction]:
    return Interaction.objects.select_related("logged_by").prefetch_related(
        Prefetch("participants", queryset=Person.objects.select_related("team", "organization"))
    )


def interaction_list(*, viewer: User, person_id: int | None = None) -> QuerySet[Interaction]:
    """Interactions the viewer took part in or logged, newest first.

    Asked about another person, only the interactions the two share. Admins see
    everyone's; looking at another person's is audited.
    """
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        raise NotFoundError("Not found.")
    items = _interactions()
    if policies.can_see_everyones_records(viewer):
        if person_id is not None:
            if person_id != viewer.person_id:
                audit_record(
                    actor=viewer,
                    action=AuditEntry.Action.VIEW,
                    object_type="interactions",
                    subject_person_id=person_id,
                )
            items = items.filter(participations__person_id=person_id)
        return items.distinct()
    mine = Q(logged_by=viewer)
    if viewer.person_id is not None:
        mine |= Q(participations__person_id=viewer.person_id)
    ids = Interaction.objects.filter(mine).values("id")
    items = items.filter(id__in=ids)
    if person_id is not None and person_id != viewer.person_id:
        items = items.filter(participations__person_id=person_id)
    return items.distinct()


def access_interaction(*, viewer: User, interaction_id: int, for_edit: bool = False) -> Interaction:
    try:
        interaction = interaction_list(viewer=viewer).get(pk=interaction_id)
    except (Interaction.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None
    if (
        for_edit
        and interaction.logged_by_id != viewer.pk
        and not policies.can_see_everyones_records(viewer)
    ):
        raise NotFoundError("Not found.")
    return interaction


def people_gone_quiet(
    *, viewer: User, quiet_for: dt.timedelta = dt.timedelta(days=60), limit: int = 10
) -> list[dict]:
    """People the viewer used to be in touch with but has not met for a while.

    Returns dicts ``{"person", "last_contact", "count"}``, longest silence first.
    """
    if viewer is None or not viewer.is_authenticated or viewer.person_id is None:
        return []
    me = viewer.person_id
    cutoff = timezone.now() - quiet_for
    my_interactions = Interaction.objects.filter(participations__person_id=me).values("id")
    rows = (
        Person.objects.filter(participations__interaction_id__in=my_interactions)
        .exclude(pk=me)
        .annotate(
            last_contact=Max("participations__interaction__occurred_at"),
            count=Count("participations__interaction", distinct=True),
        )
        .filter(last_contact__lt=cutoff)
        .select_related("team", "organization")
        .order_by("last_contact", "full_name")[:limit]
    )
    return [{"person": p, "last_contact": p.last_contact, "count": p.count} for p in rows]


def import_formats(*, viewer: User) -> dict[str, Reader]:
    """The formats the viewer may import, by name (only those with a reader).

    People analysts and admins: every format. Anyone else whose login is linked
    to a person: their own mailbox, calendar and contacts (:data:`MEMBER_FORMATS`).
    """
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return {}
    available = readers()
    if policies.can_manage_people(viewer):
        return available
    if viewer.person_id is None:
        return {}
    return {name: r for name, r in available.items() if name in MEMBER_FORMATS}


def can_import(viewer: User) -> bool:
    return bool(import_formats(viewer=viewer))


def import_run_list(*, viewer: User) -> QuerySet[ImportRun]:
    """Imports the viewer started, newest first; people analysts and admins see all."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        raise NotFoundError("Not found.")
    runs = ImportRun.objects.select_related("started_by")
    if policies.can_manage_people(viewer):
        return runs
    return runs.filter(started_by=viewer)


def access_import_run(*, viewer: User, run_id: int) -> ImportRun:
    """One import run, if the viewer may see it (the same error for missing and forbidden)."""
    try:
        return import_run_list(viewer=viewer).get(pk=run_id)
    except (ImportRun.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None
