"""Private contacts: approving them into the directory, and keeping them
private through a merge of two people (see :mod:`bridgework.people.merge`).

A person a member's own import brought in is that member's private contact
(:class:`~bridgework.people.models.PrivateContact`, ``Person.listed`` false),
seen only by the members who imported them and by people managers
(:func:`~bridgework.people.selectors.visible_people`). A people manager lists
one in the shared directory with :func:`person_approve` (an organization
import naming them does the same, see :mod:`bridgework.people.identity`).

When a people manager merges two people, the kept person is listed in the
directory if either of them was (a private contact that turns out to be a
directory person is one), and the private-contact rows of the dropped person
follow the kept one, on both sides (as a contact and as an owner). The undo
puts everything back. Registered as a :class:`~bridgework.people.merge.MergeStep`
by the app's ``ready()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.people.merge import MergeStep, restore_rows, serialize_rows
from bridgework.people.models import Person, PrivateContact

__all__ = ["PRIVATE_CONTACTS", "person_approve"]


@transaction.atomic
def person_approve(*, actor: User | None, person: Person) -> Person:
    """List a private contact in the shared directory: everyone signed in sees
    them from now on. People managers only (anyone else: "not found");
    ``actor=None`` is the command line. Audited; approving a listed person
    changes nothing."""
    if actor is not None and not policies.can_manage_people(actor):
        raise NotFoundError("Not found.")
    if Person.objects.filter(pk=person.pk, listed=False).update(
        listed=True, updated_at=timezone.now()
    ):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="person",
            object_id=person.pk,
            subject_person_id=person.pk,
            detail={"listed": True, "approved": True},
        )
    person.listed = True
    return person


def _move(keep: Person, drop: Person, side: str, other: str) -> tuple[list[int], list[dict]]:
    """Move ``drop``'s rows on ``side`` (owner or person) to ``keep``; a row that
    would pair keep with itself or repeat one keep has is deleted instead."""
    existing = set(
        PrivateContact.objects.filter(**{side: keep}).values_list(f"{other}_id", flat=True)
    )
    moved: list[PrivateContact] = []
    deleted: list[PrivateContact] = []
    for row in PrivateContact.objects.filter(**{side: drop}).order_by("id"):
        counterpart = getattr(row, f"{other}_id")
        (deleted if counterpart in existing or counterpart == keep.pk else moved).append(row)
    rows = serialize_rows(deleted)
    PrivateContact.objects.filter(pk__in=[r.pk for r in deleted]).delete()
    PrivateContact.objects.filter(pk__in=[r.pk for r in moved]).update(**{side: keep})
    return [r.pk for r in moved], rows


def _merge(keep: Person, drop: Person) -> dict[str, Any]:
    as_contact, deleted_contact = _move(keep, drop, "person", "owner")
    as_owner, deleted_owner = _move(keep, drop, "owner", "person")
    listed_by_merge = drop.listed and not keep.listed
    if listed_by_merge:
        Person.objects.filter(pk=keep.pk).update(listed=True)
    return {
        "private_contacts_moved_as_contact": as_contact,
        "private_contacts_moved_as_owner": as_owner,
        "private_contacts_deleted": deleted_contact + deleted_owner,
        "private_contacts_listed_keep": listed_by_merge,
    }


def _undo(keep: Person, drop: Person, snapshot: Mapping[str, Any]) -> int:
    PrivateContact.objects.filter(
        pk__in=snapshot.get("private_contacts_moved_as_contact", []), person=keep
    ).update(person=drop)
    PrivateContact.objects.filter(
        pk__in=snapshot.get("private_contacts_moved_as_owner", []), owner=keep
    ).update(owner=drop)
    if snapshot.get("private_contacts_listed_keep"):
        Person.objects.filter(pk=keep.pk).update(listed=False)
    deleted = snapshot.get("private_contacts_deleted", [])
    return len(deleted) - restore_rows(deleted)


#: Keeps private contacts private, and listed people listed, through a merge.
PRIVATE_CONTACTS = MergeStep(
    name="people.private_contacts",
    relations=frozenset({(PrivateContact, "owner"), (PrivateContact, "person")}),
    merge=_merge,
    undo=_undo,
)
