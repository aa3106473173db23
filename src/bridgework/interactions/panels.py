"""The interactions app's parts of the people pages (see :mod:`bridgework.people.panels`)."""

from __future__ import annotations

from typing import Any

from bridgework.accounts.requests import PageRequest
from bridgework.interactions import selectors
from bridgework.network.selectors import tie_between
from bridgework.people.models import Person
from bridgework.people.panels import Panel

__all__ = ["PANELS"]

#: Interactions on "My network" and on a profile.
HOME_INTERACTIONS = 10
PROFILE_INTERACTIONS = 20


def _always(request: PageRequest, person: Person, is_me: bool) -> dict[str, Any]:
    return {}


def _gone_quiet(request: PageRequest, person: Person, is_me: bool) -> dict[str, Any]:
    return {"gone_quiet": selectors.people_gone_quiet(viewer=request.user)}


def _recent(request: PageRequest, person: Person, is_me: bool) -> dict[str, Any]:
    interactions = selectors.interaction_list(viewer=request.user, person_id=person.pk)
    return {"recent_interactions": interactions[:HOME_INTERACTIONS]}


def _profile_actions(request: PageRequest, person: Person, is_me: bool) -> dict[str, Any] | None:
    if is_me:
        return None
    me = request.user.person_id
    # "Find a warm introduction" when the viewer has no tie of their own with them.
    return {"offer_introduction": me is not None and tie_between(me, person.pk) is None}


def _profile_interactions(request: PageRequest, person: Person, is_me: bool) -> dict[str, Any]:
    interactions = selectors.interaction_list(viewer=request.user, person_id=person.pk)
    return {"interactions": interactions[:PROFILE_INTERACTIONS]}


PANELS = (
    Panel(
        slot="home.actions",
        order=10,
        template="interactions/panels/home_actions.html",
        context=_always,
    ),
    Panel(
        slot="home.sections",
        order=30,
        template="interactions/panels/home_gone_quiet.html",
        context=_gone_quiet,
    ),
    Panel(
        slot="home.sections",
        order=40,
        template="interactions/panels/home_recent.html",
        context=_recent,
    ),
    Panel(
        slot="profile.actions",
        order=10,
        template="interactions/panels/profile_actions.html",
        context=_profile_actions,
    ),
    Panel(
        slot="profile.sections",
        order=60,
        template="interactions/panels/profile_interactions.html",
        context=_profile_interactions,
    ),
)
