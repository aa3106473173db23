"""Nudges: each kind in a minimal case, its limits, and the order."""

import datetime as dt

import pytest

from bridgework.core.relationships.nudges import (
    TIER_CADENCE_DAYS,
    NudgeSuggestion,
    suggest_nudges,
)
from bridgework.core.relationships.strength import TieScore

OWNER = 10
TODAY = dt.date(2026, 6, 30)


def tie(other, *, days, strength=0.5, band="regular", trend="steady", recency=0.9,
        events=10, span=200.0, recent=3, previous=3):  # fmt: skip
    """A scored tie of the owner with ``other``, last contact ``days`` before today."""
    last = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC) - dt.timedelta(days=days)
    return TieScore(
        person_a=min(OWNER, other),
        person_b=max(OWNER, other),
        strength=strength,
        band=band,
        trend=trend,
        explanation="",
        last_contact=last,
        components={
            "recency": recency,
            "events": float(events),
            "span_days": span,
            "recent_events": float(recent),
            "previous_events": float(previous),
        },
    )


def nudges(scores=(), *, tiers=None, cadence_days=None, groups=None, owner_group=None):
    return suggest_nudges(
        owner_id=OWNER,
        scores=list(scores),
        tiers=tiers or {},
        cadence_days=cadence_days or {},
        groups=groups or {},
        owner_group=owner_group,
        today=TODAY,
    )


def summary(found):
    return [(n.other_id, n.kind) for n in found]


# ------------------------------------------------------------------ overdue


def test_overdue_past_the_tier_cadence():
    [n] = nudges([tie(2, days=40)], tiers={2: "core"})
    assert n == NudgeSuggestion(
        other_id=2,
        kind="overdue",
        reason="Last in touch 40 days ago; core relationships call for contact every 30 days.",
        priority=pytest.approx(2 + 1.0 + 10 / 30),  # type: ignore[arg-type]  # equals the float
        due_since=dt.date(2026, 6, 20),  # last contact 21 May + 30 days
    )


def test_not_overdue_on_the_cadence_day():
    assert nudges([tie(2, days=30)], tiers={2: "core"}) == []
    assert nudges([tie(2, days=91)], tiers={2: "strategic"}) == []
    assert TIER_CADENCE_DAYS == {"core": 30, "strategic": 91, "wider": 182}


def test_a_cadence_of_its_own_overrides_the_tier():
    [n] = nudges([tie(2, days=25)], tiers={2: "strategic"}, cadence_days={2: 20})
    assert n.reason == "Last in touch 25 days ago; you planned contact every 20 days."
    assert n.priority == pytest.approx(2 + 0.6 + 5 / 20)
    assert n.due_since == dt.date(2026, 6, 25)
    # ... and works without a tier (importance 0.3)
    [n] = nudges([tie(2, days=25)], cadence_days={2: 20})
    assert (n.kind, n.priority) == ("overdue", pytest.approx(2 + 0.3 + 5 / 20))


def test_a_tiered_contact_never_met_is_overdue():
    [n] = nudges([], tiers={5: "wider"})
    assert (n.other_id, n.kind, n.due_since) == (5, "overdue", None)
    assert (
        n.reason == "No contact recorded yet; wider relationships call for contact every 182 days."
    )
    assert n.priority == pytest.approx(3.3)


def test_unknown_tiers_and_the_owner_are_ignored():
    assert nudges([tie(2, days=400)], tiers={2: "vip", OWNER: "core"}) == []


def test_scores_of_other_people_are_ignored():
    stranger = TieScore(3, 4, 0.5, "regular", "cooling", "", None, {"recency": 0.1})
    assert nudges([stranger]) == []
    [n] = nudges([stranger], tiers={3: "core"})  # the owner has no contact with 3
    assert (n.other_id, n.kind, n.due_since) == (3, "overdue", None)


# ------------------------------------------------------------------ cooling


def test_cooling_tie():
    [n] = nudges([tie(2, days=20, strength=0.4, trend="cooling", recent=1, previous=4)])
    assert (n.kind, n.due_since) == ("cooling", None)
    assert n.reason == (
        "Cooling: 1 contact in the last 90 days, down from 4 in the 90 days before "
        "(strength 0.40, regular)."
    )
    assert n.priority == pytest.approx(1.9)


def test_cooling_after_a_long_silence():
    score = tie(2, days=210, strength=0.2, band="occasional", trend="cooling", recent=0, previous=0)
    [n] = nudges([score], groups={2: "Sales"}, owner_group="Sales")
    assert n.reason == (
        "Cooling: last contact 7 months ago, after 10 contacts (strength 0.20, occasional)."
    )


