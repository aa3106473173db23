"""What the pair does between sessions: action items, practice plans for real
conversations, and introductions the mentor makes from their own network."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from bridgework.mentoring.models.relationships import MentoringRelationship
from bridgework.mentoring.models.sessions import MentoringSession
from bridgework.web.models import CreatedAtModel, TimestampedModel

__all__ = ["ActionItem", "PracticePlan", "RelationshipIntroduction"]


class ActionItem(CreatedAtModel):
    """Something one side of the pair committed to do, by a date."""

    relationship = models.ForeignKey(
        MentoringRelationship, on_delete=models.CASCADE, related_name="action_items"
    )
    session = models.ForeignKey(
        MentoringSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    owner = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["relationship", F("due_on").asc(nulls_last=True), "id"]
        indexes = [models.Index(fields=["due_on", "done_at"], name="actionitem_due_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not (self.title or "").strip():
            raise ValidationError({"title": "Say what is to be done."})

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: dt.date) -> bool:
        return self.done_at is None and self.due_on is not None and self.due_on < today


class PracticePlan(TimestampedModel):
    """A real conversation the mentee plans to hold to practise a behavior: the
    preparation beforehand, then a reflection on how it went."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held, reflection to write"
        REFLECTED = "reflected", "Reflected"
        DROPPED = "dropped", "Dropped"

    relationship = models.ForeignKey(
        MentoringRelationship, on_delete=models.CASCADE, related_name="practice_plans"
    )
    behavior_key = models.CharField(max_length=50)
    conversation = models.CharField(
        max_length=300, help_text="The real conversation to hold: with whom, about what."
    )
    counterpart = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    planned_for = models.DateField(null=True, blank=True)
    preparation = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    reflection = models.TextField(blank=True)
    confidence_after = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1-5: how confident the mentee felt afterwards."
    )
    reflected_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["relationship", F("planned_for").asc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "held", "reflected", "dropped"]),
                name="practiceplan_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="reflected") | ~Q(reflection=""),
                name="practiceplan_reflected_has_reflection",
            ),
            models.CheckConstraint(
                condition=Q(confidence_after__isnull=True)
                | Q(confidence_after__gte=1, confidence_after__lte=5),
                name="practiceplan_confidence_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.conversation

    def clean(self) -> None:
        if self.status == self.Status.REFLECTED and not (self.reflection or "").strip():
            raise ValidationError({"reflection": "Write how the conversation went."})


class RelationshipIntroduction(CreatedAtModel):
    """An introduction the mentor made from their own network for the mentee,
    recorded through the introduction workflow (an
    :class:`~bridgework.interactions.models.IntroductionRequest`)."""

    relationship = models.ForeignKey(
        MentoringRelationship, on_delete=models.CASCADE, related_name="introductions"
    )
    introduction = models.OneToOneField(
        "interactions.IntroductionRequest", on_delete=models.CASCADE, related_name="mentoring"
    )

    class Meta:
        ordering = ["relationship", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"Introduction #{self.introduction_id} in relationship {self.relationship_id}"
