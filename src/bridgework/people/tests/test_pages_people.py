"""People pages through the test client: my network, the directory, profiles,
adding and editing people, relationships and skills — and who sees what."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bridgework import factories
from bridgework.people.models import (
    EngagementType,
    Organization,
    Person,
    PersonEmail,
    PersonSkill,
    Relationship,
    Skill,
    Team,
)

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def tie(member, other_member):
    """A relationship the member declared with the other member, with a note."""
    return factories.RelationshipFactory(
        person=member.person,
        other=other_member.person,
        declared_by=member,
        closeness=4,
        private_note="mia-secret-about-oscar",
    )


@pytest.fixture
def strangers_tie():
    """A relationship and an interaction between two people the member is not part of."""
    alice = factories.PersonFactory(full_name="Alice Stranger")
    bob = factories.PersonFactory(full_name="Bob Stranger")
    alice_login = factories.UserFactory(username="alice", person=alice)
    rel = factories.RelationshipFactory(
        person=alice, other=bob, declared_by=alice_login, private_note="alice-note-on-bob"
    )
    interaction = factories.InteractionFactory(
        people=[alice, bob], logged_by=alice_login, private_note="alice-interaction-note"
    )
    return {"alice": alice, "bob": bob, "relationship": rel, "interaction": interaction}


# ---- Every page needs a login ----


@pytest.mark.parametrize(
    "name, args",
    [
        ("people:home", []),
        ("people:directory", []),
        ("people:detail", [1]),
        ("people:create", []),
        ("people:edit", [1]),
        ("people:relationship_create", []),
        ("people:relationship_edit", [1]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_posting_pages_also_need_login(client):
    for name in ("people:relationship_delete", "people:skill_declare", "people:skill_endorse"):
        response = client.post(reverse(name, args=[1]))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


# ---- My network ----


def test_home_shows_my_ties_interactions_and_who_went_quiet(member_client, member, tie):
    quiet = factories.PersonFactory(full_name="Quentin Quiet")
    factories.InteractionFactory(
        people=[member.person, quiet],
        logged_by=member,
        occurred_at=timezone.now() - dt.timedelta(days=120),
    )
    factories.InteractionFactory(
        people=[member.person, tie.other], logged_by=member, private_note="recent-note"
    )
    response = member_client.get(reverse("people:home"))
    assert response.status_code == 200
    html = html_of(response)
    assert tie.other.full_name in html
    assert "mia-secret-about-oscar" in html and "recent-note" in html
    assert "Quentin Quiet" in html and "Gone quiet" in html
    assert reverse("interactions:create") in html
    assert reverse("people:relationship_create") in html


def test_home_explains_itself_to_a_viewer_without_a_person(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("people:home"))
    assert response.status_code == 200
    assert "not linked to a person" in html_of(response)
    assert reverse("people:directory") in html_of(response)


def test_home_does_not_show_other_peoples_ties(member_client, strangers_tie):
    html = html_of(member_client.get(reverse("people:home")))
    assert "Alice Stranger" not in html and "alice-note-on-bob" not in html


def test_home_has_no_n_plus_one(member_client, member, django_assert_max_num_queries):
    others = factories.PersonFactory.create_batch(30)
    for index, person in enumerate(others):
        factories.RelationshipFactory(person=member.person, other=person, declared_by=member)
        factories.InteractionFactory(
            people=[member.person, person, others[index - 1]],
            logged_by=member,
            occurred_at=timezone.now() - dt.timedelta(days=index * 5),
        )
    with django_assert_max_num_queries(11):
        response = member_client.get(reverse("people:home"))
    assert response.status_code == 200
    assert all(person.full_name in html_of(response) for person in others)


# ---- Directory ----


@pytest.fixture
def directory_people(db):
    ourco = Organization.objects.get_or_create(name="Ourco", defaults={"kind": "ours"})[0]
    globex = Organization.objects.create(name="Globex", kind="client")
    engineering = Team.objects.create(name="Engineering", organization=ourco)
    platform = Team.objects.create(name="Platform", organization=ourco, parent=engineering)
    python = Skill.objects.create(name="Python", slug="python")
    django_skill = Skill.objects.create(name="Django", slug="django", parent=python)
    ada = factories.PersonFactory(
        full_name="Ada Lovelace",
        title="Engine programmer",
        team=engineering,
        email="ada@ourco.example",
    )
    grace = factories.PersonFactory(
        full_name="Grace Hopper",
        title="Compiler author",
        team=platform,
        email="grace@ourco.example",
    )
    carl = factories.PersonFactory(
        full_name="Carl Client",
        title="Buyer",
        organization=globex,
        engagement_type=EngagementType.CLIENT,
        email="carl@globex.example",
    )
    PersonSkill.objects.create(person=ada, skill=python, level=4)
    PersonSkill.objects.create(person=grace, skill=django_skill, level=5)
    return {
        "ada": ada,
        "grace": grace,
        "carl": carl,
        "globex": globex,
        "engineering": engineering,
        "platform": platform,
        "python": python,
        "django": django_skill,
    }


def names_listed(response) -> set[str]:
    """The names in the directory's result rows."""
    return set(
        re.findall(
            r'<th scope="row" data-label="Name"><a href="[^"]+">([^<]+)</a>', html_of(response)
        )
    )


