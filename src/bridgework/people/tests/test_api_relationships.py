"""The relationships API: who sees, declares, changes and deletes which ties."""

import pytest

from bridgework import factories
from bridgework.accounts.models import AuditEntry
from bridgework.accounts.services import api_token_create
from bridgework.people.models import Relationship

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found."}


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def send(client, method, url, data, user):
    return getattr(client, method)(url, data, content_type="application/json", headers=bearer(user))


@pytest.fixture
def outsider(db):
    """Someone with no tie to the member."""
    return factories.PersonFactory(full_name="Olga Outsider")


@pytest.fixture
def mine(member, other_member):
    """A tie the member declared to the other member."""
    return factories.RelationshipFactory(
        person=member.person,
        other=other_member.person,
        declared_by=member,
        closeness=4,
        private_note="Mia's note on Oscar",
    )


@pytest.fixture
def about_me(member, other_member):
    """A tie the other member declared to the member; its note is Oscar's."""
    return factories.RelationshipFactory(
        person=other_member.person,
        other=member.person,
        declared_by=other_member,
        private_note="Oscar's note on Mia",
    )


@pytest.fixture
def between_others(other_member, outsider):
    """A tie between two people who are not the member."""
    return factories.RelationshipFactory(
        person=other_member.person,
        other=outsider,
        declared_by=other_member,
        private_note="secret",
    )


# Reading ---------------------------------------------------------------------------


def test_member_lists_own_relationships_only(client, member, mine, about_me, between_others):
    body = client.get("/api/relationships/", headers=bearer(member)).json()

    assert body["count"] == 2
    assert {r["id"] for r in body["items"]} == {mine.pk, about_me.pk}


def test_filter_by_person_never_reveals_ties_between_others(
    client, member, other_member, outsider, mine, about_me, between_others
):
    with_oscar = client.get(
        f"/api/relationships/?person={other_member.person_id}", headers=bearer(member)
    ).json()
    with_olga = client.get(
        f"/api/relationships/?person={outsider.pk}", headers=bearer(member)
    ).json()

    assert {r["id"] for r in with_oscar["items"]} == {mine.pk, about_me.pk}
    assert with_olga == {"items": [], "count": 0}


def test_relationship_between_others_looks_exactly_like_a_missing_one(
    client, member, between_others
):
    forbidden = client.get(f"/api/relationships/{between_others.pk}", headers=bearer(member))
    missing = client.get("/api/relationships/999999", headers=bearer(member))

    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == NOT_FOUND


def test_private_note_only_for_whoever_declared_the_tie(client, member, other_member, about_me):
    as_mia = client.get(f"/api/relationships/{about_me.pk}", headers=bearer(member)).json()
    as_oscar = client.get(f"/api/relationships/{about_me.pk}", headers=bearer(other_member)).json()
    listed = client.get("/api/relationships/", headers=bearer(member)).json()["items"]

    assert as_mia["private_note"] is None and as_mia["declared_by_me"] is False
    assert as_oscar["private_note"] == "Oscar's note on Mia" and as_oscar["declared_by_me"] is True
    assert listed[0]["private_note"] is None


def test_admin_sees_everyones_ties_but_not_their_notes(client, admin_user, between_others):
    response = client.get(f"/api/relationships/{between_others.pk}", headers=bearer(admin_user))

    assert response.status_code == 200
    assert response.json()["private_note"] is None


def test_admin_looking_at_someones_ties_is_audited(
    client, admin_user, other_member, between_others
):
    client.get(f"/api/relationships/?person={other_member.person_id}", headers=bearer(admin_user))

    assert AuditEntry.objects.filter(
        actor=admin_user,
        action=AuditEntry.Action.VIEW,
        subject_person_id=other_member.person_id,
    ).exists()


def test_relationship_shape(client, member, other_member, mine):
    body = client.get(f"/api/relationships/{mine.pk}", headers=bearer(member)).json()

    assert body["person"] == {"id": member.person_id, "full_name": member.person.full_name}
    assert body["other"] == {
        "id": other_member.person_id,
        "full_name": other_member.person.full_name,
    }
    assert body["closeness"] == 4
    assert body["context"] == "colleague"
    assert body["private_note"] == "Mia's note on Oscar"


def test_list_query_count_is_bounded(client, member, django_assert_max_num_queries):
    for _ in range(30):
        factories.RelationshipFactory(person=member.person, declared_by=member)
    headers = bearer(member)

    # token, token last-used, roles, count, page (both people, teams and organizations joined)
    with django_assert_max_num_queries(5):
        response = client.get("/api/relationships/?page_size=100", headers=headers)

    assert len(response.json()["items"]) == 30


