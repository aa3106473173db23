"""The network app's cards on the people pages (see :mod:`bridgework.people.panels`)."""

from __future__ import annotations

from typing import Any

from bridgework.accounts.requests import PageRequest
from bridgework.network import preferences, selectors
from bridgework.people.models import Person
from bridgework.people.panels import Panel

__all__ = ["PANELS"]

#: Nudges on "My network"; the rest are on the portfolio page.
HOME_NUDGES = 5


def _summary(request: PageRequest, person: Person, is_me: bool) -> dict[str, Any]:
    return {"network_summary": selectors.portfolio_summary(viewer=request.user, tiers=False)}


def _nudges(request: PageRequest, person: Person, is_me: bool) -> dict[str, Any]:
    return {
        "nudges": selectors.nudges_for(viewer=request.user, limit=HOME_NUDGES),
        "limit": HOME_NUDGES,
    }


def _my_preferences(request: PageRequest, person: Person, is_me: bool) -> dict[str, Any] | None:
    """On my own profile only: whether I may be suggested as an introducer."""
    if not is_me:
        return None
    return {"network_preference": preferences.network_preference(viewer=request.user)}


PANELS = (
    Panel(
        slot="home.sections",
        order=10,
        template="network/panels/home_summary.html",
        context=_summary,
    ),
    Panel(
        slot="home.sections",
        order=20,
        template="network/panels/home_nudges.html",
        context=_nudges,
    ),
    Panel(
        slot="profile.sections",
        order=70,
        template="network/panels/profile_preferences.html",
        context=_my_preferences,
    ),
)
