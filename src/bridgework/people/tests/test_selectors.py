"""People selectors: the directory, access by viewer, relationships and private notes."""

import pytest
from django.contrib.auth.models import AnonymousUser

from bridgework import factories
from bridgework.accounts.models import AuditEntry, Role
from bridgework.core.errors import NotFoundError
from bridgework.people import selectors, services
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


# --- the directory --------------------------------------------------------------


@pytest.fixture
def network(db):
    """A small directory, built by hand so every expected search result is obvious.

    Ourco: Engineering > Platform > Infra.  Contoso Ltd is a client.
    Skills: Programming > Python > Django; Cooking.
    """
    ourco = Organization.objects.create(name="Ourco", kind=Organization.Kind.OURS)
    contoso = Organization.objects.create(name="Contoso Ltd", kind=Organization.Kind.CLIENT)
    eng = Team.objects.create(name="Engineering", organization=ourco)
    platform = Team.objects.create(name="Platform", organization=ourco, parent=eng)
    infra = Team.objects.create(name="Infra", organization=ourco, parent=platform)
    sales = Team.objects.create(name="Sales", organization=ourco)
    programming = Skill.objects.create(name="Programming", slug="programming")
    python = Skill.objects.create(name="Python", slug="python", parent=programming)
    django = Skill.objects.create(name="Django", slug="django", parent=python)
    cooking = Skill.objects.create(name="Cooking", slug="cooking")

    def person(name, email, **fields):
        p = Person.objects.create(full_name=name, **fields)
        PersonEmail.objects.create(person=p, address=email, is_primary=True)
        return p

    people = {
        "greta": person(
            "Greta Lind",
            "g.lind@c-ltd.example",
            title="Buyer",
            organization=contoso,
            engagement_type=EngagementType.CLIENT,
        ),
        "hal": person(
            "Hal Berg",
            "hal@ourco.example",
            title="Engineer",
            organization=ourco,
            team=platform,
            engagement_type=EngagementType.EMPLOYEE_FULL_TIME,
        ),
        "ines": person(
            "Ines Moreau",
            "ines@ourco.example",
            title="Designer",
            organization=ourco,
            team=eng,
            engagement_type=EngagementType.CONTRACTOR,
        ),
        "jon": person(
            "Jon Park",
            "jon@freemail.example",
            title="Teacher",
            organization=None,
            engagement_type=EngagementType.EXTERNAL,
        ),
        "kai": person(
            "Kai Data",
            "kai.data@ourco.example",
            title="Data lead",
            organization=ourco,
            team=infra,
            engagement_type=EngagementType.EMPLOYEE_PART_TIME,
        ),
        "lea": person(
            "Lea Roux",
            "lea@ourco.example",
            title="Account manager",
            organization=ourco,
            team=sales,
            engagement_type=EngagementType.EMPLOYEE_FULL_TIME,
        ),
    }
    PersonEmail.objects.create(person=people["kai"], address="data.kai@home.example")
    PersonSkill.objects.create(person=people["ines"], skill=python, level=4)
    PersonSkill.objects.create(person=people["jon"], skill=programming, level=2)
    PersonSkill.objects.create(person=people["kai"], skill=django, level=5)
    PersonSkill.objects.create(person=people["lea"], skill=cooking, level=3)
    # Kai's Django is endorsed twice: still one directory row.
    PersonSkill.objects.create(
        person=people["kai"], skill=django, level=4, endorsed_by=people["hal"]
    )
    PersonSkill.objects.create(
        person=people["kai"], skill=django, level=4, endorsed_by=people["lea"]
    )
    viewer = factories.UserFactory(username="viewer", person=people["lea"], roles=[Role.MEMBER])
    return {
        "people": people,
        "viewer": viewer,
        "orgs": {"ourco": ourco, "contoso": contoso},
        "teams": {"eng": eng, "platform": platform, "infra": infra, "sales": sales},
        "skills": {"programming": programming, "python": python, "django": django},
    }


def names(people) -> list[str]:
    return [p.full_name for p in people]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Greta Lind", "Hal Berg", "Ines Moreau", "Jon Park", "Kai Data", "Lea Roux"]),
        ("greta", ["Greta Lind"]),  # name
        ("BUYER", ["Greta Lind"]),  # title, any case
        ("freemail", ["Jon Park"]),  # e-mail address
        ("contoso", ["Greta Lind"]),  # organization
        ("platform", ["Hal Berg"]),  # team
        ("python", ["Ines Moreau"]),  # skill
        ("engineer", ["Hal Berg", "Ines Moreau"]),  # Hal's title, Ines's team
        ("hal engineer", ["Hal Berg"]),  # every term must match
        ("data", ["Kai Data"]),  # name, title and two e-mails: one row
        ("django", ["Kai Data"]),  # self-declared and endorsed twice: one row
        ("nobody-matches", []),
    ],
)
def test_directory_search(network, query, expected):
    assert names(selectors.person_directory(viewer=network["viewer"], query=query)) == expected


