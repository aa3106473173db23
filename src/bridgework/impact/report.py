"""The impact report: one standalone HTML document (styles and charts inline), or a PDF.

Two versions, by ``audience``:

``"personal"``
    The viewer's own return on impact: results and credit per unit against
    the hours invested, the monthly trend, leading indicators, their
    objectives with each plan's progress, their outcomes, and the give/get
    balance of their relationships.
``"leader"``
    Return on impact by team and program from
    :func:`~bridgework.impact.selectors.group_dashboard` only: groups at or
    above the minimum size (not counting the reader) that cannot be inferred
    from each other, counts and sums that at least that many people make,
    never a name; the programs' evaluation verdicts in words (left out where
    the means would rest on too few people besides the reader).

The PDF is drawn by WeasyPrint (as the network report,
``analysis/report.py``); without it or its Pango library a ``RuntimeError``
says what to install.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime

from django.template.loader import render_to_string

from bridgework.accounts.models import User
from bridgework.core.impact.records import UNITS
from bridgework.impact import programs, selectors
from bridgework.web import charts

__all__ = ["render_impact_report", "html_to_pdf"]

UNIT_WORDS = {"money": "money", "hours": "hours saved", "rating": "rating points"}


def render_impact_report(
    *, viewer: User, audience: str, generated_at: datetime | None = None
) -> str:
    """The report for ``viewer`` as HTML (``audience``: ``personal`` or ``leader``).

    The selectors apply the same rules as the pages: the personal report is
    the viewer's own; the leader report needs
    :func:`~bridgework.accounts.policies.can_view_impact_by_group`.
    """
    generated_at = generated_at or datetime.now(UTC)
    if audience == "personal":
        context = _personal(viewer)
    elif audience == "leader":
        context = _leader(viewer)
    else:
        raise ValueError("audience must be 'personal' or 'leader'")
    return render_to_string(
        "impact/report.html", {**context, "audience": audience, "generated_at": generated_at}
    )


def _personal(viewer: User) -> dict:
    data = selectors.personal_return(viewer=viewer)
    lists = selectors.objective_list(viewer=viewer)
    plans = [
        selectors.objective_plan(viewer=viewer, objective=o, with_paths=False)
        for o in lists.mine
        if o.is_active
    ]
    for plan in plans:
        plan.proposals = []
    return {
        "title": "Return on impact",
        "data": data,
        "plans": plans,
        "charts": [
            charts.monthly(
                data.points,
                unit=unit,
                title=f"Credit to you per month ({UNIT_WORDS[unit]}) and hours invested",
                value_label=UNIT_WORDS[unit],
            )
            for unit in UNITS
            if data is not None and data.credited.by_unit[unit].outcomes
        ],
    }


def _leader(viewer: User) -> dict:
    dashboard = selectors.group_dashboard(viewer=viewer)
    evaluations = [
        (program, programs.latest_evaluation(program=program))
        for program in (programs.programs_for(viewer=viewer) or [])
    ]
    # An evaluation whose means rest on too few people besides the viewer is left out.
    evaluations = [
        (program, run)
        for program, run in evaluations
        if not programs.evaluation_withheld(run=run, program=program, viewer=viewer)
    ]
    return {
        "title": "Return on impact by team and program",
        "dashboard": dashboard,
        "evaluations": [(p, e) for p, e in evaluations if e is not None],
        "charts": [
            charts.monthly(
                dashboard.points,
                unit=unit,
                title=f"Organization: {UNIT_WORDS[unit]} per month and hours invested",
                value_label=UNIT_WORDS[unit],
            )
            for unit in UNITS
            if dashboard.total.by_unit[unit].outcomes
        ],
    }


def _charts_as_images(html: str) -> str:
    """Each inline chart as an ``<img>`` of the same SVG (WeasyPrint's SVG renderer
    then draws it, as in ``analysis/report.py``)."""

    def image(match: re.Match) -> str:
        data = base64.b64encode(match.group(0).encode("utf-8")).decode("ascii")
        return f'<img class="chart" alt="" src="data:image/svg+xml;base64,{data}">'

    return re.sub(r'<svg class="chart".*?</svg>', image, html, flags=re.DOTALL)


def _pdf_writer():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango's shared libraries not found
        raise RuntimeError(
            "PDF reports need WeasyPrint and its Pango text layout library, which could not "
            f"be loaded ({exc}). Install the Python package (`pip install weasyprint`) and "
            "the system libraries: on Debian or Ubuntu `apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0`; for other systems see "
            "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html. "
            "The HTML report works without them."
        ) from exc

    def write(html: str) -> bytes:
        return weasyprint.HTML(string=_charts_as_images(html)).write_pdf()

    return write


def html_to_pdf(html: str) -> bytes:
    """The report as PDF bytes (``RuntimeError`` when WeasyPrint cannot be loaded)."""
    return _pdf_writer()(html)
