"""Slots on the people pages that apps built on people fill with panels.

The home page ("My network") and a person's profile show what several apps
know about a person: their ties and nudges (network), recent interactions
(interactions), their network position (analysis). ``people`` sits below those
apps and must not import them, so the pages declare slots and each app
registers its :class:`Panel` for a slot from its ``AppConfig.ready()``:

======================  ==============================================================
slot                    where
======================  ==============================================================
``home.actions``        buttons in the header of "My network"
``home.sections``       the cards of "My network", by ``order``
``profile.actions``     buttons in a profile's header (after the people app's own)
``profile.sections``    the cards of a profile below the profile and skills, by ``order``
======================  ==============================================================

A panel's ``context(request, person, is_me)`` returns the template context
(merged over ``person``, ``is_me`` and ``user``), or ``None`` to leave the
panel out for this viewer. It reads through the app's own selectors, so the
same permission rules hold as on the app's pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from bridgework.accounts.requests import PageRequest
from bridgework.people.models import Person

__all__ = ["SLOTS", "Panel", "panel_register", "panels_render"]

SLOTS = frozenset({"home.actions", "home.sections", "profile.actions", "profile.sections"})

PanelContext = Callable[[PageRequest, Person, bool], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    """One app's part of a people page."""

    slot: str
    order: int
    template: str
    context: PanelContext
    name: str = ""

    def __post_init__(self) -> None:
        if self.slot not in SLOTS:
            raise ValueError(f"unknown panel slot {self.slot!r}; slots: {', '.join(sorted(SLOTS))}")


_PANELS: dict[str, dict[str, Panel]] = defaultdict(dict)


def panel_register(panel: Panel) -> Panel:
    """Add ``panel`` to its slot (idempotent by slot and template)."""
    _PANELS[panel.slot][panel.name or panel.template] = panel
    return panel


def panels_render(
    slot: str, *, request: PageRequest, person: Person, is_me: bool
) -> list[SafeString]:
    """The slot's panels rendered for this viewer, in order; panels that say
    ``None`` are left out."""
    if slot not in SLOTS:
        raise ValueError(f"unknown panel slot {slot!r}")
    rendered = []
    for panel in sorted(_PANELS[slot].values(), key=lambda p: (p.order, p.template)):
        context = panel.context(request, person, is_me)
        if context is None:
            continue
        base = {"person": person, "is_me": is_me, "user": request.user}
        rendered.append(render_to_string(panel.template, {**base, **context}, request=request))
    return rendered
