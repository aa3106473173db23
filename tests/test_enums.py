"""Choices stored by the apps spell the same values as the framework-free core.

The core computes with plain strings (a tie's band, an outcome's kind, a
brokerage role); the models store them with Django's choices. If one side
gained or renamed a value, stored rows would stop meaning what the core
computes, so each pair is compared here, order included where the core
relies on it.
"""

from __future__ import annotations

import pytest

from bridgework.core.impact.attribution import METHODS
from bridgework.core.impact.evaluation import VERDICTS
from bridgework.core.impact.records import INTERACTION_KINDS, OUTCOME_KINDS, UNITS
from bridgework.core.ingest.records import CHANNELS
from bridgework.core.relationships.nudges import NUDGE_KINDS
from bridgework.core.relationships.strength import BANDS, TRENDS
from bridgework.impact.models import CreditMethod, EvaluationResult, OutcomeKind, Unit
from bridgework.interactions.events import _CHANNEL
from bridgework.interactions.models import Channel
from bridgework.network.models import Band, Nudge, Trend

SAME_ORDER = [
    (OutcomeKind, OUTCOME_KINDS),
    (Unit, UNITS),
    (CreditMethod, METHODS),
    (Band, BANDS),
    (Trend, TRENDS),
    (EvaluationResult.Verdict, VERDICTS),
]


@pytest.mark.parametrize(
    ("choices", "core"), SAME_ORDER, ids=lambda x: getattr(x, "__qualname__", "")
)
def test_model_choices_equal_the_core_values_in_order(choices, core):
    assert tuple(choices.values) == core


def test_nudge_kinds_are_the_core_kinds():
    assert set(Nudge.Kind.values) == set(NUDGE_KINDS)


def test_every_logged_channel_maps_to_an_event_channel():
    """A logged interaction's channel becomes an event channel (``event`` is a meeting)."""
    assert set(_CHANNEL) == set(Channel.values)
    assert set(_CHANNEL.values()) <= set(CHANNELS)


def test_impact_interaction_kinds_are_event_channels():
    assert set(INTERACTION_KINDS) <= set(CHANNELS)
