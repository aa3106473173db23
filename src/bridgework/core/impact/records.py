"""The plain records the impact engine works on: relationships, interactions, outcomes.

Every function of :mod:`bridgework.core.impact` takes these (or plain
mappings of person ids) and nothing framework-bound, so the Django app, the
CLI and a notebook feed it the same way.

``Relationship``
    An unordered pair of person ids, stored as ``person_a < person_b``.
``Interaction``
    One touchpoint: when, who took part, what kind, how long, who started it.
    :meth:`Interaction.from_event` reads a row of the event store
    (``core/events/schema.py``).
``Outcome``
    A result with a value in one unit (``money``, ``hours`` saved or a 1-5
    ``rating``), its date, owner, objective and the credit each person and
    relationship received (amounts in the outcome's unit, usually from an
    :class:`~bridgework.core.impact.attribution.Attribution`).

Dates are calendar dates or UTC-aware datetimes; naive datetimes are refused,
because "which day did this happen" depends on a time zone the engine cannot
guess. A datetime's day is its UTC day.

>>> import datetime as dt
>>> Relationship(7, 3)
Relationship(person_a=3, person_b=7)
>>> meeting = Interaction(occurred_at=dt.date(2026, 3, 2), people=(4, 1, 9), kind="meeting",
...                       duration_minutes=45)
>>> meeting.people, meeting.hours, meeting.day
((1, 4, 9), 0.75, datetime.date(2026, 3, 2))
>>> Outcome(value=1200, unit="money", occurred_on=dt.date(2026, 4, 1), owner=1,
...         people={4: 800, 9: 400}).credited_total("people")
1200.0
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol, TypedDict, Unpack

__all__ = [
    "UNITS",
    "OUTCOME_KINDS",
    "INTERACTION_KINDS",
    "Relationship",
    "Interaction",
    "Outcome",
    "CreditSplit",
    "DayLike",
    "OutcomeDetails",
    "as_day",
    "check_person",
    "check_number",
]

#: The units an outcome's value can have; values of different units are never added.
UNITS = ("money", "hours", "rating")
#: The kinds of result the product records.
OUTCOME_KINDS = ("deal", "hire", "solved_problem", "partnership", "knowledge", "other")
#: Interaction kinds: the channels of the event store.
INTERACTION_KINDS = ("meeting", "call", "email", "chat", "introduction", "other")

#: A calendar day, or a timezone-aware moment read as its UTC day (:func:`as_day`).
DayLike = dt.date | dt.datetime

_RATING_RANGE = (1.0, 5.0)
#: Credit may exceed the value by this relative amount (floating-point sums).
_CREDIT_SLACK = 1e-9


def check_person(value: Any, what: str = "person id") -> int:
    """``value`` as a person id (an ``int``, not a ``bool``), else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an integer person id, got {value!r}")
    return value


def check_number(value: Any, what: str, *, minimum: float | None = 0.0) -> float:
    """``value`` as a finite float at least ``minimum`` (no minimum when None)."""
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got {value!r}") from None
    if math.isnan(number):
        raise ValueError(f"{what} is NaN")
    if math.isinf(number):
        raise ValueError(f"{what} must be finite, got {number}")
    if minimum is not None and number < minimum:
        raise ValueError(f"{what} must be at least {minimum:g}, got {number:g}")
    return number


def as_day(moment: Any, what: str = "date") -> dt.date:
    """The UTC calendar day of a ``date`` or an aware ``datetime``.

    >>> as_day(dt.datetime(2026, 1, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2))))
    datetime.date(2026, 1, 2)
    """
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{what} must be a date or a timezone-aware datetime, got {moment!r}")
        return moment.astimezone(dt.UTC).date()
    if isinstance(moment, dt.date):
        return moment
    raise ValueError(f"{what} must be a date or a timezone-aware datetime, got {moment!r}")


