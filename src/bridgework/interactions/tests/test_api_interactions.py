"""The interactions API: logging touchpoints, and who may see and change them."""

import datetime as dt

import pytest
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.services import api_token_create
from bridgework.interactions.models import Interaction

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found."}


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def send(client, method, url, data, user):
    return getattr(client, method)(url, data, content_type="application/json", headers=bearer(user))


def iso(days_ago: int) -> str:
    return (timezone.now() - dt.timedelta(days=days_ago)).isoformat()


@pytest.fixture
def outsider(db):
    return factories.PersonFactory(full_name="Olga Outsider")


@pytest.fixture
def logged_by_me(member, other_member):
    return factories.InteractionFactory(
        people=[member.person, other_member.person],
        logged_by=member,
        private_note="Mia's note",
    )


@pytest.fixture
def with_me(member, other_member):
    """An interaction the other member logged, with the member taking part."""
    return factories.InteractionFactory(
        people=[member.person, other_member.person],
        logged_by=other_member,
        private_note="Oscar's note",
        occurred_at=timezone.now() - dt.timedelta(days=10),
    )


@pytest.fixture
def between_others(other_member, outsider):
    return factories.InteractionFactory(
        people=[other_member.person, outsider], logged_by=other_member, private_note="secret"
    )


# Reading ---------------------------------------------------------------------------


def test_member_lists_interactions_they_took_part_in_newest_first(
    client, member, logged_by_me, with_me, between_others
):
    body = client.get("/api/interactions/", headers=bearer(member)).json()

    assert body["count"] == 2
    assert [i["id"] for i in body["items"]] == [logged_by_me.pk, with_me.pk]


def test_filter_by_person(client, member, other_member, outsider, logged_by_me, between_others):
    with_oscar = client.get(
        f"/api/interactions/?person={other_member.person_id}", headers=bearer(member)
    ).json()
    with_olga = client.get(
        f"/api/interactions/?person={outsider.pk}", headers=bearer(member)
    ).json()

    assert [i["id"] for i in with_oscar["items"]] == [logged_by_me.pk]
    assert with_olga == {"items": [], "count": 0}


def test_interaction_between_others_looks_exactly_like_a_missing_one(
    client, member, between_others
):
    forbidden = client.get(f"/api/interactions/{between_others.pk}", headers=bearer(member))
    missing = client.get("/api/interactions/999999", headers=bearer(member))

    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == NOT_FOUND


def test_private_note_only_for_whoever_logged_it(client, member, other_member, with_me):
    as_mia = client.get(f"/api/interactions/{with_me.pk}", headers=bearer(member)).json()
    as_oscar = client.get(f"/api/interactions/{with_me.pk}", headers=bearer(other_member)).json()

    assert as_mia["private_note"] is None and as_mia["logged_by_me"] is False
    assert as_oscar["private_note"] == "Oscar's note" and as_oscar["logged_by_me"] is True


def test_admin_sees_everyones_interactions_but_not_their_notes(client, admin_user, between_others):
    response = client.get(f"/api/interactions/{between_others.pk}", headers=bearer(admin_user))

    assert response.status_code == 200
    assert response.json()["private_note"] is None


def test_interaction_shape(client, member, other_member, logged_by_me):
    body = client.get(f"/api/interactions/{logged_by_me.pk}", headers=bearer(member)).json()

    assert body["channel"] == "meeting"
    assert body["duration_minutes"] == 30
    assert {p["id"] for p in body["participants"]} == {member.person_id, other_member.person_id}
    assert body["private_note"] == "Mia's note"
    # Django's JSON encoder writes UTC with millisecond precision.
    occurred_at = dt.datetime.fromisoformat(body["occurred_at"])
    assert body["occurred_at"].endswith("Z")
    assert abs(occurred_at - logged_by_me.occurred_at) < dt.timedelta(milliseconds=1)


def test_list_query_count_is_bounded(client, member, django_assert_max_num_queries):
    for _ in range(30):
        factories.InteractionFactory(
            people=[member.person, *factories.PersonFactory.create_batch(2)], logged_by=member
        )
    headers = bearer(member)

    # token, token last-used, roles, count, page, participants
    with django_assert_max_num_queries(6):
        response = client.get("/api/interactions/?page_size=100", headers=headers)

    items = response.json()["items"]
    assert len(items) == 30 and all(len(i["participants"]) == 3 for i in items)


# Logging ---------------------------------------------------------------------------


