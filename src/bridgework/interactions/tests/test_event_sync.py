"""Logged interactions reach the event store when (and only when) their write commits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from bridgework import factories
from bridgework.core.events.store import StoreBusyError
from bridgework.demo import demo_load
from bridgework.eventstore import get_event_store
from bridgework.interactions import events as app_events
from bridgework.interactions import services
from bridgework.interactions.models import Interaction

pytestmark = pytest.mark.django_db

WHEN = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)


def app_events_by_id() -> dict[str, dict]:
    return {row["external_id"]: row for row in get_event_store().events(source="app").to_pylist()}


@pytest.fixture
def colleague(db):
    return factories.PersonFactory(full_name="Cleo Colleague")


def test_a_logged_interaction_becomes_an_event_on_commit(
    member, other_member, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interaction = services.interaction_log(
            actor=member,
            channel="meeting",
            occurred_at=WHEN,
            participants=[colleague, other_member.person],
            duration_minutes=45,
            private_note="SECRET-NOTE",
        )
    event = app_events_by_id()[f"interaction:{interaction.pk}"]
    assert event["occurred_at"] == WHEN
    assert event["channel"] == "meeting" and event["direction"] == "two_way"
    # The member logged it and took part: they are the sender.
    assert event["sender_id"] == member.person_id
    assert event["recipient_ids"] == sorted([colleague.pk, other_member.person_id])
    assert event["is_group"] is True
    assert event["duration_minutes"] == 45
    assert event["import_id"] is None
    assert "SECRET" not in str(event)


def test_update_replaces_the_event_and_delete_removes_it(
    member, other_member, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interaction = services.interaction_log(
            actor=member, channel="meeting", occurred_at=WHEN, participants=[other_member.person]
        )
    key = f"interaction:{interaction.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        services.interaction_update(
            actor=member,
            interaction=interaction,
            channel="email",
            duration_minutes=None,
            participants=[colleague],
        )
    events = app_events_by_id()
    assert len(events) == 1
    assert events[key]["channel"] == "email" and events[key]["direction"] == "one_way"
    assert events[key]["recipient_ids"] == [colleague.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.interaction_delete(actor=member, interaction=interaction)
    assert app_events_by_id() == {}


def test_a_rolled_back_write_never_reaches_the_store(
    member, other_member, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.interaction_log(
            actor=member,
            channel="call",
            occurred_at=WHEN,
            participants=[other_member.person],
        )
        raise RuntimeError("the request failed after the service")
    assert callbacks == []
    assert Interaction.objects.count() == 0
    assert get_event_store().count() == 0


@pytest.mark.parametrize(
    "channel, stored, direction",
    [
        ("meeting", "meeting", "two_way"),
        ("call", "call", "two_way"),
        ("event", "meeting", "two_way"),
        ("introduction", "introduction", "two_way"),
        ("other", "other", "two_way"),
        ("email", "email", "one_way"),
        ("chat", "chat", "one_way"),
    ],
)
def test_channels_and_directions(channel, stored, direction):
    a, b = factories.PersonFactory(), factories.PersonFactory()
    interaction = factories.InteractionFactory(channel=channel, people=[a, b])
    [row] = app_events.interaction_event_rows([interaction.pk])
    assert (row["channel"], row["direction"]) == (stored, direction)


def test_without_the_logger_among_them_the_lowest_person_id_sends(analyst):
    a, b, c = (factories.PersonFactory() for _ in range(3))
    interaction = factories.InteractionFactory(people=[c, b, a], logged_by=analyst)
    [row] = app_events.interaction_event_rows([interaction.pk])
    assert row["sender_id"] == a.pk and row["recipient_ids"] == [b.pk, c.pk]


def test_a_busy_store_hands_the_write_to_the_worker(
    member, other_member, monkeypatch, django_capture_on_commit_callbacks
):
    real_refresh = app_events.interaction_event_refresh
    calls = []

    def refresh(interaction_id, *, store=None):
        calls.append(store.lock_timeout if store is not None else None)
        if store is not None:
            raise StoreBusyError("busy")
        return real_refresh(interaction_id)

    monkeypatch.setattr(app_events, "interaction_event_refresh", refresh)
    with django_capture_on_commit_callbacks(execute=True):
        interaction = services.interaction_log(
            actor=member, channel="chat", occurred_at=WHEN, participants=[other_member.person]
        )
    # The page waited briefly, then the (immediate, in tests) task wrote it.
    assert calls[0] == pytest.approx(2.0)
    assert f"interaction:{interaction.pk}" in app_events_by_id()


def test_a_broken_store_does_not_break_logging(
    member, other_member, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(interaction_id, *, store=None):
        raise OSError("disk full")

    monkeypatch.setattr(app_events, "interaction_event_refresh", broken)
    with django_capture_on_commit_callbacks(execute=True):
        interaction = services.interaction_log(
            actor=member, channel="chat", occurred_at=WHEN, participants=[other_member.person]
        )
    assert Interaction.objects.filter(pk=interaction.pk).exists()


def test_sync_from_app_rewrites_everything_idempotently(member, other_member, colleague):
    kept = factories.InteractionFactory(
        people=[member.person, other_member.person], logged_by=member
    )
    gone = factories.InteractionFactory(people=[member.person, colleague], logged_by=member)
    lonely = factories.InteractionFactory(people=[colleague])  # one person: no event
    assert services.events_sync_from_app() == 2
    gone_id = gone.pk
    gone.delete()
    assert services.events_sync_from_app() == 1
    assert services.events_sync_from_app() == 1
    events = app_events_by_id()
    assert set(events) == {f"interaction:{kept.pk}"}
    assert f"interaction:{gone_id}" not in events and f"interaction:{lonely.pk}" not in events


def test_sync_leaves_imported_events_alone(member, other_member):
    store = get_event_store()
    store.write_events(
        [
            {
                "source": "mbox",
                "external_id": "<m1@x>",
                "occurred_at": WHEN,
                "channel": "email",
                "sender_id": member.person_id,
                "recipient_ids": [other_member.person_id],
                "direction": "one_way",
            }
        ]
    )
    factories.InteractionFactory(people=[member.person, other_member.person])
    services.events_sync_from_app()
    assert store.count(source="mbox") == 1 and store.count(source="app") == 1


def test_the_demo_writes_its_interactions_as_app_events():
    summary = demo_load(seed=7, today=dt.date(2025, 6, 2))
    store = get_event_store()
    assert store.count(source="app") == summary.interactions
    # A reset replaces them: still one event per interaction, none left over.
    summary = demo_load(seed=7, today=dt.date(2025, 6, 2), reset=True)
    # The demo's accepted introduction reaches the store on commit (not run here).
    assert (
        store.count(source="app")
        == summary.interactions
        == Interaction.objects.exclude(channel="introduction").count()
    )
    first = Interaction.objects.order_by("id").first()
    assert f"interaction:{first.pk}" in set(
        store.events(source="app").column("external_id").to_pylist()
    )
