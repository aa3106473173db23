"""REST API of the impact app under ``/api/impact/``: objectives and their sharing,
relationship plans and stakeholders, outcomes and their attribution, return on
impact (mine, an objective's, by team and program) and program evaluations.

Everything goes through :mod:`bridgework.impact.selectors` and
:mod:`bridgework.impact.services` with ``request.auth`` as the viewer, so the
API enforces exactly the rules of the pages: someone else's objective or
outcome is a 404 unless it is shared with you; return on impact by group is
for leaders, people analysts and admins, groups only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from ninja import Router, Status

from bridgework.accounts.requests import ApiRequest
from bridgework.core.errors import NotFoundError
from bridgework.impact import programs, selectors, services
from bridgework.impact.schemas import (
    AttributionOut,
    GroupDashboardOut,
    ImpactProgramOut,
    ObjectiveIn,
    ObjectiveListOut,
    ObjectiveOut,
    ObjectiveReturnOut,
    ObjectiveUpdateIn,
    OutcomeIn,
    OutcomeOut,
    PersonalReturnOut,
    PlanOut,
    ProgramImpactOut,
    ShareIn,
    ShareOut,
    StakeholderIn,
    StakeholderOut,
    StakeholderUpdateIn,
    evaluation_out,
    group_return_out,
    return_out,
    trend_points,
    unit_returns,
)
from bridgework.interactions.models import Interaction, IntroductionRequest
from bridgework.mentoring.models import Program
from bridgework.network import limits
from bridgework.people.models import Organization, Person, Skill, Team
from bridgework.web.apitypes import ErrorOut, Id

__all__ = ["router"]

router = Router(tags=["impact"])

_M = TypeVar("_M", bound=Model)


def _instances(model: type[_M], ids: Iterable[int] | None, field: str) -> list[_M]:
    """The rows with these ids, in order; a ``ValidationError`` naming ``field`` otherwise."""
    return selectors.records_by_id(model, ids, field=field)


def _one(model: type[_M], pk: int, field: str) -> _M:
    return _instances(model, [pk], field)[0]


def _optional(model: type[_M], pk: int | None, field: str) -> _M | None:
    return None if pk is None else _one(model, pk, field)


# ---- objectives -----------------------------------------------------------------------


@router.get("/objectives", response=ObjectiveListOut, summary="My objectives")
def objective_list(request: ApiRequest):
    """Your objectives, your team's, and the ones shared with you (read-only)."""
    return selectors.objective_list(viewer=request.auth)


def _objective_kwargs(request: ApiRequest, payload: ObjectiveIn) -> dict[str, Any]:
    team = None
    if payload.scope == "team":
        team = selectors.viewer_team(viewer=request.auth)
    return dict(
        title=payload.title,
        why=payload.why,
        success_measure=payload.success_measure,
        target_date=payload.target_date,
        started_on=payload.started_on,
        scope=payload.scope,
        team=team,
        program=_optional(Program, payload.program, "program")
        if payload.scope == "program"
        else None,
        needed_skills=_instances(Skill, payload.needed_skills, "needed_skills"),
        needed_organizations=_instances(
            Organization, payload.needed_organizations, "needed_organizations"
        ),
    )


@router.post("/objectives", response={201: ObjectiveOut}, summary="Set an objective")
def objective_create(request: ApiRequest, payload: ObjectiveIn):
    """A new objective of yours (``scope: team``: your team's)."""
    objective = services.objective_create(actor=request.auth, **_objective_kwargs(request, payload))
    return selectors.access_objective(viewer=request.auth, objective_id=objective.pk)


@router.get("/objectives/{objective_id}", response=ObjectiveOut, summary="One objective")
def objective_detail(request: ApiRequest, objective_id: int):
    return selectors.access_objective(viewer=request.auth, objective_id=objective_id)


