"""Assessments of a mentee on the framework's behaviors, and their ratings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from bridgework.mentoring.frameworks import LEVELS
from bridgework.mentoring.models.frameworks import FrameworkVersion
from bridgework.mentoring.models.programs import Enrollment
from bridgework.mentoring.models.relationships import MentoringRelationship
from bridgework.web.models import CreatedAtModel

__all__ = ["Assessment", "AssessmentRating"]

_LEVEL_RANGE = Q(level__gte=LEVELS[0], level__lte=LEVELS[-1])


class Assessment(CreatedAtModel):
    """Ratings of a mentee on the framework's behaviors, by the mentee themself, their
    mentor or a peer, at one round (start, midpoint, end or a check-in).

    ``framework_version`` is the exact version rated against, so the form and
    its rubric read the same after the framework is edited.
    """

    class Kind(models.TextChoices):
        SELF = "self", "Self"
        MENTOR = "mentor", "Mentor"
        PEER = "peer", "Peer"

    class Round(models.TextChoices):
        START = "start", "Start"
        MIDPOINT = "midpoint", "Midpoint"
        END = "end", "End"
        CHECKIN = "checkin", "Check-in"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUBMITTED = "submitted", "Submitted"

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="assessments",
        help_text="The mentee's enrollment.",
    )
    relationship = models.ForeignKey(
        MentoringRelationship,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    subject = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    assessor = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    round = models.CharField(max_length=10, choices=Round.choices)
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    comment = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    #: Not columns: what the viewer may do and see, set by the selectors that hand the
    #: assessment out (:func:`~bridgework.mentoring.selectors.access_assessment`). The
    #: assessor fills it in while it is requested; the assessor's observations and
    #: comment are for the assessor, the pair and the subject, not program managers.
    #: Both are off for an assessment not read for a viewer.
    viewer_can_fill: bool = False
    viewer_sees_notes: bool = False

    class Meta:
        ordering = ["enrollment", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["self", "mentor", "peer"]), name="assessment_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(round__in=["start", "midpoint", "end", "checkin"]),
                name="assessment_round_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "submitted"]),
                name="assessment_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted", submitted_at__isnull=False)
                | Q(status="requested", submitted_at__isnull=True),
                name="assessment_submitted_at_when_submitted",
            ),
            models.CheckConstraint(
                condition=Q(kind="self", assessor=F("subject"))
                | (~Q(kind="self") & ~Q(assessor=F("subject"))),
                name="assessment_self_is_by_the_subject",
            ),
            models.UniqueConstraint(
                fields=["enrollment", "assessor", "kind", "round"],
                condition=~Q(round="checkin"),
                name="assessment_once_per_round",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} assessment of {self.subject} "
            f"({self.get_round_display().lower()}, {self.status})"
        )

    def clean(self) -> None:
        if self.kind == self.Kind.SELF and self.assessor_id != self.subject_id:
            raise ValidationError({"assessor": "A self-assessment is made by the mentee."})
        if self.kind != self.Kind.SELF and self.assessor_id == self.subject_id:
            raise ValidationError({"assessor": "Mentor and peer assessments are by someone else."})

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def when(self) -> dt.datetime:
        return self.submitted_at or self.created_at


class AssessmentRating(models.Model):
    """One behavior's 1-5 level in an assessment, with optional evidence."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    behavior_key = models.CharField(max_length=50)
    level = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=500, blank=True, help_text="What was observed.")

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "behavior_key"], name="assessmentrating_once_per_behavior"
            ),
            models.CheckConstraint(condition=_LEVEL_RANGE, name="assessmentrating_level_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.behavior_key}: {self.level}"
