"""Mentoring programs: behavior frameworks, enrollment, matching, the mentoring
relationship (agreement, sessions, notes, action items, practice plans,
introductions), assessments, feedback and network snapshots.

Who may read what is decided in :mod:`bridgework.accounts.policies` and
applied by :mod:`bridgework.mentoring.selectors`; writes go through
:mod:`bridgework.mentoring.services`. In short: a pair sees its own
relationship (each side's private notes stay with their author); the mentee
decides whether the mentor sees their network metrics; program managers see
progress (counts, cadence, ratings, aggregate network growth), never notes;
a peer asked for an assessment sees only that assessment's form.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from bridgework.mentoring.frameworks import LEVELS

#: Held sessions after which each side is asked how well the pairing fits.
FIT_CHECK_AFTER_SESSIONS = 2
#: A fit of this or lower (1-5) puts a pair at risk.
LOW_FIT = 2
#: A pair with no held session for this many times its cadence is at risk.
AT_RISK_CADENCE_FACTOR = 2
#: A pair with at least this many overdue action items is at risk.
AT_RISK_OVERDUE_ITEMS = 2
#: Longest session cadence a program or agreement may set, in days.
MAX_CADENCE_DAYS = 90
#: Most mentees one mentor may take in one program.
MAX_CAPACITY = 10

_LEVEL_RANGE = Q(level__gte=LEVELS[0], level__lte=LEVELS[-1])


class MeetingFormat(models.TextChoices):
    """How a pair prefers to meet (a mentee's preference, a mentor's offer)."""

    ANY = "any", "No preference"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"


# ---- Frameworks ---------------------------------------------------------------------


class BehaviorFramework(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)

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


class FrameworkVersion(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)

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


# ---- Programs and enrollment -----------------------------------------------------------


class Program(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
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

    def matching_weights(self):
        from bridgework.core.matching import Weights

        return Weights(
            behavior=self.weight_behavior,
            network=self.weight_network,
            skills=self.weight_skills,
            preferences=self.weight_preferences,
        )

    def matching_constraints(self):
        from bridgework.core.matching import Constraints

        return Constraints(
            max_time_zone_difference_hours=self.max_time_zone_difference_hours,
            allow_repeat_pairing=self.allow_repeat_pairing,
        )


class Enrollment(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
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
            import zoneinfo

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


# ---- Matching --------------------------------------------------------------------------


class MatchingRun(models.Model):
    """One run of optimal matching over a program's pool, and what it proposed.

    The newest run of a program is the one under review; running again
    supersedes it. Publishing turns its proposed matches into mentoring
    relationships.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed (under review)"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="matching_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    maximize_participation = models.BooleanField(default=True)
    options = models.JSONField(default=dict, blank=True, help_text="Weights and constraints.")
    fixed = models.JSONField(default=list, blank=True, help_text="[[mentee, mentor]] person ids.")
    forbidden = models.JSONField(default=list, blank=True)
    mentees = models.PositiveIntegerField(default=0, help_text="Mentees in the pool.")
    mentors = models.PositiveIntegerField(default=0, help_text="Mentors in the pool.")
    total_score = models.FloatField(default=0.0)
    unmatched = models.JSONField(default=dict, blank=True, help_text="Person id → reason.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "published", "superseded"]),
                name="matchingrun_status_known",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="published"),
                name="matchingrun_published_at_only_when_published",
            ),
        ]

    def __str__(self) -> str:
        return f"Matching run #{self.pk} of {self.program} ({self.status})"


class ProposedMatch(models.Model):
    """A pair a matching run proposed: the score, its four parts and the explanation."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="matches")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    total = models.FloatField()
    behavior = models.FloatField()
    network = models.FloatField()
    skills = models.FloatField()
    preferences = models.FloatField()
    explanation = models.TextField()
    fixed = models.BooleanField(default=False, help_text="Kept by the program manager.")

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="proposedmatch_one_per_mentee"),
            models.CheckConstraint(
                condition=Q(total__gte=0, total__lte=1), name="proposedmatch_total_0_to_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee.person} ← {self.mentor.person}: {self.total:.2f}"

    @property
    def components(self) -> dict[str, float]:
        return {
            "behavior": self.behavior,
            "network": self.network,
            "skills": self.skills,
            "preferences": self.preferences,
        }


class MatchOverride(models.Model):
    """The program manager's decision about one pair: keep it (fix) or never propose it (veto)."""

    class Kind(models.TextChoices):
        FIX = "fix", "Fixed"
        VETO = "veto", "Vetoed"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="overrides")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentee", "mentor"], name="matchoverride_once_per_pair"
            ),
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(kind="fix"),
                name="matchoverride_one_fix_per_mentee",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["fix", "veto"]), name="matchoverride_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(mentee=F("mentor")), name="matchoverride_two_enrollments"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentee.person} with {self.mentor.person}"


# ---- The mentoring relationship ----------------------------------------------------------


class MentoringRelationship(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class MentoringSession(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)

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


class SessionNote(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class SessionFeedback(models.Model):
    """One side's short feedback on a session: how useful it was (1-5) and a comment.

    Seen by its author and the program manager, not by the other side, so it
    can be candid.
    """

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(help_text="1 = not useful, 5 = very useful.")
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

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


class FitCheck(models.Model):
    """After the first sessions, each side says how well the pairing fits (1-5) and
    whether they would like a re-match. Seen by its author and the program manager."""

    relationship = models.ForeignKey(
        MentoringRelationship, on_delete=models.CASCADE, related_name="fit_checks"
    )
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    fit = models.PositiveSmallIntegerField(help_text="1 = poor fit, 5 = excellent fit.")
    wants_rematch = models.BooleanField(default=False)
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class ActionItem(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)

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


class PracticePlan(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class RelationshipIntroduction(models.Model):
    """An introduction the mentor made from their own network for the mentee,
    recorded through the introduction workflow (an
    :class:`~bridgework.interactions.models.IntroductionRequest`)."""

    relationship = models.ForeignKey(
        MentoringRelationship, on_delete=models.CASCADE, related_name="introductions"
    )
    introduction = models.OneToOneField(
        "interactions.IntroductionRequest", on_delete=models.CASCADE, related_name="mentoring"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["relationship", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"Introduction #{self.introduction_id} in relationship {self.relationship_id}"


# ---- Assessments -------------------------------------------------------------------


class Assessment(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

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


# ---- Network snapshots ------------------------------------------------------------------


class NetworkSnapshot(models.Model):
    """A person's network measures on one day, kept so pages need not recompute them.

    Filled by :func:`~bridgework.mentoring.services.network_snapshots_fill` from
    :func:`bridgework.analysis.snapshots.network_measures_at`. A past day is
    kept; the current day is refreshed when older than a few hours.
    Individual metrics: read only through the mentoring selectors' rules.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    measures = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["person", "day"]
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="networksnapshot_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"Network of {self.person_id} on {self.day}"
