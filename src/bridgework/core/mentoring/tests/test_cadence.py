"""Cadence numbers on small hand-computed programs (each expected value worked out
in the comment beside it, from the definitions in the module docstring)."""

from __future__ import annotations

import datetime as dt

from bridgework.core.mentoring.cadence import cadence_summary, sessions_per_month

UTC = dt.UTC


def _at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def test_a_small_program() -> None:
    held = {
        # Pair a: gaps of 13 days 23 hours (13 whole days) and 17 days 1 hour (17).
        "a": [_at(1, 1, 10), _at(1, 15, 9), _at(2, 1, 10)],
        # Pair b (ended, so not in the cadences): a gap of 10 days.
        "b": [_at(1, 10), _at(1, 20)],
    }
    summary = cadence_summary(held, cadences={"a": 14, "c": 30}, today=dt.date(2026, 4, 10))
    assert summary.sessions_held == 5
    assert summary.median_gap_days == 13  # median of 13, 17, 10
    # From 10 January (90 days before 10 April) on: 15 Jan, 1 Feb, 10 Jan, 20 Jan = 4
    # sessions, over 2 active pairs and 3 months: 4 / 2 / 3 = 0.67.
    assert summary.per_pair_per_month == 0.7
    # a last met on 1 February, 68 days ago > 14; c never met.
    assert (summary.on_cadence, summary.on_cadence_percent) == (0, 0)


def test_on_cadence_up_to_the_agreed_number_of_days() -> None:
    held = {"on": [_at(3, 17)], "late": [_at(3, 16)]}
    summary = cadence_summary(held, cadences={"on": 14, "late": 14}, today=dt.date(2026, 3, 31))
    # 31 - 17 = 14 days (on cadence); 31 - 16 = 15 days (not).
    assert (summary.on_cadence, summary.on_cadence_percent) == (1, 50)
    assert summary.median_gap_days is None  # no pair met twice


def test_without_active_pairs() -> None:
    summary = cadence_summary({"old": [_at(1, 5)]}, cadences={}, today=dt.date(2026, 4, 1))
    assert summary.sessions_held == 1
    assert summary.per_pair_per_month is None and summary.on_cadence_percent is None
    empty = cadence_summary({}, cadences={}, today=dt.date(2026, 4, 1))
    assert (empty.sessions_held, empty.median_gap_days, empty.on_cadence) == (0, None, 0)


def test_sessions_per_month() -> None:
    times = [_at(2, 28, 23), _at(1, 31), _at(2, 1), _at(4, 30)]
    assert sessions_per_month(times) == [
        (dt.date(2026, 1, 1), 1),
        (dt.date(2026, 2, 1), 2),
        (dt.date(2026, 4, 1), 1),
    ]
    assert sessions_per_month([]) == []
