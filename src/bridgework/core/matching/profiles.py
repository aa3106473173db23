"""Who takes part in mentor matching, and the settings of the match.

Plain, frozen data that a Django app fills from its models and hands to the
engine (:mod:`bridgework.core.matching.scoring`,
:mod:`~bridgework.core.matching.constraints`,
:mod:`~bridgework.core.matching.assignment`):

``MenteeProfile``
    what the mentee wants to grow (behavior keys with priorities) and their own
    1-5 self-rating of each behavior, the skills they want, the groups (teams,
    communities, organizations) their goals need and the groups they already
    reach, their time zone, reporting line, exclusions, earlier mentors and
    stated preferences.
``MentorProfile``
    the mentor's 1-5 level on each behavior, skills, how strongly they reach
    into each group (0-1, from the network analysis), team, organization,
    engagement type, time zone, capacity (how many mentees they take),
    reporting line and exclusions.
``Weights``
    the non-negative weights of the four parts of a pair's score.
``Constraints``
    the settings of the hard constraints (the time-zone window, whether an
    earlier pairing may repeat).

Every profile is validated when it is built: a level outside 1-5, a reach
outside 0-1, a NaN, a negative capacity or weights that are all zero raise
:class:`ValueError` naming the field. Collections are copied into immutable
ones (``frozenset``, read-only mappings), so a profile cannot change under
the engine; lists and sets are accepted wherever a ``frozenset`` is stored.

Behavior keys are strings (``"presenting_yourself"``); explanations show
them with underscores as spaces unless a label mapping is given.

Examples
--------
>>> mentee = MenteeProfile(
...     7, wants_to_grow={"presenting_yourself": 2, "reaching_beyond_your_circle": 1},
...     behavior_levels={"presenting_yourself": 2}, skills_wanted={"SQL"},
...     needed_groups={"Finance"}, reporting_line={3, 1}, utc_offset_hours=1)
>>> dict(mentee.wants_to_grow)
{'presenting_yourself': 2.0, 'reaching_beyond_your_circle': 1.0}
>>> sorted(mentee.reporting_line)
[1, 3]
>>> MenteeProfile(8, wants_to_grow=("listening",)).wants_to_grow["listening"]
1.0
>>> MentorProfile(9, capacity=-1)
Traceback (most recent call last):
...
ValueError: mentor 9: capacity must be an integer >= 0, not -1
>>> Weights(behavior=0, network=0, skills=0, preferences=0)
Traceback (most recent call last):
...
ValueError: weights: at least one weight must be positive
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "MIN_LEVEL",
    "MAX_LEVEL",
    "MenteeProfile",
    "MentorProfile",
    "Weights",
    "Constraints",
    "DEFAULT_WEIGHTS",
    "DEFAULT_CONSTRAINTS",
    "check_pool",
]

MIN_LEVEL = 1
"""The lowest behavior level (the 1-5 scale of self-ratings and mentor levels)."""
MAX_LEVEL = 5
"""The highest behavior level."""


def _person_id(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{where}: person_id must be an integer, not {value!r}")
    return int(value)


def _ids(value: Iterable[int], where: str, name: str) -> frozenset[int]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValueError(f"{where}: {name} must be a collection of person ids, not {value!r}")
    ids: list[int] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, numbers.Integral):
            raise ValueError(f"{where}: {name} must hold integer person ids, not {item!r}")
        ids.append(int(item))
    return frozenset(ids)


def _strings(value: Iterable[str], where: str, name: str) -> frozenset[str]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValueError(
            f"{where}: {name} must be a collection of strings (a bare string is "
            f"ambiguous: write {{{value!r}}}), not {value!r}"
        )
    items = frozenset(value)
    if not all(isinstance(item, str) and item for item in items):
        raise ValueError(
            f"{where}: {name} must hold non-empty strings, not {sorted(map(repr, items))}"
        )
    return items


def _number(value: object, where: str, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{where}: {name} must be a number, not {value!r}")
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise ValueError(f"{where}: {name} must be in [{low:g}, {high:g}], not {value!r}")
    return number


def _scores(
    value: Mapping[str, float], where: str, name: str, low: float, high: float
) -> Mapping[str, float]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: {name} must be a mapping, not {value!r}")
    result = {}
    for key, number in value.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"{where}: {name} keys must be non-empty strings, not {key!r}")
        result[key] = _number(number, where, f"{name}[{key!r}]", low, high)
    return MappingProxyType(result)


def _priorities(value: Mapping[str, float] | Iterable[str], where: str) -> Mapping[str, float]:
    if isinstance(value, Mapping):
        priorities = _scores(value, where, "wants_to_grow", 0.0, math.inf)
        zero = [key for key, priority in priorities.items() if priority <= 0]
        if zero:
            raise ValueError(f"{where}: wants_to_grow priorities must be > 0, see {zero}")
        return priorities
    keys = _strings(value, where, "wants_to_grow")
    return MappingProxyType({key: 1.0 for key in sorted(keys)})


def _optional_name(value: str | None, where: str, name: str) -> str | None:
    if value is not None and (not isinstance(value, str) or not value):
        raise ValueError(f"{where}: {name} must be a non-empty string or None, not {value!r}")
    return value


def _utc_offset(value: float, where: str) -> float:
    return _number(value, where, "utc_offset_hours", -12.0, 14.0)


@dataclass(frozen=True, slots=True)
class MenteeProfile:
    """A mentee: what they want to grow, what their goals need, and their limits.

    Parameters
    ----------
    person_id : int
        The mentee's person id.
    wants_to_grow : mapping of str to float, or collection of str
        Behavior keys the mentee wants to grow, each with a priority > 0
        (a plain collection gives every key priority 1).
    behavior_levels : mapping of str to float
        The mentee's 1-5 self-rating of behaviors; a behavior without a rating
        counts as level 1.
    skills_wanted : set of str
        Skills the mentee wants to learn.
    needed_groups : set of str
        Teams, communities or organizations the mentee's goals need.
    reached_groups : set of str
        Groups the mentee already reaches; a needed group the mentee already
        reaches is not a gap.
    team, organization : str or None
        The mentee's own team and organization.
    utc_offset_hours : float
        The mentee's offset from UTC in hours, -12 to 14.
    reporting_line : set of int
        Person ids of the mentee's managers up the chain.
    excluded : set of int
        People the mentee does not want as a mentor.
    previous_mentors : set of int
        The mentee's earlier mentors (no repeat pairing).
    preferred_mentors : set of int
        Mentors the mentee asked for by name.
    prefer_other_team : bool
        The mentee prefers a mentor from another team.
    preferred_engagement : set of str
        Engagement types the mentee prefers (for example ``"video"``).
    """

    person_id: int
    wants_to_grow: Mapping[str, float] = field(default_factory=dict)
    behavior_levels: Mapping[str, float] = field(default_factory=dict)
    skills_wanted: AbstractSet[str] = frozenset()
    needed_groups: AbstractSet[str] = frozenset()
    reached_groups: AbstractSet[str] = frozenset()
    team: str | None = None
    organization: str | None = None
    utc_offset_hours: float = 0.0
    reporting_line: AbstractSet[int] = frozenset()
    excluded: AbstractSet[int] = frozenset()
    previous_mentors: AbstractSet[int] = frozenset()
    preferred_mentors: AbstractSet[int] = frozenset()
    prefer_other_team: bool = False
    preferred_engagement: AbstractSet[str] = frozenset()

    def __post_init__(self) -> None:
        where = f"mentee {self.person_id!r}"
        values = {
            "person_id": _person_id(self.person_id, where),
            "wants_to_grow": _priorities(self.wants_to_grow, where),
            "behavior_levels": _scores(
                self.behavior_levels, where, "behavior_levels", MIN_LEVEL, MAX_LEVEL
            ),
            "skills_wanted": _strings(self.skills_wanted, where, "skills_wanted"),
            "needed_groups": _strings(self.needed_groups, where, "needed_groups"),
            "reached_groups": _strings(self.reached_groups, where, "reached_groups"),
            "team": _optional_name(self.team, where, "team"),
            "organization": _optional_name(self.organization, where, "organization"),
            "utc_offset_hours": _utc_offset(self.utc_offset_hours, where),
            "reporting_line": _ids(self.reporting_line, where, "reporting_line"),
            "excluded": _ids(self.excluded, where, "excluded"),
            "previous_mentors": _ids(self.previous_mentors, where, "previous_mentors"),
            "preferred_mentors": _ids(self.preferred_mentors, where, "preferred_mentors"),
            "prefer_other_team": bool(self.prefer_other_team),
            "preferred_engagement": _strings(
                self.preferred_engagement, where, "preferred_engagement"
            ),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __hash__(self) -> int:  # the read-only mappings are not hashable; the id is enough
        return hash((MenteeProfile, self.person_id))

    @property
    def growth_gaps(self) -> frozenset[str]:
        """The groups the mentee's goals need and the mentee does not reach yet."""
        return frozenset(self.needed_groups) - self.reached_groups


