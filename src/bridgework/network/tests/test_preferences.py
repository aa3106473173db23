"""A person's network preference "do not suggest me as an introducer" (issue 13, item 7):
set on its own page, linked from one's own profile, audited, kept through merges."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import AuditEntry
from bridgework.core.errors import NotFoundError
from bridgework.network.models import NetworkPreference
from bridgework.network.preferences import (
    introducers_opted_out,
    network_preference,
    network_preference_set,
)
from bridgework.people.merge import person_merge, person_merge_undo

pytestmark = pytest.mark.django_db

PAGE = "/network/preferences/"


def test_the_page_sets_my_choice_and_audits_each_change(member, member_client):
    assert reverse("network:preferences") == PAGE
    html = member_client.get(PAGE).content.decode()
    assert "Do not suggest me as an introducer" in html
    assert 'name="introducer_opt_out"' in html and "checked" not in html

    response = member_client.post(PAGE, {"introducer_opt_out": "on"}, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "Bridgework will not suggest you as an introducer" in response.text
    assert re.search(
        r'<input type="checkbox" name="introducer_opt_out"[^>]* checked>', response.text
    )
    assert introducers_opted_out() == {member.person_id}
    # Saving the same choice again changes nothing and writes nothing.
    member_client.post(PAGE, {"introducer_opt_out": "on"})
    member_client.post(PAGE, {})  # an unticked box: back in
    assert introducers_opted_out() == set()
    entries = AuditEntry.objects.filter(object_type="network_preference").order_by("id")
    assert [(e.actor, e.action, e.subject_person_id, e.detail) for e in entries] == [
        (member, "update", member.person_id, {"introducer_opt_out": True}),
        (member, "update", member.person_id, {"introducer_opt_out": False}),
    ]


def test_only_my_own_profile_links_to_it(member, member_client, other_member):
    mine = member_client.get(reverse("people:detail", args=[member.person_id])).text
    theirs = member_client.get(reverse("people:detail", args=[other_member.person_id])).text

    assert "Introductions through you" in mine and f'href="{PAGE}"' in mine
    assert "Bridgework may suggest you as an introducer" in mine
    assert "Introductions through you" not in theirs and f'href="{PAGE}"' not in theirs

    network_preference_set(actor=member, introducer_opt_out=True)
    mine = member_client.get(reverse("people:detail", args=[member.person_id])).text
    assert "Bridgework does <strong>not</strong> suggest you as an introducer" in mine


def test_nobody_sets_it_for_someone_else(client, analyst, admin_user, other_member):
    # There is no person to name: the page and the service act on the login's own person.
    assert client.get(PAGE).status_code == 302  # anonymous: to the login page
    client.force_login(analyst)  # a login without a person has no preferences
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"introducer_opt_out": "on"}).status_code == 404
    with pytest.raises(NotFoundError):
        network_preference_set(actor=analyst, introducer_opt_out=True)
    client.force_login(admin_user)
    client.post(PAGE, {"introducer_opt_out": "on", "person": other_member.person_id})
    assert introducers_opted_out() == {admin_user.person_id}
    assert network_preference(viewer=other_member).introducer_opt_out is False


def test_a_merge_keeps_the_stricter_choice_and_undo_restores_both(analyst):
    drop_login = factories.UserFactory(username="dropped")
    drop, keep = drop_login.person, factories.PersonFactory()
    network_preference_set(actor=drop_login, introducer_opt_out=True)

    merge = person_merge(actor=analyst, keep=keep, drop=drop)

    assert introducers_opted_out() == {keep.pk}
    person_merge_undo(actor=analyst, merge=merge)
    assert introducers_opted_out() == {drop.pk}
    assert not NetworkPreference.objects.filter(person=keep).exists()


def test_a_merge_of_two_choices_keeps_opted_out_and_undo_puts_both_back(analyst):
    drop_login = factories.UserFactory(username="dropped")
    drop, keep = drop_login.person, factories.PersonFactory()
    network_preference_set(actor=drop_login, introducer_opt_out=True)
    # The kept person chose to stay an introducer (before they had a login here).
    NetworkPreference.objects.create(person=keep, introducer_opt_out=False)

    merge = person_merge(actor=analyst, keep=keep, drop=drop)

    assert list(NetworkPreference.objects.values_list("person_id", "introducer_opt_out")) == [
        (keep.pk, True)
    ]
    person_merge_undo(actor=analyst, merge=merge)
    assert sorted(NetworkPreference.objects.values_list("person_id", "introducer_opt_out")) == (
        sorted([(keep.pk, False), (drop.pk, True)])
    )
