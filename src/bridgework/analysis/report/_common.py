"""Private helpers of :mod:`bridgework.analysis.report`: numbers and names as the report writes them.

Shared by the findings, the plots and the rendering, so a share reads the
same ("<1%", "–" for a missing value) in a sentence, a chart label and a table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

ENGAGEMENT_LABELS = {
    "employee_ft": "Full-time employees",
    "employee_pt": "Part-time employees",
    "contractor": "Contractors",
    "freelancer": "Freelancers",
    "alumni": "Alumni",
    "partner": "Partners",
    "client": "Clients",
    "external": "External contacts",
    "(none)": "Not recorded",
}


#: A withheld figure's cell (the section says why: fewer than the minimum make it).
NOT_SHOWN = "not shown"


def _missing(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float | np.floating) and math.isnan(value))
    )


def _or_withheld(value: Any, show: Callable[[Any], str]) -> str:
    """``show(value)``, or :data:`NOT_SHOWN` for a figure the privacy rules withheld."""
    return NOT_SHOWN if _missing(value) else show(value)


def _pct(value: Any, digits: int = 0) -> str:
    """A share as a percentage; tiny non-zero shares read "<1%" rather than "0%"."""
    if _missing(value):
        return "\u2013"
    percent = float(value) * 100
    if 0 < percent < 0.5 * 10**-digits:
        return f"<{10**-digits:g}%"
    return f"{percent:.{digits}f}%"


def _dec(value: Any, digits: int = 2) -> str:
    return "\u2013" if _missing(value) else f"{float(value):.{digits}f}"


def _int(value: Any) -> str:
    return "\u2013" if _missing(value) else f"{round(float(value)):,}"


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _names(names: Iterable[Any], limit: int = 5) -> str:
    items = [str(n) for n in names]
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _engagement(value: Any) -> str:
    return ENGAGEMENT_LABELS.get(str(value), str(value))
