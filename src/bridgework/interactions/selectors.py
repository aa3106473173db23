"""Reads of logged interactions, always on behalf of a viewer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.interactions.models import Interaction
from bridgework.people.models import Person

__all__ = ["interaction_list", "access_interaction", "people_gone_quiet"]


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
