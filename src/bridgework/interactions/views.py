"""Pages for logging, reading, editing and deleting interactions, and for imports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from bridgework.accounts import policies
from bridgework.accounts.views import in_viewer_time_zone
from bridgework.core.errors import NotFoundError
from bridgework.interactions import selectors, services
from bridgework.interactions.forms import ImportForm, InteractionForm
from bridgework.interactions.models import ImportRun
from bridgework.people.selectors import visible_note


def _with_param(request) -> list[int]:
    value = request.GET.get("with", "")
    return [int(value)] if value.isdigit() else []


def _can_change(user, interaction) -> bool:
    return interaction.logged_by_id == user.pk or policies.can_see_everyones_records(user)


def _self_if_not_added(viewer) -> list[int]:
    """Managers are not added to what they log; preselect their own person."""
    if viewer.person_id is not None and policies.can_manage_people(viewer):
        return [viewer.person_id]
    return []


@login_required
@in_viewer_time_zone
def interaction_create(request):
    """Log an interaction (``?with=<person id>`` picks a participant)."""
    viewer = request.user
    form = InteractionForm(
        request.POST or None,
        viewer=viewer,
        initial={
            "occurred_at": InteractionForm.now(),
            "participants": _with_param(request) or _self_if_not_added(viewer),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            interaction = services.interaction_log(actor=viewer, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Interaction logged.")
            return redirect("interactions:detail", pk=interaction.pk)
    return render(request, "interactions/interaction_form.html", {"form": form})


@login_required
@in_viewer_time_zone
def interaction_detail(request, pk: int):
    interaction = selectors.access_interaction(viewer=request.user, interaction_id=pk)
    return render(
        request,
        "interactions/interaction_detail.html",
        {"interaction": interaction, "can_change": _can_change(request.user, interaction)},
    )


@login_required
@in_viewer_time_zone
def interaction_edit(request, pk: int):
    viewer = request.user
    interaction = selectors.access_interaction(viewer=viewer, interaction_id=pk, for_edit=True)
    is_author = interaction.logged_by_id == viewer.pk
    form = InteractionForm(
        request.POST or None,
        viewer=viewer,
        allow_note=is_author,
        initial={
            "channel": interaction.channel,
            "occurred_at": interaction.occurred_at,
            "duration_minutes": interaction.duration_minutes,
            "participants": [p.pk for p in interaction.participants.all()],
            "private_note": visible_note(viewer=viewer, obj=interaction) or "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_update(
                actor=viewer, interaction=interaction, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Interaction saved.")
            return redirect("interactions:detail", pk=interaction.pk)
    return render(
        request,
        "interactions/interaction_form.html",
        {"form": form, "interaction": interaction},
    )


@require_POST
@login_required
def interaction_delete(request, pk: int):
    interaction = selectors.access_interaction(
        viewer=request.user, interaction_id=pk, for_edit=True
    )
    services.interaction_delete(actor=request.user, interaction=interaction)
    messages.success(request, "Interaction deleted.")
    return redirect("people:home")


HISTORY_PAGE_SIZE = 25


@login_required
@in_viewer_time_zone
def import_start(request):
    """Upload files to import, and the history of imports the viewer may see."""
    viewer = request.user
    formats = selectors.import_formats(viewer=viewer)
    if not formats:
        raise NotFoundError("Not found.")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        formats=formats,
        all_options=policies.can_manage_people(viewer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = services.import_start(
                actor=viewer, origin=ImportRun.Origin.WEB, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return redirect("interactions:import_detail", pk=run.pk)
    page = Paginator(selectors.import_run_list(viewer=viewer), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "interactions/import_start.html",
        {
            "form": form,
            "page": page,
            "sees_everyone": policies.can_manage_people(viewer),
            "max_upload_mb": settings.IMPORT_MAX_UPLOAD_BYTES // 2**20,
        },
    )


def _run_context(run: ImportRun, *, shown: str = "") -> dict:
    report = run.report or {}
    return {
        "run": run,
        "shown": shown if shown in ImportRun.Status.values else "",
        "report": report,
        "issues_left_out": max(0, report.get("issue_count", 0) - len(report.get("issues", []))),
    }


@login_required
@in_viewer_time_zone
def import_detail(request, pk: int):
    """One import: live progress while it runs, then its report."""
    run = selectors.access_import_run(viewer=request.user, run_id=pk)
    return render(request, "interactions/import_detail.html", _run_context(run))


@require_GET
@login_required
@in_viewer_time_zone
def import_progress(request, pk: int):
    """The progress (and, once finished, the report) partial the detail page polls."""
    run = selectors.access_import_run(viewer=request.user, run_id=pk)
    return render(
        request,
        "interactions/_import_status.html",
        _run_context(run, shown=request.GET.get("shown", "")),
    )
