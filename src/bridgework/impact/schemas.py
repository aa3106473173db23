"""API schemas of the impact app: objectives, plans, outcomes, attribution, return on impact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict
from typing_extensions import TypeAliasType

from bridgework.core.impact.records import UNITS
from bridgework.impact.models import (
    MAX_CADENCE_DAYS,
    MAX_TEXT,
    CreditMethod,
    Objective,
    OutcomeKind,
    Unit,
)
from bridgework.interactions.schemas import IntroductionPathOut
from bridgework.web.apitypes import Id

__all__ = [
    "ImpactPersonOut",
    "NamedOut",
    "ObjectiveOut",
    "ObjectiveListOut",
    "ObjectiveIn",
    "ObjectiveUpdateIn",
    "ShareIn",
    "ShareOut",
    "StakeholderIn",
    "StakeholderUpdateIn",
    "StakeholderOut",
    "PlanOut",
    "OutcomeIn",
    "OutcomeOut",
    "AttributionOut",
    "ReturnOut",
    "ObjectiveReturnOut",
    "PersonalReturnOut",
    "GroupDashboardOut",
    "group_return_out",
    "ImpactProgramOut",
    "EvaluationOut",
    "ProgramImpactOut",
    "evaluation_out",
    "return_out",
    "unit_returns",
    "trend_points",
    "ObjectiveScope",
    "ObjectiveStatus",
]

_INPUT = ConfigDict(extra="forbid")

# Named after their model in the OpenAPI schema (a bare "Status" would collide).
ObjectiveScope = TypeAliasType("ObjectiveScope", Objective.Scope)
ObjectiveStatus = TypeAliasType("ObjectiveStatus", Objective.Status)


class ImpactPersonOut(Schema):
    """Someone, by public profile fields only."""

    id: int
    full_name: str
    title: str
    organization: str | None

    @staticmethod
    def resolve_organization(person) -> str | None:
        return person.organization.name if person.organization_id else None


class NamedOut(Schema):
    id: int
    name: str


class ObjectiveOut(Schema):
    id: int
    owner: ImpactPersonOut
    scope: ObjectiveScope
    team: NamedOut | None
    program: NamedOut | None
    title: str
    why: str
    success_measure: str
    target_date: dt.date | None
    started_on: dt.date = Field(description="When the plan starts; progress counts from here.")
    status: ObjectiveStatus
    needed_skills: list[NamedOut]
    needed_organizations: list[NamedOut]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_needed_skills(objective: Objective) -> list:
        return list(objective.needed_skills.all())

    @staticmethod
    def resolve_needed_organizations(objective: Objective) -> list:
        return list(objective.needed_organizations.all())


class ObjectiveListOut(Schema):
    mine: list[ObjectiveOut]
    team: list[ObjectiveOut] = Field(description="Your team's objectives set by others.")
    shared: list[ObjectiveOut] = Field(description="Objectives shared with you (read-only).")


class ObjectiveIn(Schema):
    model_config = _INPUT

    title: str = Field(min_length=1, max_length=200)
    why: str = Field("", max_length=MAX_TEXT)
    success_measure: str = Field("", max_length=500)
    target_date: dt.date | None = None
    started_on: dt.date | None = Field(None, description="Default: today.")
    scope: ObjectiveScope = Objective.Scope.PERSON
    program: Id | None = Field(None, description="Program objectives: the program's id.")
    needed_skills: list[Id] = Field(default_factory=list, description="Skill ids.")
    needed_organizations: list[Id] = Field(default_factory=list, description="Organization ids.")


class ObjectiveUpdateIn(ObjectiveIn):
    status: ObjectiveStatus = Objective.Status.ACTIVE


class ShareIn(Schema):
    model_config = _INPUT

    person: Id | None = Field(None, description="A person (e.g. your mentor) …")
    team: Id | None = Field(None, description="… or your team.")


class ShareOut(Schema):
    id: int
    objective_id: int
    person: ImpactPersonOut | None
    team: NamedOut | None
    shared_at: dt.datetime


class StakeholderIn(Schema):
    model_config = _INPUT

    person: Id
    origin: Literal["proposed", "added"] = "added"
    reason: str = Field("", max_length=300)
    target_strength: float | None = Field(None, gt=0, le=1)
    cadence_days: int | None = Field(None, ge=1, le=MAX_CADENCE_DAYS)
    next_step: str = Field("", max_length=300)


class StakeholderUpdateIn(Schema):
    model_config = _INPUT

    target_strength: float | None = Field(None, gt=0, le=1)
    cadence_days: int | None = Field(None, ge=1, le=MAX_CADENCE_DAYS)
    next_step: str = Field("", max_length=300)
    reason: str | None = Field(None, max_length=300)


class StakeholderOut(Schema):
    id: int
    objective_id: int
    person: ImpactPersonOut
    origin: str
    status: str
    reason: str
    target_strength: float | None
    cadence_days: int | None
    next_step: str


class StakeholderProgressOut(Schema):
    strength_at_start: float
    strength_now: float
    target: float
    target_met: bool
    tie_built: bool
    meetings: int
    introductions: int
    interactions: int
    last_contact: dt.date | None
    next_due: dt.date | None
    on_cadence: bool | None
    status: str


class PlanRowOut(Schema):
    person: ImpactPersonOut
    stakeholder_id: int | None
    kind: Literal["target", "influencer", "added"]
    reason: str
    strength: float = Field(description="The owner's own tie strength now (0-1).")
    band: str
    target: float
    gap: float
    cadence_days: int
    suggested_cadence: bool
    next_step: str
    path: IntroductionPathOut | None = Field(
        description="The best warm path from you (the owner only): of hops after the first, "
        "only names and a coarse word."
    )
    progress: StakeholderProgressOut | None

    @staticmethod
    def resolve_stakeholder_id(row) -> int | None:
        return row.stakeholder.pk if row.stakeholder is not None else None


class ReachOut(Schema):
    label: str
    kind: Literal["organization", "skill"]
    reached: bool
    through: list[ImpactPersonOut] = Field(description="Your own ties into the group.")


class PlanProgressOut(Schema):
    ties_built: int
    targets_met: int
    meetings: int
    introductions: int
    on_cadence: int
    with_cadence: int
    share_met: float | None


class PlanOut(Schema):
    objective_id: int
    is_owner: bool
    started: bool
    summary: str
    progress: PlanProgressOut | None
    stakeholders: list[PlanRowOut]
    proposals: list[PlanRowOut] = Field(description="The owner only.")
    reach: list[ReachOut]


class ContributorIn(Schema):
    model_config = _INPUT

    person: Id
    via: Id | None = Field(None, description="Who connected you with them.")
    share: float | None = Field(None, ge=0, description="Declared share, any scale.")


class OutcomeIn(Schema):
    model_config = _INPUT

    kind: OutcomeKind
    title: str = Field(min_length=1, max_length=200)
    value: Decimal = Field(description="Money, hours saved, or an impact rating 1-5.")
    unit: Unit
    occurred_on: dt.date
    evidence: str = Field("", description=f"At most {MAX_TEXT} characters.")
    objective: Id | None = None
    credit_method: CreditMethod = CreditMethod.SHAPLEY
    contributors: list[ContributorIn] = Field(default_factory=list)
    introductions: list[Id] = Field(
        default_factory=list, description="Ids of introductions you asked for that were made."
    )
    interactions: list[Id] = Field(
        default_factory=list, description="Ids of interactions you took part in."
    )


class ContributorOut(Schema):
    person: ImpactPersonOut
    via: ImpactPersonOut | None
    share: float | None


class OutcomeOut(Schema):
    id: int
    owner: ImpactPersonOut
    objective_id: int | None
    kind: str
    title: str
    value: float
    unit: str
    occurred_on: dt.date
    evidence: str
    credit_method: str
    contributors: list[ContributorOut]
    introductions: list[int]
    interactions: list[int]
    paths: list[list[int]] = Field(description="Contribution paths: person ids, owner first.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_contributors(outcome) -> list:
        return list(outcome.contributors.all())

    @staticmethod
    def resolve_introductions(outcome) -> list[int]:
        return sorted(r.pk for r in outcome.introductions.all())

    @staticmethod
    def resolve_interactions(outcome) -> list[int]:
        return sorted(i.pk for i in outcome.interactions.all())

    @staticmethod
    def resolve_paths(outcome) -> list[list[int]]:
        return [[s.person_id for s in p.steps.all()] for p in outcome.paths.all()]


class CreditOut(Schema):
    person: int
    credit: float


class RelationshipCreditOut(Schema):
    person_a: int
    person_b: int
    credit: float


class MethodOut(Schema):
    method: Literal["declared", "first_touch", "last_touch", "shapley"]
    label: str
    explanation: str
    available: bool
    note: str
    used_for_return: bool
    people: list[CreditOut]
    relationships: list[RelationshipCreditOut]


class AttributionOut(Schema):
    outcome_id: int
    value: float
    unit: str
    used_method: str = Field(description="What return on impact uses; 'owner': no evidence.")
    people: list[ImpactPersonOut]
    methods: list[MethodOut]


class UnitReturnOut(Schema):
    value: float
    outcomes: int
    per_hour: float | None


class ReturnOut(Schema):
    hours: float
    by_unit: dict[str, UnitReturnOut] = Field(description=f"One per unit: {', '.join(UNITS)}.")
    reading: str


class TrendPointOut(Schema):
    month: dt.date
    unit: str
    value: float
    outcomes: int
    hours: float
    per_hour: float | None


class ObjectiveReturnOut(Schema):
    objective_id: int
    result: ReturnOut
    trend: list[TrendPointOut] = Field(description="Cumulative, by month.")


class RelationshipReturnOut(Schema):
    other: ImpactPersonOut
    hours: float
    by_unit: dict[str, UnitReturnOut]
    given: int
    received: int
    introductions_given: int
    introductions_received: int
    verdict: str
    reading: str


class LeadingOut(Schema):
    new_ties: int
    new_stakeholder_ties: int
    stakeholders: int
    introductions_given: int
    introductions_received: int
    reach: list[ReachOut]


class PersonalReturnOut(Schema):
    start: dt.date
    end: dt.date
    hours: float
    owned: ReturnOut = Field(description="The whole value of your own outcomes.")
    credited: ReturnOut = Field(description="The credit you received, by attribution.")
    trend: list[TrendPointOut]
    relationships: list[RelationshipReturnOut]
    leading: LeadingOut


class GroupUnitReturnOut(Schema):
    """A unit's figures for a group; null when fewer than the minimum of people make them."""

    value: float | None
    outcomes: int | None
    per_hour: float | None


