"""The mentee's network change over the program, from the event store, and who may see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bridgework.accounts.models import AuditEntry
from bridgework.interactions.events import get_event_store
from bridgework.mentoring import selectors, services
from bridgework.mentoring.models import MentoringRelationship, NetworkSnapshot

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


@pytest.fixture
def history(org, pair):
    """Mia meets Petra (her own team) all along; since the program started she also
    meets Gil (Green), whom her mentor knows."""
    get_event_store().write_events(
        _meetings(org.mia.person, org.petra.person, first_day_ago=120, count=38)
        + _meetings(org.mia.person, org.gil, first_day_ago=30, count=9)
    )
    MentoringRelationship.objects.filter(pk=pair.pk).update(
        started_on=timezone.now().date() - dt.timedelta(days=60)
    )
    pair.refresh_from_db()
    return pair


def test_the_mentee_sees_their_network_grow(org, history):
    change = selectors.network_change(viewer=org.mia, relationship=history)
    rows = {row.key: row for row in change.rows}
    assert (rows["ties"].before, rows["ties"].after, rows["ties"].change) == (1, 2, 1)
    assert (rows["ties_outside_team"].before, rows["ties_outside_team"].after) == (0, 1)
    assert rows["teams_reached"].after == 1 and rows["brokerage"].after == 2
    assert change.start == timezone.now().date() - dt.timedelta(days=60)
    # Stored once per person and day, and read back without recomputing.
    assert NetworkSnapshot.objects.filter(person=org.mia.person).count() == 2
    again = selectors.network_change(viewer=org.mia, relationship=history)
    assert [r.after for r in again.rows] == [r.after for r in change.rows]


def test_the_mentor_sees_it_only_when_shared_and_the_look_is_audited(org, history):
    assert selectors.network_change(viewer=org.max, relationship=history) is None
    history.viewer_side = "manager"
    assert selectors.network_change(viewer=org.pat, relationship=history) is None
    services.agreement_set_network_sharing(actor=org.mia, relationship=history, share=True)
    history.agreement.refresh_from_db()
    change = selectors.network_change(viewer=org.max, relationship=history)
    assert change is not None and change.available
    assert AuditEntry.objects.filter(
        actor=org.max, object_type="network_metrics", subject_person_id=org.mia.person_id
    ).exists()


def test_no_consent_no_numbers(org, history):
    org.mia.person.analytics_consent = False
    org.mia.person.save()
    change = selectors.network_change(viewer=org.mia, relationship=history)
    assert change is not None and not change.available
