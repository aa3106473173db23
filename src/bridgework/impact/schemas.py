"""API schemas of the impact app: objectives, plans, outcomes, attribution, return on impact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

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

__all__ = [
    "PersonRefOut",
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
    "ProgramOut",
    "EvaluationOut",
    "ProgramImpactOut",
    "evaluation_out",
    "return_out",
    "unit_returns",
    "trend_points",
]

_INPUT = ConfigDict(extra="forbid")


class PersonRefOut(Schema):
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
    owner: PersonRefOut
    scope: Objective.Scope
    team: NamedOut | None
    program: NamedOut | None
    title: str
    why: str
    success_measure: str
    target_date: dt.date | None
    started_on: dt.date = Field(description="When the plan starts; progress counts from here.")
    status: Objective.Status
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
    scope: Objective.Scope = Objective.Scope.PERSON
    program: int | None = Field(None, description="Program objectives: the program's id.")
    needed_skills: list[int] = Field(default_factory=list, description="Skill ids.")
    needed_organizations: list[int] = Field(default_factory=list, description="Organization ids.")


class ObjectiveUpdateIn(ObjectiveIn):
    status: Objective.Status = Objective.Status.ACTIVE


class ShareIn(Schema):
    model_config = _INPUT

    person: int | None = Field(None, description="A person (e.g. your mentor) …")
    team: int | None = Field(None, description="… or your team.")


class ShareOut(Schema):
    id: int
    objective_id: int
    person: PersonRefOut | None
    team: NamedOut | None
    shared_at: dt.datetime


class StakeholderIn(Schema):
    model_config = _INPUT

    person: int
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
    person: PersonRefOut
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
    person: PersonRefOut
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
    through: list[PersonRefOut] = Field(description="Your own ties into the group.")


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

    person: int
    via: int | None = Field(None, description="Who connected you with them.")
    share: float | None = Field(None, ge=0, description="Declared share, any scale.")


class OutcomeIn(Schema):
    model_config = _INPUT

    kind: OutcomeKind
    title: str = Field(min_length=1, max_length=200)
    value: Decimal = Field(description="Money, hours saved, or an impact rating 1-5.")
    unit: Unit
    occurred_on: dt.date
    evidence: str = Field("", description=f"At most {MAX_TEXT} characters.")
    objective: int | None = None
    credit_method: CreditMethod = CreditMethod.SHAPLEY
    contributors: list[ContributorIn] = Field(default_factory=list)
    introductions: list[int] = Field(
        default_factory=list, description="Ids of introductions you asked for that were made."
    )
    interactions: list[int] = Field(
        default_factory=list, description="Ids of interactions you took part in."
    )


class ContributorOut(Schema):
    person: PersonRefOut
    via: PersonRefOut | None
    share: float | None


class OutcomeOut(Schema):
    id: int
    owner: PersonRefOut
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
    people: list[PersonRefOut]
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
    other: PersonRefOut
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


class GroupRowOut(Schema):
    label: str
    people: int
    result: ReturnOut
    new_ties: int
    new_ties_per_person: float
    teams_reached_before: float
    teams_reached_now: float
    introductions_given: int
    introductions_received: int
    value_given: dict[str, float]
    value_received: dict[str, float]


class GroupDashboardOut(Schema):
    start: dt.date
    end: dt.date
    minimum_group_size: int
    population: int
    hidden: int = Field(description="Groups withheld for privacy.")
    total: ReturnOut
    trend: list[TrendPointOut]
    teams: list[GroupRowOut]
    programs: list[GroupRowOut]


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


class ProgramOut(Schema):
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
    program: ProgramOut
    evaluation: EvaluationOut | None = Field(description="The latest evaluation, if any.")
    result: ReturnOut | None = Field(
        description="Return on impact of the participants since the start; null under the "
        "minimum group size."
    )


def evaluation_out(run) -> dict | None:
    """A stored evaluation run; numbers only for results that are findings (the honesty rule)."""
    if run is None:
        return None
    results = []
    for r in run.results.all():
        shown = r.is_finding
        results.append(
            {
                "measure": r.measure,
                "measure_label": r.measure_label,
                "verdict": r.verdict,
                "wording": r.wording,
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
