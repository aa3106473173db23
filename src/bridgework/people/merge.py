"""Merging two people who turn out to be one, and undoing it.

:func:`person_merge` folds ``drop`` into ``keep``: every address, source key,
skill, endorsement, relationship, interaction, report, team, login and review
of ``drop`` moves to ``keep`` (rows that would become duplicates or self-ties
are deleted), empty profile fields of ``keep`` are filled from ``drop``, the
event store re-points ``drop``'s events and source ties, and ``drop`` is
deleted. A :class:`~bridgework.people.models.PersonMerge` keeps a snapshot of
everything that changed, so :func:`person_merge_undo` can put it all back,
including ``drop`` under its old id.

The database part runs first and the event store last, inside one database
transaction: if the store fails (busy with an import, say), the database
change rolls back too and nothing is half-merged.

Apps built on people that keep rows pointing at a person (the interactions
app's participations, say) register a :class:`MergeStep` at start-up with
:func:`merge_step_register`: the merge runs each step and keeps what it returns
in the snapshot, and the undo hands the snapshot back, so this module never
imports them. A relation to a person that neither this module nor a step
handles stops the merge rather than being cascaded away.

``actor=None`` means the command line (``bridgework people merge``): whoever
can run it can reach the database anyway; the audit log records it as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import pyarrow.compute as pc
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.eventstore import get_event_store
from bridgework.people.models import (
    MatchReview,
    Person,
    PersonEmail,
    PersonIdentity,
    PersonMerge,
    PersonSkill,
    Relationship,
    Team,
)

__all__ = [
    "FILLED_FIELDS",
    "MergeStep",
    "merge_step_register",
    "restore_rows",
    "serialize_rows",
    "person_merge",
    "person_merge_undo",
    "match_review_confirm",
    "match_review_dismiss",
]

#: Profile fields of the kept person that the dropped person fills when empty.
FILLED_FIELDS = ("title", "phone", "organization", "team", "manager", "level", "location", "bio")

#: Relations to Person the merge moves itself; any other one that still points
#: at the dropped person stops the merge rather than being cascaded away.
_HANDLED = {
    (PersonEmail, "person"),
    (PersonIdentity, "person"),
    (PersonSkill, "person"),
    (PersonSkill, "endorsed_by"),
    (Relationship, "person"),
    (Relationship, "other"),
    (Person, "manager"),
    (Team, "lead"),
    (User, "person"),
    (MatchReview, "new_person"),
    (MatchReview, "candidate"),
    (PersonMerge, "keep"),
}


@dataclass(frozen=True)
class MergeStep:
    """How an app built on people moves its own rows from a dropped person to the kept one.

    ``relations`` are the (model, field) pairs pointing at a person that the
    step moves. ``merge(keep, drop)`` moves them and returns what it changed
    (JSON-safe; merged into the merge's snapshot, so keys must not clash with
    other steps'); ``undo(keep, drop, snapshot)`` puts them back with the
    dropped person restored and returns how many rows could not come back.
    """

    name: str
    relations: frozenset[tuple[type, str]]
    merge: Callable[[Person, Person], dict[str, Any]]
    undo: Callable[[Person, Person, Mapping[str, Any]], int]


_STEPS: dict[str, MergeStep] = {}


def merge_step_register(step: MergeStep) -> MergeStep:
    """Add an app's :class:`MergeStep` (from its ``AppConfig.ready``); idempotent."""
    _STEPS[step.name] = step
    return step


def _handled() -> set[tuple[type, str]]:
    return _HANDLED.union(*(step.relations for step in _STEPS.values()))


def _require_manager(actor: User | None) -> None:
    if actor is not None and not policies.can_manage_people(actor):
        raise NotFoundError("Not found.")


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _via(actor: User | None) -> dict:
    return {} if actor is not None else {"via": "command line"}


def _jsonable(value):
    # Full ISO format: Django's JSON encoder would cut microseconds to milliseconds.
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def serialize_rows(objects) -> list[dict]:
    """Rows as JSON-safe dicts (Django's serialization), to recreate them exactly
    with :func:`restore_rows`."""
    return [
        {**row, "fields": {name: _jsonable(value) for name, value in row["fields"].items()}}
        for row in serializers.serialize("python", objects)
    ]


def _missing_targets(obj) -> list:
    """Foreign-key fields of ``obj`` whose target row is gone.

    Checked by hand: foreign keys are deferred to commit time, so a missing
    target would otherwise fail the whole transaction at its end.
    """
    missing = []
    for f in obj._meta.concrete_fields:
        if f.is_relation:
            value = getattr(obj, f.attname)
            if value is not None and not f.related_model._base_manager.filter(pk=value).exists():
                missing.append(f)
    return missing


def restore_rows(rows: list[dict]) -> int:
    """Recreate serialized rows with their old ids; returns how many came back.

    A row that cannot come back (its interaction or counterpart was deleted
    since, or an identical one was declared again) is skipped, not forced.
    """
    restored = 0
    for deserialized in serializers.deserialize("python", rows):
        if _missing_targets(deserialized.object):
            continue
        try:
            with transaction.atomic():
                deserialized.save()
        except IntegrityError:
            continue
        restored += 1
    return restored


def _restore_person(row: dict) -> Person:
    """The dropped person's own row, under its old id; links to deleted rows are emptied."""
    (deserialized,) = serializers.deserialize("python", [row])
    person = deserialized.object
    for f in _missing_targets(person):
        setattr(person, f.attname, None)
    deserialized.save()
    return Person.objects.get(pk=person.pk)


def _lock(person: Person) -> Person:
    try:
        return Person.objects.select_for_update().get(pk=person.pk)
    except Person.DoesNotExist:
        raise NotFoundError("Not found.") from None


def _remaining_references(drop: Person) -> list[str]:
    handled = _handled()
    left = []
    for relation in Person._meta.related_objects:
        model = relation.field.model  # the model that refers to Person (its related_model)
        if (model, relation.field.name) in handled or relation.many_to_many:
            continue
        if model._base_manager.filter(**{relation.field.name: drop}).exists():
            left.append(str(model._meta.verbose_name_plural))
    return left


@transaction.atomic
def person_merge(*, actor: User | None, keep: Person, drop: Person) -> PersonMerge:
    """Fold ``drop`` into ``keep``; undo with :func:`person_merge_undo`.

    Refused (``ValidationError``) when both people have a login: one person has
    one login, and choosing which to lock out is an admin's decision.
    """
    _require_manager(actor)
    if keep.pk == drop.pk:
        raise ValidationError("A person cannot be merged with themselves.")
    keep, drop = _lock(keep), _lock(drop)
    logins = {u.person_id: u for u in User.objects.filter(person_id__in=[keep.pk, drop.pk])}
    if len(logins) == 2:
        raise ValidationError(
            f"{keep} and {drop} both have a login ({logins[keep.pk].username} and "
            f"{logins[drop.pk].username}). A person has one login: unlink or delete one of "
            f"them in the admin first, then merge."
        )
    merge = PersonMerge.objects.create(
        keep=keep, dropped_person_id=drop.pk, merged_by=_user(actor), snapshot={}
    )
    snapshot: dict[str, Any] = {"version": 1, "person": serialize_rows([drop])[0]}

    # E-mail addresses: the kept person's primary stays primary.
    drop_emails = list(PersonEmail.objects.filter(person=drop))
    snapshot["emails"] = [{"id": e.pk, "is_primary": e.is_primary} for e in drop_emails]
    keep_has_primary = PersonEmail.objects.filter(person=keep, is_primary=True).exists()
    PersonEmail.objects.filter(person=drop).update(person=keep, is_primary=False)
    drop_primary = next((e.pk for e in drop_emails if e.is_primary), None)
    if not keep_has_primary and drop_primary is not None:
        PersonEmail.objects.filter(pk=drop_primary).update(is_primary=True)

    snapshot["identities"] = list(
        PersonIdentity.objects.filter(person=drop).values_list("id", flat=True)
    )
    PersonIdentity.objects.filter(person=drop).update(person=keep)

    snapshot.update(_merge_skills(keep, drop))
    snapshot.update(_merge_relationships(keep, drop))
    for step in _STEPS.values():
        snapshot.update(step.merge(keep, drop))
    snapshot.update(_merge_reviews(keep, drop, actor))

    # Reports, team leads, login and earlier merges follow the kept person.
    snapshot["reports"] = list(
        Person.objects.filter(manager=drop).exclude(pk=keep.pk).values_list("id", flat=True)
    )
    Person.objects.filter(pk__in=snapshot["reports"]).update(manager=keep)
    snapshot["teams_led"] = list(Team.objects.filter(lead=drop).values_list("id", flat=True))
    Team.objects.filter(pk__in=snapshot["teams_led"]).update(lead=keep)
    login = logins.get(drop.pk)
    snapshot["user_id"] = login.pk if login else None
    if login:
        User.objects.filter(pk=login.pk).update(person=keep)
    snapshot["merges_kept"] = list(
        PersonMerge.objects.filter(keep=drop).values_list("id", flat=True)
    )
    PersonMerge.objects.filter(pk__in=snapshot["merges_kept"]).update(keep=keep)
    snapshot["keep_fields"] = _fill_empty_fields(keep, drop)

    left = _remaining_references(drop)
    if left:
        raise ValidationError(
            f"{drop} still has {', '.join(left)} that a merge does not know how to move; "
            f"nothing was merged."
        )
    drop_id = drop.pk
    drop.delete()

    merge.snapshot = snapshot
    merge.events_merge_id = f"merge-{merge.pk}"
    merge.save(update_fields=["snapshot", "events_merge_id"])
    for subject in (keep.pk, drop_id):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.MERGE,
            object_type="person_merge",
            object_id=merge.pk,
            subject_person_id=subject,
            detail={"kept": keep.pk, "dropped": drop_id, **_via(actor)},
        )
    # Last, so that a store failure rolls the whole merge back.
    merge.events_changed = get_event_store().reassign_person(
        drop_id=drop_id, keep_id=keep.pk, merge_id=merge.events_merge_id
    )
    merge.save(update_fields=["events_changed"])
    return merge


