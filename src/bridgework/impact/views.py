"""Pages of the impact app: objectives and their plans, outcomes and their
attribution, my return on impact, return on impact by team and program, the report.

Views stay thin: reads through :mod:`bridgework.impact.selectors` (which
apply the privacy rules), writes through :mod:`bridgework.impact.services`.
Every page works as plain HTML forms; with htmx, plan actions swap just the
plan.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from bridgework.accounts import policies
from bridgework.accounts.requests import PageRequest
from bridgework.core.impact.records import UNITS
from bridgework.impact import programs, report, selectors, services
from bridgework.impact.forms import (
    BaseContributorFormSet,
    ContributorFormSet,
    ObjectiveForm,
    OutcomeForm,
    PeriodForm,
    ShareForm,
    StakeholderAddForm,
    StakeholderEditForm,
)
from bridgework.impact.models import EvaluationResult, Objective, Outcome
from bridgework.mentoring.models import Program
from bridgework.network import limits
from bridgework.people.models import Team
from bridgework.people.pages import viewer_person
from bridgework.web import charts
from bridgework.web.htmx import is_htmx
from bridgework.web.security import standalone_document

UNIT_WORDS = {"money": "money", "hours": "hours saved", "rating": "rating points"}


def _errors_text(form: forms.BaseForm) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _own_team(request: PageRequest) -> Team | None:
    me = viewer_person(request)
    return me.team if me is not None else None


def _managed_programs(request: PageRequest) -> QuerySet[Program] | None:
    """Programs the viewer may set objectives for (program managers), or None."""
    return selectors.objective_program_choices(viewer=request.user)


# ---- objectives -----------------------------------------------------------------------


@login_required
def objectives(request: PageRequest) -> HttpResponse:
    """My objectives, my team's, and the ones shared with me; my outcomes."""
    lists = selectors.objective_list(viewer=request.user)
    outcomes = selectors.outcome_list(viewer=request.user)[:10]
    return render(
        request,
        "impact/objectives.html",
        {
            "lists": lists,
            "outcomes": outcomes,
            "has_person": request.user.person_id is not None,
            "can_see_groups": policies.can_view_impact_by_group(request.user),
            "can_see_programs": programs.programs_for(viewer=request.user) is not None,
        },
    )


@login_required
def objective_create(request: PageRequest) -> HttpResponse:
    team = _own_team(request)
    form = ObjectiveForm(request.POST or None, team=team, programs=_managed_programs(request))
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, "Objective saved. Bridgework proposes stakeholders for its plan below."
            )
            return redirect("impact:objective_detail", pk=objective.pk)
    return render(request, "impact/objective_form.html", {"form": form, "objective": None})