def test_directory_filters(network):
    viewer, orgs, teams = network["viewer"], network["orgs"], network["teams"]

    def find(**filters):
        return names(selectors.person_directory(viewer=viewer, **filters))

    assert find(engagement_type=EngagementType.EMPLOYEE_FULL_TIME) == ["Hal Berg", "Lea Roux"]
    assert find(organization_id=orgs["contoso"].pk) == ["Greta Lind"]
    assert find(team_id=teams["eng"].pk) == ["Hal Berg", "Ines Moreau", "Kai Data"]
    assert find(team_id=teams["platform"].pk) == ["Hal Berg", "Kai Data"]
    assert find(team_id=teams["infra"].pk) == ["Kai Data"]
    assert find(team_id=teams["sales"].pk, query="lea") == ["Lea Roux"]
    assert find(team_id=teams["eng"].pk, engagement_type=EngagementType.CONTRACTOR) == [
        "Ines Moreau"
    ]


def test_directory_skill_filter_includes_child_skills(network):
    viewer, skills = network["viewer"], network["skills"]

    def find(**filters):
        return names(selectors.person_directory(viewer=viewer, **filters))

    assert find(skill_id=skills["programming"].pk) == ["Ines Moreau", "Jon Park", "Kai Data"]
    assert find(skill_id=skills["python"].pk) == ["Ines Moreau", "Kai Data"]
    assert find(skill_id=skills["django"].pk) == ["Kai Data"]
    assert find(skill_id=skills["programming"].pk, query="data") == ["Kai Data"]


def test_directory_needs_a_signed_in_active_viewer(network):
    with pytest.raises(NotFoundError):
        list(selectors.person_directory(viewer=AnonymousUser()))
    viewer = network["viewer"]
    viewer.is_active = False
    with pytest.raises(NotFoundError):
        selectors.person_directory(viewer=viewer)


# --- access_person --------------------------------------------------------------


def test_access_person(member, other_member):
    assert selectors.access_person(viewer=member, person_id=other_member.person_id) == (
        other_member.person
    )


@pytest.mark.parametrize("person_id", [10**9, "abc", None])
def test_access_person_missing_is_not_found(member, person_id):
    with pytest.raises(NotFoundError):
        selectors.access_person(viewer=member, person_id=person_id)


def test_access_person_anonymous_is_not_found(member):
    with pytest.raises(NotFoundError):
        selectors.access_person(viewer=AnonymousUser(), person_id=member.person_id)


def test_access_person_for_edit(member, other_member, analyst):
    assert selectors.access_person_for_edit(viewer=member, person_id=member.person_id)
    assert selectors.access_person_for_edit(viewer=analyst, person_id=member.person_id)
    with pytest.raises(NotFoundError):
        selectors.access_person_for_edit(viewer=member, person_id=other_member.person_id)


def test_person_skills_groups_declaration_and_endorsements(member, other_member):
    go = Skill.objects.create(name="Go", slug="go")
    art = Skill.objects.create(name="Art", slug="art")
    third = factories.PersonFactory(full_name="Zoe")
    person = other_member.person
    PersonSkill.objects.create(person=person, skill=go, level=3)
    PersonSkill.objects.create(person=person, skill=go, level=4, endorsed_by=member.person)
    PersonSkill.objects.create(person=person, skill=art, level=2, endorsed_by=third)
    rows = selectors.person_skills(viewer=member, person_id=person.pk)
    assert rows == [
        {"skill": art, "level": None, "endorsements": [{"by": third, "level": 2}]},
        {"skill": go, "level": 3, "endorsements": [{"by": member.person, "level": 4}]},
    ]


# --- relationships --------------------------------------------------------------


@pytest.fixture
def ties(member, other_member, admin_user):
    """mia–oscar (by mia), oscar–pat (by oscar), pat–quinn (by an analyst), ada–mia (by ada)."""
    mia, oscar, ada = member.person, other_member.person, admin_user.person
    pat = factories.UserFactory(username="pat").person
    quinn = factories.PersonFactory(full_name="Quinn")
    analyst = factories.UserFactory(username="ann", person=None, roles=[Role.PEOPLE_ANALYST])
    return {
        "mia_oscar": services.relationship_declare(
            actor=member, person=mia, other=oscar, closeness=3, private_note="mia's note"
        ),
        "oscar_pat": services.relationship_declare(
            actor=other_member, person=oscar, other=pat, closeness=2
        ),
        "pat_quinn": services.relationship_declare(
            actor=analyst, person=pat, other=quinn, closeness=1, private_note="ann's note"
        ),
        "ada_mia": services.relationship_declare(
            actor=admin_user, person=ada, other=mia, closeness=4
        ),
        "pat": pat,
        "quinn": quinn,
        "analyst": analyst,
    }


def pks(rels) -> set[int]:
    return {r.pk for r in rels}