def directory(client, **params):
    return client.get(reverse("people:directory"), params)


def test_directory_lists_everyone_with_public_columns(member_client, directory_people):
    response = directory(member_client)
    assert response.status_code == 200
    html = html_of(response)
    grace = directory_people["grace"]
    assert reverse("people:detail", args=[grace.pk]) in html
    assert "Compiler author" in html and "Platform" in html and "Ourco" in html
    assert "grace@ourco.example" in html
    assert '<span class="badge badge--client">Client</span>' in html
    assert 'hx-get="/people/"' in html and 'hx-push-url="true"' in html


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "grace"}, {"Grace Hopper"}),
        ({"q": "compiler"}, {"Grace Hopper"}),
        ({"q": "carl@globex"}, {"Carl Client"}),
        ({"q": "python"}, {"Ada Lovelace"}),
        ({"q": "ada lovelace"}, {"Ada Lovelace"}),
        ({"engagement_type": "client"}, {"Carl Client"}),
    ],
)
def test_directory_search_and_engagement_filter(member_client, directory_people, params, expected):
    assert names_listed(directory(member_client, **params)) == expected


def test_directory_without_filters_lists_everyone(member_client, member, directory_people):
    assert names_listed(directory(member_client)) == {
        "Ada Lovelace",
        "Grace Hopper",
        "Carl Client",
        member.person.full_name,
    }


def test_directory_filters_by_organization_team_and_skill(member_client, directory_people):
    d = directory_people
    assert names_listed(directory(member_client, organization=d["globex"].pk)) == {"Carl Client"}
    # A team includes its sub-teams, a skill its narrower skills.
    assert names_listed(directory(member_client, team=d["engineering"].pk)) == {
        "Ada Lovelace",
        "Grace Hopper",
    }
    assert names_listed(directory(member_client, team=d["platform"].pk)) == {"Grace Hopper"}
    assert names_listed(directory(member_client, skill=d["python"].pk)) == {
        "Ada Lovelace",
        "Grace Hopper",
    }
    assert names_listed(directory(member_client, skill=d["django"].pk)) == {"Grace Hopper"}


def test_directory_filter_selects_offer_the_choices(member_client, directory_people):
    html = html_of(directory(member_client))
    assert '<label for="id_engagement_type">' in html
    assert '<option value="alumni">Alumni</option>' in html
    assert f'<option value="{directory_people["globex"].pk}">Globex</option>' in html
    assert (
        f'<option value="{directory_people["platform"].pk}">Engineering › Platform</option>' in html
    )
    assert f'<option value="{directory_people["django"].pk}">Python › Django</option>' in html


