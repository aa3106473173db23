"""A person's data rights: download everything Bridgework holds about them, and
erase them.

**Export.** :func:`person_data_export` gathers a person's data from every app
into one zip: per part a JSON file of its tables, per table a CSV (cells made
safe against spreadsheet formulas), the person's events from the event store
(``events.csv``) and a ``README.txt`` saying what each file holds. A person
downloads their own; an admin may download anyone's, audited, and then gets
no text of the person's private notes: those are read by their author only,
whoever asks.

**Erasure.** :func:`person_erase` (admins, or the command line) removes the
person and everything held about them, in one database transaction with the
event store last, as a merge does: every part erases its rows, a relation to
the person that no part handles stops the erasure (nothing is erased), the
person's row goes (cascading what is left), an audit entry records who erased
which person id and when, with counts only, and then the event store drops or
anonymises their events (:meth:`~bridgework.core.events.store.EventStore.erase_person`).
If the store fails (busy with an import, say), the database rolls back and
nothing is erased. Once it commits, the parts' follow-ups run: ties of the
people who shared events with them are recomputed, a fresh network analysis
is queued.

**Parts.** ``people`` sits below the apps that hold the rest of a person's
data and must not import them, so each app registers a :class:`PersonDataPart`
from its ``AppConfig.ready()`` (``<app>/rights.py``), as merges do with
``people.merge``. ``accounts`` sits below ``people``: its functions
(``accounts.rights``) are registered here, with the people app's own part and
the event store's.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ForeignObjectRel, Q
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.rights import ACCOUNT_TABLES, account_data_erase, account_data_export
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.events.store import PersonErasure
from bridgework.core.exports import csv_writer
from bridgework.eventstore import get_event_store
from bridgework.people.models import (
    MatchReview,
    Person,
    PersonEmail,
    PersonIdentity,
    PersonMerge,
    PersonSkill,
    PrivateContact,
    Relationship,
    Team,
)

__all__ = [
    "EXPORT_OBJECT_TYPE",
    "ERASURE_OBJECT_TYPE",
    "WITHHELD_NOTE",
    "Tables",
    "PersonDataPart",
    "ErasureResult",
    "rights_part_register",
    "rights_parts",
    "access_person_for_export",
    "access_person_for_erasure",
    "person_data_tables",
    "person_data_export",
    "person_data_export_name",
    "person_erase_preview",
    "person_erase",
]

#: ``object_type`` of the audit entries written by exports and erasures.
EXPORT_OBJECT_TYPE = "person_data_export"
ERASURE_OBJECT_TYPE = "person_erasure"

#: What an export made for someone else holds instead of the text of a private note.
WITHHELD_NOTE = "(private note: only its author can download its text)"

#: A part's data: table name → rows (each a mapping of column → JSON-safe value).
Tables = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class PersonDataPart:
    """One app's share of what Bridgework holds about a person.

    ``export(person, own)`` returns the part's tables; ``own`` is true when the
    person asks for their own data (only then may the text of their private
    notes be included). ``erase(person)`` deletes or anonymises the part's rows
    about the person inside the erasure's transaction (registering any
    follow-up with ``transaction.on_commit``) and returns counts by what it did.
    ``after_store(person_id, erasure)``, when given, runs once the event store
    has dropped the person's events (still inside the transaction), e.g. to
    queue the recomputation of the ties of ``erasure.people_affected``.

    ``relations`` are the (model, field) pairs pointing at a person that the
    part takes care of; ``tables`` says in a sentence what each table holds
    (the export's README); ``order`` places the erasure (lower first: apps
    higher up erase before the ones they build on, accounts last).
    """

    name: str
    title: str
    tables: Mapping[str, str]
    export: Callable[[Person, bool], Tables]
    erase: Callable[[Person], dict[str, int]]
    relations: frozenset[tuple[type, str]] = frozenset()
    after_store: Callable[[int, PersonErasure], None] | None = None
    order: int = 50


_PARTS: dict[str, PersonDataPart] = {}


def rights_part_register(part: PersonDataPart) -> PersonDataPart:
    """Add an app's :class:`PersonDataPart` (from its ``AppConfig.ready``); idempotent."""
    _PARTS[part.name] = part
    return part


