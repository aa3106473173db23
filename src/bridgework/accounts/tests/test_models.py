"""Model behaviour of accounts: users and their roles, API tokens, the audit log."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import ApiToken, AuditEntry, Role, User


@pytest.mark.django_db
def test_role_groups_exist_for_every_role():
    # Created by the 0003_role_groups data migration.
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "member",
        "mentor",
        "program_manager",
        "leader",
        "people_analyst",
        "admin",
    }


@pytest.mark.django_db
def test_user_str_is_username(member):
    assert str(member) == "mia"


@pytest.mark.django_db
def test_roles_come_from_groups_and_ignore_unrelated_groups():
    user = factories.UserFactory(roles=[Role.MENTOR, Role.LEADER])
    user.groups.add(Group.objects.create(name="book club"))
    user._roles_cache = None
    assert user.roles == frozenset({"mentor", "leader"})
    assert user.has_role(Role.MENTOR)
    assert not user.has_role(Role.ADMIN)
    assert not user.is_admin


@pytest.mark.django_db
def test_superuser_holds_the_admin_role_without_the_group():
    user = factories.UserFactory(roles=[])
    user.is_superuser = True
    user.save()
    user._roles_cache = None
    assert user.roles == frozenset({"admin"})
    assert user.is_admin


@pytest.mark.django_db
def test_inactive_user_holds_no_role(admin_user):
    admin_user.is_active = False
    assert not admin_user.has_role(Role.ADMIN)
    assert not admin_user.is_admin


@pytest.mark.django_db
def test_users_are_ordered_by_username():
    for name in ["carol", "alice", "bob"]:
        factories.UserFactory(username=name, person=None)
    assert list(User.objects.values_list("username", flat=True)) == ["alice", "bob", "carol"]


def test_token_digest_is_sha256_hex():
    # FIPS 180-2 test vector for SHA-256("abc").
    assert (
        ApiToken.digest_of("abc")
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@pytest.mark.django_db
def test_token_str_names_it_by_prefix(member):
    token = ApiToken.objects.create(user=member, name="laptop", prefix="bw_abcde", digest="0" * 64)
    assert str(token) == "laptop (bw_abcde…)"


@pytest.mark.django_db
def test_audit_entry_str_and_newest_first_ordering(member):
    first = AuditEntry.objects.create(
        actor=member, action="view", object_type="person", object_id="7"
    )
    second = AuditEntry.objects.create(
        actor=member, action="update", object_type="person", object_id="8"
    )
    when = timezone.make_aware(dt.datetime(2024, 5, 6, 7, 8))
    # Same timestamp: the later id comes first, so the order never depends on the database.
    AuditEntry.objects.filter(pk__in=[first.pk, second.pk]).update(at=when)
    assert list(AuditEntry.objects.filter(actor=member)) == [second, first]
    first.refresh_from_db()
    assert str(first) == "2024-05-06 07:08 mia view person 7"
