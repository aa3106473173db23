"""Tie strength 0-1, its band, trend and a plain-language explanation.

INTERFACE (implemented by the tie-strength work; other code relies on it):

``StrengthWeights`` — frozen dataclass of the formula's weights (configurable
per deployment), including ``half_life_days`` (90) and the band thresholds.

``TieScore`` — frozen dataclass: ``person_a``, ``person_b``, ``strength``
(0-1), ``band`` (``strong``/``regular``/``occasional``/``dormant``), ``trend``
(``rising``/``steady``/``cooling``), ``explanation`` (str, e.g. "0.72: 14
two-way e-mails in the last 90 days, last met 5 days ago"), ``last_contact``
(datetime | None), ``components`` (dict of the formula's parts).

``score_tie(features: Mapping, *, as_of, weights=StrengthWeights(), closeness=None) -> TieScore``
scores one row of ``aggregate_ties``; ``closeness`` is a declared 1-5 or None.

``score_ties(table_or_rows, *, as_of, weights=StrengthWeights(), closeness: Mapping[(a, b), int] = {}) -> list[TieScore]``
"""

from __future__ import annotations

__all__ = ["BANDS", "TRENDS", "StrengthWeights", "TieScore", "score_tie", "score_ties"]

BANDS = ("strong", "regular", "occasional", "dormant")
TRENDS = ("rising", "steady", "cooling")