def rights_parts() -> list[PersonDataPart]:
    """The registered parts, in the order the export lists them (by name)."""
    return [_PARTS[name] for name in sorted(_PARTS)]


# ---- Who may -----------------------------------------------------------------------


def _person(person_id: int) -> Person:
    try:
        return Person.objects.select_related("organization", "team", "manager").get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


def access_person_for_export(*, viewer: User | None, person_id: int) -> Person:
    """The person whose data ``viewer`` may download: themselves; anyone for admins.
    ``viewer=None`` is the command line. Anyone else: "not found"."""
    if viewer is not None:
        require_login(viewer)
        require(policies.can_export_person_data(viewer, person_id))
    return _person(person_id)


def access_person_for_erasure(*, viewer: User | None, person_id: int) -> Person:
    """A person ``viewer`` may erase: admins only (and the command line, ``None``)."""
    if viewer is not None:
        require_login(viewer)
        require(policies.can_erase_person(viewer))
    return _person(person_id)


# ---- Export ----------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def _events_table(person_id: int) -> list[dict[str, Any]]:
    table = get_event_store().events(person_id=person_id)
    rows = []
    for event in table.to_pylist():
        rows.append(
            {
                "occurred_at": event["occurred_at"],
                "source": event["source"],
                "external_id": event["external_id"],
                "channel": event["channel"],
                "direction": event["direction"],
                "your_part": "sender" if event["sender_id"] == person_id else "recipient",
                "sender_id": event["sender_id"],
                "recipient_ids": event["recipient_ids"],
                "duration_minutes": event["duration_minutes"],
                "thread_id": event["thread_id"],
                "reply_to": event["reply_to"],
            }
        )
    return rows


def person_data_tables(*, person: Person, own: bool) -> dict[str, Tables]:
    """Every part's tables about ``person``, by part name (no access check: callers
    pass a person from :func:`access_person_for_export`)."""
    return {part.name: part.export(person, own) for part in rights_parts()}


def _csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [name for name in row if name not in columns]
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for name in columns:
            value = _jsonable(row.get(name))
            cells.append(json.dumps(value) if isinstance(value, list | dict) else value)
        writer.writerow(cells)
    return out.getvalue()


def _readme(person: Person, *, own: bool, tables: dict[str, Tables], made_at: dt.datetime) -> str:
    lines = [
        "Everything Bridgework holds about you",
        "=====================================",
        "",
        f"Person #{person.pk}, exported {made_at:%Y-%m-%d %H:%M} UTC.",
        "",
        "Each part of Bridgework has a JSON file with all of its tables (PART.json) and a",
        "CSV file per table (PART/TABLE.csv) that opens in a spreadsheet. Other people",
        "appear by name where you can see them in Bridgework anyway, and by their id in the",
        "events; ties between other people are never included.",
    ]
    if not own:
        lines += [
            "",
            "This copy was made by an admin, not by you: the text of your private notes is",
            f'left out ("{WITHHELD_NOTE}"). Download your own copy to have it.',
        ]
    for part in rights_parts():
        lines += ["", f"{part.name}.json — {part.title}"]
        for table, about in part.tables.items():
            count = len(tables.get(part.name, {}).get(table, []))
            lines.append(f"  {part.name}/{table}.csv ({count} rows): {about}")
    lines += [
        "",
        "If something here is wrong, change it in Bridgework or ask an admin. An admin can",
        "also erase you from Bridgework entirely.",
        "",
    ]
    return "\n".join(lines)


def person_data_export_name(person: Person, *, on: dt.date | None = None) -> str:
    """The zip's file name, e.g. ``bridgework-person-12-2026-03-01.zip``."""
    day = on or timezone.now().date()
    return f"bridgework-person-{person.pk}-{day.isoformat()}.zip"


