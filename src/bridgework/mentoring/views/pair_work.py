"""What the pair does between sessions: practice plans for real conversations,
and introductions the mentor makes from their own network."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from bridgework.accounts.requests import PageRequest
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import selectors, services
from bridgework.mentoring.forms import IntroductionForm, PracticePlanForm, PracticeReflectForm
from bridgework.mentoring.models import MentoringRelationship
from bridgework.mentoring.views._common import back_to, call_service, pair_relationship
from bridgework.network import selectors as network_selectors
from bridgework.people.selectors import access_person

__all__ = ["practice_create", "practice_detail", "introduction_create"]


@login_required
def practice_create(request: PageRequest, pk: int) -> HttpResponse:
    relationship = pair_relationship(request, pk)
    form = PracticePlanForm(request.POST or None, program=relationship.program)
    if request.method == "POST" and form.is_valid():
        plan = call_service(
            form,
            services.practice_plan_create,
            actor=request.user,
            relationship=relationship,
            **form.cleaned_data,
        )
        if plan is not None:
            messages.success(
                request, "Practice plan saved. Come back after the conversation to reflect."
            )
            return redirect("mentoring:practice_detail", pk=plan.pk)
    return render(
        request, "mentoring/practice_form.html", {"form": form, "relationship": relationship}
    )


@login_required
def practice_detail(request: PageRequest, pk: int) -> HttpResponse:
    """A practice plan: the conversation, its preparation, and the reflection afterwards."""
    plan = selectors.access_practice_plan(viewer=request.user, plan_id=pk)
    form = PracticeReflectForm(
        request.POST or None,
        initial={
            "preparation": plan.preparation,
            "status": plan.status,
            "reflection": plan.reflection,
            "confidence_after": plan.confidence_after,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if call_service(
            form,
            services.practice_plan_update,
            actor=request.user,
            plan=plan,
            preparation=data["preparation"],
            status=data["status"],
            reflection=data["reflection"],
            confidence_after=data["confidence_after"],
        ):
            messages.success(request, "Practice plan saved.")
            return redirect("mentoring:practice_detail", pk=plan.pk)
    behavior = plan.relationship.program.framework_version.behavior(plan.behavior_key)
    return render(
        request,
        "mentoring/practice_detail.html",
        {"plan": plan, "form": form, "behavior": behavior, "relationship": plan.relationship},
    )


def _mentor_contacts(
    request: PageRequest, relationship: MentoringRelationship
) -> list[tuple[int, str]]:
    """The mentor's own active ties (their portfolio), except the mentee."""
    rows = network_selectors.portfolio(viewer=request.user, sort="strength")
    contacts = []
    for row in rows:
        if row.tie is None or not row.is_active or row.other.pk == relationship.mentee_id:
            continue
        where = row.other.organization.name if row.other.organization is not None else ""
        label = f"{row.other.full_name}" + (f" — {row.other.title}" if row.other.title else "")
        label += f", {where}" if where else ""
        contacts.append((row.other.pk, label))
    return contacts


@login_required
def introduction_create(request: PageRequest, pk: int) -> HttpResponse:
    """The mentor introduces the mentee to someone from the mentor's own network."""
    relationship = pair_relationship(request, pk)
    if relationship.viewer_side != "mentor":
        raise NotFoundError("Not found.")
    contacts = _mentor_contacts(request, relationship)
    form = IntroductionForm(request.POST or None, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        target = access_person(viewer=request.user, person_id=form.cleaned_data["target"])
        link = call_service(
            form,
            services.mentor_introduction_make,
            actor=request.user,
            relationship=relationship,
            target=target,
            message=form.cleaned_data["message"],
        )
        if link is not None:
            messages.success(request, f"You introduced {relationship.mentee} to {target}.")
            return back_to(relationship, "introductions")
    return render(
        request,
        "mentoring/introduction_form.html",
        {"form": form, "relationship": relationship, "has_contacts": bool(contacts)},
    )
