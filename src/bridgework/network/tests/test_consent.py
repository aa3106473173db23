"""A change of analytics consent recomputes the person's stored ties.

Withdrawing deletes them, giving consent back computes them again from the
event store (two meetings with Ben below: the tie counts 2 events), whoever
changes it (the person on the API, a people analyst), and a person switching
consent back and forth queues one recomputation, not one per click.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.accounts.services import api_token_create
from bridgework.eventstore import get_event_store
from bridgework.network import services
from bridgework.network.models import Tie, TieRecompute

pytestmark = pytest.mark.django_db


def patch(client, user, person, consent: bool):
    _, raw = api_token_create(user=user, name="tests")
    return client.patch(
        f"/api/people/{person.pk}",
        {"analytics_consent": consent},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


def meeting(external_id: str, days_ago: int, *people) -> dict:
    return {
        "source": "test",
        "external_id": external_id,
        "occurred_at": timezone.now() - dt.timedelta(days=days_ago),
        "channel": "meeting",
        "sender_id": people[0].pk,
        "recipient_ids": sorted(p.pk for p in people[1:]),
        "direction": "two_way",
        "duration_minutes": 30,
        "reply_to": None,
    }


@pytest.fixture
def ada(db, settings, tmp_path):
    """Ada (with a login) met Ben twice; their tie is stored."""
    settings.EVENT_STORE_PATH = tmp_path / "events.duckdb"
    ada = factories.UserFactory(username="ada-consent", roles=[Role.MEMBER])
    ben = factories.PersonFactory(full_name="Ben")
    get_event_store().write_events(
        [meeting("m1", 3, ada.person, ben), meeting("m2", 10, ben, ada.person)]
    )
    services.ties_recompute(full=True)
    assert ties_of(ada.person).count() == 1
    return ada


def ties_of(person):
    return Tie.objects.filter(Q(person_a=person) | Q(person_b=person))


def test_withdrawing_deletes_the_ties_and_giving_consent_back_computes_them_again(
    client, ada, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert patch(client, ada, ada.person, False).status_code == 200
    withdrawn = TieRecompute.objects.get(reason="consent withdrawn")
    assert (withdrawn.people, withdrawn.status) == ([ada.person_id], "succeeded")
    assert not ties_of(ada.person).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert patch(client, ada, ada.person, True).status_code == 200
    given = TieRecompute.objects.get(reason="consent given")
    assert (given.people, given.status) == ([ada.person_id], "succeeded")
    [tie] = ties_of(ada.person)
    assert tie.events == 2


def test_a_people_analyst_changing_someones_consent_recomputes_their_ties(
    client, ada, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert patch(client, analyst, ada.person, False).status_code == 200
    assert TieRecompute.objects.get(reason="consent withdrawn").people == [ada.person_id]
    assert not ties_of(ada.person).exists()


def test_saving_a_profile_without_changing_consent_recomputes_nothing(
    client, ada, django_capture_on_commit_callbacks
):
    before = TieRecompute.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert patch(client, ada, ada.person, True).status_code == 200
    assert TieRecompute.objects.count() == before


def test_switching_back_and_forth_queues_one_recompute_while_it_waits(
    client, ada, monkeypatch, django_capture_on_commit_callbacks
):
    # No worker: the first recomputation stays queued while the person keeps clicking.
    monkeypatch.setattr(services, "_enqueue", lambda recompute_id: None)
    before = TieRecompute.objects.count()
    for consent in (False, True, False, True, False):
        with django_capture_on_commit_callbacks(execute=True):
            assert patch(client, ada, ada.person, consent).status_code == 200
    waiting = TieRecompute.objects.order_by("-id")[: TieRecompute.objects.count() - before]
    assert [(r.status, r.people) for r in waiting] == [("queued", [ada.person_id])]
