"""The app's handle on the event store (see :mod:`bridgework.core.events`)."""

from __future__ import annotations

from django.conf import settings

from bridgework.core.events.store import EventStore


def get_event_store() -> EventStore:
    """The event store configured by ``EVENT_STORE_PATH``."""
    return EventStore(settings.EVENT_STORE_PATH)
