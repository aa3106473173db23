"""The demo loader on a small organization built with factories."""

from __future__ import annotations

import datetime as dt

import pytest

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.impact import selectors
from bridgework.impact.demo import demo_impact_load
from bridgework.impact.models import EvaluationRun, Objective, Outcome, Stakeholder
from bridgework.interactions.events import app_events_rewrite
from bridgework.interactions.models import IntroductionRequest
from bridgework.people.models import Organization

from .conftest import at, days_ago, program, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_org(db):
    """Two teams of eight, a partner and a client, the three demo logins, a year of
    meetings (in the database and the event store), and an accepted introduction."""
    alpha, beta = (
        factories.TeamFactory(name="Platform Engineering"),
        factories.TeamFactory(name="Sales"),
    )
    lumen = factories.OrganizationFactory(name="Lumen Cloud", kind=Organization.Kind.PARTNER)
    bank = factories.OrganizationFactory(name="Altamira Bank", kind=Organization.Kind.CLIENT)
    api = factories.SkillFactory(name="API design", slug="api-design")

    def login(username, team, roles):
        person = factories.PersonFactory(full_name=f"{username.title()} Person", team=team)
        return factories.UserFactory(username=username, person=person, roles=roles)

    member = login("member", alpha, [Role.MEMBER])
    mentor = login("mentor", beta, [Role.MEMBER, Role.MENTOR])
    manager = login("manager", beta, [Role.MEMBER, Role.PROGRAM_MANAGER])
    alphas = [member.person] + [factories.PersonFactory(team=alpha) for _ in range(7)]
    betas = [mentor.person, manager.person] + [factories.PersonFactory(team=beta) for _ in range(6)]
    partners = [
        factories.PersonFactory(organization=lumen, engagement_type="partner") for _ in range(3)
    ]
    clients = [
        factories.PersonFactory(organization=bank, engagement_type="client") for _ in range(3)
    ]
    factories.PersonSkillFactory(person=partners[0], skill=api, level=4)
    everyone = alphas + betas
    for week in range(50, 0, -1):
        day = today() - dt.timedelta(days=7 * week)
        for i, person in enumerate(everyone):
            other = everyone[(i + week) % len(everyone)]
            if other != person:
                factories.InteractionFactory(people=[person, other], occurred_at=at(day))
    for week in range(14, 0, -1):  # the member's new ties with the partner and the client
        day = today() - dt.timedelta(days=7 * week + 1)
        factories.InteractionFactory(
            people=[member.person, partners[week % 3]], occurred_at=at(day)
        )
        factories.InteractionFactory(people=[member.person, clients[week % 3]], occurred_at=at(day))
    made = factories.InteractionFactory(
        people=[betas[2], member.person, partners[1]],
        channel="introduction",
        occurred_at=at(days_ago(20)),
    )
    request = IntroductionRequest.objects.create(
        requester=member.person,
        via=betas[2],
        target=partners[1],
        path=[member.person.pk, betas[2].pk, partners[1].pk],
        message="m",
        status="completed",
        interaction=made,
    )
    IntroductionRequest.objects.filter(pk=request.pk).update(created_at=at(days_ago(25)))
    app_events_rewrite()
    return {
        "member": member,
        "mentor": mentor,
        "manager": manager,
        "alphas": alphas,
        "betas": betas,
    }


def test_the_demo_fills_objectives_plans_outcomes_and_evaluations(small_org):
    running = program(
        "Spring cohort",
        mentees=small_org["alphas"][1:4],
        mentors=[small_org["mentor"].person],
        start=days_ago(90),
    )
    counts = demo_impact_load(today=today())

    member = small_org["member"]
    assert counts["skipped"] is False
    assert counts["objectives"] == 4  # the member's three and the program's
    assert counts["evaluations"] == 1 and EvaluationRun.objects.get().program == running
    mine = Objective.objects.filter(owner=member.person).order_by("id")
    assert [o.title for o in mine] == [
        "Land the first partner integration with Lumen Cloud",
        "Win the Altamira Bank platform expansion",
        "Bring machine learning into the product's recommendations",
    ]
    assert mine[1].scope == "team"
    assert Stakeholder.objects.filter(objective=mine[0], origin="proposed").exists()
    assert counts["stakeholders"] == Stakeholder.objects.count() > 0
    assert counts["shares"] == 2
    assert counts["outcomes"] == Outcome.objects.count() >= 10
    assert Outcome.objects.filter(owner=member.person).exists()
    assert Outcome.objects.exclude(owner=member.person).filter(contributors__isnull=False).exists()
    assert Outcome.objects.filter(introductions__isnull=False).exists()

    # The member's plan shows progress from the events, and the leader sees both teams.
    plan = selectors.objective_plan(viewer=member, objective=mine[1], with_paths=False)
    assert plan.progress is not None and plan.progress.meetings > 0
    leader = factories.UserFactory(username="lea", person=None, roles=[Role.LEADER])
    dashboard = selectors.group_dashboard(viewer=leader)
    assert {r.label for r in dashboard.rows_of_team} == {"Platform Engineering", "Sales"}
    assert dashboard.total.by_unit["money"].value > 0 or dashboard.total.by_unit["hours"].value > 0

    again = demo_impact_load(today=today())
    assert again["skipped"] is True
    assert Outcome.objects.count() == counts["outcomes"] and EvaluationRun.objects.count() == 1


def test_without_mentoring_programs_the_demo_skips_evaluations(small_org):
    counts = demo_impact_load(today=today())
    assert counts["evaluations"] == 0 and counts["objectives"] == 3
