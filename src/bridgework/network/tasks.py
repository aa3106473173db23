"""Background tasks of the network app: tie recomputation and the weekly digest."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bridgework import jobs
from bridgework.network.services import nudge_digests_send_all, ties_recompute

__all__ = ["ties_recompute_task", "nudge_digest_weekly"]


@jobs.handles("network.ties_recompute")
@db_task()
def ties_recompute_task(
    full: bool = False, people: list[int] | None = None, recompute_id: int | None = None
) -> str:
    """Recompute ties (see :func:`~bridgework.network.services.ties_recompute`):
    the queued :class:`~bridgework.network.models.TieRecompute` ``recompute_id``
    (what :func:`~bridgework.network.services.ties_recompute_start` queues), or
    a new one of ``full`` / ``people``.

    No retries: a failed run is recorded with its error, and the next import,
    logged interaction or ``bridgework ties recompute`` starts a fresh one.
    """
    return ties_recompute(full=full, people=people, recompute_id=recompute_id).status


@db_periodic_task(crontab(day_of_week="1", hour="7", minute="0"))
def nudge_digest_weekly() -> int:
    """Mondays at 07:00 UTC: e-mail everyone with a login their active nudges."""
    return len(nudge_digests_send_all())