def test_member_logs_an_interaction_and_is_added_as_participant(client, member, outsider):
    response = send(
        client,
        "post",
        "/api/interactions/",
        {
            "channel": "call",
            "occurred_at": "2025-03-14T09:30:00+01:00",
            "participants": [outsider.pk],
            "duration_minutes": 20,
            "private_note": "follow up",
        },
        member,
    )

    assert response.status_code == 201, response.json()
    interaction = Interaction.objects.get(pk=response.json()["id"])
    assert set(interaction.participants.all()) == {member.person, outsider}
    assert interaction.logged_by == member
    assert interaction.occurred_at == dt.datetime(2025, 3, 14, 8, 30, tzinfo=dt.UTC)
    assert response.json()["private_note"] == "follow up"


def test_analyst_logs_an_interaction_between_others(client, analyst, other_member, outsider):
    response = send(
        client,
        "post",
        "/api/interactions/",
        {
            "channel": "meeting",
            "occurred_at": "2025-03-14T08:30:00Z",
            "participants": [other_member.person_id, outsider.pk],
        },
        analyst,
    )

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"occurred_at": "2025-03-14T09:30:00"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
        ({"participants": ["me"]}, "participants"),
        ({"participants": []}, "participants"),
        ({"participants": [999999]}, "participants"),
        ({"channel": "telepathy"}, "channel"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"mood": "great"}, "mood"),
    ],
)
def test_logging_with_bad_input_is_422_and_saves_nothing(client, member, outsider, payload, field):
    data = {
        "channel": "call",
        "occurred_at": iso(1),
        "participants": [outsider.pk],
        **payload,
    }
    if data["participants"] == ["me"]:
        data["participants"] = [member.person_id]  # only one person

    response = send(client, "post", "/api/interactions/", data, member)

    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert not Interaction.objects.exists()


def test_one_participant_is_422_for_an_analyst_too(client, analyst, outsider):
    response = send(
        client,
        "post",
        "/api/interactions/",
        {"channel": "call", "occurred_at": iso(1), "participants": [outsider.pk, outsider.pk]},
        analyst,
    )

    assert response.status_code == 422
    assert "participants" in response.json()["errors"]
    assert not Interaction.objects.exists()


def test_member_without_a_person_gets_a_clear_422(client, outsider, other_member):
    lonely = factories.UserFactory(username="lonely", person=None)

    response = send(
        client,
        "post",
        "/api/interactions/",
        {
            "channel": "call",
            "occurred_at": iso(1),
            "participants": [outsider.pk, other_member.person_id],
        },
        lonely,
    )

    assert response.status_code == 422
    assert "__all__" in response.json()["errors"]


# Changing and deleting ------------------------------------------------------------


def test_logger_changes_an_interaction(client, member, outsider, logged_by_me):
    response = send(
        client,
        "patch",
        f"/api/interactions/{logged_by_me.pk}",
        {"channel": "chat", "participants": [outsider.pk], "private_note": "moved to chat"},
        member,
    )

    assert response.status_code == 200, response.json()
    logged_by_me.refresh_from_db()
    assert logged_by_me.channel == "chat"
    assert set(logged_by_me.participants.all()) == {member.person, outsider}
    assert response.json()["private_note"] == "moved to chat"


def test_patch_with_naive_datetime_changes_nothing(client, member, logged_by_me):
    before = logged_by_me.occurred_at

    response = send(
        client,
        "patch",
        f"/api/interactions/{logged_by_me.pk}",
        {"occurred_at": "2025-01-01T10:00:00"},
        member,
    )

    assert response.status_code == 422
    assert "occurred_at" in response.json()["errors"]
    logged_by_me.refresh_from_db()
    assert logged_by_me.occurred_at == before


def test_patch_with_unknown_participant_changes_nothing(client, member, logged_by_me):
    response = send(
        client,
        "patch",
        f"/api/interactions/{logged_by_me.pk}",
        {"channel": "chat", "participants": [999999]},
        member,
    )

    assert response.status_code == 422
    assert "participants" in response.json()["errors"]
    logged_by_me.refresh_from_db()
    assert logged_by_me.channel == "meeting"


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_member_cannot_change_interactions_someone_else_logged(
    client, member, with_me, between_others, method
):
    for interaction in (with_me, between_others):
        response = send(
            client, method, f"/api/interactions/{interaction.pk}", {"channel": "chat"}, member
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert Interaction.objects.count() == 2
    assert not Interaction.objects.filter(channel="chat").exists()


def test_logger_deletes_an_interaction(client, member, logged_by_me):
    response = send(client, "delete", f"/api/interactions/{logged_by_me.pk}", None, member)

    assert response.status_code == 204
    assert not Interaction.objects.filter(pk=logged_by_me.pk).exists()