def _merge_skills(keep: Person, drop: Person) -> dict:
    """Self-declared levels (the higher one wins), endorsements received and given."""
    moved, moved_given, deleted, keep_levels = [], [], [], {}
    keep_declared = {
        ps.skill_id: ps for ps in PersonSkill.objects.filter(person=keep, endorsed_by__isnull=True)
    }
    keep_received = set(
        PersonSkill.objects.filter(person=keep, endorsed_by__isnull=False).values_list(
            "skill_id", "endorsed_by_id"
        )
    )
    keep_given = set(
        PersonSkill.objects.filter(endorsed_by=keep).values_list("person_id", "skill_id")
    )
    for ps in PersonSkill.objects.filter(person=drop).order_by("id"):
        if ps.endorsed_by_id is None:
            mine = keep_declared.get(ps.skill_id)
            if mine is None:
                moved.append(ps.pk)
                continue
            if ps.level > mine.level:
                keep_levels[str(mine.pk)] = mine.level
                PersonSkill.objects.filter(pk=mine.pk).update(level=ps.level)
            deleted.append(ps)
        elif ps.endorsed_by_id == keep.pk or (ps.skill_id, ps.endorsed_by_id) in keep_received:
            deleted.append(ps)  # keep endorsing themselves, or endorsed twice by one person
        else:
            keep_received.add((ps.skill_id, ps.endorsed_by_id))
            moved.append(ps.pk)
    for ps in PersonSkill.objects.filter(endorsed_by=drop).order_by("id"):
        if ps.person_id == keep.pk or (ps.person_id, ps.skill_id) in keep_given:
            deleted.append(ps)
        else:
            keep_given.add((ps.person_id, ps.skill_id))
            moved_given.append(ps.pk)
    snapshot = {
        "skills_moved": moved,
        "endorsements_given_moved": moved_given,
        "skills_deleted": serialize_rows(deleted),
        "keep_skill_levels": keep_levels,
    }
    PersonSkill.objects.filter(pk__in=[ps.pk for ps in deleted]).delete()
    PersonSkill.objects.filter(pk__in=moved).update(person=keep)
    PersonSkill.objects.filter(pk__in=moved_given).update(endorsed_by=keep)
    return snapshot


