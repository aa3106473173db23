"""Helpers for the network app's tests: hand-built ties and people in teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from bridgework.network import services
from bridgework.network.models import Tie
from bridgework.network.selectors import tie_graph_cache_clear


def make_tie(
    a,
    b,
    strength: float,
    *,
    band: str = "regular",
    trend: str = "steady",
    days_ago: int | None = 10,
    events: int = 5,
    explanation: str = "",
) -> Tie:
    """A stored tie between two people (given in any order)."""
    low, high = sorted((a.pk, b.pk))
    last = timezone.now() - dt.timedelta(days=days_ago) if days_ago is not None else None
    return Tie.objects.create(
        person_a_id=low,
        person_b_id=high,
        strength=strength,
        band=band,
        trend=trend,
        explanation=explanation or f"{strength:.2f}: {events} events",
        first_contact=last - dt.timedelta(days=100) if last else None,
        last_contact=last,
        events=events,
        computed_at=timezone.now(),
    )


@pytest.fixture(autouse=True)
def _fresh_tie_graph():
    tie_graph_cache_clear()
    yield
    tie_graph_cache_clear()


@dataclass(frozen=True)
class Suggestion:
    other_id: int
    kind: str
    reason: str
    priority: float
    due_since: dt.date | None = None


@pytest.fixture
def suggestions(monkeypatch):
    """Replace the core's suggestions with a list the test controls, and record
    what the service passed to it."""
    wanted: dict[int, list[Suggestion]] = {}
    calls: list[dict] = []

    def suggest_nudges(**kwargs):
        calls.append(kwargs)
        return list(wanted.get(kwargs["owner_id"], []))

    monkeypatch.setattr(services, "suggest_nudges", suggest_nudges)
    monkeypatch.setattr(services, "_score_from", lambda tie: tie)
    wanted["calls"] = calls
    return wanted