@router.put("/objectives/{objective_id}", response=ObjectiveOut, summary="Change an objective")
def objective_update(request: ApiRequest, objective_id: int, payload: ObjectiveUpdateIn):
    """Replace every field of your objective (its owner only)."""
    objective = selectors.access_objective(
        viewer=request.auth, objective_id=objective_id, for_edit=True
    )
    kwargs = _objective_kwargs(request, payload)
    if payload.scope == objective.scope == "team":
        kwargs["team"] = objective.team
    services.objective_update(
        actor=request.auth, objective=objective, status=payload.status, **kwargs
    )
    return selectors.access_objective(viewer=request.auth, objective_id=objective.pk)


@router.delete("/objectives/{objective_id}", response={204: None}, summary="Delete an objective")
def objective_delete(request: ApiRequest, objective_id: int):
    objective = selectors.access_objective(
        viewer=request.auth, objective_id=objective_id, for_edit=True
    )
    services.objective_delete(actor=request.auth, objective=objective)
    return None


@router.post(
    "/objectives/{objective_id}/shares", response={201: ShareOut}, summary="Share an objective"
)
def objective_share(request: ApiRequest, objective_id: int, payload: ShareIn):
    """Share your objective read-only with one person (a mentor) or one team."""
    objective = selectors.access_objective(
        viewer=request.auth, objective_id=objective_id, for_edit=True
    )
    share = services.objective_share(
        actor=request.auth,
        objective=objective,
        person=_optional(Person, payload.person, "person"),
        team=_optional(Team, payload.team, "team"),
    )
    return share


@router.delete("/shares/{share_id}", response={204: None}, summary="Stop sharing")
def share_delete(request: ApiRequest, share_id: int):
    share = selectors.access_share(viewer=request.auth, share_id=share_id)
    services.objective_unshare(actor=request.auth, share=share)
    return None


# ---- plans ------------------------------------------------------------------------------


@router.get(
    "/objectives/{objective_id}/plan",
    response={200: PlanOut, 429: ErrorOut},
    summary="The relationship plan",
)
def plan(request: ApiRequest, objective_id: int):
    """Stakeholders with your current tie strength, the gap to the target, the best
    warm path, cadence, next step and progress from the events; proposals (owner only).

    For the owner, the plan's warm paths count as one introduction path look-up
    (``BRIDGEWORK_PATH_QUERIES_PER_HOUR``): beyond it, 429 with ``detail`` and
    ``Retry-After``.
    """
    objective = selectors.access_objective(viewer=request.auth, objective_id=objective_id)
    if objective.owner_id == request.auth.person_id:
        retry_after = limits.limit_reached(request, limits.PATH_QUERIES)
        if retry_after is not None:
            return limits.too_many_json(limits.PATH_QUERIES, retry_after=retry_after)
    view = selectors.objective_plan(viewer=request.auth, objective=objective)
    progress = view.progress
    return {
        "objective_id": objective.pk,
        "is_owner": view.is_owner,
        "started": view.started,
        "summary": view.summary,
        "progress": None
        if progress is None
        else {
            "ties_built": progress.ties_built,
            "targets_met": progress.targets_met,
            "meetings": progress.meetings,
            "introductions": progress.introductions,
            "on_cadence": progress.on_cadence,
            "with_cadence": progress.with_cadence,
            "share_met": progress.share_met,
        },
        "stakeholders": view.rows,
        "proposals": view.proposals,
        "reach": view.reach,
    }


