"""Fixtures shared by the tests inside the package."""

import pytest

from bridgework import factories
from bridgework.accounts.models import Role


@pytest.fixture
def member(db):
    """A member with a person in a team."""
    return factories.UserFactory(username="mia", roles=[Role.MEMBER])


@pytest.fixture
def other_member(db):
    return factories.UserFactory(username="oscar", roles=[Role.MEMBER])


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="ada", roles=[Role.ADMIN, Role.MEMBER])


@pytest.fixture
def analyst(db):
    return factories.UserFactory(username="ana", roles=[Role.PEOPLE_ANALYST], person=None)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