@dataclass(frozen=True, order=True)
class Relationship:
    """An unordered pair of people; ``Relationship(7, 3) == Relationship(3, 7)``.

    Stored as ``person_a < person_b`` so it can key dictionaries and sorts
    the same way as :class:`~bridgework.core.relationships.strength.TieScore`.
    """

    person_a: int
    person_b: int

    def __post_init__(self) -> None:
        a = check_person(self.person_a, "relationship person")
        b = check_person(self.person_b, "relationship person")
        if a == b:
            raise ValueError(f"a relationship needs two different people, got {a} twice")
        if a > b:
            object.__setattr__(self, "person_a", b)
            object.__setattr__(self, "person_b", a)

    def __str__(self) -> str:
        return f"{self.person_a}-{self.person_b}"

    @property
    def people(self) -> tuple[int, int]:
        """``(person_a, person_b)``."""
        return (self.person_a, self.person_b)

    def involves(self, person: int) -> bool:
        """Whether ``person`` is one of the two ends."""
        return person in (self.person_a, self.person_b)

    def other(self, person: int) -> int:
        """The end that is not ``person``.

        >>> Relationship(3, 7).other(7)
        3
        """
        if person == self.person_a:
            return self.person_b
        if person == self.person_b:
            return self.person_a
        raise ValueError(f"person {person} is not in relationship {self}")


@dataclass(frozen=True)
class Interaction:
    """One touchpoint between people.

    ``people`` holds everyone who took part, the ``initiator`` (sender,
    organizer or introducer) included; it is stored sorted and without
    repeats. An ``introduction`` needs its introducer as ``initiator`` and at
    least two other people (the ones introduced to each other).
    ``duration_minutes`` is None when unknown (e-mail, chat).
    """

    occurred_at: dt.date | dt.datetime
    people: tuple[int, ...]
    kind: str
    duration_minutes: float | None = None
    initiator: int | None = None

    def __post_init__(self) -> None:
        as_day(self.occurred_at, "interaction date")
        if isinstance(self.people, str | bytes) or not hasattr(self.people, "__iter__"):
            raise ValueError(f"interaction people must be a collection of ids, got {self.people!r}")
        people = tuple(sorted({check_person(p, "interaction person") for p in self.people}))
        if len(people) < 2:
            raise ValueError(f"an interaction needs at least two people, got {people}")
        object.__setattr__(self, "people", people)
        if self.kind not in INTERACTION_KINDS:
            raise ValueError(
                f"unknown interaction kind {self.kind!r} (expected one of "
                f"{', '.join(INTERACTION_KINDS)})"
            )
        if self.duration_minutes is not None:
            object.__setattr__(
                self,
                "duration_minutes",
                check_number(self.duration_minutes, "interaction duration_minutes"),
            )
        if self.initiator is not None:
            check_person(self.initiator, "interaction initiator")
            if self.initiator not in people:
                raise ValueError(
                    f"the initiator {self.initiator} must be one of the people {people}"
                )
        if self.kind == "introduction":
            if self.initiator is None:
                raise ValueError("an introduction needs its introducer as initiator")
            if len(people) < 3:
                raise ValueError(
                    "an introduction needs the introducer and at least two people introduced, "
                    f"got {people}"
                )

    @property
    def day(self) -> dt.date:
        """The UTC day the interaction happened."""
        return as_day(self.occurred_at)

    @property
    def hours(self) -> float:
        """Duration in hours, 0 when unknown."""
        return (self.duration_minutes or 0.0) / 60.0

    def involves(self, *people: int) -> bool:
        """Whether every one of ``people`` took part."""
        return all(p in self.people for p in people)

    @classmethod
    def from_event(cls, row: Mapping[str, Any]) -> Interaction:
        """An interaction from an event-store row (``occurred_at``, ``channel``,
        ``sender_id``, ``recipient_ids``, ``duration_minutes``).

        >>> row = dict(occurred_at=dt.datetime(2026, 5, 1, 9, tzinfo=dt.timezone.utc),
        ...            channel="introduction", sender_id=5, recipient_ids=[1, 8],
        ...            duration_minutes=None)
        >>> Interaction.from_event(row)
        Interaction(occurred_at=datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.timezone.utc), people=(1, 5, 8), kind='introduction', duration_minutes=None, initiator=5)
        """
        sender = row.get("sender_id")
        people = list(row.get("recipient_ids") or ())
        if sender is not None:
            people.append(sender)
        return cls(
            occurred_at=row["occurred_at"],
            people=tuple(people),
            kind=row["channel"],
            duration_minutes=row.get("duration_minutes"),
            initiator=sender,
        )


