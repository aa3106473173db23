"""Leading indicators: signs that relationships are being built before results show.

Outcomes arrive months after the relationship work that makes them possible,
so the return-on-impact page also shows three things that move first:

**New ties** (:func:`new_ties`) — people to whom the person's tie strength
(0-1, ``core/relationships/strength.py``) was below the threshold in the
snapshot at the start date (or absent) and is at or above it now::

    new = { q : s_before(q) < theta <= s_now(q) }

Restricted to the objective's stakeholders it gives *new ties to stakeholders*.

**Reach into the needed groups** (:func:`group_reach`) — the share of the
groups (teams, organizations, functions) the objective needs in which the
person has at least one tie at or above the threshold::

    reach = |{ g in G : exists q in g with s_now(q) >= theta }| / |G|

**Introductions given and received** (:func:`introduction_counts`) —
``introduction`` interactions the person made (initiator) and those in which
they were introduced to someone.

The threshold ``theta`` defaults to the lower bound of the ``occasional``
tie band (0.15): a tie that is not dormant, the same line the nudges use when
they look for someone's only tie into a group.

>>> import datetime as dt
>>> before = {2: 0.4, 3: 0.05}
>>> now = {2: 0.5, 3: 0.3, 4: 0.2, 5: 0.1}
>>> new_ties(before=before, now=now)
(3, 4)
>>> group_reach(now, group_of={2: "legal", 3: "sales", 5: "board"},
...             needed_groups=["sales", "board"]).share
0.5

References
----------
.. [1] M. S. Granovetter, "The strength of weak ties", *American Journal of
   Sociology* 78(6), 1973, pp. 1360-1380 (new ties and ties into other groups).
.. [2] D. G. Ancona and D. F. Caldwell, "Bridging the boundary: external
   activity and performance in organizational teams", *Administrative Science
   Quarterly* 37(4), 1992, pp. 634-665 (reach into the groups a goal needs).
.. [3] R. S. Burt, *Brokerage and Closure*, Oxford University Press, 2005
   (introductions as brokerage).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

from bridgework.core.impact.records import (
    DayLike,
    Interaction,
    as_day,
    check_number,
    check_person,
)
from bridgework.core.relationships.strength import StrengthWeights

__all__ = [
    "TIE_THRESHOLD",
    "GroupReach",
    "IntroductionCounts",
    "LeadingIndicators",
    "new_ties",
    "group_reach",
    "introduction_counts",
    "leading_indicators",
]

#: A tie counts when its strength is at least this: the ``occasional`` band's floor.
TIE_THRESHOLD = StrengthWeights().occasional


@dataclass(frozen=True)
class GroupReach:
    """Which needed groups a person reaches, through whom.

    ``share`` is ``len(reached) / len(reached + missing)`` (None when no group
    is needed); ``through`` maps each reached group to the people (sorted) whose
    ties reach it.
    """

    reached: tuple[Hashable, ...]
    missing: tuple[Hashable, ...]
    share: float | None
    through: dict[Hashable, tuple[int, ...]]


@dataclass(frozen=True)
class IntroductionCounts:
    """Introductions a person made (``given``) and received, and whom they were
    introduced to (``met``, sorted)."""

    given: int
    received: int
    met: tuple[int, ...]


@dataclass(frozen=True)
class LeadingIndicators:
    """The leading indicators of one person over a period (see the module docs)."""

    person: int
    since: dt.date
    until: dt.date | None
    new_ties: tuple[int, ...]
    new_stakeholder_ties: tuple[int, ...]
    reach: GroupReach
    introductions: IntroductionCounts


def _strengths(strengths: Mapping[int, float], what: str) -> dict[int, float]:
    if not isinstance(strengths, Mapping):
        raise ValueError(f"{what} must be a mapping of person id to tie strength")
    checked = {}
    for other, value in strengths.items():
        check_person(other, f"{what} key")
        strength = check_number(value, f"{what}[{other}]")
        if strength > 1:
            raise ValueError(
                f"{what}[{other}] must be a tie strength between 0 and 1, got {strength}"
            )
        checked[other] = strength
    return checked


def _threshold(threshold: float) -> float:
    value = check_number(threshold, "threshold")
    if not 0 < value <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {value}")
    return value


def new_ties(
    *,
    before: Mapping[int, float],
    now: Mapping[int, float],
    stakeholders: Collection[int] | None = None,
    threshold: float = TIE_THRESHOLD,
) -> tuple[int, ...]:
    """People the tie reached ``threshold`` with since the ``before`` snapshot.

    .. math:: N = \\{ q : s_\\text{before}(q) < \\theta \\le s_\\text{now}(q) \\}

    A person absent from ``before`` had no tie (strength 0). ``stakeholders``
    keeps only those people. Returned sorted by id.

    >>> new_ties(before={}, now={8: 0.2, 9: 0.6}, stakeholders={9})
    (9,)
    """
    theta = _threshold(threshold)
    before = _strengths(before, "before")
    now = _strengths(now, "now")
    wanted = (
        None if stakeholders is None else {check_person(s, "stakeholder") for s in stakeholders}
    )
    return tuple(
        sorted(
            q
            for q, strength in now.items()
            if strength >= theta and before.get(q, 0.0) < theta and (wanted is None or q in wanted)
        )
    )


def group_reach(
    strengths: Mapping[int, float],
    *,
    group_of: Mapping[int, Hashable],
    needed_groups: Iterable[Hashable],
    threshold: float = TIE_THRESHOLD,
) -> GroupReach:
    """Share of ``needed_groups`` with at least one tie of strength ``>= threshold``.

    .. math:: \\mathrm{reach} = \\frac{|\\{g \\in G : \\exists q \\in g,\\ s(q) \\ge \\theta\\}|}{|G|}

    ``strengths`` are the person's ties (other person -> strength now);
    ``group_of`` gives each other person's group. Groups keep the order given.

    >>> r = group_reach({2: 0.7, 3: 0.1}, group_of={2: "ops", 3: "it"}, needed_groups=["it", "ops"])
    >>> r.reached, r.missing, r.share, r.through
    (('ops',), ('it',), 0.5, {'ops': (2,)})
    """
    theta = _threshold(threshold)
    strengths = _strengths(strengths, "strengths")
    needed = list(dict.fromkeys(needed_groups))
    wanted = set(needed)
    through: dict[Hashable, list[int]] = {}
    for other, strength in strengths.items():
        group = group_of.get(other)
        if strength >= theta and group in wanted:
            through.setdefault(group, []).append(other)
    reached = tuple(g for g in needed if g in through)
    missing = tuple(g for g in needed if g not in through)
    return GroupReach(
        reached=reached,
        missing=missing,
        share=len(reached) / len(needed) if needed else None,
        through={g: tuple(sorted(through[g])) for g in reached},
    )


def introduction_counts(
    person: int,
    interactions: Iterable[Interaction],
    *,
    start: DayLike | None = None,
    end: DayLike | None = None,
) -> IntroductionCounts:
    """Introductions ``person`` made and received between ``start`` and ``end``
    (inclusive days; open when None).

    ``given`` counts introduction interactions with ``person`` as initiator,
    ``received`` those where ``person`` was one of the people introduced;
    ``met`` are the other people introduced alongside them.

    >>> import datetime as dt
    >>> intro = Interaction(occurred_at=dt.date(2026, 4, 2), people=(1, 2, 3),
    ...                     kind="introduction", initiator=1)
    >>> introduction_counts(1, [intro]), introduction_counts(2, [intro])
    (IntroductionCounts(given=1, received=0, met=()), IntroductionCounts(given=0, received=1, met=(3,)))
    """
    check_person(person, "person")
    start = None if start is None else as_day(start, "start")
    end = None if end is None else as_day(end, "end")
    given = received = 0
    met: set[int] = set()
    for interaction in interactions:
        if not isinstance(interaction, Interaction):
            raise ValueError(f"interactions must be Interaction records, got {interaction!r}")
        day = interaction.day
        if interaction.kind != "introduction" or person not in interaction.people:
            continue
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        if interaction.initiator == person:
            given += 1
        else:
            received += 1
            met.update(p for p in interaction.people if p not in (person, interaction.initiator))
    return IntroductionCounts(given=given, received=received, met=tuple(sorted(met)))


def leading_indicators(
    person: int,
    *,
    since: DayLike,
    strengths_before: Mapping[int, float],
    strengths_now: Mapping[int, float],
    interactions: Iterable[Interaction] = (),
    stakeholders: Collection[int] = (),
    group_of: Mapping[int, Hashable] | None = None,
    needed_groups: Iterable[Hashable] = (),
    until: DayLike | None = None,
    threshold: float = TIE_THRESHOLD,
) -> LeadingIndicators:
    """All leading indicators of ``person`` since ``since`` (the ``before`` snapshot's date).

    >>> import datetime as dt
    >>> li = leading_indicators(1, since=dt.date(2026, 1, 1), strengths_before={2: 0.1},
    ...                         strengths_now={2: 0.4, 3: 0.2}, stakeholders={2},
    ...                         group_of={2: "finance"}, needed_groups=["finance", "legal"])
    >>> li.new_ties, li.new_stakeholder_ties, li.reach.share, li.introductions.given
    ((2, 3), (2,), 0.5, 0)
    """
    check_person(person, "person")
    since_day = as_day(since, "since")
    until_day = None if until is None else as_day(until, "until")
    return LeadingIndicators(
        person=person,
        since=since_day,
        until=until_day,
        new_ties=new_ties(before=strengths_before, now=strengths_now, threshold=threshold),
        new_stakeholder_ties=new_ties(
            before=strengths_before,
            now=strengths_now,
            stakeholders=stakeholders,
            threshold=threshold,
        ),
        reach=group_reach(
            strengths_now,
            group_of=group_of or {},
            needed_groups=needed_groups,
            threshold=threshold,
        ),
        introductions=introduction_counts(person, interactions, start=since_day, end=until_day),
    )
