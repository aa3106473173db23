"""The impact models: named constraints hold in the database, clean() explains the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bridgework import factories
from bridgework.impact.models import (
    ContributionPath,
    EvaluationResult,
    EvaluationRun,
    Objective,
    ObjectiveShare,
    Outcome,
    OutcomeContributor,
    PathStep,
    Stakeholder,
)

from .conftest import days_ago, program, today

pytestmark = pytest.mark.django_db


def _violates(name: str, create) -> None:
    # PostgreSQL names every constraint; SQLite names check constraints only.
    pattern = f"{name}|UNIQUE constraint failed"
    with pytest.raises(IntegrityError, match=pattern), transaction.atomic():
        create()


@pytest.fixture
def person():
    return factories.PersonFactory(full_name="Ann Owner")


@pytest.fixture
def objective(person):
    return Objective.objects.create(owner=person, title="Land the partner integration")


@pytest.fixture
def outcome(person):
    return Outcome.objects.create(
        owner=person,
        kind="deal",
        title="Pilot",
        value=Decimal("100"),
        unit="money",
        occurred_on=today(),
    )


def test_strings_and_ordering(person, objective, outcome):
    older = Objective.objects.create(owner=person, title="Older", started_on=days_ago(30))
    assert str(objective) == "Land the partner integration"
    assert list(Objective.objects.filter(owner=person)) == [objective, older]
    assert str(outcome) == f"Pilot (100 money, {today()})"
    other = factories.PersonFactory(full_name="Ben")
    stakeholder = Stakeholder.objects.create(objective=objective, person=other)
    assert str(stakeholder) == "Ben in the plan for Land the partner integration (accepted)"


def test_objective_constraints(person):
    team = factories.TeamFactory(name="Alpha")
    _violates(
        "objective_group_matches_scope",
        lambda: Objective.objects.create(owner=person, title="t", scope="team"),
    )
    _violates(
        "objective_group_matches_scope",
        lambda: Objective.objects.create(owner=person, title="t", team=team),
    )
    _violates(
        "objective_target_after_start",
        lambda: Objective.objects.create(
            owner=person, title="t", started_on=today(), target_date=days_ago(1)
        ),
    )
    _violates(
        "objective_status_known",
        lambda: Objective.objects.create(owner=person, title="t", status="maybe"),
    )
    with pytest.raises(ValidationError) as error:
        Objective(owner=person, title="t", scope="team").clean()
    assert error.value.message_dict == {"team": ["A team objective needs its team."]}


def test_program_objectives_need_their_program(person):
    running = program("Spring", start=days_ago(10))
    Objective.objects.create(owner=person, title="t", scope="program", program=running)
    _violates(
        "objective_group_matches_scope",
        lambda: Objective.objects.create(owner=person, title="t", scope="program"),
    )


def test_share_with_one_person_or_one_team(objective):
    team = factories.TeamFactory(name="Beta")
    mentor = factories.PersonFactory()
    _violates(
        "objectiveshare_person_or_team",
        lambda: ObjectiveShare.objects.create(objective=objective, person=mentor, team=team),
    )
    _violates(
        "objectiveshare_person_or_team", lambda: ObjectiveShare.objects.create(objective=objective)
    )
    ObjectiveShare.objects.create(objective=objective, person=mentor)
    _violates(
        "objectiveshare_once_per_person",
        lambda: ObjectiveShare.objects.create(objective=objective, person=mentor),
    )


def test_stakeholder_constraints(objective):
    other = factories.PersonFactory()
    _violates(
        "stakeholder_target_0_to_1",
        lambda: Stakeholder.objects.create(objective=objective, person=other, target_strength=1.2),
    )
    _violates(
        "stakeholder_cadence_1_to_365",
        lambda: Stakeholder.objects.create(objective=objective, person=other, cadence_days=0),
    )
    Stakeholder.objects.create(objective=objective, person=other)
    _violates(
        "stakeholder_once_per_objective",
        lambda: Stakeholder.objects.create(objective=objective, person=other),
    )
    with pytest.raises(ValidationError, match="your own plan"):
        Stakeholder(objective=objective, person=objective.owner).clean()


def test_outcome_constraints(person):
    def outcome(**fields):
        values = dict(
            owner=person,
            kind="deal",
            title="t",
            value=Decimal("1"),
            unit="money",
            occurred_on=today(),
        )
        values.update(fields)
        return lambda: Outcome.objects.create(**values)

    _violates("outcome_value_in_range", outcome(value=Decimal("-1")))
    _violates("outcome_rating_1_to_5", outcome(unit="rating", value=Decimal("6")))
    _violates("outcome_unit_known", outcome(unit="euros"))
    _violates("outcome_kind_known", outcome(kind="lucky"))
    _violates("outcome_credit_method_known", outcome(credit_method="coin"))
    with pytest.raises(ValidationError) as error:
        Outcome(
            owner=person,
            kind="deal",
            title="t",
            value=Decimal("1"),
            unit="money",
            occurred_on=today() + dt.timedelta(days=2),
            evidence="x" * 2001,
        ).clean()
    assert set(error.value.message_dict) == {"occurred_on", "evidence"}


def test_contributor_and_path_constraints(outcome):
    ben = factories.PersonFactory()
    _violates(
        "outcomecontributor_not_own_via",
        lambda: OutcomeContributor.objects.create(outcome=outcome, person=ben, via=ben),
    )
    _violates(
        "outcomecontributor_share_not_negative",
        lambda: OutcomeContributor.objects.create(outcome=outcome, person=ben, share=-1),
    )
    path = ContributionPath.objects.create(outcome=outcome, position=0, origin="contributor")
    _violates(
        "pathstep_owner_has_no_hop_date",
        lambda: PathStep.objects.create(
            path=path, position=0, person=outcome.owner, used_on=today()
        ),
    )
    PathStep.objects.create(path=path, position=0, person=outcome.owner)
    _violates(
        "pathstep_person_once",
        lambda: PathStep.objects.create(
            path=path, position=1, person=outcome.owner, used_on=today()
        ),
    )


def test_evaluation_constraints():
    running = program("Autumn", start=days_ago(100))
    _violates(
        "evaluationrun_after_later",
        lambda: EvaluationRun.objects.create(
            program=running, before_day=today(), after_day=today(), participants=0, pool=0
        ),
    )
    run = EvaluationRun.objects.create(
        program=running, before_day=days_ago(100), after_day=today(), participants=0, pool=0
    )
    _violates(
        "evaluationresult_interval_ordered",
        lambda: EvaluationResult.objects.create(
            run=run,
            position=0,
            measure="ties",
            measure_label="ties",
            participants=1,
            comparison_people=1,
            ci_low=2,
            ci_high=1,
            verdict="increase",
            wording="w",
        ),
    )
    _violates(
        "evaluationresult_verdict_known",
        lambda: EvaluationResult.objects.create(
            run=run,
            position=0,
            measure="ties",
            measure_label="ties",
            participants=1,
            comparison_people=1,
            verdict="great",
            wording="w",
        ),
    )
