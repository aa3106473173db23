"""The app's handle on the event store (:mod:`bridgework.core.events`).

Every app that reads or writes events (imports, logged interactions, tie
recomputation, merges, snapshots) opens the store here, so where it lives and
how it is opened is decided in one place. This package sits below the apps:
any app may import it; it imports no app.
"""

from __future__ import annotations

from django.conf import settings

from bridgework.core.events.store import EventStore, StoreBusyError

__all__ = ["PAGE_LOCK_TIMEOUT", "EventStore", "StoreBusyError", "get_event_store"]

#: How long a page waits for the store before giving up or handing its write
#: to the worker: a page should not wait long for a running import.
PAGE_LOCK_TIMEOUT = 2.0


def get_event_store(*, lock_timeout: float | None = None) -> EventStore:
    """The event store configured by ``EVENT_STORE_PATH``.

    ``lock_timeout`` (seconds) bounds the wait for a writer holding the store;
    pages pass :data:`PAGE_LOCK_TIMEOUT`, background work the default.
    """
    if lock_timeout is None:
        return EventStore(settings.EVENT_STORE_PATH)
    return EventStore(settings.EVENT_STORE_PATH, lock_timeout=lock_timeout)
