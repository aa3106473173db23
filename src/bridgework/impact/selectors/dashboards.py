"""Return on impact by team and program, for
:func:`~bridgework.accounts.policies.can_view_impact_by_group`.

Aggregates only: every group shown on the page passed together through
:func:`~bridgework.core.privacy.groups.disclosure_safe_groups` with the
page's population and the viewer (whose own membership never counts towards
the minimum), no names. Inside a shown group, each figure passes
:func:`~bridgework.core.privacy.groups.figure_shown`: a team's money from
one member's outcomes, or its introductions made by one member, is that
member's own figure, so it is withheld (listed in :attr:`GroupRow.withheld`,
``None`` in the row) unless no one or at least the minimum of people other
than the viewer make it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from django.conf import settings

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import User
from bridgework.core.impact.indicators import TIE_THRESHOLD, new_ties
from bridgework.core.impact.records import UNITS
from bridgework.core.impact.roi import (
    ReturnOnImpact,
    TrendPoint,
    invested_hours,
    return_on_impact,
    trend,
)
from bridgework.core.privacy.groups import (
    SafeGroups,
    disclosure_safe_groups,
    figure_shown,
    people_besides,
)
from bridgework.impact import measures
from bridgework.impact.credit import credited
from bridgework.impact.programs import program_participants
from bridgework.impact.selectors._common import _empty_return, _outcomes
from bridgework.impact.selectors.returns import window
from bridgework.people.models import WORKFORCE_ENGAGEMENTS, Person

__all__ = ["GROUP_FIGURES", "GroupRow", "GroupDashboard", "group_dashboard"]

#: The figures of a group row that can be withheld, in the order the page shows them:
#: ``hours_invested``, one per unit (its value, outcomes and value per hour; the
#: unit ``hours`` is hours saved), then the leading indicators and the exchange
#: across groups.
GROUP_FIGURES = (
    "hours_invested",
    *UNITS,
    "new_ties",
    "teams_reached",
    "introductions_given",
    "introductions_received",
    "value_given",
    "value_received",
)


@dataclass
class GroupRow:
    """One group shown on the dashboard, with its aggregate figures.

    A figure named in ``withheld`` (see :data:`GROUP_FIGURES`) is made by fewer
    than the minimum of people other than the viewer: it is ``None`` here, and
    for a unit of ``result`` its value, outcomes and value per hour are zero
    and must not be shown (``hours_invested`` likewise: ``result.hours``).
    """

    dimension: str  # "team" or "program"
    key: object
    label: str
    people: int
    result: ReturnOnImpact
    new_ties: int | None
    teams_reached_before: float | None
    teams_reached_now: float | None
    introductions_given: int | None
    introductions_received: int | None
    value_given: dict[str, float] | None
    value_received: dict[str, float] | None
    withheld: frozenset[str] = frozenset()

    @property
    def new_ties_per_person(self) -> float | None:
        if self.new_ties is None:
            return None
        return self.new_ties / self.people if self.people else 0.0

    def shows(self, figure: str) -> bool:
        """Whether ``figure`` (one of :data:`GROUP_FIGURES`) may be shown."""
        return figure not in self.withheld

    def per_hour_shown(self, unit: str) -> bool:
        """Value per hour needs both the unit's value and the hours invested."""
        return self.shows(unit) and self.shows("hours_invested")


@dataclass
class GroupDashboard:
    """Return on impact by team (and program): groups at or above the minimum size only."""

    start: dt.date
    end: dt.date
    minimum: int
    rows: list[GroupRow]
    hidden: int
    population: int
    total: ReturnOnImpact
    points: list[TrendPoint]
    safe: SafeGroups
    #: Units whose organization-wide figures (total and trend) are withheld, and
    #: "hours_invested" when the hours are: fewer than the minimum of people make them.
    total_withheld: frozenset[str] = frozenset()

    @property
    def any_withheld(self) -> bool:
        return bool(self.total_withheld) or any(row.withheld for row in self.rows)

    def rows_of(self, dimension: str) -> list[GroupRow]:
        return [r for r in self.rows if r.dimension == dimension]

    @property
    def rows_of_team(self) -> list[GroupRow]:
        return self.rows_of("team")

    @property
    def rows_of_program(self) -> list[GroupRow]:
        return self.rows_of("program")


def _team_members() -> dict[int, tuple[str, set[int]]]:
    """Team id → (name, ids of the consenting people who work in it)."""
    members: dict[int, tuple[str, set[int]]] = {}
    for person_id, team_id, team_name in (
        Person.objects.filter(
            team__isnull=False,
            engagement_type__in=list(WORKFORCE_ENGAGEMENTS),
            analytics_consent=True,
        )
        .order_by("team__name", "team_id", "id")
        .values_list("id", "team_id", "team__name")
    ):
        members.setdefault(team_id, (team_name, set()))[1].add(person_id)
    names = Counter(name for name, _ in members.values())
    return {
        team_id: (name if names[name] == 1 else f"{name} (#{team_id})", ids)
        for team_id, (name, ids) in members.items()
    }


