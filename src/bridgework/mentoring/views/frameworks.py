"""Behavior frameworks: the list, one framework's behaviors and rubrics, loading
one from YAML and editing it (which adds a version)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from bridgework.accounts import policies
from bridgework.accounts.requests import PageRequest
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import selectors, services
from bridgework.mentoring.forms import FrameworkYamlForm
from bridgework.mentoring.frameworks import dump_framework
from bridgework.mentoring.views._common import call_service

__all__ = ["framework_list", "framework_detail", "framework_import", "framework_edit"]


@login_required
def framework_list(request: PageRequest) -> HttpResponse:
    return render(
        request,
        "mentoring/framework_list.html",
        {
            "frameworks": selectors.framework_list(viewer=request.user),
            "can_manage": policies.can_manage_mentoring(request.user),
        },
    )


@login_required
def framework_detail(request: PageRequest, pk: int) -> HttpResponse:
    """A framework's behaviors, rubrics and exercises; ``?version=N`` for an older one."""
    framework = selectors.access_framework(viewer=request.user, framework_id=pk)
    versions = list(framework.versions.order_by("-number"))
    wanted = request.GET.get("version", "")
    version = next(
        (v for v in versions if str(v.number) == wanted), versions[0] if versions else None
    )
    if version is None:
        raise NotFoundError("Not found.")
    return render(
        request,
        "mentoring/framework_detail.html",
        {
            "framework": framework,
            "version": version,
            "versions": versions,
            "can_manage": policies.can_manage_mentoring(request.user),
        },
    )


@login_required
def framework_import(request: PageRequest) -> HttpResponse:
    """Load a framework of a program's own from a YAML file (or pasted YAML)."""
    if not policies.can_manage_mentoring(request.user):
        raise NotFoundError("Not found.")
    form = FrameworkYamlForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = call_service(
            form,
            services.framework_version_create,
            actor=request.user,
            text=form.text(),
            note=form.cleaned_data["note"],
        )
        if version is not None:
            messages.success(request, f"Framework “{version.framework.name}” loaded.")
            return redirect("mentoring:framework_detail", pk=version.framework_id)
    return render(request, "mentoring/framework_form.html", {"form": form, "framework": None})


@login_required
def framework_edit(request: PageRequest, pk: int) -> HttpResponse:
    """Edit a framework as YAML: saving adds a version (old assessments keep theirs).
    ``?program=<id>`` moves that program to the new version."""
    if not policies.can_manage_mentoring(request.user):
        raise NotFoundError("Not found.")
    framework = selectors.access_framework(viewer=request.user, framework_id=pk)
    latest = framework.latest_version
    program_id = request.POST.get("program") or request.GET.get("program")
    program = (
        selectors.access_program(viewer=request.user, program_id=int(program_id), manage=True)
        if program_id and str(program_id).isdigit()
        else None
    )
    form = FrameworkYamlForm(
        request.POST or None,
        request.FILES or None,
        initial={"content": dump_framework(latest.content) if latest else ""},
    )
    if request.method == "POST" and form.is_valid():
        version = call_service(
            form,
            services.framework_version_create,
            actor=request.user,
            text=form.text(),
            framework=framework,
            note=form.cleaned_data["note"],
            program=program,
        )
        if version is not None:
            messages.success(request, f"Saved as version {version.number}.")
            if program is not None:
                return redirect("mentoring:program_detail", pk=program.pk)
            return redirect("mentoring:framework_detail", pk=framework.pk)
    return render(
        request,
        "mentoring/framework_form.html",
        {"form": form, "framework": framework, "latest": latest, "program": program},
    )
