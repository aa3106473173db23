"""The mentoring relationship: a mentor and a mentee in a program, what they
agreed, and how well each side says the pairing fits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

# A fit of LOW_FIT or lower flags a pair: the threshold lives with the at-risk rules.
from bridgework.core.mentoring.risk import LOW_FIT
from bridgework.mentoring.models.programs import (
    MAX_CADENCE_DAYS,
    Enrollment,
    MeetingFormat,
    Program,
)
from bridgework.web.models import TimestampedModel

__all__ = [
    "DEFAULT_CONFIDENTIALITY",
    "FIT_CHECK_AFTER_SESSIONS",
    "Agreement",
    "FitCheck",
    "MentoringRelationship",
]

#: Held sessions after which each side is asked how well the pairing fits.
FIT_CHECK_AFTER_SESSIONS = 2


class MentoringRelationship(TimestampedModel):
    """A mentor and a mentee in a program.

    Published matches start *active*; a mentee's request to a mentor
    (self-matching) is *requested* until the mentor accepts (active) or
    declines. Ending keeps everything for the record. A mentee has at most
    one live (requested or active) mentor per program.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for the mentor"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        ENDED = "ended", "Ended"

    class Origin(models.TextChoices):
        MATCHED = "matched", "Matched by the program manager"
        SELF = "self", "Chosen by the mentee"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="relationships")
    mentee = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="mentoring_as_mentee"
    )
    mentor = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="mentoring_as_mentor"
    )
    mentee_enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor_enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MATCHED)
    match_score = models.FloatField(null=True, blank=True)
    match_components = models.JSONField(default=dict, blank=True)
    match_explanation = models.TextField(blank=True)
    request_message = models.TextField(blank=True, help_text="Self-matching: the mentee's ask.")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    cadence_reminded_at = models.DateTimeField(null=True, blank=True)

    #: Not a column: which side the viewer is on (``mentee``, ``mentor``, or ``manager``
    #: for a program manager who sees progress only), set by the selector that hands the
    #: relationship out (:func:`~bridgework.mentoring.selectors.access_relationship`);
    #: empty for a relationship not read for a viewer.
    viewer_side: str = ""

    class Meta:
        ordering = ["program", "mentee__full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentee=F("mentor")), name="relationship_mentor_is_not_mentee"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "active", "declined", "ended"]),
                name="mentoringrelationship_status_known",
            ),
            models.CheckConstraint(
                condition=Q(origin__in=["matched", "self"]),
                name="mentoringrelationship_origin_known",
            ),
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(status__in=["requested", "active"]),
                name="mentoringrelationship_one_live_per_mentee",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(status__in=["ended", "declined"]),
                name="mentoringrelationship_ended_on_only_when_over",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="mentoringrelationship_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee} ({self.get_status_display().lower()})"

    def clean(self) -> None:
        if self.mentee_id is not None and self.mentee_id == self.mentor_id:
            raise ValidationError({"mentor": "A mentor cannot mentor themself."})
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "A relationship cannot end before it starts."})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.ACTIVE)

    def side_of(self, person_id: int | None) -> str | None:
        """``"mentee"``, ``"mentor"`` or ``None`` for someone outside the pair."""
        if person_id is None:
            return None
        if person_id == self.mentee_id:
            return "mentee"
        if person_id == self.mentor_id:
            return "mentor"
        return None


DEFAULT_CONFIDENTIALITY = (
    "What we discuss stays between the two of us. Either of us may share what we "
    "learned in general terms; neither shares the other's situations or notes without "
    "asking first. The program manager sees our progress (how often we meet, ratings, "
    "action items), never our notes."
)


class Agreement(models.Model):
    """What a pair agreed: goals, how often they meet, confidentiality, and whether
    the mentee shares their network metrics with the mentor (off unless the
    mentee switches it on; only the mentee can)."""

    relationship = models.OneToOneField(
        MentoringRelationship, on_delete=models.CASCADE, related_name="agreement"
    )
    goals = models.TextField(blank=True)
    cadence_days = models.PositiveSmallIntegerField(default=14)
    meeting_format = models.CharField(
        max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.ANY
    )
    confidentiality = models.TextField(default=DEFAULT_CONFIDENTIALITY)
    share_network_with_mentor = models.BooleanField(
        default=False,
        help_text="The mentee lets the mentor see their individual network metrics.",
    )
    mentee_agreed_at = models.DateTimeField(null=True, blank=True)
    mentor_agreed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["relationship"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_days__gte=1, cadence_days__lte=MAX_CADENCE_DAYS),
                name="agreement_cadence_1_to_90",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement of {self.relationship}"

    @property
    def is_agreed(self) -> bool:
        return self.mentee_agreed_at is not None and self.mentor_agreed_at is not None


class FitCheck(TimestampedModel):
    """After the first sessions, each side says how well the pairing fits (1-5) and
    whether they would like a re-match. Seen by its author and the program manager."""

    relationship = models.ForeignKey(
        MentoringRelationship, on_delete=models.CASCADE, related_name="fit_checks"
    )
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    fit = models.PositiveSmallIntegerField(help_text="1 = poor fit, 5 = excellent fit.")
    wants_rematch = models.BooleanField(default=False)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["relationship", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "author"], name="fitcheck_once_per_author"
            ),
            models.CheckConstraint(condition=Q(fit__gte=1, fit__lte=5), name="fitcheck_fit_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Fit {self.fit}/5 for relationship {self.relationship_id}"

    @property
    def is_low(self) -> bool:
        return self.fit <= LOW_FIT or self.wants_rematch
