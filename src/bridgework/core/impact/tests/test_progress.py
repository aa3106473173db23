"""Plan progress from a known event sequence, worked out by hand from the rules in
``progress.py``'s docstring."""

import datetime as dt
import math
import random
from typing import Any

import pytest

from bridgework.core.impact.progress import (
    PlanProgress,
    RelationshipPlan,
    Stakeholder,
    plan_progress,
)
from bridgework.core.impact.records import Interaction

D = dt.date

PLAN = RelationshipPlan(
    owner=1,
    start=D(2026, 3, 1),
    stakeholders=(
        Stakeholder(person=2, target_strength=0.35, cadence_days=14, group="finance"),
        Stakeholder(person=3, cadence_days=30, group="legal"),
        Stakeholder(person=4, target_strength=0.6, group="board"),
        Stakeholder(person=5, target_strength=0.35, cadence_days=7),
    ),
    needed_groups=("finance", "legal", "board", "it"),
    objective="renewal",
)


def meeting(day, *people, kind="meeting", initiator=None, minutes=None):
    return Interaction(
        occurred_at=day, people=people, kind=kind, initiator=initiator, duration_minutes=minutes
    )


EVENTS = [
    meeting(D(2026, 2, 10), 1, 3, minutes=60),  # before the plan: last contact only
    meeting(D(2026, 3, 4), 1, 2, 6, kind="introduction", initiator=6),  # 6 introduces 1 and 2
    meeting(D(2026, 3, 10), 1, 2, 4, minutes=30),  # one meeting with two stakeholders
    meeting(D(2026, 3, 28), 1, 2, kind="call", minutes=15),
    meeting(D(2026, 3, 15), 1, 4, kind="email", initiator=1),
    meeting(D(2026, 4, 20), 1, 4, minutes=30),  # after today: ignored
    meeting(D(2026, 3, 20), 2, 3, minutes=30),  # without the owner: ignored
    meeting(D(2026, 4, 5), 1, 4, 7, kind="introduction", initiator=1),  # 1 introduces 4 to 7
]
AT_START = {2: 0.0, 3: 0.4, 4: 0.3}
NOW = {2: 0.38, 3: 0.42, 4: 0.5, 5: 0.0, 8: 0.7}
TODAY = D(2026, 4, 10)


def progress(events=EVENTS, **options) -> PlanProgress:
    kwargs: dict[str, Any] = dict(strength_at_start=AT_START, strength_now=NOW, today=TODAY)
    kwargs.update(options)
    return plan_progress(PLAN, events, **kwargs)


def test_per_stakeholder_progress_by_hand():
    two, three, four, five = progress().stakeholders
    # 2: 0.00 -> 0.38 crosses the 0.35 target: built. Meetings since 1 March: the 10 March
    # meeting and the 28 March call; one introduction (4 March). Last contact 28 March,
    # cadence 14 days -> due 11 April, today is 10 April: on cadence.
    assert (two.tie_built, two.target_met, two.meetings, two.introductions) == (True, True, 2, 1)
    assert (two.interactions, two.last_contact, two.next_due) == (3, D(2026, 3, 28), D(2026, 4, 11))
    assert two.on_cadence is True and two.status == "tie built"
    # 3: no target, so "some tie" (0.15); 0.40 -> 0.42 was already there: met, not built.
    # Last contact 10 February is before the plan, so the cadence counts from 1 March:
    # due 31 March, overdue on 10 April. No interaction since the start.
    assert (three.target, three.tie_built, three.target_met) == (0.15, False, True)
    assert (three.meetings, three.interactions, three.last_contact) == (0, 0, D(2026, 2, 10))
    assert (three.next_due, three.on_cadence) == (D(2026, 3, 31), False)
    assert three.status == "contact overdue since 31 March 2026"
    # 4: 0.30 -> 0.50 against a 0.6 target: neither. The 10 March meeting, the e-mail and
    # the 5 April introduction since the start; the 20 April meeting is after today.
    assert (four.tie_built, four.target_met, four.meetings, four.introductions) == (
        False,
        False,
        1,
        1,
    )
    assert (four.interactions, four.last_contact, four.on_cadence) == (3, D(2026, 4, 5), None)
    assert four.status == "in progress"
    # 5: never contacted, cadence 7 days from the start: due 8 March.
    assert (five.strength_at_start, five.last_contact, five.next_due) == (0.0, None, D(2026, 3, 8))
    assert five.on_cadence is False


