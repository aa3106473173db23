"""The report's plots, as inline SVG.

Drawn with matplotlib ``Figure`` objects (no pyplot state), under a lock,
with a fixed ``svg.hashsalt``, so the same analysis gives byte-identical SVG.
Each function returns the SVG markup, or ``""`` when there is too little to
draw. Colours are colour-blind safe.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from django.utils.safestring import SafeString, mark_safe
from matplotlib import colormaps, rc_context
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.typing import RcKeyType

from bridgework.analysis.report._common import _engagement, _pct
from bridgework.core.privacy.network import BROKER_SHARE

__all__ = [
    "MAX_PLOTTED_GROUPS",
    "heatmap",
    "ei_chart",
    "engagement_chart",
    "reach_chart",
    "concentration_bars",
    "betweenness_charts",
]

#: At most this many groups in a plot (the largest by size).
MAX_PLOTTED_GROUPS = 30

# Okabe & Ito (2008), "Color universal design": distinguishable with every
# common colour-vision deficiency.
BLUE, ORANGE, VERMILLION, GREY = "#0072B2", "#E69F00", "#D55E00", "#9A9A9A"
HEATMAP_COLORS = "YlGnBu"  # ColorBrewer sequential, colour-blind safe

_PLOT_LOCK = threading.Lock()
_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "bridgework-network-report",
    "svg.fonttype": "path",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _render_svg(fig: Figure, name: str) -> SafeString:
    """``fig`` as inline SVG markup with ids unique to ``name`` (several plots share a page)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # Comments repeat every text drawn; metadata only names matplotlib.
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))

    def prefix(match: re.Match) -> str:
        head, ident = match.group(1), match.group(2)
        return f"{head}{name}-{ident}" if ident in ids else match.group(0)

    svg = re.sub(r'(\bid="|href="#|url\(#)([^")]+)', prefix, svg)
    svg = svg.replace(
        "<svg ", f'<svg class="chart" role="img" aria-labelledby="{name}-caption" ', 1
    )
    return mark_safe(svg)  # noqa: S308 - matplotlib escapes every text it writes into the SVG


def _plot(draw, name: str, *args: Any) -> SafeString | str:
    """Run ``draw(fig, *args)`` on a fresh Figure; '' when it draws nothing."""
    with _PLOT_LOCK, rc_context(_RC):
        fig = Figure(figsize=(6.6, 3.2))
        if draw(fig, *args) is False:
            return ""
        return _render_svg(fig, name)


def _largest(
    names: Iterable[str], sizes: dict[str, int], cap: int = MAX_PLOTTED_GROUPS
) -> list[str]:
    return sorted(names, key=lambda g: (-sizes.get(str(g), 0), str(g)))[:cap]


def _short(name: Any, width: int = 28) -> str:
    text = str(name)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def heatmap(matrix: pd.DataFrame, sizes: dict[str, int]) -> SafeString | str:
    """Ties between the largest groups, on a log colour scale (the diagonal: ties inside)."""

    def draw(fig: Figure) -> bool:
        if len(matrix) < 2:
            return False
        order = _largest(matrix.index, sizes)
        values = matrix.loc[order, order].to_numpy(dtype=float)
        k = len(order)
        fig.set_size_inches(6.6, min(6.6, max(4.2, 1.6 + 0.2 * k)))
        ax = fig.add_subplot()
        cmap = colormaps[HEATMAP_COLORS].with_extremes(bad="#f3f3f3")
        # NaN: a cell the privacy rules withheld (drawn empty, marked "n/s").
        withheld = np.isnan(values)
        values = np.where(withheld, 0.0, values)
        norm = LogNorm(vmin=1, vmax=max(values.max(), 2))
        image = ax.imshow(np.ma.masked_less_equal(values, 0), cmap=cmap, norm=norm, aspect="equal")
        labels = [_short(g) for g in order]
        ax.set_xticks(range(k), labels, rotation=60, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(k), labels)
        ax.tick_params(length=0, labelsize=7 if k > 15 else 8)
        for side in ax.spines.values():
            side.set_visible(False)
        if k <= 16:
            for i in range(k):
                for j in range(k):
                    if withheld[i, j]:
                        ax.text(j, i, "n/s", ha="center", va="center", fontsize=5.5, color=GREY)
                    elif values[i, j] > 0:
                        dark = norm(values[i, j]) > 0.55
                        ax.text(
                            j,
                            i,
                            f"{values[i, j]:.0f}",
                            ha="center",
                            va="center",
                            fontsize=6.5,
                            color="white" if dark else "black",
                        )
        bar = fig.colorbar(image, ax=ax, shrink=0.7, pad=0.02)
        bar.set_label("ties (log scale); diagonal: ties inside the group")
        return True

    return _plot(draw, "heatmap")


