"""Touchpoints people log by hand: meetings, calls, e-mails, chats, events, introductions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Channel(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    EMAIL = "email", "E-mail"
    CHAT = "chat", "Chat"
    EVENT = "event", "Event"
    INTRODUCTION = "introduction", "Introduction"
    OTHER = "other", "Other"


class Interaction(models.Model):
    """A touchpoint between two or more people, logged by someone."""

    channel = models.CharField(max_length=12, choices=Channel.choices)
    occurred_at = models.DateTimeField(db_index=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    participants = models.ManyToManyField(
        "people.Person", through="InteractionParticipant", related_name="interactions"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="logged_interactions",
    )
    private_note = models.TextField(blank=True, help_text="Only whoever logged it can read this.")
    source = models.CharField(
        max_length=20,
        default="app",
        help_text="Where the record came from: 'app' or a generator/importer.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__lte=24 * 60),
                name="interaction_duration_at_most_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} on {self.occurred_at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.occurred_at and self.occurred_at > timezone.now() + dt.timedelta(days=1):
            raise ValidationError(
                {"occurred_at": "An interaction is logged after it happened, not in the future."}
            )


class InteractionParticipant(models.Model):
    """A person taking part in an interaction."""

    interaction = models.ForeignKey(
        Interaction, on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="participations"
    )

    class Meta:
        ordering = ["interaction", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["interaction", "person"], name="participant_once_per_interaction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.interaction}"
