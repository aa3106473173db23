"""Writes for people, organizations, teams, skills and relationships.

Each service checks the actor's permission, validates, writes in one
transaction and records the change in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.people.consent import consent_changed, consents
from bridgework.people.models import (
    Organization,
    Person,
    PersonEmail,
    PersonSkill,
    Relationship,
    Skill,
    Team,
)

__all__ = [
    "PERSON_FIELDS",
    "SELF_EDITABLE_FIELDS",
    "person_create",
    "person_update",
    "organization_create",
    "team_create",
    "skill_create",
    "person_skill_declare",
    "person_skill_endorse",
    "relationship_declare",
    "relationship_update",
    "relationship_delete",
]

PERSON_FIELDS = (
    "full_name",
    "title",
    "phone",
    "organization",
    "team",
    "manager",
    "level",
    "location",
    "time_zone",
    "engagement_type",
    "engagement_start",
    "engagement_end",
    "bio",
    "analytics_consent",
)
#: What people may change on their own profile (the rest is for people managers).
SELF_EDITABLE_FIELDS = (
    "full_name",
    "title",
    "phone",
    "location",
    "time_zone",
    "bio",
    "analytics_consent",
)


def _normalize_emails(emails: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in emails:
        address = (raw or "").strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError({"emails": f"{raw!r} is not a valid e-mail address."}) from None
        if address not in cleaned:
            cleaned.append(address)
    return cleaned


def _save_emails(person: Person, emails: list[str]) -> None:
    taken = (
        PersonEmail.objects.filter(address__in=emails)
        .exclude(person=person)
        .values_list("address", flat=True)
    )
    if taken:
        raise ValidationError(
            {
                "emails": f"{', '.join(sorted(taken))} already belong(s) to someone else in the directory."
            }
        )
    PersonEmail.objects.filter(person=person).exclude(address__in=emails).delete()
    PersonEmail.objects.filter(person=person).update(is_primary=False)
    for position, address in enumerate(emails):
        PersonEmail.objects.update_or_create(
            address=address, defaults={"person": person, "is_primary": position == 0}
        )


def _changes(person: Person, fields: dict) -> dict:
    return {
        name: str(value.pk if hasattr(value, "pk") else value)
        for name, value in fields.items()
        if getattr(person, name) != value
    }


@transaction.atomic
def person_create(*, actor: User, full_name: str, emails: Iterable[str] = (), **fields) -> Person:
    """Add someone to the network. Only people managers (admin, people analyst) may."""
    if not policies.can_manage_people(actor):
        raise NotFoundError("Not found.")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person field(s): {', '.join(sorted(unknown))}")
    person = Person(full_name=(full_name or "").strip(), **fields)
    person.full_clean()
    person.save()
    _save_emails(person, _normalize_emails(emails))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="person",
        object_id=person.pk,
        subject_person_id=person.pk,
    )
    return person


@transaction.atomic
def person_update(
    *, actor: User, person: Person, emails: Iterable[str] | None = None, **fields
) -> Person:
    """Change a profile. People edit their own public details; managers edit anyone.

    A change of ``analytics_consent`` takes effect in every read at once, and the
    apps that store derived rows hear of it (:mod:`bridgework.people.consent`): the
    person's ties are recomputed once the change commits.
    """
    if not policies.can_edit_person(actor, person.pk):
        raise NotFoundError("Not found.")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person field(s): {', '.join(sorted(unknown))}")
    if not policies.can_manage_people(actor):
        locked = {
            name
            for name, value in fields.items()
            if name not in SELF_EDITABLE_FIELDS and getattr(person, name) != value
        }
        if locked:
            raise ValidationError(
                {
                    name: "Only an admin or people analyst can change this."
                    for name in sorted(locked)
                }
            )
    changed = _changes(person, fields)
    # What is stored, not what the caller's copy says: a change of consent must be seen.
    consented = consents(person.pk)
    for name, value in fields.items():
        setattr(person, name, value)
    if "full_name" in fields:
        person.full_name = (person.full_name or "").strip()
    person.full_clean()
    person.save()
    if emails is not None:
        _save_emails(person, _normalize_emails(emails))
        changed["emails"] = "updated"
    if consented is not None and bool(person.analytics_consent) != consented:
        changed["analytics_consent"] = str(person.analytics_consent)
        consent_changed(person_id=person.pk, consent=bool(person.analytics_consent))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="person",
        object_id=person.pk,
        subject_person_id=person.pk,
        detail={"changed": sorted(changed)},
    )
    return person


def _require_manager(actor: User) -> None:
    if not policies.can_manage_people(actor):
        raise NotFoundError("Not found.")


@transaction.atomic
def organization_create(
    *,
    actor: User,
    name: str,
    kind: str = Organization.Kind.OTHER,
    email_domains: str = "",
    website: str = "",
) -> Organization:
    _require_manager(actor)
    org = Organization(name=name.strip(), kind=kind, email_domains=email_domains, website=website)
    org.full_clean()
    org.save()
    audit_record(
        actor=actor, action=AuditEntry.Action.CREATE, object_type="organization", object_id=org.pk
    )
    return org


@transaction.atomic
def team_create(
    *,
    actor: User,
    name: str,
    organization: Organization,
    parent: Team | None = None,
    lead: Person | None = None,
    description: str = "",
) -> Team:
    _require_manager(actor)
    team = Team(
        name=name.strip(),
        organization=organization,
        parent=parent,
        lead=lead,
        description=description,
    )
    team.full_clean()
    team.save()
    audit_record(
        actor=actor, action=AuditEntry.Action.CREATE, object_type="team", object_id=team.pk
    )
    return team


@transaction.atomic
def skill_create(
    *, actor: User, name: str, slug: str, parent: Skill | None = None, description: str = ""
) -> Skill:
    _require_manager(actor)
    skill = Skill(name=name.strip(), slug=slug, parent=parent, description=description)
    skill.full_clean()
    skill.save()
    return skill


def _check_level(level: int) -> int:
    try:
        level = int(level)
    except (TypeError, ValueError):
        raise ValidationError({"level": "A skill level is a whole number from 1 to 5."}) from None
    if not 1 <= level <= 5:
        raise ValidationError({"level": "A skill level is a whole number from 1 to 5."})
    return level


@transaction.atomic
def person_skill_declare(*, actor: User, person: Person, skill: Skill, level: int) -> PersonSkill:
    """Set a person's own level in a skill (themselves, or a people manager)."""
    if not policies.can_edit_person(actor, person.pk):
        raise NotFoundError("Not found.")
    level = _check_level(level)
    declared, _ = PersonSkill.objects.update_or_create(
        person=person, skill=skill, endorsed_by=None, defaults={"level": level}
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="person_skill",
        object_id=declared.pk,
        subject_person_id=person.pk,
        detail={"skill": skill.slug, "level": level},
    )
    return declared