class GroupReturnOut(Schema):
    hours: float | None = Field(description="Hours invested; null when withheld.")
    by_unit: dict[str, GroupUnitReturnOut] = Field(description=f"One per unit: {', '.join(UNITS)}.")
    reading: str


class GroupRowOut(Schema):
    label: str
    people: int
    result: GroupReturnOut
    new_ties: int | None
    new_ties_per_person: float | None
    teams_reached_before: float | None
    teams_reached_now: float | None
    introductions_given: int | None
    introductions_received: int | None
    value_given: dict[str, float] | None
    value_received: dict[str, float] | None
    withheld: list[str] = Field(
        description="Figures not shown (null above): fewer than the minimum of people "
        "other than you make them (hours_invested, money, hours, rating, new_ties, "
        "teams_reached, introductions_given, introductions_received, value_given, "
        "value_received)."
    )


class GroupDashboardOut(Schema):
    start: dt.date
    end: dt.date
    minimum_group_size: int
    population: int
    hidden: int = Field(description="Groups withheld for privacy.")
    total: GroupReturnOut
    total_withheld: list[str] = Field(
        description="Organization-wide figures not shown (null in total; left out of the "
        "trend): fewer than the minimum of people other than you make them."
    )
    trend: list[TrendPointOut]
    teams: list[GroupRowOut]
    programs: list[GroupRowOut]