def test_directory_ignores_a_bad_filter_value_and_says_so(member_client, directory_people):
    response = directory(member_client, organization="999999", q="grace")
    assert response.status_code == 200
    assert names_listed(response) == {"Grace Hopper"}
    assert 'id="id_organization_error"' in html_of(response)


def test_htmx_request_gets_only_the_results_partial(member_client, directory_people):
    response = member_client.get(
        reverse("people:directory"), {"q": "grace"}, HTTP_HX_REQUEST="true"
    )
    html = html_of(response)
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert "Grace Hopper" in html and "Ada Lovelace" not in html
    assert 'id="directory-status"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(member_client, directory_people):
    response = member_client.get(
        reverse("people:directory"),
        {"q": "grace"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in html_of(response)


def test_directory_paginates_by_fifty(member_client, member):
    factories.PersonFactory.create_batch(55)
    first = directory(member_client)
    assert "56 people" in html_of(first) and "Page 1 of 2" in html_of(first)
    assert html_of(first).count('<th scope="row"') == 50
    second = directory(member_client, page=2)
    assert html_of(second).count('<th scope="row"') == 6


def test_directory_has_no_n_plus_one(member_client, member, django_assert_max_num_queries):
    people = factories.PersonFactory.create_batch(30)
    for person in people:
        factories.PersonSkillFactory(person=person)
    with django_assert_max_num_queries(10):
        response = directory(member_client)
    assert all(person.full_name in html_of(response) for person in people)
    with django_assert_max_num_queries(10):
        directory(member_client, q="person", HTTP_HX_REQUEST="true")


# ---- Profiles ----


def test_member_sees_public_profile_but_not_the_phone_of_others(member_client, other_member):
    oscar = other_member.person
    oscar.phone = "+44 20 5555 0101"
    oscar.bio = "Builds bridges."
    oscar.save()
    response = member_client.get(reverse("people:detail", args=[oscar.pk]))
    assert response.status_code == 200
    html = html_of(response)
    assert oscar.full_name in html and "Builds bridges." in html and oscar.primary_email in html
    assert "+44 20 5555 0101" not in html and "Private details" not in html
    assert reverse("people:edit", args=[oscar.pk]) not in html


def test_my_own_profile_shows_private_details_and_edit_link(member_client, member):
    member.person.phone = "+44 20 5555 0199"
    member.person.save()
    html = html_of(member_client.get(reverse("people:detail", args=[member.person_id])))
    assert "+44 20 5555 0199" in html
    assert reverse("people:edit", args=[member.person_id]) in html


def test_people_managers_see_private_details(client, analyst, other_member):
    other_member.person.phone = "+44 20 5555 0102"
    other_member.person.save()
    client.force_login(analyst)
    html = html_of(client.get(reverse("people:detail", args=[other_member.person_id])))
    assert "+44 20 5555 0102" in html
    assert reverse("people:edit", args=[other_member.person_id]) in html


def test_profile_of_a_missing_person_is_404(member_client):
    assert member_client.get(reverse("people:detail", args=[999999])).status_code == 404


def test_profile_shows_skills_with_level_and_endorsements(member_client, member, other_member):
    skill = factories.SkillFactory(name="Negotiation")
    PersonSkill.objects.create(person=other_member.person, skill=skill, level=3)
    PersonSkill.objects.create(
        person=other_member.person, skill=skill, level=4, endorsed_by=member.person
    )
    html = html_of(member_client.get(reverse("people:detail", args=[other_member.person_id])))
    assert "Negotiation" in html and "3/5" in html
    assert f"{member.person.full_name}</a> (4/5)" in html


def test_profile_shows_only_ties_and_interactions_the_viewer_shares(
    member_client, member, other_member, tie, strangers_tie
):
    shared = factories.InteractionFactory(
        people=[member.person, other_member.person], logged_by=member, private_note="shared-note"
    )
    oscar = html_of(member_client.get(reverse("people:detail", args=[other_member.person_id])))
    assert "mia-secret-about-oscar" in oscar and "shared-note" in oscar
    assert reverse("interactions:detail", args=[shared.pk]) in oscar

    alice = strangers_tie["alice"]
    html = html_of(member_client.get(reverse("people:detail", args=[alice.pk])))
    assert "Bob Stranger" not in html
    assert "alice-note-on-bob" not in html and "alice-interaction-note" not in html
    assert reverse("interactions:detail", args=[strangers_tie["interaction"].pk]) not in html
    assert "No relationships to show." in html and "No interactions to show." in html


def test_private_notes_are_shown_only_to_their_author(client, member, other_member, tie):
    factories.InteractionFactory(
        people=[member.person, other_member.person],
        logged_by=member,
        private_note="mia-interaction-note",
    )
    client.force_login(other_member)
    pages = [
        reverse("people:home"),
        reverse("people:detail", args=[member.person_id]),
        reverse("people:detail", args=[other_member.person_id]),
    ]
    for url in pages:
        html = html_of(client.get(url))
        assert member.person.full_name in html  # the tie and the interaction are visible…
        assert "mia-secret-about-oscar" not in html  # …their notes are not
        assert "mia-interaction-note" not in html


def test_admins_see_everyones_ties_but_not_their_notes(client, admin_user, strangers_tie):
    client.force_login(admin_user)
    html = html_of(client.get(reverse("people:detail", args=[strangers_tie["alice"].pk])))
    assert "Bob Stranger" in html
    assert "alice-note-on-bob" not in html and "alice-interaction-note" not in html


# ---- Adding and editing people ----


def person_data(**overrides):
    data = {
        "full_name": "Nia New",
        "title": "Designer",
        "engagement_type": EngagementType.CONTRACTOR,
        "time_zone": "Europe/Paris",
        "analytics_consent": "on",
        "emails": "nia@studio.example\nnia.new@ourco.example",
    }
    data.update(overrides)
    return data


def test_add_person_is_404_for_members(member_client):
    assert member_client.get(reverse("people:create")).status_code == 404
    assert member_client.post(reverse("people:create"), person_data()).status_code == 404
    assert not Person.objects.filter(full_name="Nia New").exists()


def test_analyst_adds_a_person_with_emails(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("people:create")).status_code == 200
    response = client.post(reverse("people:create"), person_data())
    nia = Person.objects.get(full_name="Nia New")
    assert response.status_code == 302 and response.url == reverse("people:detail", args=[nia.pk])
    assert nia.primary_email == "nia@studio.example"
    assert nia.emails.count() == 2 and nia.time_zone == "Europe/Paris"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"emails": "ok@example.org\nnot-an-address"}, "emails", "Not valid e-mail address"),
        (
            {"engagement_type": EngagementType.ALUMNI},
            "engagement_end",
            "give the end date",
        ),
        ({"full_name": ""}, "full_name", "This field is required"),
    ],
)
def test_add_person_rejects_bad_input_beside_the_field(client, analyst, overrides, field, message):
    client.force_login(analyst)
    before = Person.objects.count()
    response = client.post(reverse("people:create"), person_data(**overrides))
    assert response.status_code == 200
    html = html_of(response)
    assert f'id="id_{field}_error"' in html and message in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'aria-describedby="id_{field}_error"' in html
    )
    assert Person.objects.count() == before


