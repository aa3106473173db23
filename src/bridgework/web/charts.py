"""Small charts drawn as inline SVG on the server: no script, no CDN, printable.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
that say in words what it shows; pages put the same numbers in a table beside
it (the fallback for screen readers and for copying). Colours are set as SVG
attributes (not CSS), so the PDF reports draw them the same. How a chart
shrinks to fit (``svg.chart``: ``max-width: 100%; height: auto``) is in the
stylesheets (``app.css`` and each report's own), not in a ``style``
attribute, which the pages' Content-Security-Policy refuses.

Return on impact (the impact app; Okabe-Ito colours, readable with every
common colour-vision deficiency):

* :func:`bars` — values by label, as horizontal bars;
* :func:`monthly` — a value per month, as a line;
* :func:`interval` — an estimate with its interval (program evaluation).

Mentoring progress (the mentoring app):

* :func:`behavior_chart` — one behavior's levels (1-5) over the assessment
  rounds, one line per kind of assessor (self, mentor, peer), each with its
  own colour, marker and dash so they differ without colour too;
* :func:`growth_chart` — per behavior, the average level at the first
  assessment and now, as a dot and an arrow ("dumbbell" rows).

The network report's charts are matplotlib figures
(:mod:`bridgework.analysis.report.plots`).

>>> import datetime as dt
>>> svg = bars([("Alpha", 3.0), ("Beta", 1.5)], title="Value per hour", unit="per hour")
>>> svg.startswith('<svg class="chart"') and "Alpha" in svg and "</svg>" in svg
True
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = [
    "BLUE",
    "GREY",
    "ORANGE",
    "SERIES",
    "bars",
    "behavior_chart",
    "growth_chart",
    "interval",
    "monthly",
    "number",
]


# ---- Return on impact ------------------------------------------------------------

BLUE, ORANGE, VERMILLION, GREY, INK = "#0072B2", "#E69F00", "#D55E00", "#9A9A9A", "#1f2933"
_FONT = 'font-family="system-ui, sans-serif" font-size="11"'
_ids = itertools.count(1)


def number(value: float | None, *, digits: int = 2) -> str:
    """``1,500``, ``12.5``, ``0.75``; ``—`` for None."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _open(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    ident = f"chart-{next(_ids)}"
    head = (
        f'<svg class="chart" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
    )
    return head, ident