@router.post(
    "/objectives/{objective_id}/stakeholders",
    response={201: StakeholderOut, 429: ErrorOut},
    summary="Add a stakeholder",
)
def stakeholder_add(request: ApiRequest, objective_id: int, payload: StakeholderIn):
    """Accept a proposal (``origin: proposed``) or add someone to your plan.

    The plan shows a warm path to each stakeholder, so each addition counts as
    one introduction path look-up (``BRIDGEWORK_PATH_QUERIES_PER_HOUR``):
    beyond the hour's allowance, 429 with ``detail`` and ``Retry-After``.
    """
    objective = selectors.access_objective(
        viewer=request.auth, objective_id=objective_id, for_edit=True
    )
    retry_after = limits.limit_reached(request, limits.PATH_QUERIES)
    if retry_after is not None:
        return limits.too_many_json(limits.PATH_QUERIES, retry_after=retry_after)
    stakeholder = services.stakeholder_add(
        actor=request.auth,
        objective=objective,
        person=_one(Person, payload.person, "person"),
        origin=payload.origin,
        reason=payload.reason,
        target_strength=payload.target_strength,
        cadence_days=payload.cadence_days,
        next_step=payload.next_step,
    )
    return Status(201, stakeholder)


@router.put("/stakeholders/{stakeholder_id}", response=StakeholderOut, summary="Edit a stakeholder")
def stakeholder_update(request: ApiRequest, stakeholder_id: int, payload: StakeholderUpdateIn):
    stakeholder = selectors.access_stakeholder(viewer=request.auth, stakeholder_id=stakeholder_id)
    return services.stakeholder_update(
        actor=request.auth,
        stakeholder=stakeholder,
        target_strength=payload.target_strength,
        cadence_days=payload.cadence_days,
        next_step=payload.next_step,
        reason=payload.reason,
    )


@router.delete(
    "/stakeholders/{stakeholder_id}", response=StakeholderOut, summary="Remove a stakeholder"
)
def stakeholder_remove(request: ApiRequest, stakeholder_id: int):
    """Out of the plan (kept as removed, so it is not proposed again)."""
    stakeholder = selectors.access_stakeholder(viewer=request.auth, stakeholder_id=stakeholder_id)
    return services.stakeholder_remove(actor=request.auth, stakeholder=stakeholder)


@router.get(
    "/objectives/{objective_id}/return",
    response=ObjectiveReturnOut,
    summary="An objective's return on impact",
)
def objective_return(request: ApiRequest, objective_id: int):
    """The value of the objective's outcomes per unit against the owner's hours with
    its stakeholders since the plan started, and the cumulative monthly trend."""
    objective = selectors.access_objective(viewer=request.auth, objective_id=objective_id)
    result, points = selectors.objective_return(objective=objective)
    return {
        "objective_id": objective.pk,
        "result": return_out(result),
        "trend": trend_points(points),
    }


# ---- outcomes ---------------------------------------------------------------------------


def _outcome_kwargs(request: ApiRequest, payload: OutcomeIn) -> dict[str, Any]:
    contributors = [
        services.ContributorIn(
            person=_one(Person, c.person, "contributors"),
            via=_optional(Person, c.via, "contributors"),
            share=c.share,
        )
        for c in payload.contributors
    ]
    objective = None
    if payload.objective is not None:
        try:
            objective = selectors.access_objective(
                viewer=request.auth, objective_id=payload.objective
            )
        except NotFoundError:
            raise ValidationError({"objective": "No such objective of yours."}) from None
    return dict(
        kind=payload.kind,
        title=payload.title,
        value=payload.value,
        unit=payload.unit,
        occurred_on=payload.occurred_on,
        evidence=payload.evidence,
        objective=objective,
        credit_method=payload.credit_method,
        contributors=contributors,
        introductions=_instances(IntroductionRequest, payload.introductions, "introductions"),
        interactions=_instances(Interaction, payload.interactions, "interactions"),
    )


@router.get("/outcomes", response=list[OutcomeOut], summary="My outcomes")
def outcome_list(request: ApiRequest, objective: Id | None = None):
    """Your outcomes, newest first; ``objective``: that objective's (one you may read)."""
    found = None
    if objective is not None:
        found = selectors.access_objective(viewer=request.auth, objective_id=objective)
    return selectors.outcome_list(viewer=request.auth, objective=found)


