"""The network windows on hand-picked calendars (the expected days read off the rules
in the module docstring)."""

from __future__ import annotations

import datetime as dt

from bridgework.core.mentoring.windows import program_window, relationship_window

D = dt.date


def test_a_running_relationship_runs_from_its_start_to_today() -> None:
    window = relationship_window(
        started_on=D(2026, 2, 1), program_start=D(2026, 1, 15), today=D(2026, 5, 20)
    )
    assert window == (D(2026, 2, 1), D(2026, 5, 20))


def test_a_request_not_started_yet_counts_from_the_program_start() -> None:
    window = relationship_window(started_on=None, program_start=D(2026, 1, 15), today=D(2026, 2, 1))
    assert window == (D(2026, 1, 15), D(2026, 2, 1))


def test_the_earlier_of_its_end_and_the_program_end_closes_it() -> None:
    common = {"started_on": D(2026, 2, 1), "program_start": D(2026, 1, 15), "today": D(2026, 9, 1)}
    assert relationship_window(**common, ended_on=D(2026, 6, 1), program_end=D(2026, 7, 1)) == (
        D(2026, 2, 1),
        D(2026, 6, 1),
    )
    assert relationship_window(**common, ended_on=D(2026, 8, 1), program_end=D(2026, 7, 1)) == (
        D(2026, 2, 1),
        D(2026, 7, 1),
    )


def test_a_relationship_window_never_starts_after_it_ends() -> None:
    # The program begins next month: the window is the one day of today.
    window = relationship_window(started_on=None, program_start=D(2026, 6, 1), today=D(2026, 5, 20))
    assert window == (D(2026, 5, 20), D(2026, 5, 20))


def test_a_program_window() -> None:
    assert program_window(program_start=D(2026, 1, 15), today=D(2026, 5, 20)) == (
        D(2026, 1, 15),
        D(2026, 5, 20),
    )
    assert program_window(
        program_start=D(2026, 1, 15), today=D(2026, 5, 20), program_end=D(2026, 3, 31)
    ) == (D(2026, 1, 15), D(2026, 3, 31))
    # Not begun yet: the one day of its start.
    assert program_window(program_start=D(2026, 6, 1), today=D(2026, 5, 20)) == (
        D(2026, 6, 1),
        D(2026, 6, 1),
    )
