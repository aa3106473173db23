"""The relationship page and what is posted from it: answering a request,
ending, the agreement and network sharing, the fit check, action items (swapped
in place with htmx) and asking for an assessment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from bridgework.accounts.requests import PageRequest
from bridgework.mentoring import selectors, services
from bridgework.mentoring.forms import (
    ActionItemForm,
    AgreementForm,
    AssessmentRequestForm,
    EndForm,
    FitCheckForm,
)
from bridgework.mentoring.models import MentoringRelationship
from bridgework.mentoring.views._common import (
    back_to,
    call_service,
    flash_errors,
    is_htmx,
    local_today,
    pair_relationship,
)

__all__ = [
    "relationship_detail",
    "relationship_respond",
    "relationship_end",
    "agreement_edit",
    "agreement_confirm",
    "agreement_sharing",
    "fit_check",
    "action_item_create",
    "action_item_toggle",
    "assessment_request",
]


def _relationship_context(
    request: PageRequest, relationship: MentoringRelationship, **forms: Form
) -> dict[str, Any]:
    page = selectors.relationship_page(
        viewer=request.user, relationship=relationship, today=local_today()
    )
    program = relationship.program
    context = {"page": page, "relationship": relationship, "program": program}
    if page.is_pair and relationship.is_live:
        agreement = page.agreement
        agreed = (
            {
                "goals": agreement.goals,
                "cadence_days": agreement.cadence_days,
                "meeting_format": agreement.meeting_format,
                "confidentiality": agreement.confidentiality,
            }
            if agreement is not None
            else {}
        )
        context.update(
            agreement_form=forms.get("agreement_form") or AgreementForm(initial=agreed),
            action_form=forms.get("action_form") or ActionItemForm(),
            assessment_form=forms.get("assessment_form")
            or AssessmentRequestForm(exclude=(relationship.mentee_id, relationship.mentor_id)),
            fit_form=forms.get("fit_form")
            or FitCheckForm(
                initial={
                    "fit": page.my_fit_check.fit if page.my_fit_check else None,
                    "wants_rematch": page.my_fit_check.wants_rematch
                    if page.my_fit_check
                    else False,
                }
            ),
        )
    context["end_form"] = EndForm()
    return context


@login_required
def relationship_detail(request: PageRequest, pk: int) -> HttpResponse:
    relationship = selectors.access_relationship(viewer=request.user, relationship_id=pk)
    return render(
        request, "mentoring/relationship_detail.html", _relationship_context(request, relationship)
    )


def _render_with(
    request: PageRequest, relationship: MentoringRelationship, status: int = 200, **forms: Form
) -> HttpResponse:
    return render(
        request,
        "mentoring/relationship_detail.html",
        _relationship_context(request, relationship, **forms),
        status=status,
    )


@require_POST
@login_required
def relationship_respond(request: PageRequest, pk: int) -> HttpResponse:
    relationship = pair_relationship(request, pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.relationship_respond(actor=request.user, relationship=relationship, accept=accept)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, "You accepted: welcome to the pair." if accept else "You declined."
        )
    return back_to(relationship)


@require_POST
@login_required
def relationship_end(request: PageRequest, pk: int) -> HttpResponse:
    relationship = selectors.access_relationship(viewer=request.user, relationship_id=pk)
    form = EndForm(request.POST)
    form.is_valid()
    try:
        services.relationship_end(
            actor=request.user,
            relationship=relationship,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "The relationship has ended.")
    return back_to(relationship)


@require_POST
@login_required
def agreement_edit(request: PageRequest, pk: int) -> HttpResponse:
    relationship = pair_relationship(request, pk)
    form = AgreementForm(request.POST)
    if (
        form.is_valid()
        and call_service(
            form,
            services.agreement_update,
            actor=request.user,
            relationship=relationship,
            **form.cleaned_data,
        )
        is not None
    ):
        messages.success(request, "Agreement saved; the other side is asked to agree to it.")
        return back_to(relationship, "agreement")
    return _render_with(request, relationship, status=422, agreement_form=form)


@require_POST
@login_required
def agreement_confirm(request: PageRequest, pk: int) -> HttpResponse:
    relationship = pair_relationship(request, pk)
    services.agreement_confirm(actor=request.user, relationship=relationship)
    messages.success(request, "You agreed to the agreement.")
    return back_to(relationship, "agreement")


@require_POST
@login_required
def agreement_sharing(request: PageRequest, pk: int) -> HttpResponse:
    relationship = pair_relationship(request, pk)
    share = request.POST.get("share") == "1"
    try:
        services.agreement_set_network_sharing(
            actor=request.user, relationship=relationship, share=share
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            "Your mentor now sees how your network changes."
            if share
            else "Your network is no longer shared with your mentor.",
        )
    return back_to(relationship, "network")


@require_POST
@login_required
def fit_check(request: PageRequest, pk: int) -> HttpResponse:
    relationship = pair_relationship(request, pk)
    form = FitCheckForm(request.POST)
    if (
        form.is_valid()
        and call_service(
            form,
            services.fit_check_submit,
            actor=request.user,
            relationship=relationship,
            **form.cleaned_data,
        )
        is not None
    ):
        messages.success(request, "Thank you: the program manager sees your answer.")
        return back_to(relationship, "fit")
    return _render_with(request, relationship, status=422, fit_form=form)


def _action_items_response(
    request: PageRequest,
    relationship: MentoringRelationship,
    form: ActionItemForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.relationship_page(
        viewer=request.user, relationship=relationship, today=local_today()
    )
    return render(
        request,
        "mentoring/_action_items.html",
        {"page": page, "relationship": relationship, "action_form": form or ActionItemForm()},
        status=status,
    )


@require_POST
@login_required
def action_item_create(request: PageRequest, pk: int) -> HttpResponse:
    relationship = pair_relationship(request, pk)
    form = ActionItemForm(request.POST)
    created = None
    if form.is_valid():
        data = form.cleaned_data
        owner = relationship.mentee if data["owner"] == "mentee" else relationship.mentor
        created = call_service(
            form,
            services.action_item_create,
            actor=request.user,
            relationship=relationship,
            title=data["title"],
            owner=owner,
            due_on=data["due_on"],
        )
    if is_htmx(request):
        response = _action_items_response(
            request, relationship, form=None if created else form, status=200 if created else 422
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if created:
        messages.success(request, "Action item added.")
        return back_to(relationship, "actions")
    return _render_with(request, relationship, status=422, action_form=form)


@require_POST
@login_required
def action_item_toggle(request: PageRequest, pk: int) -> HttpResponse:
    item = selectors.access_action_item(viewer=request.user, item_id=pk)
    services.action_item_set_done(
        actor=request.user, item=item, done=request.POST.get("done") == "1"
    )
    relationship = selectors.access_relationship(
        viewer=request.user, relationship_id=item.relationship_id
    )
    if is_htmx(request):
        response = _action_items_response(request, relationship)
        patch_vary_headers(response, ["HX-Request"])
        return response
    return back_to(relationship, "actions")


@require_POST
@login_required
def assessment_request(request: PageRequest, pk: int) -> HttpResponse:
    relationship = pair_relationship(request, pk)
    form = AssessmentRequestForm(
        request.POST, exclude=(relationship.mentee_id, relationship.mentor_id)
    )
    if form.is_valid():
        assessment = call_service(
            form,
            services.assessment_request,
            actor=request.user,
            relationship=relationship,
            **form.cleaned_data,
        )
        if assessment is not None:
            if assessment.assessor_id == request.user.person_id:
                return redirect("mentoring:assessment_detail", pk=assessment.pk)
            messages.success(request, f"{assessment.assessor} is asked for the assessment.")
            return back_to(relationship, "assessments")
    return _render_with(request, relationship, status=422, assessment_form=form)
