"""Attribution through the app: stored outcome → contribution paths → the four
methods, against values worked out by hand (docs/impact.md, "Attribution")."""

from __future__ import annotations

import pytest

from bridgework import factories
from bridgework.impact import credit, selectors, services
from bridgework.impact.services import ContributorIn
from bridgework.interactions.models import IntroductionRequest

from .conftest import at, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(org):
    """Ana (Mia here) closes a 1,200 deal. Ben introduced her to Chen (she asked
    Ben 30 days ago, he made the introduction 20 days ago), and she reached Dara
    directly in a meeting 10 days ago. She declares Ben 50, Dara 30, Chen 20.

    Paths: [Ana, Ben, Chen] with hops dated (-30, -20), and [Ana, Dara] dated -10.
    Relationships: a = Ana–Ben, b = Ben–Chen, c = Ana–Dara.
    """
    ana, ben, chen, dara = org.mia.person, org.betas[3], org.partners[0], org.betas[4]
    request = IntroductionRequest.objects.create(
        requester=ana,
        via=ben,
        target=chen,
        path=[ana.pk, ben.pk, chen.pk],
        message="m",
        status="accepted",
    )
    made = factories.InteractionFactory(
        people=[ben, ana, chen], channel="introduction", occurred_at=at(days_ago(20))
    )
    IntroductionRequest.objects.filter(pk=request.pk).update(
        created_at=at(days_ago(30)), interaction=made
    )
    request.refresh_from_db()
    met_dara = factories.InteractionFactory(people=[ana, dara], occurred_at=at(days_ago(10)))
    outcome = services.outcome_log(
        actor=org.mia,
        kind="deal",
        title="Deal with Chen's company",
        value="1200",
        unit="money",
        occurred_on=days_ago(5),
        introductions=[request],
        interactions=[met_dara],
        contributors=[
            ContributorIn(person=ben, share=50),
            ContributorIn(person=dara, share=30),
            ContributorIn(person=chen, share=20),
        ],
    )
    return {"outcome": outcome, "ana": ana, "ben": ben, "chen": chen, "dara": dara}


def _people(attribution) -> dict[int, float]:
    return {p: round(v, 6) for p, v in attribution.people.items() if v}


def test_the_four_methods_match_the_hand_computed_split(org, deal):
    outcome = selectors.access_outcome(viewer=org.mia, outcome_id=deal["outcome"].pk)
    found = credit.attributions(outcome)
    ana, ben, chen, dara = (deal[k].pk for k in ("ana", "ben", "chen", "dara"))

    # Declared: 1,200 × 50/100, × 30/100, × 20/100.
    assert _people(found["declared"]) == {ben: 600.0, dara: 360.0, chen: 240.0}

    # First touch: a (Ana–Ben, day -30) was used first: all 1,200 to it, halved
    # between its two people.
    assert _people(found["first_touch"]) == {ana: 600.0, ben: 600.0}

    # Last touch: c (Ana–Dara, day -10) was used last.
    assert _people(found["last_touch"]) == {ana: 600.0, dara: 600.0}

    # Shapley over the six orders of {a, b, c}; a route is complete with {a, b} or {c}:
    #   c a b → c   c b a → c   a c b → c   b c a → c   a b c → b   b a c → a
    # c is pivotal in 4 of 6 orders (2/3 × 1,200 = 800), a and b in 1 each (200).
    # People, each relationship halved: Ana = 200/2 + 800/2 = 500, Ben = 200/2 + 200/2
    # = 200, Chen = 200/2 = 100, Dara = 800/2 = 400 (total 1,200).
    shapley = found["shapley"]
    assert {str(r): round(v, 6) for r, v in shapley.relationships.items()} == {
        f"{min(ana, ben)}-{max(ana, ben)}": 200.0,
        f"{min(ben, chen)}-{max(ben, chen)}": 200.0,
        f"{min(ana, dara)}-{max(ana, dara)}": 800.0,
    }
    assert _people(shapley) == {ana: 500.0, ben: 200.0, chen: 100.0, dara: 400.0}
    assert shapley.exact


def test_return_on_impact_uses_the_outcomes_method_with_fallbacks(org, deal):
    outcome = deal["outcome"]
    assert credit.credited(outcome).method == "shapley"
    outcome.credit_method = "last_touch"
    assert credit.credited(outcome).record.people[deal["dara"].pk] == pytest.approx(600)
    # Declared without shares falls back to Shapley; with no evidence at all, the owner.
    bare = services.outcome_log(
        actor=org.mia,
        kind="knowledge",
        title="Read a book",
        value="3",
        unit="rating",
        occurred_on=days_ago(1),
        credit_method="declared",
    )
    assert credit.credited(bare).method == "owner"
    assert dict(credit.credited(bare).record.people) == {org.mia.person.pk: 3.0}


def test_the_attribution_view_rounds_so_columns_add_up(org, deal):
    outcome = selectors.access_outcome(viewer=org.mia, outcome_id=deal["outcome"].pk)
    view = selectors.outcome_attribution(viewer=org.mia, outcome=outcome)
    assert [c.method for c in view.columns] == ["declared", "first_touch", "last_touch", "shapley"]
    assert all(c.available for c in view.columns)
    assert view.used_method == "shapley"
    for column in view.columns:
        assert sum(column.people.values()) == pytest.approx(1200)
    assert view.people[0] == deal["ana"]  # the owner first
    assert [[p.pk for p in path] for path in view.paths] == [
        [deal["ana"].pk, deal["ben"].pk, deal["chen"].pk],
        [deal["ana"].pk, deal["dara"].pk],
    ]


def test_ties_on_the_same_day_share_first_touch(org):
    """Two direct contributors met the same day: first touch splits 90 equally."""
    ana, ben, cy = org.mia.person, org.betas[3], org.betas[4]
    meeting = factories.InteractionFactory(people=[ana, ben, cy], occurred_at=at(days_ago(3)))
    outcome = services.outcome_log(
        actor=org.mia,
        kind="solved_problem",
        title="Fixed the build",
        value="90",
        unit="hours",
        occurred_on=days_ago(1),
        interactions=[meeting],
    )
    found = credit.attributions(outcome)
    assert {p: round(v, 6) for p, v in found["first_touch"].people.items()} == {
        ana.pk: 45.0,
        ben.pk: 22.5,
        cy.pk: 22.5,
    }
    assert "same day" in found["first_touch"].note
