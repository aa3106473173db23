"""Background work by name: services queue it, each app's ``tasks.py`` does it.

A service that starts long work (an import, a recomputation, an analysis run)
must not import the task module that calls it back, or the two would import
each other. Instead each task registers under a name when its ``tasks.py`` is
loaded (the task worker and the web app both load every app's ``tasks.py`` at
start-up), and the service queues the name::

    # analysis/tasks.py
    @jobs.handles("analysis.run")
    @db_task()
    def analysis_run_task(run_id: int) -> str: ...

    # analysis/services.py
    jobs.enqueue("analysis.run", run.pk)

An unknown name raises at once, so a typo cannot silently drop work; a test
checks that every name queued anywhere is handled.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = [
    "ThrottledProgress",
    "UnknownJobError",
    "enqueue",
    "handler",
    "handles",
    "registered",
]

Task = TypeVar("Task", bound=Callable[..., Any])
P = TypeVar("P")

_HANDLERS: dict[str, Callable[..., Any]] = {}


class UnknownJobError(LookupError):
    """No task handles this job name (is its app's ``tasks.py`` loaded?)."""


def handles(name: str) -> Callable[[Task], Task]:
    """Register the decorated task as the one that does job ``name``."""

    def register(task: Task) -> Task:
        existing = _HANDLERS.get(name)
        if existing is not None and existing is not task:
            raise ValueError(f"job {name!r} already has a handler: {existing!r}")
        _HANDLERS[name] = task
        return task

    return register


def handler(name: str) -> Callable[..., Any]:
    """The task registered for ``name``."""
    try:
        return _HANDLERS[name]
    except KeyError:
        raise UnknownJobError(
            f"no task handles job {name!r}; known: {', '.join(sorted(_HANDLERS)) or 'none'}"
        ) from None


def enqueue(name: str, *args: Any, **kwargs: Any) -> Any:
    """Queue job ``name`` (with the task queue's own result handle as the answer)."""
    return handler(name)(*args, **kwargs)


def registered() -> frozenset[str]:
    """Every job name a task handles."""
    return frozenset(_HANDLERS)


class ThrottledProgress(Generic[P]):
    """Progress of long work: to the caller on every report, to storage at most
    every ``interval`` seconds.

    ``save(progress)`` writes the run's row (its own short autocommit update,
    never inside the work's transaction), so a page polling the row sees the
    work move without the work slowing down to tell it. A report with
    ``save=False`` only goes to ``forward``.
    """

    def __init__(
        self,
        *,
        save: Callable[[P], None],
        interval: float,
        forward: Callable[[P], None] | None = None,
    ) -> None:
        self.save, self.interval, self.forward = save, interval, forward
        self.last = float("-inf")

    def __call__(self, progress: P, *, save: bool = True) -> None:
        if self.forward is not None:
            self.forward(progress)
        now = time.monotonic()
        if save and now - self.last >= self.interval:
            self.last = now
            self.save(progress)