def _merge_relationships(keep: Person, drop: Person) -> dict:
    """Re-point declared ties; ties to ``keep`` itself and duplicates of keep's go."""
    taken = {
        (frozenset((r.person_id, r.other_id)), r.declared_by_id)
        for r in Relationship.objects.filter(Q(person=keep) | Q(other=keep))
    }
    moved, deleted = [], []
    for rel in Relationship.objects.filter(Q(person=drop) | Q(other=drop)).order_by("id"):
        person_id = keep.pk if rel.person_id == drop.pk else rel.person_id
        other_id = keep.pk if rel.other_id == drop.pk else rel.other_id
        pair = (frozenset((person_id, other_id)), rel.declared_by_id)
        if person_id == other_id or pair in taken:
            deleted.append(rel)
            continue
        taken.add(pair)
        moved.append({"id": rel.pk, "person_id": rel.person_id, "other_id": rel.other_id})
    snapshot = {"relationships_moved": moved, "relationships_deleted": serialize_rows(deleted)}
    Relationship.objects.filter(pk__in=[r.pk for r in deleted]).delete()
    Relationship.objects.filter(
        pk__in=[m["id"] for m in moved if m["person_id"] == drop.pk]
    ).update(person=keep)
    Relationship.objects.filter(pk__in=[m["id"] for m in moved if m["other_id"] == drop.pk]).update(
        other=keep
    )
    return snapshot


