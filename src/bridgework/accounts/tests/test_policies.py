"""The permission rules in accounts.policies, role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from bridgework import factories
from bridgework.accounts import policies
from bridgework.accounts.models import Role


@pytest.mark.django_db
def test_people_managers_are_admins_and_analysts(member, admin_user, analyst):
    assert policies.can_manage_people(admin_user)
    assert policies.can_manage_people(analyst)
    assert not policies.can_manage_people(member)
    assert not policies.can_manage_people(AnonymousUser())
    mentor = factories.UserFactory(roles=[Role.MENTOR, Role.LEADER, Role.PROGRAM_MANAGER])
    assert not policies.can_manage_people(mentor)


@pytest.mark.django_db
def test_inactive_admin_manages_nothing(admin_user):
    admin_user.is_active = False
    assert not policies.can_manage_people(admin_user)
    assert not policies.can_see_everyones_records(admin_user)


@pytest.mark.django_db
def test_only_admins_see_everyones_records(member, admin_user, analyst):
    assert policies.can_see_everyones_records(admin_user)
    assert not policies.can_see_everyones_records(analyst)
    assert not policies.can_see_everyones_records(member)
    assert not policies.can_see_everyones_records(AnonymousUser())


@pytest.mark.django_db
def test_private_profile_and_editing_self_or_managers(member, other_member, analyst, admin_user):
    mine, theirs = member.person_id, other_member.person_id
    for check in (policies.can_see_private_profile, policies.can_edit_person):
        assert check(member, mine)
        assert not check(member, theirs)
        assert check(analyst, theirs)
        assert check(admin_user, theirs)
        assert not check(AnonymousUser(), mine)


@pytest.mark.django_db
def test_user_without_person_is_not_anybody(member):
    loner = factories.UserFactory(person=None, roles=[Role.MEMBER])
    # person_id None must not match a missing person id either.
    assert not policies.can_edit_person(loner, member.person_id)
    assert not policies.can_see_private_profile(loner, member.person_id)