def test_add_person_rejects_an_email_someone_else_has(client, analyst, other_member):
    client.force_login(analyst)
    before = (Person.objects.count(), PersonEmail.objects.count())
    response = client.post(
        reverse("people:create"), person_data(emails=other_member.person.primary_email)
    )
    assert response.status_code == 200
    assert "already belong(s) to someone else" in html_of(response)
    assert 'id="id_emails_error"' in html_of(response)
    assert (Person.objects.count(), PersonEmail.objects.count()) == before


def test_member_edits_own_public_details_only(member_client, member):
    url = reverse("people:edit", args=[member.person_id])
    html = html_of(member_client.get(url))
    assert 'name="title"' in html and 'name="phone"' in html
    assert 'name="engagement_type"' not in html and 'name="emails"' not in html
    response = member_client.post(
        url,
        {
            "full_name": "Mia Member",
            "title": "Lead",
            "phone": "123",
            "time_zone": "Europe/Lisbon",
            "analytics_consent": "",
        },
    )
    assert response.status_code == 302
    member.person.refresh_from_db()
    assert (member.person.full_name, member.person.title, member.person.analytics_consent) == (
        "Mia Member",
        "Lead",
        False,
    )
    assert member.person.engagement_type == EngagementType.EMPLOYEE_FULL_TIME


