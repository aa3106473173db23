"""Return on impact by team and program, for
:func:`~bridgework.accounts.policies.can_view_impact_by_group`.

Aggregates only: every group shown on the page passed together through
:func:`~bridgework.core.privacy.groups.disclosure_safe_groups` with the
page's population, no names.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

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
from bridgework.core.privacy.groups import SafeGroups, disclosure_safe_groups
from bridgework.impact import measures
from bridgework.impact.credit import credited
from bridgework.impact.programs import program_participants
from bridgework.impact.selectors._common import _empty_return, _outcomes
from bridgework.impact.selectors.returns import window
from bridgework.people.models import WORKFORCE_ENGAGEMENTS, Person

__all__ = ["GroupRow", "GroupDashboard", "group_dashboard"]


@dataclass
class GroupRow:
    """One group shown on the dashboard, with its aggregate figures."""

    dimension: str  # "team" or "program"
    key: object
    label: str
    people: int
    result: ReturnOnImpact
    new_ties: int
    teams_reached_before: float
    teams_reached_now: float
    introductions_given: int
    introductions_received: int
    value_given: dict[str, float]
    value_received: dict[str, float]

    @property
    def new_ties_per_person(self) -> float:
        return self.new_ties / self.people if self.people else 0.0


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
    return _group_dashboard(start=start, end=end)


def _group_dashboard(
    *,
    start: dt.date | None,
    end: dt.date | None,
    programs: dict[int, tuple[str, set[int]]] | None = None,
    dimensions: tuple[str, ...] = ("team", "program"),
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
    )
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

            def teams_reached(ties: dict[int, dict[int, float]], ids: set[int] = ids) -> float:
                reached = [
                    len(
                        {
                            team_of_person.get(q)
                            for q, s in ties[p].items()
                            if s >= TIE_THRESHOLD
                            and team_of_person.get(q) not in (None, team_of_person.get(p))
                        }
                    )
                    for p in ids
                ]
                return sum(reached) / len(reached) if reached else 0.0

            given = received = 0
            for interaction in everything:
                if interaction.kind != "introduction":
                    continue
                if interaction.initiator in ids:
                    given += 1
                if ids.intersection(p for p in interaction.people if p != interaction.initiator):
                    received += 1
            value_given = dict.fromkeys(UNITS, 0.0)
            value_received = dict.fromkeys(UNITS, 0.0)
            for record in outcomes:
                inside_owner = record.owner in ids
                for person, amount in record.people.items():
                    if inside_owner and person not in ids:
                        value_received[record.unit] += amount
                    elif not inside_owner and person in ids:
                        value_given[record.unit] += amount
            rows.append(
                GroupRow(
                    dimension=dimension,
                    key=key,
                    label=name,
                    people=len(ids),
                    result=result,
                    new_ties=new,
                    teams_reached_before=teams_reached(before),
                    teams_reached_now=teams_reached(now),
                    introductions_given=given,
                    introductions_received=received,
                    value_given=value_given,
                    value_received=value_received,
                )
            )
    everyone = dict.fromkeys(population, "all")
    total = return_on_impact(
        outcomes,
        {p: h for p, h in person_hours.items() if p in population},
        level="person",
        groups=everyone,
    ).get("all") or _empty_return("all")
    points = trend(
        outcomes, timed, key="all", level="person", start=start, end=end, groups=everyone
    )
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
    )