def test_member_sees_own_relationships_only(member, other_member, ties):
    assert pks(selectors.relationship_list(viewer=member)) == {
        ties["mia_oscar"].pk,
        ties["ada_mia"].pk,
    }
    assert pks(selectors.relationship_list(viewer=other_member)) == {
        ties["mia_oscar"].pk,
        ties["oscar_pat"].pk,
    }


def test_member_asking_about_someone_sees_only_shared(member, other_member, ties):
    about_oscar = selectors.relationship_list(viewer=member, person_id=other_member.person_id)
    assert pks(about_oscar) == {ties["mia_oscar"].pk}
    about_pat = selectors.relationship_list(viewer=member, person_id=ties["pat"].pk)
    assert pks(about_pat) == set()
    about_self = selectors.relationship_list(viewer=member, person_id=member.person_id)
    assert pks(about_self) == {ties["mia_oscar"].pk, ties["ada_mia"].pk}
    assert not AuditEntry.objects.filter(action="view").exists()


def test_user_without_person_sees_only_what_they_declared(ties):
    loner = factories.UserFactory(username="loner", person=None, roles=[Role.MEMBER])
    assert pks(selectors.relationship_list(viewer=loner)) == set()
    assert pks(selectors.relationship_list(viewer=ties["analyst"])) == {ties["pat_quinn"].pk}


def test_admin_sees_all_and_looking_at_others_is_audited(admin_user, member, ties):
    every = {ties[k].pk for k in ("mia_oscar", "oscar_pat", "pat_quinn", "ada_mia")}
    assert pks(selectors.relationship_list(viewer=admin_user)) == every
    assert not AuditEntry.objects.filter(action="view").exists()

    own = selectors.relationship_list(viewer=admin_user, person_id=admin_user.person_id)
    assert pks(own) == {ties["ada_mia"].pk}
    assert not AuditEntry.objects.filter(action="view").exists()

    about_pat = selectors.relationship_list(viewer=admin_user, person_id=ties["pat"].pk)
    assert pks(about_pat) == {ties["oscar_pat"].pk, ties["pat_quinn"].pk}
    [entry] = AuditEntry.objects.filter(action="view")
    assert (entry.actor, entry.object_type, entry.subject_person_id) == (
        admin_user,
        "relationships",
        ties["pat"].pk,
    )


def test_relationship_list_anonymous(ties):
    with pytest.raises(NotFoundError):
        selectors.relationship_list(viewer=AnonymousUser())


def test_access_relationship_view_and_edit(member, other_member, admin_user, ties):
    rel = ties["mia_oscar"]
    assert selectors.access_relationship(viewer=member, relationship_id=rel.pk, for_edit=True)
    assert selectors.access_relationship(viewer=other_member, relationship_id=rel.pk) == rel
    with pytest.raises(NotFoundError):
        selectors.access_relationship(viewer=other_member, relationship_id=rel.pk, for_edit=True)
    assert selectors.access_relationship(viewer=admin_user, relationship_id=rel.pk, for_edit=True)


def test_access_relationship_not_part_of_it_or_missing(member, ties):
    for rel_id in (ties["oscar_pat"].pk, ties["pat_quinn"].pk, 10**9, "x"):
        with pytest.raises(NotFoundError):
            selectors.access_relationship(viewer=member, relationship_id=rel_id)


def test_analyst_reaches_the_tie_they_declared_between_others(ties):
    rel = ties["pat_quinn"]
    found = selectors.access_relationship(
        viewer=ties["analyst"], relationship_id=rel.pk, for_edit=True
    )
    assert found == rel
    with pytest.raises(NotFoundError):
        selectors.access_relationship(viewer=ties["analyst"], relationship_id=ties["oscar_pat"].pk)


def test_visible_note_only_for_its_author(member, other_member, admin_user, ties):
    rel = ties["mia_oscar"]
    assert selectors.visible_note(viewer=member, obj=rel) == "mia's note"
    assert selectors.visible_note(viewer=other_member, obj=rel) is None
    assert selectors.visible_note(viewer=admin_user, obj=rel) is None
    assert selectors.visible_note(viewer=AnonymousUser(), obj=rel) is None
    assert selectors.visible_note(viewer=ties["analyst"], obj=ties["pat_quinn"]) == "ann's note"


def test_visible_note_when_the_author_is_gone(member, ties):
    rel = ties["mia_oscar"]
    Relationship.objects.filter(pk=rel.pk).update(declared_by=None)
    rel.refresh_from_db()
    assert selectors.visible_note(viewer=member, obj=rel) is None
    assert selectors.visible_note(viewer=AnonymousUser(), obj=rel) is None


def test_relationship_list_query_count(member, ties, django_assert_num_queries):
    assert member.roles  # roles are cached per user: load them before counting
    with django_assert_num_queries(1):
        rels = list(selectors.relationship_list(viewer=member))
        assert {r.counterpart_of(member.person_id).full_name for r in rels}
