"""The at-risk rules on hand-computed cases: each rule at its threshold, one day
either side, and the reasons' order. Expected values are worked out by hand from
the rules as docs/mentoring.md states them ("A pair is at risk when ..."), not
from the code under test."""

from __future__ import annotations

import datetime as dt

import pytest

from bridgework.core.mentoring.risk import (
    FitAnswer,
    PairActivity,
    is_low_fit,
    pairs_at_risk,
    risk_reasons,
)

TODAY = dt.date(2026, 5, 20)


def _days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def _pair(**fields: object) -> PairActivity:
    base: dict[str, object] = {"cadence_days": 14, "started_on": _days_ago(100)}
    base.update(fields)
    return PairActivity(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("last_held", "expected"),
    [
        (28, []),  # exactly 2 x 14 days: still fine
        (29, ["no session held for 29 days (agreed every 14; at risk after 28)"]),
    ],
)
def test_a_pair_is_quiet_after_twice_its_cadence(last_held: int, expected: list[str]) -> None:
    assert risk_reasons(_pair(last_held=_days_ago(last_held)), today=TODAY) == expected


def test_without_a_held_session_the_days_count_from_the_start() -> None:
    # Started 30 days ago, never met: 30 > 28.
    pair = _pair(started_on=_days_ago(30))
    assert risk_reasons(pair, today=TODAY) == [
        "no session for 30 days (agreed every 14; at risk after 28)"
    ]
    # Not started yet (a request): nothing to count from.
    assert risk_reasons(_pair(started_on=None), today=TODAY) == []


def test_the_cadence_factor_is_an_option() -> None:
    pair = _pair(cadence_days=7, last_held=_days_ago(8))
    assert risk_reasons(pair, today=TODAY) == []  # 8 <= 2 x 7
    assert risk_reasons(pair, today=TODAY, cadence_factor=1) == [
        "no session held for 8 days (agreed every 7; at risk after 7)"
    ]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([FitAnswer(fit=3)], []),
        ([FitAnswer(fit=2), FitAnswer(fit=4)], ["low fit (2/5)"]),
        ([FitAnswer(fit=2), FitAnswer(fit=1)], ["low fit (1/5)"]),
        ([FitAnswer(fit=5, wants_rematch=True)], ["a re-match is requested"]),
        # A re-match request outweighs a low fit: one reason, not two.
        ([FitAnswer(fit=1), FitAnswer(fit=4, wants_rematch=True)], ["a re-match is requested"]),
    ],
)
def test_a_low_fit_or_a_rematch_request(answers: list[FitAnswer], expected: list[str]) -> None:
    pair = _pair(last_held=_days_ago(1), fit_checks=answers)
    assert risk_reasons(pair, today=TODAY) == expected


def test_is_low_fit() -> None:
    assert is_low_fit(FitAnswer(fit=2)) and not is_low_fit(FitAnswer(fit=3))
    assert is_low_fit(FitAnswer(fit=3), low_fit=3)
    assert is_low_fit(FitAnswer(fit=5, wants_rematch=True))


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ((1,), []),  # one rating is not enough
        ((2, 2), ["sessions rated 2.0/5 on average"]),
        ((3, 2), []),  # 2.5 > 2
        ((1, 2, 3), ["sessions rated 2.0/5 on average"]),
        ((1, 2), ["sessions rated 1.5/5 on average"]),
    ],
)
def test_low_session_ratings(ratings: tuple[int, ...], expected: list[str]) -> None:
    pair = _pair(last_held=_days_ago(1), session_ratings=ratings)
    assert risk_reasons(pair, today=TODAY) == expected


@pytest.mark.parametrize(
    ("overdue", "expected"),
    [(1, []), (2, ["2 overdue action items"]), (5, ["5 overdue action items"])],
)
def test_overdue_action_items(overdue: int, expected: list[str]) -> None:
    pair = _pair(last_held=_days_ago(1), overdue_items=overdue)
    assert risk_reasons(pair, today=TODAY) == expected
    assert risk_reasons(pair, today=TODAY, overdue_threshold=6) == []


def test_every_reason_in_the_order_of_the_rules() -> None:
    pair = _pair(
        last_held=_days_ago(40),
        fit_checks=[FitAnswer(fit=1)],
        session_ratings=(1, 1),
        overdue_items=3,
    )
    assert risk_reasons(pair, today=TODAY) == [
        "no session held for 40 days (agreed every 14; at risk after 28)",
        "low fit (1/5)",
        "sessions rated 1.0/5 on average",
        "3 overdue action items",
    ]


def test_a_pair_that_is_not_active_is_never_at_risk() -> None:
    pair = _pair(active=False, last_held=_days_ago(400), overdue_items=9)
    assert risk_reasons(pair, today=TODAY) == []


def test_pairs_at_risk_keeps_only_those_at_risk_in_input_order() -> None:
    pairs = {
        3: _pair(overdue_items=2, last_held=_days_ago(1)),
        1: _pair(last_held=_days_ago(1)),
        2: _pair(last_held=_days_ago(30)),
    }
    result = pairs_at_risk(pairs, today=TODAY)
    assert list(result) == [3, 2]
    assert result[2] == ["no session held for 30 days (agreed every 14; at risk after 28)"]
