"""Programs and enrollment: a program's goal, framework, dates, matching mode and
settings; who takes part in it as a mentor or a mentee, with their profile."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from bridgework.core.matching import Constraints, Weights
from bridgework.mentoring.frameworks import LEVELS
from bridgework.mentoring.models.frameworks import FrameworkVersion
from bridgework.web.models import TimestampedModel

__all__ = ["MAX_CADENCE_DAYS", "MAX_CAPACITY", "Enrollment", "MeetingFormat", "Program"]

#: Longest session cadence a program or agreement may set, in days.
MAX_CADENCE_DAYS = 90
#: Most mentees one mentor may take in one program.
MAX_CAPACITY = 10


class MeetingFormat(models.TextChoices):
    """How a pair prefers to meet (a mentee's preference, a mentor's offer)."""

    ANY = "any", "No preference"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"


class Program(TimestampedModel):
    """A mentoring program: its goal, framework, dates, matching mode and settings.

    A *cohort* runs from ``start_date`` to ``end_date`` with assessments at the
    start, midpoint and end; an *ongoing* program has no end and assesses every
    ``assessment_cadence_days``. A program is a draft until it opens
    enrollment, active while it runs, and finished at the end.
    """

    class Kind(models.TextChoices):
        COHORT = "cohort", "Cohort"
        ONGOING = "ongoing", "Ongoing"

    class MatchingMode(models.TextChoices):
        MANAGER = "manager", "Program manager matches (review, override, publish)"
        SELF = "self", "Mentees choose from ranked suggestions"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        FINISHED = "finished", "Finished"

    name = models.CharField(max_length=200, unique=True)
    goal = models.TextField(help_text="What the program is for, in a few sentences.")
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="programs"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COHORT)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Empty for an ongoing program.")
    matching_mode = models.CharField(
        max_length=10, choices=MatchingMode.choices, default=MatchingMode.MANAGER
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    enrollment_open = models.BooleanField(default=False)
    session_cadence_days = models.PositiveSmallIntegerField(
        default=14, help_text="How often pairs are expected to meet, in days."
    )
    assessment_cadence_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Ongoing programs: days between check-in assessments (empty: 90).",
    )
    max_time_zone_difference_hours = models.FloatField(
        null=True,
        blank=True,
        default=6.0,
        help_text="Largest difference between a pair's local times (empty: any).",
    )
    allow_repeat_pairing = models.BooleanField(default=False)
    maximize_participation = models.BooleanField(
        default=True,
        help_text="Match as many mentees as possible first, then maximize the total score.",
    )
    weight_behavior = models.FloatField(default=0.4)
    weight_network = models.FloatField(default=0.3)
    weight_skills = models.FloatField(default=0.2)
    weight_preferences = models.FloatField(default=0.1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentoring_programs",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["cohort", "ongoing"]), name="program_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(matching_mode__in=["manager", "self"]),
                name="program_matching_mode_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "finished"]),
                name="program_status_known",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="program_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="cohort") | Q(end_date__isnull=False),
                name="program_cohort_has_end",
            ),
            models.CheckConstraint(
                condition=Q(enrollment_open=False) | Q(status="active"),
                name="program_enrollment_open_only_when_active",
            ),
            models.CheckConstraint(
                condition=Q(
                    session_cadence_days__gte=1, session_cadence_days__lte=MAX_CADENCE_DAYS
                ),
                name="program_cadence_1_to_90",
            ),
            models.CheckConstraint(
                condition=Q(max_time_zone_difference_hours__isnull=True)
                | Q(max_time_zone_difference_hours__gte=0, max_time_zone_difference_hours__lte=12),
                name="program_time_zone_window_0_to_12",
            ),
            models.CheckConstraint(
                condition=Q(
                    weight_behavior__gte=0,
                    weight_network__gte=0,
                    weight_skills__gte=0,
                    weight_preferences__gte=0,
                ),
                name="program_weights_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == self.Kind.COHORT and not self.end_date:
            errors["end_date"] = "A cohort program ends on a date: give it."
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The program cannot end before it starts."
        if self.enrollment_open and self.status != self.Status.ACTIVE:
            errors["enrollment_open"] = "Only an active program takes enrollments."
        weights = (
            self.weight_behavior,
            self.weight_network,
            self.weight_skills,
            self.weight_preferences,
        )
        if any(w is not None and w < 0 for w in weights):
            errors["weight_behavior"] = "Matching weights cannot be negative."
        elif all(w is not None for w in weights) and sum(weights) <= 0:
            errors["weight_behavior"] = "At least one matching weight must be positive."
        if errors:
            raise ValidationError(errors)

    @property
    def is_ongoing(self) -> bool:
        return self.kind == self.Kind.ONGOING

    @property
    def midpoint(self) -> dt.date | None:
        if self.end_date is None:
            return None
        return self.start_date + (self.end_date - self.start_date) / 2

    @property
    def checkin_days(self) -> int:
        return self.assessment_cadence_days or 90

    def matching_weights(self) -> Weights:
        return Weights(
            behavior=self.weight_behavior,
            network=self.weight_network,
            skills=self.weight_skills,
            preferences=self.weight_preferences,
        )

    def matching_constraints(self) -> Constraints:
        return Constraints(
            max_time_zone_difference_hours=self.max_time_zone_difference_hours,
            allow_repeat_pairing=self.allow_repeat_pairing,
        )


class Enrollment(TimestampedModel):
    """Someone taking part in a program as a mentor or a mentee, with their profile.

    ``behaviors_to_develop`` (mentees) are framework behavior keys;
    ``self_levels`` maps behavior keys to the person's own 1-5 rating (until an
    assessment gives better ones). ``capacity`` is how many mentees a mentor
    takes (0 for mentees). Withdrawing keeps the row (and its history).
    """

    class Role(models.TextChoices):
        MENTEE = "mentee", "Mentee"
        MENTOR = "mentor", "Mentor"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="mentoring_enrollments"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    goals = models.TextField(blank=True, help_text="What the person wants from the program.")
    behaviors_to_develop = models.JSONField(default=list, blank=True)
    self_levels = models.JSONField(default=dict, blank=True)
    skills_wanted = models.ManyToManyField("people.Skill", blank=True, related_name="+")
    needed_teams = models.ManyToManyField(
        "people.Team", blank=True, related_name="+", help_text="Teams the person's goals need."
    )
    needed_organizations = models.ManyToManyField(
        "people.Organization",
        blank=True,
        related_name="+",
        help_text="Organizations the person's goals need.",
    )
    availability = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(
        max_length=64, blank=True, help_text="Empty: the time zone of the person's profile."
    )
    meeting_format = models.CharField(
        max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.ANY
    )
    prefer_other_team = models.BooleanField(default=False)
    preferred_mentors = models.ManyToManyField("people.Person", blank=True, related_name="+")
    excluded_people = models.ManyToManyField(
        "people.Person",
        blank=True,
        related_name="+",
        help_text="People this person does not want to be paired with.",
    )
    capacity = models.PositiveSmallIntegerField(default=0, help_text="Mentors: how many mentees.")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["program", "role", "person__full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person", "role"], name="enrollment_once_per_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["mentee", "mentor"]), name="enrollment_role_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "withdrawn"]), name="enrollment_status_known"
            ),
            models.CheckConstraint(
                condition=Q(role="mentor") | Q(capacity=0), name="enrollment_capacity_mentors_only"
            ),
            models.CheckConstraint(
                condition=Q(capacity__lte=MAX_CAPACITY), name="enrollment_capacity_at_most_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display().lower()}) in {self.program}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.role == self.Role.MENTEE and self.capacity:
            errors["capacity"] = "Only mentors take mentees."
        if self.capacity is not None and self.capacity > MAX_CAPACITY:
            errors["capacity"] = f"A mentor takes at most {MAX_CAPACITY} mentees."
        if not isinstance(self.self_levels, dict) or any(
            not isinstance(v, int) or isinstance(v, bool) or v not in LEVELS
            for v in (self.self_levels or {}).values()
        ):
            errors["self_levels"] = "Rate each behavior from 1 to 5."
        if self.program_id is not None:
            keys = set(self.program.framework_version.behavior_keys)
            unknown = [
                k
                for k in [*(self.behaviors_to_develop or []), *(self.self_levels or {})]
                if k not in keys
            ]
            if unknown:
                errors["behaviors_to_develop"] = (
                    f"Not a behavior of this program's framework: {', '.join(sorted(set(unknown)))}."
                )
        if self.time_zone:
            try:
                zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                errors["time_zone"] = (
                    f"Unknown time zone {self.time_zone!r}; use a name like Europe/Paris."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def effective_time_zone(self) -> str:
        return self.time_zone or self.person.time_zone or "UTC"
