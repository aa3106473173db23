"""Pages for logging, reading, editing and deleting interactions, and for imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from bridgework.accounts import policies
from bridgework.core.errors import NotFoundError
from bridgework.core.ingest.pipeline import accounting
from bridgework.interactions import selectors, services
from bridgework.interactions.forms import (
    ImportForm,
    InteractionForm,
    IntroductionAskForm,
    IntroductionOutcomeForm,
    IntroductionResponseForm,
    IntroductionTargetForm,
)
from bridgework.interactions.models import ImportRun
from bridgework.interactions.uploads import upload_refusal
from bridgework.network import limits
from bridgework.people import selectors as people_selectors
from bridgework.people.models import Organization
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
def interaction_detail(request, pk: int):
    interaction = selectors.access_interaction(viewer=request.user, interaction_id=pk)
    return render(
        request,
        "interactions/interaction_detail.html",
        {"interaction": interaction, "can_change": _can_change(request.user, interaction)},
    )


@login_required
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
def import_start(request):
    """Upload files to import, and the history of imports the viewer may see.

    An upload over the viewer's limit was stopped while it streamed in
    (:mod:`bridgework.interactions.uploads`): the form says so, with status 413.
    """
    viewer = request.user
    formats = selectors.import_formats(viewer=viewer)
    if not formats:
        raise NotFoundError("Not found.")
    refusal = upload_refusal(request) if request.method == "POST" else None
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        formats=formats,
        all_options=policies.can_manage_people(viewer),
    )
    status = 200
    if refusal is not None:
        form.is_valid()  # the other fields' own errors, if any
        form.errors["files"] = form.error_class([refusal.message])
        status = 413
    elif request.method == "POST" and form.is_valid():
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
            "max_upload_mb": services.upload_limit(viewer) // 2**20,
        },
        status=status,
    )


def _run_context(run: ImportRun, *, shown: str = "") -> dict:
    report = run.report or {}
    return {
        "run": run,
        "shown": shown if shown in ImportRun.Status.values else "",
        "report": report,
        "accounting": accounting(report),
        "issues_left_out": max(0, report.get("issue_count", 0) - len(report.get("issues", []))),
    }


@login_required
def import_detail(request, pk: int):
    """One import: live progress while it runs, then its report."""
    run = selectors.access_import_run(viewer=request.user, run_id=pk)
    return render(request, "interactions/import_detail.html", _run_context(run))


@require_GET
@login_required
def import_progress(request, pk: int):
    """The progress (and, once finished, the report) partial the detail page polls."""
    run = selectors.access_import_run(viewer=request.user, run_id=pk)
    return render(
        request,
        "interactions/_import_status.html",
        _run_context(run, shown=request.GET.get("shown", "")),
    )


# -- warm introductions ---------------------------------------------------------------


@login_required
def introduction_list(request):
    """Introductions I asked for, and those asked of me (with what to do next)."""
    viewer = request.user
    return render(
        request,
        "interactions/introduction_list.html",
        {
            "has_person": viewer.person_id is not None,
            "sent": selectors.introduction_list(viewer=viewer, role="sent"),
            "received": selectors.introduction_list(viewer=viewer, role="received"),
        },
    )


def _digits(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


def _chosen_target(viewer, *, person_id: int | None, organization_id: int | None):
    """The person (read through the people selectors) or organization asked about, or None."""
    if person_id is not None:
        return people_selectors.access_person(viewer=viewer, person_id=person_id)
    if organization_id is not None:
        organization = people_selectors.organization_list().filter(pk=organization_id).first()
        if organization is None:
            raise NotFoundError("Not found.")
        return organization
    return None


def _paths_to(viewer, target) -> list[dict]:
    if target is None:
        return []
    if isinstance(target, Organization):
        return selectors.introduction_paths(viewer=viewer, target_organization_id=target.pk)
    return selectors.introduction_paths(viewer=viewer, target_person_id=target.pk)


@login_required
def introduction_create(request):
    """Choose whom to meet (``?person=<id>`` or ``?organization=<id>``), see the best
    paths there, and ask the first person on one of them for an introduction.

    Each look at paths and each ask counts against the viewer's hourly
    allowance of path queries (:data:`~bridgework.network.limits.PATH_QUERIES`):
    beyond it, a 429 page."""
    viewer = request.user
    params = request.POST if request.method == "POST" else request.GET
    person_id = _digits(params.get("person", ""))
    organization_id = None if person_id else _digits(params.get("organization", ""))
    target = _chosen_target(viewer, person_id=person_id, organization_id=organization_id)
    if target is not None:
        retry_after = limits.limit_reached(request, limits.PATH_QUERIES)
        if retry_after is not None:
            return limits.too_many_page(request, limits.PATH_QUERIES, retry_after=retry_after)
    target_form = IntroductionTargetForm(
        initial={"person": person_id, "organization": organization_id}, viewer=viewer
    )
    ask_form = IntroductionAskForm(request.POST) if request.method == "POST" else None
    if ask_form is not None and target is not None and ask_form.is_valid():
        try:
            intro = services.introduction_request(
                actor=viewer,
                target=target,
                path_person_ids=ask_form.cleaned_data["path"],
                message=ask_form.cleaned_data["message"],
            )
        except ValidationError as exc:
            ask_form.add_service_error(exc)
        else:
            messages.success(request, f"Your request is with {intro.via}.")
            return redirect("interactions:introduction_detail", pk=intro.pk)
    return render(
        request,
        "interactions/introduction_form.html",
        {
            "target_form": target_form,
            "target": target,
            "target_is_organization": isinstance(target, Organization),
            "paths": _paths_to(viewer, target),
            "ask_form": ask_form,
            "asked_path": ask_form.data.get("path", "") if ask_form is not None else "",
            "has_person": viewer.person_id is not None,
        },
    )


def _introduction_page(request, intro, *, response_form=None, outcome_form=None, status=200):
    me = request.user.person_id
    is_via, is_requester = intro.via_id == me, intro.requester_id == me
    can_respond = is_via and intro.is_pending
    can_record_outcome = intro.is_answered_yes
    return render(
        request,
        "interactions/introduction_detail.html",
        {
            "intro": intro,
            "path_people": selectors.introduction_path_people(intro),
            "is_via": is_via,
            "is_requester": is_requester,
            "response_form": (response_form or IntroductionResponseForm()) if can_respond else None,
            "outcome_form": (
                (outcome_form or IntroductionOutcomeForm(initial={"outcome": intro.outcome}))
                if can_record_outcome
                else None
            ),
            "can_withdraw": is_requester and intro.is_pending,
        },
        status=status,
    )


@login_required
def introduction_detail(request, pk: int):
    """One request: the ask, the path (names only), the answer and the outcome."""
    intro = selectors.access_introduction(viewer=request.user, request_id=pk)
    return _introduction_page(request, intro)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _about_status(exc: ValidationError) -> bool:
    """The request moved on (answered, withdrawn) while the page was open: no form to fix."""
    return "status" in getattr(exc, "error_dict", {})


@require_POST
@login_required
def introduction_respond(request, pk: int):
    """The via person accepts or declines (the button pressed), with a note."""
    intro = selectors.access_introduction(viewer=request.user, request_id=pk)
    form = IntroductionResponseForm(request.POST)
    if form.is_valid():
        try:
            services.introduction_respond(
                actor=request.user, request=intro, **form.service_kwargs()
            )
        except ValidationError as exc:
            if _about_status(exc):
                messages.error(request, _error_text(exc))
                return redirect("interactions:introduction_detail", pk=intro.pk)
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                f"You accepted: the introduction of {intro.requester} to {intro.target} is "
                "recorded."
                if intro.is_answered_yes
                else f"You declined. {intro.requester} will hear from Bridgework.",
            )
            return redirect("interactions:introduction_detail", pk=intro.pk)
    return _introduction_page(request, intro, response_form=form)


@require_POST
@login_required
def introduction_withdraw(request, pk: int):
    intro = selectors.access_introduction(viewer=request.user, request_id=pk)
    try:
        services.introduction_withdraw(actor=request.user, request=intro)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Request withdrawn.")
    return redirect("interactions:introduction_detail", pk=intro.pk)


@require_POST
@login_required
def introduction_outcome(request, pk: int):
    """The requester or the via person notes what came of an accepted introduction."""
    intro = selectors.access_introduction(viewer=request.user, request_id=pk)
    form = IntroductionOutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.introduction_record_outcome(
                actor=request.user, request=intro, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as exc:
            if _about_status(exc):
                messages.error(request, _error_text(exc))
                return redirect("interactions:introduction_detail", pk=intro.pk)
            form.add_service_error(exc)
        else:
            messages.success(request, "Outcome saved.")
            return redirect("interactions:introduction_detail", pk=intro.pk)
    return _introduction_page(request, intro, outcome_form=form)
