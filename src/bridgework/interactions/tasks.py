"""Background tasks of the interactions app: imports, and event-store writes
that a page could not make at once."""

from __future__ import annotations

from huey.contrib.djhuey import task

__all__ = ["run_import_task", "interaction_event_refresh_task"]


@task()
def run_import_task(run_id: int) -> str:
    """Run a queued import (see :func:`~bridgework.interactions.services.import_run_execute`).

    No retries: a failed import is reported on its page, and running it again
    is the user's decision (and adds nothing that is already stored).
    """
    from bridgework.interactions.services import import_run_execute

    return import_run_execute(run_id=run_id).status


@task(retries=10, retry_delay=30)
def interaction_event_refresh_task(interaction_id: int) -> str:
    """Write (or delete) one interaction's event when the store was busy at commit time."""
    from bridgework.interactions.events import interaction_event_refresh

    return interaction_event_refresh(interaction_id)
