"""The organizational network report: key findings, tables and plots, as HTML or PDF.

:func:`render_network_report` turns a
:class:`~bridgework.core.graph.analysis.NetworkAnalysis` into one standalone
HTML document (styles and plots inline, nothing loaded from anywhere);
:func:`write_network_report` writes it as ``.html``, or as ``.pdf`` through
WeasyPrint. ``bridgework report network`` calls the latter.

Two versions, by ``audience``:

``"leader"``
    Built only from :func:`~bridgework.core.privacy.network.group_level_view`:
    groups of at least ``minimum_group_size`` people that cannot be inferred
    from each other, and counts of people, never a name, an id or one
    person's value. The only other things read from the analysis are
    network-wide method settings (:data:`METHOD_KEYS`: whether betweenness
    was exact, its error bound, the group attribute).
``"analyst"``
    For people analysts with explicit permission: every group (no
    suppression; the report is marked restricted on every page), plus the
    top brokers, the key people and the people who bridge each silo by name.

Findings are sentences computed from the same numbers as the tables (see
``docs/reports.md`` for how they are worded). Plots are drawn with
matplotlib ``Figure`` objects (no pyplot state), under a lock, with a fixed
``svg.hashsalt``, so the same analysis gives byte-identical SVG; nothing in
the report is random.

One module per part of the work; import from here, which re-exports the
public names:

=================  ======================================================================
module             holds
=================  ======================================================================
``render``         :func:`render_network_report`, :func:`write_network_report` (HTML,
                   PDF through WeasyPrint), :data:`METHOD_KEYS`, each section's context
``findings``       the plain-language key findings; :func:`findings_for` (the
                   Organization page)
``plots``          the matplotlib figures, as inline SVG
``tables``         the group-level numbers a report is built from, for either audience
``_common``        private: numbers and names as the report writes them
=================  ======================================================================

The modules import each other directly, never this package. The template is
``analysis/templates/analysis/report.html``.

Examples
--------
>>> from datetime import UTC, datetime
>>> from bridgework.core.graph.analysis import analyze
>>> from bridgework.core.graph.network import Network
>>> net = Network.from_ties([1, 2, 3], [2, 3, 1], attributes={p: {"team": "a"} for p in (1, 2, 3)})
>>> html = render_network_report(analyze(net), audience="leader",
...                              generated_at=datetime(2025, 1, 6, tzinfo=UTC))
>>> html.startswith("<!DOCTYPE html>"), "1 team and 1 community were withheld" in html
(True, True)
"""

from bridgework.analysis.report.findings import findings_for
from bridgework.analysis.report.render import (
    METHOD_KEYS,
    render_network_report,
    write_network_report,
)

__all__ = ["METHOD_KEYS", "findings_for", "render_network_report", "write_network_report"]
