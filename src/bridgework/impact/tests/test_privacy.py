"""Who sees what: objectives and outcomes are their owner's (and whom they share
with); leaders see groups only, above the threshold, with no names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import AuditEntry
from bridgework.core.errors import NotFoundError
from bridgework.impact import selectors, services
from bridgework.impact.services import ContributorIn

from .conftest import days_ago, event, program, tie, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(org):
    objective = services.objective_create(
        actor=org.mia, title="MIAS-SECRET-OBJECTIVE", needed_organizations=[org.partner]
    )
    services.stakeholder_add(actor=org.mia, objective=objective, person=org.partners[0])
    outcome = services.outcome_log(
        actor=org.mia,
        kind="deal",
        title="MIAS-SECRET-DEAL",
        value="500",
        unit="money",
        occurred_on=days_ago(3),
        objective=objective,
        contributors=[ContributorIn(person=org.partners[0])],
    )
    return {"objective": objective, "outcome": outcome}


def test_another_member_gets_not_found_everywhere(client, org, mine):
    client.force_login(org.oscar)
    objective, outcome = mine["objective"], mine["outcome"]
    for url in (
        reverse("impact:objective_detail", args=[objective.pk]),
        reverse("impact:objective_edit", args=[objective.pk]),
        reverse("impact:outcome_detail", args=[outcome.pk]),
        reverse("impact:outcome_edit", args=[outcome.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("impact:objective_delete", args=[objective.pk])).status_code == 404
    stakeholder = objective.stakeholders.get()
    assert (
        client.post(reverse("impact:stakeholder_remove", args=[stakeholder.pk])).status_code == 404
    )
    html = client.get(reverse("impact:objectives")).content.decode()
    assert "MIAS-SECRET" not in html
    with pytest.raises(NotFoundError):
        selectors.access_objective(viewer=org.oscar, objective_id=objective.pk)
    # Missing and forbidden look the same.
    with pytest.raises(NotFoundError):
        selectors.access_objective(viewer=org.oscar, objective_id=999_999)


def test_a_mentor_reads_what_is_shared_read_only_and_it_is_audited(client, org, mine):
    objective = mine["objective"]
    services.objective_share(actor=org.mia, objective=objective, person=org.max.person)
    tie(org.mia.person, org.partners[0], 0.5)
    client.force_login(org.max)
    response = client.get(reverse("impact:objective_detail", args=[objective.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "MIAS-SECRET-OBJECTIVE" in html
    assert "Proposed by Bridgework" not in html  # proposals and paths are the owner's
    assert "Edit or remove" not in html and "ask for the introduction" not in html
    assert AuditEntry.objects.filter(
        actor=org.max, action="view", object_type="objective", object_id=str(objective.pk)
    ).exists()
    assert client.get(reverse("impact:objective_edit", args=[objective.pk])).status_code == 404
    # The outcome linked to the shared objective is readable too; editing is not.
    outcome = mine["outcome"]
    assert client.get(reverse("impact:outcome_detail", args=[outcome.pk])).status_code == 200
    assert client.get(reverse("impact:outcome_edit", args=[outcome.pk])).status_code == 404


def test_sharing_with_a_team_and_team_objectives(org, mine):
    services.objective_share(actor=org.mia, objective=mine["objective"], team=org.beta)
    assert mine["objective"] in selectors.objective_list(viewer=org.oscar).shared
    team_goal = services.objective_create(
        actor=org.mia, title="Alpha's goal", scope="team", team=org.alpha
    )
    alpha_member = factories.UserFactory(username="alf", person=org.alphas[1])
    assert team_goal in selectors.objective_list(viewer=alpha_member).team
    assert team_goal not in selectors.objective_list(viewer=org.oscar).team


def test_admins_may_look_and_it_is_audited(org, mine):
    from bridgework.accounts.models import Role

    ada = factories.UserFactory(username="ada", roles=[Role.ADMIN])
    selectors.access_outcome(viewer=ada, outcome_id=mine["outcome"].pk)
    assert AuditEntry.objects.filter(actor=ada, action="view", object_type="outcome").exists()
    with pytest.raises(NotFoundError):
        selectors.access_outcome(viewer=ada, outcome_id=mine["outcome"].pk, for_edit=True)


def test_members_and_mentors_do_not_see_the_group_dashboard(client, org):
    for user in (org.mia, org.max, org.pam):
        client.force_login(user)
        assert client.get(reverse("impact:groups")).status_code == 404
        assert (
            client.get(reverse("impact:report", args=["html"]) + "?audience=leader").status_code
            == 404
        )


def test_the_leader_sees_no_small_group_and_no_names(client, org, mine):
    # Gamma (3 people) and Delta (2) are under the minimum of 5: withheld with all
    # their figures. Together they hold 5, so the totals do not reveal them and
    # Alpha and Beta can be shown (with Gamma alone, one of them would be hidden too).
    delta = factories.TeamFactory(name="Delta")
    deltas = [factories.PersonFactory(full_name=f"Delta Person {i}", team=delta) for i in range(2)]
    write(
        *(event(p, org.alphas[0], day=days_ago(10)) for p in org.alphas[1:]),
        *(event(p, org.betas[0], day=days_ago(9)) for p in org.betas[1:]),
        *(event(org.gammas[0], p, day=days_ago(8)) for p in org.gammas[1:]),
    )
    client.force_login(org.lea)
    response = client.get(reverse("impact:groups"))
    html = response.content.decode()
    assert response.status_code == 200
    main = html[html.index("<main") : html.index("</main>")]
    assert "Alpha" in main and "Beta" in main
    assert "Gamma" not in main and "Delta" not in main
    for person in [*org.alphas, *org.betas, *org.gammas, *org.partners, *deltas]:
        assert person.full_name not in main
    assert "MIAS-SECRET" not in main
    dashboard = selectors.group_dashboard(viewer=org.lea)
    assert {r.label for r in dashboard.rows_of_team} == {"Alpha", "Beta"}
    assert dashboard.hidden >= 2


def test_a_small_group_alone_also_hides_the_next_smallest(org):
    """With only Gamma (3) hidden, the total minus Alpha and Beta would reveal it:
    the smaller of Alpha and Beta is withheld too (the complement rule)."""
    dashboard = selectors.group_dashboard(viewer=org.lea)
    assert len(dashboard.rows_of_team) == 1


def test_program_groups_follow_the_same_threshold(org):
    small = program("Tiny", mentees=org.alphas[1:3], mentors=[org.max.person], start=days_ago(30))
    big = program("Big", mentees=org.alphas[1:6] + org.betas[3:6], start=days_ago(30))
    dashboard = selectors.group_dashboard(viewer=org.lea)
    programs_shown = {r.label for r in dashboard.rows_of_program}
    assert "Tiny" not in programs_shown and "Big" in programs_shown
    assert small.pk and big.pk


def test_program_pages_for_program_managers_and_leaders_only(client, org):
    running = program("Spring", mentees=org.alphas[1:3], start=days_ago(30))
    url = reverse("impact:program_detail", args=[running.pk])
    client.force_login(org.mia)
    assert client.get(url).status_code == 404
    assert client.get(reverse("impact:programs")).status_code == 404
    for user in (org.pam, org.lea):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        # Fewer than 5 participants: the program's return is not shown, no names either.
        assert "Fewer than 5 participants" in html
        assert org.alphas[1].full_name not in html[html.index("<main") :]
