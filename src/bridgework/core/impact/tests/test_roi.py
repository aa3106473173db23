"""Return on impact, trends and the give/get balance on a small history worked by hand."""

import datetime as dt
from typing import Any

import pytest

from bridgework.core.impact.records import Interaction, Outcome, Relationship
from bridgework.core.impact.roi import (
    balance_frame,
    give_get_balance,
    invested_hours,
    return_on_impact,
    roi_frame,
    trend,
    trend_frame,
)

R = Relationship
D = dt.date

INTERACTIONS = [
    Interaction(occurred_at=D(2026, 1, 10), people=(1, 2, 3), kind="meeting", duration_minutes=60),
    Interaction(occurred_at=D(2026, 1, 20), people=(1, 2), kind="call", duration_minutes=30),
    Interaction(occurred_at=D(2026, 2, 5), people=(1, 3), kind="email", initiator=1),
    Interaction(occurred_at=D(2026, 3, 2), people=(2, 4), kind="meeting", duration_minutes=90),
]
DEAL = Outcome(
    value=3000,
    unit="money",
    occurred_on=D(2026, 2, 15),
    owner=1,
    objective="renewal",
    people={1: 1000, 2: 1500, 3: 500},
    relationships={R(1, 2): 2000, R(2, 3): 1000},
)
SAVED = Outcome(
    value=10,
    unit="hours",
    occurred_on=D(2026, 3, 10),
    owner=2,
    objective="renewal",
    people={2: 4, 4: 6},
)
RATED = Outcome(value=4, unit="rating", occurred_on=D(2026, 3, 20), owner=1, people={1: 2, 3: 2})
OUTCOMES = [DEAL, SAVED, RATED]


def test_hours_per_person_and_per_relationship():
    # person 1: 60 + 30 min; 2: 60 + 30 + 90; 3: 60 (the e-mail has no duration); 4: 90.
    assert invested_hours(INTERACTIONS) == {1: 1.5, 2: 3.0, 3: 1.0, 4: 1.5}
    # each pair of the three-person meeting gets the full hour.
    assert invested_hours(INTERACTIONS, by="relationship") == {
        R(1, 2): 1.5,
        R(1, 3): 1.0,
        R(2, 3): 1.0,
        R(2, 4): 1.5,
    }
    # an e-mail counted as 6 minutes adds 0.1 h to 1 and 3.
    with_email = invested_hours(INTERACTIONS, default_minutes={"email": 6})
    assert with_email == pytest.approx({1: 1.6, 2: 3.0, 3: 1.1, 4: 1.5})
    assert invested_hours(INTERACTIONS, start=D(2026, 2, 1)) == {1: 0.0, 2: 1.5, 3: 0.0, 4: 1.5}
    # team person-hours: sales = 1.5 + 3.0, legal = 1.0; person 4 has no team.
    teams = {1: "sales", 2: "sales", 3: "legal"}
    assert invested_hours(INTERACTIONS, groups=teams) == {"legal": 1.0, "sales": 4.5}
    with pytest.raises(ValueError, match="by must be"):
        invested_hours(INTERACTIONS, by="team")
    with pytest.raises(ValueError, match="before start"):
        invested_hours(INTERACTIONS, start=D(2026, 3, 1), end=D(2026, 2, 1))


def test_return_per_person_never_mixes_units():
    roi = return_on_impact(OUTCOMES, invested_hours(INTERACTIONS))
    # person 1: 1000 money and 2 rating points over 1.5 h.
    one = roi[1].by_unit
    assert one["money"].value == 1000 and one["money"].per_hour == pytest.approx(1000 / 1.5)
    assert one["rating"].value == 2 and one["rating"].per_hour == pytest.approx(2 / 1.5)
    assert one["hours"].value == 0 and one["hours"].outcomes == 0
    # person 2: 1500 money / 3 h = 500; 4 hours saved / 3 h.
    assert roi[2].by_unit["money"].per_hour == 500
    assert roi[2].by_unit["hours"].per_hour == pytest.approx(4 / 3)
    assert roi[4].by_unit["hours"].per_hour == 4.0  # 6 saved / 1.5 invested
    assert roi[2].reading == (
        "3 hours invested; 1,500 in money from 1 outcome (500 per hour); "
        "4 hours saved from 1 outcome (1.33 hours saved per hour invested)"
    )


