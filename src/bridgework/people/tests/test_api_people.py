"""The people API: directory, profiles, adding and editing people, reference data."""

import datetime as dt

import pytest

from bridgework import factories
from bridgework.accounts.services import api_token_create
from bridgework.people.models import EngagementType, Organization, Person, PersonSkill

pytestmark = pytest.mark.django_db

PRIVATE_FIELDS = ("phone", "engagement_start", "engagement_end", "analytics_consent")


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def post(client, url, data, user):
    return client.post(url, data, content_type="application/json", headers=bearer(user))


def patch(client, url, data, user):
    return client.patch(url, data, content_type="application/json", headers=bearer(user))


# Directory ------------------------------------------------------------------------


def test_directory_is_paginated(client, member):
    factories.PersonFactory.create_batch(6)  # 7 people with the member's own

    first = client.get("/api/people/?page_size=3", headers=bearer(member)).json()
    last = client.get("/api/people/?page_size=3&page=3", headers=bearer(member)).json()
    beyond = client.get("/api/people/?page_size=3&page=4", headers=bearer(member)).json()

    assert set(first) == {"items", "count"}
    assert first["count"] == last["count"] == 7
    assert len(first["items"]) == 3
    assert len(last["items"]) == 1
    assert beyond["items"] == []
    everyone = [
        p["id"]
        for page in (1, 2, 3)
        for p in client.get(f"/api/people/?page_size=3&page={page}", headers=bearer(member)).json()[
            "items"
        ]
    ]
    assert sorted(everyone) == sorted(Person.objects.values_list("id", flat=True))


def test_directory_default_and_maximum_page_size(client, member):
    factories.PersonFactory.create_batch(60)

    default = client.get("/api/people/", headers=bearer(member)).json()
    huge = client.get("/api/people/?page_size=100000", headers=bearer(member)).json()

    assert default["count"] == 61 and len(default["items"]) == 50
    assert len(huge["items"]) == 61


def test_directory_rejects_page_zero(client, member):
    response = client.get("/api/people/?page=0", headers=bearer(member))

    assert response.status_code == 422
    assert "page" in response.json()["errors"]


def test_directory_shows_public_fields_only(client, member, other_member):
    other_member.person.phone = "+44 20 7946 0000"
    other_member.person.save()

    items = client.get("/api/people/", headers=bearer(member)).json()["items"]

    row = next(p for p in items if p["id"] == other_member.person_id)
    assert row["full_name"] == other_member.person.full_name
    assert row["primary_email"] == other_member.person.primary_email
    assert row["organization"] == {"id": other_member.person.organization_id, "name": "Ourco"}
    for field in PRIVATE_FIELDS:
        assert field not in row


def _ids(client, user, query):
    body = client.get(f"/api/people/?{query}", headers=bearer(user)).json()
    assert body["count"] == len(body["items"])
    return {p["id"] for p in body["items"]}


def test_directory_filters(client, member):
    acme = factories.OrganizationFactory(name="Acme")
    division = factories.TeamFactory(name="Research")
    lab = factories.TeamFactory(name="Lab", parent=division, organization=division.organization)
    data = factories.SkillFactory(name="Data")
    sql = factories.SkillFactory(name="SQL", parent=data)
    researcher = factories.PersonFactory(full_name="Rita Research", team=division)
    lab_rat = factories.PersonFactory(full_name="Lars Lab", team=lab)
    client_contact = factories.PersonFactory(
        full_name="Carla Client", organization=acme, engagement_type=EngagementType.CLIENT
    )
    factories.PersonSkillFactory(person=lab_rat, skill=sql)

    assert _ids(client, member, "q=carla") == {client_contact.pk}
    assert _ids(client, member, "q=lars+lab") == {lab_rat.pk}
    assert _ids(client, member, "engagement_type=client") == {client_contact.pk}
    assert _ids(client, member, f"organization={acme.pk}") == {client_contact.pk}
    assert _ids(client, member, f"team={division.pk}") == {researcher.pk, lab_rat.pk}
    assert _ids(client, member, f"team={lab.pk}") == {lab_rat.pk}
    assert _ids(client, member, f"skill={data.pk}") == {lab_rat.pk}
    assert _ids(client, member, f"team={division.pk}&q=rita") == {researcher.pk}


def test_directory_rejects_an_unknown_engagement_type(client, member):
    response = client.get("/api/people/?engagement_type=astronaut", headers=bearer(member))

    assert response.status_code == 422
    assert "engagement_type" in response.json()["errors"]


