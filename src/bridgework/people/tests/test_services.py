"""People services: who may write what, validation, atomicity and the audit log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import AuditEntry, Role
from bridgework.core.errors import NotFoundError
from bridgework.people import services
from bridgework.people.models import (
    EngagementType,
    Organization,
    Person,
    PersonEmail,
    PersonSkill,
    Relationship,
    Team,
)

pytestmark = pytest.mark.django_db


def emails_of(person: Person) -> list[tuple[str, bool]]:
    return list(
        PersonEmail.objects.filter(person=person)
        .order_by("address")
        .values_list("address", "is_primary")
    )


def audit_of(**filters) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(**filters))


# --- person_create --------------------------------------------------------------


def test_member_cannot_add_people(member):
    before = Person.objects.count()
    with pytest.raises(NotFoundError):
        services.person_create(actor=member, full_name="Nope")
    assert Person.objects.count() == before


def test_analyst_adds_a_person_with_normalized_emails(analyst):
    person = services.person_create(
        actor=analyst,
        full_name="  Rosa Park ",
        emails=[" Rosa@Example.ORG", "", "rosa.p@other.example", "ROSA@example.org"],
        title="Designer",
        engagement_type=EngagementType.FREELANCER,
    )
    person.refresh_from_db()
    assert person.full_name == "Rosa Park"
    assert person.title == "Designer"
    assert person.engagement_type == "freelancer"
    assert emails_of(person) == [("rosa.p@other.example", False), ("rosa@example.org", True)]
    assert person.primary_email == "rosa@example.org"
    [entry] = audit_of(object_type="person")
    assert (entry.actor, entry.action, entry.object_id, entry.subject_person_id) == (
        analyst,
        "create",
        str(person.pk),
        person.pk,
    )


def test_admin_adds_a_person_without_emails(admin_user):
    person = services.person_create(actor=admin_user, full_name="Sam")
    assert emails_of(person) == []


def test_person_create_invalid_email_saves_nothing(analyst):
    before = Person.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=analyst, full_name="Tia", emails=["tia@x.org", "not-an-email"])
    assert set(exc.value.message_dict) == {"emails"}
    assert "not-an-email" in exc.value.message_dict["emails"][0]
    assert Person.objects.count() == before
    assert not PersonEmail.objects.filter(address="tia@x.org").exists()


def test_person_create_email_of_someone_else_saves_nothing(analyst, member):
    taken = member.person.primary_email
    before = Person.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=analyst, full_name="Uma", emails=["uma@x.org", taken.upper()])
    assert set(exc.value.message_dict) == {"emails"}
    assert taken in exc.value.message_dict["emails"][0]
    assert Person.objects.count() == before
    assert not PersonEmail.objects.filter(address="uma@x.org").exists()
    assert PersonEmail.objects.get(address=taken).person_id == member.person_id
    assert audit_of(object_type="person") == []


def test_person_create_invalid_model_saves_nothing(analyst):
    before = Person.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=analyst, full_name="Vic", engagement_type=EngagementType.ALUMNI
        )
    assert "engagement_end" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=analyst, full_name="   ")
    assert "full_name" in exc.value.message_dict
    assert Person.objects.count() == before


def test_person_create_unknown_field(analyst):
    with pytest.raises(TypeError):
        services.person_create(actor=analyst, full_name="Wes", salary=1)


# --- person_update --------------------------------------------------------------


def test_member_edits_own_public_fields(member):
    person = member.person
    services.person_update(
        actor=member,
        person=person,
        full_name=" Mia Wong ",
        title="Lead analyst",
        time_zone="Asia/Tokyo",
        bio="Hi",
        analytics_consent=False,
    )
    person.refresh_from_db()
    assert (person.full_name, person.title, person.time_zone, person.bio) == (
        "Mia Wong",
        "Lead analyst",
        "Asia/Tokyo",
        "Hi",
    )
    assert person.analytics_consent is False
    [entry] = audit_of(object_type="person", action="update")
    assert entry.actor == member and entry.subject_person_id == person.pk
    assert entry.detail == {
        "changed": ["analytics_consent", "bio", "full_name", "time_zone", "title"]
    }


@pytest.mark.parametrize("field", ["engagement_type", "team"])
def test_member_cannot_change_own_locked_fields(member, field):
    person = member.person
    value = (
        EngagementType.CONTRACTOR
        if field == "engagement_type"
        else Team.objects.create(name="Elsewhere", organization=person.organization)
    )
    with pytest.raises(ValidationError) as exc:
        services.person_update(actor=member, person=person, **{field: value})
    assert set(exc.value.message_dict) == {field}
    person.refresh_from_db()
    assert person.engagement_type == EngagementType.EMPLOYEE_FULL_TIME
    assert person.team is None


def test_member_may_resubmit_locked_fields_unchanged(member):
    person = member.person
    services.person_update(
        actor=member,
        person=person,
        engagement_type=person.engagement_type,
        organization=person.organization,
        title="New",
    )
    person.refresh_from_db()
    assert person.title == "New"


def test_member_cannot_edit_someone_else(member, other_member):
    with pytest.raises(NotFoundError):
        services.person_update(actor=member, person=other_member.person, title="Hacked")
    other_member.person.refresh_from_db()
    assert other_member.person.title == "Analyst"


def test_analyst_changes_engagement_and_team(analyst, member):
    person = member.person
    team = Team.objects.create(name="Data", organization=person.organization)
    services.person_update(
        actor=analyst, person=person, engagement_type=EngagementType.CONTRACTOR, team=team
    )
    person.refresh_from_db()
    assert person.engagement_type == "contractor" and person.team == team
    [entry] = audit_of(object_type="person", action="update")
    assert entry.actor == analyst and entry.subject_person_id == person.pk
    assert entry.detail == {"changed": ["engagement_type", "team"]}


def test_update_replaces_emails_and_keeps_one_primary(member):
    person = member.person
    old = person.primary_email
    services.person_update(actor=member, person=person, emails=["B@x.org", "a@x.org", old])
    assert emails_of(person) == sorted([("a@x.org", False), ("b@x.org", True), (old, False)])
    services.person_update(actor=member, person=person, emails=["a@x.org", "c@x.org"])
    assert emails_of(person) == [("a@x.org", True), ("c@x.org", False)]
    assert Person.objects.get(pk=person.pk).primary_email == "a@x.org"
    assert not PersonEmail.objects.filter(address__in=[old, "b@x.org"]).exists()


def test_update_with_someone_elses_email_changes_nothing(member, other_member):
    person = member.person
    mine = person.primary_email
    with pytest.raises(ValidationError) as exc:
        services.person_update(
            actor=member,
            person=person,
            title="Changed",
            emails=["new@x.org", other_member.person.primary_email],
        )
    assert set(exc.value.message_dict) == {"emails"}
    assert emails_of(person) == [(mine, True)]
    assert Person.objects.get(pk=person.pk).title == "Analyst"


def test_update_without_emails_leaves_them(member):
    mine = member.person.primary_email
    services.person_update(actor=member, person=member.person, title="X")
    assert emails_of(member.person) == [(mine, True)]


# --- organizations, teams, skills -----------------------------------------------


def test_only_managers_create_organizations_teams_skills(member, analyst):
    with pytest.raises(NotFoundError):
        services.organization_create(actor=member, name="Org")
    with pytest.raises(NotFoundError):
        services.skill_create(actor=member, name="Go", slug="go")
    org = services.organization_create(actor=analyst, name=" Acme ", kind=Organization.Kind.CLIENT)
    assert org.name == "Acme"
    with pytest.raises(NotFoundError):
        services.team_create(actor=member, name="T", organization=org)
    team = services.team_create(actor=analyst, name="Sales", organization=org)
    assert team.organization == org
    skill = services.skill_create(actor=analyst, name="Go", slug="go")
    assert skill.slug == "go"


def test_team_create_rejects_parent_of_another_organization(analyst):
    acme = services.organization_create(actor=analyst, name="Acme")
    other = services.organization_create(actor=analyst, name="Other")
    parent = services.team_create(actor=analyst, name="Top", organization=other)
    with pytest.raises(ValidationError) as exc:
        services.team_create(actor=analyst, name="Sub", organization=acme, parent=parent)
    assert "parent" in exc.value.message_dict
    assert not Team.objects.filter(name="Sub").exists()


# --- skills -------------------------------------------------------------------------


@pytest.fixture
def skill(db):
    return factories.SkillFactory(name="Negotiation", slug="negotiation")


def test_member_declares_own_skill_and_redeclaring_updates(member, skill):
    first = services.person_skill_declare(actor=member, person=member.person, skill=skill, level=2)
    second = services.person_skill_declare(
        actor=member, person=member.person, skill=skill, level="4"
    )
    assert first.pk == second.pk
    assert list(
        PersonSkill.objects.filter(person=member.person).values_list("level", "endorsed_by")
    ) == [(4, None)]
    entries = audit_of(object_type="person_skill")
    assert [e.detail for e in entries] == [
        {"skill": "negotiation", "level": 4},
        {"skill": "negotiation", "level": 2},
    ]
    assert {e.subject_person_id for e in entries} == {member.person_id}


@pytest.mark.parametrize("level", [0, 6, -1, "high", None])
def test_skill_level_must_be_one_to_five(member, skill, level):
    with pytest.raises(ValidationError) as exc:
        services.person_skill_declare(actor=member, person=member.person, skill=skill, level=level)
    assert set(exc.value.message_dict) == {"level"}
    with pytest.raises(ValidationError):
        services.person_skill_endorse(
            actor=member, person=factories.PersonFactory(), skill=skill, level=level
        )
    assert not PersonSkill.objects.exists()


def test_member_cannot_declare_for_someone_else(member, other_member, analyst, skill):
    with pytest.raises(NotFoundError):
        services.person_skill_declare(
            actor=member, person=other_member.person, skill=skill, level=3
        )
    services.person_skill_declare(actor=analyst, person=other_member.person, skill=skill, level=3)
    assert PersonSkill.objects.get().person == other_member.person


def test_endorse_someone_else(member, other_member, skill):
    services.person_skill_declare(
        actor=other_member, person=other_member.person, skill=skill, level=2
    )
    endorsement = services.person_skill_endorse(
        actor=member, person=other_member.person, skill=skill, level=4
    )
    again = services.person_skill_endorse(
        actor=member, person=other_member.person, skill=skill, level=5
    )
    assert endorsement.pk == again.pk
    rows = PersonSkill.objects.filter(person=other_member.person).order_by("id")
    assert list(rows.values_list("level", "endorsed_by")) == [(2, None), (5, member.person_id)]
    entry = AuditEntry.objects.filter(object_type="person_skill", actor=member).first()
    assert entry.subject_person_id == other_member.person_id


def test_self_endorsement_rejected(member, skill):
    with pytest.raises(ValidationError) as exc:
        services.person_skill_endorse(actor=member, person=member.person, skill=skill, level=3)
    assert "endorsed_by" in exc.value.message_dict
    assert not PersonSkill.objects.exists()


def test_endorsing_needs_a_profile(analyst, member, skill):
    with pytest.raises(ValidationError):
        services.person_skill_endorse(actor=analyst, person=member.person, skill=skill, level=3)
    assert not PersonSkill.objects.exists()


# --- relationships ------------------------------------------------------------------


def test_member_declares_own_relationship(member, other_member):
    since = dt.date(2020, 5, 1)
    rel = services.relationship_declare(
        actor=member,
        person=member.person,
        other=other_member.person,
        closeness=4,
        context=Relationship.Context.MENTOR,
        since=since,
        private_note="Met at the offsite",
    )
    rel.refresh_from_db()
    assert (rel.person, rel.other, rel.declared_by) == (
        member.person,
        other_member.person,
        member,
    )
    assert (rel.closeness, rel.context, rel.since, rel.private_note) == (
        4,
        "mentor",
        since,
        "Met at the offsite",
    )
    [entry] = audit_of(object_type="relationship")
    assert (entry.actor, entry.action, entry.object_id, entry.subject_person_id) == (
        member,
        "create",
        str(rel.pk),
        other_member.person_id,
    )


def test_member_cannot_declare_between_two_others(member, other_member):
    third = factories.PersonFactory()
    with pytest.raises(NotFoundError):
        services.relationship_declare(
            actor=member, person=other_member.person, other=third, closeness=3
        )
    assert not Relationship.objects.exists()


def test_analyst_declares_between_others(analyst, member, other_member):
    rel = services.relationship_declare(
        actor=analyst, person=member.person, other=other_member.person, closeness=2
    )
    assert rel.declared_by == analyst


@pytest.mark.parametrize("reverse", [False, True])
def test_duplicate_declaration_in_either_direction(member, other_member, analyst, reverse):
    services.relationship_declare(
        actor=analyst, person=member.person, other=other_member.person, closeness=3
    )
    pair = (other_member.person, member.person) if reverse else (member.person, other_member.person)
    with pytest.raises(ValidationError) as exc:
        services.relationship_declare(actor=analyst, person=pair[0], other=pair[1], closeness=5)
    assert "other" in exc.value.message_dict
    assert Relationship.objects.count() == 1


def test_the_other_side_may_declare_the_same_tie(member, other_member):
    services.relationship_declare(
        actor=member, person=member.person, other=other_member.person, closeness=3
    )
    services.relationship_declare(
        actor=other_member, person=other_member.person, other=member.person, closeness=2
    )
    assert Relationship.objects.count() == 2


@pytest.mark.parametrize("closeness", [0, 6])
def test_declare_closeness_out_of_range_saves_nothing(member, other_member, closeness):
    with pytest.raises(ValidationError) as exc:
        services.relationship_declare(
            actor=member, person=member.person, other=other_member.person, closeness=closeness
        )
    assert "closeness" in exc.value.message_dict
    assert not Relationship.objects.exists()
    assert audit_of(object_type="relationship") == []


def test_declare_with_oneself_or_in_the_future_rejected(member, other_member):
    with pytest.raises(ValidationError) as exc:
        services.relationship_declare(
            actor=member, person=member.person, other=member.person, closeness=3
        )
    assert "other" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.relationship_declare(
            actor=member,
            person=member.person,
            other=other_member.person,
            closeness=3,
            since=timezone.now().date() + dt.timedelta(days=2),
        )
    assert "since" in exc.value.message_dict
    assert not Relationship.objects.exists()


@pytest.fixture
def declared(member, other_member):
    return services.relationship_declare(
        actor=member,
        person=member.person,
        other=other_member.person,
        closeness=3,
        private_note="secret",
    )


def test_declarer_updates(member, declared):
    services.relationship_update(
        actor=member, relationship=declared, closeness=5, private_note="closer now"
    )
    declared.refresh_from_db()
    assert (declared.closeness, declared.private_note) == (5, "closer now")
    entry = AuditEntry.objects.filter(object_type="relationship", action="update").get()
    assert entry.actor == member
    assert entry.detail == {"changed": ["closeness", "private_note"]}


def test_update_validates(member, declared):
    with pytest.raises(ValidationError):
        services.relationship_update(actor=member, relationship=declared, closeness=9)
    assert Relationship.objects.get(pk=declared.pk).closeness == 3
    with pytest.raises(TypeError):
        services.relationship_update(actor=member, relationship=declared, person=member.person)


def test_others_cannot_update_or_delete(declared, other_member, analyst):
    # The other side of the tie and a people analyst are not the declarer.
    for intruder in (other_member, analyst):
        with pytest.raises(NotFoundError):
            services.relationship_update(actor=intruder, relationship=declared, closeness=1)
        with pytest.raises(NotFoundError):
            services.relationship_delete(actor=intruder, relationship=declared)
    stored = Relationship.objects.get(pk=declared.pk)
    assert stored.closeness == 3


def test_admin_updates_but_cannot_write_the_note(admin_user, declared):
    services.relationship_update(actor=admin_user, relationship=declared, closeness=1)
    with pytest.raises(ValidationError) as exc:
        services.relationship_update(actor=admin_user, relationship=declared, private_note="mine")
    assert "private_note" in exc.value.message_dict
    stored = Relationship.objects.get(pk=declared.pk)
    assert (stored.closeness, stored.private_note) == (1, "secret")


def test_declarer_deletes(member, other_member, declared):
    services.relationship_delete(actor=member, relationship=declared)
    assert not Relationship.objects.exists()
    entry = AuditEntry.objects.get(object_type="relationship", action="delete")
    assert (entry.actor, entry.subject_person_id) == (member, other_member.person_id)


def test_admin_deletes(admin_user, declared):
    services.relationship_delete(actor=admin_user, relationship=declared)
    assert not Relationship.objects.exists()


def test_member_role_does_not_matter_for_own_declaration(other_member):
    mentor = factories.UserFactory(roles=[Role.MENTOR])
    rel = services.relationship_declare(
        actor=mentor, person=mentor.person, other=other_member.person, closeness=1
    )
    assert rel.declared_by == mentor
