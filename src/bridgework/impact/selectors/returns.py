"""Return on impact of one person (the viewer) and of one objective.

How each number is computed: ``docs/impact-app.md`` and ``docs/impact.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from bridgework.accounts.guards import require_login
from bridgework.accounts.models import User
from bridgework.core.impact.indicators import introduction_counts, new_ties
from bridgework.core.impact.records import UNITS, Relationship
from bridgework.core.impact.roi import (
    GiveGet,
    ReturnOnImpact,
    TrendPoint,
    give_get_balance,
    invested_hours,
    return_on_impact,
    trend,
)
from bridgework.impact import measures
from bridgework.impact.credit import credited
from bridgework.impact.models import Objective, Outcome, Stakeholder
from bridgework.impact.selectors._common import (
    ReachRow,
    _empty_return,
    _outcomes,
    _reach,
    _today,
)
from bridgework.people.models import Person

__all__ = [
    "TREND_MONTHS",
    "RELATIONSHIPS_SHOWN",
    "RelationshipReturn",
    "PersonalReturn",
    "window",
    "personal_return",
    "objective_return",
]

#: Return on impact looks back this many months by default.
TREND_MONTHS = 12
#: People's relationships listed on the personal return page.
RELATIONSHIPS_SHOWN = 25


def window(*, months: int = TREND_MONTHS, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """``(start, end)``: the first day of the month ``months - 1`` months back, and today."""
    today = today or _today()
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1), today


def _involving(person_id: int) -> QuerySet[Outcome]:
    ids = (
        Outcome.objects.filter(
            Q(owner_id=person_id)
            | Q(contributors__person_id=person_id)
            | Q(paths__steps__person_id=person_id)
        )
        .values("pk")
        .distinct()
    )
    return _outcomes().filter(pk__in=ids)


@dataclass
class RelationshipReturn:
    """One of the viewer's relationships: credit to it, hours in it, and the give/get balance."""

    other: Person
    hours: float
    by_unit: dict
    balance: GiveGet | None

    @property
    def value_text(self) -> str:
        parts = []
        for unit in UNITS:
            item = self.by_unit.get(unit)
            if item is not None and item.value > 0:
                parts.append(_amount_text(item.value, unit))
        return ", ".join(parts) or "—"


def _amount_text(value: float, unit: str) -> str:
    if unit == "money":
        return f"{value:,.0f}"
    if unit == "hours":
        return f"{value:,.1f} h saved"
    return f"{value:,.1f} rating pts"


@dataclass
class PersonalReturn:
    """A person's return on impact over ``start``-``end`` (see ``docs/impact-app.md``)."""

    person: Person
    start: dt.date
    end: dt.date
    hours: float
    owned: ReturnOnImpact
    credited: ReturnOnImpact
    points: list[TrendPoint]
    relationships: list[RelationshipReturn]
    new_ties: int
    new_stakeholder_ties: int
    stakeholders: int
    reach: list[ReachRow]
    introductions_given: int
    introductions_received: int
    outcomes: list[Outcome]


