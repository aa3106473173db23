"""How regularly a program's pairs meet: the cadence numbers of the program dashboard.

From the times of each pair's held sessions and the agreed cadence of each
active pair, :func:`cadence_summary` gives:

* ``sessions_held`` -- every held session, of every pair (ended pairs too);
* ``median_gap_days`` -- the median of the gaps between consecutive held
  sessions of the same pair, in whole days (``(later - earlier).days``), over
  every pair; ``None`` without two sessions in any pair;
* ``per_pair_per_month`` -- held sessions in the last ``recent_days`` days
  (from the day ``today - recent_days`` on) per active pair, per 30 days,
  rounded to one decimal; ``None`` without active pairs;
* ``on_cadence`` -- active pairs whose last held session was at most their
  cadence before ``today`` (a pair that never met is not on cadence), and
  ``on_cadence_percent``, its share of the active pairs in whole percent.

:func:`sessions_per_month` counts held sessions per calendar month.

Examples
--------
>>> import datetime as dt
>>> def day(d): return dt.datetime(2026, 3, d, 10, tzinfo=dt.timezone.utc)
>>> summary = cadence_summary({"a": [day(1), day(15), day(29)], "b": [day(2)]},
...                           cadences={"a": 14, "b": 14}, today=dt.date(2026, 3, 30))
>>> summary.sessions_held, summary.median_gap_days, summary.on_cadence
(4, 14.0, 1)
>>> summary.per_pair_per_month, summary.on_cadence_percent
(0.7, 50)
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["RECENT_DAYS", "CadenceSummary", "cadence_summary", "sessions_per_month"]

#: The window, in days, that sessions per pair per month are counted over.
RECENT_DAYS = 90

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class CadenceSummary:
    """The result of :func:`cadence_summary` (see the module docstring)."""

    sessions_held: int
    median_gap_days: float | None
    per_pair_per_month: float | None
    on_cadence: int
    on_cadence_percent: int | None


def cadence_summary(
    held: Mapping[K, Sequence[dt.datetime]],
    *,
    cadences: Mapping[K, int],
    today: dt.date,
    recent_days: int = RECENT_DAYS,
) -> CadenceSummary:
    """Summarize how regularly the pairs meet.

    Parameters
    ----------
    held : mapping of pair to sequence of datetime
        Each pair's held sessions, in time order. Pairs without any may be left out.
    cadences : mapping of pair to int
        The agreed cadence in days of every *active* pair; its keys are the
        active pairs.
    today : datetime.date
        The day the numbers are for.
    recent_days : int, optional
        The window for ``per_pair_per_month`` (90 days: three months of 30 days).

    Returns
    -------
    CadenceSummary
    """
    gaps = [
        (later - earlier).days
        for times in held.values()
        for earlier, later in zip(times, times[1:], strict=False)
        if (later - earlier).days >= 0
    ]
    recent_start = today - dt.timedelta(days=recent_days)
    recent = sum(1 for times in held.values() for t in times if t.date() >= recent_start)
    on_cadence = 0
    for pair, cadence in cadences.items():
        times = held.get(pair, ())
        if times and (today - times[-1].date()).days <= cadence:
            on_cadence += 1
    active = len(cadences)
    return CadenceSummary(
        sessions_held=sum(len(times) for times in held.values()),
        median_gap_days=statistics.median(gaps) if gaps else None,
        per_pair_per_month=round(recent / active / (recent_days / 30), 1) if active else None,
        on_cadence=on_cadence,
        on_cadence_percent=round(100 * on_cadence / active) if active else None,
    )


def sessions_per_month(times: Iterable[dt.datetime]) -> list[tuple[dt.date, int]]:
    """Held sessions per calendar month, as ``(first day of the month, count)`` in
    month order; months without sessions are left out.

    >>> import datetime as dt
    >>> sessions_per_month([dt.datetime(2026, 1, 31, 23), dt.datetime(2026, 3, 1),
    ...                     dt.datetime(2026, 1, 2)])
    [(datetime.date(2026, 1, 1), 2), (datetime.date(2026, 3, 1), 1)]
    """
    months = Counter((t.year, t.month) for t in times)
    return [(dt.date(year, month, 1), n) for (year, month), n in sorted(months.items())]
