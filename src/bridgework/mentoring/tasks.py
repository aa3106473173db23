"""Background tasks of the mentoring app: the daily reminders of overdue items, and
the nightly network snapshots the relationship pages and program dashboards read."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bridgework.mentoring.services import (
    assessment_rounds_schedule,
    mentoring_reminders_send,
    network_snapshots_refresh,
)

__all__ = ["mentoring_reminders_daily", "network_snapshots_nightly"]

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="7", minute="30"))
def mentoring_reminders_daily() -> int:
    """Every day at 07:30 UTC: ask the pairs for the assessments their program's
    schedule says are due, then e-mail people their overdue mentoring items
    (action items, sessions to log, sessions past the agreed cadence,
    assessments), each item at most once a week. Returns how many people were
    e-mailed reminders."""
    assessment_rounds_schedule()
    return len(mentoring_reminders_send())


@db_periodic_task(crontab(hour="4", minute="15"))
def network_snapshots_nightly() -> dict:
    """Every night at 04:15 UTC, after the day's imports and the nightly analysis:
    store the mentees' network measures for the days the relationship pages and
    program dashboards show (:func:`~bridgework.mentoring.services.network_snapshots_refresh`),
    so those pages only read. Returns ``{"computed", "kept", "failures"}``; a day
    that failed is logged with its traceback, listed in ``failures``, written to the
    audit log, and tried again the next night."""
    result = network_snapshots_refresh()
    if result.failures:
        logger.error(
            "Network snapshots: %d day(s) failed: %s",
            len(result.failures),
            ", ".join(f"{f.day} ({f.people} people): {f.error}" for f in result.failures),
        )
    return result.as_dict()
