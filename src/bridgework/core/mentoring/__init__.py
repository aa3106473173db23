"""Mentoring program numbers from plain data: no Django, no database.

=============  ==================================================================
module         what it holds
=============  ==================================================================
``risk``       ``risk_reasons``, ``pairs_at_risk``: which pairs are at risk and
               why (gone quiet, poor fit, poor sessions, work piling up), with
               the thresholds ``LOW_FIT``, ``AT_RISK_CADENCE_FACTOR``,
               ``AT_RISK_OVERDUE_ITEMS``
``cadence``    ``cadence_summary``, ``sessions_per_month``: how regularly the
               pairs meet
``windows``    ``relationship_window``, ``program_window``: the two days a
               mentee's network is compared on
=============  ==================================================================

The mentoring app's selectors gather the numbers from the database and call
these; ``docs/mentoring.md`` ("Feedback and health") states the same rules.
"""

from bridgework.core.mentoring.cadence import (
    RECENT_DAYS,
    CadenceSummary,
    cadence_summary,
    sessions_per_month,
)
from bridgework.core.mentoring.risk import (
    AT_RISK_CADENCE_FACTOR,
    AT_RISK_OVERDUE_ITEMS,
    LOW_FIT,
    FitAnswer,
    PairActivity,
    is_low_fit,
    pairs_at_risk,
    risk_reasons,
)
from bridgework.core.mentoring.windows import program_window, relationship_window

__all__ = [
    "AT_RISK_CADENCE_FACTOR",
    "AT_RISK_OVERDUE_ITEMS",
    "LOW_FIT",
    "RECENT_DAYS",
    "CadenceSummary",
    "FitAnswer",
    "PairActivity",
    "cadence_summary",
    "is_low_fit",
    "pairs_at_risk",
    "program_window",
    "relationship_window",
    "risk_reasons",
    "sessions_per_month",
]
