"""Abstract models every app's models build on (no tables of their own)."""

from __future__ import annotations

from django.db import models

__all__ = ["CreatedAtModel", "TimestampedModel"]


class CreatedAtModel(models.Model):
    """A row that records when it was created (UTC)."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class TimestampedModel(CreatedAtModel):
    """A row that records when it was created and last changed (UTC)."""

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
