"""The input records: normalization and the validation messages people will see."""

import datetime as dt
import math

import pytest

from bridgework.core.impact.attribution import declared_split
from bridgework.core.impact.records import Interaction, Outcome, Relationship, as_day

DAY = dt.date(2026, 4, 1)


def test_relationship_is_unordered():
    assert Relationship(9, 2) == Relationship(2, 9)
    assert Relationship(9, 2).people == (2, 9)
    assert str(Relationship(9, 2)) == "2-9"
    assert sorted([Relationship(5, 1), Relationship(2, 3)]) == [
        Relationship(1, 5),
        Relationship(2, 3),
    ]
    with pytest.raises(ValueError, match="two different people"):
        Relationship(4, 4)
    with pytest.raises(ValueError, match="not in relationship"):
        Relationship(1, 2).other(3)


def test_interaction_normalizes_people_and_checks_introductions():
    i = Interaction(occurred_at=DAY, people=[3, 1, 3], kind="call", duration_minutes=20)  # type: ignore[arg-type]  # a list works too
    assert i.people == (1, 3) and i.hours == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="at least two people"):
        Interaction(occurred_at=DAY, people=(1, 1), kind="call")
    with pytest.raises(ValueError, match="unknown interaction kind 'lunch'"):
        Interaction(occurred_at=DAY, people=(1, 2), kind="lunch")
    with pytest.raises(ValueError, match="introducer as initiator"):
        Interaction(occurred_at=DAY, people=(1, 2, 3), kind="introduction")
    with pytest.raises(ValueError, match="at least two people introduced"):
        Interaction(occurred_at=DAY, people=(1, 2), kind="introduction", initiator=1)
    with pytest.raises(ValueError, match="initiator 7 must be one of"):
        Interaction(occurred_at=DAY, people=(1, 2), kind="email", initiator=7)
    with pytest.raises(ValueError, match="duration_minutes is NaN"):
        Interaction(occurred_at=DAY, people=(1, 2), kind="call", duration_minutes=math.nan)
    with pytest.raises(ValueError, match="timezone-aware"):
        Interaction(occurred_at=dt.datetime(2026, 4, 1, 9), people=(1, 2), kind="call")


def test_interaction_from_an_event_store_row():
    row = dict(
        occurred_at=dt.datetime(2026, 4, 1, 22, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        channel="meeting",
        sender_id=None,
        recipient_ids=[4, 2],
        duration_minutes=45,
    )
    meeting = Interaction.from_event(row)
    assert meeting.people == (2, 4) and meeting.initiator is None
    assert meeting.day == dt.date(2026, 4, 2)  # 22:00 at UTC-5 is 03:00 UTC the next day


def test_outcome_validation():
    with pytest.raises(ValueError, match="unknown unit 'euros'"):
        Outcome(value=1, unit="euros", occurred_on=DAY)
    with pytest.raises(ValueError, match="outcome value must be at least 0"):
        Outcome(value=-1, unit="money", occurred_on=DAY)
    with pytest.raises(ValueError, match="outcome value is NaN"):
        Outcome(value=math.nan, unit="money", occurred_on=DAY)
    with pytest.raises(ValueError, match="rating must be between 1 and 5"):
        Outcome(value=7, unit="rating", occurred_on=DAY)
    with pytest.raises(ValueError, match="credit to people sums to 120"):
        Outcome(value=100, unit="money", occurred_on=DAY, people={1: 60, 2: 60})
    with pytest.raises(ValueError, match="keys must be Relationship"):
        Outcome(value=100, unit="money", occurred_on=DAY, relationships={(1, 2): 5})  # type: ignore[dict-item]  # on purpose
    with pytest.raises(ValueError, match="unknown outcome kind"):
        Outcome(value=1, unit="money", occurred_on=DAY, kind="sale")
    # Floating-point sums a hair above the value are accepted.
    Outcome(value=1, unit="money", occurred_on=DAY, people={1: 0.1, 2: 0.2, 3: 0.7})


def test_outcome_from_a_declared_split():
    outcome = Outcome.from_attribution(
        declared_split(10, {1: 1, 2: 4}), unit="hours", occurred_on=DAY, owner=1, kind="hire"
    )
    assert dict(outcome.people) == {1: 2.0, 2: 8.0} and outcome.relationships == {}
    assert outcome.credited_total("people") == 10.0


def test_as_day_refuses_other_types():
    with pytest.raises(ValueError, match="date must be a date"):
        as_day("2026-04-01")
