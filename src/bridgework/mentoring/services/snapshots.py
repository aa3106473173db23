"""Network snapshots: the mentees' network measures per day, computed and stored here so
that pages only read them.

The relationship page compares a mentee's network at the start of the
relationship with now, and the program dashboard averages the mentees' networks
at the program's start and now (:mod:`bridgework.mentoring.selectors.network`).
One day's measures need the whole event store aggregated up to that day, far
too slow for a page, and a page must not write. So
:func:`network_snapshots_refresh` stores every snapshot those pages read, once
a night (the ``network_snapshots_nightly`` task in :mod:`bridgework.mentoring.tasks`),
and the pages show the latest stored one or say that it comes with the next update.

A failure to compute a day is logged with its traceback, returned in the
:class:`SnapshotFill` (which the task returns) and written to the audit log
with the nightly run; the other days are still stored.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry
from bridgework.accounts.services import audit_record

# Called through the module, so a test can make one day's computation fail.
from bridgework.analysis import snapshots as analysis_snapshots
from bridgework.core.mentoring.windows import program_window, relationship_window
from bridgework.mentoring.models import MentoringRelationship, NetworkSnapshot
from bridgework.mentoring.services._common import today_utc
from bridgework.people.models import Person

__all__ = [
    "SNAPSHOT_MAX_AGE",
    "SnapshotFailure",
    "SnapshotFill",
    "network_snapshots_fill",
    "network_snapshots_refresh",
    "network_snapshots_wanted",
]

logger = logging.getLogger(__name__)

#: A snapshot computed before its day ended is computed again once older than this.
SNAPSHOT_MAX_AGE = dt.timedelta(hours=6)


@dataclass(frozen=True)
class SnapshotFailure:
    """A day whose measures could not be computed: how many people waited for it,
    and the error (its traceback is in the log)."""

    day: dt.date
    people: int
    error: str


@dataclass
class SnapshotFill:
    """What a fill did: snapshots ``computed`` (new or refreshed), ``kept`` (stored
    and still fresh) and the days that ``failures`` left without numbers."""

    computed: int = 0
    kept: int = 0
    failures: list[SnapshotFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        """Plain data, for the task's result and the audit log."""
        return {
            "computed": self.computed,
            "kept": self.kept,
            "failures": [
                {"day": f.day.isoformat(), "people": f.people, "error": f.error}
                for f in self.failures
            ],
        }


def _is_stale(day: dt.date, computed_at: dt.datetime, now: dt.datetime) -> bool:
    """A snapshot computed after its day ended (UTC) is final; one computed during its
    day (today's, or a past day's from that day) is refreshed after :data:`SNAPSHOT_MAX_AGE`."""
    day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return computed_at < day_end and now - computed_at > SNAPSHOT_MAX_AGE


def _fill(
    wanted: Mapping[dt.date, Iterable[int]], *, now: dt.datetime | None = None
) -> SnapshotFill:
    now = now or timezone.now()
    today = now.date()
    people_by_day = {day: set(people) for day, people in wanted.items() if people}
    result = SnapshotFill()
    everyone: set[int] = set().union(*people_by_day.values()) if people_by_day else set()
    if not everyone:
        return result
    consenting = set(
        Person.objects.filter(pk__in=everyone, analytics_consent=True).values_list("pk", flat=True)
    )
    stored = dict(
        ((person_id, day), computed_at)
        for person_id, day, computed_at in NetworkSnapshot.objects.filter(
            person_id__in=consenting, day__in=list(people_by_day)
        ).values_list("person_id", "day", "computed_at")
    )
    for day in sorted(people_by_day):
        missing = []
        for person_id in sorted(people_by_day[day] & consenting):
            computed_at = stored.get((person_id, day))
            if computed_at is None or _is_stale(day, computed_at, now):
                missing.append(person_id)
            else:
                result.kept += 1
        if not missing:
            continue
        try:
            frame = analysis_snapshots.network_measures_at(min(day, today), people=missing)
            rows = {
                int(row["person"]): {m: int(row[m]) for m in analysis_snapshots.MEASURES}
                for row in frame.to_dict("records")
            }
            with transaction.atomic():
                NetworkSnapshot.objects.bulk_create(
                    [
                        NetworkSnapshot(
                            person_id=person_id, day=day, measures=measures, computed_at=now
                        )
                        for person_id, measures in rows.items()
                    ],
                    update_conflicts=True,
                    unique_fields=["person", "day"],
                    update_fields=["measures", "computed_at"],
                )
        except Exception as exc:
            # One bad day must not cost the others their numbers; the pages say the
            # change comes with the next update, and the caller gets the failure.
            logger.exception(
                "Network snapshots of %d people for %s could not be computed", len(missing), day
            )
            result.failures.append(
                SnapshotFailure(
                    day=day, people=len(missing), error=f"{type(exc).__name__}: {exc}"[:300]
                )
            )
            continue
        result.computed += len(rows)
    return result


def network_snapshots_fill(
    *, person_ids: Iterable[int], days: Iterable[dt.date], now: dt.datetime | None = None
) -> SnapshotFill:
    """Compute and store the network measures of these people on these days
    (:func:`bridgework.analysis.snapshots.network_measures_at`), one computation per
    day for everyone missing on it.

    People who withdrew analytics consent get none. A stored snapshot is kept,
    unless it was computed before its day ended and is older than
    :data:`SNAPSHOT_MAX_AGE`. A day that fails is logged and returned in
    :attr:`SnapshotFill.failures`; the other days are still stored.
    """
    people = set(person_ids)
    return _fill({day: people for day in set(days)}, now=now)


def network_snapshots_wanted(*, today: dt.date) -> dict[dt.date, set[int]]:
    """The snapshots the pages read on ``today``, as ``{day: person ids}``: each
    relationship's mentee at both ends of its window (the relationship page), and
    each program's mentees at both ends of the program's (the dashboard); see
    :mod:`bridgework.core.mentoring.windows`."""
    wanted: dict[dt.date, set[int]] = defaultdict(set)
    programs: dict[int, tuple[dt.date, dt.date | None, set[int]]] = {}
    for (
        mentee_id,
        status,
        started_on,
        ended_on,
        program_id,
        program_start,
        program_end,
    ) in MentoringRelationship.objects.values_list(
        "mentee_id",
        "status",
        "started_on",
        "ended_on",
        "program_id",
        "program__start_date",
        "program__end_date",
    ):
        for day in relationship_window(
            started_on=started_on,
            program_start=program_start,
            today=today,
            ended_on=ended_on,
            program_end=program_end,
        ):
            wanted[day].add(mentee_id)
        if status != MentoringRelationship.Status.DECLINED:
            programs.setdefault(program_id, (program_start, program_end, set()))[2].add(mentee_id)
    for program_start, program_end, mentees in programs.values():
        for day in program_window(
            program_start=program_start, today=today, program_end=program_end
        ):
            wanted[day] |= mentees
    return dict(wanted)


def network_snapshots_refresh(*, today: dt.date | None = None) -> SnapshotFill:
    """Store every snapshot the relationship pages and program dashboards read on
    ``today`` (:func:`network_snapshots_wanted`); run nightly by the
    ``network_snapshots_nightly`` task. A run that computed or failed anything is
    written to the audit log with its counts and failures."""
    today = today or today_utc()
    result = _fill(network_snapshots_wanted(today=today))
    if result.computed or result.failures:
        audit_record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            object_type="network_snapshots",
            detail={"day": today.isoformat(), **result.as_dict()},
        )
    return result
