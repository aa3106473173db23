"""Return on impact: outcome value against the relationship time invested.

For an entity ``e`` (a person, relationship, team, objective or program) and
a unit ``u``::

    value_u(e)    = sum over outcomes o of unit u of credit_o(e)
    hours(e)      = interaction hours invested by e
    per_hour_u(e) = value_u(e) / hours(e)        (None when hours(e) = 0)

**Units are never mixed**: money, hours saved and 1-5 impact ratings measure
different things, and there is no defensible exchange rate between them (an
hour saved is worth a different amount of money to each team; a rating is
ordinal). Every result therefore keeps one total per unit. Ratings are summed
as "rating points", a rough volume indicator; ``UnitReturn.outcomes`` says how
many results they came from.

**Credit** by ``level``:

================  ======================================================
``person``        ``Outcome.people`` (attributed credit of each person)
``relationship``  ``Outcome.relationships``
``owner``         the whole value, to the outcome's owner ("my results")
``objective``     the whole value, to the outcome's objective
================  ======================================================

``groups`` rolls a level up (person -> team, person -> program): credit and
hours of the members are summed; keys with no group are left out.

**Hours** (:func:`invested_hours`): every participant of an interaction
invests its whole duration (a one-hour meeting of four is four person-hours),
and every pair of participants shares it (each of the six pairs gets one
hour, as ``meeting_minutes`` in ``core/events/ties.py``). Interactions without a
duration (e-mail, chat) count ``default_minutes[kind]``, 0 unless set.

**Give/get balance** (:func:`give_get_balance`) counts acts of help between
a person and each other person: being credited on the other's outcome, or
introducing the other to someone. Acts, not values, give the verdict, because
values of different units cannot be added; the values given and received per
unit are reported beside them.

>>> import datetime as dt
>>> from bridgework.core.impact.records import Interaction, Outcome
>>> meetings = [Interaction(occurred_at=dt.date(2026, 1, 10), people=(1, 2), kind="meeting",
...                         duration_minutes=90),
...             Interaction(occurred_at=dt.date(2026, 2, 3), people=(1, 3), kind="call",
...                         duration_minutes=30)]
>>> hours = invested_hours(meetings)
>>> hours
{1: 2.0, 2: 1.5, 3: 0.5}
>>> deal = Outcome(value=3000, unit="money", occurred_on=dt.date(2026, 3, 1), owner=1,
...                people={1: 1500, 2: 1000, 3: 500})
>>> roi = return_on_impact([deal], hours)
>>> roi[2].by_unit["money"].per_hour
666.6666666666666
>>> roi[1].reading
'2 hours invested; 1,500 in money from 1 outcome (750 per hour)'

References
----------
.. [1] J. J. Phillips, *Return on Investment in Training and Performance
   Improvement Programs*, 2nd ed., Butterworth-Heinemann, 2003 (value against
   time invested, and why intangible benefits stay separate from money).
.. [2] A. W. Gouldner, "The norm of reciprocity: a preliminary statement",
   *American Sociological Review* 25(2), 1960, pp. 161-178 (give/get balance).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, TypeVar

import pandas as pd

from bridgework.core.impact.records import (
    UNITS,
    DayLike,
    Interaction,
    Outcome,
    Relationship,
    as_day,
    check_number,
    check_person,
)

__all__ = [
    "LEVELS",
    "BALANCE_VERDICTS",
    "UnitReturn",
    "ReturnOnImpact",
    "TrendPoint",
    "GiveGet",
    "invested_hours",
    "return_on_impact",
    "roi_frame",
    "trend",
    "trend_frame",
    "give_get_balance",
    "balance_frame",
]

#: Entity -> group, keyed like the level (person ids, Relationship objects or
#: objectives); the keys stay Any so that a ``dict[int, str]`` of teams fits.
Groups = Mapping[Any, Hashable]
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)  # a person, relationship, objective or group

LEVELS = ("person", "relationship", "owner", "objective")
BALANCE_VERDICTS = ("none", "too_early", "balanced", "mostly_give", "mostly_receive")

#: "Mostly" one way: more than twice as many acts one way as the other.
_MOSTLY_RATIO = 2.0
_UNIT_WORDS = {"money": "in money", "hours": "hours saved", "rating": "rating points"}
_PER_HOUR_WORDS = {
    "money": "per hour",
    "hours": "hours saved per hour invested",
    "rating": "rating points per hour",
}


@dataclass(frozen=True)
class UnitReturn:
    """The return in one unit: total credit, outcomes it came from, per hour."""

    unit: str
    value: float
    outcomes: int
    per_hour: float | None


@dataclass(frozen=True)
class ReturnOnImpact:
    """Return on impact of one entity: hours invested and one return per unit."""

    key: Hashable
    hours: float
    by_unit: dict[str, UnitReturn]
    reading: str


@dataclass(frozen=True)
class TrendPoint:
    """One month of one unit: ``month`` is the month's first day."""

    month: dt.date
    unit: str
    value: float
    outcomes: int
    hours: float
    per_hour: float | None


