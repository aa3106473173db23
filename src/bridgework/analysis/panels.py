"""The analysis app's card on a profile: the person's network position."""

from __future__ import annotations

from typing import Any

from bridgework.accounts.requests import PageRequest
from bridgework.analysis import selectors
from bridgework.people.models import Person
from bridgework.people.panels import Panel

__all__ = ["PANELS"]


def _position(request: PageRequest, person: Person, is_me: bool) -> dict[str, Any] | None:
    """The person's own network metrics: for themselves, their mentor while they
    share them, or a permission holder (audited); nobody else sees the card."""
    viewer = request.user
    if not selectors.can_see_person_metrics(viewer=viewer, person_id=person.pk):
        return None
    metric = selectors.person_metrics(viewer=viewer, person_id=person.pk)
    return {"network_position": {"is_me": is_me, **selectors.person_metric_context(metric)}}


PANELS = (
    Panel(
        slot="profile.sections",
        order=10,
        template="analysis/panels/profile_position.html",
        context=_position,
    ),
)