def group_dashboard(
    *, viewer: User, start: dt.date | None = None, end: dt.date | None = None
) -> GroupDashboard:
    """Return on impact by team and program, for
    :func:`~bridgework.accounts.policies.can_view_impact_by_group`.

    Every group is an aggregate of people who consented to analytics; teams
    and programs are passed together (with the population, since totals are
    shown) through ``disclosure_safe_groups``, and a hidden group shows
    nothing at all. Credit to a group is the credit its members received (an
    outcome counts once per group); hours are the members' person-hours.
    """
    require_login(viewer)
    require(policies.can_view_impact_by_group(viewer))
    return _group_dashboard(start=start, end=end, viewer=viewer.person_id)


def _group_dashboard(
    *,
    start: dt.date | None,
    end: dt.date | None,
    programs: dict[int, tuple[str, set[int]]] | None = None,
    dimensions: tuple[str, ...] = ("team", "program"),
    viewer: int | None = None,
) -> GroupDashboard:
    default_start, default_end = window()
    start, end = start or default_start, end or default_end
    minimum = settings.PRIVACY_MIN_GROUP_SIZE
    teams = _team_members() if "team" in dimensions else {}
    if programs is None:
        programs = program_participants() if "program" in dimensions else {}
    consenting = set(Person.objects.filter(analytics_consent=True).values_list("id", flat=True))
    programs = {key: (name, set(ids) & consenting) for key, (name, ids) in programs.items()}
    population = {p for _, members in teams.values() for p in members} | {
        p for _, ids in programs.values() for p in ids
    }
    safe = disclosure_safe_groups(
        {
            "team": {key: members for key, (_, members) in teams.items()},
            "program": {key: members for key, (_, members) in programs.items()},
        },
        minimum=minimum,
        population=population,
        viewer=viewer,
    )

    def shown(contributors: set[int]) -> bool:
        return figure_shown(contributors, minimum=minimum, viewer=viewer)

    outcomes = [
        credited(o).record for o in _outcomes().filter(occurred_on__gte=start, occurred_on__lte=end)
    ]
    everything = measures.interactions_between(start=start, end=end)
    timed = [i for i in everything if i.kind in measures.HOURS_KINDS]
    person_hours = invested_hours(timed)
    before_pairs = measures.strengths_at(start - dt.timedelta(days=1))
    now_pairs = measures.strengths_at(end)
    team_of_person = dict(Person.objects.filter(pk__in=population).values_list("id", "team_id"))

    def ties_of(pairs: dict, members: set[int]) -> dict[int, dict[int, float]]:
        found: dict[int, dict[int, float]] = defaultdict(dict)
        for (a, b), strength in pairs.items():
            if a in members:
                found[a][b] = strength
            if b in members:
                found[b][a] = strength
        return found

    rows = []
    for dimension, groups in (("team", teams), ("program", programs)):
        for key, (name, members) in groups.items():
            if not safe.is_shown(dimension, key):
                continue
            ids = set(members)
            group_of = dict.fromkeys(ids, name)
            result = return_on_impact(
                outcomes,
                {p: h for p, h in person_hours.items() if p in ids},
                level="person",
                groups=group_of,
            ).get(name) or _empty_return(name)
            before, now = ties_of(before_pairs, ids), ties_of(now_pairs, ids)
            new = sum(len(new_ties(before=before[p], now=now[p])) for p in ids)

            def teams_reached(
                ties: dict[int, dict[int, float]], ids: set[int] = ids
            ) -> dict[int, int]:
                return {
                    p: len(
                        {
                            team_of_person.get(q)
                            for q, s in ties[p].items()
                            if s >= TIE_THRESHOLD
                            and team_of_person.get(q) not in (None, team_of_person.get(p))
                        }
                    )
                    for p in ids
                }

            givers: set[int] = set()
            introduced: set[int] = set()
            given = received = 0
            for interaction in everything:
                if interaction.kind != "introduction":
                    continue
                if interaction.initiator in ids:
                    given += 1
                    givers.add(interaction.initiator)
                inside = ids.intersection(
                    p for p in interaction.people if p != interaction.initiator
                )
                if inside:
                    received += 1
                    introduced |= inside
            value_given = dict.fromkeys(UNITS, 0.0)
            value_received = dict.fromkeys(UNITS, 0.0)
            credited_members: dict[str, set[int]] = {unit: set() for unit in UNITS}
            # Per unit: members credited on other groups' outcomes, and members
            # whose own outcomes credited people outside the group.
            earners_elsewhere: dict[str, set[int]] = {unit: set() for unit in UNITS}
            owners_sharing: dict[str, set[int]] = {unit: set() for unit in UNITS}
            for record in outcomes:
                inside_owner = record.owner in ids
                for person, amount in record.people.items():
                    if person in ids and amount > 0:
                        credited_members[record.unit].add(person)
                    if inside_owner and person not in ids:
                        value_received[record.unit] += amount
                        if amount > 0 and record.owner is not None:
                            owners_sharing[record.unit].add(record.owner)
                    elif not inside_owner and person in ids:
                        value_given[record.unit] += amount
                        if amount > 0:
                            earners_elsewhere[record.unit].add(person)
            reached_before, reached_now = teams_reached(before), teams_reached(now)
            # Who makes each figure: with fewer than the minimum (besides the
            # viewer) it is their own, and is withheld.
            makers: dict[str, list[set[int]]] = {
                "hours_invested": [{p for p in ids if person_hours.get(p, 0) > 0}],
                **{unit: [credited_members[unit]] for unit in UNITS},
                "new_ties": [{p for p in ids if new_ties(before=before[p], now=now[p])}],
                "teams_reached": [
                    {p for p, n in reached_before.items() if n},
                    {p for p, n in reached_now.items() if n},
                ],
                "introductions_given": [givers],
                "introductions_received": [introduced],
                "value_given": list(earners_elsewhere.values()),
                "value_received": list(owners_sharing.values()),
            }
            withheld = frozenset(
                f for f in GROUP_FIGURES if not all(shown(made_by) for made_by in makers[f])
            )
            if withheld:
                # Recomputed without what is withheld, so no hidden number rides along.
                result = return_on_impact(
                    [o for o in outcomes if o.unit not in withheld],
                    {}
                    if "hours_invested" in withheld
                    else {p: h for p, h in person_hours.items() if p in ids},
                    level="person",
                    groups=group_of,
                ).get(name) or _empty_return(name)
                result = replace(
                    result,
                    reading=f"Some figures are not shown: fewer than {minimum} people "
                    "other than you make them.",
                )
            rows.append(
                GroupRow(
                    dimension=dimension,
                    key=key,
                    label=name,
                    people=len(ids),
                    result=result,
                    new_ties=None if "new_ties" in withheld else new,
                    teams_reached_before=None
                    if "teams_reached" in withheld
                    else _mean(reached_before),
                    teams_reached_now=None if "teams_reached" in withheld else _mean(reached_now),
                    introductions_given=None if "introductions_given" in withheld else given,
                    introductions_received=None
                    if "introductions_received" in withheld
                    else received,
                    value_given=None if "value_given" in withheld else value_given,
                    value_received=None if "value_received" in withheld else value_received,
                    withheld=withheld,
                )
            )
    everyone = dict.fromkeys(population, "all")
    # The organization's totals are figures too: with fewer than the minimum of
    # people besides the viewer making one, it is theirs.
    total_makers: dict[str, set[int]] = {
        "hours_invested": {p for p in population if person_hours.get(p, 0) > 0},
        **{
            unit: {
                p
                for record in outcomes
                if record.unit == unit
                for p, amount in record.people.items()
                if p in population and amount > 0
            }
            for unit in UNITS
        },
    }
    total_withheld = frozenset(
        figure
        for figure, made_by in total_makers.items()
        if not shown(made_by) or people_besides(population, viewer) < minimum
    )
    kept = [o for o in outcomes if o.unit not in total_withheld]
    kept_timed = [] if "hours_invested" in total_withheld else timed
    total = return_on_impact(
        kept,
        {}
        if "hours_invested" in total_withheld
        else {p: h for p, h in person_hours.items() if p in population},
        level="person",
        groups=everyone,
    ).get("all") or _empty_return("all")
    if total_withheld:
        total = replace(
            total,
            reading=f"Some figures are not shown: fewer than {minimum} people "
            "other than you make them.",
        )
    points = [
        point
        for point in trend(
            kept, kept_timed, key="all", level="person", start=start, end=end, groups=everyone
        )
        if point.unit not in total_withheld and "hours_invested" not in total_withheld
    ]
    return GroupDashboard(
        start=start,
        end=end,
        minimum=minimum,
        rows=rows,
        hidden=len(safe.hidden),
        population=len(population),
        total=total,
        points=points,
        safe=safe,
        total_withheld=total_withheld,
    )


def _mean(counts: dict[int, int]) -> float:
    return sum(counts.values()) / len(counts) if counts else 0.0
