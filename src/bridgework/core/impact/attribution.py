"""Attribution: who gets credit for an outcome, four ways.

An outcome's *contribution evidence* is one or more **paths**: ordered
sequences of people from the outcome's owner to someone who made the result
possible (owner -> introducer -> client). Each consecutive pair of a path is
a :class:`~bridgework.core.impact.records.Relationship`; a path may carry the
date each hop was first used (the introduction, the first meeting).

``declared_split(value, shares)``
    Shares the owner declared, normalized: ``credit_p = value * s_p / sum_q s_q``.
``first_touch(value, paths)`` / ``last_touch(value, paths)``
    All credit to the relationship used first / last. Dates are compared by
    UTC calendar day; relationships tied on the day **split the credit
    equally** (the data cannot say which came first). A relationship on
    several paths counts with its earliest use for first touch and its latest
    for last touch. Without dates (no path carries any), hops are taken to
    happen in path order: first touch credits the first hop of every path,
    last touch the last hop, shared equally when paths disagree.
``shapley_split(value, paths)``
    The Shapley value of the game whose players are the relationships and
    where a coalition ``S`` produces the outcome when it holds every
    relationship of at least one path::

        v(S) = value  if P_k ⊆ S for some path k, else 0
        phi_i = sum over S ⊆ N \\ {i} of |S|! (n - |S| - 1)! / n! * (v(S ∪ {i}) - v(S))

    ``v`` is a sum of unanimity games (Harsanyi dividends, by
    inclusion-exclusion over the paths), and a unanimity game on ``U`` gives
    ``1/|U|`` to each member, so the exact value is the closed form::

        phi_i = value * sum over non-empty sets T of paths with i ∈ U_T of
                (-1)^(|T| + 1) / |U_T|,      U_T = union of the relationships of T

    It costs ``2^m`` terms for ``m`` minimal paths (paths that contain another
    path's relationships add nothing and are dropped first), independent of
    the number of relationships. Up to ``max_exact_paths`` (16: 65,536 terms)
    it is exact; above, the value is estimated from random orders of the
    players (the pivotal relationship of each order gets ``value``) with the
    Hoeffding bound of :func:`shapley_error_bound`.

Credit to **people** (``Attribution.people``) comes from the relationships'
credit by :func:`credit_to_people`: rule ``"split"`` (default) halves each
relationship's credit between its two ends, because a relationship is a joint
asset both people invested in; rule ``"exclude_owner"`` gives the owner's half
of each of the owner's own relationships to the other end, for a "who helped
me" view that credits contributors only. Both rules keep the total equal to the
value.

>>> paths = [(1, 2, 3), (1, 4)]          # 1 met client 3 through 2, and partner 4 directly
>>> result = shapley_split(1200, paths)
>>> {str(r): round(c, 2) for r, c in result.relationships.items()}
{'1-2': 200.0, '2-3': 200.0, '1-4': 800.0}
>>> {p: round(c, 2) for p, c in result.people.items()}
{1: 500.0, 2: 200.0, 3: 100.0, 4: 400.0}

References
----------
.. [1] L. S. Shapley, "A value for n-person games", in *Contributions to the
   Theory of Games II*, Annals of Mathematics Studies 28, 1953, pp. 307-317.
.. [2] L. S. Shapley and M. Shubik, "A method for evaluating the distribution
   of power in a committee system", *American Political Science Review* 48(3),
   1954, pp. 787-792 (the pivotal-player reading used for sampling).
.. [3] J. C. Harsanyi, "A simplified bargaining model for the n-person
   cooperative game", *International Economic Review* 4(2), 1963 (dividends).
.. [4] J. Castro, D. Gomez and J. Tejada, "Polynomial calculation of the
   Shapley value based on sampling", *Computers & Operations Research* 36(5),
   2009, pp. 1726-1730.
.. [5] B. Dalessandro, C. Perlich, O. Stitelman and F. Provost, "Causally
   motivated attribution for online advertising", *ADKDD* 2012 (Shapley
   credit over touchpoints; first/last touch as the baselines).
.. [6] W. Hoeffding, "Probability inequalities for sums of bounded random
   variables", *JASA* 58(301), 1963, pp. 13-30.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TypedDict, Unpack

import numpy as np
import pandas as pd

from bridgework.core.impact.records import Relationship, as_day, check_number, check_person

__all__ = [
    "METHODS",
    "PEOPLE_RULES",
    "MAX_EXACT_PATHS",
    "ContributionPath",
    "Attribution",
    "declared_split",
    "first_touch",
    "last_touch",
    "shapley_split",
    "shapley_error_bound",
    "credit_to_people",
    "round_credit",
]

#: Attribution methods, in the order the page explains them.
METHODS = ("declared", "first_touch", "last_touch", "shapley")
#: How relationship credit is turned into credit to people.
PEOPLE_RULES = ("split", "exclude_owner")
#: Exact Shapley values up to this many minimal paths (2^16 inclusion-exclusion terms).
MAX_EXACT_PATHS = 16

_SAMPLE_CHUNK = 8192


@dataclass(frozen=True)
class ContributionPath:
    """People from the outcome's owner to a contributor, with optional hop dates.

    ``people`` has at least two distinct person ids, owner first. ``used_on``
    is None (undated) or one date or aware datetime per hop: ``used_on[h]`` is
    when the relationship ``people[h] - people[h + 1]`` was first used for this
    outcome.

    >>> path = ContributionPath((1, 2, 3), used_on=(dt.date(2026, 1, 5), dt.date(2026, 2, 1)))
    >>> [str(r) for r in path.relationships]
    ['1-2', '2-3']
    """

    people: tuple[int, ...]
    used_on: tuple[dt.date | dt.datetime, ...] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.people, str | bytes) or not isinstance(self.people, Iterable):
            raise ValueError(f"a path must be a sequence of person ids, got {self.people!r}")
        people = tuple(check_person(p, "path person") for p in self.people)
        if not people:
            raise ValueError("a path is empty: it needs the owner and at least one other person")
        if len(people) < 2:
            raise ValueError(
                f"a path needs at least two people (owner and contributor), got {people}"
            )
        repeated = sorted(p for p, count in Counter(people).items() if count > 1)
        if repeated:
            raise ValueError(f"path {people} passes through person {repeated[0]} more than once")
        object.__setattr__(self, "people", people)
        if self.used_on is not None:
            days = tuple(self.used_on)
            if len(days) != len(people) - 1:
                raise ValueError(
                    f"path {people} has {len(people) - 1} hops but {len(days)} hop dates"
                )
            for day in days:
                as_day(day, "hop date")
            object.__setattr__(self, "used_on", days)

    @property
    def owner(self) -> int:
        """The first person: the outcome's owner."""
        return self.people[0]

    @property
    def relationships(self) -> tuple[Relationship, ...]:
        """The hops, in path order."""
        return tuple(Relationship(a, b) for a, b in zip(self.people, self.people[1:], strict=False))

    @property
    def days(self) -> tuple[dt.date, ...] | None:
        """Hop dates as UTC calendar days, or None when undated."""
        return None if self.used_on is None else tuple(as_day(d) for d in self.used_on)


