"""Background tasks of the mentoring app: the daily reminders of overdue items."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

__all__ = ["mentoring_reminders_daily"]


@db_periodic_task(crontab(hour="7", minute="30"))
def mentoring_reminders_daily() -> int:
    """Every day at 07:30 UTC: ask the pairs for the assessments their program's
    schedule says are due, then e-mail people their overdue mentoring items
    (action items, sessions to log, sessions past the agreed cadence,
    assessments), each item at most once a week. Returns how many people were
    e-mailed reminders."""
    from bridgework.mentoring.services import assessment_rounds_schedule, mentoring_reminders_send

    assessment_rounds_schedule()
    return len(mentoring_reminders_send())
