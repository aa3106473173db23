"""Joining a program as a mentee or a mentor with a profile, changing the
profile, withdrawing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bridgework.accounts.requests import PageRequest
from bridgework.mentoring import selectors, services
from bridgework.mentoring.forms import EnrollmentForm
from bridgework.mentoring.models import Enrollment, Program
from bridgework.mentoring.views._common import call_service, flash_errors

__all__ = ["enroll", "enrollment_edit", "enrollment_withdraw"]


@login_required
def enroll(request: PageRequest, pk: int) -> HttpResponse:
    """Join a program as a mentee or mentor (``?role=``), with a profile."""
    program = selectors.access_program(viewer=request.user, program_id=pk)
    role = request.POST.get("role") or request.GET.get("role") or Enrollment.Role.MENTEE
    if role not in Enrollment.Role.values:
        role = Enrollment.Role.MENTEE
    form = EnrollmentForm(request.POST or None, program=program, role=role)
    if request.method == "POST" and form.is_valid():
        enrollment = call_service(
            form,
            services.enrollment_create,
            actor=request.user,
            program=program,
            role=role,
            **form.service_kwargs(),
        )
        if enrollment is not None:
            messages.success(request, f"You joined {program.name} as a {role}.")
            if (
                role == Enrollment.Role.MENTEE
                and program.matching_mode == Program.MatchingMode.SELF
            ):
                return redirect("mentoring:suggestions", pk=program.pk)
            return redirect("mentoring:program_detail", pk=program.pk)
    return render(
        request,
        "mentoring/enrollment_form.html",
        {"form": form, "program": program, "role": role, "enrollment": None},
    )


@login_required
def enrollment_edit(request: PageRequest, pk: int) -> HttpResponse:
    enrollment = selectors.access_enrollment(viewer=request.user, enrollment_id=pk)
    program = enrollment.program
    form = EnrollmentForm(request.POST or None, program=program, enrollment=enrollment)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            services.enrollment_update,
            actor=request.user,
            enrollment=enrollment,
            **form.service_kwargs(),
        )
        is not None
    ):
        messages.success(request, "Profile saved.")
        return redirect("mentoring:program_detail", pk=program.pk)
    return render(
        request,
        "mentoring/enrollment_form.html",
        {"form": form, "program": program, "role": enrollment.role, "enrollment": enrollment},
    )


@require_POST
@login_required
def enrollment_withdraw(request: PageRequest, pk: int) -> HttpResponse:
    enrollment = selectors.access_enrollment(viewer=request.user, enrollment_id=pk)
    try:
        services.enrollment_withdraw(actor=request.user, enrollment=enrollment)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"{enrollment.person} withdrew from {enrollment.program.name}.")
    return redirect("mentoring:program_detail", pk=enrollment.program_id)
