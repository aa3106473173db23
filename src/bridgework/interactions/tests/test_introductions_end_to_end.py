"""A warm introduction end to end, on ties the network app computes from the
event store: logged interactions → events → ``ties_recompute`` → paths →
request → accepted → an introduction event → a direct tie."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bridgework import factories
from bridgework.eventstore import get_event_store
from bridgework.interactions import selectors, services
from bridgework.interactions.models import IntroductionRequest
from bridgework.network import services as network_services
from bridgework.network.models import TieRecompute
from bridgework.network.selectors import tie_between, tie_graph_cache_clear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_tie_graph():
    tie_graph_cache_clear()
    yield
    tie_graph_cache_clear()


def met(actor, *people, days_ago: int, channel: str = "meeting") -> None:
    services.interaction_log(
        actor=actor,
        channel=channel,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        participants=list(people),
        duration_minutes=30,
    )


def recompute() -> None:
    run = network_services.ties_recompute(full=True)
    assert run.status == TieRecompute.Status.SUCCEEDED, run.error


def test_from_logged_interactions_to_an_accepted_introduction(
    member, other_member, analyst, django_capture_on_commit_callbacks
):
    me, ann = member.person, other_member.person
    cal = factories.PersonFactory(full_name="Cal Connector")
    tom = factories.PersonFactory(full_name="Tom Target", title="CTO")
    with django_capture_on_commit_callbacks(execute=True):
        for days in (3, 10, 20):
            met(member, ann, days_ago=days)
        for days in (5, 12):
            met(analyst, ann, cal, days_ago=days)
        met(analyst, cal, tom, days_ago=8, channel="call")
    recompute()

    paths = selectors.introduction_paths(viewer=member, target_person_id=tom.pk)
    assert [path["person_ids"] for path in paths] == [[me.pk, ann.pk, cal.pk, tom.pk]]
    mine = paths[0]["steps"][0]
    assert mine["explanation"] == tie_between(me.pk, ann.pk).explanation
    assert mine["explanation"]  # the network app explains every tie
    for step in paths[0]["steps"][1:]:
        assert step["explanation"] is None and step["strength"] is None

    request = services.introduction_request(
        actor=member, target=tom, path_person_ids=paths[0]["person_ids"], message="Intro?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_respond(actor=other_member, request=request, accept=True)
    request.refresh_from_db()
    assert request.status == IntroductionRequest.Status.ACCEPTED
    events = get_event_store().events(source="app").to_pylist()
    (introduction,) = [e for e in events if e["channel"] == "introduction"]
    assert introduction["external_id"] == f"interaction:{request.interaction_id}"

    # The introduction itself is contact between the three: Tom is now a direct tie.
    recompute()
    assert tie_between(me.pk, tom.pk) is not None
    (direct, *_) = selectors.introduction_paths(viewer=member, target_person_id=tom.pk)
    assert direct["direct"] is True and direct["person_ids"] == [me.pk, tom.pk]
