"""Invariants of logged interactions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bridgework import factories
from bridgework.interactions.models import Channel, Interaction, InteractionParticipant

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2024, 3, 5, 14, 30, tzinfo=dt.UTC)


def errors_of(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.message_dict


def test_a_full_day_is_the_longest_interaction():
    Interaction(channel=Channel.EVENT, occurred_at=WHEN, duration_minutes=24 * 60).full_clean()
    too_long = Interaction(channel=Channel.EVENT, occurred_at=WHEN, duration_minutes=24 * 60 + 1)
    assert set(errors_of(too_long)) == {"__all__"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.create(
            channel=Channel.EVENT, occurred_at=WHEN, duration_minutes=24 * 60 + 1
        )
    assert not Interaction.objects.exists()


def test_duration_may_be_unknown():
    Interaction(channel=Channel.CALL, occurred_at=WHEN, duration_minutes=None).full_clean()


def test_interaction_cannot_be_logged_ahead():
    later = Interaction(channel=Channel.CALL, occurred_at=timezone.now() + dt.timedelta(days=2))
    assert set(errors_of(later)) == {"occurred_at"}
    # Up to a day ahead is tolerated (time zones).
    Interaction(
        channel=Channel.CALL, occurred_at=timezone.now() + dt.timedelta(hours=20)
    ).full_clean()


def test_channel_must_be_known():
    assert set(errors_of(Interaction(channel="pigeon", occurred_at=WHEN))) == {"channel"}


def test_str():
    interaction = Interaction.objects.create(channel=Channel.EMAIL, occurred_at=WHEN)
    assert str(interaction) == "E-mail on 2024-03-05"
    person = factories.PersonFactory(full_name="Nia Obi")
    participation = InteractionParticipant.objects.create(interaction=interaction, person=person)
    assert str(participation) == "Nia Obi in E-mail on 2024-03-05"


def test_a_person_takes_part_once():
    interaction = Interaction.objects.create(channel=Channel.MEETING, occurred_at=WHEN)
    person = factories.PersonFactory()
    InteractionParticipant.objects.create(interaction=interaction, person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        InteractionParticipant.objects.create(interaction=interaction, person=person)
    assert list(interaction.participants.all()) == [person]


def test_newest_first_then_latest_id():
    older = Interaction.objects.create(
        channel=Channel.CALL, occurred_at=WHEN - dt.timedelta(days=1)
    )
    same_a = Interaction.objects.create(channel=Channel.CALL, occurred_at=WHEN)
    same_b = Interaction.objects.create(channel=Channel.CHAT, occurred_at=WHEN)
    assert list(Interaction.objects.all()) == [same_b, same_a, older]


def test_participants_ordered_by_interaction_then_person():
    first = Interaction.objects.create(
        channel=Channel.CALL, occurred_at=WHEN - dt.timedelta(days=1)
    )
    second = Interaction.objects.create(channel=Channel.CALL, occurred_at=WHEN)
    zed = factories.PersonFactory(full_name="Zed")
    amy = factories.PersonFactory(full_name="Amy")
    rows = [
        InteractionParticipant.objects.create(interaction=first, person=zed),
        InteractionParticipant.objects.create(interaction=second, person=zed),
        InteractionParticipant.objects.create(interaction=first, person=amy),
        InteractionParticipant.objects.create(interaction=second, person=amy),
    ]
    # Interactions newest first (their own ordering), people by name.
    assert list(InteractionParticipant.objects.all()) == [rows[3], rows[1], rows[2], rows[0]]
