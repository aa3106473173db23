"""Pages of the network app: "My relationships" (the portfolio), tier and nudge actions.

Views stay thin: reads through :mod:`bridgework.network.selectors` (always the
viewer's own portfolio), writes through :mod:`bridgework.network.services`.
Every action works as a normal form POST and, with htmx, swaps just the part
of the page it changed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bridgework.accounts import policies
from bridgework.network import expertise as expertise_selectors
from bridgework.network import limits, preferences, selectors, services
from bridgework.network.forms import (
    ExpertiseSearchForm,
    NetworkPreferenceForm,
    NudgeSnoozeForm,
    PortfolioFilterForm,
    PortfolioTierForm,
)
from bridgework.people.pages import viewer_person
from bridgework.web.htmx import is_htmx

PORTFOLIO_PAGE_SIZE = 100


def _back(request, default: str = "network:portfolio"):
    """Where a plain form POST returns to: its ``next`` field if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
def portfolio(request):
    """My relationships: capacity, mix, nudges and every tie ranked and explained."""
    me = viewer_person(request)
    viewer = request.user
    can_recompute = policies.can_manage_people(viewer)
    if me is None:
        return render(
            request,
            "network/portfolio.html",
            {"me": None, "can_recompute": can_recompute, "latest": selectors.recompute_latest()},
        )
    form = PortfolioFilterForm(request.GET or None)
    filters = form.filters()
    rows = selectors.portfolio(viewer=viewer, **filters)
    page = Paginator(rows, PORTFOLIO_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.form = PortfolioTierForm(
            other_id=row.other.pk,
            initial={"tier": row.tier or "", "cadence_days": row.cadence_override},
        )
    context = {
        "me": me,
        "form": form,
        "page": page,
        "filtered": any(v for k, v in filters.items() if k != "sort"),
    }
    if is_htmx(request):
        response = render(request, "network/_portfolio_results.html", context)
    else:
        context.update(
            summary=selectors.portfolio_summary(viewer=viewer),
            nudges=selectors.nudges_for(viewer=viewer),
            can_recompute=can_recompute,
            latest=selectors.recompute_latest() if can_recompute else None,
        )
        response = render(request, "network/portfolio.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@login_required
def portfolio_tier(request, person_id: int):
    """Set the tier and cadence of one of my relationships (htmx: the row comes back)."""
    viewer = request.user
    row = selectors.portfolio_row(viewer=viewer, other_id=person_id)
    form = PortfolioTierForm(request.POST, other_id=person_id)
    saved = False
    if form.is_valid():
        try:
            services.portfolio_set_tier(actor=viewer, other=row.other, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            saved = True
    if is_htmx(request):
        row = selectors.portfolio_row(viewer=viewer, other_id=person_id)
        row.form = (
            PortfolioTierForm(
                other_id=person_id,
                initial={"tier": row.tier or "", "cadence_days": row.cadence_override},
            )
            if saved
            else form
        )
        return render(request, "network/_portfolio_row.html", {"row": row, "saved": saved})
    if saved:
        messages.success(request, f"Saved: {row.other.full_name}.")
    else:
        messages.error(
            request,
            f"Not saved ({row.other.full_name}): "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return _back(request)


def _nudge_list(request, *, limit: int | None):
    nudges = selectors.nudges_for(viewer=request.user, limit=limit)
    return render(
        request,
        "network/_nudge_list.html",
        {"nudges": nudges, "limit": limit, "next": request.POST.get("next", "")},
    )


@require_POST
@login_required
def nudge_dismiss(request, pk: int):
    nudge = selectors.access_nudge(viewer=request.user, nudge_id=pk)
    services.nudge_dismiss(actor=request.user, nudge=nudge)
    form = NudgeSnoozeForm(request.POST)
    limit = form.cleaned_data.get("limit") if form.is_valid() else None
    if is_htmx(request):
        return _nudge_list(request, limit=limit)
    messages.success(request, f"Nudge about {nudge.other.full_name} dismissed.")
    return _back(request)


@require_POST
@login_required
def nudge_snooze(request, pk: int):
    """Hide a nudge for ``days`` (default two weeks)."""
    nudge = selectors.access_nudge(viewer=request.user, nudge_id=pk)
    form = NudgeSnoozeForm(request.POST)
    days = limit = None
    if form.is_valid():
        days, limit = form.cleaned_data["days"], form.cleaned_data["limit"]
    until = timezone.now() + dt.timedelta(days=days or services.SNOOZE_DAYS)
    services.nudge_snooze(actor=request.user, nudge=nudge, until=until)
    if is_htmx(request):
        return _nudge_list(request, limit=limit)
    messages.success(
        request,
        f"Nudge about {nudge.other.full_name} snoozed until {timezone.localdate(until):%d %B}.",
    )
    return _back(request)


@require_POST
@login_required
def recompute(request):
    """Queue a full recomputation of every tie (people analysts and admins)."""
    run = services.ties_recompute_start(actor=request.user, full=True, reason="web page")
    messages.success(
        request,
        f"Recomputation #{run.pk} is queued; the portfolio shows the new ties once it finishes.",
    )
    return redirect("network:portfolio")


# ---- Find expertise ------------------------------------------------------------------


@login_required
def expertise(request):
    """Find people with some expertise, ranked by expertise and by how reachable
    they are from the viewer; htmx asks for the results part only. Each search
    counts against the viewer's hourly allowance
    (:data:`~bridgework.network.limits.EXPERTISE_QUERIES`): beyond it, a 429."""
    form = ExpertiseSearchForm(request.GET or None)
    search = form.search()
    if search["query"].strip() or search["skill_id"]:
        retry_after = limits.limit_reached(request, limits.EXPERTISE_QUERIES)
        if retry_after is not None:
            return limits.too_many_page(request, limits.EXPERTISE_QUERIES, retry_after=retry_after)
    context = {
        "form": form,
        "searched": bool(search["query"] or search["skill_id"]),
        "results": expertise_selectors.expertise_search(viewer=request.user, **search),
        "has_person": request.user.person_id is not None,
    }
    template = "network/expertise_results.html" if is_htmx(request) else "network/expertise.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---- My network preferences ------------------------------------------------------------


@login_required
def network_preferences(request):
    """Whether Bridgework may suggest me as an introducer (my own choice only)."""
    viewer = request.user
    preference = preferences.network_preference(viewer=viewer)
    # An unticked box sends nothing: a POST is bound even when empty.
    form = NetworkPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"introducer_opt_out": preference.introducer_opt_out},
    )
    if request.method == "POST" and form.is_valid():
        opted_out = form.cleaned_data["introducer_opt_out"]
        preferences.network_preference_set(actor=viewer, introducer_opt_out=opted_out)
        messages.success(
            request,
            "Saved: Bridgework will not suggest you as an introducer."
            if opted_out
            else "Saved: Bridgework may suggest you as an introducer.",
        )
        return redirect("network:preferences")
    return render(request, "network/preferences.html", {"form": form, "preference": preference})
