"""Which group results may be shown: small-group suppression without subtraction leaks.

Leaders see network results for groups only (teams, communities, engagement
types, organizations), and never for a group of fewer than ``minimum``
people (default 5, never below 3). Hiding small groups is not enough: two
published groups that differ by a few people reveal those people by
subtraction, and so does a partition's total when only one small group is
hidden. :func:`disclosure_safe_groups` applies three rules until nothing
changes:

1. **Threshold** -- a group with fewer than ``minimum`` members is hidden.
2. **Nesting** -- when shown group ``B`` lies inside shown group ``A`` and
   :math:`0 < |A \\setminus B| < minimum`, ``B`` is hidden (otherwise
   ``A - B`` describes fewer than ``minimum`` people). With a published
   ``population`` total, the same holds for a group and the population:
   a group covering all but one to ``minimum - 1`` people is hidden.
3. **Complement** -- within one dimension whose groups do not overlap, if
   the hidden groups together hold between 1 and ``minimum - 1`` people
   and the population total is published, the smallest shown group of that
   dimension is hidden too (repeated until the hidden remainder reaches
   ``minimum``), so the total minus the shown groups does not reveal them.

Every count in these rules is of people **other than the viewer**
(``viewer``, the viewer's own person id): the viewer knows their own
figures, so a group of five that includes them describes four other people,
and subtracting themselves from a total is always open to them. A leader who
joins a four-person program, or switches their own analytics consent on or
off, therefore moves no group across the threshold.

Figures that are not group totals follow the same count:
:func:`figure_shown` allows a figure only when no one but the viewer
contributes to it, or at least ``minimum`` other people do (a largest value
held by one person, or a team's ties to other teams held by one member, is
that person's own value, whatever the size of the group around it).

This is the *primary and secondary cell suppression* of statistical
disclosure control (Hundepool et al., *Statistical Disclosure Control*,
Wiley 2012, ch. 4 and 5), applied to groups of people rather than table
cells; :func:`figure_shown` is its minimum-frequency rule for magnitude
tables (ch. 4.2: a cell with fewer than ``minimum`` contributors is unsafe).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = [
    "MINIMUM_FLOOR",
    "SafeGroups",
    "check_minimum",
    "disclosure_safe_groups",
    "figure_shown",
    "people_besides",
    "withheld_note",
]

#: No setting may lower the minimum group size below this.
MINIMUM_FLOOR = 3


def check_minimum(minimum: int) -> int:
    """``minimum`` itself, or ``ValueError`` when it is below :data:`MINIMUM_FLOOR`.

    >>> check_minimum(5)
    5
    """
    if minimum < MINIMUM_FLOOR:
        raise ValueError(f"the minimum group size cannot be below {MINIMUM_FLOOR}")
    return minimum


def people_besides(people: Collection[int], viewer: int | None) -> int:
    """How many of ``people`` are someone other than the viewer.

    >>> people_besides({1, 2, 3, 4, 5}, 5), people_besides({1, 2, 3, 4, 5}, None)
    (4, 5)
    """
    distinct = set(people)
    return len(distinct) - (viewer is not None and viewer in distinct)


def figure_shown(contributors: Collection[int], *, minimum: int, viewer: int | None = None) -> bool:
    """Whether a figure built from ``contributors`` may be shown to the viewer.

    A figure (a total, a share, a largest value) may be shown when no one
    but the viewer contributes to it -- it is zero, or the viewer's own --
    or when at least ``minimum`` people other than the viewer do. Anything
    in between describes fewer than ``minimum`` people the viewer does not
    speak for.

    Examples
    --------
    The largest number of people one departure cuts off, held by one person:

    >>> figure_shown({17}, minimum=5)
    False

    Five holders, one of whom is the viewer, are four other people:

    >>> figure_shown({1, 2, 3, 4, 5}, minimum=5, viewer=5), figure_shown(set(), minimum=5)
    (False, True)
    """
    others = people_besides(contributors, viewer)
    return others == 0 or others >= check_minimum(minimum)


def withheld_note(minimum: int) -> str:
    """What a page says in place of a withheld figure.

    >>> withheld_note(5)
    'not shown: fewer than 5 people'
    """
    return f"not shown: fewer than {minimum} people"


D = TypeVar("D", bound=Hashable)  # a dimension's name
G = TypeVar("G", bound=Hashable)  # a group's name within its dimension


@dataclass(frozen=True)
class SafeGroups(Generic[D, G]):
    """Result of :func:`disclosure_safe_groups`.

    ``shown``: ``{dimension: [group, ...]}`` in the input order;
    ``hidden``: ``{(dimension, group): reason}``.
    """

    shown: dict[D, list[G]] = field(default_factory=dict)
    hidden: dict[tuple[D, G], str] = field(default_factory=dict)

    def is_shown(self, dimension: D, group: G) -> bool:
        return group in self.shown.get(dimension, ())


def disclosure_safe_groups(
    dimensions: Mapping[D, Mapping[G, Collection[int]]],
    *,
    minimum: int = 5,
    population: Collection[int] | None = None,
    viewer: int | None = None,
) -> SafeGroups[D, G]:
    """Decide which groups may be shown; see the module docstring for the rules.

    Parameters
    ----------
    dimensions : mapping
        ``{dimension: {group: member ids}}``, e.g. ``{"team": {...},
        "community": {...}}``. Every group shown on one page must be passed
        in one call, so that nesting across dimensions is caught.
    minimum : int, keyword-only
        Smallest group that may be shown; at least :data:`MINIMUM_FLOOR`.
    population : collection of int, keyword-only, optional
        Everyone the page's totals are computed over, when it shows totals.
    viewer : int, keyword-only, optional
        The viewer's own person id, if they have one: every rule counts the
        people other than them (a group is shown only with at least
        ``minimum`` members besides the viewer).

    Examples
    --------
    Team ``c`` has 2 people; hiding it alone would leak through the total
    of 14, so the next smallest team, ``b``, is hidden as well:

    >>> teams = {"a": range(0, 7), "b": range(7, 12), "c": range(12, 14)}
    >>> safe = disclosure_safe_groups({"team": teams}, minimum=5, population=range(14))
    >>> safe.shown, sorted(safe.hidden.values())
    ({'team': ['a']}, ['fewer than 5 people', 'hidden so a smaller group cannot be inferred from the total'])

    Three teams of 7, 5 and 5 are all shown, except to a viewer in ``b``:
    there ``b`` holds four people besides them, so it is withheld, and ``c``
    with it, or the total minus ``a`` and ``c`` would give the other four:

    >>> teams = {"a": range(0, 7), "b": range(7, 12), "c": range(12, 17)}
    >>> disclosure_safe_groups({"team": teams}, minimum=5, population=range(17)).shown
    {'team': ['a', 'b', 'c']}
    >>> disclosure_safe_groups({"team": teams}, minimum=5, population=range(17), viewer=7).shown
    {'team': ['a']}
    """
    check_minimum(minimum)
    # The viewer's own membership is never counted: what is left once they
    # subtract their own figures is what the rules must protect.
    known: frozenset[int] = frozenset() if viewer is None else frozenset({viewer})

    def others(people: frozenset[int]) -> int:
        return len(people - known)

    groups = {
        (dim, name): frozenset(members)
        for dim, named in dimensions.items()
        for name, members in named.items()
    }
    everyone = frozenset(population) if population is not None else None
    hidden: dict[tuple[D, G], str] = {}
    for key, members in groups.items():
        if others(members) < minimum:
            hidden[key] = f"fewer than {minimum} people"
    changed = True
    while changed:
        changed = False
        shown = sorted((k for k in groups if k not in hidden), key=lambda k: len(groups[k]))
        for i, small in enumerate(shown):
            if small in hidden:
                continue
            inner = groups[small]
            if everyone is not None and 0 < others(everyone - inner) < minimum:
                hidden[small] = "nearly everyone: the rest could be inferred from the total"
                changed = True
                continue
            for large in shown[i + 1 :]:
                if len(groups[large]) - len(inner) - len(known) >= minimum:
                    break  # sorted by size: every later group differs by more
                if large in hidden or not inner <= groups[large]:
                    continue
                if 0 < others(groups[large] - inner) < minimum:
                    hidden[small] = (
                        f"differs from {large[0]} {large[1]} by fewer than {minimum} people"
                    )
                    changed = True
                    break
        if everyone is not None:
            changed |= _protect_complements(groups, hidden, minimum, known)
    shown_by_dim: dict[D, list[G]] = {dim: [] for dim in dimensions}
    for dim, name in groups:
        if (dim, name) not in hidden:
            shown_by_dim[dim].append(name)
    return SafeGroups(shown=shown_by_dim, hidden=hidden)


def _protect_complements(
    groups: Mapping[tuple[D, G], frozenset[int]],
    hidden: dict[tuple[D, G], str],
    minimum: int,
    known: frozenset[int],
) -> bool:
    changed = False
    for dim in {d for d, _ in groups}:
        keys = [k for k in groups if k[0] == dim]
        if sum(len(groups[k]) for k in keys) != len(frozenset().union(*(groups[k] for k in keys))):
            continue  # overlapping groups: no single remainder to protect
        while True:
            # The groups of one dimension do not overlap: the hidden remainder
            # is their union, less the viewer if they are in it.
            remainder = len(frozenset().union(*(groups[k] for k in keys if k in hidden)) - known)
            visible = sorted((k for k in keys if k not in hidden), key=lambda k: len(groups[k]))
            if not 0 < remainder < minimum or not visible:
                break
            hidden[visible[0]] = "hidden so a smaller group cannot be inferred from the total"
            changed = True
    return changed