def ei_chart(teams: pd.DataFrame, share: float | None, sizes: dict[str, int]) -> SafeString | str:
    """Each group's E-I index beside the E-I its size alone would give, silos highlighted."""

    def draw(fig: Figure) -> bool:
        frame = teams.dropna(subset=["ei_index"])
        if len(frame) < 2:
            return False
        keep = set(_largest(frame["group"], sizes))
        frame = frame[frame["group"].isin(keep)].sort_values(
            ["ei_index", "group"], ascending=[False, True]
        )
        k = len(frame)
        fig.set_size_inches(6.6, 1.0 + 0.22 * k)
        ax = fig.add_subplot()
        y = np.arange(k)
        colors = [VERMILLION if s else BLUE for s in frame["silo"]]
        ax.barh(y, frame["ei_index"], color=colors, height=0.7)
        ax.scatter(
            frame["expected_ei"], y, marker="|", s=120, color="black", linewidths=1.2, zorder=3
        )
        ax.set_yticks(y, [_short(g) for g in frame["group"]])
        ax.set_xlim(-1, 1)
        ax.axvline(0, color=GREY, linewidth=0.6)
        handles = [
            Patch(color=VERMILLION, label="silo"),
            Patch(color=BLUE, label="not a silo"),
            Line2D(
                [],
                [],
                color="black",
                marker="|",
                linestyle="none",
                markersize=9,
                label="E-I from group size alone",
            ),
        ]
        if share is not None:
            ax.axvline(2 * share - 1, color="black", linestyle="--", linewidth=1)
            handles.append(
                Line2D(
                    [],
                    [],
                    color="black",
                    linestyle="--",
                    label=f"silo threshold (E-I {2 * share - 1:.2f})",
                )
            )
        ax.set_xlabel("E-I index: -1 = every tie inside the group, +1 = every tie outside")
        ax.legend(
            handles=handles,
            loc="lower right",
            fontsize=7,
            frameon=False,
            bbox_to_anchor=(1.0, 1.0),
            ncol=2,
        )
        return True

    return _plot(draw, "ei")


def engagement_chart(frame: pd.DataFrame, teams: str) -> SafeString | str:
    """Per engagement type: its share of people beside its share of the ties between groups."""

    def draw(fig: Figure) -> bool:
        if len(frame) < 2:
            return False
        ax = fig.add_subplot()
        x = np.arange(len(frame))
        width = 0.38
        ax.bar(
            x - width / 2, frame["people_share"] * 100, width, color=GREY, label="share of people"
        )
        ax.bar(
            x + width / 2,
            frame["cross_group_share"] * 100,
            width,
            color=ORANGE,
            label=f"share of the ties between {teams}",
        )
        ax.set_xticks(
            x,
            [_short(_engagement(e), 20) for e in frame["engagement"]],
            rotation=20,
            ha="right",
            rotation_mode="anchor",
        )
        ax.set_ylabel("% of the organization's total")
        ax.legend(frameon=False, fontsize=7)
        return True

    return _plot(draw, "engagement")


