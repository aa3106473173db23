"""The mentoring home page (my programs, my relationships, what is overdue), and
programs: the list, creating and editing one, its page, opening or closing
enrollment, opening an assessment round, finishing it, its dashboard and report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bridgework.accounts import policies
from bridgework.accounts.requests import PageRequest
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import selectors, services
from bridgework.mentoring.forms import ProgramForm, RoundOpenForm
from bridgework.mentoring.views._common import call_service, flash_errors, local_today

__all__ = [
    "home",
    "program_list",
    "program_create",
    "program_edit",
    "program_detail",
    "program_enrollment",
    "program_finish",
    "program_round_open",
    "program_dashboard",
    "program_report",
]


@login_required
def home(request: PageRequest) -> HttpResponse:
    """My programs, my mentoring relationships, what is overdue, enrollment open."""
    return render(
        request,
        "mentoring/home.html",
        {
            "home": selectors.mentoring_home(viewer=request.user, today=local_today()),
            "can_manage": policies.can_manage_mentoring(request.user),
        },
    )


@login_required
def program_list(request: PageRequest) -> HttpResponse:
    return render(
        request,
        "mentoring/program_list.html",
        {
            "programs": selectors.program_list(viewer=request.user),
            "can_manage": policies.can_manage_mentoring(request.user),
        },
    )


@login_required
def program_create(request: PageRequest) -> HttpResponse:
    if not policies.can_manage_mentoring(request.user):
        raise NotFoundError("Not found.")
    form = ProgramForm(request.POST or None, initial={"start_date": local_today()})
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        program = call_service(
            form,
            services.program_create,
            actor=request.user,
            name=data.pop("name"),
            goal=data.pop("goal"),
            start_date=data.pop("start_date"),
            **data,
        )
        if program is not None:
            messages.success(request, f"Program “{program.name}” created as a draft.")
            return redirect("mentoring:program_detail", pk=program.pk)
    return render(request, "mentoring/program_form.html", {"form": form, "program": None})


@login_required
def program_edit(request: PageRequest, pk: int) -> HttpResponse:
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    form = ProgramForm(request.POST or None, program=program)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            services.program_update,
            actor=request.user,
            program=program,
            **form.service_kwargs(),
        )
        is not None
    ):
        messages.success(request, "Program saved.")
        return redirect("mentoring:program_detail", pk=program.pk)
    return render(request, "mentoring/program_form.html", {"form": form, "program": program})


@login_required
def program_detail(request: PageRequest, pk: int) -> HttpResponse:
    """The program, how to join it, and (program managers) who is enrolled."""
    viewer = request.user
    program = selectors.access_program(viewer=viewer, program_id=pk)
    manager = policies.can_manage_mentoring(viewer)
    mine = selectors.my_enrollment(viewer=viewer, program=program)
    active_roles = {e.role for e in mine if e.is_active}
    context = {
        "program": program,
        "can_manage": manager,
        "mine": mine,
        "active_roles": active_roles,
        "my_relationships": selectors.relationship_list(viewer=viewer, program=program)
        if not manager
        else [],
        "can_mentor": viewer.has_role("mentor") or manager,
        "behaviors": program.framework_version.behaviors,
    }
    if manager:
        context.update(
            enrollments=selectors.program_enrollments(viewer=viewer, program=program),
            relationships=selectors.relationships_for_program(viewer=viewer, program=program),
            round_form=RoundOpenForm(),
        )
    return render(request, "mentoring/program_detail.html", context)


@require_POST
@login_required
def program_enrollment(request: PageRequest, pk: int) -> HttpResponse:
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    opening = request.POST.get("open") == "1"
    try:
        services.program_set_enrollment(actor=request.user, program=program, open=opening)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "Enrollment is open." if opening else "Enrollment is closed.")
    return redirect("mentoring:program_detail", pk=program.pk)


@require_POST
@login_required
def program_finish(request: PageRequest, pk: int) -> HttpResponse:
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    services.program_finish(actor=request.user, program=program)
    messages.success(request, "The program has finished: its final report is ready.")
    return redirect("mentoring:program_report", pk=program.pk)


@require_POST
@login_required
def program_round_open(request: PageRequest, pk: int) -> HttpResponse:
    """Ask every active pair for their self and mentor assessments of a round."""
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    form = RoundOpenForm(request.POST)
    if form.is_valid():
        try:
            count = services.assessment_round_open(
                actor=request.user, program=program, **form.cleaned_data
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, f"{count} assessment{'s' if count != 1 else ''} requested.")
    else:
        messages.error(request, "Choose a round.")
    return redirect("mentoring:program_detail", pk=program.pk)


@login_required
def program_dashboard(request: PageRequest, pk: int) -> HttpResponse:
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    return render(
        request,
        "mentoring/dashboard.html",
        {
            "board": selectors.program_dashboard(
                viewer=request.user, program=program, today=local_today()
            )
        },
    )


@login_required
def program_report(request: PageRequest, pk: int) -> HttpResponse:
    """The program's report, printable: participation, cadence, growth, feedback, pairs."""
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    board = selectors.program_dashboard(viewer=request.user, program=program, today=local_today())
    runs = list(program.matching_runs.exclude(status="superseded").order_by("created_at", "id"))
    return render(
        request,
        "mentoring/report.html",
        {"board": board, "program": program, "runs": runs, "generated_at": timezone.now()},
    )