@dataclass(frozen=True)
class GiveGet:
    """What ``person`` gave to and received from ``other``.

    ``given``/``received`` count acts of help (credited on the other's
    outcome, or an introduction made for the other); the introduction parts
    are also counted separately. ``value_given``/``value_received`` are the
    credit amounts per unit. ``ratio`` is given / received acts (None when
    nothing was received), ``share_given`` is given / (given + received)
    (None when nothing either way).
    """

    person: int
    other: int
    given: int
    received: int
    introductions_given: int
    introductions_received: int
    value_given: dict[str, float]
    value_received: dict[str, float]
    ratio: float | None
    share_given: float | None
    verdict: str
    reading: str

    @property
    def relationship(self) -> Relationship:
        """The pair as a :class:`Relationship`."""
        return Relationship(self.person, self.other)


# ------------------------------------------------------------------- helpers


def _number_text(x: float) -> str:
    """``1,500``, ``2``, ``0.75``, ``0.062``: no more digits than a page needs."""
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    return f"{x:.2g}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _window(start: DayLike | None, end: DayLike | None) -> tuple[dt.date | None, dt.date | None]:
    first = None if start is None else as_day(start, "start")
    last = None if end is None else as_day(end, "end")
    if first is not None and last is not None and last < first:
        raise ValueError(f"end {last} is before start {first}")
    return first, last


def _inside(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def _level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r} (expected one of {', '.join(LEVELS)})")
    return level


def _checked(items: Iterable[object], kind: type[T], what: str) -> list[T]:
    checked: list[T] = []
    for item in items:
        if not isinstance(item, kind):
            raise ValueError(f"{what} must be {kind.__name__} records, got {item!r}")
        checked.append(item)
    return checked


def _credit(outcome: Outcome, level: str) -> dict[Hashable, float]:
    if level == "person":
        return {person: amount for person, amount in outcome.people.items()}
    if level == "relationship":
        return {pair: amount for pair, amount in outcome.relationships.items()}
    if level == "owner":
        return {} if outcome.owner is None else {outcome.owner: outcome.value}
    return {} if outcome.objective is None else {outcome.objective: outcome.value}


def _grouped(credit: Mapping[Hashable, float], groups: Groups | None) -> dict[Hashable, float]:
    if groups is None:
        return dict(credit)
    rolled: dict[Hashable, float] = {}
    for key, amount in credit.items():
        if key in groups:
            rolled[groups[key]] = rolled.get(groups[key], 0.0) + amount
    return rolled


def _sorted_keys(keys: Iterable[K]) -> list[K]:
    unique = list(dict.fromkeys(keys))
    try:
        return sorted(unique)  # type: ignore[type-var]  # any keys: TypeError handled below
    except TypeError:  # mixed key types: keep first-seen order
        return unique


# --------------------------------------------------------------------- hours