def _merge_reviews(keep: Person, drop: Person, actor: User | None) -> dict:
    """Reviews between the two are decided ("merged"); drop's others move to keep."""
    between = Q(new_person=drop, candidate=keep) | Q(new_person=keep, candidate=drop)
    decided = list(
        MatchReview.objects.filter(between).values(
            "id", "new_person_id", "candidate_id", "status", "decided_by_id", "decided_at"
        )
    )
    MatchReview.objects.filter(between, status=MatchReview.Status.PENDING).update(
        status=MatchReview.Status.MERGED, decided_by=_user(actor), decided_at=timezone.now()
    )
    taken: set[tuple[int | None, int | None]] = set(
        MatchReview.objects.filter(Q(new_person=keep) | Q(candidate=keep)).values_list(
            "new_person_id", "candidate_id"
        )
    )
    moved: list[dict[str, Any]] = []
    deleted: list[MatchReview] = []
    for review in MatchReview.objects.filter(
        (Q(new_person=drop) | Q(candidate=drop)) & ~between
    ).order_by("id"):
        new_id = keep.pk if review.new_person_id == drop.pk else review.new_person_id
        candidate_id = keep.pk if review.candidate_id == drop.pk else review.candidate_id
        if new_id == candidate_id or (new_id, candidate_id) in taken:
            deleted.append(review)
            continue
        taken.add((new_id, candidate_id))
        moved.append(
            {
                "id": review.pk,
                "new_person_id": review.new_person_id,
                "candidate_id": review.candidate_id,
            }
        )
    snapshot = {
        "reviews_decided": [
            {**row, "decided_at": row["decided_at"].isoformat() if row["decided_at"] else None}
            for row in decided
        ],
        "reviews_moved": moved,
        "reviews_deleted": serialize_rows(deleted),
    }
    MatchReview.objects.filter(pk__in=[r.pk for r in deleted]).delete()
    for row in moved:
        MatchReview.objects.filter(pk=row["id"]).update(
            new_person_id=keep.pk if row["new_person_id"] == drop.pk else row["new_person_id"],
            candidate_id=keep.pk if row["candidate_id"] == drop.pk else row["candidate_id"],
        )
    return snapshot


