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


class ImportRun(models.Model):
    """One import of source files into the event store, and what it did.

    Created queued by :func:`~bridgework.interactions.services.import_start`;
    the task (or the CLI, in-process) moves it to running, writes progress
    counters as it goes, and ends it succeeded (with the report) or failed
    (with one clear error). The report holds counts, positions and reasons,
    never message content.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Origin(models.TextChoices):
        WEB = "web", "Import page"
        API = "api", "API"
        CLI = "cli", "Command line"
        DEMO = "demo", "Demo data"

    format = models.CharField(max_length=40, help_text="The reader's name, e.g. 'mbox'.")
    file_names = models.JSONField(default=list, blank=True, help_text="Names as uploaded.")
    stored_paths = models.JSONField(
        default=list, blank=True, help_text="Where the files are read from on the server."
    )
    options = models.JSONField(
        default=dict,
        blank=True,
        help_text="since, until, internal_domains, column_mapping, owner_email, "
        "owner_person_id, include_automated.",
    )
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.WEB)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    bytes_done = models.PositiveBigIntegerField(default=0)
    bytes_total = models.PositiveBigIntegerField(default=0)
    records = models.PositiveIntegerField(default=0, help_text="Records read so far.")
    events = models.PositiveIntegerField(default=0, help_text="Events written so far.")
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
        help_text="Empty for imports run from the command line.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="import_run_status_known",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=["succeeded", "failed"]),
                name="import_run_finished_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.format} import #{self.pk} ({self.status})"

    def clean(self) -> None:
        if self.bytes_total and self.bytes_done > self.bytes_total:
            raise ValidationError({"bytes_done": "Cannot have read more bytes than there are."})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def progress_percent(self) -> int:
        """0-100 by bytes read; 100 once finished."""
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.bytes_total:
            return 0
        return min(100, int(100 * self.bytes_done / self.bytes_total))
