"""The interactions app's part of a person's data rights (see :mod:`bridgework.people.rights`).

* **Export**: the interactions they took part in or logged (with the other
  participants by name, and the private note only where they wrote it), the
  introductions they asked for or were asked to make (the ask and the answer),
  those that named them as the person to meet (who asked, through whom, the
  status: not the asker's message), and the imports they ran (file names,
  counts, status; never a message).
* **Erasure**: their participations go; an interaction left with fewer than two
  people is deleted (its event goes from the store), the others' events are
  rewritten without them once the erasure commits. The private notes they
  wrote on interactions go. Introductions naming them (as asker, go-between or
  person to meet) are deleted; on someone else's introduction path their id
  is blanked. The imports they ran stay (other people's events came from
  them) without their file names, uploaded files, owner address or issue list.

Registered as a :class:`~bridgework.people.rights.PersonDataPart` by the app's
``ready()``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from bridgework.accounts.models import User
from bridgework.interactions.events import interaction_event_refresh_soon
from bridgework.interactions.models import (
    ImportRun,
    Interaction,
    InteractionParticipant,
    IntroductionRequest,
)
from bridgework.interactions.services.import_files import discard_uploads
from bridgework.people.models import Person
from bridgework.people.rights import WITHHELD_NOTE, PersonDataPart, Tables

__all__ = ["INTERACTIONS_RIGHTS"]

#: Import options that name the person who ran an import.
_OWNER_OPTIONS = ("owner_email", "owner_person_id")


def _logins(person: Person) -> list[int]:
    return list(User.objects.filter(person=person).values_list("pk", flat=True))


def _interactions(person: Person, own: bool) -> list[dict[str, Any]]:
    logins = _logins(person)
    rows = []
    for interaction in (
        Interaction.objects.filter(Q(participations__person=person) | Q(logged_by_id__in=logins))
        .distinct()
        .prefetch_related("participants")
        .order_by("occurred_at", "id")
    ):
        mine = interaction.logged_by_id is not None and interaction.logged_by_id in logins
        note = interaction.private_note if mine else ""
        rows.append(
            {
                "id": interaction.pk,
                "occurred_at": interaction.occurred_at,
                "channel": interaction.get_channel_display(),
                "duration_minutes": interaction.duration_minutes,
                "with": sorted(
                    p.full_name for p in interaction.participants.all() if p.pk != person.pk
                ),
                "you_took_part": any(p.pk == person.pk for p in interaction.participants.all()),
                "logged_by_you": mine,
                "private_note": (note if own else WITHHELD_NOTE) if note else "",
                "source": interaction.source,
            }
        )
    return rows


def _introductions(person: Person) -> list[dict[str, Any]]:
    rows = []
    for request in (
        IntroductionRequest.objects.filter(Q(requester=person) | Q(via=person) | Q(target=person))
        .select_related("requester", "via", "target", "target_organization")
        .order_by("created_at", "id")
    ):
        role = (
            "you asked"
            if request.requester_id == person.pk
            else "you were asked to introduce"
            if request.via_id == person.pk
            else "someone asked to meet you"
        )
        asked_or_answered = request.requester_id == person.pk or request.via_id == person.pk
        rows.append(
            {
                "id": request.pk,
                "your_part": role,
                "asked_by": request.requester.full_name,
                "through": request.via.full_name,
                "to_meet": request.target.full_name,
                "organization": str(request.target_organization or ""),
                "status": request.get_status_display(),
                "message": request.message if asked_or_answered else "",
                "answer": request.response_note if asked_or_answered else "",
                "outcome": request.outcome if asked_or_answered else "",
                "asked_at": request.created_at,
                "answered_at": request.responded_at,
            }
        )
    return rows


def _imports(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "id": run.pk,
            "format": run.format,
            "files": run.file_names,
            "from": run.get_origin_display(),
            "status": run.get_status_display(),
            "records_read": run.records,
            "events_written": run.events,
            "started_at": run.started_at or run.created_at,
            "finished_at": run.finished_at,
        }
        for run in ImportRun.objects.filter(started_by__person=person).order_by("created_at", "id")
    ]


def _export(person: Person, own: bool) -> Tables:
    return {
        "interactions": _interactions(person, own),
        "introductions": _introductions(person),
        "imports": _imports(person),
    }


def _erase(person: Person) -> dict[str, int]:
    logins = _logins(person)
    theirs = list(
        InteractionParticipant.objects.filter(person=person).values_list(
            "interaction_id", flat=True
        )
    )
    participations = InteractionParticipant.objects.filter(person=person).delete()[0]
    left = Interaction.objects.filter(pk__in=theirs).annotate(people=Count("participations"))
    emptied = [i.pk for i in left if i.people < 2]
    kept = sorted(set(theirs) - set(emptied))
    deleted = Interaction.objects.filter(pk__in=emptied).delete()[0] if emptied else 0
    notes = (
        Interaction.objects.filter(logged_by_id__in=logins)
        .exclude(private_note="")
        .update(private_note="")
    )
    # After the commit, so after the event store lost them: each event kept is
    # rewritten from the interaction as it is now (a new sender if they sent it).
    for interaction_id in kept:
        transaction.on_commit(partial(interaction_event_refresh_soon, interaction_id))
    on_paths = 0
    for request in IntroductionRequest.objects.exclude(
        Q(requester=person) | Q(via=person) | Q(target=person)
    ).only("path"):
        if person.pk in (request.path or []):
            request.path = [None if p == person.pk else p for p in request.path]
            request.save(update_fields=["path"])
            on_paths += 1
    introductions = IntroductionRequest.objects.filter(
        Q(requester=person) | Q(via=person) | Q(target=person)
    ).delete()[0]
    imports = 0
    for run in ImportRun.objects.filter(started_by_id__in=logins):
        run.file_names, run.stored_paths = [], []
        run.options = {k: v for k, v in run.options.items() if k not in _OWNER_OPTIONS}
        run.report = {**run.report, "files": [], "issues": []} if run.report else {}
        run.error = ""
        run.save(update_fields=["file_names", "stored_paths", "options", "report", "error"])
        transaction.on_commit(partial(discard_uploads, run.pk))
        imports += 1
    return {
        "participations": participations,
        "interactions_left_with_one_person": deleted,
        "private_notes": notes,
        "introductions": introductions,
        "introduction_paths_blanked": on_paths,
        "imports_anonymised": imports,
    }


#: Exports a person's interactions, introductions and imports; erases them.
INTERACTIONS_RIGHTS = PersonDataPart(
    name="interactions",
    title="Interactions you took part in or logged, introductions, and imports you ran.",
    tables={
        "interactions": "Meetings, calls, e-mails and other interactions logged in Bridgework "
        "that you took part in or logged: when, channel, with whom, and your private note "
        "where you wrote it (someone else's private note is never included).",
        "introductions": "Warm introductions you asked for, were asked to make, or that named "
        "you as the person to meet (then without the asker's message).",
        "imports": "Imports of mailboxes, calendars and contacts you ran: files, counts, status.",
    },
    export=_export,
    erase=_erase,
    relations=frozenset(
        {
            (InteractionParticipant, "person"),
            (IntroductionRequest, "requester"),
            (IntroductionRequest, "via"),
            (IntroductionRequest, "target"),
        }
    ),
    order=40,
)
