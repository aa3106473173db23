"""Helpers the selector modules share: "not found" lookups, the programs queryset,
the agreed cadence, a rounded mean, and the at-risk rules applied to a stored pair.

Internal to :mod:`bridgework.mentoring.selectors`: no viewer checks here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from bridgework.core.errors import NotFoundError
from bridgework.core.mentoring.risk import FitAnswer, PairActivity, risk_reasons
from bridgework.mentoring.models import FitCheck, MentoringRelationship, Program

__all__ = [
    "LIVE",
    "agreed_cadence",
    "get_or_not_found",
    "mean_or_none",
    "pair_activity",
    "pair_risk_reasons",
    "programs_queryset",
]

#: A relationship still under way: requested or active.
LIVE = (MentoringRelationship.Status.REQUESTED, MentoringRelationship.Status.ACTIVE)


def get_or_not_found(queryset: QuerySet, pk):
    """The object ``pk`` of ``queryset``, or "not found" (a bad id included)."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


def programs_queryset() -> QuerySet[Program]:
    return Program.objects.select_related("framework_version__framework", "created_by")


def agreed_cadence(relationship: MentoringRelationship) -> int:
    """The agreed cadence in days (the program's when there is no agreement)."""
    agreement = getattr(relationship, "agreement", None)
    return agreement.cadence_days if agreement else relationship.program.session_cadence_days


def mean_or_none(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 2) if values else None


def pair_activity(
    relationship: MentoringRelationship,
    *,
    last_held: dt.datetime | None,
    overdue: int,
    fit_checks: Iterable[FitCheck],
    ratings: Iterable[int],
) -> PairActivity:
    """What the at-risk rules (:mod:`bridgework.core.mentoring.risk`) look at, as plain
    data, from a stored pair and its gathered numbers."""
    return PairActivity(
        active=relationship.is_active,
        cadence_days=agreed_cadence(relationship),
        started_on=relationship.started_on,
        last_held=last_held.date() if last_held is not None else None,
        overdue_items=overdue,
        fit_checks=[FitAnswer(fit=f.fit, wants_rematch=f.wants_rematch) for f in fit_checks],
        session_ratings=list(ratings),
    )


def pair_risk_reasons(
    relationship: MentoringRelationship,
    *,
    last_held: dt.datetime | None,
    overdue: int,
    fit_checks: Iterable[FitCheck],
    ratings: Iterable[int],
    today: dt.date,
) -> list[str]:
    """Why a pair is at risk (empty: it is not), by the rules of
    :mod:`bridgework.core.mentoring.risk`, from what is stored about it."""
    activity = pair_activity(
        relationship, last_held=last_held, overdue=overdue, fit_checks=fit_checks, ratings=ratings
    )
    return risk_reasons(activity, today=today)
