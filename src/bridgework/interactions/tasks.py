"""Background tasks of the interactions app: imports, and event-store writes
that a page could not make at once.

Services queue them by job name (:mod:`bridgework.jobs`), never by importing
this module, so the services and events modules do not depend on it.
"""

from __future__ import annotations

from huey.contrib.djhuey import task

from bridgework import jobs
from bridgework.interactions.events import interaction_event_refresh
from bridgework.interactions.services import import_run_execute

__all__ = ["run_import_task", "interaction_event_refresh_task"]


@jobs.handles("interactions.import")
@task()
def run_import_task(run_id: int) -> str:
    """Run a queued import (see :func:`~bridgework.interactions.services.import_run_execute`).

    No retries: a failed import is reported on its page, and running it again
    is the user's decision (and adds nothing that is already stored).
    """
    return import_run_execute(run_id=run_id).status


@jobs.handles("interactions.event_refresh")
@task(retries=10, retry_delay=30)
def interaction_event_refresh_task(interaction_id: int) -> str:
    """Write (or delete) one interaction's event when the store was busy at commit time."""
    return interaction_event_refresh(interaction_id)
