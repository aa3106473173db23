"""Relationship-plan progress, tracked from the event stream rather than typed by hand.

A plan belongs to an owner and an objective: the stakeholders whose ties the
objective needs (each with an optional target tie strength and contact
cadence) and the groups it needs to reach. Given the owner's interactions and
the owner's tie strengths at the plan's start and now, progress is computed
by fixed rules, so the same events always give the same progress.

Rules, for stakeholder ``s`` (interactions on or before ``today`` in which
both the owner and ``s`` take part; ``since start``: on or after the plan's
start day):

``target``
    ``s.target_strength``, or when none the tie threshold (0.15, the floor of
    the ``occasional`` band): "some tie".
``target_met``
    ``strength_now >= target``.
``tie_built``
    ``strength_at_start < target <= strength_now``: the tie crossed its target
    during the plan (from none to some when there is no target). A tie that
    was already at target when the plan started is met, not built.
``meetings``
    interactions since start of a kind in ``meeting_kinds`` (meeting, call:
    a call is a meeting by phone).
``introductions``
    ``introduction`` interactions since start (whoever introduced whom).
``last_contact``
    the latest day of any interaction with ``s``, before the plan too.
``on_cadence``
    with a cadence of ``c`` days: ``today <= next_due``, where ``next_due`` is
    ``c`` days after the later of the last contact and the plan's start (the
    cadence starts counting when the plan starts). None without a cadence.

Plan totals count distinct interactions (a meeting with two stakeholders is
one meeting held), ties built, targets met, cadences kept, and the reach into
the needed groups (:func:`~bridgework.core.impact.indicators.group_reach` on
``strength_now``).

>>> import datetime as dt
>>> plan = RelationshipPlan(owner=1, start=dt.date(2026, 3, 1), stakeholders=(
...     Stakeholder(person=2, target_strength=0.35, cadence_days=14, group="finance"),
...     Stakeholder(person=3, cadence_days=30, group="legal")), needed_groups=("finance", "legal"))
>>> events = [
...     Interaction(occurred_at=dt.date(2026, 3, 4), people=(1, 4, 2), kind="introduction",
...                 initiator=4),
...     Interaction(occurred_at=dt.date(2026, 3, 10), people=(1, 2), kind="meeting",
...                 duration_minutes=30)]
>>> progress = plan_progress(plan, events, strength_at_start={2: 0.0, 3: 0.4},
...                          strength_now={2: 0.38, 3: 0.4}, today=dt.date(2026, 3, 20))
>>> progress.ties_built, progress.meetings, progress.introductions, progress.on_cadence
(1, 1, 1, 2)
>>> progress.summary
'2 of 2 stakeholder ties at target (1 built since 1 March 2026); 1 meeting and 1 introduction; 2 of 2 cadences kept; reaching 2 of 2 needed groups'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from bridgework.core.impact.indicators import TIE_THRESHOLD, GroupReach, _strengths, group_reach
from bridgework.core.impact.records import (
    INTERACTION_KINDS,
    DayLike,
    Interaction,
    as_day,
    check_number,
    check_person,
)

__all__ = [
    "MEETING_KINDS",
    "Stakeholder",
    "RelationshipPlan",
    "StakeholderProgress",
    "PlanProgress",
    "plan_progress",
]

#: Interaction kinds that count as a meeting held.
MEETING_KINDS = ("meeting", "call")


@dataclass(frozen=True)
class Stakeholder:
    """A person the plan's objective needs a tie with.

    ``target_strength`` (0-1) is the tie strength aimed for, ``cadence_days``
    how often to be in touch, ``group`` the person's team or organization.
    """

    person: int
    target_strength: float | None = None
    cadence_days: int | None = None
    group: Hashable | None = None

    def __post_init__(self) -> None:
        check_person(self.person, "stakeholder")
        if self.target_strength is not None:
            target = check_number(self.target_strength, f"target_strength of {self.person}")
            if not 0 < target <= 1:
                raise ValueError(
                    f"target_strength of {self.person} must be in (0, 1], got {target}"
                )
            object.__setattr__(self, "target_strength", target)
        if self.cadence_days is not None and (
            isinstance(self.cadence_days, bool)
            or not isinstance(self.cadence_days, int)
            or self.cadence_days < 1
        ):
            raise ValueError(
                f"cadence_days of {self.person} must be a positive integer, got "
                f"{self.cadence_days!r}"
            )


@dataclass(frozen=True)
class RelationshipPlan:
    """An owner's plan for one objective. ``stakeholders`` may be given as
    :class:`Stakeholder` records or bare person ids."""

    owner: int
    start: dt.date
    stakeholders: tuple[Stakeholder, ...]
    needed_groups: tuple[Hashable, ...] = ()
    objective: Hashable | None = None

    def __post_init__(self) -> None:
        check_person(self.owner, "plan owner")
        object.__setattr__(self, "start", as_day(self.start, "plan start"))
        stakeholders = tuple(
            s if isinstance(s, Stakeholder) else Stakeholder(person=s) for s in self.stakeholders
        )
        seen: set[int] = set()
        for s in stakeholders:
            if s.person == self.owner:
                raise ValueError(f"the owner {self.owner} cannot be their own stakeholder")
            if s.person in seen:
                raise ValueError(f"stakeholder {s.person} appears more than once in the plan")
            seen.add(s.person)
        object.__setattr__(self, "stakeholders", stakeholders)
        object.__setattr__(self, "needed_groups", tuple(dict.fromkeys(self.needed_groups)))


@dataclass(frozen=True)
class StakeholderProgress:
    """Progress with one stakeholder (see the module docs for each rule)."""

    person: int
    strength_at_start: float
    strength_now: float
    target: float
    target_met: bool
    tie_built: bool
    meetings: int
    introductions: int
    interactions: int
    last_contact: dt.date | None
    cadence_days: int | None
    next_due: dt.date | None
    on_cadence: bool | None
    status: str


@dataclass(frozen=True)
class PlanProgress:
    """Progress of a whole plan on ``today``."""

    owner: int
    start: dt.date
    today: dt.date
    stakeholders: tuple[StakeholderProgress, ...]
    ties_built: int
    targets_met: int
    meetings: int
    introductions: int
    on_cadence: int
    with_cadence: int
    reach: GroupReach
    share_met: float | None
    summary: str

    def to_frame(self) -> pd.DataFrame:
        """One row per stakeholder, in plan order, with every field."""
        rows = [vars(s) for s in self.stakeholders]
        columns = list(StakeholderProgress.__dataclass_fields__)
        return pd.DataFrame(rows, columns=columns)


def _day_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _status(
    *,
    on_cadence: bool | None,
    next_due: dt.date | None,
    tie_built: bool,
    target_met: bool,
    interactions: int,
) -> str:
    if on_cadence is False and next_due is not None:  # a cadence always has a next date
        return f"contact overdue since {_day_text(next_due)}"
    if tie_built:
        return "tie built"
    if target_met:
        return "at target"
    if interactions == 0:
        return "no contact since the plan started"
    return "in progress"


def plan_progress(
    plan: RelationshipPlan,
    interactions: Iterable[Interaction],
    *,
    strength_at_start: Mapping[int, float],
    strength_now: Mapping[int, float],
    today: DayLike,
    threshold: float = TIE_THRESHOLD,
    meeting_kinds: Collection[str] = MEETING_KINDS,
    group_of: Mapping[int, Hashable] | None = None,
) -> PlanProgress:
    """Progress of ``plan`` on ``today`` from the owner's interactions.

    ``strength_at_start`` and ``strength_now`` map other people to the owner's
    tie strength (0-1) at the plan's start and today (absent: no tie).
    ``group_of`` (person -> group) is used for the reach into the needed
    groups; by default the stakeholders' own groups. Interactions after
    ``today`` are ignored. See the module docs for the rules.
    """
    if not isinstance(plan, RelationshipPlan):
        raise ValueError(f"plan must be a RelationshipPlan, got {type(plan).__name__}")
    day = as_day(today, "today")
    if day < plan.start:
        raise ValueError(f"today ({day}) is before the plan's start ({plan.start})")
    threshold = check_number(threshold, "threshold")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    unknown = sorted(set(meeting_kinds) - set(INTERACTION_KINDS))
    if unknown:
        raise ValueError(f"unknown meeting kind(s): {', '.join(map(repr, unknown))}")
    at_start = _strengths(strength_at_start, "strength_at_start")
    now = _strengths(strength_now, "strength_now")
    owner = plan.owner
    relevant: list[Interaction] = []
    for interaction in interactions:
        if not isinstance(interaction, Interaction):
            raise ValueError(f"interactions must be Interaction records, got {interaction!r}")
        if owner in interaction.people and interaction.day <= day:
            relevant.append(interaction)
    stakeholder_ids = {s.person for s in plan.stakeholders}
    rows: list[StakeholderProgress] = []
    for s in plan.stakeholders:
        shared = [i for i in relevant if s.person in i.people]
        since_start = [i for i in shared if i.day >= plan.start]
        target = s.target_strength if s.target_strength is not None else threshold
        before, current = at_start.get(s.person, 0.0), now.get(s.person, 0.0)
        last = max((i.day for i in shared), default=None)
        next_due: dt.date | None = None
        on_cadence: bool | None = None
        if s.cadence_days is not None:
            reference = plan.start if last is None or last < plan.start else last
            next_due = reference + dt.timedelta(days=s.cadence_days)
            on_cadence = day <= next_due
        target_met = current >= target
        tie_built = before < target <= current
        contacts = len(since_start)
        rows.append(
            StakeholderProgress(
                person=s.person,
                strength_at_start=before,
                strength_now=current,
                target=target,
                target_met=target_met,
                tie_built=tie_built,
                meetings=sum(i.kind in meeting_kinds for i in since_start),
                introductions=sum(i.kind == "introduction" for i in since_start),
                interactions=contacts,
                last_contact=last,
                cadence_days=s.cadence_days,
                next_due=next_due,
                on_cadence=on_cadence,
                status=_status(
                    on_cadence=on_cadence,
                    next_due=next_due,
                    tie_built=tie_built,
                    target_met=target_met,
                    interactions=contacts,
                ),
            )
        )
    with_stakeholders = [
        i for i in relevant if i.day >= plan.start and stakeholder_ids.intersection(i.people)
    ]
    meetings = sum(i.kind in meeting_kinds for i in with_stakeholders)
    introductions = sum(i.kind == "introduction" for i in with_stakeholders)
    groups = (
        group_of
        if group_of is not None
        else {s.person: s.group for s in plan.stakeholders if s.group is not None}
    )
    reach = group_reach(now, group_of=groups, needed_groups=plan.needed_groups, threshold=threshold)
    ties_built = sum(r.tie_built for r in rows)
    targets_met = sum(r.target_met for r in rows)
    kept = sum(r.on_cadence is True for r in rows)
    with_cadence = sum(r.on_cadence is not None for r in rows)
    parts = [
        f"{targets_met} of {len(rows)} stakeholder ties at target "
        f"({ties_built} built since {_day_text(plan.start)})",
        f"{_plural(meetings, 'meeting')} and {_plural(introductions, 'introduction')}",
    ]
    if with_cadence:
        parts.append(f"{kept} of {with_cadence} cadences kept")
    if plan.needed_groups:
        parts.append(f"reaching {len(reach.reached)} of {len(plan.needed_groups)} needed groups")
    return PlanProgress(
        owner=owner,
        start=plan.start,
        today=day,
        stakeholders=tuple(rows),
        ties_built=ties_built,
        targets_met=targets_met,
        meetings=meetings,
        introductions=introductions,
        on_cadence=kept,
        with_cadence=with_cadence,
        reach=reach,
        share_met=targets_met / len(rows) if rows else None,
        summary="; ".join(parts),
    )