def person_data_export(*, actor: User | None, person: Person) -> bytes:
    """The zip of everything held about ``person`` (see the module docs).

    ``person`` comes from :func:`access_person_for_export` with the same
    ``actor``; the export is written to the audit log (``actor=None``: the
    command line). The text of private notes is in it only when the person
    downloads their own.
    """
    own = actor is not None and actor.person_id == person.pk
    tables = person_data_tables(person=person, own=own)
    made_at = timezone.now()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(person, own=own, tables=tables, made_at=made_at))
        for name, part_tables in tables.items():
            archive.writestr(
                f"{name}.json", json.dumps(_jsonable(part_tables), indent=2, ensure_ascii=False)
            )
            for table, rows in part_tables.items():
                archive.writestr(f"{name}/{table}.csv", _csv(rows))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        object_type=EXPORT_OBJECT_TYPE,
        object_id=person.pk,
        subject_person_id=person.pk,
        detail={"own": own, **({} if actor is not None else {"via": "command line"})},
    )
    return buffer.getvalue()


# ---- Erasure --------------------------------------------------------------------------


@dataclass
class ErasureResult:
    """What an erasure removed: counts per part (``events``: the event store's),
    and the audit entry that records it."""

    person_id: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    audit_entry: AuditEntry | None = None

    @property
    def total(self) -> int:
        return sum(sum(part.values()) for part in self.counts.values())


def _handled() -> set[tuple[type, str]]:
    return set().union(*(part.relations for part in _PARTS.values()))


def _unhandled_references(person: Person) -> list[str]:
    """Tables still pointing at the person that no part takes care of."""
    handled = _handled()
    left = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.many_to_many:
            continue
        model, name = relation.field.model, relation.field.name
        if (model, name) in handled:
            continue
        if model._base_manager.filter(**{name: person.pk}).exists():
            left.append(str(model._meta.verbose_name_plural))
    return sorted(set(left))


def person_erase_preview(*, viewer: User | None, person: Person) -> list[tuple[str, str, int]]:
    """What an erasure of ``person`` would remove: ``(part, table, rows)`` for every
    table of the export that has rows, and the events in the event store."""
    if viewer is not None:
        require(policies.can_erase_person(viewer))
    rows = []
    for name, tables in person_data_tables(person=person, own=False).items():
        for table, data in tables.items():
            if data and not table.startswith("audit_"):
                rows.append((name, table, len(data)))
    return rows


def _lock(person: Person) -> Person:
    try:
        return Person.objects.select_for_update().get(pk=person.pk)
    except Person.DoesNotExist:
        raise NotFoundError("Not found.") from None


@transaction.atomic
def person_erase(*, actor: User | None, person: Person) -> ErasureResult:
    """Erase ``person`` and everything Bridgework holds about them (see the module docs).

    Admins only (anyone else: "not found"); ``actor=None`` is the command line.
    Refused (``ValidationError``, nothing erased) for the actor's own person (an
    admin cannot erase themselves while signed in as that person) and when a
    table no part knows points at the person. Raises
    :class:`~bridgework.eventstore.StoreBusyError` (nothing erased) when the
    event store stays busy.
    """
    if actor is not None:
        require_login(actor)
        require(policies.can_erase_person(actor))
        if actor.person_id == person.pk:
            raise ValidationError(
                "You cannot erase yourself while signed in as that person: ask another "
                "admin, or use `bridgework people erase` on the server."
            )
    person = _lock(person)
    person_id = person.pk
    store = get_event_store()
    # Read before anything changes: the records of merges into this person go
    # with them, and so must what the event store kept to undo those merges.
    merge_ids = [
        m
        for m in PersonMerge.objects.filter(keep=person).values_list("events_merge_id", flat=True)
        if m
    ]
    events_before = store.count_events(person_id=person_id)
    result = ErasureResult(person_id=person_id)
    for part in sorted(_PARTS.values(), key=lambda p: (p.order, p.name)):
        counts = {key: value for key, value in part.erase(person).items() if value}
        if counts:
            result.counts[part.name] = counts
    left = _unhandled_references(person)
    if left:
        raise ValidationError(
            f"Person #{person_id} still has {', '.join(left)} that an erasure does not know "
            f"how to remove; nothing was erased."
        )
    _, cascaded = Person.objects.filter(pk=person_id).delete()
    cascaded = {label: n for label, n in cascaded.items() if n and label != "people.Person"}
    if cascaded:
        result.counts["deleted_with_the_person"] = dict(sorted(cascaded.items()))
    # Who erased which person id, and when, with counts only: the erased data is gone.
    result.audit_entry = audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type=ERASURE_OBJECT_TYPE,
        object_id=person_id,
        subject_person_id=person_id,
        detail={
            "counts": result.counts,
            "events_in_store": events_before,
            **({} if actor is not None else {"via": "command line"}),
        },
    )
    # Last, so that a store failure rolls the whole erasure back; nothing that
    # could fail writes to the database after it.
    erasure = store.erase_person(person_id, merge_ids=merge_ids)
    result.counts["events"] = {
        "events_deleted": erasure.events_deleted,
        "events_anonymised": erasure.events_anonymised,
        "source_ties_deleted": erasure.ties_deleted,
        "merge_undo_rows_changed": erasure.undo_rows_changed,
    }
    for part in _PARTS.values():
        if part.after_store is not None:
            part.after_store(person_id, erasure)
    return result