def invested_hours(
    interactions: Iterable[Interaction],
    *,
    by: str = "person",
    start: DayLike | None = None,
    end: DayLike | None = None,
    default_minutes: Mapping[str, float] | None = None,
    groups: Groups | None = None,
) -> dict[Hashable, float]:
    """Interaction hours invested per person or per relationship.

    .. math::

        h(p) = \\sum_{i \\ni p} d_i, \\qquad h(\\{p, q\\}) = \\sum_{i \\ni p, q} d_i

    with ``d_i`` the duration in hours of interaction ``i`` (or
    ``default_minutes[kind] / 60`` when unknown, else 0). ``start``/``end``
    (inclusive days) restrict the interactions; ``groups`` sums the keys into
    groups (person -> team: the team's person-hours).

    >>> import datetime as dt
    >>> team_meeting = Interaction(occurred_at=dt.date(2026, 1, 5), people=(1, 2, 3),
    ...                            kind="meeting", duration_minutes=60)
    >>> invested_hours([team_meeting], by="relationship")
    {Relationship(person_a=1, person_b=2): 1.0, Relationship(person_a=1, person_b=3): 1.0, Relationship(person_a=2, person_b=3): 1.0}
    >>> invested_hours([team_meeting], groups={1: "sales", 2: "sales", 3: "legal"})
    {'legal': 1.0, 'sales': 2.0}
    """
    if by not in ("person", "relationship"):
        raise ValueError(f"by must be 'person' or 'relationship', got {by!r}")
    start, end = _window(start, end)
    defaults = {
        kind: check_number(minutes, f"default_minutes[{kind!r}]")
        for kind, minutes in (default_minutes or {}).items()
    }
    hours: dict[Hashable, float] = {}
    for interaction in _checked(interactions, Interaction, "interactions"):
        if not _inside(interaction.day, start, end):
            continue
        minutes = interaction.duration_minutes
        if minutes is None:
            minutes = defaults.get(interaction.kind, 0.0)
        keys: Iterable[Hashable]
        if by == "person":
            keys = interaction.people
        else:
            keys = [Relationship(a, b) for a, b in combinations(interaction.people, 2)]
        for key in keys:
            hours[key] = hours.get(key, 0.0) + minutes / 60.0
    hours = _grouped(hours, groups)
    return {key: hours[key] for key in _sorted_keys(hours)}


# ------------------------------------------------------------ return on impact


def _reading(hours: float, by_unit: Mapping[str, UnitReturn]) -> str:
    parts = []
    for unit in UNITS:
        item = by_unit[unit]
        if item.outcomes == 0 and item.value == 0:
            continue
        text = (
            f"{_number_text(item.value)} {_UNIT_WORDS[unit]} from "
            f"{_plural(item.outcomes, 'outcome')}"
        )
        if item.per_hour is not None:
            text += f" ({_number_text(item.per_hour)} {_PER_HOUR_WORDS[unit]})"
        parts.append(text)
    if hours <= 0:
        if not parts:
            return "no interaction time or outcomes recorded yet"
        return "no interaction time recorded; " + "; ".join(parts)
    head = f"{_number_text(hours)} hours invested"
    if not parts:
        return head + "; no outcomes credited yet"
    return head + "; " + "; ".join(parts)


def return_on_impact(
    outcomes: Iterable[Outcome],
    hours: Mapping[Hashable, float],
    *,
    level: str = "person",
    groups: Groups | None = None,
    start: DayLike | None = None,
    end: DayLike | None = None,
) -> dict[Hashable, ReturnOnImpact]:
    """Credited value per unit against hours invested, for every entity.

    .. math:: \\mathrm{RoI}_u(e) = \\frac{\\sum_{o:\\,\\mathrm{unit}(o) = u} c_o(e)}{h(e)}

    ``hours`` is keyed like the ``level`` (person ids, :class:`Relationship`
    objects or objectives; :func:`invested_hours` gives the first two);
    ``groups`` rolls both credit and hours up. ``start``/``end`` (inclusive)
    keep the outcomes of that window: compute ``hours`` over the same window.
    Every entity with hours or credit gets a result, with all three units.

    >>> import datetime as dt
    >>> saved = Outcome(value=6, unit="hours", occurred_on=dt.date(2026, 1, 9), objective="crm")
    >>> roi = return_on_impact([saved], {"crm": 4.0}, level="objective")
    >>> roi["crm"].by_unit["hours"]
    UnitReturn(unit='hours', value=6.0, outcomes=1, per_hour=1.5)
    """
    _level(level)
    start, end = _window(start, end)
    totals: dict[Hashable, dict[str, float]] = {}
    counts: dict[Hashable, dict[str, int]] = {}
    for outcome in _checked(outcomes, Outcome, "outcomes"):
        if not _inside(outcome.occurred_on, start, end):
            continue
        for key, amount in _grouped(_credit(outcome, level), groups).items():
            unit_totals = totals.setdefault(key, dict.fromkeys(UNITS, 0.0))
            unit_counts = counts.setdefault(key, dict.fromkeys(UNITS, 0))
            unit_totals[outcome.unit] += amount
            if amount > 0:
                unit_counts[outcome.unit] += 1
    if not isinstance(hours, Mapping):
        raise ValueError("hours must be a mapping of entity to hours invested")
    invested = _grouped(
        {key: check_number(h, f"hours[{key!r}]") for key, h in hours.items()}, groups
    )
    results = {}
    for key in _sorted_keys([*invested, *totals]):
        h = invested.get(key, 0.0)
        by_unit = {
            unit: UnitReturn(
                unit=unit,
                value=totals.get(key, {}).get(unit, 0.0),
                outcomes=counts.get(key, {}).get(unit, 0),
                per_hour=(totals.get(key, {}).get(unit, 0.0) / h) if h > 0 else None,
            )
            for unit in UNITS
        }
        results[key] = ReturnOnImpact(
            key=key, hours=h, by_unit=by_unit, reading=_reading(h, by_unit)
        )
    return results


