"""Private contacts: who sees them, approving them, and merging them (issue 13, item 3).

A private contact is made here by hand (``listed=False`` and a
``PrivateContact`` row), as a member's own import makes one; the import side
is tested in ``interactions/tests/test_import_provenance.py``.
"""

import pytest

from bridgework import factories
from bridgework.accounts.models import AuditEntry, Role
from bridgework.core.errors import NotFoundError
from bridgework.people import selectors
from bridgework.people.models import Person, PrivateContact
from bridgework.people.services import person_approve, person_merge, person_merge_undo

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return factories.UserFactory(username="owen", roles=[Role.MEMBER])


@pytest.fixture
def contact(owner):
    person = factories.PersonFactory(full_name="Quinn Quiet", listed=False)
    PrivateContact.objects.create(owner=owner.person, person=person)
    return person


def test_only_the_owner_and_people_managers_see_a_private_contact(
    owner, contact, other_member, analyst, admin_user
):
    for viewer in (owner, analyst, admin_user):
        assert contact in selectors.person_directory(viewer=viewer, query="Quinn")
        assert selectors.access_person(viewer=viewer, person_id=contact.pk) == contact
        assert contact.pk in selectors.people_by_id([contact.pk], viewer=viewer)
    assert list(selectors.person_directory(viewer=other_member, query="Quinn")) == []
    with pytest.raises(NotFoundError):
        selectors.access_person(viewer=other_member, person_id=contact.pk)
    assert selectors.people_by_id([contact.pk], viewer=other_member) == {}
    assert contact not in selectors.visible_people(viewer=other_member)


def test_a_login_without_a_person_sees_only_the_directory(contact, owner):
    loner = factories.UserFactory(username="loner", person=None, roles=[Role.MEMBER])
    assert list(selectors.person_directory(viewer=loner, query="Quinn")) == []
    assert owner.person in selectors.person_directory(viewer=loner)


def test_the_private_filter_lists_private_contacts(owner, contact, analyst):
    listed = factories.PersonFactory(full_name="Quinn Listed")
    assert list(selectors.person_directory(viewer=analyst, query="Quinn", listed=False)) == [
        contact
    ]
    assert set(selectors.person_directory(viewer=owner, query="Quinn")) == {contact, listed}


def test_managers_learn_whose_contact_it_is_and_members_do_not(owner, contact, analyst):
    assert selectors.private_contact_owners(viewer=analyst, person=contact) == [owner.person]
    assert selectors.private_contact_owners(viewer=owner, person=contact) == []


def test_approving_lists_them_for_everyone_and_is_audited(contact, analyst, other_member):
    with pytest.raises(NotFoundError):
        person_approve(actor=other_member, person=contact)
    person_approve(actor=analyst, person=contact)
    contact.refresh_from_db()
    assert contact.listed
    assert selectors.access_person(viewer=other_member, person_id=contact.pk) == contact
    entry = AuditEntry.objects.get(object_type="person", subject_person_id=contact.pk)
    assert entry.actor == analyst and entry.detail == {"listed": True, "approved": True}


def test_the_directory_filter_on_the_page(owner, contact, analyst, client):
    factories.PersonFactory(full_name="Quinn Listed")
    client.force_login(analyst)
    page = client.get("/people/", {"q": "Quinn", "private": "on"}).content.decode()
    assert "Quinn Quiet" in page and "Quinn Listed" not in page


# -- merging ---------------------------------------------------------------------------


def test_merging_a_private_contact_into_a_directory_person_keeps_them_listed(
    owner, contact, analyst
):
    directory = factories.PersonFactory(full_name="Quinn Q. Public")
    merge = person_merge(actor=analyst, keep=directory, drop=contact)
    directory.refresh_from_db()
    assert directory.listed
    assert list(PrivateContact.objects.values_list("owner_id", "person_id")) == [
        (owner.person_id, directory.pk)
    ]
    person_merge_undo(actor=analyst, merge=merge)
    contact = Person.objects.get(pk=contact.pk)
    assert not contact.listed and Person.objects.get(pk=directory.pk).listed
    assert list(PrivateContact.objects.values_list("owner_id", "person_id")) == [
        (owner.person_id, contact.pk)
    ]


def test_a_merge_keeping_the_private_contact_lists_it_and_undo_takes_that_back(
    owner, contact, analyst
):
    directory = factories.PersonFactory(full_name="Quinn Q. Public")
    merge = person_merge(actor=analyst, keep=contact, drop=directory)
    contact.refresh_from_db()
    assert contact.listed
    person_merge_undo(actor=analyst, merge=merge)
    contact.refresh_from_db()
    assert not contact.listed


def test_a_merge_of_two_owners_private_contacts_keeps_both_owners(owner, contact, analyst):
    second_owner = factories.UserFactory(username="sam", roles=[Role.MEMBER])
    twin = factories.PersonFactory(full_name="Q. Quiet", listed=False)
    PrivateContact.objects.create(owner=second_owner.person, person=twin)
    PrivateContact.objects.create(owner=owner.person, person=twin)  # owner knows both
    person_merge(actor=analyst, keep=contact, drop=twin)
    contact.refresh_from_db()
    assert not contact.listed
    assert set(PrivateContact.objects.values_list("owner_id", "person_id")) == {
        (owner.person_id, contact.pk),
        (second_owner.person_id, contact.pk),
    }
