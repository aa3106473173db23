"""Plan progress from a known event sequence written to the event store.

The plan started 60 days ago with three stakeholders:

* S1 (target 0.35, every 14 days): no contact before the plan. Since: an
  introduction (day -55), five one-hour meetings (-50, -40, -30, -20, -10), a
  joint meeting with S2 (-15), a call (-5) and two e-mails (-3).
* S2 (no target: "some tie", 0.15; every 30 days): five meetings before the
  plan (-120 … -80), then one at -20 and the joint meeting at -15.
* S3 (target 0.35, every 14 days): no contact at all.

Expected, by the rules of docs/impact.md §6 (counted by hand from the list):

====  =========  ============  =============  =============  ==========  ============
      built      meetings      introductions  interactions   last        on cadence
====  =========  ============  =============  =============  ==========  ============
S1    yes        5 + 1 + 1 = 7 1              10             day -3      yes (due +11)
S2    no (met)   2             0              2              day -15     yes (due +15)
S3    no         0             0              0              —           no (due -46)
====  =========  ============  =============  =============  ==========  ============

Plan totals count distinct interactions: meetings 5 + 1 (call) + 1 (S2, -20) +
1 (joint, once) = 8, introductions 1.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bridgework.impact import selectors, services

from .conftest import days_ago, event, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(org):
    mia = org.mia.person
    s1, s2, s3 = org.partners[0], org.betas[3], org.partners[1]
    introducer = org.betas[4]
    objective = services.objective_create(
        actor=org.mia,
        title="Land the partner integration",
        started_on=days_ago(60),
        needed_organizations=[org.partner],
    )
    for person, target, cadence in ((s1, 0.35, 14), (s2, None, 30), (s3, 0.35, 14)):
        services.stakeholder_add(
            actor=org.mia,
            objective=objective,
            person=person,
            target_strength=target,
            cadence_days=cadence,
        )
    write(
        event(introducer, mia, s1, day=days_ago(55), channel="introduction"),
        *(event(mia, s1, day=days_ago(d)) for d in (50, 40, 30, 20, 10)),
        event(mia, s1, s2, day=days_ago(15)),
        event(s1, mia, day=days_ago(5), channel="call", minutes=30),
        event(mia, s1, day=days_ago(3), channel="email"),
        event(s1, mia, day=days_ago(3), channel="email", hour=11),
        *(event(mia, s2, day=days_ago(d)) for d in (120, 110, 100, 90, 80)),
        event(s2, mia, day=days_ago(20)),
        # Someone else's meeting with S1: not Mia's, never counted for her plan.
        event(org.oscar.person, s1, day=days_ago(12)),
    )
    return {"objective": objective, "s1": s1, "s2": s2, "s3": s3}


def test_progress_is_tracked_from_the_events(org, plan):
    view = selectors.objective_plan(viewer=org.mia, objective=plan["objective"], with_paths=False)
    rows = {row.person.pk: row for row in view.rows}
    s1 = rows[plan["s1"].pk].progress
    s2 = rows[plan["s2"].pk].progress
    s3 = rows[plan["s3"].pk].progress

    assert s1.strength_at_start == 0.0 and s1.strength_now >= 0.35
    assert (s1.tie_built, s1.target_met, s1.status) == (True, True, "tie built")
    assert (s1.meetings, s1.introductions, s1.interactions) == (7, 1, 10)
    assert s1.last_contact == days_ago(3)
    assert (s1.next_due, s1.on_cadence) == (days_ago(3) + dt.timedelta(days=14), True)

    assert s2.strength_at_start >= 0.15 and s2.strength_now >= 0.15
    assert (s2.tie_built, s2.target_met, s2.target) == (False, True, 0.15)
    assert (s2.meetings, s2.introductions, s2.interactions) == (2, 0, 2)
    assert s2.last_contact == days_ago(15) and s2.on_cadence is True

    assert (s3.strength_now, s3.tie_built, s3.meetings, s3.last_contact) == (0.0, False, 0, None)
    overdue = days_ago(60) + dt.timedelta(days=14)
    assert (s3.next_due, s3.on_cadence) == (overdue, False)
    assert s3.status == f"contact overdue since {overdue.day} {overdue:%B %Y}"

    progress = view.progress
    assert (progress.meetings, progress.introductions) == (8, 1)
    assert (progress.ties_built, progress.targets_met, progress.on_cadence) == (1, 2, 2)
    assert view.summary.startswith("2 of 3 stakeholder ties at target (1 built since")
    assert "8 meetings and 1 introduction" in view.summary
    assert view.summary.endswith("reaching 1 of 1 needed groups")


def test_the_same_events_give_the_same_progress(org, plan):
    first = selectors.objective_plan(viewer=org.mia, objective=plan["objective"], with_paths=False)
    again = selectors.objective_plan(viewer=org.mia, objective=plan["objective"], with_paths=False)
    assert first.summary == again.summary
    assert [r.progress for r in first.rows] == [r.progress for r in again.rows]


def test_a_plan_starting_later_has_no_progress_yet(org):
    objective = services.objective_create(
        actor=org.mia, title="Next quarter", started_on=days_ago(-10)
    )
    services.stakeholder_add(actor=org.mia, objective=objective, person=org.partners[0])
    view = selectors.objective_plan(viewer=org.mia, objective=objective, with_paths=False)
    assert view.progress is None and not view.started
    assert view.summary.startswith("The plan starts on")