def roi_frame(results: Mapping[Hashable, ReturnOnImpact]) -> pd.DataFrame:
    """One row per entity and unit: ``key``, ``unit``, ``value``, ``outcomes``,
    ``hours``, ``per_hour`` (NaN without hours).

    >>> roi_frame(return_on_impact([], {7: 2.0, 8: 0.0}))[["key", "unit", "hours", "per_hour"]]
       key    unit  hours  per_hour
    0    7   money    2.0       0.0
    1    7   hours    2.0       0.0
    2    7  rating    2.0       0.0
    3    8   money    0.0       NaN
    4    8   hours    0.0       NaN
    5    8  rating    0.0       NaN
    """
    rows = [
        dict(
            key=r.key,
            unit=u.unit,
            value=u.value,
            outcomes=u.outcomes,
            hours=r.hours,
            per_hour=math.nan if u.per_hour is None else u.per_hour,
        )
        for r in results.values()
        for u in r.by_unit.values()
    ]
    return pd.DataFrame(rows, columns=["key", "unit", "value", "outcomes", "hours", "per_hour"])


# --------------------------------------------------------------------- trend


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], _month(start)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def trend(
    outcomes: Iterable[Outcome],
    interactions: Iterable[Interaction],
    *,
    key: Hashable,
    level: str = "person",
    start: DayLike,
    end: DayLike,
    groups: Groups | None = None,
    default_minutes: Mapping[str, float] | None = None,
    cumulative: bool = False,
) -> list[TrendPoint]:
    """Monthly value, hours and value per hour of one entity, per unit.

    Every calendar month from ``start`` to ``end`` appears (months without
    activity have zeros), each with the three units, in month then
    :data:`~bridgework.core.impact.records.UNITS` order. Outcomes and
    interactions outside ``start``-``end`` (inclusive days) are ignored.
    Hours are person-hours for the ``person`` and ``owner`` levels and pair
    hours for ``relationship``. With ``cumulative=True`` value, outcomes and
    hours are running totals, so ``per_hour`` is the return to date.

    For an objective, pass its outcomes and the owner's interactions with the
    objective's stakeholders, with ``level="owner"`` and ``key`` the owner.

    >>> import datetime as dt
    >>> call = Interaction(occurred_at=dt.date(2026, 1, 20), people=(1, 2), kind="call",
    ...                    duration_minutes=120)
    >>> hire = Outcome(value=4, unit="rating", occurred_on=dt.date(2026, 2, 14), owner=1)
    >>> points = trend([hire], [call], key=1, level="owner",
    ...                start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28), cumulative=True)
    >>> [(p.month.month, p.value, p.hours, p.per_hour) for p in points if p.unit == "rating"]
    [(1, 0.0, 2.0, 0.0), (2, 4.0, 2.0, 2.0)]
    """
    _level(level)
    if level == "objective":
        raise ValueError(
            "objective trends need the owner's interactions: use level='owner' with the "
            "objective's outcomes and the interactions with its stakeholders"
        )
    first, last = _window(start, end)
    if first is None or last is None:
        raise ValueError("trend needs both start and end")
    start, end = first, last
    months = _months(start, end)
    value = {(m, u): 0.0 for m in months for u in UNITS}
    count = {(m, u): 0 for m in months for u in UNITS}
    for outcome in _checked(outcomes, Outcome, "outcomes"):
        if not _inside(outcome.occurred_on, start, end):
            continue
        amount = _grouped(_credit(outcome, level), groups).get(key, 0.0)
        cell = (_month(outcome.occurred_on), outcome.unit)
        value[cell] += amount
        count[cell] += 1 if amount > 0 else 0
    by = "relationship" if level == "relationship" else "person"
    interactions = _checked(interactions, Interaction, "interactions")
    monthly_hours = dict.fromkeys(months, 0.0)
    for month in months:
        month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        window = invested_hours(
            interactions,
            by=by,
            start=max(month, start),
            end=min(month_end, end),
            default_minutes=default_minutes,
            groups=groups,
        )
        monthly_hours[month] = window.get(key, 0.0)
    points = []
    running_value = dict.fromkeys(UNITS, 0.0)
    running_count = dict.fromkeys(UNITS, 0)
    running_hours = 0.0
    for month in months:
        running_hours = running_hours + monthly_hours[month] if cumulative else monthly_hours[month]
        for unit in UNITS:
            if cumulative:
                running_value[unit] += value[month, unit]
                running_count[unit] += count[month, unit]
                v, c = running_value[unit], running_count[unit]
            else:
                v, c = value[month, unit], count[month, unit]
            points.append(
                TrendPoint(
                    month=month,
                    unit=unit,
                    value=v,
                    outcomes=c,
                    hours=running_hours,
                    per_hour=v / running_hours if running_hours > 0 else None,
                )
            )
    return points