# Declaring ------------------------------------------------------------------------


def test_declare_defaults_to_the_callers_own_person(client, member, outsider):
    response = send(
        client,
        "post",
        "/api/relationships/",
        {"other": outsider.pk, "closeness": 2, "context": "client", "since": "2021-05-01"},
        member,
    )

    assert response.status_code == 201, response.json()
    rel = Relationship.objects.get(pk=response.json()["id"])
    assert rel.person == member.person and rel.other == outsider
    assert rel.declared_by == member
    assert rel.context == Relationship.Context.CLIENT
    assert response.json()["declared_by_me"] is True


def test_member_cannot_declare_ties_for_someone_else(client, member, other_member, outsider):
    response = send(
        client,
        "post",
        "/api/relationships/",
        {"person": other_member.person_id, "other": outsider.pk, "closeness": 3},
        member,
    )

    assert response.status_code == 404
    assert not Relationship.objects.exists()


def test_analyst_declares_ties_between_anyone(client, analyst, other_member, outsider):
    response = send(
        client,
        "post",
        "/api/relationships/",
        {"person": other_member.person_id, "other": outsider.pk, "closeness": 3},
        analyst,
    )

    assert response.status_code == 201


def test_analyst_without_a_person_must_say_whose_tie(client, analyst, outsider):
    response = send(
        client, "post", "/api/relationships/", {"other": outsider.pk, "closeness": 3}, analyst
    )

    assert response.status_code == 422
    assert "person" in response.json()["errors"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"closeness": 9}, "closeness"),
        ({"closeness": 0}, "closeness"),
        ({"closeness": "close"}, "closeness"),
        ({"context": "enemy"}, "context"),
        ({"since": "2999-01-01"}, "since"),
        ({"since": "last summer"}, "since"),
        ({"other": 999999}, "other"),
        ({"other": "self"}, "other"),
        ({"person": 999999}, "person"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_declare_with_bad_input_is_422_and_saves_nothing(client, member, outsider, payload, field):
    data = {"other": outsider.pk, "closeness": 3, **payload}
    if data["other"] == "self":
        data["other"] = member.person_id

    response = send(client, "post", "/api/relationships/", data, member)

    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert not Relationship.objects.exists()


def test_declaring_the_same_tie_twice_is_422(client, member, other_member, mine):
    response = send(
        client,
        "post",
        "/api/relationships/",
        {"other": other_member.person_id, "closeness": 1},
        member,
    )

    assert response.status_code == 422
    assert "other" in response.json()["errors"]
    assert Relationship.objects.count() == 1


# Changing and deleting ------------------------------------------------------------


def test_declarer_changes_a_tie(client, member, mine):
    response = send(
        client,
        "patch",
        f"/api/relationships/{mine.pk}",
        {"closeness": 5, "private_note": "closer now"},
        member,
    )

    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.closeness == 5 and mine.private_note == "closer now"
    assert response.json()["private_note"] == "closer now"


def test_patch_with_bad_closeness_changes_nothing(client, member, mine):
    response = send(client, "patch", f"/api/relationships/{mine.pk}", {"closeness": 9}, member)

    assert response.status_code == 422
    assert "closeness" in response.json()["errors"]
    mine.refresh_from_db()
    assert mine.closeness == 4


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_member_cannot_change_someone_elses_tie(client, member, about_me, between_others, method):
    for rel in (about_me, between_others):
        response = send(client, method, f"/api/relationships/{rel.pk}", {"closeness": 1}, member)

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert Relationship.objects.filter(closeness=1).count() == 0
    assert Relationship.objects.count() == 2


def test_admin_cannot_write_someone_elses_note(client, admin_user, between_others):
    response = send(
        client,
        "patch",
        f"/api/relationships/{between_others.pk}",
        {"private_note": "admin was here"},
        admin_user,
    )

    assert response.status_code == 422
    assert "private_note" in response.json()["errors"]


def test_declarer_deletes_a_tie(client, member, mine):
    response = send(client, "delete", f"/api/relationships/{mine.pk}", None, member)

    assert response.status_code == 204
    assert not Relationship.objects.filter(pk=mine.pk).exists()
    again = send(client, "delete", f"/api/relationships/{mine.pk}", None, member)
    assert again.status_code == 404
