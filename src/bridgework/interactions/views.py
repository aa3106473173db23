"""Pages for logging, reading, editing and deleting interactions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bridgework.accounts import policies
from bridgework.accounts.views import in_viewer_time_zone
from bridgework.interactions import selectors, services
from bridgework.interactions.forms import InteractionForm
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