@dataclass(frozen=True)
class Attribution:
    """Credit for one outcome under one method.

    ``relationships`` and ``people`` map to amounts in the outcome's unit
    (each sums to ``value``; ``relationships`` is empty for declared shares,
    which name people). ``exact`` is False when a Shapley value was sampled;
    then every amount lies within ``error_bound`` of its exact value with
    probability at least ``1 - delta``. ``note`` says in plain words what was done.
    """

    method: str
    value: float
    relationships: dict[Relationship, float]
    people: dict[int, float]
    owner: int | None = None
    exact: bool = True
    error_bound: float = 0.0
    samples: int = 0
    delta: float = 0.0
    note: str = ""
    paths: tuple[ContributionPath, ...] = field(default=(), repr=False)

    def to_frame(self, *, level: str = "relationship") -> pd.DataFrame:
        """One row per relationship (``person_a``, ``person_b``, ``credit``, ``share``)
        or, with ``level="person"``, per person (``person``, ``credit``, ``share``).

        >>> shapley_split(10, [(1, 2)]).to_frame()
           person_a  person_b  credit  share
        0         1         2    10.0    1.0
        """
        share = (lambda c: c / self.value) if self.value else (lambda c: 0.0)
        if level == "relationship":
            rows = [
                dict(person_a=r.person_a, person_b=r.person_b, credit=c, share=share(c))
                for r, c in self.relationships.items()
            ]
            columns = ["person_a", "person_b", "credit", "share"]
        elif level == "person":
            rows = [dict(person=p, credit=c, share=share(c)) for p, c in self.people.items()]
            columns = ["person", "credit", "share"]
        else:
            raise ValueError(f"level must be 'relationship' or 'person', got {level!r}")
        return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------- validation