def test_directory_query_count_does_not_grow_with_people(
    client, member, django_assert_max_num_queries
):
    teams = factories.TeamFactory.create_batch(3)
    for i in range(40):
        person = factories.PersonFactory(team=teams[i % 3])
        factories.PersonSkillFactory(person=person)
    headers = bearer(member)

    # token, token last-used, roles (who sees private contacts), count, page,
    # e-mails: the same for 4 people or 4,000
    with django_assert_max_num_queries(6):
        response = client.get("/api/people/?page_size=200", headers=headers)

    assert len(response.json()["items"]) == 41


# Profiles --------------------------------------------------------------------------


def _set_private(person):
    person.phone = "+44 20 7946 0001"
    person.engagement_start = dt.date(2020, 1, 6)
    person.analytics_consent = False
    person.save()


def test_member_sees_only_public_fields_of_others(client, member, other_member):
    _set_private(other_member.person)

    body = client.get(f"/api/people/{other_member.person_id}", headers=bearer(member)).json()

    assert body["full_name"] == other_member.person.full_name
    for field in PRIVATE_FIELDS:
        assert body[field] is None


def test_member_sees_own_private_fields(client, member):
    _set_private(member.person)

    body = client.get(f"/api/people/{member.person_id}", headers=bearer(member)).json()

    assert body["phone"] == "+44 20 7946 0001"
    assert body["engagement_start"] == "2020-01-06"
    assert body["analytics_consent"] is False


def test_people_manager_sees_private_fields(client, analyst, other_member):
    _set_private(other_member.person)

    body = client.get(f"/api/people/{other_member.person_id}", headers=bearer(analyst)).json()

    assert body["phone"] == "+44 20 7946 0001"
    assert body["analytics_consent"] is False


def test_unknown_person_is_404(client, member):
    response = client.get("/api/people/999999", headers=bearer(member))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_person_skills(client, member, other_member):
    skill = factories.SkillFactory(name="Negotiation")
    factories.PersonSkillFactory(person=other_member.person, skill=skill, level=4)
    PersonSkill.objects.create(
        person=other_member.person, skill=skill, level=5, endorsed_by=member.person
    )

    response = client.get(f"/api/people/{other_member.person_id}/skills", headers=bearer(member))

    assert response.status_code == 200
    assert response.json() == [
        {
            "skill": {"id": skill.pk, "name": "Negotiation", "slug": skill.slug},
            "level": 4,
            "endorsements": [
                {"by": {"id": member.person_id, "full_name": member.person.full_name}, "level": 5}
            ],
        }
    ]
    assert client.get("/api/people/999999/skills", headers=bearer(member)).status_code == 404


# Adding people ---------------------------------------------------------------------


def test_member_cannot_add_people(client, member):
    before = Person.objects.count()

    response = post(client, "/api/people/", {"full_name": "Nina New"}, member)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert Person.objects.count() == before


def test_analyst_adds_a_person(client, analyst):
    team = factories.TeamFactory()
    manager = factories.PersonFactory()

    response = post(
        client,
        "/api/people/",
        {
            "full_name": "  Nina New ",
            "emails": ["Nina@Ourco.example", "nina.new@home.example"],
            "organization": team.organization_id,
            "team": team.pk,
            "manager": manager.pk,
            "level": 2,
            "engagement_type": "contractor",
            "engagement_start": "2024-02-01",
            "phone": "+1 555 0100",
        },
        analyst,
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.full_name == "Nina New"
    assert person.team == team and person.manager == manager
    assert person.engagement_type == EngagementType.CONTRACTOR
    assert body["primary_email"] == "nina@ourco.example"
    assert body["manager"] == {"id": manager.pk, "full_name": manager.full_name}
    assert body["phone"] == "+1 555 0100"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"emails": ["not-an-address"]}, "emails"),
        ({"emails": ["taken@ourco.example"]}, "emails"),
        ({"team": 999999}, "team"),
        ({"organization": 999999}, "organization"),
        ({"manager": 999999}, "manager"),
        ({"level": 7}, "level"),
        ({"engagement_type": "astronaut"}, "engagement_type"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"engagement_type": "alumni"}, "engagement_end"),
        ({"full_name": ""}, "full_name"),
        ({"favourite_colour": "teal"}, "favourite_colour"),
    ],
)
def test_adding_a_person_with_bad_input_is_422_and_saves_nothing(client, analyst, payload, field):
    factories.PersonFactory(email="taken@ourco.example")
    before = Person.objects.count()

    response = post(client, "/api/people/", {"full_name": "Nina New", **payload}, analyst)

    assert response.status_code == 422
    body = response.json()
    assert field in body["errors"], body
    assert body["detail"]
    assert Person.objects.count() == before


