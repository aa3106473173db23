"""Merging two people moves their objectives, outcomes, plans and credit, and undoes exactly.

Dee is a duplicate of Kay. Olga owns an objective whose plan names both
(Kay removed from it, Dee in it), shares it with Dee, and logged an outcome
Dee contributed to through Kay. Dee owns an objective naming Kay in its plan
and an outcome. What the merge must leave is worked out by hand from the
rules in ``impact/merge.py``'s docs; the undo must give back every table as
it was, contribution paths compared by what they say.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.forms.models import model_to_dict

from bridgework import factories
from bridgework.impact.models import (
    Objective,
    ObjectiveShare,
    Outcome,
    OutcomeContributor,
    PathStep,
    Stakeholder,
)
from bridgework.impact.services.outcomes import ContributorIn, derive_paths
from bridgework.people.merge import person_merge, person_merge_undo

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 15)


def write_paths(outcome: Outcome) -> None:
    """The paths the outcome service derives, written the way it writes them."""
    contributors = [
        ContributorIn(person=c.person, via=c.via, share=c.share)
        for c in outcome.contributors.order_by("id")
    ]
    for position, (origin, _, steps) in enumerate(
        derive_paths(
            owner_id=outcome.owner_id,
            occurred_on=outcome.occurred_on,
            contributors=contributors,
            introductions=[],
            interactions=[],
        )
    ):
        path = outcome.paths.create(position=position, origin=origin)
        for step, (person, day) in enumerate(steps):
            PathStep.objects.create(path=path, position=step, person_id=person, used_on=day)


@pytest.fixture
def world(db):
    kay, dee, olga, pia = (
        factories.PersonFactory(full_name=n) for n in ("Kay", "Dee", "Olga", "Pia")
    )
    olgas = Objective.objects.create(owner=olga, title="Open the Lisbon office")
    Stakeholder.objects.create(objective=olgas, person=kay, status="dismissed", reason="Kay")
    Stakeholder.objects.create(objective=olgas, person=dee, status="accepted", reason="Dee")
    ObjectiveShare.objects.create(objective=olgas, person=dee)
    dees = Objective.objects.create(owner=dee, title="Learn Portuguese")
    Stakeholder.objects.create(objective=dees, person=kay, reason="Kay in Dee's plan")
    Stakeholder.objects.create(objective=dees, person=pia, reason="Pia")
    won = Outcome.objects.create(
        owner=olga, kind="deal", title="Lease signed", value=1, unit="rating", occurred_on=DAY
    )
    OutcomeContributor.objects.create(outcome=won, person=dee, via=kay, share=2)
    OutcomeContributor.objects.create(outcome=won, person=pia, via=dee, share=1)
    own = Outcome.objects.create(
        owner=dee, kind="knowledge", title="A2 exam", value=3, unit="rating", occurred_on=DAY
    )
    OutcomeContributor.objects.create(outcome=own, person=kay, share=1)
    OutcomeContributor.objects.create(outcome=own, person=pia, via=kay, share=1)
    for outcome in (won, own):
        write_paths(outcome)
    return {"kay": kay, "dee": dee, "olga": olga, "pia": pia, "won": won, "own": own}


def names(rows) -> set:
    return {
        tuple(getattr(getattr(row, f), "full_name", None) for f in ("person", "via"))
        for row in rows
    }


def steps(outcome) -> list[list[str]]:
    return [
        [s.person.full_name for s in path.steps.order_by("position")]
        for path in outcome.paths.order_by("position")
    ]


def everything() -> dict[str, list]:
    tables: dict[str, list] = {
        model.__name__: [{"pk": r.pk, **model_to_dict(r)} for r in model.objects.order_by("pk")]
        for model in (Objective, Stakeholder, ObjectiveShare, Outcome, OutcomeContributor)
    }
    tables["paths"] = [
        (s.path.outcome_id, s.path.position, s.path.origin, s.position, s.person_id, s.used_on)
        for s in PathStep.objects.select_related("path").order_by(
            "path__outcome", "path__position", "position"
        )
    ]
    return tables


def test_merge_moves_ownership_plans_shares_and_credit(world, analyst):
    kay, dee, olga = world["kay"], world["dee"], world["olga"]
    person_merge(actor=analyst, keep=kay, drop=dee)

    assert set(Objective.objects.values_list("title", "owner__full_name")) == {
        ("Open the Lisbon office", "Olga"),
        ("Learn Portuguese", "Kay"),
    }
    # Olga's plan: Dee's place in it (accepted) beats Kay's removed one.
    assert set(
        Stakeholder.objects.values_list("objective__title", "person__full_name", "status")
    ) == {
        ("Open the Lisbon office", "Kay", "accepted"),
        ("Learn Portuguese", "Pia", "accepted"),  # Kay in his own plan is gone
    }
    assert list(ObjectiveShare.objects.values_list("objective__owner", "person")) == [
        (olga.pk, kay.pk)
    ]
    # Dee via Kay becomes Kay with no one between; Pia via Dee, Pia via Kay. In the
    # outcome now Kay's own, Kay is not a contributor to himself.
    assert names(world["won"].contributors.all()) == {("Kay", None), ("Pia", "Kay")}
    assert names(world["own"].contributors.all()) == {("Pia", None)}
    # Paths derived again by the rules in impact/services/outcomes.py: one per contributor,
    # through whoever connected them.
    assert steps(world["won"]) == [["Olga", "Kay"], ["Olga", "Kay", "Pia"]]
    assert steps(world["own"]) == [["Kay", "Pia"]]


def test_undo_gives_back_every_table(world, analyst):
    before = everything()
    merge = person_merge(actor=analyst, keep=world["kay"], drop=world["dee"])
    person_merge_undo(actor=analyst, merge=merge)
    assert everything() == before
