"""Interaction services: logging, editing and deleting touchpoints."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import AuditEntry, Role
from bridgework.core.errors import NotFoundError
from bridgework.interactions import services
from bridgework.interactions.models import Channel, Interaction

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2024, 3, 5, 14, 30, tzinfo=dt.UTC)


def participant_ids(interaction: Interaction) -> set[int]:
    return set(interaction.participants.values_list("pk", flat=True))


def test_member_is_added_to_the_participants(member, other_member):
    interaction = services.interaction_log(
        actor=member,
        channel=Channel.MEETING,
        occurred_at=WHEN,
        participants=[other_member.person],
        duration_minutes=45,
        private_note="talked about the move",
    )
    interaction.refresh_from_db()
    assert participant_ids(interaction) == {member.person_id, other_member.person_id}
    assert interaction.logged_by == member
    assert (interaction.channel, interaction.occurred_at, interaction.duration_minutes) == (
        "meeting",
        WHEN,
        45,
    )
    assert interaction.private_note == "talked about the move"
    assert interaction.source == "app"
    [entry] = AuditEntry.objects.filter(object_type="interaction")
    assert (entry.actor, entry.action, entry.object_id) == (member, "create", str(interaction.pk))
    assert sorted(entry.detail["participants"]) == sorted(
        [member.person_id, other_member.person_id]
    )


def test_participants_are_deduplicated(member, other_member):
    third = factories.PersonFactory()
    interaction = services.interaction_log(
        actor=member,
        channel=Channel.CALL,
        occurred_at=WHEN,
        participants=[other_member.person, third, other_member.person, member.person],
    )
    assert participant_ids(interaction) == {member.person_id, other_member.person_id, third.pk}
    assert interaction.participations.count() == 3


@pytest.mark.parametrize("alone", ["nobody", "self", "self twice"])
def test_one_participant_is_not_an_interaction(member, alone):
    participants = {
        "nobody": [],
        "self": [member.person],
        "self twice": [member.person, member.person],
    }[alone]
    with pytest.raises(ValidationError) as exc:
        services.interaction_log(
            actor=member, channel=Channel.CALL, occurred_at=WHEN, participants=participants
        )
    assert "participants" in exc.value.message_dict
    assert not Interaction.objects.exists()


def test_naive_datetime_rejected(member, other_member):
    with pytest.raises(ValidationError) as exc:
        services.interaction_log(
            actor=member,
            channel=Channel.CALL,
            occurred_at=dt.datetime(2024, 3, 5, 14, 30),
            participants=[other_member.person],
        )
    assert set(exc.value.message_dict) == {"occurred_at"}
    assert not Interaction.objects.exists()


def test_invalid_interaction_saves_nothing(member, other_member):
    for bad in (
        {"duration_minutes": 24 * 60 + 1},
        {"occurred_at": timezone.now() + dt.timedelta(days=3)},
        {"channel": "pigeon"},
    ):
        fields = {"channel": Channel.CALL, "occurred_at": WHEN} | bad
        with pytest.raises(ValidationError):
            services.interaction_log(actor=member, participants=[other_member.person], **fields)
    assert not Interaction.objects.exists()
    assert not AuditEntry.objects.filter(object_type="interaction").exists()


def test_admin_and_analyst_log_between_others(admin_user, analyst, member, other_member):
    pair = [member.person, other_member.person]
    for actor in (admin_user, analyst):
        interaction = services.interaction_log(
            actor=actor, channel=Channel.EVENT, occurred_at=WHEN, participants=pair
        )
        assert participant_ids(interaction) == {member.person_id, other_member.person_id}
        assert interaction.logged_by == actor


def test_login_without_a_person_cannot_log(member, other_member):
    loner = factories.UserFactory(username="loner", person=None, roles=[Role.MEMBER])
    with pytest.raises(ValidationError):
        services.interaction_log(
            actor=loner,
            channel=Channel.CALL,
            occurred_at=WHEN,
            participants=[member.person, other_member.person],
        )
    assert not Interaction.objects.exists()


@pytest.fixture
def logged(member, other_member):
    return services.interaction_log(
        actor=member,
        channel=Channel.MEETING,
        occurred_at=WHEN,
        participants=[other_member.person],
        private_note="mine",
    )


def test_logger_updates(member, other_member, logged):
    third = factories.PersonFactory()
    later = WHEN + dt.timedelta(hours=2)
    services.interaction_update(
        actor=member,
        interaction=logged,
        channel=Channel.CALL,
        occurred_at=later,
        private_note="changed",
        participants=[third],
    )
    logged.refresh_from_db()
    assert (logged.channel, logged.occurred_at, logged.private_note) == ("call", later, "changed")
    # The member stays a participant; the old other side is replaced.
    assert participant_ids(logged) == {member.person_id, third.pk}
    entry = AuditEntry.objects.get(object_type="interaction", action="update")
    assert entry.actor == member
    assert entry.detail == {"changed": ["channel", "occurred_at", "private_note"]}


def test_update_keeps_participants_when_not_given(member, other_member, logged):
    services.interaction_update(actor=member, interaction=logged, duration_minutes=10)
    assert participant_ids(logged) == {member.person_id, other_member.person_id}


def test_update_validates(member, other_member, logged):
    def fresh():
        return Interaction.objects.get(pk=logged.pk)

    with pytest.raises(ValidationError) as exc:
        services.interaction_update(
            actor=member, interaction=fresh(), occurred_at=dt.datetime(2024, 3, 6, 9, 0)
        )
    assert set(exc.value.message_dict) == {"occurred_at"}
    with pytest.raises(ValidationError) as exc:
        services.interaction_update(actor=member, interaction=fresh(), duration_minutes=2000)
    assert set(exc.value.message_dict) == {"__all__"}
    with pytest.raises(ValidationError) as exc:
        services.interaction_update(
            actor=member, interaction=fresh(), participants=[member.person], channel="chat"
        )
    assert set(exc.value.message_dict) == {"participants"}
    with pytest.raises(TypeError):
        services.interaction_update(actor=member, interaction=fresh(), logged_by=None)
    stored = fresh()
    assert (stored.occurred_at, stored.duration_minutes, stored.channel) == (WHEN, None, "meeting")
    assert participant_ids(stored) == {member.person_id, other_member.person_id}
    assert stored.participations.count() == 2


def test_participant_who_did_not_log_cannot_update_or_delete(other_member, analyst, logged):
    for intruder in (other_member, analyst):
        with pytest.raises(NotFoundError):
            services.interaction_update(actor=intruder, interaction=logged, channel=Channel.CHAT)
        with pytest.raises(NotFoundError):
            services.interaction_delete(actor=intruder, interaction=logged)
    assert Interaction.objects.get(pk=logged.pk).channel == "meeting"


def test_admin_updates_but_cannot_write_the_note(admin_user, logged):
    services.interaction_update(actor=admin_user, interaction=logged, channel=Channel.CHAT)
    with pytest.raises(ValidationError) as exc:
        services.interaction_update(actor=admin_user, interaction=logged, private_note="admin")
    assert "private_note" in exc.value.message_dict
    stored = Interaction.objects.get(pk=logged.pk)
    assert (stored.channel, stored.private_note) == ("chat", "mine")


def test_logger_deletes(member, logged):
    pk = logged.pk
    services.interaction_delete(actor=member, interaction=logged)
    assert not Interaction.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(object_type="interaction", action="delete")
    assert (entry.actor, entry.object_id) == (member, str(pk))