# ---- The people app's own part, the accounts part, the events --------------------------

PEOPLE_TABLES = {
    "profile": "Your profile: name, title, organization, team, manager, location, time zone, "
    "engagement, bio, whether you are in network analytics, and where your record came from.",
    "emails": "Your e-mail addresses.",
    "source_ids": "Your ids in the sources Bridgework imported (Slack, Viva, vCard, ...).",
    "skills": "Your skills: levels you declared and endorsements you received (with who).",
    "endorsements_given": "The skills you endorsed in others.",
    "relationships": "Relationships you declared and relationships others declared with you: "
    "with whom, context, closeness, since when; your own private notes.",
    "private_contacts": "People your own imports brought in who are not in the shared directory.",
}


def _name(person: Person | None) -> str | None:
    return person.full_name if person is not None else None


def _people_export(person: Person, own: bool) -> Tables:
    profile = {
        "id": person.pk,
        "full_name": person.full_name,
        "title": person.title,
        "phone": person.phone,
        "organization": str(person.organization) if person.organization else None,
        "team": person.team.path if person.team else None,
        "manager": _name(person.manager),
        "level": person.get_level_display() if person.level else None,
        "location": person.location,
        "time_zone": person.time_zone,
        "engagement_type": person.get_engagement_type_display(),
        "engagement_start": person.engagement_start,
        "engagement_end": person.engagement_end,
        "bio": person.bio,
        "in_network_analytics": person.analytics_consent,
        "in_shared_directory": person.listed,
        "introduced_by": person.introduced_by,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }
    skills = [
        {
            "skill": ps.skill.name,
            "level": ps.level,
            "endorsed_by": _name(ps.endorsed_by) or "you",
            "since": ps.created_at,
        }
        for ps in PersonSkill.objects.filter(person=person)
        .select_related("skill", "endorsed_by")
        .order_by("skill__name", "id")
    ]
    given = [
        {"person": _name(ps.person), "skill": ps.skill.name, "level": ps.level}
        for ps in PersonSkill.objects.filter(endorsed_by=person)
        .select_related("skill", "person")
        .order_by("person__full_name", "skill__name", "id")
    ]
    login_ids = list(User.objects.filter(person=person).values_list("pk", flat=True))
    relationships = []
    for rel in (
        Relationship.objects.filter(Q(person=person) | Q(other=person))
        .select_related("person", "other")
        .order_by("id")
    ):
        other = rel.counterpart_of(person.pk)
        mine = rel.declared_by_id is not None and rel.declared_by_id in login_ids
        note = rel.private_note if mine else ""
        relationships.append(
            {
                "with_id": other.pk,
                "with": other.full_name,
                "declared_by_you": mine,
                "context": rel.get_context_display(),
                "closeness": rel.closeness,
                "since": rel.since,
                "private_note": (note if own else WITHHELD_NOTE) if note else "",
                "created_at": rel.created_at,
            }
        )
    contacts = [
        {"id": c.person_id, "name": c.person.full_name, "since": c.created_at}
        for c in PrivateContact.objects.filter(owner=person)
        .select_related("person")
        .order_by("person__full_name", "id")
    ]
    return {
        "profile": [profile],
        "emails": [
            {"address": e.address, "primary": e.is_primary}
            for e in PersonEmail.objects.filter(person=person)
        ],
        "source_ids": [
            {"key": i.key, "since": i.created_at}
            for i in PersonIdentity.objects.filter(person=person)
        ],
        "skills": skills,
        "endorsements_given": given,
        "relationships": relationships,
        "private_contacts": contacts,
    }


