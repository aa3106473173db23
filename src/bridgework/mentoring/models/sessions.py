"""Mentoring sessions, the notes on them (private or shared within the pair) and
each side's feedback."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from bridgework.mentoring.models.relationships import MentoringRelationship
from bridgework.web.models import CreatedAtModel, TimestampedModel

__all__ = ["MentoringSession", "SessionFeedback", "SessionNote"]


class MentoringSession(CreatedAtModel):
    """A mentoring session: scheduled, then logged as held (with the behaviors
    practised) or missed, or cancelled."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    relationship = models.ForeignKey(
        MentoringRelationship, on_delete=models.CASCADE, related_name="sessions"
    )
    scheduled_at = models.DateTimeField(db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    agenda = models.TextField(blank=True)
    behaviors_practiced = models.JSONField(default=list, blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "held", "missed", "cancelled"]),
                name="mentoringsession_status_known",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__lte=8 * 60),
                name="mentoringsession_duration_at_most_8h",
            ),
            models.CheckConstraint(
                condition=Q(logged_at__isnull=True) | ~Q(status="scheduled"),
                name="mentoringsession_logged_only_when_logged",
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.scheduled_at:%Y-%m-%d} ({self.status}) of {self.relationship}"

    def clean(self) -> None:
        if self.duration_minutes is not None and self.duration_minutes > 8 * 60:
            raise ValidationError({"duration_minutes": "A session lasts at most 8 hours."})

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD


class SessionNote(TimestampedModel):
    """A note on a session: private to its author, or shared with the other side of
    the pair. Program managers and admins never read notes."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        SHARED = "shared", "Shared with my mentor / mentee"

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    text = models.TextField()

    class Meta:
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["private", "shared"]),
                name="sessionnote_visibility_known",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_visibility_display()} note by {self.author_id} on session {self.session_id}"
        )

    def clean(self) -> None:
        if not (self.text or "").strip():
            raise ValidationError({"text": "Write the note."})


class SessionFeedback(CreatedAtModel):
    """One side's short feedback on a session: how useful it was (1-5) and a comment.

    Seen by its author and the program manager, not by the other side, so it
    can be candid.
    """

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(help_text="1 = not useful, 5 = very useful.")
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["session", "id"]
        verbose_name_plural = "session feedback"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "author"], name="sessionfeedback_once_per_author"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="sessionfeedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.rating}/5 on session {self.session_id}"