def bars(
    rows: Sequence[tuple[str, float | None]],
    *,
    title: str,
    unit: str = "",
    color: str = BLUE,
    width: int = 560,
) -> SafeString:
    """Horizontal bars, one per ``(label, value)``; None draws no bar ("no data")."""
    bar, gap, label_width = 18, 8, 170
    height = max(40, len(rows) * (bar + gap) + 30)
    peak = _nice_max(max((v for _, v in rows if v is not None), default=0.0))
    plot = width - label_width - 70
    described = "; ".join(f"{label}: {number(v)}{' ' + unit if unit else ''}" for label, v in rows)
    head, _ = _open(width, height, title, described or "No data.")
    parts = [head]
    for i, (label, value) in enumerate(rows):
        y = 10 + i * (bar + gap)
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar - 5}" text-anchor="end" fill="{INK}" '
            f"{_FONT}>{escape(short)}</text>"
        )
        if value is None:
            parts.append(
                f'<text x="{label_width + 4}" y="{y + bar - 5}" fill="{GREY}" {_FONT}>no data</text>'
            )
            continue
        length = 0 if peak <= 0 else max(0.0, value) / peak * plot
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" fill="{color}"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 5}" fill="{INK}" {_FONT}>'
            f"{escape(number(value))}</text>"
        )
    axis_y = 10 + len(rows) * (bar + gap)
    parts.append(
        f'<line x1="{label_width}" y1="4" x2="{label_width}" y2="{axis_y}" stroke="{GREY}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def monthly(
    points: Sequence,
    *,
    unit: str,
    title: str,
    value_label: str,
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """A month-by-month chart of one unit: bars for the value, a line for the hours.

    ``points`` are :class:`~bridgework.core.impact.roi.TrendPoint` records
    (any units: only ``unit`` is drawn); the hours have their own scale on
    the right.
    """
    series = [p for p in points if p.unit == unit]
    left, right, top, bottom = 56, 56, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak_value = _nice_max(max((p.value for p in series), default=0.0))
    peak_hours = _nice_max(max((p.hours for p in series), default=0.0))
    described = "; ".join(
        f"{p.month:%b %Y}: {number(p.value)} {value_label}, {number(p.hours)} hours" for p in series
    )
    head, _ = _open(width, height, title, described or "No months to show.")
    parts = [head]
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e3e7ea"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{BLUE}" {_FONT}>'
            f"{escape(number(peak_value * fraction))}</text>"
        )
        parts.append(
            f'<text x="{width - right + 6}" y="{y + 4:.1f}" fill="{ORANGE}" {_FONT}>'
            f"{escape(number(peak_hours * fraction))} h</text>"
        )
    n = max(1, len(series))
    slot = plot_w / n
    line = []
    for i, point in enumerate(series):
        x = left + i * slot
        h = 0 if peak_value <= 0 else point.value / peak_value * plot_h
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{top + plot_h - h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{BLUE}"/>'
        )
        hy = top + plot_h - (0 if peak_hours <= 0 else point.hours / peak_hours * plot_h)
        line.append(f"{x + slot / 2:.1f},{hy:.1f}")
        if n <= 12 or i % 2 == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'fill="{INK}" {_FONT}>{point.month:%b}</text>'
            )
        if point.month.month == 1 or i == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 30}" text-anchor="middle" '
                f'fill="{GREY}" {_FONT}>{point.month:%Y}</text>'
            )
    if line:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{ORANGE}" stroke-width="2"/>'
        )
        for xy in line:
            cx, cy = xy.split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{ORANGE}"/>')
    parts.append(
        f'<text x="{left}" y="{top - 4}" fill="{BLUE}" {_FONT}>{escape(value_label)}</text>'
        f'<text x="{width - right}" y="{top - 4}" text-anchor="end" fill="{ORANGE}" {_FONT}>'
        "hours invested</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def interval(
    *,
    effect: float | None,
    low: float | None,
    high: float | None,
    title: str,
    label: str = "Difference",
    width: int = 560,
    height: int = 90,
) -> SafeString:
    """An estimate with its interval on a horizontal axis, zero marked: does the
    interval cross zero?"""
    if effect is None or low is None or high is None:
        head, _ = _open(width, 30, title, "No estimate to draw.")
        return mark_safe(head + "</svg>")  # noqa: S308 - the head escapes its texts
    span = max(abs(low), abs(high), abs(effect), 1e-9) * 1.25
    left, right = 40, width - 40

    def x(value: float) -> float:
        return left + (value + span) / (2 * span) * (right - left)

    desc = f"{label} {number(effect)}, interval {number(low)} to {number(high)}; " + (
        "it includes zero." if low <= 0 <= high else "it excludes zero."
    )
    head, _ = _open(width, height, title, desc)
    y = 40
    color = GREY if low <= 0 <= high else BLUE
    parts = [
        head,
        f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="#e3e7ea" stroke-width="1"/>',
        f'<line x1="{x(0):.1f}" y1="{y - 22}" x2="{x(0):.1f}" y2="{y + 22}" stroke="{VERMILLION}" '
        'stroke-dasharray="4 3"/>',
        f'<text x="{x(0):.1f}" y="{y + 36}" text-anchor="middle" fill="{VERMILLION}" {_FONT}>0: '
        "no effect</text>",
        f'<line x1="{x(low):.1f}" y1="{y}" x2="{x(high):.1f}" y2="{y}" stroke="{color}" '
        'stroke-width="6" stroke-linecap="round"/>',
        f'<circle cx="{x(effect):.1f}" cy="{y}" r="7" fill="{INK}"/>',
        f'<text x="{x(low):.1f}" y="{y - 12}" text-anchor="middle" fill="{INK}" {_FONT}>'
        f"{escape(number(low))}</text>",
        f'<text x="{x(high):.1f}" y="{y - 12}" text-anchor="middle" fill="{INK}" {_FONT}>'
        f"{escape(number(high))}</text>",
        f'<text x="{x(effect):.1f}" y="{y + 22}" text-anchor="middle" fill="{INK}" {_FONT}>'
        f"{escape(label)} {escape(number(effect))}</text>",
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def month_label(day: dt.date) -> str:
    """``Mar 2026``."""
    return f"{day:%b %Y}"


# ---- Mentoring progress ----------------------------------------------------------

#: kind → (label, colour, dash pattern, marker).
SERIES = {
    "self": ("Self", "#0e5f6e", "", "circle"),
    "mentor": ("Mentor", "#c2621a", "6 3", "square"),
    "peer": ("Peer", "#5f6b78", "2 3", "triangle"),
}
_LOW, _HIGH = 1, 5


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    shape = SERIES[kind][3]
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<path d="M{x:.1f} {y - 4.5:.1f} L{x + 4.5:.1f} {y + 3.5:.1f} '
            f'L{x - 4.5:.1f} {y + 3.5:.1f} Z" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.8" fill="{colour}"/>'


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".rstrip("0").rstrip(".")


def behavior_chart(
    *,
    uid: str,
    name: str,
    rounds: Sequence[str],
    series: dict[str, Sequence[float | None]],
    width: int = 260,
    height: int = 150,
) -> SafeString:
    """An SVG line chart of one behavior's levels over the rounds.

    ``rounds`` are the x labels; ``series`` maps a kind (``self``, ``mentor``,
    ``peer``) to one level (or ``None``) per round.

    >>> svg = behavior_chart(uid="b1", name="Listening", rounds=["Start", "Midpoint"],
    ...                      series={"self": [2, 3], "mentor": [None, 4]})
    >>> 'role="img"' in svg and "Self: 2 → 3" in svg and "Mentor: 4" in svg
    True
    """
    left, right, top, bottom = 26, 12, 10, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(1, len(rounds))

    def x_of(i: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * i / (count - 1))

    def y_of(level: float) -> float:
        return top + plot_h * (_HIGH - level) / (_HIGH - _LOW)

    described = []
    for kind, values in series.items():
        shown = [_number(v) for v in values if v is not None]
        if shown:
            described.append(f"{SERIES[kind][0]}: {' → '.join(shown)}")
    summary = "; ".join(described) or "No ratings yet."
    parts = [
        f'<svg class="mentoring-chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(name)}: levels 1 to 5 by assessment round</title>',
        f'<desc id="{uid}-desc">{escape(summary)}</desc>',
    ]
    for level in range(_LOW, _HIGH + 1):
        y = y_of(level)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#dde3e8" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#5f6b78">{level}</text>'
        )
    for i, label in enumerate(rounds):
        parts.append(
            f'<text x="{x_of(i):.1f}" y="{height - 10}" font-size="10" text-anchor="middle" '
            f'fill="#3d4a57">{escape(label)}</text>'
        )
    for kind, values in series.items():
        _, colour, dash, _ = SERIES[kind]
        points = [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash_attr}/>'
            )
        parts.extend(_marker(kind, x, y, colour) for x, y in points)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def growth_chart(
    *, uid: str, rows: Sequence[tuple[str, float | None, float | None]], width: int = 560
) -> SafeString:
    """Per behavior ``(name, first average, latest average)``: a dot at the first
    level and an arrow to the latest, on a 1-5 scale.

    >>> svg = growth_chart(uid="g", rows=[("Listening", 2.0, 3.5), ("Asking", None, None)])
    >>> "Listening: 2 → 3.5" in svg and "Asking: no ratings yet" in svg
    True
    """
    label_w, right, top, row_h = 230, 16, 24, 26
    plot_w = width - label_w - right
    height = top + row_h * max(1, len(rows)) + 8

    def x_of(level: float) -> float:
        return label_w + plot_w * (level - _LOW) / (_HIGH - _LOW)

    described = []
    for name, first, latest in rows:
        if first is None or latest is None:
            described.append(f"{name}: no ratings yet")
        else:
            described.append(f"{name}: {_number(first)} → {_number(latest)}")
    parts = [
        f'<svg class="mentoring-chart" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">Average level per behavior: first assessment and latest</title>',
        f'<desc id="{uid}-desc">{escape("; ".join(described))}</desc>',
        f'<defs><marker id="{uid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        f'markerHeight="6" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 Z" '
        f'fill="#0e5f6e"/></marker></defs>',
    ]
    for level in range(_LOW, _HIGH + 1):
        x = x_of(level)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - 6}" stroke="#dde3e8"/>'
            f'<text x="{x:.1f}" y="{top - 10}" font-size="10" text-anchor="middle" '
            f'fill="#5f6b78">{level}</text>'
        )
    for i, (name, first, latest) in enumerate(rows):
        y = top + row_h * i + row_h / 2
        short = name if len(name) <= 38 else name[:37] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#1c2733">{escape(short)}</text>'
        )
        if first is None or latest is None:
            continue
        x1, x2 = x_of(first), x_of(latest)
        parts.append(f'<circle cx="{x1:.1f}" cy="{y:.1f}" r="4" fill="#5f6b78"/>')
        if abs(x2 - x1) >= 2:
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" stroke="#0e5f6e" '
                f'stroke-width="2.5" marker-end="url(#{uid}-arrow)"/>'
            )
        else:
            parts.append(f'<circle cx="{x2:.1f}" cy="{y:.1f}" r="4" fill="#0e5f6e"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