def group_return_out(result, withheld: Collection[str]) -> dict:
    """A group's return with every withheld figure as null (``withheld``: as in
    :class:`GroupRowOut`)."""
    hours_hidden = "hours_invested" in withheld
    return {
        "hours": None if hours_hidden else result.hours,
        "by_unit": {
            unit: {"value": None, "outcomes": None, "per_hour": None}
            if unit in withheld
            else {
                "value": item.value,
                "outcomes": item.outcomes,
                "per_hour": None if hours_hidden else item.per_hour,
            }
            for unit, item in result.by_unit.items()
        },
        "reading": result.reading,
    }


def unit_returns(by_unit: dict) -> dict:
    return {
        unit: {"value": item.value, "outcomes": item.outcomes, "per_hour": item.per_hour}
        for unit, item in by_unit.items()
    }


def return_out(result) -> dict:
    return {
        "hours": result.hours,
        "by_unit": unit_returns(result.by_unit),
        "reading": result.reading,
    }


def trend_points(points) -> list[dict]:
    return [
        {
            "month": p.month,
            "unit": p.unit,
            "value": p.value,
            "outcomes": p.outcomes,
            "hours": p.hours,
            "per_hour": p.per_hour,
        }
        for p in points
    ]


class ImpactProgramOut(Schema):
    id: int
    name: str
    status: str
    start_date: dt.date
    end_date: dt.date | None


