"""demo_load writes the generated organization, its logins, and refuses to load twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import authenticate

from bridgework.accounts.models import AuditEntry, User
from bridgework.core.demo import DEMO_LOGINS, DEMO_PASSWORD, generate_demo_org
from bridgework.core.demo.imports import NEW_CONTACTS, demo_import_files
from bridgework.core.errors import InvalidInputError
from bridgework.demo import demo_load
from bridgework.eventstore import get_event_store
from bridgework.interactions.models import ImportRun, Interaction, InteractionParticipant
from bridgework.people.models import (
    MatchReview,
    Organization,
    Person,
    PersonEmail,
    PersonSkill,
    Relationship,
    Skill,
    Team,
)

TODAY = dt.date(2025, 6, 2)
ROLE_GROUPS = {"member", "mentor", "program_manager", "leader", "people_analyst", "admin"}


def _db_counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "teams": Team.objects.count(),
        "skills": Skill.objects.count(),
        # The demo's own people; its imports add the people they introduce.
        "people": Person.objects.filter(introduced_by="demo").count(),
        "emails": PersonEmail.objects.filter(person__introduced_by="demo").count(),
        "person_skills": PersonSkill.objects.count(),
        # The generated year of interactions; the demo's introductions come on top.
        "interactions": Interaction.objects.exclude(channel="introduction").count(),
        "participants": InteractionParticipant.objects.exclude(
            interaction__channel="introduction"
        ).count(),
        "relationships": Relationship.objects.count(),
        "users": User.objects.count(),
    }


@pytest.mark.django_db
def test_load_writes_the_generated_org_and_working_logins():
    org = generate_demo_org(seed=7, today=TODAY)
    summary = demo_load(seed=7, today=TODAY)

    expected = {
        "organizations": len(org.organizations),
        "teams": len(org.teams),
        "skills": len(org.skills),
        "people": len(org.people),
        "emails": sum(len(p.emails) for p in org.people),
        "person_skills": len(org.person_skills),
        "interactions": len(org.interactions),
        "participants": sum(len(i.participant_keys) for i in org.interactions),
        "relationships": len(org.relationships),
        "users": 6,
    }
    assert _db_counts() == expected
    assert summary.people == expected["people"] and summary.interactions == expected["interactions"]
    assert summary.logins == DEMO_LOGINS
    assert summary.people_by_engagement == dict(
        Counter(
            Person.objects.filter(introduced_by="demo").values_list("engagement_type", flat=True)
        )
    )
    # Besides the generated interactions, only the introductions the demo's
    # workflows record (the mentor's introduction of the member) exist.
    assert set(Interaction.objects.exclude(source="demo").values_list("channel", flat=True)) <= {
        "introduction"
    }

    # The hierarchy and reporting lines survive the bulk insert.
    assert Team.objects.filter(parent=None).get().name == "Northwind Labs"
    assert not Team.objects.filter(lead=None).exists()
    employees = Person.objects.filter(engagement_type__in=["employee_ft", "employee_pt"])
    assert employees.filter(manager=None).count() == 1
    assert (
        PersonEmail.objects.filter(is_primary=True, person__introduced_by="demo").count()
        == expected["people"]
    )

    for role, username in DEMO_LOGINS:
        user = authenticate(None, username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.person is not None
        groups = set(user.groups.values_list("name", flat=True))
        assert groups == {role, "member"}
        assert groups <= ROLE_GROUPS
        assert user.has_role(role)
        assert (user.is_staff, user.is_superuser) == (
            (True, True) if role == "admin" else (False, False)
        )
    assert authenticate(None, username="member", password="wrong") is None
    member = User.objects.get(username="member").person
    assert (member.engagement_type, member.level) == ("employee_ft", 1)

    # Relationships are declared by the demo user whose person they start from.
    for rel in Relationship.objects.select_related("declared_by"):
        assert rel.declared_by.person_id == rel.person_id
    # Interactions are logged by a demo user who took part, when one did.
    demo_person_ids = set(User.objects.exclude(person=None).values_list("person_id", flat=True))
    logged = (
        Interaction.objects.exclude(logged_by=None)
        .exclude(channel="introduction")
        .select_related("logged_by")
    )
    for interaction in logged[:500]:
        participant_ids = set(interaction.participations.values_list("person_id", flat=True))
        assert interaction.logged_by.person_id in participant_ids
    with_demo_user = (
        InteractionParticipant.objects.filter(person_id__in=demo_person_ids)
        .exclude(interaction__channel="introduction")
        .values("interaction_id")
        .distinct()
        .count()
    )
    assert logged.count() == with_demo_user

    # Bulk inserts skip validation: check the models' own invariants held.
    for model in (Organization, Team, Skill, Person):
        for obj in model.objects.all():
            obj.full_clean()
    for model in (PersonEmail, PersonSkill, Relationship, Interaction):
        for obj in model.objects.all()[:100]:
            obj.full_clean()

    entry = AuditEntry.objects.get(object_type="demo")
    assert entry.action == "import" and entry.detail["seed"] == 7


@pytest.mark.django_db
def test_second_load_needs_reset_and_reset_reloads():
    demo_load(seed=7, today=TODAY)
    before = _db_counts()

    with pytest.raises(InvalidInputError, match="reset"):
        demo_load(seed=7, today=TODAY)
    assert _db_counts() == before
    assert AuditEntry.objects.filter(object_type="demo").count() == 1

    User.objects.create_user(username="someone-else", password="x")
    summary = demo_load(seed=7, today=TODAY, reset=True)
    after = _db_counts()
    assert after == {**before, "users": before["users"] + 1}, "only demo users are replaced"
    assert summary.relationships == before["relationships"]
    assert authenticate(None, username="leader", password=DEMO_PASSWORD) is not None
    assert AuditEntry.objects.filter(object_type="demo").count() == 2


@pytest.mark.django_db
def test_the_member_imports_a_calendar_and_connections_through_the_real_readers():
    demo_load(seed=7, today=TODAY)
    files = demo_import_files(generate_demo_org(seed=7, today=TODAY))
    runs = {run.format: run for run in ImportRun.objects.all()}
    assert set(runs) == {"ics", "linkedin"}
    assert all(
        run.status == "succeeded" and run.started_by.username == "member" for run in runs.values()
    )
    ics = runs["ics"].report
    # 37 VEVENT blocks: one cancelled (skipped), one with a broken DTSTART (an issue).
    assert files.calendar.count("BEGIN:VEVENT") == 37
    assert (ics["events_imported"], ics["issue_count"]) == (35, 1)
    assert ics["issues"][0]["reason"].startswith("DTSTART '2026-13-45'")
    assert get_event_store().count(source="ics") == 35
    linkedin = runs["linkedin"].report
    assert linkedin["contacts_stored"] == files.connections.count("\n") - 4
    for name, address, _company, _title in NEW_CONTACTS:
        person = Person.objects.get(emails__address=address)
        assert person.full_name == name and "import #" in person.introduced_by
    assert MatchReview.objects.filter(status="pending").exists()
