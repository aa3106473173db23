"""Behavior progress: a mentee's levels per behavior over the assessment rounds, by
self, mentor and peers (also the raw material of the dashboard's growth)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from bridgework.mentoring.models import Assessment, AssessmentRating, Enrollment
from bridgework.mentoring.selectors._common import mean_or_none
from bridgework.web import charts

__all__ = [
    "RoundColumn",
    "BehaviorProgress",
    "ProgressData",
    "behavior_progress",
    "progress_of",
    "submitted_assessments",
]


_ROUND_ORDER = {"start": 0, "midpoint": 1, "checkin": 1, "end": 2}


@dataclass
class RoundColumn:
    key: str
    label: str
    day: dt.date


@dataclass
class BehaviorProgress:
    """One behavior's levels per round: by kind of assessor and all together."""

    key: str
    name: str
    series: dict[str, list[float | None]]
    combined: list[float | None]
    rounds: list[RoundColumn] = field(default_factory=list)

    @property
    def first(self) -> float | None:
        return next((v for v in self.combined if v is not None), None)

    @property
    def latest(self) -> float | None:
        return next((v for v in reversed(self.combined) if v is not None), None)

    @property
    def change(self) -> float | None:
        rated = [v for v in self.combined if v is not None]
        return round(rated[-1] - rated[0], 2) if len(rated) > 1 else None

    @property
    def chart(self):
        return charts.behavior_chart(
            uid=f"behavior-{self.key}",
            name=self.name,
            rounds=[r.label for r in self.rounds],
            series={k: v for k, v in self.series.items() if any(x is not None for x in v)},
        )

    @property
    def table_rows(self) -> list[tuple[str, list[float | None]]]:
        labels = {k: v[0] for k, v in charts.SERIES.items()}
        return [
            (labels[k], values)
            for k, values in self.series.items()
            if any(v is not None for v in values)
        ]


@dataclass
class ProgressData:
    rounds: list[RoundColumn]
    behaviors: list[BehaviorProgress]
    submitted: int

    @property
    def has_data(self) -> bool:
        return self.submitted > 0


def _round_key(assessment: Assessment) -> tuple[str, str, dt.date]:
    day = (assessment.submitted_at or assessment.created_at).date()
    if assessment.round == Assessment.Round.CHECKIN:
        requested = assessment.due_on or assessment.created_at.date()
        return f"checkin:{requested.isoformat()}", f"Check-in {requested:%d %b}", day
    return assessment.round, assessment.get_round_display(), day


def progress_of(assessments: list[Assessment], labels: dict[str, str]) -> ProgressData:
    """Behavior progress from submitted assessments (their ratings prefetched)."""
    columns: dict[str, RoundColumn] = {}
    for a in assessments:
        key, label, day = _round_key(a)
        column = columns.get(key)
        if column is None or day < column.day:
            columns[key] = RoundColumn(key=key, label=label, day=day)
    rounds = sorted(
        columns.values(), key=lambda r: (_ROUND_ORDER[r.key.split(":")[0]], r.day, r.key)
    )
    index = {r.key: i for i, r in enumerate(rounds)}
    levels: dict[str, dict[str, list[list[int]]]] = defaultdict(
        lambda: {k: [[] for _ in rounds] for k in charts.SERIES}
    )
    names: dict[str, str] = {}
    for a in sorted(assessments, key=lambda a: (a.framework_version.number, a.pk)):
        position = index[_round_key(a)[0]]
        version_labels = a.framework_version.labels
        for rating in a.ratings.all():
            levels[rating.behavior_key][a.kind][position].append(rating.level)
            names[rating.behavior_key] = version_labels.get(
                rating.behavior_key, rating.behavior_key
            )
    order = [k for k in labels if k in levels] + sorted(k for k in levels if k not in labels)
    behaviors = []
    for key in order or list(labels):
        by_kind = levels[key] if key in levels else {k: [[] for _ in rounds] for k in charts.SERIES}
        series = {kind: [mean_or_none(cell) for cell in cells] for kind, cells in by_kind.items()}
        combined = [
            mean_or_none([lvl for kind in by_kind for lvl in by_kind[kind][i]])
            for i in range(len(rounds))
        ]
        behaviors.append(
            BehaviorProgress(
                key=key,
                name=labels.get(key) or names.get(key, key),
                series=series,
                combined=combined,
                rounds=rounds,
            )
        )
    return ProgressData(rounds=rounds, behaviors=behaviors, submitted=len(assessments))


def submitted_assessments(enrollment_ids: Iterable[int]) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(
            enrollment_id__in=list(enrollment_ids), status=Assessment.Status.SUBMITTED
        )
        .select_related("framework_version")
        .prefetch_related(Prefetch("ratings", queryset=AssessmentRating.objects.order_by("id")))
        .order_by("submitted_at", "id")
    )


def behavior_progress(*, enrollment: Enrollment) -> ProgressData:
    """A mentee's levels per behavior over the rounds, by self, mentor and peers.

    Internal: callers check the viewer may see the mentee's progress (the pair,
    program managers) first.
    """
    return progress_of(
        list(submitted_assessments([enrollment.pk])), enrollment.program.framework_version.labels
    )