class EvaluationResultOut(Schema):
    measure: str
    measure_label: str
    verdict: Literal["too_small", "no_comparison", "no_clear_effect", "increase", "decrease"]
    wording: str = Field(description="The verdict in plain words: show this.")
    participants: int
    comparison_people: int
    treated_change: float | None = Field(description="Null when the verdict is not a finding.")
    comparison_change: float | None
    effect: float | None = Field(description="Difference in differences; null unless a finding.")
    ci_low: float | None
    ci_high: float | None
    confidence: float
    notes: list[str]


class EvaluationOut(Schema):
    before_day: dt.date
    after_day: dt.date
    participants: int
    pool: int
    created_at: dt.datetime
    results: list[EvaluationResultOut]


class ProgramImpactOut(Schema):
    program: ImpactProgramOut
    evaluation: EvaluationOut | None = Field(description="The latest evaluation, if any.")
    result: ReturnOut | None = Field(
        description="Return on impact of the participants since the start; null under the "
        "minimum group size."
    )


def evaluation_out(run, *, numbers: bool = True) -> dict | None:
    """A stored evaluation run; numbers only for results that are findings (the honesty
    rule), and none at all with ``numbers=False`` (the privacy rule:
    :func:`~bridgework.impact.programs.evaluation_withheld`)."""
    if run is None:
        return None
    results = []
    for r in run.results.all():
        shown = r.is_finding and numbers
        results.append(
            {
                "measure": r.measure,
                "measure_label": r.measure_label,
                "verdict": r.verdict,
                "wording": r.wording
                if numbers or not r.is_finding
                else "Not shown: fewer than the minimum group size of people other than "
                "you were evaluated or compared.",
                "participants": r.participants,
                "comparison_people": r.comparison_people,
                "treated_change": r.treated_change if shown else None,
                "comparison_change": r.comparison_change if shown else None,
                "effect": r.effect if shown else None,
                "ci_low": r.ci_low if shown else None,
                "ci_high": r.ci_high if shown else None,
                "confidence": r.confidence,
                "notes": list(r.notes or []),
            }
        )
    return {
        "before_day": run.before_day,
        "after_day": run.after_day,
        "participants": run.participants,
        "pool": run.pool,
        "created_at": run.created_at,
        "results": results,
    }