def trend_frame(points: Iterable[TrendPoint]) -> pd.DataFrame:
    """The points as a long DataFrame (``month``, ``unit``, ``value``, ``outcomes``,
    ``hours``, ``per_hour``); ``.pivot(index="month", columns="unit", values="value")``
    gives one column per unit."""
    rows = [
        dict(
            month=p.month,
            unit=p.unit,
            value=p.value,
            outcomes=p.outcomes,
            hours=p.hours,
            per_hour=math.nan if p.per_hour is None else p.per_hour,
        )
        for p in points
    ]
    return pd.DataFrame(rows, columns=["month", "unit", "value", "outcomes", "hours", "per_hour"])


# ----------------------------------------------------------- give/get balance


def _balance_reading(given: int, received: int, min_exchanges: int) -> tuple[str, str]:
    total = given + received
    counts = f"{given} given, {received} received"
    if total == 0:
        return "none", "no exchange recorded yet"
    if total < min_exchanges:
        return "too_early", f"too few exchanges to judge yet ({counts})"
    if given > _MOSTLY_RATIO * received:
        return "mostly_give", f"you mostly give ({counts})"
    if received > _MOSTLY_RATIO * given:
        return "mostly_receive", f"you mostly receive ({counts})"
    return "balanced", f"balanced ({counts})"


@dataclass
class _Exchanges:
    """What ``person`` and one other gave each other, as :func:`give_get_balance` counts."""

    given: int = 0
    received: int = 0
    intro_given: int = 0
    intro_received: int = 0
    value_given: dict[str, float] = field(default_factory=lambda: dict.fromkeys(UNITS, 0.0))
    value_received: dict[str, float] = field(default_factory=lambda: dict.fromkeys(UNITS, 0.0))


