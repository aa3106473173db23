"""The mentee's network change over the program, from the event store, and who may see it.

The numbers are stored by the nightly ``network_snapshots_refresh``; the pages only
read them, and say so while they are still to come."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bridgework.accounts.models import AuditEntry
from bridgework.eventstore import get_event_store
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
    # Before the nightly update: no numbers yet, and the page says when they come.
    pending = selectors.network_change(viewer=org.mia, relationship=history)
    assert not pending.available and pending.missing == selectors.network.PENDING_UPDATE
    assert not NetworkSnapshot.objects.exists()

    result = services.network_snapshots_refresh()
    assert result.ok and result.computed == 2  # Mia at the start (the program's too) and today
    change = selectors.network_change(viewer=org.mia, relationship=history)
    rows = {row.key: row for row in change.rows}
    assert (rows["ties"].before, rows["ties"].after, rows["ties"].change) == (1, 2, 1)
    assert (rows["ties_outside_team"].before, rows["ties_outside_team"].after) == (0, 1)
    assert rows["teams_reached"].after == 1 and rows["brokerage"].after == 2
    assert change.start == timezone.now().date() - dt.timedelta(days=60)
    assert change.end == timezone.now().date() and change.missing == ""
    # Stored once per person and day; a second run the same night keeps them.
    assert NetworkSnapshot.objects.filter(person=org.mia.person).count() == 2
    again = services.network_snapshots_refresh()
    assert (again.computed, again.kept) == (0, 2)
    assert AuditEntry.objects.filter(object_type="network_snapshots").count() == 1


def test_now_is_the_latest_stored_day(org, history):
    """Between midnight and the nightly update, "now" is yesterday's snapshot."""
    today = timezone.now().date()
    services.network_snapshots_refresh(today=today - dt.timedelta(days=1))
    change = selectors.network_change(viewer=org.mia, relationship=history, today=today)
    assert change.available and change.end == today - dt.timedelta(days=1)


def test_reading_the_network_change_writes_nothing(org, history):
    services.network_snapshots_refresh()
    before = NetworkSnapshot.objects.count()
    with CaptureQueriesContext(connection) as queries:
        selectors.network_change(viewer=org.mia, relationship=history)
    assert not [q["sql"] for q in queries if _writes(q["sql"])]
    assert NetworkSnapshot.objects.count() == before


def _writes(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))


def test_a_day_that_fails_is_logged_and_returned_and_the_others_are_stored(
    org, history, monkeypatch, caplog
):
    from bridgework.analysis import snapshots

    real = snapshots.network_measures_at
    start = timezone.now().date() - dt.timedelta(days=60)

    def failing_on_the_start(day, **kwargs):
        if day == start:
            raise RuntimeError("event store unavailable")
        return real(day, **kwargs)

    monkeypatch.setattr(snapshots, "network_measures_at", failing_on_the_start)
    with caplog.at_level("ERROR", logger="bridgework.mentoring.services.snapshots"):
        result = services.network_snapshots_refresh()
    assert not result.ok and result.computed == 1
    assert [(f.day, f.people) for f in result.failures] == [(start, 1)]
    assert "RuntimeError: event store unavailable" in result.failures[0].error
    assert "could not be computed" in caplog.text and "Traceback" in caplog.text
    entry = AuditEntry.objects.get(object_type="network_snapshots")
    assert entry.detail["failures"][0]["day"] == start.isoformat()
    # The page says the change comes with the next update; the next night fills it.
    change = selectors.network_change(viewer=org.mia, relationship=history)
    assert not change.available and change.missing == selectors.network.PENDING_UPDATE
    monkeypatch.setattr(snapshots, "network_measures_at", real)
    assert services.network_snapshots_refresh().computed == 1
    assert selectors.network_change(viewer=org.mia, relationship=history).available


def test_the_mentor_sees_it_only_when_shared_and_the_look_is_audited(org, history):
    assert selectors.network_change(viewer=org.max, relationship=history) is None
    history.viewer_side = "manager"
    assert selectors.network_change(viewer=org.pat, relationship=history) is None
    services.agreement_set_network_sharing(actor=org.mia, relationship=history, share=True)
    history.agreement.refresh_from_db()
    services.network_snapshots_refresh()
    change = selectors.network_change(viewer=org.max, relationship=history)
    assert change is not None and change.available
    assert AuditEntry.objects.filter(
        actor=org.max, object_type="network_metrics", subject_person_id=org.mia.person_id
    ).exists()


def test_no_consent_no_numbers(org, history):
    services.network_snapshots_refresh()
    org.mia.person.analytics_consent = False
    org.mia.person.save()
    history.mentee.refresh_from_db()
    # Stored numbers are not shown once consent is withdrawn, and none are stored again.
    change = selectors.network_change(viewer=org.mia, relationship=history)
    assert change is not None and not change.available
    assert change.missing == selectors.network.NO_ANALYTICS
    NetworkSnapshot.objects.all().delete()
    assert services.network_snapshots_refresh().computed == 0


def test_the_nightly_task_stores_the_snapshots_and_reports_failures(org, history, monkeypatch):
    from bridgework.analysis import snapshots
    from bridgework.mentoring.tasks import network_snapshots_nightly

    assert network_snapshots_nightly.call_local() == {"computed": 2, "kept": 0, "failures": []}

    def broken(day, **kwargs):
        raise OSError("disk full")

    NetworkSnapshot.objects.all().delete()
    monkeypatch.setattr(snapshots, "network_measures_at", broken)
    result = network_snapshots_nightly.call_local()
    assert result["computed"] == 0 and len(result["failures"]) == 2
    assert {f["error"] for f in result["failures"]} == {"OSError: disk full"}
