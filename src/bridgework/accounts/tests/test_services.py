"""Account services: users, roles, API tokens and the audit log."""

import hashlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from bridgework import factories
from bridgework.accounts import services
from bridgework.accounts.models import ApiToken, AuditEntry, Role, User
from bridgework.core.errors import NotFoundError

STRONG = "plum-orbit-ladder-93"


def group_names(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


# --- audit_record ---------------------------------------------------------------


@pytest.mark.django_db
def test_audit_record_stores_who_what_and_whom(admin_user, member):
    entry = services.audit_record(
        actor=admin_user,
        action=AuditEntry.Action.VIEW,
        object_type="person",
        object_id=42,
        subject_person_id=member.person_id,
        detail={"why": "check"},
    )
    entry.refresh_from_db()
    assert entry.actor == admin_user
    assert entry.action == "view"
    assert entry.object_id == "42"
    assert entry.subject_person_id == member.person_id
    assert entry.detail == {"why": "check"}


@pytest.mark.django_db
def test_audit_record_of_anonymous_or_system_has_no_actor():
    anonymous = services.audit_record(actor=AnonymousUser(), action="login", object_type="user")
    system = services.audit_record(
        actor=None, action="import", object_type="events", object_id=None
    )
    assert anonymous.actor is None
    assert system.actor is None and system.object_id == ""


# --- user_create ----------------------------------------------------------------


@pytest.mark.django_db
def test_user_create_member(admin_user):
    person = factories.PersonFactory()
    user = services.user_create(
        username="  newbie ",
        password=STRONG,
        email="newbie@example.org",
        person=person,
        actor=admin_user,
    )
    user.refresh_from_db()
    assert user.username == "newbie"
    assert user.person == person
    assert group_names(user) == {"member"}
    assert user.roles == frozenset({"member"})
    assert not user.is_staff and not user.is_superuser
    assert user.password != STRONG and user.check_password(STRONG)
    entry = AuditEntry.objects.get(object_type="user", object_id=str(user.pk))
    assert entry.actor == admin_user
    assert entry.action == "create"
    assert entry.subject_person_id == person.pk
    assert entry.detail == {"roles": ["member"]}


@pytest.mark.django_db
def test_user_create_roles_become_groups():
    user = services.user_create(
        username="mentor1", password=STRONG, roles=[Role.MENTOR, Role.LEADER, Role.MENTOR]
    )
    assert group_names(user) == {"mentor", "leader"}
    assert not user.is_staff


@pytest.mark.django_db
def test_user_create_admin_opens_django_admin():
    user = services.user_create(username="boss", password=STRONG, roles=[Role.ADMIN])
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser
    assert user.is_admin


@pytest.mark.django_db
def test_user_create_unknown_role_saves_nothing():
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="x", password=STRONG, roles=["member", "wizard"])
    assert "roles" in exc.value.message_dict
    assert "wizard" in exc.value.message_dict["roles"][0]
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_user_create_username_taken_case_insensitively(member):
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="MIA", password=STRONG)
    assert "username" in exc.value.message_dict
    assert User.objects.filter(username__iexact="mia").count() == 1


@pytest.mark.django_db
def test_user_create_blank_username():
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="   ", password=STRONG)
    assert "username" in exc.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["password", "short1", "12345678901"])
def test_user_create_rejects_weak_password(weak):
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="weakling", password=weak)
    assert "password" in exc.value.message_dict
    assert not User.objects.filter(username="weakling").exists()


@pytest.mark.django_db
def test_user_create_password_similar_to_username_rejected():
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="margaretha", password="margaretha1")
    assert "password" in exc.value.message_dict


@pytest.mark.django_db
def test_user_create_weak_password_allowed_without_check():
    user = services.user_create(username="demo", password="demo", check_password=False)
    assert user.check_password("demo")


@pytest.mark.django_db
def test_user_create_person_already_linked(member):
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="second", password=STRONG, person=member.person)
    assert "person" in exc.value.message_dict
    assert not User.objects.filter(username="second").exists()


# --- user_set_roles -------------------------------------------------------------


