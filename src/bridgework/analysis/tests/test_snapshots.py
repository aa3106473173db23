"""Network measures as of a past day, from a known event sequence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bridgework import factories
from bridgework.analysis.snapshots import network_measures_at
from bridgework.eventstore import get_event_store

pytestmark = pytest.mark.django_db


def _meetings(a, b, *, first_day_ago: int, count: int):
    now = timezone.now()
    return [
        {
            "source": "test",
            "external_id": f"{a.pk}-{b.pk}-{i}",
            "occurred_at": now - dt.timedelta(days=first_day_ago - 3 * i),
            "channel": "meeting",
            "sender_id": a.pk,
            "recipient_ids": [b.pk],
            "direction": "two_way",
            "duration_minutes": 30,
        }
        for i in range(count)
    ]


def test_a_tie_made_last_month_is_not_there_two_months_ago():
    teams = [factories.TeamFactory(name=n) for n in ("Red", "Blue")]
    mentee, peer, outsider = (
        factories.PersonFactory(team=teams[0]),
        factories.PersonFactory(team=teams[0]),
        factories.PersonFactory(team=teams[1]),
    )
    # Mentee and peer meet every 3 days for 4 months; mentee meets the
    # outsider (another team) only during the last month.
    get_event_store().write_events(
        _meetings(mentee, peer, first_day_ago=120, count=38)
        + _meetings(mentee, outsider, first_day_ago=30, count=9)
    )
    today = timezone.now().date()
    before = network_measures_at(today - dt.timedelta(days=60)).set_index("person")
    after = network_measures_at(today).set_index("person")
    assert before.loc[mentee.pk, "ties"] == 1 and before.loc[mentee.pk, "ties_outside_team"] == 0
    assert after.loc[mentee.pk, "ties"] == 2 and after.loc[mentee.pk, "ties_outside_team"] == 1
    assert after.loc[mentee.pk, "teams_reached"] == 1
    # The mentee now brokers between peer and outsider (two teams).
    assert after.loc[mentee.pk, "brokerage"] == 2
    assert after.loc[peer.pk, "two_step_reach"] == 2


def test_people_without_consent_are_left_out():
    a, b = factories.PersonFactory(), factories.PersonFactory(analytics_consent=False)
    get_event_store().write_events(_meetings(a, b, first_day_ago=20, count=6))
    frame = network_measures_at(timezone.now().date())
    assert b.pk not in set(frame["person"])
    assert frame.set_index("person").loc[a.pk, "ties"] == 0
