"""Which mentoring pairs are at risk, and why: the rules of the program dashboard.

A program manager never reads a pair's notes, but can tell from a few numbers
that a pair needs attention. An *active* pair is **at risk** when any of these
holds; each rule that holds gives one reason, in this order:

1. **Gone quiet** -- no session held for more than
   ``cadence_factor * cadence_days`` days (2 x the agreed cadence by default),
   counted from the last held session, or from the start when none was held.
   Meeting half as often as agreed is the earliest sign a pair is drifting.
2. **Poor fit** -- a fit check asks for a re-match, or rates the fit
   ``low_fit`` or lower on the 1-5 scale (2 by default). A re-match request is
   named as such; otherwise the lowest fit is given.
3. **Poor sessions** -- at least two session ratings whose mean is ``low_fit``
   or lower (one bad session is not a pattern).
4. **Work piling up** -- at least ``overdue_threshold`` overdue action items
   (2 by default).

A pair that is not active (requested, ended, declined) is never at risk. The
rules use whole days: ``today - since`` in calendar days, with ``since`` the
day (UTC) of the last held session.

Examples
--------
>>> import datetime as dt
>>> quiet = PairActivity(cadence_days=14, started_on=dt.date(2026, 1, 5),
...                      last_held=dt.date(2026, 2, 2), session_ratings=(2, 1),
...                      overdue_items=2, fit_checks=(FitAnswer(fit=4),))
>>> for reason in risk_reasons(quiet, today=dt.date(2026, 3, 9)):
...     print(reason)
no session held for 35 days (agreed every 14; at risk after 28)
sessions rated 1.5/5 on average
2 overdue action items
>>> fine = PairActivity(cadence_days=14, started_on=dt.date(2026, 3, 1))
>>> pairs_at_risk({"quiet": quiet, "fine": fine}, today=dt.date(2026, 3, 9))
{'quiet': ['no session held for 35 days (agreed every 14; at risk after 28)', \
'sessions rated 1.5/5 on average', '2 overdue action items']}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = [
    "AT_RISK_CADENCE_FACTOR",
    "AT_RISK_OVERDUE_ITEMS",
    "LOW_FIT",
    "FitAnswer",
    "PairActivity",
    "is_low_fit",
    "pairs_at_risk",
    "risk_reasons",
]

#: A fit (or a mean session rating) of this or lower, on 1-5, puts a pair at risk.
LOW_FIT = 2
#: A pair with no held session for this many times its cadence is at risk.
AT_RISK_CADENCE_FACTOR = 2
#: A pair with at least this many overdue action items is at risk.
AT_RISK_OVERDUE_ITEMS = 2

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class FitAnswer:
    """One side's fit check: how well the pairing fits (1-5), and whether they
    want another mentor or mentee."""

    fit: int
    wants_rematch: bool = False


@dataclass(frozen=True)
class PairActivity:
    """What the rules look at for one pair, as plain numbers and dates.

    ``cadence_days``: the agreed days between sessions; ``started_on``: when the
    pair started (``None`` before it has); ``last_held``: the day of the last
    held session (``None``: none yet); ``overdue_items``: open action items past
    their due date; ``fit_checks``: both sides' fit checks; ``session_ratings``:
    every 1-5 rating of the pair's sessions; ``active``: whether the pair is
    running (only active pairs can be at risk).
    """

    cadence_days: int
    started_on: dt.date | None
    last_held: dt.date | None = None
    overdue_items: int = 0
    fit_checks: Sequence[FitAnswer] = ()
    session_ratings: Sequence[int] = ()
    active: bool = True


def is_low_fit(answer: FitAnswer, *, low_fit: int = LOW_FIT) -> bool:
    """Whether a fit check flags the pair: a fit of ``low_fit`` or lower, or a
    re-match request.

    >>> is_low_fit(FitAnswer(fit=2)), is_low_fit(FitAnswer(fit=5, wants_rematch=True))
    (True, True)
    >>> is_low_fit(FitAnswer(fit=3))
    False
    """
    return answer.fit <= low_fit or answer.wants_rematch


def risk_reasons(
    pair: PairActivity,
    *,
    today: dt.date,
    cadence_factor: int = AT_RISK_CADENCE_FACTOR,
    overdue_threshold: int = AT_RISK_OVERDUE_ITEMS,
    low_fit: int = LOW_FIT,
) -> list[str]:
    """Why ``pair`` is at risk on ``today``, one reason per rule that holds (see
    the module docstring); empty when it is not at risk.

    Parameters
    ----------
    pair : PairActivity
        The pair's numbers.
    today : datetime.date
        The day to judge on.
    cadence_factor : int, optional
        A pair is quiet after more than ``cadence_factor * pair.cadence_days``
        days without a held session.
    overdue_threshold : int, optional
        This many overdue action items or more put the pair at risk.
    low_fit : int, optional
        A fit, or a mean session rating, of this or lower puts the pair at risk.

    Returns
    -------
    list of str
        The reasons, in the order of the rules.
    """
    if not pair.active:
        return []
    reasons = []
    since = pair.last_held if pair.last_held is not None else pair.started_on
    limit = cadence_factor * pair.cadence_days
    if since is not None and (today - since).days > limit:
        what = "no session" if pair.last_held is None else "no session held"
        reasons.append(
            f"{what} for {(today - since).days} days (agreed every {pair.cadence_days}; "
            f"at risk after {limit})"
        )
    low = [f for f in pair.fit_checks if is_low_fit(f, low_fit=low_fit)]
    if any(f.wants_rematch for f in low):
        reasons.append("a re-match is requested")
    elif low:
        reasons.append(f"low fit ({min(f.fit for f in low)}/5)")
    ratings = pair.session_ratings
    if len(ratings) >= 2 and sum(ratings) / len(ratings) <= low_fit:
        reasons.append(f"sessions rated {sum(ratings) / len(ratings):.1f}/5 on average")
    if pair.overdue_items >= overdue_threshold:
        reasons.append(f"{pair.overdue_items} overdue action items")
    return reasons


def pairs_at_risk(
    pairs: Mapping[K, PairActivity],
    *,
    today: dt.date,
    cadence_factor: int = AT_RISK_CADENCE_FACTOR,
    overdue_threshold: int = AT_RISK_OVERDUE_ITEMS,
    low_fit: int = LOW_FIT,
) -> dict[K, list[str]]:
    """The pairs at risk on ``today`` with their reasons (:func:`risk_reasons`),
    in the order of ``pairs``; pairs not at risk are left out."""
    result: dict[K, list[str]] = {}
    for key, pair in pairs.items():
        reasons = risk_reasons(
            pair,
            today=today,
            cadence_factor=cadence_factor,
            overdue_threshold=overdue_threshold,
            low_fit=low_fit,
        )
        if reasons:
            result[key] = reasons
    return result
