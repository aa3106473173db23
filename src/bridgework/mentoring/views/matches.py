"""Matching: the program manager's review (run, fix or veto pairs, publish) and
the mentee's ranked suggestions under self-matching."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bridgework.accounts.requests import PageRequest
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import selectors, services
from bridgework.mentoring.forms import OverrideForm, RequestMentorForm
from bridgework.mentoring.models import Enrollment
from bridgework.mentoring.views._common import call_service, flash_errors
from bridgework.people.selectors import access_person

__all__ = [
    "matching",
    "matching_run",
    "matching_override",
    "override_remove",
    "matching_publish",
    "suggestions",
    "suggestion_request",
]


@login_required
def matching(
    request: PageRequest, pk: int, override_form: OverrideForm | None = None
) -> HttpResponse:
    """Review the proposed matches with their explanations and score parts, fix or
    veto pairs, re-run, publish."""
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    review = selectors.matching_review(viewer=request.user, program=program)
    return render(
        request,
        "mentoring/matching.html",
        {
            "program": program,
            "review": review,
            "override_form": override_form or OverrideForm(program=program),
        },
    )


@require_POST
@login_required
def matching_run(request: PageRequest, pk: int) -> HttpResponse:
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    try:
        run = services.matching_run(actor=request.user, program=program)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            f"Proposed {run.matches.count()} match{'es' if run.matches.count() != 1 else ''} "
            f"(total score {run.total_score:.2f}); {len(run.unmatched)} mentee"
            f"{'s' if len(run.unmatched) != 1 else ''} unmatched.",
        )
    return redirect("mentoring:matching", pk=program.pk)


@require_POST
@login_required
def matching_override(request: PageRequest, pk: int) -> HttpResponse:
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    form = OverrideForm(request.POST, program=program)
    if form.is_valid():
        override = call_service(
            form,
            services.match_override_set,
            actor=request.user,
            program=program,
            **form.cleaned_data,
        )
        if override is not None:
            messages.success(request, f"{override}. Run matching again to see the effect.")
            return redirect("mentoring:matching", pk=program.pk)
    return matching(request, pk, override_form=form)


@require_POST
@login_required
def override_remove(request: PageRequest, pk: int, override_id: int) -> HttpResponse:
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    override = program.overrides.filter(pk=override_id).select_related("mentee__person").first()
    if override is None:
        raise NotFoundError("Not found.")
    services.match_override_remove(actor=request.user, override=override)
    messages.success(request, "Override removed.")
    return redirect("mentoring:matching", pk=program.pk)


@require_POST
@login_required
def matching_publish(request: PageRequest, pk: int) -> HttpResponse:
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    run = program.matching_runs.filter(pk=request.POST.get("run") or 0).first()
    if run is None:
        raise NotFoundError("Not found.")
    try:
        created = services.matching_publish(actor=request.user, run=run)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("mentoring:matching", pk=program.pk)
    messages.success(
        request, f"Published: {len(created)} pair{'s' if len(created) != 1 else ''} told by e-mail."
    )
    return redirect("mentoring:program_dashboard", pk=program.pk)


@login_required
def suggestions(
    request: PageRequest, pk: int, form: RequestMentorForm | None = None
) -> HttpResponse:
    """Self-matching: my ranked mentor suggestions, each explained; ask one."""
    program = selectors.access_program(viewer=request.user, program_id=pk)
    mine = selectors.my_enrollment(
        viewer=request.user, program=program, role=Enrollment.Role.MENTEE
    )
    current = [
        r
        for r in selectors.relationship_list(viewer=request.user, program=program, side="mentee")
        if r.is_live
    ]
    return render(
        request,
        "mentoring/suggestions.html",
        {
            "program": program,
            "enrolled": any(e.is_active for e in mine),
            "current": current,
            "suggestions": []
            if current
            else selectors.mentor_suggestions(viewer=request.user, program=program),
            "form": form,
        },
    )


@require_POST
@login_required
def suggestion_request(request: PageRequest, pk: int) -> HttpResponse:
    program = selectors.access_program(viewer=request.user, program_id=pk)
    form = RequestMentorForm(request.POST)
    if form.is_valid():
        mentor = access_person(viewer=request.user, person_id=form.cleaned_data["mentor"])
        relationship = call_service(
            form,
            services.relationship_request,
            actor=request.user,
            program=program,
            mentor=mentor,
            message=form.cleaned_data["message"],
        )
        if relationship is not None:
            messages.success(request, f"Your request is with {mentor}.")
            return redirect("mentoring:relationship_detail", pk=relationship.pk)
    return suggestions(request, pk, form=form)
