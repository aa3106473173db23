"""Behavior frameworks and their frozen versions (behaviors, rubrics, exercises)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from bridgework.web.models import CreatedAtModel

__all__ = ["BehaviorFramework", "FrameworkVersion"]


class BehaviorFramework(CreatedAtModel):
    """A named framework of relationship behaviors; its content lives in versions.

    Editing a framework adds a :class:`FrameworkVersion` and never changes an
    old one, so an assessment made against version 2 reads the same after
    version 3 exists.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(
        default=False, help_text="The framework new programs start with."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-is_default", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="framework_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def latest_version(self) -> FrameworkVersion | None:
        return self.versions.order_by("-number").first()


class FrameworkVersion(CreatedAtModel):
    """One frozen version of a framework's behaviors, rubrics and exercises.

    ``content`` is what :func:`~bridgework.mentoring.frameworks.parse_framework`
    returns: ``{"name", "slug", "description", "behaviors": [{"key", "name",
    "description", "rubric": [{"level", "description"}], "exercises"}]}``.
    """

    framework = models.ForeignKey(
        BehaviorFramework, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="frameworkversion_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="frameworkversion_number_from_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} v{self.number}"

    def clean(self) -> None:
        behaviors = (
            (self.content or {}).get("behaviors") if isinstance(self.content, dict) else None
        )
        if not behaviors:
            raise ValidationError({"content": "A framework version needs at least one behavior."})

    @property
    def behaviors(self) -> list[dict]:
        return list(self.content.get("behaviors", []))

    @property
    def behavior_keys(self) -> list[str]:
        return [b["key"] for b in self.behaviors]

    @property
    def labels(self) -> dict[str, str]:
        """Behavior key → name."""
        return {b["key"]: b["name"] for b in self.behaviors}

    def behavior(self, key: str) -> dict | None:
        return next((b for b in self.behaviors if b["key"] == key), None)