def test_dormant_ties_cool_quietly_unless_tiered():
    score = tie(2, days=20, strength=0.1, band="dormant", trend="cooling", recent=1, previous=4)
    assert nudges([score]) == []
    assert summary(nudges([score], tiers={2: "wider"})) == [(2, "cooling")]


# ------------------------------------------------------------------ follow-up


def test_follow_up_a_first_meeting():
    [n] = nudges([tie(2, days=10, events=1, span=0.0)])
    assert n.reason == "First in touch on 20 June and not since: follow up while it is fresh."
    assert n.due_since == dt.date(2026, 6, 27)
    assert n.priority == pytest.approx(1 + 10 / 30)
    [n] = nudges([tie(2, days=10, events=2, span=3.0)])
    assert n.reason == "First in touch on 17 June, last 10 days ago: follow up while it is fresh."


@pytest.mark.parametrize(
    ("days", "events", "span", "tiers"),
    [
        (10, 3, 3.0, {}),  # more than two events: already going
        (7, 1, 0.0, {}),  # only a week ago: not yet
        (10, 2, 21.0, {}),  # first contact 31 days ago: not recent
        (10, 1, 0.0, {2: "strategic"}),  # tiered: the cadence takes care of it
    ],
)
def test_no_follow_up(days, events, span, tiers):
    assert "follow_up" not in [
        n.kind for n in nudges([tie(2, days=days, events=events, span=span)], tiers=tiers)
    ]


# ------------------------------------------------------------------ bridge


def test_bridge_the_only_tie_into_a_group():
    score = tie(20, days=120, strength=0.3, band="occasional", recency=0.4)
    [n] = nudges([score], groups={20: "Finance"}, owner_group="Sales")
    assert (n.other_id, n.kind, n.due_since) == (20, "bridge", None)
    assert (
        n.reason == "Your only tie into Finance, and it is weakening (last contact 4 months ago)."
    )
    assert n.priority == pytest.approx(2.5 + 0.6)


def test_bridge_needs_a_single_active_tie_outside_the_owner_group():
    weak = tie(20, days=120, strength=0.3, band="occasional", recency=0.4)
    groups = {20: "Finance", 21: "Finance"}
    second = tie(21, days=5, strength=0.7, band="strong", recency=0.96)
    assert nudges([weak, second], groups=groups, owner_group="Sales") == []
    dormant = tie(21, days=500, strength=0.05, band="dormant", recency=0.02)
    assert summary(nudges([weak, dormant], groups=groups, owner_group="Sales")) == [(20, "bridge")]
    assert nudges([weak], groups={20: "Sales"}, owner_group="Sales") == []


def test_bridge_only_when_weakening():
    steady = tie(20, days=30, strength=0.5, recency=0.79)
    assert nudges([steady], groups={20: "Finance"}, owner_group="Sales") == []
    cooling = tie(20, days=30, strength=0.5, recency=0.79, trend="cooling", recent=1, previous=4)
    assert summary(nudges([cooling], groups={20: "Finance"}, owner_group="Sales")) == [
        (20, "bridge"),
        (20, "cooling"),
    ]


# ------------------------------------------------------------------ order


def test_one_per_contact_and_kind_sorted_by_priority_then_contact():
    scores = [
        tie(2, days=40),  # overdue core: 2 + 1 + 10/30 = 3.333
        tie(3, days=10, events=1, span=0.0),  # follow-up: 1 + 10/30 = 1.333
        tie(4, days=20, strength=0.4, trend="cooling", recent=1, previous=4),  # 1.9
        tie(5, days=120, strength=0.3, band="occasional", recency=0.4),  # bridge 3.1
        tie(6, days=100, strength=0.3, band="occasional", recency=0.45, trend="cooling",
            recent=0, previous=2),  # overdue wider? no: 100 < 182; bridge 3.05, cooling 1.8
        tie(7, days=10, events=1, span=0.0),  # follow-up, same priority as 3
    ]  # fmt: skip
    found = nudges(
        scores,
        tiers={2: "core", 6: "wider"},
        groups={5: "Finance", 6: "Legal"},
        owner_group="Sales",
    )
    assert summary(found) == [
        (2, "overdue"),
        (5, "bridge"),
        (6, "bridge"),
        (4, "cooling"),
        (6, "cooling"),
        (3, "follow_up"),
        (7, "follow_up"),
    ]
    assert [round(n.priority, 3) for n in found] == [3.333, 3.1, 3.05, 1.9, 1.8, 1.333, 1.333]
    assert len({(n.other_id, n.kind) for n in found}) == len(found)


def test_a_non_positive_cadence_is_refused():
    with pytest.raises(ValueError, match="cadence"):
        nudges([tie(2, days=5)], cadence_days={2: 0})