def _frozen_credit(credit: object, what: str, *, relationships: bool) -> Mapping[object, float]:
    if not isinstance(credit, Mapping):
        raise ValueError(f"{what} must be a mapping, got {type(credit).__name__}")
    checked: dict[object, float] = {}
    for key, amount in credit.items():
        if relationships:
            if not isinstance(key, Relationship):
                raise ValueError(f"{what} keys must be Relationship objects, got {key!r}")
        else:
            check_person(key, f"{what} key")
        checked[key] = check_number(amount, f"{what}[{key}]")
    return MappingProxyType(checked)


class CreditSplit(Protocol):
    """What :meth:`Outcome.from_attribution` reads of an attribution (typed
    structurally: ``attribution.py`` imports this module, not the other way)."""

    @property
    def value(self) -> float: ...

    @property
    def people(self) -> Mapping[int, float]: ...

    @property
    def relationships(self) -> Mapping[Relationship, float]: ...


class OutcomeDetails(TypedDict, total=False):
    """The optional fields of an :class:`Outcome`, for :meth:`Outcome.from_attribution`."""

    owner: int | None
    objective: Hashable | None
    kind: str
    outcome_id: Hashable | None


@dataclass(frozen=True)
class Outcome:
    """A result with a value, and who gets credit for it.

    ``value`` is non-negative in ``unit`` (``money``: the deployment's
    currency; ``hours``: hours saved; ``rating``: an impact rating from 1 to 5).
    ``people`` and ``relationships`` map the credited person ids and
    :class:`Relationship` objects to their credit, in the same unit; each
    map sums to at most ``value``. ``owner`` is the person whose result it is.
    """

    value: float
    unit: str
    occurred_on: dt.date | dt.datetime
    owner: int | None = None
    people: Mapping[int, float] = field(default_factory=dict)
    relationships: Mapping[Relationship, float] = field(default_factory=dict)
    objective: Hashable | None = None
    kind: str = "other"
    outcome_id: Hashable | None = None

    def __post_init__(self) -> None:
        value = check_number(self.value, "outcome value")
        object.__setattr__(self, "value", value)
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r} (expected one of {', '.join(UNITS)})")
        if self.unit == "rating" and not (_RATING_RANGE[0] <= value <= _RATING_RANGE[1]):
            raise ValueError(f"a rating must be between 1 and 5, got {value:g}")
        object.__setattr__(self, "occurred_on", as_day(self.occurred_on, "outcome date"))
        if self.owner is not None:
            check_person(self.owner, "outcome owner")
        if self.kind not in OUTCOME_KINDS:
            raise ValueError(
                f"unknown outcome kind {self.kind!r} (expected one of {', '.join(OUTCOME_KINDS)})"
            )
        for name, is_relationship in (("people", False), ("relationships", True)):
            credit = _frozen_credit(getattr(self, name), name, relationships=is_relationship)
            object.__setattr__(self, name, credit)
            total = math.fsum(credit.values())
            if total > value * (1 + _CREDIT_SLACK) + _CREDIT_SLACK:
                raise ValueError(
                    f"credit to {name} sums to {total:g}, more than the outcome's value {value:g}"
                )

    def credited_total(self, level: str) -> float:
        """Sum of the credit to ``"people"`` or ``"relationships"``."""
        if level not in ("people", "relationships"):
            raise ValueError(f"level must be 'people' or 'relationships', got {level!r}")
        return math.fsum(getattr(self, level).values())

    @classmethod
    def from_attribution(
        cls,
        attribution: CreditSplit,
        *,
        unit: str,
        occurred_on: dt.date | dt.datetime,
        **fields: Unpack[OutcomeDetails],
    ) -> Outcome:
        """An outcome credited as ``attribution`` says (same value, its credit maps).

        >>> from bridgework.core.impact.attribution import shapley_split
        >>> outcome = Outcome.from_attribution(shapley_split(90, [(1, 2, 3)]), unit="money",
        ...                                    occurred_on=dt.date(2026, 2, 1), owner=1)
        >>> dict(outcome.relationships)
        {Relationship(person_a=1, person_b=2): 45.0, Relationship(person_a=2, person_b=3): 45.0}
        """
        return cls(
            value=attribution.value,
            unit=unit,
            occurred_on=occurred_on,
            people=dict(attribution.people),
            relationships=dict(attribution.relationships),
            **fields,
        )