@pytest.mark.django_db
def test_user_set_roles_promotes_and_demotes(admin_user, member):
    services.user_set_roles(actor=admin_user, user=member, roles=[Role.ADMIN, Role.MEMBER])
    member.refresh_from_db()
    assert group_names(member) == {"admin", "member"}
    assert member.is_staff and member.is_superuser and member.is_admin

    services.user_set_roles(actor=admin_user, user=member, roles=[Role.MENTOR])
    assert member.roles == frozenset({"mentor"})  # the cache was reset
    member.refresh_from_db()
    assert group_names(member) == {"mentor"}
    assert not member.is_staff and not member.is_superuser

    entries = AuditEntry.objects.filter(object_type="user", action="update", actor=admin_user)
    assert [e.detail["roles"] for e in entries] == [["mentor"], ["admin", "member"]]
    assert {e.subject_person_id for e in entries} == {member.person_id}


@pytest.mark.django_db
def test_user_set_roles_unknown_role_changes_nothing(admin_user, member):
    with pytest.raises(ValidationError):
        services.user_set_roles(actor=admin_user, user=member, roles=["admin", "root"])
    member.refresh_from_db()
    assert group_names(member) == {"member"}
    assert not member.is_superuser


# --- API tokens -----------------------------------------------------------------


@pytest.mark.django_db
def test_api_token_create_stores_only_the_digest(member):
    token, raw = services.api_token_create(user=member, name="  laptop  ")
    token.refresh_from_db()
    assert raw.startswith("bw_") and len(raw) > 40
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8]
    assert token.name == "laptop"
    stored = [token.name, token.prefix, token.digest]
    assert raw not in stored
    assert not ApiToken.objects.filter(digest=raw).exists()
    entry = AuditEntry.objects.get(object_type="api_token")
    assert (entry.actor, entry.action, entry.object_id) == (member, "create", str(token.pk))


@pytest.mark.django_db
def test_api_token_blank_name_gets_default_and_tokens_differ(member):
    first, raw1 = services.api_token_create(user=member, name="   ")
    _, raw2 = services.api_token_create(user=member, name="x")
    assert first.name == "API token"
    assert raw1 != raw2


@pytest.mark.django_db
def test_api_token_authenticate(member):
    token, raw = services.api_token_create(user=member, name="cli")
    assert token.last_used_at is None
    assert services.api_token_authenticate(raw) == member
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("wrong", ["", "bw_not-a-real-token", "no-prefix-at-all"])
def test_api_token_wrong_token_is_nobody(member, wrong):
    services.api_token_create(user=member, name="cli")
    assert services.api_token_authenticate(wrong) is None


@pytest.mark.django_db
def test_api_token_digest_itself_is_not_a_token(member):
    token, _ = services.api_token_create(user=member, name="cli")
    assert services.api_token_authenticate(token.digest) is None
    assert services.api_token_authenticate("bw_" + token.digest) is None


@pytest.mark.django_db
def test_api_token_of_inactive_user_is_nobody(member):
    _, raw = services.api_token_create(user=member, name="cli")
    member.is_active = False
    member.save()
    assert services.api_token_authenticate(raw) is None


@pytest.mark.django_db
def test_api_token_revoke_own(member):
    token, raw = services.api_token_create(user=member, name="cli")
    services.api_token_revoke(user=member, token_id=token.pk)
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert services.api_token_authenticate(raw) is None
    entry = AuditEntry.objects.get(object_type="api_token", action="delete")
    assert (entry.actor, entry.object_id) == (member, str(token.pk))


@pytest.mark.django_db
def test_api_token_revoke_someone_elses_is_not_found(member, other_member, admin_user):
    token, raw = services.api_token_create(user=member, name="cli")
    for intruder in (other_member, admin_user):
        with pytest.raises(NotFoundError):
            services.api_token_revoke(user=intruder, token_id=token.pk)
    with pytest.raises(NotFoundError):
        services.api_token_revoke(user=member, token_id=token.pk + 1000)
    assert services.api_token_authenticate(raw) == member
