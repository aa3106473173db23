"""Django admin works for admins, and only for them."""

import pytest

from bridgework import factories
from bridgework.accounts.models import Role


@pytest.fixture
def records(db):
    a, b = factories.PersonFactory(), factories.PersonFactory()
    factories.RelationshipFactory(person=a, other=b, private_note="secret words")
    interaction = factories.InteractionFactory(people=[a, b], private_note="more secret words")
    return a, interaction


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/people/person/",
        "/admin/people/person/{person}/change/",
        "/admin/people/relationship/",
        "/admin/interactions/interaction/",
        "/admin/interactions/interaction/{interaction}/change/",
        "/admin/accounts/user/",
        "/admin/accounts/auditentry/",
        "/admin/people/team/",
        "/admin/people/skill/",
        "/admin/people/organization/",
    ],
)
def test_admin_pages_open_for_admins_without_private_notes(client, records, path):
    person, interaction = records
    client.force_login(factories.UserFactory(roles=[Role.ADMIN]))
    response = client.get(path.format(person=person.pk, interaction=interaction.pk))
    assert response.status_code == 200
    assert b"secret words" not in response.content


def test_admin_is_closed_to_members(client, db):
    client.force_login(factories.UserFactory(roles=[Role.MEMBER, Role.LEADER, Role.PEOPLE_ANALYST]))
    response = client.get("/admin/people/person/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