def _people_erase(person: Person) -> dict[str, int]:
    logins = list(User.objects.filter(person=person).values_list("pk", flat=True))
    involving = Q(person=person) | Q(other=person)
    return {
        "emails": PersonEmail.objects.filter(person=person).delete()[0],
        "source_ids": PersonIdentity.objects.filter(person=person).delete()[0],
        "skills_and_endorsements": PersonSkill.objects.filter(
            Q(person=person) | Q(endorsed_by=person)
        ).delete()[0],
        "relationships": Relationship.objects.filter(involving).delete()[0],
        # Ties they declared between two other people stay (others rely on them),
        # without their private note; the author goes with their login.
        "notes_on_others_relationships": Relationship.objects.filter(declared_by_id__in=logins)
        .exclude(private_note="")
        .update(private_note=""),
        "private_contacts": PrivateContact.objects.filter(
            Q(owner=person) | Q(person=person)
        ).delete()[0],
        "possible_duplicates": MatchReview.objects.filter(
            Q(new_person=person) | Q(candidate=person)
        ).delete()[0],
        # A merge into this person keeps the merged-away person's data (the same human).
        "merge_records": PersonMerge.objects.filter(keep=person).delete()[0],
        "reports_unlinked": Person.objects.filter(manager=person).update(manager=None),
        "teams_unled": Team.objects.filter(lead=person).update(lead=None),
    }


PEOPLE_PART = PersonDataPart(
    name="people",
    title="Your profile, addresses, skills and declared relationships.",
    tables=PEOPLE_TABLES,
    export=_people_export,
    erase=_people_erase,
    relations=frozenset(
        {
            (PersonEmail, "person"),
            (PersonIdentity, "person"),
            (PersonSkill, "person"),
            (PersonSkill, "endorsed_by"),
            (Relationship, "person"),
            (Relationship, "other"),
            (PrivateContact, "owner"),
            (PrivateContact, "person"),
            (MatchReview, "new_person"),
            (MatchReview, "candidate"),
            (PersonMerge, "keep"),
            (Person, "manager"),
            (Team, "lead"),
        }
    ),
    order=80,
)

ACCOUNTS_PART = PersonDataPart(
    name="accounts",
    title="Your login, API tokens, failed sign-ins and the audit log about you (summarised).",
    tables=ACCOUNT_TABLES,
    export=lambda person, own: account_data_export(person.pk),
    erase=lambda person: account_data_erase(person.pk),
    relations=frozenset({(User, "person")}),
    order=90,
)

EVENTS_PART = PersonDataPart(
    name="events",
    title="Your events in the event store: e-mails, meetings, calls and chats you sent or "
    "received (metadata only: when, which channel, who by id; never a subject or a body).",
    tables={
        "events": "One row per event you took part in: when, source and its id, channel, "
        "whether you sent or received it, the sender's and recipients' person ids."
    },
    export=lambda person, own: {"events": _events_table(person.pk)},
    # The store erases last, in person_erase itself.
    erase=lambda person: {},
)


def register_own_parts() -> None:
    """Register the parts this app answers for (``PeopleConfig.ready``)."""
    for part in (PEOPLE_PART, ACCOUNTS_PART, EVENTS_PART):
        rights_part_register(part)
