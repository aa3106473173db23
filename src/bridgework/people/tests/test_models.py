"""Invariants of the people models: clean() errors and the database constraints behind them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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

# full_clean() checks the database constraints too, so every test needs the database.
pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)


def errors_of(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.message_dict


@pytest.fixture
def ourco(db):
    return Organization.objects.create(name="Ourco", kind=Organization.Kind.OURS)


@pytest.fixture
def client_org(db):
    return Organization.objects.create(name="Clientco", kind=Organization.Kind.CLIENT)


# --- Organization ---------------------------------------------------------------


def test_organization_str_kind_and_domains():
    org = Organization(
        name="Ourco",
        kind=Organization.Kind.OURS,
        email_domains=" Ourco.example, ,mail.OURCO.example ",
    )
    assert str(org) == "Ourco"
    assert org.is_ours
    assert org.domain_list == ["ourco.example", "mail.ourco.example"]
    assert not Organization(name="X", kind=Organization.Kind.CLIENT).is_ours
    assert Organization(name="X").domain_list == []


def test_organizations_ordered_by_name():
    for name in ["Zeta", "Alpha", "Mu"]:
        Organization.objects.create(name=name)
    assert list(Organization.objects.values_list("name", flat=True)) == ["Alpha", "Mu", "Zeta"]


# --- Person ---------------------------------------------------------------------


def test_person_valid_minimal():
    Person(full_name="Ada Lovelace").full_clean()


def test_alumnus_needs_an_end_date():
    person = Person(full_name="Al", engagement_type=EngagementType.ALUMNI)
    assert set(errors_of(person)) == {"engagement_end"}


def test_alumnus_end_date_cannot_be_in_the_future():
    person = Person(full_name="Al", engagement_type=EngagementType.ALUMNI, engagement_end=TOMORROW)
    assert set(errors_of(person)) == {"engagement_end"}


def test_alumnus_with_past_end_date_is_valid():
    person = Person(
        full_name="Al",
        engagement_type=EngagementType.ALUMNI,
        engagement_start=dt.date(2015, 1, 1),
        engagement_end=YESTERDAY,
    )
    person.full_clean()
    assert person.is_alumnus
    assert not person.is_internal


def test_contractor_may_have_a_future_end_date():
    Person(
        full_name="Cy", engagement_type=EngagementType.CONTRACTOR, engagement_end=TOMORROW
    ).full_clean()


def test_engagement_cannot_end_before_it_starts():
    person = Person(
        full_name="Bo", engagement_start=dt.date(2024, 3, 2), engagement_end=dt.date(2024, 3, 1)
    )
    assert set(errors_of(person)) == {"engagement_end"}
    same_day = Person(
        full_name="Bo", engagement_start=dt.date(2024, 3, 1), engagement_end=dt.date(2024, 3, 1)
    )
    same_day.full_clean()


def test_database_rejects_engagement_ending_before_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            full_name="Bo",
            engagement_start=dt.date(2024, 3, 2),
            engagement_end=dt.date(2024, 3, 1),
        )
    assert not Person.objects.filter(full_name="Bo").exists()


@pytest.mark.parametrize("zone", ["Mars/Olympus", "utc", "Europe/", "../etc/passwd", "zone.tab"])
def test_invalid_time_zone(zone):
    assert set(errors_of(Person(full_name="Tz", time_zone=zone))) == {"time_zone"}


@pytest.mark.parametrize("zone", ["Europe/Paris", "UTC", "America/Argentina/Buenos_Aires", ""])
def test_valid_time_zone(zone):
    Person(full_name="Tz", time_zone=zone).full_clean()


def test_an_employees_team_must_belong_to_their_organization(ourco, client_org):
    team = Team.objects.create(name="Sales", organization=client_org)
    employee = Person(
        full_name="Di",
        organization=ourco,
        team=team,
        engagement_type=EngagementType.EMPLOYEE_FULL_TIME,
    )
    assert set(errors_of(employee)) == {"team"}
    Person(
        full_name="Di",
        organization=client_org,
        team=team,
        engagement_type=EngagementType.EMPLOYEE_FULL_TIME,
    ).full_clean()


def test_a_contractor_works_in_our_team_while_employed_by_a_supplier(ourco, client_org):
    our_team = Team.objects.create(name="Platform", organization=ourco)
    Person(
        full_name="Cy",
        organization=client_org,
        team=our_team,
        engagement_type=EngagementType.CONTRACTOR,
    ).full_clean()


def test_person_cannot_manage_themselves():
    person = Person.objects.create(full_name="Ed")
    person.manager = person
    assert set(errors_of(person)) == {"manager"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(manager=person)


def test_person_level_one_to_three():
    assert set(errors_of(Person(full_name="Fi", level=4))) == {"level"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(full_name="Fi", level=4)


def test_person_str_and_engagement_ended():
    person = Person(full_name="Gil Ho", engagement_end=dt.date(2024, 6, 30))
    assert str(person) == "Gil Ho"
    assert person.engagement_ended(on=dt.date(2024, 7, 1))
    assert not person.engagement_ended(on=dt.date(2024, 6, 30))
    assert not Person(full_name="x").engagement_ended()
    assert Person(full_name="x", engagement_type=EngagementType.EMPLOYEE_PART_TIME).is_internal


def test_people_ordered_by_name_then_id():
    second_zed = Person.objects.create(full_name="Zed")
    amy = Person.objects.create(full_name="Amy")
    third_zed = Person.objects.create(full_name="Zed")
    assert list(Person.objects.all()) == [amy, second_zed, third_zed]


def test_primary_email_prefers_the_primary_then_the_first():
    person = Person.objects.create(full_name="Hu")
    assert person.primary_email == ""
    PersonEmail.objects.create(person=person, address="b@x.org")
    PersonEmail.objects.create(person=person, address="a@x.org")
    assert Person.objects.get(pk=person.pk).primary_email == "a@x.org"  # ordering: by address
    PersonEmail.objects.create(person=person, address="c@x.org", is_primary=True)
    assert Person.objects.get(pk=person.pk).primary_email == "c@x.org"


# --- PersonEmail ----------------------------------------------------------------


def test_email_is_stored_trimmed_and_lower_case():
    person = Person.objects.create(full_name="Ivy")
    email = PersonEmail.objects.create(person=person, address="  Ivy.Lee@Example.ORG ")
    email.refresh_from_db()
    assert email.address == "ivy.lee@example.org"
    assert str(email) == "ivy.lee@example.org"


def test_email_belongs_to_one_person_case_insensitively():
    first = Person.objects.create(full_name="One")
    second = Person.objects.create(full_name="Two")
    PersonEmail.objects.create(person=first, address="a@x.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonEmail.objects.create(person=second, address="A@x.org")
    assert list(PersonEmail.objects.values_list("person__full_name", "address")) == [
        ("One", "a@x.org")
    ]


def test_one_primary_email_per_person():
    first = Person.objects.create(full_name="One")
    second = Person.objects.create(full_name="Two")
    PersonEmail.objects.create(person=first, address="a@x.org", is_primary=True)
    PersonEmail.objects.create(person=first, address="b@x.org", is_primary=False)
    PersonEmail.objects.create(person=second, address="c@x.org", is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonEmail.objects.create(person=first, address="d@x.org", is_primary=True)
    assert set(errors_of(PersonEmail(person=first, address="e@x.org", is_primary=True))) == {
        "__all__"
    }


def test_emails_ordered_primary_first_then_address():
    person = Person.objects.create(full_name="Jo")
    for address, primary in [("b@x.org", False), ("z@x.org", True), ("a@x.org", False)]:
        PersonEmail.objects.create(person=person, address=address, is_primary=primary)
    assert list(person.emails.values_list("address", flat=True)) == [
        "z@x.org",
        "a@x.org",
        "b@x.org",
    ]


# --- Team -----------------------------------------------------------------------


def test_team_parent_in_another_organization(ourco, client_org):
    theirs = Team.objects.create(name="Theirs", organization=client_org)
    team = Team(name="Ours", organization=ourco, parent=theirs)
    assert set(errors_of(team)) == {"parent"}


def test_team_cycle_rejected(ourco):
    a = Team.objects.create(name="A", organization=ourco)
    b = Team.objects.create(name="B", organization=ourco, parent=a)
    a.parent = b
    assert set(errors_of(a)) == {"parent"}


def test_team_longer_cycle_rejected(ourco):
    a = Team.objects.create(name="A", organization=ourco)
    b = Team.objects.create(name="B", organization=ourco, parent=a)
    c = Team.objects.create(name="C", organization=ourco, parent=b)
    a.parent = Team.objects.get(pk=c.pk)
    assert set(errors_of(a)) == {"parent"}
    # Moving C under A's sibling is fine.
    d = Team.objects.create(name="D", organization=ourco)
    c.parent = d
    c.full_clean()


def test_team_cannot_be_its_own_parent(ourco):
    a = Team.objects.create(name="A", organization=ourco)
    a.parent = a
    assert set(errors_of(a)) == {"parent"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.filter(pk=a.pk).update(parent=a)


def test_team_path_and_ancestors(ourco):
    eng = Team.objects.create(name="Engineering", organization=ourco)
    platform = Team.objects.create(name="Platform", organization=ourco, parent=eng)
    infra = Team.objects.create(name="Infra", organization=ourco, parent=platform)
    assert infra.ancestors() == [platform, eng]
    assert infra.path == "Engineering › Platform › Infra"
    assert str(infra) == "Infra"
    assert eng.path == "Engineering"


def test_team_names_unique_under_a_parent(ourco):
    eng = Team.objects.create(name="Engineering", organization=ourco)
    Team.objects.create(name="Platform", organization=ourco, parent=eng)
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="Platform", organization=ourco, parent=eng)


# --- Skill and PersonSkill --------------------------------------------------------


@pytest.fixture
def python_skill(db):
    return Skill.objects.create(name="Python", slug="python")


@pytest.fixture
def three_people(db):
    return [Person.objects.create(full_name=name) for name in ("Kim", "Lou", "Max")]


def test_skill_cannot_be_its_own_parent(python_skill):
    assert str(python_skill) == "Python"
    with pytest.raises(IntegrityError), transaction.atomic():
        Skill.objects.filter(pk=python_skill.pk).update(parent=python_skill)


@pytest.mark.parametrize("level", [0, 6])
def test_skill_level_one_to_five(python_skill, three_people, level):
    kim = three_people[0]
    assert set(errors_of(PersonSkill(person=kim, skill=python_skill, level=level))) == {"level"}
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonSkill.objects.create(person=kim, skill=python_skill, level=level)


def test_no_self_endorsement(python_skill, three_people):
    kim = three_people[0]
    endorsement = PersonSkill(person=kim, skill=python_skill, level=3, endorsed_by=kim)
    assert set(errors_of(endorsement)) == {"endorsed_by"}
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonSkill.objects.create(person=kim, skill=python_skill, level=3, endorsed_by=kim)


def test_one_self_declaration_many_endorsements(python_skill, three_people):
    kim, lou, max_ = three_people
    PersonSkill.objects.create(person=kim, skill=python_skill, level=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonSkill.objects.create(person=kim, skill=python_skill, level=4)
    PersonSkill.objects.create(person=kim, skill=python_skill, level=4, endorsed_by=lou)
    PersonSkill.objects.create(person=kim, skill=python_skill, level=5, endorsed_by=max_)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonSkill.objects.create(person=kim, skill=python_skill, level=2, endorsed_by=lou)
    assert PersonSkill.objects.filter(person=kim).count() == 3


def test_person_skill_str_and_source(python_skill, three_people):
    kim, lou, _ = three_people
    declared = PersonSkill.objects.create(person=kim, skill=python_skill, level=4)
    endorsed = PersonSkill.objects.create(person=kim, skill=python_skill, level=5, endorsed_by=lou)
    assert str(declared) == "Kim: Python 4/5 (self-declared)"
    assert str(endorsed) == "Kim: Python 5/5 (endorsed by Lou)"
    assert declared.is_self_declared and not endorsed.is_self_declared


def test_person_skills_ordered_by_person_then_skill(three_people):
    kim, lou, _ = three_people
    sql = Skill.objects.create(name="SQL", slug="sql")
    go = Skill.objects.create(name="Go", slug="go")
    rows = [
        PersonSkill.objects.create(person=lou, skill=go, level=1),
        PersonSkill.objects.create(person=kim, skill=sql, level=1),
        PersonSkill.objects.create(person=kim, skill=go, level=1),
    ]
    assert list(PersonSkill.objects.all()) == [rows[2], rows[1], rows[0]]


# --- Relationship ---------------------------------------------------------------


def test_relationship_needs_two_people(three_people):
    kim = three_people[0]
    rel = Relationship(person=kim, other=kim, closeness=3, declared_by=factories.UserFactory())
    assert set(errors_of(rel)) == {"other"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(person=kim, other=kim, closeness=3)


@pytest.mark.parametrize("closeness", [0, 6])
def test_relationship_closeness_one_to_five(three_people, closeness):
    kim, lou, _ = three_people
    user = factories.UserFactory(person=kim)
    rel = Relationship(person=kim, other=lou, closeness=closeness, declared_by=user)
    assert set(errors_of(rel)) == {"closeness"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(person=kim, other=lou, closeness=closeness)


def test_relationship_cannot_start_in_the_future(three_people):
    kim, lou, _ = three_people
    user = factories.UserFactory(person=kim)
    rel = Relationship(person=kim, other=lou, closeness=2, since=TOMORROW, declared_by=user)
    assert set(errors_of(rel)) == {"since"}
    rel.since = TODAY
    rel.full_clean()


def test_relationship_unique_per_declarer(three_people):
    kim, lou, _ = three_people
    user = factories.UserFactory(person=kim)
    Relationship.objects.create(person=kim, other=lou, closeness=2, declared_by=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(person=kim, other=lou, closeness=4, declared_by=user)


def test_relationship_str_and_helpers(three_people):
    kim, lou, max_ = three_people
    rel = Relationship.objects.create(
        person=kim, other=lou, closeness=4, context=Relationship.Context.FORMER_COLLEAGUE
    )
    assert str(rel) == "Kim – Lou (Former colleague, 4/5)"
    assert rel.involves(kim.pk) and rel.involves(lou.pk) and not rel.involves(max_.pk)
    assert rel.counterpart_of(kim.pk) == lou
    assert rel.counterpart_of(lou.pk) == kim


def test_relationships_ordered_by_names(three_people):
    kim, lou, max_ = three_people
    max_lou = Relationship.objects.create(person=max_, other=lou, closeness=1)
    kim_max = Relationship.objects.create(person=kim, other=max_, closeness=1)
    kim_lou = Relationship.objects.create(person=kim, other=lou, closeness=1)
    assert list(Relationship.objects.all()) == [kim_lou, kim_max, max_lou]