def _fill_empty_fields(keep: Person, drop: Person) -> dict:
    """Fill keep's empty profile fields from drop; returns ``{attname: [before, after]}``."""
    filled: dict[str, list] = {}
    attnames = {field.name: field.attname for field in Person._meta.concrete_fields}
    for name in FILLED_FIELDS:
        attname = attnames[name]
        mine, theirs = getattr(keep, attname), getattr(drop, attname)
        if name == "manager" and theirs in (keep.pk, drop.pk):
            continue
        if mine in (None, "") and theirs not in (None, ""):
            filled[attname] = [mine, theirs]
    if keep.manager_id == drop.pk:
        # keep reported to drop, who becomes keep: take drop's manager instead.
        boss = drop.manager_id if drop.manager_id not in (keep.pk, drop.pk) else None
        filled["manager_id"] = [drop.pk, boss]
    for attname, (_before, after) in filled.items():
        setattr(keep, attname, after)
    try:
        keep.clean()
    except ValidationError:
        # e.g. drop's team belongs to another organization than keep's: fill nothing
        # but the manager link, which cannot stay pointing at drop.
        for attname, (before, _after) in list(filled.items()):
            if attname != "manager_id" or before != drop.pk:
                setattr(keep, attname, before)
                del filled[attname]
    if filled:
        keep.save(update_fields=[*filled, "updated_at"])
    return filled


@transaction.atomic
def person_merge_undo(*, actor: User | None, merge: PersonMerge) -> Person:
    """Undo a merge: the dropped person comes back under their old id with all that moved.

    Refused when the merge was undone already, when the kept person is gone,
    or while a later merge involving the kept person stands (undo that first).
    """
    _require_manager(actor)
    try:
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    except PersonMerge.DoesNotExist:
        raise NotFoundError("Not found.") from None
    if merge.undone_at is not None:
        raise ValidationError(f"Merge #{merge.pk} was already undone.")
    if merge.keep_id is None:
        raise ValidationError(
            f"The person merge #{merge.pk} kept no longer exists, so it cannot be undone."
        )
    later = (
        PersonMerge.objects.filter(pk__gt=merge.pk, undone_at__isnull=True)
        .filter(Q(keep_id=merge.keep_id) | Q(dropped_person_id=merge.keep_id))
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    if later:
        numbers = ", ".join(f"#{pk}" for pk in later)
        raise ValidationError(
            f"Later merges involving {merge.keep} stand ({numbers}): undo them first."
        )
    if Person.objects.filter(pk=merge.dropped_person_id).exists():
        raise ValidationError(f"Person #{merge.dropped_person_id} exists again; nothing to undo.")
    _refuse_if_later_merges_share_events(merge)
    keep = Person.objects.select_for_update().get(pk=merge.keep_id)
    snap = merge.snapshot
    drop_id = merge.dropped_person_id
    drop = _restore_person(snap["person"])

    emails = snap["emails"]
    PersonEmail.objects.filter(pk__in=[e["id"] for e in emails], person=keep).update(
        person=drop, is_primary=False
    )
    primary = [e["id"] for e in emails if e["is_primary"]]
    PersonEmail.objects.filter(pk__in=primary, person=drop).update(is_primary=True)
    PersonIdentity.objects.filter(pk__in=snap["identities"], person=keep).update(person=drop)

    PersonSkill.objects.filter(pk__in=snap["skills_moved"], person=keep).update(person=drop)
    PersonSkill.objects.filter(pk__in=snap["endorsements_given_moved"], endorsed_by=keep).update(
        endorsed_by=drop
    )
    for pk, level in snap["keep_skill_levels"].items():
        PersonSkill.objects.filter(pk=int(pk), person=keep).update(level=level)
    skipped = len(snap["skills_deleted"]) - restore_rows(snap["skills_deleted"])

    moved = snap["relationships_moved"]
    Relationship.objects.filter(
        pk__in=[m["id"] for m in moved if m["person_id"] == drop_id], person=keep
    ).update(person=drop)
    Relationship.objects.filter(
        pk__in=[m["id"] for m in moved if m["other_id"] == drop_id], other=keep
    ).update(other=drop)
    skipped += len(snap["relationships_deleted"]) - restore_rows(snap["relationships_deleted"])

    for step in _STEPS.values():
        skipped += step.undo(keep, drop, snap)

    Person.objects.filter(pk__in=snap["reports"], manager=keep).update(manager=drop)
    Team.objects.filter(pk__in=snap["teams_led"], lead=keep).update(lead=drop)
    if snap["user_id"] is not None:
        User.objects.filter(pk=snap["user_id"], person=keep).update(person=drop)
    PersonMerge.objects.filter(pk__in=snap["merges_kept"], keep=keep).update(keep=drop)

    restored_fields = []
    for attname, (before, after) in snap["keep_fields"].items():
        if getattr(keep, attname) == after:  # unless someone changed it since
            setattr(keep, attname, before)
            restored_fields.append(attname)
    if restored_fields:
        keep.save(update_fields=[*restored_fields, "updated_at"])

    for row in snap["reviews_moved"]:
        MatchReview.objects.filter(pk=row["id"]).update(
            new_person_id=row["new_person_id"], candidate_id=row["candidate_id"]
        )
    skipped += len(snap["reviews_deleted"]) - restore_rows(snap["reviews_deleted"])
    for row in snap["reviews_decided"]:
        MatchReview.objects.filter(pk=row["id"]).update(
            new_person_id=row["new_person_id"],
            candidate_id=row["candidate_id"],
            status=row["status"],
            decided_by_id=row["decided_by_id"],
            decided_at=row["decided_at"],
        )

    merge.undone_at = timezone.now()
    merge.undone_by = _user(actor)
    merge.save(update_fields=["undone_at", "undone_by"])
    for subject in (keep.pk, drop_id):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.MERGE,
            object_type="person_merge",
            object_id=merge.pk,
            subject_person_id=subject,
            detail={"undone": True, "kept": keep.pk, "dropped": drop_id, "skipped": skipped}
            | _via(actor),
        )
    if merge.events_merge_id:
        get_event_store().undo_reassign(merge_id=merge.events_merge_id)
    return drop


