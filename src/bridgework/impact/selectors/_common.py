"""Private helpers shared by the modules of :mod:`bridgework.impact.selectors`.

What several topics need (the "not found" answer, today's date, the outcome
query, who may read which objective, the reach into an objective's needed
groups), kept in one place so the topic modules import it from here and never
from each other's private names. Only :class:`ReachRow` is public (a plan and
a personal return both list it); the package re-exports it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NoReturn

from django.db.models import Q, QuerySet
from django.utils import timezone

from bridgework.accounts.models import User
from bridgework.core.errors import NotFoundError
from bridgework.core.impact.indicators import TIE_THRESHOLD, GroupReach, group_reach
from bridgework.core.impact.roi import ReturnOnImpact, return_on_impact
from bridgework.impact.credit import OUTCOME_PREFETCH
from bridgework.impact.models import Objective, Outcome
from bridgework.people.models import Person, PersonSkill, Skill


def _forbid() -> NoReturn:
    """Raise the same "not found" as for a missing object, so nobody can probe for what exists."""
    raise NotFoundError("Not found.")


def _today() -> dt.date:
    return timezone.localdate()


def _outcomes() -> QuerySet[Outcome]:
    return Outcome.objects.select_related("owner", "objective").prefetch_related(*OUTCOME_PREFETCH)


def _empty_return(key) -> ReturnOnImpact:
    return return_on_impact([], {key: 0.0})[key]


def _visible_to(person: Person | None) -> Q:
    """Objectives a person may read: their own, shared with them or their team, their
    team's objectives, and the objectives of the programs they take part in."""
    if person is None:
        return Q(pk__in=[])
    q = Q(owner_id=person.pk) | Q(shares__person_id=person.pk)
    if person.team_id is not None:
        q |= Q(shares__team_id=person.team_id) | Q(scope="team", team_id=person.team_id)
    q |= Q(
        scope="program",
        program__enrollments__person_id=person.pk,
        program__enrollments__status="active",
    )
    return q


def _viewer_person(viewer: User) -> Person | None:
    if viewer.person_id is None:
        return None
    return Person.objects.filter(pk=viewer.person_id).only("id", "team_id").first()


@dataclass
class ReachRow:
    """A group the objective needs, and whether the owner has a tie into it."""

    label: str
    kind: str  # "organization" or "skill"
    reached: bool
    through: list[Person] = field(default_factory=list)


def _reach(objective: Objective, strengths: dict[int, float]) -> list[ReachRow]:
    """Each needed organization and skill, and the owner's ties into it (their own ties)."""
    tied = [p for p, s in strengths.items() if s >= TIE_THRESHOLD]
    organizations = list(objective.needed_organizations.all())
    skills = list(objective.needed_skills.all())
    if not organizations and not skills:
        return []
    people = Person.objects.in_bulk(tied)
    rows = []
    org_of = {p: people[p].organization_id for p in tied if p in people}
    reach: GroupReach = group_reach(
        strengths, group_of=org_of, needed_groups=[o.pk for o in organizations]
    )
    for org in organizations:
        through = [people[p] for p in reach.through.get(org.pk, ())]
        rows.append(
            ReachRow(label=org.name, kind="organization", reached=bool(through), through=through)
        )
    for skill in skills:
        ids = [skill.pk, *Skill.objects.filter(parent=skill).values_list("id", flat=True)]
        holders = set(
            PersonSkill.objects.filter(skill_id__in=ids, person_id__in=tied).values_list(
                "person_id", flat=True
            )
        )
        skill_reach = group_reach(
            strengths, group_of=dict.fromkeys(holders, skill.pk), needed_groups=[skill.pk]
        )
        through = [people[p] for p in skill_reach.through.get(skill.pk, ()) if p in people]
        rows.append(
            ReachRow(label=skill.name, kind="skill", reached=bool(through), through=through)
        )
    return rows