def test_member_cannot_edit_someone_else(member_client, other_member):
    url = reverse("people:edit", args=[other_member.person_id])
    assert member_client.get(url).status_code == 404
    assert member_client.post(url, {"full_name": "Hacked"}).status_code == 404
    other_member.person.refresh_from_db()
    assert other_member.person.full_name != "Hacked"


def test_analyst_edits_emails_and_engagement(client, analyst, other_member):
    client.force_login(analyst)
    person = other_member.person
    url = reverse("people:edit", args=[person.pk])
    form_html = html_of(client.get(url))
    assert person.primary_email in form_html
    response = client.post(
        url,
        person_data(
            full_name=person.full_name,
            engagement_type=EngagementType.ALUMNI,
            engagement_end="2024-01-31",
            emails="oscar@new.example",
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.engagement_type == EngagementType.ALUMNI
    assert person.primary_email == "oscar@new.example"


def test_edit_with_an_alumnus_lacking_an_end_date_saves_nothing(client, analyst, other_member):
    client.force_login(analyst)
    person = other_member.person
    response = client.post(
        reverse("people:edit", args=[person.pk]),
        person_data(full_name="Renamed", engagement_type=EngagementType.ALUMNI),
    )
    assert response.status_code == 200 and "give the end date" in html_of(response)
    person.refresh_from_db()
    assert person.full_name != "Renamed" and person.engagement_type != EngagementType.ALUMNI


# ---- Relationships ----


def test_declare_relationship_form_preselects_the_person(member_client, other_member):
    response = member_client.get(
        reverse("people:relationship_create") + f"?with={other_member.person_id}"
    )
    assert response.status_code == 200
    assert f'<option value="{other_member.person_id}" selected>' in html_of(response)


def test_declare_a_relationship(member_client, member, other_member):
    response = member_client.post(
        reverse("people:relationship_create"),
        {
            "other": other_member.person_id,
            "context": "mentor",
            "closeness": "5",
            "private_note": "met at the summit",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[other_member.person_id])
    rel = Relationship.objects.get()
    assert (rel.person, rel.other, rel.declared_by, rel.closeness) == (
        member.person,
        other_member.person,
        member,
        5,
    )


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"closeness": "9"}, "closeness", "from 1 (acquaintance) to 5"),
        ({"since": "2999-01-01"}, "since", "cannot start in the future"),
        ({"other": "999999"}, "other", "Select a valid choice"),
    ],
)
def test_declare_relationship_rejects_bad_input(member_client, other_member, data, field, message):
    post = {"other": other_member.person_id, "context": "colleague", "closeness": "3", **data}
    response = member_client.post(reverse("people:relationship_create"), post)
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html_of(response) and message in html_of(response)
    assert Relationship.objects.count() == 0


def test_declaring_the_same_tie_twice_is_refused_beside_the_person(member_client, tie):
    response = member_client.post(
        reverse("people:relationship_create"),
        {"other": tie.other_id, "context": "friend", "closeness": "2"},
    )
    assert response.status_code == 200
    assert 'id="id_other_error"' in html_of(response) and "edit it instead" in html_of(response)
    assert Relationship.objects.count() == 1