@dataclass(frozen=True, slots=True)
class MentorProfile:
    """A mentor: strengths, skills, reach into groups, and how many mentees they take.

    Parameters
    ----------
    person_id : int
        The mentor's person id.
    behavior_levels : mapping of str to float
        The mentor's 1-5 level on behaviors (from assessments or ratings); a
        behavior without a level counts as level 1.
    skills : set of str
        The mentor's skills.
    group_reach : mapping of str to float
        How strongly the mentor reaches into each group, 0-1, from the
        network analysis. The mentor's own team and organization count as
        reach 1 whatever this says.
    team, organization : str or None
        The mentor's own team and organization.
    engagement_type : str or None
        How the mentor prefers to meet (for example ``"video"``).
    utc_offset_hours : float
        The mentor's offset from UTC in hours, -12 to 14.
    capacity : int
        How many mentees the mentor takes (0 means none this round).
    reporting_line : set of int
        Person ids of the mentor's own managers (a mentee who manages the
        mentor is not allowed either).
    excluded : set of int
        People the mentor does not want as a mentee.
    """

    person_id: int
    behavior_levels: Mapping[str, float] = field(default_factory=dict)
    skills: AbstractSet[str] = frozenset()
    group_reach: Mapping[str, float] = field(default_factory=dict)
    team: str | None = None
    organization: str | None = None
    engagement_type: str | None = None
    utc_offset_hours: float = 0.0
    capacity: int = 1
    reporting_line: AbstractSet[int] = frozenset()
    excluded: AbstractSet[int] = frozenset()

    def __post_init__(self) -> None:
        where = f"mentor {self.person_id!r}"
        capacity = self.capacity
        if isinstance(capacity, bool) or not isinstance(capacity, numbers.Integral) or capacity < 0:
            raise ValueError(f"{where}: capacity must be an integer >= 0, not {capacity!r}")
        values = {
            "person_id": _person_id(self.person_id, where),
            "behavior_levels": _scores(
                self.behavior_levels, where, "behavior_levels", MIN_LEVEL, MAX_LEVEL
            ),
            "skills": _strings(self.skills, where, "skills"),
            "group_reach": _scores(self.group_reach, where, "group_reach", 0.0, 1.0),
            "team": _optional_name(self.team, where, "team"),
            "organization": _optional_name(self.organization, where, "organization"),
            "engagement_type": _optional_name(self.engagement_type, where, "engagement_type"),
            "utc_offset_hours": _utc_offset(self.utc_offset_hours, where),
            "capacity": int(capacity),
            "reporting_line": _ids(self.reporting_line, where, "reporting_line"),
            "excluded": _ids(self.excluded, where, "excluded"),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __hash__(self) -> int:  # the read-only mappings are not hashable; the id is enough
        return hash((MentorProfile, self.person_id))

    def reach(self, group: str) -> float:
        """How strongly the mentor reaches into ``group``, 0-1 (1 for their own team
        and organization).

        >>> MentorProfile(1, team="Finance", group_reach={"Legal": 0.4}).reach("Finance")
        1.0
        """
        if group in (self.team, self.organization):
            return 1.0
        return self.group_reach.get(group, 0.0)


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the four parts of a pair's score (non-negative, not all zero).

    The score is the weighted mean of the parts, so only the ratios matter:
    ``Weights(2, 1, 1, 0)`` and ``Weights(0.5, 0.25, 0.25, 0)`` score alike.
    The defaults put the behaviors the mentee wants to grow first, then the
    network the mentee lacks, then skills, then stated preferences.
    """

    behavior: float = 0.4
    network: float = 0.3
    skills: float = 0.2
    preferences: float = 0.1

    def __post_init__(self) -> None:
        for name in ("behavior", "network", "skills", "preferences"):
            object.__setattr__(
                self, name, _number(getattr(self, name), "weights", name, 0, math.inf)
            )
        if self.total <= 0:
            raise ValueError("weights: at least one weight must be positive")

    @property
    def total(self) -> float:
        """The sum of the four weights."""
        return self.behavior + self.network + self.skills + self.preferences


@dataclass(frozen=True, slots=True)
class Constraints:
    """Settings of the hard constraints that are not fixed rules.

    Always enforced: a mentor is not the mentee, has capacity, is not in the
    mentee's reporting line (nor the mentee in theirs), and neither side
    excluded the other. Configurable:

    Parameters
    ----------
    max_time_zone_difference_hours : float or None
        The largest allowed difference between the two local times, in hours
        on the 24-hour clock (UTC-8 and UTC+14 are 2 hours apart, a day
        apart). ``None`` allows any difference. Default 6.
    allow_repeat_pairing : bool
        Allow a mentee to be matched again with an earlier mentor. Default
        ``False``.
    """

    max_time_zone_difference_hours: float | None = 6.0
    allow_repeat_pairing: bool = False

    def __post_init__(self) -> None:
        if self.max_time_zone_difference_hours is not None:
            window = _number(
                self.max_time_zone_difference_hours,
                "constraints",
                "max_time_zone_difference_hours",
                0.0,
                12.0,
            )
            object.__setattr__(self, "max_time_zone_difference_hours", window)
        object.__setattr__(self, "allow_repeat_pairing", bool(self.allow_repeat_pairing))


DEFAULT_WEIGHTS = Weights()
"""The default weights: behavior 0.4, network 0.3, skills 0.2, preferences 0.1."""
DEFAULT_CONSTRAINTS = Constraints()
"""The default constraints: a 6-hour time-zone window, no repeat pairing."""


def check_pool(mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]) -> None:
    """Raise :class:`ValueError` unless the pool is well formed.

    Every mentee is a :class:`MenteeProfile` and every mentor a
    :class:`MentorProfile`, and no person id appears twice among the mentees
    or twice among the mentors (one person may be both a mentee and a
    mentor: the constraint "the mentor is the mentee themself" keeps them
    apart).

    >>> check_pool([MenteeProfile(1), MenteeProfile(1)], [])
    Traceback (most recent call last):
    ...
    ValueError: duplicate mentee ids: [1]
    """
    for role, people, kind in (
        ("mentee", mentees, MenteeProfile),
        ("mentor", mentors, MentorProfile),
    ):
        wrong = [person for person in people if not isinstance(person, kind)]
        if wrong:
            raise ValueError(f"every {role} must be a {kind.__name__}, not {wrong[0]!r}")
        counts = Counter(person.person_id for person in people)
        duplicates = sorted(person_id for person_id, count in counts.items() if count > 1)
        if duplicates:
            raise ValueError(f"duplicate {role} ids: {duplicates}")