@login_required
def objective_edit(request: PageRequest, pk: int) -> HttpResponse:
    objective = selectors.access_objective(viewer=request.user, objective_id=pk, for_edit=True)
    initial = {
        "title": objective.title,
        "why": objective.why,
        "success_measure": objective.success_measure,
        "target_date": objective.target_date,
        "started_on": objective.started_on,
        "scope": objective.scope,
        "program": objective.program_id,
        "status": objective.status,
        "needed_skills": list(objective.needed_skills.all()),
        "needed_organizations": list(objective.needed_organizations.all()),
    }
    team = objective.team or _own_team(request)
    form = ObjectiveForm(
        request.POST or None,
        initial=initial,
        editing=True,
        team=team,
        programs=_managed_programs(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(
                actor=request.user, objective=objective, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Objective saved.")
            return redirect("impact:objective_detail", pk=objective.pk)
    return render(request, "impact/objective_form.html", {"form": form, "objective": objective})


@require_POST
@login_required
def objective_delete(request: PageRequest, pk: int) -> HttpResponse:
    objective = selectors.access_objective(viewer=request.user, objective_id=pk, for_edit=True)
    title = objective.title
    services.objective_delete(actor=request.user, objective=objective)
    messages.success(request, f"Objective “{title}” deleted; its outcomes are kept.")
    return redirect("impact:objectives")


def _share_form(
    request: PageRequest, objective: Objective, data: QueryDict | None = None
) -> ShareForm:
    people = selectors.share_candidates(viewer=request.user, objective=objective)
    teams = selectors.share_team_choices(viewer=request.user, objective=objective)
    return ShareForm(data, mentors=people.order_by("full_name", "id"), teams=teams)


def _edit_form(row: selectors.PlanRow) -> StakeholderEditForm | None:
    """The form that changes a stakeholder of the plan (None for a proposal)."""
    stakeholder = row.stakeholder
    if stakeholder is None:
        return None
    return StakeholderEditForm(
        stakeholder_id=stakeholder.pk,
        initial={
            "target_strength": stakeholder.target_strength,
            "cadence_days": stakeholder.cadence_days,
            "next_step": stakeholder.next_step,
        },
    )


def _plan_context(request: PageRequest, objective: Objective, **extra: Any) -> dict[str, Any]:
    """The plan; its warm paths count as one introduction path look-up of the owner
    (network/limits.py), and beyond the hour's allowance the plan shows without them."""
    paths_withheld = ""
    if objective.owner_id == request.user.person_id:
        retry_after = limits.limit_reached(request, limits.PATH_QUERIES)
        if retry_after is not None:
            paths_withheld = "Warm paths are not shown. " + limits.PATH_QUERIES.message(
                retry_after=retry_after
            )
    plan = selectors.objective_plan(
        viewer=request.user, objective=objective, with_paths=not paths_withheld
    )
    extra.setdefault("paths_withheld", paths_withheld)
    plan_rows = [(row, _edit_form(row)) for row in plan.rows]
    return {"objective": objective, "plan": plan, "plan_rows": plan_rows, **extra}


@login_required
def objective_detail(request: PageRequest, pk: int) -> HttpResponse:
    """The objective and its relationship plan: stakeholders with strength, gap,
    best warm path, cadence and next step; proposals; progress from the events;
    its outcomes and return."""
    objective = selectors.access_objective(viewer=request.user, objective_id=pk)
    context = _plan_context(request, objective)
    plan = context["plan"]
    result, points = selectors.objective_return(objective=objective)
    context.update(
        outcomes=selectors.outcome_list(viewer=request.user, objective=objective),
        result=result,
        charts=[
            (
                unit,
                charts.monthly(
                    points,
                    unit=unit,
                    title=f"{objective.title}: {UNIT_WORDS[unit]} to date and hours with stakeholders",
                    value_label=UNIT_WORDS[unit],
                ),
            )
            for unit in UNITS
            if result.by_unit[unit].outcomes
        ],
        add_form=StakeholderAddForm(),
        share_form=_share_form(request, objective) if plan.is_owner else None,
        shares=list(objective.shares.select_related("person", "team")) if plan.is_owner else [],
    )
    shared_with = {share.person_id for share in context["shares"]}
    context["mentors"] = (
        [m for m in programs.mentors_of(objective.owner_id) if m.pk not in shared_with]
        if plan.is_owner
        else []
    )
    if is_htmx(request):
        response = render(request, "impact/_plan.html", {**context, "htmx": True})
    else:
        response = render(request, "impact/objective_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back_to_plan(request: PageRequest, objective: Objective) -> HttpResponse:
    if is_htmx(request):
        return render(
            request,
            "impact/_plan.html",
            _plan_context(request, objective, htmx=True, add_form=StakeholderAddForm()),
        )
    return redirect(reverse("impact:objective_detail", args=[objective.pk]) + "#plan")


@require_POST
@login_required
def objective_share(request: PageRequest, pk: int) -> HttpResponse:
    objective = selectors.access_objective(viewer=request.user, objective_id=pk, for_edit=True)
    form = _share_form(request, objective, request.POST)
    if form.is_valid():
        try:
            share = services.objective_share(
                actor=request.user,
                objective=objective,
                person=form.cleaned_data["person"],
                team=form.cleaned_data["team"],
            )
        except ValidationError as exc:
            messages.error(request, "Not shared: " + " ".join(exc.messages))
        else:
            messages.success(request, f"Shared with {share.person or share.team} (read-only).")
    else:
        messages.error(request, "Not shared: " + _errors_text(form))
    return redirect(reverse("impact:objective_detail", args=[objective.pk]) + "#sharing")


@require_POST
@login_required
def share_remove(request: PageRequest, pk: int) -> HttpResponse:
    share = selectors.access_share(viewer=request.user, share_id=pk)
    objective_id = share.objective_id
    services.objective_unshare(actor=request.user, share=share)
    messages.success(request, "No longer shared.")
    return redirect(reverse("impact:objective_detail", args=[objective_id]) + "#sharing")


# ---- the plan -------------------------------------------------------------------------


@require_POST
@login_required
def stakeholder_add(request: PageRequest, pk: int) -> HttpResponse:
    """Accept a proposed stakeholder or add someone to the plan by hand.

    The plan shows a warm path to each stakeholder, so each addition counts as
    one introduction path look-up against the hourly allowance (429 beyond it).
    """
    objective = selectors.access_objective(viewer=request.user, objective_id=pk, for_edit=True)
    retry_after = limits.limit_reached(request, limits.PATH_QUERIES)
    if retry_after is not None:
        return limits.too_many_page(request, limits.PATH_QUERIES, retry_after=retry_after)
    form = StakeholderAddForm(request.POST)
    if form.is_valid():
        try:
            stakeholder = services.stakeholder_add(
                actor=request.user, objective=objective, **form.service_kwargs()
            )
        except ValidationError as exc:
            messages.error(request, "Not added: " + " ".join(exc.messages))
        else:
            messages.success(request, f"{stakeholder.person} is in the plan.")
    else:
        messages.error(request, "Not added: " + _errors_text(form))
    return _back_to_plan(request, objective)


@require_POST
@login_required
def stakeholder_edit(request: PageRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.access_stakeholder(viewer=request.user, stakeholder_id=pk)
    form = StakeholderEditForm(request.POST, stakeholder_id=pk)
    if form.is_valid():
        try:
            services.stakeholder_update(
                actor=request.user, stakeholder=stakeholder, **form.service_kwargs()
            )
        except ValidationError as exc:
            messages.error(request, "Not saved: " + " ".join(exc.messages))
        else:
            messages.success(request, f"Saved: {stakeholder.person}.")
    else:
        messages.error(request, f"Not saved ({stakeholder.person}): " + _errors_text(form))
    return _back_to_plan(request, stakeholder.objective)


@require_POST
@login_required
def stakeholder_remove(request: PageRequest, pk: int) -> HttpResponse:
    stakeholder = selectors.access_stakeholder(viewer=request.user, stakeholder_id=pk)
    services.stakeholder_remove(actor=request.user, stakeholder=stakeholder)
    messages.success(request, f"{stakeholder.person} is out of the plan.")
    return _back_to_plan(request, stakeholder.objective)


# ---- outcomes -------------------------------------------------------------------------


def _outcome_forms(
    request: PageRequest, *, outcome: Outcome | None = None
) -> tuple[OutcomeForm, BaseContributorFormSet]:
    linked = [i.pk for i in outcome.interactions.all()] if outcome is not None else []
    choices = selectors.outcome_link_choices(viewer=request.user, linked=linked)
    initial, contributors = {}, []
    if outcome is not None:
        initial = {
            "kind": outcome.kind,
            "title": outcome.title,
            "value": outcome.value,
            "unit": outcome.unit,
            "occurred_on": outcome.occurred_on,
            "evidence": outcome.evidence,
            "objective": outcome.objective_id,
            "credit_method": outcome.credit_method,
            "introductions": [r.pk for r in outcome.introductions.all()],
            "interactions": [i.pk for i in outcome.interactions.all()],
        }
        contributors = [
            {"person": c.person_id, "via": c.via_id, "share": c.share}
            for c in outcome.contributors.all()
        ]
    else:
        objective_id = request.GET.get("objective", "")
        if objective_id.isdigit():
            initial["objective"] = int(objective_id)
        initial["credit_method"] = "shapley"
    data = request.POST if request.method == "POST" else None
    form = OutcomeForm(data, initial=initial, choices=choices)
    formset = ContributorFormSet(data, initial=contributors, prefix="contributors")
    return form, formset


def _save_outcome(
    request: PageRequest,
    form: OutcomeForm,
    formset: BaseContributorFormSet,
    *,
    outcome: Outcome | None = None,
) -> Outcome | None:
    if not (form.is_valid() and formset.is_valid()):
        return None
    kwargs = form.service_kwargs(formset.contributors())
    try:
        if outcome is None:
            return services.outcome_log(actor=request.user, **kwargs)
        return services.outcome_update(actor=request.user, outcome=outcome, **kwargs)
    except ValidationError as exc:
        form.add_service_error(exc)
        return None


@login_required
def outcome_create(request: PageRequest) -> HttpResponse:
    """Log an outcome with what contributed (``?objective=<id>`` links an objective)."""
    if request.user.person_id is None:
        raise Http404
    form, formset = _outcome_forms(request)
    if request.method == "POST":
        outcome = _save_outcome(request, form, formset)
        if outcome is not None:
            messages.success(request, "Outcome logged. Here is who gets credit for it, four ways.")
            return redirect("impact:outcome_detail", pk=outcome.pk)
    return render(
        request, "impact/outcome_form.html", {"form": form, "formset": formset, "outcome": None}
    )


@login_required
def outcome_edit(request: PageRequest, pk: int) -> HttpResponse:
    outcome = selectors.access_outcome(viewer=request.user, outcome_id=pk, for_edit=True)
    form, formset = _outcome_forms(request, outcome=outcome)
    if request.method == "POST":
        saved = _save_outcome(request, form, formset, outcome=outcome)
        if saved is not None:
            messages.success(request, "Outcome saved.")
            return redirect("impact:outcome_detail", pk=saved.pk)
    return render(
        request,
        "impact/outcome_form.html",
        {"form": form, "formset": formset, "outcome": outcome},
    )


@require_POST
@login_required
def outcome_delete(request: PageRequest, pk: int) -> HttpResponse:
    outcome = selectors.access_outcome(viewer=request.user, outcome_id=pk, for_edit=True)
    services.outcome_delete(actor=request.user, outcome=outcome)
    messages.success(request, "Outcome deleted.")
    return redirect("impact:objectives")


@login_required
def outcome_detail(request: PageRequest, pk: int) -> HttpResponse:
    """An outcome and its attribution: every method side by side, explained."""
    outcome = selectors.access_outcome(viewer=request.user, outcome_id=pk)
    view = selectors.outcome_attribution(viewer=request.user, outcome=outcome)
    return render(
        request,
        "impact/outcome_detail.html",
        {
            "outcome": outcome,
            "view": view,
            "is_owner": outcome.owner_id == request.user.person_id,
        },
    )


# ---- return on impact -------------------------------------------------------------------


@login_required
def my_return(request: PageRequest) -> HttpResponse:
    """My return on impact: value per hour by unit, leading indicators, the monthly
    trend, and each relationship's return and give/get balance."""
    period = PeriodForm(request.GET or None)
    months = period.months_or(selectors.TREND_MONTHS)
    start, end = selectors.window(months=months)
    data = selectors.personal_return(viewer=request.user, start=start, end=end)
    context: dict[str, Any] = {"period": period, "data": data, "months": months}
    if data is not None:
        context["charts"] = [
            (
                unit,
                charts.monthly(
                    data.points,
                    unit=unit,
                    title=f"Credit to you per month ({UNIT_WORDS[unit]}) and your hours invested",
                    value_label=UNIT_WORDS[unit],
                ),
            )
            for unit in UNITS
            if data.credited.by_unit[unit].outcomes or data.owned.by_unit[unit].outcomes
        ]
    return render(request, "impact/my_return.html", context)


@login_required
def groups(request: PageRequest) -> HttpResponse:
    """Return on impact by team and program, for leaders, people analysts and admins."""
    if not policies.can_view_impact_by_group(request.user):
        raise Http404
    period = PeriodForm(request.GET or None)
    months = period.months_or(selectors.TREND_MONTHS)
    start, end = selectors.window(months=months)
    dashboard = selectors.group_dashboard(viewer=request.user, start=start, end=end)
    return render(
        request,
        "impact/groups.html",
        {"period": period, "dashboard": dashboard, **_group_charts(dashboard)},
    )


def _group_charts(dashboard: selectors.GroupDashboard) -> dict[str, Any]:
    trend_charts = [
        (
            unit,
            charts.monthly(
                dashboard.points,
                unit=unit,
                title=f"Organization: {UNIT_WORDS[unit]} per month and hours invested",
                value_label=UNIT_WORDS[unit],
            ),
        )
        for unit in UNITS
        if dashboard.total.by_unit[unit].outcomes
    ]
    per_hour = []
    for unit in UNITS:
        rows = [
            (row.label, row.result.by_unit[unit].per_hour)
            for row in dashboard.rows_of("team")
            if row.result.hours > 0 and row.per_hour_shown(unit)
        ]
        if any(value for _, value in rows):
            per_hour.append(
                (
                    unit,
                    charts.bars(
                        rows,
                        title=f"{UNIT_WORDS[unit].capitalize()} per hour invested, by team",
                        unit="per hour",
                    ),
                )
            )
    return {"trend_charts": trend_charts, "per_hour_charts": per_hour}


@login_required
def program_list(request: PageRequest) -> HttpResponse:
    """Mentoring programs' evaluation and return on impact (program managers: their own)."""
    items = programs.programs_for(viewer=request.user)
    if items is None:
        raise Http404
    return render(request, "impact/programs.html", {"programs": items})


def _interval_chart(item: EvaluationResult) -> SafeString | None:
    """The estimate and its interval, for a result that is a finding."""
    if not item.is_finding:
        return None
    return charts.interval(
        effect=item.effect,
        low=item.ci_low,
        high=item.ci_high,
        title=f"Difference in {item.measure_label} against similar non-participants",
        label="Difference",
    )


@login_required
def program_detail(request: PageRequest, pk: int) -> HttpResponse:
    """One program: the evaluation against a comparison group (DiD with interval
    and verdict) and the program's return on impact."""
    program = programs.access_program(viewer=request.user, program_id=pk)
    run = programs.latest_evaluation(program=program)
    withheld = programs.evaluation_withheld(run=run, program=program, viewer=request.user)
    results = list(run.results.all()) if run is not None and not withheld else []
    primary = next((r for r in results if r.measure == programs.PRIMARY_MEASURE), None)
    context = {
        "program": program,
        "run": run,
        "results": results,
        "primary": primary,
        "primary_chart": _interval_chart(primary) if primary is not None else None,
        "any_finding": any(r.is_finding for r in results),
        "notes": list(dict.fromkeys(n for r in results if r.is_finding for n in r.notes or [])),
        "result": programs.program_return(program=program, viewer=request.user),
        "evaluation_withheld": withheld,
        "minimum": settings.PRIVACY_MIN_GROUP_SIZE,
        "can_evaluate": programs.can_evaluate(viewer=request.user, program=program),
    }
    return render(request, "impact/program_detail.html", context)


@require_POST
@login_required
def program_evaluate(request: PageRequest, pk: int) -> HttpResponse:
    program = programs.access_program(viewer=request.user, program_id=pk)
    if not programs.can_evaluate(viewer=request.user, program=program):
        raise Http404
    try:
        services.program_evaluate(actor=request.user, program=program)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Evaluated: the results below are new.")
    return redirect("impact:program_detail", pk=program.pk)


# ---- the report -------------------------------------------------------------------------


@login_required
@standalone_document
def impact_report(request: PageRequest, fmt: str) -> HttpResponse:
    """The impact report as HTML or PDF: ``?audience=personal`` (my own) or
    ``leader`` (groups only, for those who see return on impact by group)."""
    audience = request.GET.get("audience", "personal")
    if fmt not in ("html", "pdf") or audience not in ("personal", "leader"):
        raise Http404
    if audience == "leader" and not policies.can_view_impact_by_group(request.user):
        raise Http404
    if audience == "personal" and request.user.person_id is None:
        raise Http404
    html = report.render_impact_report(viewer=request.user, audience=audience)
    if fmt == "html":
        return HttpResponse(html)
    response = HttpResponse(report.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="impact-report-{audience}.pdf"'
    return response