def test_analyst_declares_a_tie_between_two_people(client, analyst, member, other_member):
    client.force_login(analyst)
    assert 'name="person"' in html_of(client.get(reverse("people:relationship_create")))
    response = client.post(
        reverse("people:relationship_create"),
        {
            "person": member.person_id,
            "other": other_member.person_id,
            "context": "colleague",
            "closeness": "2",
        },
    )
    assert response.status_code == 302
    assert Relationship.objects.get().declared_by == analyst


def test_edit_and_delete_my_relationship(member_client, tie):
    url = reverse("people:relationship_edit", args=[tie.pk])
    assert "mia-secret-about-oscar" in html_of(member_client.get(url))
    response = member_client.post(
        url, {"context": "friend", "closeness": "5", "private_note": "updated"}
    )
    assert response.status_code == 302
    tie.refresh_from_db()
    assert (tie.context, tie.closeness, tie.private_note) == ("friend", 5, "updated")

    delete_url = reverse("people:relationship_delete", args=[tie.pk])
    assert member_client.get(delete_url).status_code == 405
    assert member_client.post(delete_url).status_code == 302
    assert not Relationship.objects.exists()


def test_edit_relationship_rejects_bad_closeness(member_client, tie):
    response = member_client.post(
        reverse("people:relationship_edit", args=[tie.pk]), {"context": "friend", "closeness": "9"}
    )
    assert response.status_code == 200 and 'id="id_closeness_error"' in html_of(response)
    tie.refresh_from_db()
    assert tie.closeness == 4


def test_other_peoples_relationships_are_404_like_missing_ones(
    member_client, client, other_member, tie, strangers_tie
):
    theirs = strangers_tie["relationship"]
    for url in (
        reverse("people:relationship_edit", args=[theirs.pk]),
        reverse("people:relationship_edit", args=[999999]),
    ):
        assert member_client.get(url).status_code == 404
    assert (
        member_client.post(reverse("people:relationship_delete", args=[theirs.pk])).status_code
        == 404
    )
    # Oscar is part of Mia's tie but did not declare it: he may not change it either.
    client.force_login(other_member)
    assert client.get(reverse("people:relationship_edit", args=[tie.pk])).status_code == 404
    assert Relationship.objects.count() == 2


# ---- Skills ----


def test_declare_my_skill_and_endorse_someone_elses(member_client, member, other_member):
    skill = factories.SkillFactory(name="Facilitation")
    response = member_client.post(
        reverse("people:skill_declare", args=[member.person_id]),
        {"declare-skill": skill.pk, "declare-level": "4"},
    )
    assert response.status_code == 302
    assert PersonSkill.objects.get(person=member.person, endorsed_by=None).level == 4

    response = member_client.post(
        reverse("people:skill_endorse", args=[other_member.person_id]),
        {"endorse-skill": skill.pk, "endorse-level": "3"},
    )
    assert response.status_code == 302
    assert PersonSkill.objects.get(person=other_member.person).endorsed_by == member.person


def test_skill_forms_appear_where_they_apply(member_client, member, other_member):
    mine = html_of(member_client.get(reverse("people:detail", args=[member.person_id])))
    theirs = html_of(member_client.get(reverse("people:detail", args=[other_member.person_id])))
    assert "Declare a skill" in mine and "Endorse " not in mine
    assert "Endorse " in theirs and "Declare a skill" not in theirs


def test_bad_skill_level_is_shown_beside_the_field(member_client, member):
    skill = factories.SkillFactory()
    response = member_client.post(
        reverse("people:skill_declare", args=[member.person_id]),
        {"declare-skill": skill.pk, "declare-level": "9"},
    )
    assert response.status_code == 200
    assert 'id="id_declare-level_error"' in html_of(response)
    assert not PersonSkill.objects.exists()


def test_members_cannot_declare_skills_for_others(member_client, other_member):
    skill = factories.SkillFactory()
    response = member_client.post(
        reverse("people:skill_declare", args=[other_member.person_id]),
        {"declare-skill": skill.pk, "declare-level": "4"},
    )
    assert response.status_code == 404
    assert not PersonSkill.objects.exists()