def _value(value: object) -> float:
    return check_number(value, "outcome value")


def _paths(paths: object) -> list[ContributionPath]:
    if isinstance(paths, ContributionPath) or not isinstance(paths, Iterable):
        raise ValueError("paths must be a list of paths (each a ContributionPath or id sequence)")
    checked: list[ContributionPath] = []
    for path in paths:
        if not isinstance(path, ContributionPath):
            if isinstance(path, str | bytes) or not isinstance(path, Iterable):
                raise ValueError(
                    f"a path must be a sequence of person ids, got {path!r} "
                    "(pass a list of paths, e.g. [(1, 2, 3)])"
                )
            path = ContributionPath(tuple(path))
        checked.append(path)
    if not checked:
        raise ValueError("at least one path is needed to attribute an outcome")
    owners = sorted({p.owner for p in checked})
    if len(owners) > 1:
        raise ValueError(f"every path must start at the outcome's owner; these start at {owners}")
    return checked


def _others(other_relationships: Iterable[object]) -> list[Relationship]:
    others = []
    for item in other_relationships:
        if not isinstance(item, Relationship):
            raise ValueError(f"other_relationships must hold Relationship objects, got {item!r}")
        others.append(item)
    return others


def _players(paths: list[ContributionPath], others: list[Relationship]) -> list[Relationship]:
    """Relationships in order of first appearance on the paths, then the others."""
    seen: dict[Relationship, None] = {}
    for path in paths:
        for relationship in path.relationships:
            seen.setdefault(relationship)
    for relationship in others:
        seen.setdefault(relationship)
    return list(seen)


def _rule(rule: str) -> str:
    if rule not in PEOPLE_RULES:
        raise ValueError(
            f"unknown people rule {rule!r} (expected one of {', '.join(PEOPLE_RULES)})"
        )
    return rule


def credit_to_people(
    credit: Mapping[Relationship, float], *, owner: int | None = None, rule: str = "split"
) -> dict[int, float]:
    """Turn credit per relationship into credit per person.

    ``rule="split"``: each relationship's credit is halved between its two
    ends. ``rule="exclude_owner"``: a relationship of the owner gives all its
    credit to the other end; any other relationship is halved. The total is
    unchanged. People come in order of first appearance in ``credit``.

    >>> credit = {Relationship(1, 2): 60.0, Relationship(2, 3): 40.0}
    >>> credit_to_people(credit)
    {1: 30.0, 2: 50.0, 3: 20.0}
    >>> credit_to_people(credit, owner=1, rule="exclude_owner")
    {2: 80.0, 3: 20.0}
    """
    _rule(rule)
    if rule == "exclude_owner" and owner is None:
        raise ValueError("rule 'exclude_owner' needs the owner")
    people: dict[int, float] = {}
    for relationship, amount in credit.items():
        if rule == "exclude_owner" and owner is not None and relationship.involves(owner):
            other = relationship.other(owner)
            people[other] = people.get(other, 0.0) + amount
            continue
        for person in relationship.people:
            people[person] = people.get(person, 0.0) + amount / 2
    return people


class _Estimate(TypedDict, total=False):
    """How a sampled Shapley split qualifies its amounts (see :class:`Attribution`)."""

    exact: bool
    error_bound: float
    samples: int
    delta: float


def _result(
    method: str,
    value: float,
    credit: dict[Relationship, float],
    paths: list[ContributionPath],
    *,
    rule: str,
    note: str,
    **extra: Unpack[_Estimate],
) -> Attribution:
    owner = paths[0].owner
    return Attribution(
        method=method,
        value=value,
        relationships=credit,
        people=credit_to_people(credit, owner=owner, rule=rule),
        owner=owner,
        note=note,
        paths=tuple(paths),
        **extra,
    )


# ------------------------------------------------------------------- declared


