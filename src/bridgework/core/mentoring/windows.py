"""The two days a mentee's network is compared on: the start and the end of a window.

* **A relationship** (the relationship page): from the day the pair started
  (the program's start while it has not) to ``today``, or to the day the
  relationship ended or the program ends, whichever comes first. The start
  never falls after the end: a pair that starts after its end day (a program
  not begun yet) gets the one-day window of its end.
* **A program** (the program dashboard's network growth): from the program's
  start to ``today``, or to its end date when that is earlier. The end never
  falls before the start: a program not begun yet gets the one-day window of
  its start.

Both the service that stores the network snapshots and the selectors that
read them use these, so the days stored are the days read.

Examples
--------
>>> import datetime as dt
>>> relationship_window(started_on=dt.date(2026, 2, 1), program_start=dt.date(2026, 1, 15),
...                     today=dt.date(2026, 5, 20), ended_on=dt.date(2026, 4, 30))
(datetime.date(2026, 2, 1), datetime.date(2026, 4, 30))
>>> program_window(program_start=dt.date(2026, 1, 15), today=dt.date(2026, 5, 20),
...                program_end=dt.date(2026, 3, 31))
(datetime.date(2026, 1, 15), datetime.date(2026, 3, 31))
"""

from __future__ import annotations

import datetime as dt

__all__ = ["program_window", "relationship_window"]


def relationship_window(
    *,
    started_on: dt.date | None,
    program_start: dt.date,
    today: dt.date,
    ended_on: dt.date | None = None,
    program_end: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """``(start, end)`` of a relationship's network comparison (module docstring)."""
    start = started_on or program_start
    end = today
    for limit in (ended_on, program_end):
        if limit is not None:
            end = min(end, limit)
    return min(start, end), end


def program_window(
    *, program_start: dt.date, today: dt.date, program_end: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """``(start, end)`` of a program's network growth (module docstring)."""
    end = min(today, program_end) if program_end is not None else today
    return program_start, max(end, program_start)