def test_return_without_time_or_without_outcomes():
    roi = return_on_impact([DEAL], {7: 2.0})
    assert roi[1].hours == 0 and roi[1].by_unit["money"].per_hour is None
    assert roi[1].reading == "no interaction time recorded; 1,000 in money from 1 outcome"
    assert roi[7].reading == "2 hours invested; no outcomes credited yet"
    assert return_on_impact([], {7: 0.0})[7].reading == (
        "no interaction time or outcomes recorded yet"
    )


def test_return_per_relationship_owner_objective_and_team():
    roi = return_on_impact(
        OUTCOMES, invested_hours(INTERACTIONS, by="relationship"), level="relationship"
    )
    assert roi[R(1, 2)].by_unit["money"].per_hour == pytest.approx(2000 / 1.5)
    assert roi[R(2, 4)].by_unit["money"].value == 0
    owners = return_on_impact(OUTCOMES, {}, level="owner")
    assert (owners[1].by_unit["money"].value, owners[1].by_unit["rating"].value) == (3000, 4)
    assert owners[2].by_unit["hours"].value == 10
    objective = return_on_impact(OUTCOMES, {"renewal": 20.0}, level="objective")["renewal"]
    assert objective.by_unit["money"].per_hour == 150 and objective.by_unit["hours"].per_hour == 0.5
    # teams: sales = people 1 + 2, legal = 3 + 4.
    teams = {1: "sales", 2: "sales", 3: "legal", 4: "legal"}
    roi = return_on_impact(OUTCOMES, invested_hours(INTERACTIONS), groups=teams)
    assert roi["sales"].hours == 4.5 and roi["legal"].hours == 2.5
    assert roi["sales"].by_unit["money"].value == 2500
    assert roi["sales"].by_unit["money"].outcomes == 1  # one deal, however many members
    assert roi["legal"].by_unit["hours"].per_hour == pytest.approx(6 / 2.5)
    frame = roi_frame(roi)
    assert len(frame) == 6 and set(frame["unit"]) == {"money", "hours", "rating"}


def test_window_and_validation():
    roi = return_on_impact(OUTCOMES, {}, start=D(2026, 3, 1))
    assert roi[1].by_unit["money"].value == 0 and roi[1].by_unit["rating"].value == 2
    with pytest.raises(ValueError, match="unknown level"):
        return_on_impact(OUTCOMES, {}, level="team")
    with pytest.raises(ValueError, match="hours\\[1\\] must be at least 0"):
        return_on_impact(OUTCOMES, {1: -2})
    with pytest.raises(ValueError, match="Outcome records"):
        return_on_impact([{"value": 1}], {})  # type: ignore[list-item]  # on purpose


def test_monthly_trend():
    kwargs: dict[str, Any] = dict(key=2, start=D(2026, 1, 1), end=D(2026, 4, 30))
    points = trend(OUTCOMES, INTERACTIONS, **kwargs)
    assert len(points) == 12  # 4 months x 3 units, empty months included
    money = [(p.month, p.value, p.hours, p.per_hour) for p in points if p.unit == "money"]
    assert money == [
        (D(2026, 1, 1), 0.0, 1.5, 0.0),
        (D(2026, 2, 1), 1500.0, 0.0, None),  # the deal came in a month without meetings
        (D(2026, 3, 1), 0.0, 1.5, 0.0),
        (D(2026, 4, 1), 0.0, 0.0, None),
    ]
    running = [p for p in trend(OUTCOMES, INTERACTIONS, cumulative=True, **kwargs)]
    running_money = [(p.value, p.hours, p.per_hour) for p in running if p.unit == "money"]
    assert running_money == [
        (0.0, 1.5, 0.0),
        (1500.0, 1.5, 1000.0),
        (1500.0, 3.0, 500.0),
        (1500.0, 3.0, 500.0),
    ]
    frame = trend_frame(running).pivot(index="month", columns="unit", values="value")
    assert frame.at[D(2026, 3, 1), "hours"] == 4.0
    pair = trend(
        OUTCOMES,
        INTERACTIONS,
        key=R(1, 2),
        level="relationship",
        start=D(2026, 1, 1),
        end=D(2026, 2, 28),
    )
    assert [p.hours for p in pair if p.unit == "money"] == [1.5, 0.0]
    with pytest.raises(ValueError, match="level='owner'"):
        trend(
            OUTCOMES,
            INTERACTIONS,
            key="renewal",
            level="objective",
            start=D(2026, 1, 1),
            end=D(2026, 2, 1),
        )