def _refuse_if_later_merges_share_events(merge: PersonMerge) -> None:
    """Undoing puts events back as they were before *this* merge; a later merge
    of someone who shares events with the kept person would be half undone.

    Conservative: any event or source tie naming both the kept person and a
    later merge's kept person counts as shared.
    """
    later = {
        m.keep_id: m
        for m in PersonMerge.objects.filter(pk__gt=merge.pk, undone_at__isnull=True)
        .exclude(keep=None)
        .order_by("-pk")
    }
    if not later:
        return
    store = get_event_store()
    events = store.events(person_id=merge.keep_id).select(["sender_id", "recipient_ids"])
    involved = set(events.column("sender_id").to_pylist())
    for recipients in events.column("recipient_ids").to_pylist():
        involved.update(recipients or ())
    ties = store.ties()
    mine = pc.or_(
        pc.equal(ties.column("person_a"), merge.keep_id),
        pc.equal(ties.column("person_b"), merge.keep_id),
    )
    ties = ties.filter(mine)
    involved.update(ties.column("person_a").to_pylist())
    involved.update(ties.column("person_b").to_pylist())
    clashes = sorted((m.pk for keep_id, m in later.items() if keep_id in involved), reverse=True)
    if clashes:
        numbers = ", ".join(f"#{pk}" for pk in clashes)
        raise ValidationError(
            f"Later merges ({numbers}) changed events {merge.keep} is part of: undo them first."
        )


def match_review_confirm(*, actor: User | None, review: MatchReview) -> PersonMerge:
    """They are the same person: merge the new person into the candidate."""
    _require_manager(actor)
    if not review.is_pending:
        raise ValidationError("This possible duplicate was already decided.")
    keep, drop = review.candidate, review.new_person
    if keep is None or drop is None:  # one of them was merged away or deleted
        raise ValidationError("This possible duplicate was already decided.")
    return person_merge(actor=actor, keep=keep, drop=drop)


@transaction.atomic
def match_review_dismiss(*, actor: User | None, review: MatchReview) -> MatchReview:
    """They are different people: keep both, and never list this pair again."""
    _require_manager(actor)
    review = MatchReview.objects.select_for_update().get(pk=review.pk)
    if not review.is_pending:
        raise ValidationError("This possible duplicate was already decided.")
    review.status = MatchReview.Status.DISMISSED
    review.decided_by = _user(actor)
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="match_review",
        object_id=review.pk,
        subject_person_id=review.new_person_id,
        detail={"status": review.status, "candidate": review.candidate_id, **_via(actor)},
    )
    return review
