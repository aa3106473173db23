"""Touchpoints people log by hand: meetings, calls, e-mails, chats, events, introductions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bridgework.people.models import Person
from bridgework.web.models import CreatedAtModel, TimestampedModel


class Channel(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    EMAIL = "email", "E-mail"
    CHAT = "chat", "Chat"
    EVENT = "event", "Event"
    INTRODUCTION = "introduction", "Introduction"
    OTHER = "other", "Other"


class Interaction(CreatedAtModel):
    """A touchpoint between two or more people, logged by someone."""

    channel = models.CharField(max_length=12, choices=Channel.choices)
    occurred_at = models.DateTimeField(db_index=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    participants: models.ManyToManyField[Person, InteractionParticipant] = models.ManyToManyField(
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


class ImportRun(CreatedAtModel):
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


class IntroductionRequest(TimestampedModel):
    """A warm introduction asked of the first person on a path to someone.

    The requester found a chain of ties to ``target`` (``path``: person ids from
    the requester to the target) and asks ``via``, the first person on it, to
    introduce them. ``via`` accepts or declines with a note; an accepted
    introduction is recorded as an interaction (channel ``introduction``) and
    its outcome can be noted later. See
    :mod:`bridgework.interactions.services` for the workflow.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Outcome recorded"

    requester = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="introductions_requested"
    )
    via = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="introductions_asked",
        help_text="The first person on the path, asked to make the introduction.",
    )
    target = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="introductions_targeted"
    )
    target_organization = models.ForeignKey(
        "people.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introduction_requests",
        help_text="Set when the requester was looking for anyone at this organization.",
    )
    path = models.JSONField(
        default=list, help_text="Person ids from the requester to the target, in order."
    )
    message = models.TextField(help_text="The ask, in the requester's words.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    response_note = models.TextField(blank=True, help_text="The via person's answer.")
    responded_at = models.DateTimeField(null=True, blank=True)
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introduction_requests",
        help_text="The introduction, recorded as an interaction once accepted.",
    )
    outcome = models.TextField(blank=True, help_text="What came of the introduction.")
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("via"))
                & ~Q(via=models.F("target"))
                & ~Q(requester=models.F("target")),
                name="introduction_three_distinct_people",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "accepted", "declined", "withdrawn", "completed"]
                ),
                name="introduction_status_known",
            ),
            models.CheckConstraint(
                condition=Q(outcome_at__isnull=True) | Q(status="completed"),
                name="introduction_outcome_only_when_completed",
            ),
            models.UniqueConstraint(
                fields=["requester", "via", "target"],
                condition=Q(status="pending"),
                name="introduction_one_pending_per_ask",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.target} via {self.via} ({self.get_status_display()})"

    def clean(self) -> None:
        people = [self.requester_id, self.via_id, self.target_id]
        if None not in people and len(set(people)) < 3:
            raise ValidationError(
                "An introduction needs three different people: you, who introduces, and whom."
            )
        path = list(self.path or [])
        if path and (
            len(path) < 3
            or path[0] != self.requester_id
            or path[1] != self.via_id
            or path[-1] != self.target_id
        ):
            raise ValidationError(
                {"path": "The path runs from the requester through the via person to the target."}
            )

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_answered_yes(self) -> bool:
        """Accepted, with or without an outcome recorded yet."""
        return self.status in (self.Status.ACCEPTED, self.Status.COMPLETED)

    @property
    def hops(self) -> int:
        return max(0, len(self.path or []) - 1)
