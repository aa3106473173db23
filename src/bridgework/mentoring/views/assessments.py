"""An assessment: the form with the rubric for its assessor, the ratings for
the pair and program managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from bridgework.accounts.requests import PageRequest
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import selectors, services
from bridgework.mentoring.forms import AssessmentForm
from bridgework.mentoring.views._common import call_service

__all__ = ["assessment_detail"]


@login_required
def assessment_detail(request: PageRequest, pk: int) -> HttpResponse:
    """An assessment: the form with the rubric for its assessor; the ratings for the pair
    and program managers (without the assessor's notes for the latter)."""
    assessment = selectors.access_assessment(viewer=request.user, assessment_id=pk)
    form = None
    if assessment.viewer_can_fill:
        form = AssessmentForm(request.POST or None, version=assessment.framework_version)
        if (
            request.method == "POST"
            and form.is_valid()
            and call_service(
                form,
                services.assessment_submit,
                actor=request.user,
                assessment=assessment,
                **form.service_kwargs(),
            )
            is not None
        ):
            messages.success(request, "Assessment submitted. Thank you.")
            pair = assessment.relationship
            if pair is not None and pair.side_of(request.user.person_id):
                return redirect("mentoring:relationship_detail", pk=pair.pk)
            return redirect("mentoring:home")
    elif request.method == "POST":
        raise NotFoundError("Not found.")
    ratings = (
        {r.behavior_key: r for r in assessment.ratings.all()} if assessment.is_submitted else {}
    )
    rows = [
        {
            "behavior": behavior,
            "rating": ratings.get(behavior["key"]),
            "rubric_text": next(
                (
                    row["description"]
                    for row in behavior["rubric"]
                    if ratings.get(behavior["key"])
                    and row["level"] == ratings[behavior["key"]].level
                ),
                "",
            ),
        }
        for behavior in assessment.framework_version.behaviors
    ]
    latest = assessment.framework_version.framework.latest_version
    return render(
        request,
        "mentoring/assessment_detail.html",
        {
            "assessment": assessment,
            "form": form,
            "rows": rows,
            "newer_version": latest
            if latest and latest.pk != assessment.framework_version_id
            else None,
        },
        status=422 if form is not None and form.errors else 200,
    )
