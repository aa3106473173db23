"""The demo's two introduction requests (``interactions.demo.demo_introductions``)."""

from __future__ import annotations

import datetime as dt

import pytest

from bridgework import factories
from bridgework.eventstore import get_event_store
from bridgework.interactions.demo import demo_introductions
from bridgework.interactions.models import Channel, IntroductionRequest

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def demo_member(db):
    """The demo member with a small circle: Ann and Ben know the member; Cal
    knows Ann (not the member); Ben does not know Ann."""
    user = factories.UserFactory(username="member")
    me = user.person
    ann, ben, cal = (factories.PersonFactory(full_name=n) for n in ("Ann A", "Ben B", "Cal C"))
    for people in ([me, ann], [me, ann], [me, ann], [me, ben], [ann, cal], [ann, cal]):
        factories.InteractionFactory(people=people)
    return {"me": me, "ann": ann, "ben": ben, "cal": cal}


def test_one_request_to_answer_and_one_with_an_outcome(
    demo_member, django_capture_on_commit_callbacks
):
    me, ann, ben, cal = (demo_member[k] for k in ("me", "ann", "ben", "cal"))
    with django_capture_on_commit_callbacks(execute=True):
        assert demo_introductions(TODAY) == 2

    done = IntroductionRequest.objects.get(requester=me)
    # The member's closest contact (Ann, three meetings) introduces them to Cal,
    # whom only Ann knows.
    assert (done.via, done.target, done.path) == (ann, cal, [me.pk, ann.pk, cal.pk])
    assert done.status == IntroductionRequest.Status.COMPLETED and done.outcome
    assert done.created_at.date() == TODAY - dt.timedelta(days=21)
    assert done.interaction.channel == Channel.INTRODUCTION
    assert set(done.interaction.participants.all()) == {me, ann, cal}
    events = get_event_store().events(source="app").to_pylist()
    assert [e["external_id"] for e in events] == [f"interaction:{done.interaction_id}"]

    pending = IntroductionRequest.objects.get(via=me)
    # Ben asks the member to meet Ann, whom Ben does not know.
    assert (pending.requester, pending.target) == (ben, ann)
    assert pending.status == IntroductionRequest.Status.PENDING
    assert pending.path == [ben.pk, me.pk, ann.pk]

    # Running it again changes nothing.
    assert demo_introductions(TODAY) == 0
    assert IntroductionRequest.objects.count() == 2


def test_nothing_without_the_demo_member(db):
    assert demo_introductions(TODAY) == 0
