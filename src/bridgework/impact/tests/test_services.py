"""The impact services: owners only, every rule checked before anything is stored,
the audit log written, contribution paths derived by the documented rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import AuditEntry
from bridgework.core.errors import NotFoundError
from bridgework.impact import services
from bridgework.impact.models import (
    ContributionPath,
    Objective,
    ObjectiveShare,
    Outcome,
    OutcomeContributor,
    PathStep,
    Stakeholder,
)
from bridgework.impact.services import ContributorIn
from bridgework.interactions.models import IntroductionRequest

from .conftest import at, days_ago, today

pytestmark = pytest.mark.django_db


def _objective(user, **extra):
    return services.objective_create(actor=user, title="Land the partner integration", **extra)


def _nothing_stored():
    assert Outcome.objects.count() == 0
    assert OutcomeContributor.objects.count() == 0
    assert ContributionPath.objects.count() == 0 and PathStep.objects.count() == 0


# ---- objectives ----------------------------------------------------------------------------


def test_objective_create_and_update(org):
    skill = factories.SkillFactory(name="API design")
    objective = _objective(
        org.mia,
        why="Opens the partner's accounts.",
        target_date=today() + dt.timedelta(days=30),
        needed_skills=[skill],
        needed_organizations=[org.partner],
    )
    assert objective.owner == org.mia.person and objective.started_on == today()
    assert list(objective.needed_skills.all()) == [skill]
    assert AuditEntry.objects.filter(object_type="objective", action="create").count() == 1

    services.objective_update(
        actor=org.mia, objective=objective, title="Renamed", status="achieved"
    )
    objective.refresh_from_db()
    assert (objective.title, objective.status) == ("Renamed", "achieved")
    assert list(objective.needed_skills.all()) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"why": "x" * 2001}, "why"),
        ({"started_on": today(), "target_date": today() - dt.timedelta(days=1)}, "target_date"),
        ({"scope": "team"}, "team"),
        ({"scope": "galaxy"}, "scope"),
    ],
)
def test_objective_rules_store_nothing(org, fields, field):
    values = {"title": "t", **fields}
    with pytest.raises(ValidationError) as error:
        services.objective_create(actor=org.mia, **values)
    assert field in error.value.message_dict
    assert Objective.objects.count() == 0


def test_team_objectives_only_for_my_team(org):
    mine = services.objective_create(actor=org.mia, title="t", scope="team", team=org.alpha)
    assert mine.team == org.alpha
    with pytest.raises(ValidationError, match="your own team"):
        services.objective_create(actor=org.mia, title="t", scope="team", team=org.beta)


def test_program_objectives_only_for_program_managers(org):
    from .conftest import program

    running = program("Spring", start=days_ago(30))
    objective = services.objective_create(
        actor=org.pam, title="Wider networks", scope="program", program=running
    )
    assert objective.program == running
    with pytest.raises(ValidationError, match="program managers"):
        services.objective_create(actor=org.mia, title="t", scope="program", program=running)


def test_only_the_owner_changes_an_objective(org):
    objective = _objective(org.mia)
    for call in (
        lambda: services.objective_update(actor=org.oscar, objective=objective, title="x"),
        lambda: services.objective_delete(actor=org.oscar, objective=objective),
        lambda: services.objective_share(actor=org.oscar, objective=objective, team=org.beta),
        lambda: services.stakeholder_add(
            actor=org.oscar, objective=objective, person=org.oscar.person
        ),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert Objective.objects.get().title == "Land the partner integration"


def test_sharing(org):
    objective = _objective(org.mia)
    share = services.objective_share(actor=org.mia, objective=objective, person=org.max.person)
    assert (
        services.objective_share(actor=org.mia, objective=objective, person=org.max.person) == share
    )
    services.objective_share(actor=org.mia, objective=objective, team=org.beta)
    assert ObjectiveShare.objects.count() == 2
    with pytest.raises(ValidationError, match="yours already"):
        services.objective_share(actor=org.mia, objective=objective, person=org.mia.person)
    with pytest.raises(ValidationError, match="one person or one team"):
        services.objective_share(actor=org.mia, objective=objective)
    services.objective_unshare(actor=org.mia, share=share)
    assert ObjectiveShare.objects.count() == 1


def test_the_plan_add_edit_remove_and_put_back(org):
    objective = _objective(org.mia)
    lena = org.partners[0]
    stakeholder = services.stakeholder_add(
        actor=org.mia,
        objective=objective,
        person=lena,
        origin="proposed",
        reason="Works at Lumen",
        target_strength=0.35,
        cadence_days=14,
    )
    assert (stakeholder.origin, stakeholder.status) == ("proposed", "accepted")
    services.stakeholder_update(
        actor=org.mia,
        stakeholder=stakeholder,
        target_strength=0.6,
        cadence_days=30,
        next_step="Demo the prototype",
    )
    stakeholder.refresh_from_db()
    assert (stakeholder.target_strength, stakeholder.cadence_days, stakeholder.reason) == (
        0.6,
        30,
        "Works at Lumen",
    )
    services.stakeholder_remove(actor=org.mia, stakeholder=stakeholder)
    assert Stakeholder.objects.get().status == "dismissed"
    again = services.stakeholder_add(actor=org.mia, objective=objective, person=lena)
    assert again.pk == stakeholder.pk and again.status == "accepted"
    with pytest.raises(ValidationError) as error:
        services.stakeholder_update(actor=org.mia, stakeholder=again, target_strength=1.5)
    assert "target_strength" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.stakeholder_add(actor=org.mia, objective=objective, person=org.mia.person)
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.stakeholder_update(actor=org.mia, stakeholder=again, cadence_days=400)


# ---- outcomes ------------------------------------------------------------------------------


def _valid(**overrides) -> dict:
    values = dict(
        kind="deal",
        title="Pilot signed",
        value="1200",
        unit="money",
        occurred_on=days_ago(2),
        evidence="Order form",
    )
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"unit": "euros"}, "unit", "Unknown unit 'euros'"),
        ({"value": "-5"}, "value", "cannot be negative"),
        ({"value": "ten"}, "value", "not a number"),
        ({"value": "12.345"}, "value", "two decimals"),
        ({"value": "NaN"}, "value", "finite"),
        ({"unit": "rating", "value": "6"}, "value", "from 1 to 5"),
        ({"unit": "rating", "value": "0"}, "value", "from 1 to 5"),
        ({"occurred_on": dt.date.today() + dt.timedelta(days=3)}, "occurred_on", "future"),
        ({"occurred_on": None}, "occurred_on", "when it happened"),
        ({"evidence": "x" * 2001}, "evidence", "under 2000 characters"),
        ({"title": ""}, "title", "a few words"),
        ({"kind": "luck"}, "kind", "kind of result"),
        ({"credit_method": "coin"}, "credit_method", "attribution method"),
    ],
)
def test_a_bad_outcome_stores_nothing(org, overrides, field, message):
    with pytest.raises(ValidationError) as error:
        services.outcome_log(actor=org.mia, **_valid(**overrides))
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])
    _nothing_stored()


def test_links_that_are_not_mine_store_nothing(org):
    theirs = factories.InteractionFactory(people=[org.oscar.person, org.max.person])
    with pytest.raises(ValidationError, match="took part in"):
        services.outcome_log(actor=org.mia, interactions=[theirs], **_valid())
    request = IntroductionRequest.objects.create(
        requester=org.oscar.person,
        via=org.max.person,
        target=org.partners[0],
        path=[org.oscar.person.pk, org.max.person.pk, org.partners[0].pk],
        message="m",
        status="accepted",
    )
    with pytest.raises(ValidationError, match="you asked for"):
        services.outcome_log(actor=org.mia, introductions=[request], **_valid())
    other_objective = _objective(org.oscar)
    with pytest.raises(ValidationError) as error:
        services.outcome_log(actor=org.mia, objective=other_objective, **_valid())
    assert "objective" in error.value.message_dict
    with pytest.raises(ValidationError, match="you are the owner"):
        services.outcome_log(
            actor=org.mia, contributors=[ContributorIn(person=org.mia.person)], **_valid()
        )
    with pytest.raises(ValidationError, match="listed twice"):
        services.outcome_log(
            actor=org.mia,
            contributors=[
                ContributorIn(person=org.max.person),
                ContributorIn(person=org.max.person),
            ],
            **_valid(),
        )
    with pytest.raises(ValidationError, match="0 or more"):
        services.outcome_log(
            actor=org.mia, contributors=[ContributorIn(person=org.max.person, share=-1)], **_valid()
        )
    _nothing_stored()


def test_paths_are_derived_by_the_rules(org):
    """Introduction: owner → via → target, first hop dated the ask, the rest the
    introduction. Contributor with via: owner → via → contributor, hops dated by the
    first linked interaction of the two, else the outcome's day. Interaction: every
    other participant not reached yet, directly, dated that interaction."""
    mia, ben, chen, dara, eve, fay = (
        org.mia.person,
        org.betas[3],
        org.partners[0],
        org.betas[4],
        org.alphas[1],
        org.alphas[2],
    )
    request = IntroductionRequest.objects.create(
        requester=mia,
        via=ben,
        target=chen,
        path=[mia.pk, ben.pk, chen.pk],
        message="m",
        status="completed",
    )
    made = factories.InteractionFactory(
        people=[ben, mia, chen], channel="introduction", occurred_at=at(days_ago(20))
    )
    IntroductionRequest.objects.filter(pk=request.pk).update(
        created_at=at(days_ago(30)), interaction=made
    )
    request.refresh_from_db()
    met_eve = factories.InteractionFactory(people=[mia, eve, fay], occurred_at=at(days_ago(10)))
    outcome = services.outcome_log(
        actor=org.mia,
        introductions=[request],
        interactions=[met_eve],
        contributors=[ContributorIn(person=dara, via=eve), ContributorIn(person=chen, share=1)],
        **_valid(occurred_on=days_ago(5)),
    )
    paths = [
        (p.origin, [(s.person_id, s.used_on) for s in p.steps.order_by("position")])
        for p in outcome.paths.order_by("position")
    ]
    assert paths == [
        ("introduction", [(mia.pk, None), (ben.pk, days_ago(30)), (chen.pk, days_ago(20))]),
        # Mia and Eve met on day -10; Eve and Dara in no linked interaction: the outcome's day.
        ("contributor", [(mia.pk, None), (eve.pk, days_ago(10)), (dara.pk, days_ago(5))]),
        # Fay took part in the linked meeting; Eve is reached already.
        ("interaction", [(mia.pk, None), (fay.pk, days_ago(10))]),
    ]
    assert AuditEntry.objects.filter(object_type="outcome", object_id=str(outcome.pk)).exists()


def test_update_replaces_links_and_paths_and_only_the_owner_may(org):
    outcome = services.outcome_log(
        actor=org.mia, contributors=[ContributorIn(person=org.max.person)], **_valid()
    )
    with pytest.raises(NotFoundError):
        services.outcome_update(actor=org.oscar, outcome=outcome, **_valid())
    with pytest.raises(NotFoundError):
        services.outcome_delete(actor=org.oscar, outcome=outcome)
    services.outcome_update(
        actor=org.mia,
        outcome=outcome,
        contributors=[ContributorIn(person=org.oscar.person, share=2)],
        **_valid(value="99.50"),
    )
    outcome.refresh_from_db()
    assert outcome.value == Decimal("99.50")
    assert [c.person_id for c in outcome.contributors.all()] == [org.oscar.person.pk]
    assert [[s.person_id for s in p.steps.all()] for p in outcome.paths.all()] == [
        [org.mia.person.pk, org.oscar.person.pk]
    ]
    services.outcome_delete(actor=org.mia, outcome=outcome)
    _nothing_stored()


def test_the_system_logs_for_an_owner(org):
    outcome = services.outcome_log(actor=None, owner=org.alphas[1], **_valid())
    assert outcome.owner == org.alphas[1] and outcome.created_by is None
    with pytest.raises(ValidationError):
        services.outcome_log(actor=None, **_valid())
    with pytest.raises(NotFoundError):
        services.outcome_log(actor=org.mia, owner=org.alphas[1], **_valid())


def test_a_login_without_a_person_has_no_outcomes(org):
    with pytest.raises(ValidationError, match="not linked to a person"):
        services.outcome_log(actor=org.lea, **_valid())
    assert timezone.now()