def test_employee_in_a_team_of_another_organization_is_422(client, analyst):
    team = factories.TeamFactory()
    elsewhere = factories.OrganizationFactory(name="Elsewhere", kind=Organization.Kind.PARTNER)

    response = post(
        client,
        "/api/people/",
        {
            "full_name": "Nina",
            "organization": elsewhere.pk,
            "team": team.pk,
            "engagement_type": "employee_ft",
        },
        analyst,
    )

    assert response.status_code == 422
    assert "team" in response.json()["errors"]


# Editing people -------------------------------------------------------------------


def test_member_edits_own_public_details(client, member):
    response = patch(
        client,
        f"/api/people/{member.person_id}",
        {"title": "Lead analyst", "bio": "Hello", "analytics_consent": False},
        member,
    )

    assert response.status_code == 200
    member.person.refresh_from_db()
    assert member.person.title == "Lead analyst"
    assert member.person.bio == "Hello"
    assert member.person.analytics_consent is False
    assert response.json()["title"] == "Lead analyst"


def test_member_cannot_change_fields_reserved_for_managers(client, member):
    team = factories.TeamFactory()

    response = patch(
        client,
        f"/api/people/{member.person_id}",
        {"title": "Boss", "team": team.pk, "engagement_type": "contractor"},
        member,
    )

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"team", "engagement_type"}
    member.person.refresh_from_db()
    assert member.person.title == "Analyst" and member.person.team is None


def test_member_cannot_edit_someone_else(client, member, other_member):
    response = patch(client, f"/api/people/{other_member.person_id}", {"title": "Hacked"}, member)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    other_member.person.refresh_from_db()
    assert other_member.person.title != "Hacked"


def test_analyst_edits_anyone_including_foreign_keys(client, analyst, other_member):
    team = factories.TeamFactory()

    response = patch(
        client,
        f"/api/people/{other_member.person_id}",
        {"team": team.pk, "emails": ["oscar@ourco.example"], "manager": None},
        analyst,
    )

    assert response.status_code == 200, response.json()
    other_member.person.refresh_from_db()
    assert other_member.person.team == team
    assert other_member.person.primary_email == "oscar@ourco.example"


def test_edit_with_unknown_team_is_422(client, analyst, other_member):
    response = patch(client, f"/api/people/{other_member.person_id}", {"team": 999999}, analyst)

    assert response.status_code == 422
    assert "team" in response.json()["errors"]


def test_edit_with_invalid_email_is_422(client, member):
    response = patch(client, f"/api/people/{member.person_id}", {"emails": ["nope"]}, member)

    assert response.status_code == 422
    assert "emails" in response.json()["errors"]


# Reference data --------------------------------------------------------------------


def test_reference_lists(client, member):
    org = factories.OrganizationFactory(name="Acme", kind=Organization.Kind.CLIENT)
    org.email_domains = "acme.example, acme.test"
    org.save()
    parent = factories.TeamFactory(name="Research", lead=member.person)
    factories.TeamFactory(name="Lab", parent=parent, organization=parent.organization)
    data = factories.SkillFactory(name="Data", slug="data")
    factories.SkillFactory(name="SQL", slug="sql", parent=data)

    orgs = client.get("/api/organizations/", headers=bearer(member)).json()
    teams = client.get("/api/teams/", headers=bearer(member)).json()
    skills = client.get("/api/skills/", headers=bearer(member)).json()

    acme = next(o for o in orgs["items"] if o["name"] == "Acme")
    assert acme["kind"] == "client" and acme["email_domains"] == ["acme.example", "acme.test"]
    assert teams["count"] == 2
    research = next(t for t in teams["items"] if t["name"] == "Research")
    assert research["lead"] == {"id": member.person_id, "full_name": member.person.full_name}
    lab = next(t for t in teams["items"] if t["name"] == "Lab")
    assert lab["parent_id"] == parent.pk
    assert [s["slug"] for s in skills["items"]] == ["data", "sql"]
    assert skills["items"][1]["parent_id"] == data.pk


def test_team_list_query_count_is_bounded(client, member, django_assert_max_num_queries):
    for _ in range(20):
        factories.TeamFactory(lead=factories.PersonFactory())
    headers = bearer(member)

    # token, token last-used, count, page (organization, parent and lead joined)
    with django_assert_max_num_queries(4):
        response = client.get("/api/teams/", headers=headers)

    assert response.json()["count"] == 20
