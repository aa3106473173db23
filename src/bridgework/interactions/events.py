"""Logged interactions in the event store (see :mod:`bridgework.core.events`).

Interactions people log by hand are written to the same store as imported
e-mail, meetings and chat, so every later computation reads one stream. Each
logged interaction is one event of source ``"app"`` with external id
``"interaction:<id>"``:

================  ==========================================================
event column      from the interaction
================  ==========================================================
occurred_at       ``occurred_at``
channel           its channel; ``event`` (a conference, a networking evening)
                  becomes ``meeting``: the people met in person
sender_id         whoever logged it, when they took part; otherwise the
                  participant with the lowest person id (deterministic, so a
                  full rewrite gives the same rows)
recipient_ids     the other participants, by id
direction         ``one_way`` for e-mail and chat (a message from someone);
                  ``two_way`` for everything else (meeting, call, event,
                  introduction, other): everyone took part
duration_minutes  ``duration_minutes``
================  ==========================================================
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping

from bridgework import jobs
from bridgework.core.events.store import EventStore, StoreBusyError
from bridgework.eventstore import PAGE_LOCK_TIMEOUT, get_event_store
from bridgework.interactions.models import Interaction, InteractionParticipant

__all__ = [
    "APP_SOURCE",
    "interaction_external_id",
    "interaction_event_rows",
    "interaction_event_refresh",
    "app_events_rewrite",
]

logger = logging.getLogger(__name__)

#: The event-store source of interactions logged in Bridgework.
APP_SOURCE = "app"

_CHANNEL = {
    "meeting": "meeting",
    "call": "call",
    "email": "email",
    "chat": "chat",
    "event": "meeting",
    "introduction": "introduction",
    "other": "other",
}
_ONE_WAY = frozenset({"email", "chat"})


def interaction_external_id(interaction_id: int) -> str:
    return f"interaction:{interaction_id}"


def _event_row(
    *,
    interaction_id: int,
    channel: str,
    occurred_at,
    duration_minutes: int | None,
    logger_person_id: int | None,
    participant_ids: Iterable[int],
) -> dict | None:
    people = sorted(set(participant_ids))
    if len(people) < 2:
        return None
    sender = logger_person_id if logger_person_id in people else people[0]
    return {
        "source": APP_SOURCE,
        "external_id": interaction_external_id(interaction_id),
        "occurred_at": occurred_at,
        "channel": _CHANNEL.get(channel, "other"),
        "sender_id": sender,
        "recipient_ids": [p for p in people if p != sender],
        "direction": "one_way" if channel in _ONE_WAY else "two_way",
        "duration_minutes": duration_minutes,
        "reply_to": None,
        "thread_id": None,
        "import_id": None,
    }


def interaction_event_rows(interaction_ids: Iterable[int] | None = None) -> list[dict]:
    """Event rows for these interactions (all of them when ``None``), with two
    queries however many there are; interactions with fewer than two people
    give no row."""
    interactions = Interaction.objects.order_by("id")
    participations = InteractionParticipant.objects.order_by()
    if interaction_ids is not None:
        ids = list(interaction_ids)
        interactions = interactions.filter(id__in=ids)
        participations = participations.filter(interaction_id__in=ids)
    people: Mapping[int, list[int]] = defaultdict(list)
    for interaction_id, person_id in participations.values_list("interaction_id", "person_id"):
        people[interaction_id].append(person_id)
    rows = []
    for interaction_id, channel, occurred_at, duration, logger_person in interactions.values_list(
        "id", "channel", "occurred_at", "duration_minutes", "logged_by__person_id"
    ):
        row = _event_row(
            interaction_id=interaction_id,
            channel=channel,
            occurred_at=occurred_at,
            duration_minutes=duration,
            logger_person_id=logger_person,
            participant_ids=people.get(interaction_id, ()),
        )
        if row is not None:
            rows.append(row)
    return rows


def interaction_event_refresh(interaction_id: int, *, store: EventStore | None = None) -> str:
    """Make the store's event for one interaction match the database.

    Writes (or overwrites) the event when the interaction exists with at least
    two people, deletes it otherwise. Idempotent: safe to call twice, late or
    out of order. Returns ``"written"`` or ``"deleted"``.
    """
    store = store or get_event_store()
    rows = interaction_event_rows([interaction_id])
    if rows:
        store.replace_events(source=APP_SOURCE, rows=rows)
        return "written"
    store.delete_events(source=APP_SOURCE, external_ids=[interaction_external_id(interaction_id)])
    return "deleted"


def interaction_event_refresh_soon(interaction_id: int) -> None:
    """What a committed write runs: refresh the event now if the store is free
    within a moment, else queue job ``interactions.event_refresh`` for the task
    worker (which retries).

    Never raises: the interaction is saved already, and ``bridgework events
    sync`` repairs the store if even the worker could not reach it.
    """
    try:
        interaction_event_refresh(
            interaction_id, store=get_event_store(lock_timeout=PAGE_LOCK_TIMEOUT)
        )
        return
    except StoreBusyError:
        pass
    except Exception:
        logger.exception("Could not write interaction %s to the event store", interaction_id)
        return
    try:
        jobs.enqueue("interactions.event_refresh", interaction_id)
    except Exception:
        logger.exception("Could not queue the event-store write of interaction %s", interaction_id)


def app_events_rewrite(*, store: EventStore | None = None) -> int:
    """Rewrite every logged interaction into the store; returns the events written.

    Events of interactions that no longer exist are deleted first, then all
    current ones are written (overwriting by external id), so running it twice
    gives the same store.
    """
    store = store or get_event_store()
    rows = interaction_event_rows()
    wanted = {row["external_id"] for row in rows}
    stored = store.events(source=APP_SOURCE).column("external_id").to_pylist()
    stale = [external_id for external_id in stored if external_id not in wanted]
    if stale:
        store.delete_events(source=APP_SOURCE, external_ids=stale)
    if rows:
        store.replace_events(source=APP_SOURCE, rows=rows)
    return len(rows)
