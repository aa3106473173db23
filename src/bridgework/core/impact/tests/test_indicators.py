"""Leading indicators on small cases worked by hand."""

import datetime as dt

import pytest

from bridgework.core.impact.indicators import (
    TIE_THRESHOLD,
    group_reach,
    introduction_counts,
    leading_indicators,
    new_ties,
)
from bridgework.core.impact.records import Interaction
from bridgework.core.relationships.strength import StrengthWeights

D = dt.date


def test_threshold_is_the_occasional_band_floor():
    assert TIE_THRESHOLD == StrengthWeights().occasional == 0.15


def test_new_ties_cross_the_threshold():
    before = {2: 0.40, 3: 0.05, 4: 0.15}
    now = {2: 0.50, 3: 0.15, 4: 0.30, 5: 0.14, 6: 0.9}
    # 2 and 4 were already ties; 3 reaches exactly 0.15 (counts); 5 stays below; 6 is new.
    assert new_ties(before=before, now=now) == (3, 6)
    assert new_ties(before=before, now=now, stakeholders=[6, 2]) == (6,)
    assert new_ties(before=before, now=now, threshold=0.35) == (6,)
    with pytest.raises(ValueError, match="threshold must be in"):
        new_ties(before=before, now=now, threshold=0)


def test_reach_into_needed_groups():
    strengths = {2: 0.70, 3: 0.10, 4: 0.20, 5: 0.30}
    group_of = {2: "ops", 3: "it", 4: "ops", 5: "hr"}
    reach = group_reach(strengths, group_of=group_of, needed_groups=["it", "ops", "legal"])
    # ops through 2 and 4; it only through a 0.10 tie (below 0.15); nobody in legal.
    assert reach.reached == ("ops",) and reach.missing == ("it", "legal")
    assert reach.share == pytest.approx(1 / 3)
    assert reach.through == {"ops": (2, 4)}
    assert group_reach(strengths, group_of=group_of, needed_groups=[]).share is None


def test_introductions_given_and_received():
    intros = [
        Interaction(occurred_at=D(2026, 1, 5), people=(1, 2, 3), kind="introduction", initiator=1),
        Interaction(occurred_at=D(2026, 2, 5), people=(1, 4, 5), kind="introduction", initiator=4),
        Interaction(
            occurred_at=D(2026, 3, 5), people=(1, 6, 7, 8), kind="introduction", initiator=8
        ),
        Interaction(occurred_at=D(2026, 3, 6), people=(1, 6), kind="meeting"),
    ]
    counts = introduction_counts(1, intros)
    assert (counts.given, counts.received, counts.met) == (1, 2, (5, 6, 7))
    feb = introduction_counts(1, intros, start=D(2026, 2, 1), end=D(2026, 2, 28))
    assert (feb.given, feb.received, feb.met) == (0, 1, (5,))


def test_leading_indicators_together():
    intros = [
        Interaction(occurred_at=D(2025, 12, 1), people=(1, 2, 3), kind="introduction", initiator=1),
        Interaction(occurred_at=D(2026, 2, 1), people=(1, 2, 3), kind="introduction", initiator=1),
    ]
    result = leading_indicators(
        1,
        since=D(2026, 1, 1),
        strengths_before={2: 0.1},
        strengths_now={2: 0.4, 3: 0.2},
        interactions=intros,
        stakeholders={3},
        group_of={2: "finance", 3: "legal"},
        needed_groups=("finance", "legal", "board"),
    )
    assert result.new_ties == (2, 3) and result.new_stakeholder_ties == (3,)
    assert result.reach.reached == ("finance", "legal")
    assert result.introductions.given == 1  # the December introduction is before `since`