def test_plan_totals_by_hand():
    result = progress()
    # distinct events with the owner and a stakeholder since 1 March, up to 10 April:
    # meetings = 10 March meeting + 28 March call; introductions = 4 March + 5 April.
    assert (result.meetings, result.introductions) == (2, 2)
    assert (result.ties_built, result.targets_met, result.share_met) == (1, 2, 0.5)
    assert (result.on_cadence, result.with_cadence) == (1, 3)
    # finance via 2 (0.38), legal via 3 (0.42), board via 4 (0.50); nobody in it.
    assert result.reach.reached == ("finance", "legal", "board")
    assert result.reach.missing == ("it",) and result.reach.share == 0.75
    assert result.summary == (
        "2 of 4 stakeholder ties at target (1 built since 1 March 2026); "
        "2 meetings and 2 introductions; 1 of 3 cadences kept; reaching 3 of 4 needed groups"
    )
    frame = result.to_frame()
    assert frame["person"].tolist() == [2, 3, 4, 5]
    assert frame["meetings"].tolist() == [2, 0, 1, 0]


def test_progress_is_deterministic_in_the_event_order():
    shuffled = EVENTS[:]
    random.Random(7).shuffle(shuffled)
    assert progress(shuffled) == progress()


def test_progress_moves_with_new_events():
    # A call with 3 and a first meeting with 5 on 9 April put both back on cadence.
    later = EVENTS + [
        meeting(D(2026, 4, 9), 1, 3, kind="call", minutes=20),
        meeting(D(2026, 4, 9), 1, 5, minutes=30),
    ]
    result = progress(later, strength_now={**NOW, 5: 0.2})
    assert (result.on_cadence, result.meetings) == (3, 4)
    five = result.stakeholders[3]
    assert (five.last_contact, five.next_due, five.tie_built) == (
        D(2026, 4, 9),
        D(2026, 4, 16),
        False,
    )
    # A stakeholder without a target is "built" when the tie goes from none to some.
    plan = RelationshipPlan(owner=1, start=D(2026, 3, 1), stakeholders=(9,))  # type: ignore[arg-type]  # a bare id
    built = plan_progress(plan, [], strength_at_start={}, strength_now={9: 0.2}, today=TODAY)
    assert built.stakeholders[0].tie_built and built.summary.startswith("1 of 1")


def test_options():
    only_meetings = progress(meeting_kinds=("meeting",))
    assert only_meetings.meetings == 1  # the 28 March call no longer counts
    stricter = progress(threshold=0.45)
    assert stricter.stakeholders[1].target_met is False  # 3 at 0.42 < 0.45
    assert stricter.reach.reached == ("board",)
    by_directory = progress(group_of={8: "it"})
    assert by_directory.reach.reached == ("it",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(today=D(2026, 2, 1)), "before the plan's start"),
        (dict(strength_now={2: 1.5}), "between 0 and 1"),
        (dict(strength_at_start={2: math.nan}), "NaN"),
        (dict(meeting_kinds=("lunch",)), "unknown meeting kind"),
        (dict(today=dt.datetime(2026, 4, 10, 12)), "timezone-aware"),
    ],
)
def test_bad_input_is_refused(change, message):
    with pytest.raises(ValueError, match=message):
        progress(**change)


def test_plan_validation():
    with pytest.raises(ValueError, match="own stakeholder"):
        RelationshipPlan(owner=1, start=D(2026, 1, 1), stakeholders=(1,))  # type: ignore[arg-type]  # a bare id
    with pytest.raises(ValueError, match="more than once"):
        RelationshipPlan(owner=1, start=D(2026, 1, 1), stakeholders=(2, Stakeholder(2)))  # type: ignore[arg-type]  # as above
    with pytest.raises(ValueError, match="target_strength of 2"):
        Stakeholder(person=2, target_strength=0)
    with pytest.raises(ValueError, match="cadence_days of 2"):
        Stakeholder(person=2, cadence_days=0)