def declared_split(value: float, shares: Mapping[int, float]) -> Attribution:
    """Credit as the owner declared it, shares normalized to sum to one.

    .. math:: c_p = v \\, \\frac{s_p}{\\sum_q s_q}

    ``shares`` maps person ids to non-negative numbers in any scale
    (percentages, points, fractions); at least one must be positive.

    >>> declared_split(900, {4: 50, 7: 25, 9: 25}).people
    {4: 450.0, 7: 225.0, 9: 225.0}
    """
    value = _value(value)
    if not isinstance(shares, Mapping) or not shares:
        raise ValueError("declared shares must be a non-empty mapping of person id to share")
    checked = {
        check_person(p, "declared share key"): check_number(s, f"declared share of person {p}")
        for p, s in shares.items()
    }
    total = math.fsum(checked.values())
    if total <= 0:
        raise ValueError("declared shares must sum to a positive number, got 0")
    people = {p: value * s / total for p, s in checked.items()}
    return Attribution(
        method="declared",
        value=value,
        relationships={},
        people=people,
        note=f"Split as declared by the owner: {len(people)} shares, normalized to sum to 1.",
    )


# ---------------------------------------------------------- first / last touch


def _touch(
    value: float,
    paths: Sequence[ContributionPath | Sequence[int]],
    other_relationships: Iterable[Relationship],
    people_rule: str,
    *,
    last: bool,
) -> Attribution:
    value = _value(value)
    paths = _paths(paths)
    others = _others(other_relationships)
    _rule(people_rule)
    method = "last_touch" if last else "first_touch"
    dated = [p.used_on is not None for p in paths]
    if any(dated) and not all(dated):
        raise ValueError("either every path carries hop dates or none does")
    players = _players(paths, others)
    if all(dated):
        when: dict[Relationship, dt.date] = {}
        for path in paths:
            for relationship, day in zip(path.relationships, path.days or (), strict=True):
                known = when.get(relationship)
                if known is None or (day > known if last else day < known):
                    when[relationship] = day
        target = max(when.values()) if last else min(when.values())
        winners = [r for r in players if when.get(r) == target]
        word = "last" if last else "first"
        note = (
            f"All credit to the relationship used {word}, on {target.isoformat()}."
            if len(winners) == 1
            else f"{len(winners)} relationships were used {word} on the same day "
            f"({target.isoformat()}); the credit is split equally between them."
        )
    else:
        ends = {(path.relationships[-1] if last else path.relationships[0]) for path in paths}
        winners = [r for r in players if r in ends]
        hop = "last hop (nearest the contributor)" if last else "first hop (the owner's own tie)"
        note = f"No hop dates: credit to each path's {hop}" + (
            "." if len(winners) == 1 else f", split equally between {len(winners)} relationships."
        )
    credit = {r: (value / len(winners) if r in winners else 0.0) for r in players}
    return _result(method, value, credit, paths, rule=people_rule, note=note)


def first_touch(
    value: float,
    paths: Sequence[ContributionPath | Sequence[int]],
    *,
    other_relationships: Iterable[Relationship] = (),
    people_rule: str = "split",
) -> Attribution:
    """All credit to the relationship used first over the paths.

    .. math:: c_r = v / |F| \\text{ for } r \\in F = \\arg\\min_r t_r, \\quad 0 \\text{ otherwise}

    where ``t_r`` is the UTC day relationship ``r`` was first used (over all
    paths). Ties on the day split equally. Undated paths: ``F`` is the set of
    the paths' first hops. ``other_relationships`` (linked to the outcome but on
    no path) are listed with 0.

    >>> day = dt.date
    >>> path = ContributionPath((1, 2, 3), used_on=(day(2026, 1, 5), day(2026, 3, 1)))
    >>> {str(r): c for r, c in first_touch(100, [path]).relationships.items()}
    {'1-2': 100.0, '2-3': 0.0}
    """
    return _touch(value, paths, other_relationships, people_rule, last=False)


def last_touch(
    value: float,
    paths: Sequence[ContributionPath | Sequence[int]],
    *,
    other_relationships: Iterable[Relationship] = (),
    people_rule: str = "split",
) -> Attribution:
    """All credit to the relationship used last over the paths.

    .. math:: c_r = v / |L| \\text{ for } r \\in L = \\arg\\max_r t_r, \\quad 0 \\text{ otherwise}

    where ``t_r`` is the latest UTC day relationship ``r`` was used (over all
    paths). Ties on the day split equally. Undated paths: ``L`` is the set of
    the paths' last hops.

    >>> {str(r): c for r, c in last_touch(100, [(1, 2, 3), (1, 4, 5)]).relationships.items()}
    {'1-2': 0.0, '2-3': 50.0, '1-4': 0.0, '4-5': 50.0}
    """
    return _touch(value, paths, other_relationships, people_rule, last=True)


