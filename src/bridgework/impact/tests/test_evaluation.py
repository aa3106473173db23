"""Program evaluation through the app: enrolled mentees in the database, compared
with similar non-participants by ``services.program_evaluate``.

The synthetic cohorts use **DB people and enrollments with network measures
monkeypatched to known numbers** (``programs.network_measures_at`` replaced by
a function of the person): 40 mentees, more junior and newer than 200
non-participants, in a world where juniors grow their networks faster anyway.
A planted +3 on ties outside the team is recovered within its interval, which
excludes 0; with nothing planted the interval contains 0. A small cohort gets
the honest "too few" wording, and one cohort runs end to end on real events.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from bridgework import factories
from bridgework.analysis.snapshots import MEASURES
from bridgework.impact import programs, services
from bridgework.impact.models import EvaluationResult
from bridgework.people.models import EngagementType, Person

from .conftest import days_ago, event, program, today, write

pytestmark = pytest.mark.django_db

START = 120  # the program started this many days ago


def _people(teams, count: int, *, junior: bool, rng) -> list[Person]:
    rows = []
    for i in range(count):
        level = 1 if junior and rng.random() < 0.8 else int(rng.integers(1, 4))
        years = rng.uniform(0.2, 2.0) if junior else rng.uniform(0.5, 12.0)
        rows.append(
            Person(
                full_name=f"{'Mentee' if junior else 'Colleague'} {i:03d}",
                team=teams[i % len(teams)],
                level=level,
                engagement_type=EngagementType.EMPLOYEE_FULL_TIME,
                engagement_start=days_ago(START) - dt.timedelta(days=int(365 * years)),
            )
        )
    return Person.objects.bulk_create(rows)


def _cohort(planted: float, *, mentees: int = 40, pool: int = 200, seed: int = 3):
    """A program with ``mentees`` mentees (and two mentors), ``pool`` other
    colleagues, and measures where every change is known."""
    rng = np.random.default_rng(seed)
    teams = [factories.TeamFactory(name=f"Team {i}") for i in range(5)]
    participants = _people(teams, mentees, junior=True, rng=rng)
    others = _people(teams, pool, junior=False, rng=rng)
    mentors = _people(teams, 2, junior=False, rng=rng)
    running = program(
        f"Cohort {seed}", mentees=participants, mentors=mentors, start=days_ago(START)
    )
    planted_for = {p.pk: planted for p in participants}
    base = {}
    for person in participants + others + mentors:
        tenure = (days_ago(START) - person.engagement_start).days / 365.25
        before = {m: float(rng.normal(12, 3)) for m in MEASURES}
        # Juniors and newcomers grow faster whether or not they take part.
        growth = {
            m: 2.0 + 1.0 * (3 - person.level) - 0.1 * tenure + float(rng.normal(0, 1))
            for m in MEASURES
        }
        base[person.pk] = (before, growth)
    return running, participants, planted_for, base


@pytest.fixture
def measures_of(monkeypatch):
    """Replace the snapshot measures with known numbers; records the days asked for."""
    asked: list[dt.date] = []

    def install(base, planted_for):
        def network_measures_at(day, *, people=None):
            asked.append(day)
            after = day != days_ago(START + 1)
            rows = []
            for person in people:
                if person not in base:  # the org fixture's people: left out, as without consent
                    continue
                before, growth = base[person]
                values = {m: before[m] + (growth[m] if after else 0.0) for m in MEASURES}
                if after:
                    values["ties_outside_team"] += planted_for.get(person, 0.0)
                rows.append({"person": person, **values})
            return pd.DataFrame(rows, columns=["person", *MEASURES])

        monkeypatch.setattr(programs, "network_measures_at", network_measures_at)
        return asked

    return install


def _result(run, measure: str) -> EvaluationResult:
    return run.results.get(measure=measure)


def test_a_planted_effect_is_recovered_within_its_interval(org, measures_of):
    running, participants, planted_for, base = _cohort(planted=3.0)
    asked = measures_of(base, planted_for)

    run = services.program_evaluate(actor=org.pam, program=running)

    # Before: the day before the start; after: today (the cohort is still running).
    assert asked == [days_ago(START + 1), today()]
    assert (run.participants, run.pool) == (40, 200)  # the two mentors are not in the pool
    assert run.before_day == days_ago(START + 1) and run.after_day == today()
    primary = _result(run, "ties_outside_team")
    assert primary.verdict == "increase"
    assert primary.ci_low <= 3.0 <= primary.ci_high
    assert primary.ci_low > 0
    assert primary.wording.startswith("Participants' ties outside own team changed by +")
    # Nothing was planted on the other measures: their intervals contain 0.
    assert _result(run, "two_step_reach").ci_low <= 0 <= _result(run, "two_step_reach").ci_high


def test_no_planted_effect_gives_an_interval_around_zero(org, measures_of):
    running, participants, planted_for, base = _cohort(planted=0.0, seed=5)
    measures_of(base, planted_for)

    run = services.program_evaluate(actor=org.pam, program=running)

    primary = _result(run, "ties_outside_team")
    assert primary.verdict == "no_clear_effect"
    assert primary.ci_low <= 0 <= primary.ci_high
    assert primary.wording.startswith("No clear effect")


def test_a_small_cohort_gets_the_honest_wording_and_no_numbers(client, org, measures_of):
    running, participants, planted_for, base = _cohort(planted=3.0, mentees=6, pool=30, seed=7)
    measures_of(base, planted_for)
    run = services.program_evaluate(actor=org.pam, program=running)
    primary = _result(run, "ties_outside_team")
    assert primary.verdict == "too_small"
    assert primary.wording.startswith("Too few participants to conclude: 6 could be compared")

    client.force_login(org.pam)
    html = client.get(reverse("impact:program_detail", args=[running.pk])).content.decode()
    assert "Too few participants to conclude" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert (
        "Difference" not in main
        and "<table" not in main.split("evaluation-title")[1].split("return-title")[0]
    )
    assert f"{primary.effect:.2f}" not in main, main


def test_only_program_managers_analysts_and_admins_evaluate(org, measures_of):
    running, participants, planted_for, base = _cohort(planted=0.0, mentees=3, pool=5, seed=9)
    measures_of(base, planted_for)
    from bridgework.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        services.program_evaluate(actor=org.mia, program=running)
    with pytest.raises(NotFoundError):
        services.program_evaluate(actor=org.lea, program=running)


def test_a_program_that_has_not_started_cannot_be_evaluated(org):
    future = program("Next year", start=today() + dt.timedelta(days=30))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not started"):
        services.program_evaluate(actor=org.pam, program=future)


def test_end_to_end_on_real_events(org):
    """No monkeypatching: measures come from events in the store. Mentees Alpha 1
    and Alpha 2 start meeting people outside their team after the start."""
    mentees = org.alphas[1:3]
    running = program("Real", mentees=mentees, mentors=[org.max.person], start=days_ago(60))
    rows = []
    for mentee in mentees:
        rows += [event(mentee, org.alphas[3], day=days_ago(d)) for d in range(100, 40, -7)]
        rows += [event(mentee, org.gammas[0], day=days_ago(d)) for d in range(50, 1, -5)]
    write(*rows)
    run = services.program_evaluate(actor=org.pam, program=running)
    assert run.participants == 2 and run.pool > 0
    primary = _result(run, "ties_outside_team")
    assert primary.verdict == "too_small" and primary.treated_change == pytest.approx(1.0)
    # The mentor is not in the comparison pool.
    assert run.pool == len(
        programs.comparison_pool(exclude=[*(m.pk for m in mentees), org.max.person.pk])
    )