def reach_chart(reach: pd.DataFrame, sizes: dict[str, int]) -> SafeString | str:
    """People outside each group tied directly to a member, inside and outside the organization."""

    def draw(fig: Figure) -> bool:
        if reach.empty:
            return False
        keep = set(_largest(reach["group"], sizes))
        frame = reach[reach["group"].isin(keep)]
        frame = frame.assign(total=frame["internal_direct"] + frame["external_direct"]).sort_values(
            ["total", "group"], ascending=[True, False]
        )
        k = len(frame)
        fig.set_size_inches(6.6, 1.0 + 0.22 * k)
        ax = fig.add_subplot()
        y = np.arange(k)
        ax.barh(
            y, frame["internal_direct"], color=BLUE, height=0.7, label="inside the organization"
        )
        ax.barh(
            y,
            frame["external_direct"],
            left=frame["internal_direct"],
            color=ORANGE,
            height=0.7,
            label="outside (alumni, partners, clients, external)",
        )
        ax.set_yticks(y, [_short(g) for g in frame["group"]])
        ax.set_xlabel("people outside the group tied directly to a member")
        ax.legend(frameon=False, fontsize=7, loc="lower right")
        return True

    return _plot(draw, "reach")


def concentration_bars(brokers: dict[str, Any]) -> SafeString | str:
    """The top brokers' share of people beside their share of brokerage and betweenness."""

    def draw(fig: Figure) -> bool:
        if not brokers["share_of_betweenness"] and not brokers["share_of_brokerage"]:
            return False
        fig.set_size_inches(6.6, 1.7)
        ax = fig.add_subplot()
        labels = ["share of people", "share of brokerage between groups", "share of betweenness"]
        values = [
            brokers["share_of_people"],
            brokers["share_of_brokerage"],
            brokers["share_of_betweenness"],
        ]
        y = np.arange(3)[::-1]
        ax.barh(y, np.asarray(values) * 100, color=[GREY, ORANGE, BLUE], height=0.6)
        for yi, v in zip(y, values, strict=True):
            ax.text(v * 100 + 1, yi, _pct(v), va="center", fontsize=7)
        ax.set_yticks(y, labels)
        ax.set_xlim(0, 100)
        ax.set_xlabel(
            f"% of the organization's total held by the top {_pct(brokers['share_of_people'])} of people by betweenness"
        )
        return True

    return _plot(draw, "concentration")


def betweenness_charts(people: pd.DataFrame) -> SafeString | str:
    """The distribution of betweenness and how concentrated it is (analyst version: per person)."""

    def draw(fig: Figure) -> bool:
        values = people["betweenness"].to_numpy(dtype=float)
        if len(values) < 2 or values.sum() <= 0:
            return False
        fig.set_size_inches(6.6, 2.8)
        left, right = fig.subplots(1, 2)
        left.hist(values, bins=30, color=BLUE)
        left.set_yscale("log")
        left.set_xlabel("normalized betweenness")
        left.set_ylabel("people (log scale)")
        left.set_title("Distribution of betweenness")
        order = np.lexsort((people["person"].to_numpy(), -values))
        share = np.arange(1, len(values) + 1) / len(values)
        right.plot(
            np.r_[0, share] * 100,
            np.r_[0, np.cumsum(values[order]) / values.sum()] * 100,
            color=BLUE,
            label="betweenness",
        )
        brokerage = people["brokerage"].to_numpy(dtype=float)[order]
        if brokerage.sum() > 0:
            right.plot(
                np.r_[0, share] * 100,
                np.r_[0, np.cumsum(brokerage) / brokerage.sum()] * 100,
                color=ORANGE,
                linestyle="--",
                label="brokerage between groups",
            )
        right.plot([0, 100], [0, 100], color=GREY, linewidth=0.6, label="equal shares")
        right.axvline(BROKER_SHARE * 100, color="black", linestyle=":", linewidth=0.8)
        right.set_xlabel("% of people, highest betweenness first")
        right.set_ylabel("cumulative % of the total")
        right.set_title("Concentration")
        right.legend(frameon=False, fontsize=7, loc="lower right")
        return True

    return _plot(draw, "betweenness")
