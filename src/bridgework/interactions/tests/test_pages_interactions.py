"""Interaction pages through the test client: log, read, edit, delete — and
who may see and change what."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse

from bridgework import factories
from bridgework.interactions.models import Interaction

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def logged(member, other_member):
    """An interaction the member logged with the other member, with a private note."""
    return factories.InteractionFactory(
        people=[member.person, other_member.person],
        logged_by=member,
        private_note="mia-only-note",
    )


@pytest.fixture
def strangers_interaction():
    alice = factories.PersonFactory(full_name="Alice Stranger")
    bob = factories.PersonFactory(full_name="Bob Stranger")
    alice_login = factories.UserFactory(username="alice", person=alice)
    return factories.InteractionFactory(people=[alice, bob], logged_by=alice_login)


@pytest.mark.parametrize(
    "name, args",
    [("interactions:create", []), ("interactions:detail", [1]), ("interactions:edit", [1])],
)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"{reverse('accounts:login')}?next={url}"


def test_log_form_renders_with_a_filterable_people_picker(member_client, member, other_member):
    response = member_client.get(reverse("interactions:create"))
    assert response.status_code == 200
    html = html_of(response)
    select = re.search(r'<select name="participants"[^>]*>', html).group(0)
    assert 'id="id_participants"' in select and "multiple" in select
    assert 'aria-describedby="id_participants_helptext"' in select
    assert 'data-filter-for="id_participants"' in html
    assert 'type="datetime-local"' in html
    assert "You are added automatically" in html
    person = other_member.person
    assert f'<option value="{person.pk}">{person.full_name} — Ourco</option>' in html
    # The viewer is added by the service, so they are not offered.
    assert f'<option value="{member.person_id}"' not in html


def test_picker_labels_name_team_and_organization(member_client):
    team = factories.TeamFactory(name="Platform")
    person = factories.PersonFactory(full_name="Tess Team", team=team)
    html = html_of(member_client.get(reverse("interactions:create") + f"?with={person.pk}"))
    assert f'<option value="{person.pk}" selected>Tess Team — Platform / Ourco</option>' in html


def test_log_an_interaction_in_my_time_zone(member_client, member, other_member):
    member.person.time_zone = "America/New_York"
    member.person.save()
    response = member_client.post(
        reverse("interactions:create"),
        {
            "channel": "call",
            "occurred_at": "2024-07-01T09:30",
            "duration_minutes": "25",
            "participants": [other_member.person_id],
            "private_note": "talked about the offsite",
        },
    )
    interaction = Interaction.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("interactions:detail", args=[interaction.pk])
    assert interaction.occurred_at == dt.datetime(
        2024, 7, 1, 9, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York")
    )
    assert set(interaction.participants.all()) == {member.person, other_member.person}
    assert interaction.logged_by == member and interaction.duration_minutes == 25

    detail = html_of(member_client.get(response.url))
    assert "talked about the offsite" in detail and "09:30" in detail


def test_form_defaults_to_now_in_my_time_zone(member_client, member):
    member.person.time_zone = "Asia/Tokyo"
    member.person.save()
    html = html_of(member_client.get(reverse("interactions:create")))
    value = re.search(r'name="occurred_at" value="([^"]+)"', html).group(1)
    shown = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M").replace(
        tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo")
    )
    assert abs((shown - dt.datetime.now(dt.UTC)).total_seconds()) < 120


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"participants": []}, "participants", "at least two different people"),
        ({"occurred_at": "not a date"}, "occurred_at", "Enter a valid date/time"),
        ({"occurred_at": "2999-01-01T10:00"}, "occurred_at", "not in the future"),
        ({"duration_minutes": "5000"}, "duration_minutes", "less than or equal to 1440"),
        ({"channel": "pigeon"}, "channel", "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_saved(
    member_client, other_member, data, field, message
):
    post = {
        "channel": "meeting",
        "occurred_at": "2024-05-02T10:00",
        "participants": [other_member.person_id],
        **data,
    }
    response = member_client.post(reverse("interactions:create"), post)
    assert response.status_code == 200
    html = html_of(response)
    assert f'id="id_{field}_error"' in html and message in html
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error"', html)
    assert Interaction.objects.count() == 0


def test_a_login_without_a_person_gets_a_clear_message(client, db):
    user = factories.UserFactory(username="nobody", person=None)
    other = factories.PersonFactory()
    client.force_login(user)
    response = client.post(
        reverse("interactions:create"),
        {"channel": "call", "occurred_at": "2024-05-02T10:00", "participants": [other.pk]},
    )
    assert response.status_code == 200
    assert "not linked to a person" in html_of(response)
    assert Interaction.objects.count() == 0


def test_analyst_logs_an_interaction_between_others(client, analyst, member, other_member):
    client.force_login(analyst)
    response = client.post(
        reverse("interactions:create"),
        {
            "channel": "meeting",
            "occurred_at": "2024-05-02T10:00",
            "participants": [member.person_id, other_member.person_id],
        },
    )
    assert response.status_code == 302
    assert set(Interaction.objects.get().participants.all()) == {
        member.person,
        other_member.person,
    }


def test_detail_shows_the_note_only_to_its_author(member_client, client, other_member, logged):
    url = reverse("interactions:detail", args=[logged.pk])
    assert "mia-only-note" in html_of(member_client.get(url))
    client.force_login(other_member)
    response = client.get(url)
    assert response.status_code == 200 and "mia-only-note" not in html_of(response)
    assert reverse("interactions:edit", args=[logged.pk]) not in html_of(response)


def test_edit_my_interaction(member_client, member, other_member, logged):
    third = factories.PersonFactory(full_name="Third Person")
    url = reverse("interactions:edit", args=[logged.pk])
    assert "mia-only-note" in html_of(member_client.get(url))
    response = member_client.post(
        url,
        {
            "channel": "chat",
            "occurred_at": "2024-05-02T10:00",
            "participants": [other_member.person_id, third.pk],
            "private_note": "edited",
        },
    )
    assert response.status_code == 302
    logged.refresh_from_db()
    assert (logged.channel, logged.private_note) == ("chat", "edited")
    assert set(logged.participants.all()) == {member.person, other_member.person, third}


def test_edit_that_drops_every_other_participant_is_refused(member_client, member, logged):
    response = member_client.post(
        reverse("interactions:edit", args=[logged.pk]),
        {"channel": "chat", "occurred_at": "2024-05-02T10:00", "participants": []},
    )
    assert response.status_code == 200 and 'id="id_participants_error"' in html_of(response)
    logged.refresh_from_db()
    assert logged.channel == "meeting" and logged.participants.count() == 2


def test_delete_my_interaction(member_client, logged):
    url = reverse("interactions:delete", args=[logged.pk])
    assert member_client.get(url).status_code == 405
    assert member_client.post(url).status_code == 302
    assert not Interaction.objects.exists()


def test_other_peoples_interactions_are_404_like_missing_ones(
    member_client, client, other_member, logged, strangers_interaction
):
    theirs = strangers_interaction.pk
    for name in ("interactions:detail", "interactions:edit"):
        assert member_client.get(reverse(name, args=[theirs])).status_code == 404
        assert member_client.get(reverse(name, args=[999999])).status_code == 404
    assert member_client.post(reverse("interactions:delete", args=[theirs])).status_code == 404
    # A participant who did not log it may read it but not change it.
    client.force_login(other_member)
    assert client.get(reverse("interactions:edit", args=[logged.pk])).status_code == 404
    assert client.post(reverse("interactions:delete", args=[logged.pk])).status_code == 404
    assert Interaction.objects.count() == 2
