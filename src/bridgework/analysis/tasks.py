"""Background tasks of the analysis app: a requested run, and a nightly one."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bridgework import jobs
from bridgework.analysis.services import analysis_run, analysis_start

__all__ = ["analysis_nightly", "analysis_run_task"]


@jobs.handles("analysis.run")
@db_task()
def analysis_run_task(run_id: int) -> str:
    """Run the queued analysis ``run_id`` (see :func:`~bridgework.analysis.services.analysis_run`)."""
    return analysis_run(run_id=run_id).status


@db_periodic_task(crontab(hour="3", minute="30"))
def analysis_nightly() -> str:
    """Every night at 03:30 UTC, after the day's imports: a fresh analysis."""
    return analysis_start(run_now=True).status