@router.post("/outcomes", response={201: OutcomeOut}, summary="Log an outcome")
def outcome_create(request: ApiRequest, payload: OutcomeIn):
    """A result of yours with its value (money, hours saved or a 1-5 rating), date,
    evidence and what contributed; the contribution paths are derived from the links."""
    outcome = services.outcome_log(actor=request.auth, **_outcome_kwargs(request, payload))
    return selectors.access_outcome(viewer=request.auth, outcome_id=outcome.pk)


@router.get("/outcomes/{outcome_id}", response=OutcomeOut, summary="One outcome")
def outcome_detail(request: ApiRequest, outcome_id: int):
    return selectors.access_outcome(viewer=request.auth, outcome_id=outcome_id)


@router.put("/outcomes/{outcome_id}", response=OutcomeOut, summary="Change an outcome")
def outcome_update(request: ApiRequest, outcome_id: int, payload: OutcomeIn):
    outcome = selectors.access_outcome(viewer=request.auth, outcome_id=outcome_id, for_edit=True)
    services.outcome_update(
        actor=request.auth, outcome=outcome, **_outcome_kwargs(request, payload)
    )
    return selectors.access_outcome(viewer=request.auth, outcome_id=outcome.pk)


@router.delete("/outcomes/{outcome_id}", response={204: None}, summary="Delete an outcome")
def outcome_delete(request: ApiRequest, outcome_id: int):
    outcome = selectors.access_outcome(viewer=request.auth, outcome_id=outcome_id, for_edit=True)
    services.outcome_delete(actor=request.auth, outcome=outcome)
    return None


@router.get(
    "/outcomes/{outcome_id}/attribution", response=AttributionOut, summary="Who gets credit"
)
def outcome_attribution(request: ApiRequest, outcome_id: int):
    """Every attribution method side by side (declared, first touch, last touch,
    path-based Shapley), with what each means; amounts in the outcome's unit."""
    outcome = selectors.access_outcome(viewer=request.auth, outcome_id=outcome_id)
    view = selectors.outcome_attribution(viewer=request.auth, outcome=outcome)
    return {
        "outcome_id": outcome.pk,
        "value": float(outcome.value),
        "unit": outcome.unit,
        "used_method": view.used_method,
        "people": view.people,
        "methods": [
            {
                "method": c.method,
                "label": c.label,
                "explanation": c.explanation,
                "available": c.available,
                "note": c.note,
                "used_for_return": c.used_for_return,
                "people": [{"person": p, "credit": v} for p, v in c.people.items()],
                "relationships": [
                    {"person_a": r.person_a, "person_b": r.person_b, "credit": v}
                    for r, v in c.relationships.items()
                ],
            }
            for c in view.columns
        ],
    }


# ---- return on impact -------------------------------------------------------------------


@router.get("/return", response=PersonalReturnOut, summary="My return on impact")
def my_return(request: ApiRequest, months: int = selectors.TREND_MONTHS):
    """Your hours invested, the value of your outcomes and the credit you received
    per unit and per hour, the monthly trend, each relationship's return and
    give/get balance, and the leading indicators, over the last ``months`` (1-36)."""
    if not 1 <= months <= 36:
        raise ValidationError({"months": "Choose 1 to 36 months."})
    start, end = selectors.window(months=months)
    data = selectors.personal_return(viewer=request.auth, start=start, end=end)
    if data is None:
        raise NotFoundError("Not found.")
    return {
        "start": data.start,
        "end": data.end,
        "hours": data.hours,
        "owned": return_out(data.owned),
        "credited": return_out(data.credited),
        "trend": trend_points(data.points),
        "relationships": [
            {
                "other": r.other,
                "hours": r.hours,
                "by_unit": unit_returns(r.by_unit),
                "given": r.balance.given if r.balance else 0,
                "received": r.balance.received if r.balance else 0,
                "introductions_given": r.balance.introductions_given if r.balance else 0,
                "introductions_received": r.balance.introductions_received if r.balance else 0,
                "verdict": r.balance.verdict if r.balance else "none",
                "reading": r.balance.reading if r.balance else "no exchange recorded yet",
            }
            for r in data.relationships
        ],
        "leading": {
            "new_ties": data.new_ties,
            "new_stakeholder_ties": data.new_stakeholder_ties,
            "stakeholders": data.stakeholders,
            "introductions_given": data.introductions_given,
            "introductions_received": data.introductions_received,
            "reach": data.reach,
        },
    }