# ------------------------------------------------------------ give/get balance

INTRODUCTIONS = [
    Interaction(occurred_at=D(2026, 4, 1), people=(1, 2, 5), kind="introduction", initiator=1),
    Interaction(occurred_at=D(2026, 4, 2), people=(1, 3, 6), kind="introduction", initiator=3),
]
HELPED_2 = Outcome(value=800, unit="money", occurred_on=D(2026, 4, 10), owner=2, people={1: 800})


def test_give_get_balance_by_hand():
    balance = give_get_balance(
        1, outcomes=[*OUTCOMES, HELPED_2], interactions=INTERACTIONS + INTRODUCTIONS
    )
    assert list(balance) == [2, 3, 5]  # people with at least one act either way
    # with 2: gave an introduction (4/1) and credit on 2's outcome (800); received credit
    # on the deal (1500). 2 given, 1 received: within a factor of two -> balanced.
    two = balance[2]
    assert (two.given, two.received, two.introductions_given) == (2, 1, 1)
    assert two.value_given["money"] == 800 and two.value_received["money"] == 1500
    assert (two.ratio, two.share_given, two.verdict) == (2.0, 2 / 3, "balanced")
    assert two.reading == "balanced (2 given, 1 received)"
    # with 3: received credit on the deal (500), on the rating (2) and an introduction.
    three = balance[3]
    assert (three.given, three.received, three.introductions_received) == (0, 3, 1)
    assert three.value_received == {"money": 500.0, "hours": 0.0, "rating": 2.0}
    assert (three.ratio, three.verdict) == (0.0, "mostly_receive")
    assert three.reading == "you mostly receive (0 given, 3 received)"
    # 5 was introduced by 1 once: one act, too early to judge.
    assert balance[5].verdict == "too_early"
    assert balance[5].reading == "too few exchanges to judge yet (1 given, 0 received)"
    # 6 was introduced *alongside* 1 by 3: neither gave to the other.
    six = give_get_balance(1, interactions=INTRODUCTIONS, others=[6])[6]
    assert (six.given, six.received, six.verdict) == (0, 0, "none")


def test_give_get_is_the_mirror_image_from_the_other_side():
    kwargs: dict[str, Any] = dict(
        outcomes=[*OUTCOMES, HELPED_2], interactions=INTERACTIONS + INTRODUCTIONS
    )
    mine = give_get_balance(1, **kwargs)[3]
    theirs = give_get_balance(3, **kwargs)[1]
    assert (theirs.given, theirs.received) == (mine.received, mine.given)
    assert theirs.value_given == mine.value_received
    assert theirs.ratio is None  # nothing received
    assert theirs.verdict == "mostly_give" and theirs.relationship == R(1, 3)


def test_give_get_options():
    balance = give_get_balance(1, outcomes=OUTCOMES, others=[2, 9, 1])
    assert list(balance) == [2, 9]
    assert balance[9].reading == "no exchange recorded yet"
    lenient = give_get_balance(1, outcomes=OUTCOMES, min_exchanges=1)
    assert lenient[2].verdict == "mostly_receive"  # 0 given, 1 received
    late = give_get_balance(1, outcomes=OUTCOMES, start=D(2026, 3, 1))
    assert list(late) == [3] and late[3].received == 1
    frame = balance_frame(give_get_balance(1, outcomes=OUTCOMES))
    assert frame.loc[frame["other"] == 2, "money_received"].item() == 1500
    with pytest.raises(ValueError, match="min_exchanges"):
        give_get_balance(1, min_exchanges=-1)
