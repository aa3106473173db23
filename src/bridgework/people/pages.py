"""What every page needs to know about the person looking at it.

Views of any app built on ``people`` use :func:`viewer_person`; the viewer's
time zone is applied to every request by
:class:`bridgework.config.middleware.ViewerTimeZoneMiddleware`.
"""

from __future__ import annotations

import weakref
import zoneinfo

from django.http import HttpRequest

from bridgework.people import selectors
from bridgework.people.models import Person

__all__ = ["viewer_person", "viewer_time_zone"]

UTC = zoneinfo.ZoneInfo("UTC")

#: :func:`viewer_person` of each request being served (an entry goes with its request).
_viewer_people: weakref.WeakKeyDictionary[HttpRequest, Person | None] = weakref.WeakKeyDictionary()


def viewer_person(request: HttpRequest) -> Person | None:
    """The signed-in user's own person, or None; read once per request."""
    if request not in _viewer_people:
        person = None
        user = request.user
        person_id = getattr(user, "person_id", None)
        if user.is_authenticated and person_id is not None:
            person = selectors.access_person(viewer=user, person_id=person_id)
        _viewer_people[request] = person
    return _viewer_people[request]


def viewer_time_zone(request: HttpRequest) -> zoneinfo.ZoneInfo:
    """The time zone of the viewer's profile; UTC when they have none (or an unknown one).

    Reads the login's person as loaded with the login
    (:class:`~bridgework.accounts.backends.PersonModelBackend`): no query of its own.
    """
    user = request.user
    person = user.person if user.is_authenticated and user.person_id is not None else None
    try:
        return zoneinfo.ZoneInfo(person.time_zone or "UTC") if person else UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC
