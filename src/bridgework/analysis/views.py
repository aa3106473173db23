"""Pages of the analysis app: the organization's network (groups) and, for
permission holders, the people behind it; maps as JSON; the report.

Views stay thin: every read goes through :mod:`bridgework.analysis.selectors`,
which applies the privacy rules; writes through :mod:`bridgework.analysis.services`.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bridgework.accounts import policies
from bridgework.analysis import selectors, services
from bridgework.analysis.report import findings_for, render_network_report, write_network_report
from bridgework.core.errors import NotFoundError
from bridgework.core.exports import csv_writer
from bridgework.web.security import standalone_document


def _heat_rows(matrix) -> list[dict]:
    """Rows of the heat map: each cell with its count and a colour strength 0-1 (log scale)."""
    if matrix is None or matrix.empty:
        return []
    values = matrix.values
    off_diagonal = [
        v for i, row in enumerate(values) for j, v in enumerate(row) if i != j and v == v
    ]
    peak = max(off_diagonal + [1.0])
    rows = []
    for i, name in enumerate(matrix.index):
        cells = []
        for j, column in enumerate(matrix.columns):
            value = float(values[i][j])
            if math.isnan(value):  # withheld: fewer than the minimum hold the team's outside ties
                cells.append(
                    {
                        "value": None,
                        "level": 0.0,
                        "inside": False,
                        "title": f"{name} - {column}: not shown",
                    }
                )
                continue
            level = 0.0 if value <= 0 else math.log1p(value) / math.log1p(peak)
            cells.append(
                {
                    "value": int(value),
                    "level": round(min(level, 1.0), 2),
                    "inside": i == j,
                    "title": f"{name} - {column}: {int(value)} ties",
                }
            )
        rows.append({"name": name, "cells": cells})
    return rows


@login_required
def organization(request):
    """The organization's network, by group: brokers, silos, risk, open talent."""
    viewer = request.user
    try:
        run, view = selectors.group_view(viewer=viewer)
    except NotFoundError:
        raise Http404 from None
    context = {
        "run": run,
        "view": view,
        "active": selectors.active_run(),
        "can_run": policies.can_run_analysis(viewer),
        "can_see_people": policies.can_view_individual_metrics(viewer),
        "heat_rows": _heat_rows(view.matrix if view is not None else None),
    }
    if view is not None:
        context["findings"] = findings_for(view, methods=run.summary)
    return render(request, "analysis/organization.html", context)


@login_required
def people(request):
    """Individual metrics for permission holders: the people map, brokers, key people."""
    try:
        run, result = selectors.individual_analysis(viewer=request.user)
    except NotFoundError:
        raise Http404 from None
    context = {"run": run, "result": result, "active": selectors.active_run()}
    if result is not None:
        frame = result.people
        context["brokers"] = result.brokers(top=15).to_dict("records")
        risky = frame[(frame["people_cut_off"] > 0) | (frame["group_links_lost"] > 0)]
        context["key_people"] = (
            risky.sort_values(
                ["people_cut_off", "people_losing_a_group", "group_links_lost"], ascending=False
            )
            .head(15)
            .to_dict("records")
        )
        context["silos"] = result.silos.to_dict("records")
        labels = dict(zip(frame["person"], frame["label"], strict=True))
        for silo in context["silos"]:
            silo["bridgers"] = [
                {**b, "label": labels.get(b["person"], b["person"])} for b in silo["bridgers"]
            ]
    return render(request, "analysis/people.html", context)


@login_required
def people_csv(request):
    """Every person's metrics in the latest run, as CSV (permission holders)."""
    try:
        run, result = selectors.individual_analysis(viewer=request.user)
    except NotFoundError:
        raise Http404 from None
    if result is None:
        raise Http404
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="network-metrics-run-{run.pk}.csv"'
    frame = result.people.drop(columns=[c for c in ("x", "y") if c in result.people])
    # Names and teams are typed by people: none may run as a formula in a spreadsheet.
    writer = csv_writer(response)
    writer.writerow(frame.columns)
    writer.writerows(frame.itertuples(index=False))
    return response


@login_required
@require_POST
def run_start(request):
    if not policies.can_run_analysis(request.user):
        raise Http404
    run = services.analysis_start(actor=request.user)
    messages.success(request, f"Network analysis #{run.pk} is {run.get_status_display().lower()}.")
    return redirect("analysis:organization")


@login_required
def run_status(request):
    """The progress card (htmx polls it while a run is active)."""
    if not policies.can_view_group_network(request.user):
        raise Http404
    return render(
        request,
        "analysis/_run_status.html",
        {"active": selectors.active_run(), "run": selectors.latest_run()},
    )


@login_required
def map_json(request, kind: str):
    try:
        if kind == "groups":
            data = selectors.group_map(viewer=request.user)
        elif kind == "people":
            data = selectors.people_map(viewer=request.user)
        else:
            raise Http404
    except NotFoundError:
        raise Http404 from None
    return JsonResponse(data)


@login_required
def ego_json(request, person_id: int):
    try:
        data = selectors.ego_map(viewer=request.user, person_id=person_id)
    except NotFoundError:
        raise Http404 from None
    return JsonResponse(data)


@login_required
@standalone_document
def report(request, fmt: str):
    """The network report as HTML or PDF: the leader version, or the analyst
    version (names included) for permission holders who ask for it."""
    audience = request.GET.get("audience", "leader")
    if audience not in ("leader", "analyst") or fmt not in ("html", "pdf"):
        raise Http404
    try:
        run, result = selectors.report_analysis(viewer=request.user, audience=audience)
    except NotFoundError:
        raise Http404 from None
    if run is None or result is None:
        raise Http404
    options = {
        "audience": audience,
        "minimum_group_size": settings.PRIVACY_MIN_GROUP_SIZE,
        "viewer": selectors.viewer_person(request.user),
        "computed_at": run.finished_at,
    }
    if fmt == "html":
        return HttpResponse(render_network_report(result, **options))
    with tempfile.TemporaryDirectory() as folder:
        path = write_network_report(result, Path(folder) / "report.pdf", **options)
        response = HttpResponse(path.read_bytes(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="network-report-{audience}.pdf"'
    return response
