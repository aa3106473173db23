"""Stored network measures per person and day, so pages need not recompute them."""

from __future__ import annotations

from django.db import models

__all__ = ["NetworkSnapshot"]


class NetworkSnapshot(models.Model):
    """A person's network measures on one day, kept so pages need not recompute them.

    Filled each night by
    :func:`~bridgework.mentoring.services.snapshots.network_snapshots_refresh` from
    :func:`bridgework.analysis.snapshots.network_measures_at`, for the days the
    pages show; pages only read them. A snapshot computed after its day ended is
    kept; one computed during its day is refreshed when older than a few hours.
    Individual metrics: read only through the mentoring selectors' rules.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    measures = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["person", "day"]
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="networksnapshot_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"Network of {self.person_id} on {self.day}"
