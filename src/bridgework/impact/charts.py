"""Small charts drawn as inline SVG on the server: no JavaScript, no CDN, printable.

Every chart is an ``<svg class="chart">`` with ``role="img"``, a ``<title>``
and a ``<desc>`` that says in words what it shows; pages put the same
numbers in a table beside it (the fallback for screen readers and for
copying). Colours are the Okabe-Ito palette, readable with every common
colour-vision deficiency, and set as SVG attributes (not CSS), so the PDF
report draws them the same.

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

__all__ = ["BLUE", "ORANGE", "GREY", "bars", "monthly", "interval", "number"]

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
        'style="max-width: 100%; height: auto" preserveAspectRatio="xMinYMin meet" '
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
    return mark_safe("".join(parts))  # every text is escaped above


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
            x, y = xy.split(",")
            parts.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{ORANGE}"/>')
    parts.append(
        f'<text x="{left}" y="{top - 4}" fill="{BLUE}" {_FONT}>{escape(value_label)}</text>'
        f'<text x="{width - right}" y="{top - 4}" text-anchor="end" fill="{ORANGE}" {_FONT}>'
        "hours invested</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text is escaped above


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
        return mark_safe(head + "</svg>")
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
    return mark_safe("".join(parts))  # every text is escaped above


def month_label(day: dt.date) -> str:
    """``Mar 2026``."""
    return f"{day:%b %Y}"