def _group_rows(rows) -> list[dict]:
    return [
        {
            "label": r.label,
            "people": r.people,
            "result": group_return_out(r.result, r.withheld),
            "withheld": sorted(r.withheld),
            "new_ties": r.new_ties,
            "new_ties_per_person": r.new_ties_per_person,
            "teams_reached_before": r.teams_reached_before,
            "teams_reached_now": r.teams_reached_now,
            "introductions_given": r.introductions_given,
            "introductions_received": r.introductions_received,
            "value_given": r.value_given,
            "value_received": r.value_received,
        }
        for r in rows
    ]


@router.get(
    "/dashboard/groups", response=GroupDashboardOut, summary="Return on impact by team and program"
)
def group_dashboard(request: ApiRequest, months: int = selectors.TREND_MONTHS):
    """Leaders, people analysts and admins: teams and programs at or above the
    minimum group size only (others: 404), no names."""
    if not 1 <= months <= 36:
        raise ValidationError({"months": "Choose 1 to 36 months."})
    start, end = selectors.window(months=months)
    dashboard = selectors.group_dashboard(viewer=request.auth, start=start, end=end)
    return {
        "start": dashboard.start,
        "end": dashboard.end,
        "minimum_group_size": dashboard.minimum,
        "population": dashboard.population,
        "hidden": dashboard.hidden,
        "total": group_return_out(dashboard.total, dashboard.total_withheld),
        "total_withheld": sorted(dashboard.total_withheld),
        "trend": trend_points(dashboard.points),
        "teams": _group_rows(dashboard.rows_of_team),
        "programs": _group_rows(dashboard.rows_of_program),
    }


# ---- programs ---------------------------------------------------------------------------


@router.get("/programs", response=list[ImpactProgramOut], summary="Programs I may evaluate")
def program_list(request: ApiRequest):
    """Mentoring programs whose impact you may see: your own as a program manager;
    all for leaders, people analysts and admins."""
    items = programs.programs_for(viewer=request.auth)
    if items is None:
        raise NotFoundError("Not found.")
    return items


@router.get("/programs/{program_id}", response=ProgramImpactOut, summary="A program's impact")
def program_detail(request: ApiRequest, program_id: int):
    """The latest evaluation against matched non-participants (difference in
    differences with its interval and verdict) and the program's return on impact."""
    program = programs.access_program(viewer=request.auth, program_id=program_id)
    evaluation = programs.latest_evaluation(program=program)
    withheld = programs.evaluation_withheld(run=evaluation, program=program, viewer=request.auth)
    result = programs.program_return(program=program, viewer=request.auth)
    return {
        "program": program,
        "evaluation": evaluation_out(evaluation, numbers=not withheld),
        "result": None if result is None else return_out(result),
    }


@router.post(
    "/programs/{program_id}/evaluate",
    response={201: ProgramImpactOut},
    summary="Evaluate a program",
)
def program_evaluate(request: ApiRequest, program_id: int):
    """Run the evaluation now (its program managers, people analysts, admins)."""
    program = programs.access_program(viewer=request.auth, program_id=program_id)
    if not programs.can_evaluate(viewer=request.auth, program=program):
        raise NotFoundError("Not found.")
    run = services.program_evaluate(actor=request.auth, program=program)
    withheld = programs.evaluation_withheld(run=run, program=program, viewer=request.auth)
    result = programs.program_return(program=program, viewer=request.auth)
    return {
        "program": program,
        "evaluation": evaluation_out(run, numbers=not withheld),
        "result": None if result is None else return_out(result),
    }
