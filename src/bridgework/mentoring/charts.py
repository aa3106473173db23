"""Small inline SVG charts drawn on the server: no script, no CDN.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
that say in words what it shows; the pages put the same numbers in a table
beside it, so nothing depends on seeing the picture.

* :func:`behavior_chart` — one behavior's levels (1-5) over the assessment
  rounds, one line per kind of assessor (self, mentor, peer), each with its
  own colour, marker and dash so they differ without colour too.
* :func:`growth_chart` — per behavior, the average level at the first
  assessment and now, as a dot and an arrow ("dumbbell" rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

__all__ = ["SERIES", "behavior_chart", "growth_chart"]

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
