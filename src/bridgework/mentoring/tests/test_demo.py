"""The mentoring demo on a small factory-built organization."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.interactions.models import IntroductionRequest
from bridgework.mentoring import selectors
from bridgework.mentoring.demo import DEMO_PROGRAM_NAME, DEMO_SELF_PROGRAM_NAME, demo_mentoring_load
from bridgework.mentoring.models import (
    Assessment,
    MentoringRelationship,
    PracticePlan,
    Program,
    RelationshipIntroduction,
)
from bridgework.people.models import Organization

from .conftest import make_tie

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_org(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    ours = factories.OrganizationFactory(name="Northwind Labs", kind=Organization.Kind.OURS)
    client = factories.OrganizationFactory(name="Contoso", kind=Organization.Kind.CLIENT)
    people = {}
    for team_name in ("Product", "Data", "People", "Sales"):
        team = factories.TeamFactory(name=team_name, organization=ours)
        people[team_name] = [
            factories.PersonFactory(
                full_name=f"{team_name} Person {i}",
                team=team,
                organization=ours,
                level=2 if i < 2 else 1,
            )
            for i in range(6)
        ]
    member = factories.UserFactory(
        username="member", person=people["Product"][3], roles=[Role.MEMBER]
    )
    mentor = factories.UserFactory(
        username="mentor", person=people["Data"][0], roles=[Role.MEMBER, Role.MENTOR]
    )
    manager = factories.UserFactory(
        username="manager", person=people["People"][3], roles=[Role.MEMBER, Role.PROGRAM_MANAGER]
    )
    outsider = factories.PersonFactory(full_name="Cleo Contoso", organization=client)
    make_tie(mentor.person, outsider, 0.7, band="strong")
    make_tie(mentor.person, people["Sales"][0], 0.5)
    make_tie(member.person, people["Product"][4], 0.6)
    today = timezone.now().date()
    for weeks in range(1, 9):
        factories.InteractionFactory(
            people=[member.person, mentor.person],
            occurred_at=timezone.now() - dt.timedelta(days=14 * weeks),
        )
    return {
        "member": member,
        "mentor": mentor,
        "manager": manager,
        "outsider": outsider,
        "today": today,
    }


def test_the_demo_runs_a_program_with_pairs_sessions_assessments_and_risk(client, demo_org):
    today = demo_org["today"]
    summary = demo_mentoring_load(today=today)
    assert summary["created"] is True
    program = Program.objects.get(name=DEMO_PROGRAM_NAME)
    assert program.status == "active" and program.created_by == demo_org["manager"]
    assert (today - program.start_date).days == 122 and program.end_date > today
    assert summary["mentees"] >= 10 and 4 <= summary["mentors"] <= 8
    member, mentor = demo_org["member"], demo_org["mentor"]
    pair = MentoringRelationship.objects.get(program=program, mentee=member.person)
    assert pair.mentor == mentor.person and pair.status == "active"
    assert pair.sessions.filter(status="held").count() >= 7  # their fortnightly meetings
    assert pair.sessions.filter(status="scheduled").exists()
    rounds = set(
        Assessment.objects.filter(
            enrollment=pair.mentee_enrollment, status="submitted"
        ).values_list("kind", "round")
    )
    assert rounds == {(k, r) for k in ("self", "mentor", "peer") for r in ("start", "midpoint")}
    progress = selectors.behavior_progress(enrollment=pair.mentee_enrollment)
    presenting = next(b for b in progress.behaviors if b.key == "presenting_yourself")
    assert presenting.change is not None and presenting.change > 0
    assert PracticePlan.objects.filter(relationship=pair, status="reflected").exists()
    assert any(i.is_overdue(today) for i in pair.action_items.all())
    link = RelationshipIntroduction.objects.get(relationship=pair)
    intro = IntroductionRequest.objects.get(pk=link.introduction_id)
    assert (intro.requester, intro.via, intro.target) == (
        member.person,
        mentor.person,
        demo_org["outsider"],
    )
    assert pair.agreement.share_network_with_mentor
    assert selectors.mentor_can_see_network(
        mentor_person_id=mentor.person_id, mentee_person_id=member.person_id
    )
    # The demo stores its network snapshots, so the network change shows at once.
    assert summary["network_snapshots"]["computed"] > 0
    assert summary["network_snapshots"]["failures"] == []
    change = selectors.network_change(viewer=member, relationship=pair, today=today)
    assert change.available and change.missing == ""
    board = selectors.program_dashboard(viewer=demo_org["manager"], program=program, today=today)
    assert summary["at_risk_pair"] in {item.relationship.pk for item in board.at_risk}
    assert board.cadence["sessions_held"] > 30
    assert any(row.change and row.change > 0 for row in board.behavior_growth)
    self_program = Program.objects.get(name=DEMO_SELF_PROGRAM_NAME)
    assert self_program.enrollment_open and self_program.matching_mode == "self"
    # Every page of the story renders for its viewer.
    client.force_login(member)
    assert client.get(f"/mentoring/relationships/{pair.pk}/").status_code == 200
    assert client.get(f"/mentoring/programs/{self_program.pk}/").status_code == 200
    client.force_login(mentor)
    assert (
        b"Mentoring Product Person 3" in client.get(f"/mentoring/relationships/{pair.pk}/").content
    )
    client.force_login(demo_org["manager"])
    for url in (
        f"/mentoring/programs/{program.pk}/dashboard/",
        f"/mentoring/programs/{program.pk}/report/",
    ):
        assert client.get(url).status_code == 200
    # Loading again changes nothing.
    again = demo_mentoring_load(today=today)
    assert again["created"] is False
    assert {k: again[k] for k in ("mentees", "pairs", "sessions", "assessments")} == {
        k: summary[k] for k in ("mentees", "pairs", "sessions", "assessments")
    }


def test_programs_emptied_by_a_demo_reset_are_loaded_again(demo_org):
    first = demo_mentoring_load(today=demo_org["today"])
    Program.objects.get(pk=first["program"]).enrollments.all().delete()  # as a reset would
    again = demo_mentoring_load(today=demo_org["today"])
    assert again["created"] is True and again["pairs"] == first["pairs"]
    assert Program.objects.filter(name=DEMO_PROGRAM_NAME).count() == 1


def test_without_the_demo_logins_nothing_is_loaded(db):
    assert demo_mentoring_load(today=timezone.now().date())["created"] is False
    assert not Program.objects.exists()


def test_on_the_generated_demo_organization(client, settings, tmp_path, monkeypatch):
    """Once on the real demo (about 15 s): every mentee is matched, the member with the
    mentor, and the story's pages render for the member, the mentor and the manager."""
    from bridgework.accounts.models import User
    from bridgework.demo import demo_load

    settings.DATA_DIR = tmp_path
    # The organization's network analysis plays no part in mentoring: leave it out.
    monkeypatch.setattr("bridgework.analysis.services.analysis_start", lambda **kwargs: None)
    today = timezone.now().date()
    demo_load(seed=7, today=today)  # which loads the mentoring demo too, once wired
    summary = demo_mentoring_load(today=today)
    assert summary["mentees"] == 18 and summary["pairs"] == 18
    program = Program.objects.get(pk=summary["program"])
    assert program.matching_runs.get().unmatched == {}
    member, mentor, manager = (
        User.objects.get(username=u) for u in ("member", "mentor", "manager")
    )
    pair = MentoringRelationship.objects.get(program=program, mentee=member.person)
    assert pair.mentor == mentor.person
    assert pair.sessions.filter(status="held").count() >= 5
    assert RelationshipIntroduction.objects.filter(relationship=pair).exists()
    for user, url in (
        (member, f"/mentoring/relationships/{pair.pk}/"),
        (member, "/mentoring/"),
        (mentor, f"/mentoring/relationships/{pair.pk}/"),
        (manager, f"/mentoring/programs/{program.pk}/dashboard/"),
        (manager, f"/mentoring/programs/{program.pk}/matching/"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200, url