def give_get_balance(
    person: int,
    *,
    outcomes: Iterable[Outcome] = (),
    interactions: Iterable[Interaction] = (),
    others: Iterable[int] | None = None,
    start: DayLike | None = None,
    end: DayLike | None = None,
    min_exchanges: int = 3,
) -> dict[int, GiveGet]:
    """The give/get balance of ``person`` with each person they exchanged with.

    Acts of help from ``p`` to ``q``:

    * ``p`` has positive credit (``Outcome.people``) on an outcome ``q`` owns
      (the value given is that credit, in the outcome's unit);
    * ``p`` introduced ``q`` to someone (an ``introduction`` interaction with
      ``p`` as initiator and ``q`` among the people).

    With ``g`` acts given and ``r`` received, ``ratio = g / r`` and the
    verdict is: ``none`` (no act), ``too_early`` (``g + r < min_exchanges``),
    ``mostly_give`` (``g > 2 r``), ``mostly_receive`` (``r > 2 g``), else
    ``balanced``: within a factor of two either way (2 to 1 is still a fair
    exchange at the small counts relationships have). ``others`` restricts (and completes, with zero rows) the people
    reported; ``start``/``end`` (inclusive days) restrict the acts.

    >>> import datetime as dt
    >>> day = dt.date(2026, 3, 1)
    >>> intro = Interaction(occurred_at=day, people=(1, 2, 3), kind="introduction", initiator=2)
    >>> helped = Outcome(value=500, unit="money", occurred_on=day, owner=2, people={1: 200})
    >>> deal = Outcome(value=900, unit="money", occurred_on=day, owner=1, people={2: 300})
    >>> balance = give_get_balance(1, outcomes=[helped, deal], interactions=[intro])
    >>> balance[2].given, balance[2].received, balance[2].reading
    (1, 2, 'balanced (1 given, 2 received)')
    >>> balance[2].value_given["money"], balance[2].value_received["money"]
    (200.0, 300.0)
    """
    check_person(person, "person")
    start, end = _window(start, end)
    if isinstance(min_exchanges, bool) or not isinstance(min_exchanges, int) or min_exchanges < 0:
        raise ValueError(f"min_exchanges must be a non-negative integer, got {min_exchanges!r}")
    tally: dict[int, _Exchanges] = {}

    def entry(other: int) -> _Exchanges:
        return tally.setdefault(other, _Exchanges())

    for outcome in _checked(outcomes, Outcome, "outcomes"):
        if outcome.owner is None or not _inside(outcome.occurred_on, start, end):
            continue
        if outcome.owner == person:
            for helper, amount in outcome.people.items():
                if helper != person and amount > 0:
                    item = entry(helper)
                    item.received += 1
                    item.value_received[outcome.unit] += amount
        elif outcome.people.get(person, 0.0) > 0:
            item = entry(outcome.owner)
            item.given += 1
            item.value_given[outcome.unit] += outcome.people[person]
    for interaction in _checked(interactions, Interaction, "interactions"):
        if interaction.kind != "introduction" or not _inside(interaction.day, start, end):
            continue
        if interaction.initiator == person:
            for other in interaction.people:
                if other != person:
                    item = entry(other)
                    item.given += 1
                    item.intro_given += 1
        elif person in interaction.people and interaction.initiator is not None:
            item = entry(interaction.initiator)  # an introduction always has its introducer
            item.received += 1
            item.intro_received += 1
    wanted = (
        _sorted_keys(tally)
        if others is None
        else [check_person(o, "other person") for o in dict.fromkeys(others)]
    )
    results: dict[int, GiveGet] = {}
    for other in wanted:
        if other == person:
            continue
        item = tally.get(other) or entry(other)
        given, received = item.given, item.received
        verdict, reading = _balance_reading(given, received, min_exchanges)
        results[other] = GiveGet(
            person=person,
            other=other,
            given=given,
            received=received,
            introductions_given=item.intro_given,
            introductions_received=item.intro_received,
            value_given=item.value_given,
            value_received=item.value_received,
            ratio=given / received if received else None,
            share_given=given / (given + received) if given + received else None,
            verdict=verdict,
            reading=reading,
        )
    return results


def balance_frame(balances: Mapping[int, GiveGet]) -> pd.DataFrame:
    """One row per other person: counts, ratio, verdict and value given/received per unit."""
    rows = []
    for b in balances.values():
        row = dict(
            person=b.person,
            other=b.other,
            given=b.given,
            received=b.received,
            introductions_given=b.introductions_given,
            introductions_received=b.introductions_received,
            ratio=math.nan if b.ratio is None else b.ratio,
            verdict=b.verdict,
        )
        for unit in UNITS:
            row[f"{unit}_given"] = b.value_given[unit]
            row[f"{unit}_received"] = b.value_received[unit]
        rows.append(row)
    columns = [
        "person",
        "other",
        "given",
        "received",
        "introductions_given",
        "introductions_received",
        "ratio",
        "verdict",
        *(f"{u}_{d}" for u in UNITS for d in ("given", "received")),
    ]
    return pd.DataFrame(rows, columns=columns)