# ------------------------------------------------------------------- Shapley


def shapley_error_bound(*, players: int, samples: int, delta: float = 0.01) -> float:
    """Half-width, as a fraction of the value, of sampled Shapley shares.

    Each sampled order contributes ``value`` or 0 to a player, so by
    Hoeffding's inequality and a union bound over the ``n`` players, every
    estimate is within ``epsilon * value`` of its exact value with probability
    at least ``1 - delta``:

    .. math:: \\epsilon = \\sqrt{\\frac{\\ln(2n/\\delta)}{2k}}

    >>> round(shapley_error_bound(players=40, samples=50_000, delta=0.01), 4)
    0.0095
    """
    if players < 1 or samples < 1:
        raise ValueError("players and samples must be at least 1")
    if not 0 < delta < 1:
        raise ValueError(f"delta must be between 0 and 1, got {delta}")
    return math.sqrt(math.log(2 * players / delta) / (2 * samples))


def _samples_for(players: int, tolerance: float, delta: float) -> int:
    """Orders needed for ``shapley_error_bound(...) <= tolerance``."""
    return math.ceil(math.log(2 * players / delta) / (2 * tolerance**2))


def _minimal_sets(paths: list[ContributionPath], index: dict[Relationship, int]) -> list[int]:
    """Each path's relationships as a bit mask, without repeats or supersets."""
    masks = sorted(
        {sum(1 << index[r] for r in path.relationships) for path in paths},
        key=lambda m: (m.bit_count(), m),
    )
    minimal: list[int] = []
    for mask in masks:
        if not any(kept & mask == kept for kept in minimal):
            minimal.append(mask)
    return minimal