def personal_return(
    *, viewer: User, start: dt.date | None = None, end: dt.date | None = None
) -> PersonalReturn | None:
    """The viewer's own return on impact (None without a person).

    * hours: the viewer's interaction hours (meetings, calls, other) in the window;
    * owned: the whole value of the viewer's own outcomes, per unit and per hour;
    * credited: the credit the viewer received (own and others' outcomes, by
      each outcome's attribution method), per unit and per hour;
    * the monthly trend of the credit and hours, the return per relationship
      with the give/get balance, and the leading indicators.
    """
    require_login(viewer)
    me = viewer.person_id
    if me is None:
        return None
    default_start, default_end = window()
    start, end = start or default_start, end or default_end
    person = Person.objects.select_related("team", "organization").get(pk=me)
    outcomes = [o for o in _involving(me) if start <= o.occurred_on <= end]
    records = [credited(o).record for o in outcomes]
    mine = measures.interactions_between(start=start, end=end, people=[me])
    timed = [i for i in mine if i.kind in measures.HOURS_KINDS]
    hours = invested_hours(timed).get(me, 0.0)
    owned = return_on_impact([r for r in records if r.owner == me], {me: hours}, level="owner")
    received = return_on_impact(records, {me: hours}, level="person")
    points = trend(records, timed, key=me, level="person", start=start, end=end)
    # Keyed by Relationship (by="relationship"); the isinstance narrows core's Hashable.
    pair_hours: dict[Hashable, float] = {
        r: h
        for r, h in invested_hours(timed, by="relationship").items()
        if isinstance(r, Relationship) and r.involves(me)
    }
    by_relationship = return_on_impact(records, pair_hours, level="relationship")
    balances = give_get_balance(me, outcomes=records, interactions=mine)
    others = {
        r.other(me) for r in by_relationship if isinstance(r, Relationship) and r.involves(me)
    } | set(balances)
    ranked = sorted(
        others,
        key=lambda o: (
            -sum(
                u.value > 0
                for u in by_relationship.get(Relationship(me, o), _empty_return(0)).by_unit.values()
            ),
            -(balances[o].given + balances[o].received if o in balances else 0),
            -pair_hours.get(Relationship(me, o), 0.0),
            o,
        ),
    )[:RELATIONSHIPS_SHOWN]
    people = Person.objects.select_related("organization").in_bulk(ranked)
    relationships = [
        RelationshipReturn(
            other=people[o],
            hours=pair_hours.get(Relationship(me, o), 0.0),
            by_unit=by_relationship[Relationship(me, o)].by_unit
            if Relationship(me, o) in by_relationship
            else {},
            balance=balances.get(o),
        )
        for o in ranked
        if o in people
    ]
    before = measures.strengths_of(me, start - dt.timedelta(days=1))
    now = measures.strengths_of(me, end)
    active = Objective.objects.filter(owner_id=me, status=Objective.Status.ACTIVE)
    stakeholder_ids = set(
        Stakeholder.objects.filter(objective__in=active, status="accepted").values_list(
            "person_id", flat=True
        )
    )
    reach: list[ReachRow] = []
    for objective in active.prefetch_related("needed_skills", "needed_organizations"):
        for row in _reach(objective, now):
            if row.label not in {r.label for r in reach}:
                reach.append(row)
    counts = introduction_counts(me, mine, start=start, end=end)
    return PersonalReturn(
        person=person,
        start=start,
        end=end,
        hours=hours,
        owned=owned.get(me) or _empty_return(me),
        credited=received.get(me) or _empty_return(me),
        points=points,
        relationships=relationships,
        new_ties=len(new_ties(before=before, now=now)),
        new_stakeholder_ties=len(new_ties(before=before, now=now, stakeholders=stakeholder_ids)),
        stakeholders=len(stakeholder_ids),
        reach=reach,
        introductions_given=counts.given,
        introductions_received=counts.received,
        outcomes=outcomes,
    )


def objective_return(
    *, objective: Objective, today: dt.date | None = None
) -> tuple[ReturnOnImpact, list[TrendPoint]]:
    """An objective's return (of an objective the caller checked access to): the
    whole value of its outcomes against the owner's hours with its stakeholders
    since the plan started, and the monthly trend (cumulative)."""
    today = today or _today()
    outcomes = [credited(o).record for o in _outcomes().filter(objective=objective)]
    start = min([objective.started_on, *(o.occurred_on for o in outcomes)])
    start = min(start, today)
    stakeholder_ids = set(
        objective.stakeholders.filter(status="accepted").values_list("person_id", flat=True)
    )
    owner = objective.owner_id
    with_them = [
        i
        for i in measures.interactions_between(start=start, end=today, people=[owner])
        if i.kind in measures.HOURS_KINDS
        and owner in i.people
        and stakeholder_ids.intersection(i.people)
    ]
    hours = invested_hours(with_them).get(owner, 0.0)
    result = return_on_impact(outcomes, {objective.pk: hours}, level="objective")[objective.pk]
    points = trend(
        outcomes, with_them, key=owner, level="owner", start=start, end=today, cumulative=True
    )
    return result, points
