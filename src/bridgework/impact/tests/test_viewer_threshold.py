"""Return on impact by group: no group or figure over fewer than the minimum of
people other than the viewer (issue 13, item 1; DESIGN.md, "Privacy and trust").

The attacks: a leader enrols in a four-person program and reads the other
four's totals; a leader switches their own analytics consent to move a group
across the threshold; and, inside a group that is large enough, figures that
one member makes alone (a team's money from one member's outcome).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.impact import selectors, services
from bridgework.impact.models import EvaluationResult, EvaluationRun
from bridgework.people.models import Person

from .conftest import days_ago, event, program, write
from .test_api import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(org):
    """A leader with a person of her own, in Beta."""
    person = factories.PersonFactory(full_name="Lena Leader", team=org.beta)
    return factories.UserFactory(username="lena", roles=[Role.LEADER], person=person)


@pytest.fixture
def circle(org, lena):
    """A program of four Alpha colleagues, with the leader enrolled as the fifth."""
    four = org.alphas[1:5]
    write(
        *(event(p, org.alphas[5], day=days_ago(12)) for p in four),
        event(lena.person, org.alphas[5], day=days_ago(11)),
    )
    return program("Inner Circle", mentees=[*four, lena.person], start=days_ago(60))


def _leader_reads(client, user) -> str:
    """Everything a leader reads about groups: page, API and report."""
    client.force_login(user)
    responses = [
        client.get(reverse("impact:groups")),
        client.get(reverse("impact:report", args=["html"]) + "?audience=leader"),
        get(client, "/api/impact/dashboard/groups", user),
    ]
    for response in responses:
        assert response.status_code == 200
    return "\n".join(r.content.decode() for r in responses)


def test_a_leader_who_enrols_in_a_four_person_program_does_not_see_it(client, org, lena, circle):
    dashboard = selectors.group_dashboard(viewer=lena)
    assert "Inner Circle" not in {r.label for r in dashboard.rows_of_program}
    assert "Inner Circle" not in _leader_reads(client, lena)
    # For a leader outside it, the program holds five other people: shown.
    dashboard = selectors.group_dashboard(viewer=org.lea)
    assert "Inner Circle" in {r.label for r in dashboard.rows_of_program}
    assert "Inner Circle" in _leader_reads(client, org.lea)


def test_the_leaders_own_consent_moves_no_group_across_the_threshold(client, org, lena, circle):
    for consent in (True, False, True):
        Person.objects.filter(pk=lena.person.pk).update(analytics_consent=consent)
        lena.person.refresh_from_db()
        dashboard = selectors.group_dashboard(viewer=lena)
        assert "Inner Circle" not in {r.label for r in dashboard.rows_of_program}, consent
        assert "Inner Circle" not in _leader_reads(client, lena), consent


@pytest.fixture
def alpha_shown(org):
    """Delta (2) beside Gamma (3): five hidden together, so both Alpha and Beta
    are shown; every Alpha member invests an hour with a Beta colleague."""
    delta = factories.TeamFactory(name="Delta")
    for i in range(2):
        factories.PersonFactory(full_name=f"Delta Person {i}", team=delta)
    write(*(event(p, org.betas[i], day=days_ago(10)) for i, p in enumerate(org.alphas)))


def _money(owner_users, value: str) -> None:
    for user in owner_users:
        services.outcome_log(
            actor=user,
            kind="deal",
            title="Deal",
            value=value,
            unit="money",
            occurred_on=days_ago(5),
        )


def _alpha(client, user) -> dict:
    body = get(client, "/api/impact/dashboard/groups", user).json()
    return next(t for t in body["teams"] if t["label"] == "Alpha")


def test_a_teams_money_from_one_members_outcome_is_not_shown(client, org, alpha_shown):
    _money([org.mia], "500")  # Mia alone is credited: Alpha's money would be hers
    alpha = _alpha(client, org.lea)
    assert alpha["people"] == 6
    assert alpha["result"]["hours"] == 6.0  # six members, one hour each: shown
    assert alpha["result"]["by_unit"]["money"] == {
        "value": None,
        "outcomes": None,
        "per_hour": None,
    }
    assert "money" in alpha["withheld"]
    client.force_login(org.lea)
    html = client.get(reverse("impact:groups")).content.decode()
    assert "500" not in html.split("By team", 1)[1].split("</section>", 1)[0]
    assert "not shown" in html
    # The organization's total is one person's too (no one else earned money).
    body = get(client, "/api/impact/dashboard/groups", org.lea).json()
    assert "money" in body["total_withheld"] and body["total"]["by_unit"]["money"]["value"] is None


def test_a_teams_money_from_five_members_is_shown(client, org, alpha_shown):
    alphas = [org.mia] + [
        factories.UserFactory(username=f"alpha{i}", person=p, roles=[Role.MEMBER])
        for i, p in enumerate(org.alphas[1:5])
    ]
    _money(alphas, "100")  # five owners, 100 each, no contributors: 500 to Alpha
    alpha = _alpha(client, org.lea)
    assert alpha["result"]["by_unit"]["money"]["value"] == 500.0
    assert "money" not in alpha["withheld"]


def test_introductions_made_by_one_member_are_not_counted_for_the_team(client, org, alpha_shown):
    write(
        event(
            org.mia.person, org.betas[1], org.partners[0], day=days_ago(4), channel="introduction"
        )
    )
    alpha = _alpha(client, org.lea)
    assert alpha["introductions_given"] is None and "introductions_given" in alpha["withheld"]


def _finding_run(prog, *, participants: int) -> EvaluationRun:
    run = EvaluationRun.objects.create(
        program=prog,
        before_day=prog.start_date - dt.timedelta(days=1),
        after_day=days_ago(1),
        participants=participants,
        pool=40,
    )
    EvaluationResult.objects.create(
        run=run,
        position=0,
        measure="ties_outside_team",
        measure_label="ties outside own team",
        participants=participants,
        comparison_people=30,
        treated_change=4.25,
        comparison_change=1.5,
        effect=2.75,
        standard_error=0.5,
        ci_low=1.77,
        ci_high=3.73,
        verdict="increase",
        wording="Participants' ties outside own team rose by 2.75 more than similar people's.",
    )
    return run


def test_an_evaluation_over_too_few_mentees_besides_the_leader_is_not_shown(
    client, org, lena, settings
):
    # Minimum 10 (configurable): ten mentees evaluated, one of them the leader.
    settings.PRIVACY_MIN_GROUP_SIZE = 10
    mentees = [factories.PersonFactory(team=org.alpha) for _ in range(9)] + [lena.person]
    prog = program("Ten", mentees=mentees, start=days_ago(90))
    _finding_run(prog, participants=10)
    url = reverse("impact:program_detail", args=[prog.pk])
    client.force_login(lena)
    html = client.get(url).content.decode()
    assert "2.75" not in html and "results are not shown to you" in html
    body = get(client, f"/api/impact/programs/{prog.pk}", lena).json()
    [result] = body["evaluation"]["results"]
    assert result["effect"] is None and "2.75" not in result["wording"]
    # A leader outside the program sees the ten mentees' averages.
    client.force_login(org.lea)
    assert "2.75" in client.get(url).content.decode()