@transaction.atomic
def person_skill_endorse(*, actor: User, person: Person, skill: Skill, level: int) -> PersonSkill:
    """Endorse someone else's skill at a level, as the actor's own person."""
    if actor.person_id is None:
        raise ValidationError("Only someone with a profile in the directory can endorse.")
    if actor.person_id == person.pk:
        raise ValidationError({"endorsed_by": "People cannot endorse their own skills."})
    level = _check_level(level)
    endorsement, _ = PersonSkill.objects.update_or_create(
        person=person, skill=skill, endorsed_by_id=actor.person_id, defaults={"level": level}
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="person_skill",
        object_id=endorsement.pk,
        subject_person_id=person.pk,
        detail={"skill": skill.slug},
    )
    return endorsement


@transaction.atomic
def relationship_declare(
    *,
    actor: User,
    person: Person,
    other: Person,
    closeness: int,
    context: str = Relationship.Context.COLLEAGUE,
    since: dt.date | None = None,
    private_note: str = "",
) -> Relationship:
    """Declare a tie. Members declare their own ties; admins and analysts anyone's."""
    if not (actor.person_id == person.pk or policies.can_manage_people(actor)):
        raise NotFoundError("Not found.")
    if Relationship.objects.filter(person=person, other=other, declared_by=actor).exists() or (
        Relationship.objects.filter(person=other, other=person, declared_by=actor).exists()
    ):
        raise ValidationError(
            {"other": f"You already declared a relationship with {other}; edit it instead."}
        )
    rel = Relationship(
        person=person,
        other=other,
        closeness=closeness,
        context=context,
        since=since,
        private_note=private_note,
        declared_by=actor,
    )
    rel.full_clean()
    rel.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="relationship",
        object_id=rel.pk,
        subject_person_id=other.pk,
    )
    return rel


_RELATIONSHIP_EDITABLE = ("context", "closeness", "since", "private_note")


@transaction.atomic
def relationship_update(*, actor: User, relationship: Relationship, **fields) -> Relationship:
    """Change a declared tie; only whoever declared it (or an admin)."""
    if relationship.declared_by_id != actor.pk and not policies.can_see_everyones_records(actor):
        raise NotFoundError("Not found.")
    unknown = set(fields) - set(_RELATIONSHIP_EDITABLE)
    if unknown:
        raise TypeError(f"Unknown relationship field(s): {', '.join(sorted(unknown))}")
    if "private_note" in fields and relationship.declared_by_id != actor.pk:
        raise ValidationError(
            {"private_note": "Only whoever declared the relationship can write its note."}
        )
    for name, value in fields.items():
        setattr(relationship, name, value)
    relationship.full_clean()
    relationship.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="relationship",
        object_id=relationship.pk,
        subject_person_id=relationship.other_id,
        detail={"changed": sorted(fields)},
    )
    return relationship


@transaction.atomic
def relationship_delete(*, actor: User, relationship: Relationship) -> None:
    if relationship.declared_by_id != actor.pk and not policies.can_see_everyones_records(actor):
        raise NotFoundError("Not found.")
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="relationship",
        object_id=relationship.pk,
        subject_person_id=relationship.other_id,
    )
    relationship.delete()


# Merging people lives in its own module for its size; these are services like the rest.
from bridgework.people.merge import (  # noqa: E402
    match_review_confirm,
    match_review_dismiss,
    person_merge,
    person_merge_undo,
)

__all__ += ["person_merge", "person_merge_undo", "match_review_confirm", "match_review_dismiss"]

# A private contact a people manager lists in the directory (people/private_contacts.py).
from bridgework.people.private_contacts import person_approve  # noqa: E402 - grouped with its comment

__all__ += ["person_approve"]