def _exact_shapley(masks: list[int], players: int) -> list[Fraction]:
    """Exact shares of a value of 1 by inclusion-exclusion over the minimal paths.

    Each share is a sum of ``count / |U|``; they are added as integers over the
    common denominator ``lcm(1..n)``, so the shares are exact fractions.
    """
    m = len(masks)
    union = [0] * (1 << m)
    odd = [False] * (1 << m)
    coefficient: Counter[int] = Counter()
    for subset in range(1, 1 << m):
        low = subset & -subset
        rest = subset ^ low
        union[subset] = union[rest] | masks[low.bit_length() - 1]
        odd[subset] = not odd[rest]
        coefficient[union[subset]] += 1 if odd[subset] else -1
    denominator = math.lcm(*range(1, players + 1))
    numerators = [0] * players
    for members, count in coefficient.items():
        if count == 0:
            continue
        term = count * (denominator // members.bit_count())
        bits = members
        while bits:
            low = bits & -bits
            numerators[low.bit_length() - 1] += term
            bits ^= low
    return [Fraction(numerator, denominator) for numerator in numerators]


def _sampled_shapley(masks: list[int], players: int, samples: int, seed: int | None) -> list[float]:
    """Shares of a value of 1: how often each player is pivotal in random orders."""
    members = [np.array([i for i in range(players) if mask >> i & 1]) for mask in masks]
    rng = np.random.default_rng(seed)
    pivotal = np.zeros(players, dtype=np.int64)
    done = 0
    while done < samples:
        size = min(_SAMPLE_CHUNK, samples - done)
        arrival = rng.random((size, players))  # i.i.d. arrival times: a uniform random order
        completion = np.empty((size, len(members)))
        last = np.empty((size, len(members)), dtype=np.int64)
        for k, group in enumerate(members):
            times = arrival[:, group]
            completion[:, k] = times.max(axis=1)
            last[:, k] = group[times.argmax(axis=1)]
        first = completion.argmin(axis=1)
        pivotal += np.bincount(last[np.arange(size), first], minlength=players)
        done += size
    return list(pivotal / samples)


def shapley_split(
    value: float,
    paths: Sequence[ContributionPath | Sequence[int]],
    *,
    other_relationships: Iterable[Relationship] = (),
    people_rule: str = "split",
    max_exact_paths: int = MAX_EXACT_PATHS,
    tolerance: float = 0.01,
    delta: float = 0.01,
    samples: int | None = None,
    seed: int | None = 0,
) -> Attribution:
    """The path-based Shapley split of ``value`` across the relationships involved.

    Players are the relationships on the paths (plus ``other_relationships``,
    which lie on no path and get 0: the null-player property). A coalition
    produces the outcome when it contains a whole path:

    .. math::

        v(S) = \\text{value} \\cdot [\\exists k: P_k \\subseteq S], \\qquad
        \\phi_i = \\sum_{S \\subseteq N \\setminus \\{i\\}}
                 \\frac{|S|!\\,(n-|S|-1)!}{n!}\\,\\bigl(v(S \\cup \\{i\\}) - v(S)\\bigr)

    computed exactly by the closed form in the module docs when there are at
    most ``max_exact_paths`` minimal paths. Above that, ``samples`` random
    orders (seeded by ``seed``; by default enough for the estimate to be
    within ``tolerance * value`` with probability ``1 - delta``) estimate it,
    and the result carries ``exact=False`` and the bound.

    The split is efficient (sums to ``value``), symmetric (relationships that
    complete the same paths get the same) and gives nothing to a relationship
    on no minimal path.

    >>> result = shapley_split(60, [(1, 2, 3), (1, 4)])
    >>> [round(c, 6) for c in result.relationships.values()]
    [10.0, 10.0, 40.0]
    """
    value = _value(value)
    paths = _paths(paths)
    others = _others(other_relationships)
    _rule(people_rule)
    if isinstance(max_exact_paths, bool) or not isinstance(max_exact_paths, int):
        raise ValueError(f"max_exact_paths must be an integer, got {max_exact_paths!r}")
    players = _players(paths, others)
    index = {r: i for i, r in enumerate(players)}
    masks = _minimal_sets(paths, index)
    n = len(players)
    if len(masks) <= max_exact_paths:
        shares = _exact_shapley(masks, n)
        exact_value = Fraction(value)
        credit = {r: float(exact_value * s) for r, s in zip(players, shares, strict=True)}
        note = (
            f"Exact Shapley split over {n} relationship{'s' if n != 1 else ''} "
            f"and {len(masks)} distinct path{'s' if len(masks) != 1 else ''}."
        )
        return _result("shapley", value, credit, paths, rule=people_rule, note=note)
    if not 0 < tolerance < 1:
        raise ValueError(f"tolerance must be between 0 and 1, got {tolerance}")
    if samples is None:
        samples = _samples_for(n, tolerance, delta)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ValueError(f"samples must be a positive integer, got {samples!r}")
    bound = value * shapley_error_bound(players=n, samples=samples, delta=delta)
    estimated = _sampled_shapley(masks, n, samples, seed)
    credit = {r: value * s for r, s in zip(players, estimated, strict=True)}
    note = (
        f"Shapley split estimated from {samples:,} random orders of {n} relationships "
        f"({len(masks)} distinct paths): each amount is within {bound:.4g} of its exact "
        f"value with probability {1 - delta:.0%}."
    )
    return _result(
        "shapley",
        value,
        credit,
        paths,
        rule=people_rule,
        note=note,
        exact=False,
        error_bound=bound,
        samples=samples,
        delta=delta,
    )


# ------------------------------------------------------------------- display


def round_credit(credit: Mapping[Hashable, float], *, decimals: int = 2) -> dict[Hashable, float]:
    """Round amounts so that they still add up to the rounded total.

    Largest-remainder rounding (Hamilton's method): each amount is rounded
    down to ``decimals``, then the units still missing go one each to the
    amounts with the largest remainders (earlier keys first on ties). Use it to
    display money so the people's shares sum to the outcome's value.

    >>> round_credit({1: 100 / 3, 2: 100 / 3, 3: 100 / 3})
    {1: 33.34, 2: 33.33, 3: 33.33}
    """
    scale = 10**decimals
    scaled = {k: check_number(v, f"credit[{k}]") * scale for k, v in credit.items()}
    floors = {k: math.floor(v + 1e-9) for k, v in scaled.items()}
    missing = round(math.fsum(scaled.values())) - sum(floors.values())
    order = sorted(scaled, key=lambda k: -(scaled[k] - floors[k]))
    for key in order[: max(0, missing)]:
        floors[key] += 1
    return {k: floors[k] / scale for k in credit}
