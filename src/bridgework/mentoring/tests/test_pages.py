"""The mentoring pages through the test client, as each kind of viewer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bridgework.mentoring.models import (
    ActionItem,
    BehaviorFramework,
    Enrollment,
    MatchOverride,
    MentoringRelationship,
    MentoringSession,
    PracticePlan,
    Program,
    SessionNote,
)

pytestmark = pytest.mark.django_db


def test_the_nav_links_to_mentoring_for_everyone_signed_in(client, org):
    client.force_login(org.oscar)
    page = client.get("/mentoring/")
    assert page.status_code == 200
    assert b'href="/mentoring/" aria-current="page">Mentoring</a>' in page.content


def test_the_home_page_shows_my_mentor_open_programs_and_what_is_overdue(client, org, pair):
    ActionItem.objects.create(
        relationship=pair,
        title="Send the summary",
        owner=pair.mentee,
        due_on=timezone.now().date() - dt.timedelta(days=2),
    )
    client.force_login(org.mia)
    body = client.get("/mentoring/").content.decode()
    assert "Max Mentor" in body and "Send the summary" in body and "Overdue" in body
    client.force_login(org.oscar)
    body = client.get("/mentoring/").content.decode()
    assert "Relationship Builders" in body  # enrollment open
    assert "New program" not in body


def test_a_program_manager_creates_and_opens_a_program(client, org):
    client.force_login(org.pat)
    assert client.get("/mentoring/programs/new/").status_code == 200
    version = BehaviorFramework.objects.get(is_default=True).latest_version
    today = timezone.now().date()
    data = {
        "name": "Spring cohort",
        "goal": "Grow.",
        "framework_version": version.pk,
        "kind": "cohort",
        "start_date": str(today),
        "end_date": "",
        "matching_mode": "manager",
        "session_cadence_days": "14",
        "max_time_zone_difference_hours": "6",
        "maximize_participation": "on",
        "weight_behavior": "0.4",
        "weight_network": "0.3",
        "weight_skills": "0.2",
        "weight_preferences": "0.1",
    }
    page = client.post("/mentoring/programs/new/", data)
    assert page.status_code == 200 and b"A cohort program ends on a date" in page.content
    data["end_date"] = str(today + dt.timedelta(days=100))
    response = client.post("/mentoring/programs/new/", data)
    program = Program.objects.get(name="Spring cohort")
    assert (
        response.status_code == 302 and response["Location"] == f"/mentoring/programs/{program.pk}/"
    )
    client.post(f"/mentoring/programs/{program.pk}/enrollment/", {"open": "1"})
    program.refresh_from_db()
    assert program.enrollment_open and program.status == "active"
    client.force_login(org.mia)
    assert client.get("/mentoring/programs/new/").status_code == 404
    assert client.get(f"/mentoring/programs/{program.pk}/edit/").status_code == 404


def test_joining_with_a_profile(client, org, program):
    client.force_login(org.mia)
    page = client.get(f"/mentoring/programs/{program.pk}/join/?role=mentee")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Behaviors to develop" in body and "1 — Works on objectives without thinking" in body
    response = client.post(
        f"/mentoring/programs/{program.pk}/join/",
        {
            "role": "mentee",
            "goals": "Meet Acme.",
            "behaviors_to_develop": ["presenting_yourself"],
            "needed_teams": [org.green.pk],
            "meeting_format": "video",
            "level_presenting_yourself": "2",
        },
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(person=org.mia.person)
    assert enrollment.self_levels == {"presenting_yourself": 2}
    assert list(enrollment.needed_teams.all()) == [org.green]
    edit = client.get(f"/mentoring/enrollments/{enrollment.pk}/edit/")
    assert edit.status_code == 200 and b"Meet Acme." in edit.content
    client.force_login(org.oscar)
    assert client.get(f"/mentoring/enrollments/{enrollment.pk}/edit/").status_code == 404


def test_the_matching_review_page_runs_overrides_and_publishes(client, org, program, enrolled):
    client.force_login(org.pat)
    assert client.post(f"/mentoring/programs/{program.pk}/matching/run/").status_code == 302
    page = client.get(f"/mentoring/programs/{program.pk}/matching/")
    body = page.content.decode()
    assert "Max Mentor for Mia Mentee" in body and "Behaviors" in body and "Publish 1 pair" in body
    client.post(
        f"/mentoring/programs/{program.pk}/matching/override/",
        {"mentee": enrolled["mentee"].pk, "mentor": enrolled["nora"].pk, "kind": "fix"},
    )
    assert MatchOverride.objects.get().kind == "fix"
    client.post(f"/mentoring/programs/{program.pk}/matching/run/")
    run = program.matching_runs.first()
    assert run.matches.get().mentor == enrolled["nora"]
    response = client.post(f"/mentoring/programs/{program.pk}/matching/publish/", {"run": run.pk})
    assert response.status_code == 302
    assert MentoringRelationship.objects.get().mentor == org.nora.person
    client.force_login(org.max)
    assert client.get(f"/mentoring/programs/{program.pk}/matching/").status_code == 404


def test_self_matching_pages(client, org, program, enrolled):
    Program.objects.filter(pk=program.pk).update(matching_mode="self")
    client.force_login(org.mia)
    page = client.get(f"/mentoring/programs/{program.pk}/suggestions/")
    body = page.content.decode()
    assert "1. Max Mentor" in body and "Max Mentor for Mia Mentee, score" in body
    response = client.post(
        f"/mentoring/programs/{program.pk}/suggestions/request/",
        {"mentor": org.max.person_id, "message": "Please"},
    )
    relationship = MentoringRelationship.objects.get()
    assert response["Location"] == f"/mentoring/relationships/{relationship.pk}/"
    client.force_login(org.max)
    page = client.get(f"/mentoring/relationships/{relationship.pk}/")
    assert b"asks you to be their mentor" in page.content
    client.post(f"/mentoring/relationships/{relationship.pk}/respond/", {"accept": "1"})
    relationship.refresh_from_db()
    assert relationship.status == "active"


def test_the_relationship_page_for_the_pair(client, org, pair):
    client.force_login(org.mia)
    page = client.get(f"/mentoring/relationships/{pair.pk}/")
    body = page.content.decode()
    assert "With my mentor, Max Mentor" in body and "Win the Acme renewal." in body
    assert "Share my network measures with Max Mentor" in body
    assert "How my network changed" in body
    client.post(f"/mentoring/relationships/{pair.pk}/agreement/agree/")
    client.post(f"/mentoring/relationships/{pair.pk}/agreement/sharing/", {"share": "1"})
    pair.agreement.refresh_from_db()
    assert pair.agreement.share_network_with_mentor and pair.agreement.mentee_agreed_at
    client.force_login(org.max)
    body = client.get(f"/mentoring/relationships/{pair.pk}/").content.decode()
    assert "Mentoring Mia Mentee" in body and "Introduce Mia Mentee" in body
    assert "has not shared their network" not in body
    response = client.post(
        f"/mentoring/relationships/{pair.pk}/agreement/",
        {"goals": "x", "cadence_days": "400", "meeting_format": "any", "confidentiality": "y"},
    )
    assert response.status_code == 422


def test_action_items_with_and_without_htmx(client, org, pair):
    client.force_login(org.mia)
    response = client.post(
        f"/mentoring/relationships/{pair.pk}/actions/",
        {"title": "Call Ann", "owner": "mentee", "due_on": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and b"Call Ann" in response.content
    assert b"<html" not in response.content
    item = ActionItem.objects.get()
    response = client.post(f"/mentoring/actions/{item.pk}/toggle/", {"done": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_done
    client.force_login(org.oscar)
    assert client.post(f"/mentoring/actions/{item.pk}/toggle/", {"done": "0"}).status_code == 404


def test_logging_a_session_with_a_note_and_feedback(client, org, pair):
    client.force_login(org.mia)
    when = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/mentoring/relationships/{pair.pk}/sessions/new/",
        {
            "scheduled_at": when,
            "duration_minutes": "45",
            "held": "on",
            "behaviors_practiced": ["presenting_yourself"],
            "note": "MIA-SHARED-NOTE",
            "note_visibility": "shared",
        },
    )
    session = MentoringSession.objects.get()
    assert response["Location"] == f"/mentoring/sessions/{session.pk}/"
    assert session.status == "held" and SessionNote.objects.get().visibility == "shared"
    page = client.get(f"/mentoring/sessions/{session.pk}/")
    assert b"MIA-SHARED-NOTE" in page.content and b"How useful was this session?" in page.content
    client.post(f"/mentoring/sessions/{session.pk}/feedback/", {"rating": "5"})
    client.force_login(org.max)
    assert b"MIA-SHARED-NOTE" in client.get(f"/mentoring/sessions/{session.pk}/").content


def test_practice_plan_pages(client, org, pair):
    client.force_login(org.mia)
    assert client.get(f"/mentoring/relationships/{pair.pk}/practice/new/").status_code == 200
    response = client.post(
        f"/mentoring/relationships/{pair.pk}/practice/new/",
        {
            "behavior_key": "presenting_yourself",
            "conversation": "Demo to Sales",
            "preparation": "Three slides",
        },
    )
    plan = PracticePlan.objects.get()
    assert response["Location"] == f"/mentoring/practice/{plan.pk}/"
    page = client.get(f"/mentoring/practice/{plan.pk}/")
    assert b"Three slides" in page.content and b"Exercises" in page.content
    client.post(
        f"/mentoring/practice/{plan.pk}/",
        {
            "preparation": "Three slides",
            "status": "held",
            "reflection": "Went well",
            "confidence_after": "4",
        },
    )
    plan.refresh_from_db()
    assert plan.reflection == "Went well" and plan.confidence_after == 4


def test_the_introduction_page_offers_the_mentors_own_contacts(client, org, pair):
    client.force_login(org.max)
    page = client.get(f"/mentoring/relationships/{pair.pk}/introductions/new/")
    body = page.content.decode()
    assert "Ann Acme" in body and "Gil Green" in body
    response = client.post(
        f"/mentoring/relationships/{pair.pk}/introductions/new/",
        {"target": org.ann.pk, "message": "Meet Ann."},
    )
    assert response.status_code == 302
    client.force_login(org.mia)
    assert client.get(f"/mentoring/relationships/{pair.pk}/introductions/new/").status_code == 404


def test_framework_pages_and_a_bad_upload(client, org):
    client.force_login(org.mia)
    framework = BehaviorFramework.objects.get(is_default=True)
    page = client.get(f"/mentoring/frameworks/{framework.pk}/")
    assert b"Giving value first" in page.content and b"Practice exercises" in page.content
    assert client.get("/mentoring/frameworks/import/").status_code == 404
    client.force_login(org.pat)
    bad = SimpleUploadedFile("f.yaml", b"name: X\nbehaviors:\n  - key: a\n    name: A\n")
    page = client.post("/mentoring/frameworks/import/", {"file": bad})
    assert page.status_code == 200
    assert (
        b"Nothing was saved" in page.content
        and b"line 3, behaviors[1].description: this field is required" in page.content
    )
    assert BehaviorFramework.objects.count() == 1
    edit = client.get(f"/mentoring/frameworks/{framework.pk}/edit/")
    assert b"giving_value_first" in edit.content


def test_the_program_page_for_members_and_managers(client, org, pair):
    client.force_login(org.mia)
    body = client.get(f"/mentoring/programs/{pair.program_id}/").content.decode()
    assert "Your mentor: Max Mentor" in body and "Enrolled <span" not in body
    client.force_login(org.pat)
    body = client.get(f"/mentoring/programs/{pair.program_id}/").content.decode()
    assert "Enrolled <span" in body and "Ask every pair" in body
    response = client.post(
        f"/mentoring/programs/{pair.program_id}/assessments/", {"round": "start"}
    )
    assert response.status_code == 302
    assert pair.mentee_enrollment.assessments.count() == 2


def test_drafts_are_hidden_from_members(client, org, program):
    Program.objects.filter(pk=program.pk).update(status="draft", enrollment_open=False)
    client.force_login(org.mia)
    assert client.get(f"/mentoring/programs/{program.pk}/").status_code == 404
    assert b"Relationship Builders" not in client.get("/mentoring/programs/").content
