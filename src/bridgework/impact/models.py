"""Objectives, their relationship plans, and outcomes with the evidence of who contributed.

* :class:`Objective` — what a person (or a team) wants to achieve: why, by
  when, how success is measured, and the skills and organizations it needs.
  It can be shared, read-only, with a mentor (a person) or a team
  (:class:`ObjectiveShare`).
* :class:`Stakeholder` — one person in an objective's relationship plan:
  proposed by Bridgework and accepted, or added by hand; with the tie
  strength aimed for, a contact cadence and the next step. Removing one keeps
  the row as *dismissed*, so it is not proposed again.
* :class:`Outcome` — a result (deal, hire, solved problem, partnership,
  knowledge, other) with a value in one unit (money, hours saved, or a 1-5
  impact rating), its date and evidence, linked to an objective and to the
  people (:class:`OutcomeContributor`), introductions and interactions that
  contributed. :class:`ContributionPath` and :class:`PathStep` hold the
  chains of people from the owner to each contributor that the attribution
  methods split the credit over (``docs/impact.md``).

Plan progress, attribution and return on impact are computed from these rows
and the event store, never typed in: see :mod:`bridgework.impact.selectors`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from bridgework.core.impact.attribution import METHODS
from bridgework.core.impact.records import OUTCOME_KINDS, UNITS
from bridgework.web.models import CreatedAtModel, TimestampedModel

#: Longest "why" and evidence texts, in characters.
MAX_TEXT = 2000
#: Longest contact cadence a stakeholder may have (a year).
MAX_CADENCE_DAYS = 365
#: Largest value an outcome may have (in any unit).
MAX_VALUE = Decimal("1000000000")


class Objective(TimestampedModel):
    """Something a person, a team or a mentoring program wants to achieve, and what it needs.

    ``owner`` is the person responsible (for a team or program objective,
    whoever set it for the team or program). ``started_on`` is when its relationship plan starts: plan
    progress counts from that day.
    """

    class Scope(models.TextChoices):
        PERSON = "person", "Mine"
        TEAM = "team", "My team's"
        PROGRAM = "program", "A mentoring program's"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    owner = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="objectives")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.PERSON)
    team = models.ForeignKey(
        "people.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="objectives",
        help_text="The team whose objective it is (team objectives only).",
    )
    program = models.ForeignKey(
        "mentoring.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="objectives",
        help_text="The mentoring program whose objective it is (program objectives only).",
    )
    title = models.CharField(max_length=200, help_text="What you want to achieve.")
    why = models.TextField(blank=True, help_text="Why it matters.")
    success_measure = models.CharField(
        max_length=500, blank=True, help_text="How you will know it worked."
    )
    target_date = models.DateField(null=True, blank=True)
    started_on = models.DateField(
        default=timezone.localdate, help_text="When the plan starts; progress counts from here."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    needed_skills = models.ManyToManyField("people.Skill", blank=True, related_name="+")
    needed_organizations = models.ManyToManyField(
        "people.Organization", blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["person", "team", "program"]), name="objective_scope_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "achieved", "dropped"]),
                name="objective_status_known",
            ),
            models.CheckConstraint(
                condition=Q(scope="person", team__isnull=True, program__isnull=True)
                | Q(scope="team", team__isnull=False, program__isnull=True)
                | Q(scope="program", team__isnull=True, program__isnull=False),
                name="objective_group_matches_scope",
            ),
            models.CheckConstraint(
                condition=Q(target_date__isnull=True) | Q(target_date__gte=F("started_on")),
                name="objective_target_after_start",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"], name="objective_owner_status_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.scope == self.Scope.TEAM and self.team_id is None:
            errors["team"] = "A team objective needs its team."
        if self.scope != self.Scope.TEAM and self.team_id is not None:
            errors["team"] = "Only a team objective belongs to a team."
        if self.scope == self.Scope.PROGRAM and self.program_id is None:
            errors["program"] = "A program objective needs its program."
        if self.scope != self.Scope.PROGRAM and self.program_id is not None:
            errors["program"] = "Only a program objective belongs to a program."
        if self.target_date and self.started_on and self.target_date < self.started_on:
            errors["target_date"] = "The target date cannot be before the plan starts."
        if self.why and len(self.why) > MAX_TEXT:
            errors["why"] = f"Keep the why under {MAX_TEXT} characters."
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ObjectiveShare(models.Model):
    """An objective shared, read-only, with one person (a mentor) or one team."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "people.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["objective", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, team__isnull=True)
                | Q(person__isnull=True, team__isnull=False),
                name="objectiveshare_person_or_team",
            ),
            models.UniqueConstraint(
                fields=["objective", "person"],
                condition=Q(person__isnull=False),
                name="objectiveshare_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["objective", "team"],
                condition=Q(team__isnull=False),
                name="objectiveshare_once_per_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objective} shared with {self.person or self.team}"

    def clean(self) -> None:
        if (self.person_id is None) == (self.team_id is None):
            raise ValidationError("Share with one person or one team.")
        if self.person_id is not None and self.person_id == getattr(
            self.objective, "owner_id", None
        ):
            raise ValidationError({"person": "The objective is yours already."})


class Stakeholder(TimestampedModel):
    """A person in an objective's relationship plan.

    ``origin`` says whether Bridgework proposed them or the owner added them;
    ``reason`` is why (Bridgework's explanation, or the owner's note).
    ``target_strength`` (0-1) is the tie strength aimed for (empty: "some tie",
    0.15), ``cadence_days`` how often to be in touch, ``next_step`` the owner's
    own next step (empty: Bridgework suggests one).
    """

    class Origin(models.TextChoices):
        PROPOSED = "proposed", "Proposed by Bridgework"
        ADDED = "added", "Added by hand"

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "In the plan"
        DISMISSED = "dismissed", "Removed"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="stakeholders")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.ADDED)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    reason = models.CharField(max_length=300, blank=True)
    target_strength = models.FloatField(null=True, blank=True)
    cadence_days = models.PositiveSmallIntegerField(null=True, blank=True)
    next_step = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["objective", "status", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "person"], name="stakeholder_once_per_objective"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=["proposed", "added"]), name="stakeholder_origin_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["accepted", "dismissed"]), name="stakeholder_status_known"
            ),
            models.CheckConstraint(
                condition=Q(target_strength__isnull=True)
                | Q(target_strength__gt=0, target_strength__lte=1),
                name="stakeholder_target_0_to_1",
            ),
            models.CheckConstraint(
                condition=Q(cadence_days__isnull=True)
                | Q(cadence_days__gte=1, cadence_days__lte=MAX_CADENCE_DAYS),
                name="stakeholder_cadence_1_to_365",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in the plan for {self.objective} ({self.status})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.person_id is not None and self.person_id == getattr(
            self.objective, "owner_id", None
        ):
            errors["person"] = "You cannot be a stakeholder in your own plan."
        if self.target_strength is not None and not 0 < self.target_strength <= 1:
            errors["target_strength"] = "A target tie strength lies above 0 and at most 1."
        if self.cadence_days is not None and not 1 <= self.cadence_days <= MAX_CADENCE_DAYS:
            errors["cadence_days"] = f"Choose a cadence from 1 to {MAX_CADENCE_DAYS} days."
        if errors:
            raise ValidationError(errors)

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED


class OutcomeKind(models.TextChoices):
    """The kinds of result (``core.impact.records.OUTCOME_KINDS``)."""

    DEAL = "deal", "Deal"
    HIRE = "hire", "Hire"
    SOLVED_PROBLEM = "solved_problem", "Solved problem"
    PARTNERSHIP = "partnership", "Partnership"
    KNOWLEDGE = "knowledge", "Knowledge gained"
    OTHER = "other", "Other"


class Unit(models.TextChoices):
    """The unit of an outcome's value (``core.impact.records.UNITS``); never mixed."""

    MONEY = "money", "Money"
    HOURS = "hours", "Hours saved"
    RATING = "rating", "Impact rating (1-5)"


class CreditMethod(models.TextChoices):
    """Attribution methods (``core.impact.attribution.METHODS``)."""

    DECLARED = "declared", "Declared by the owner"
    FIRST_TOUCH = "first_touch", "First touch"
    LAST_TOUCH = "last_touch", "Last touch"
    SHAPLEY = "shapley", "Shapley split over the paths"


class Outcome(TimestampedModel):
    """A result and its value, with what contributed to it.

    ``value`` is in ``unit``: ``money`` (the deployment's currency),
    ``hours`` (hours saved) or ``rating`` (an impact rating from 1 to 5); units
    are never added together. ``credit_method`` is the attribution used for
    return on impact (every method is shown on the outcome's page).
    """

    Kind = OutcomeKind
    Unit = Unit
    Method = CreditMethod

    owner = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="outcomes")
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes"
    )
    kind = models.CharField(max_length=20, choices=OutcomeKind.choices)
    title = models.CharField(max_length=200, help_text="The result, in a few words.")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    occurred_on = models.DateField()
    evidence = models.TextField(blank=True, help_text="What shows it happened (a link, a number).")
    credit_method = models.CharField(max_length=20, choices=CreditMethod.choices, default="shapley")
    introductions = models.ManyToManyField(
        "interactions.IntroductionRequest", blank=True, related_name="impact_outcomes"
    )
    interactions = models.ManyToManyField(
        "interactions.Interaction", blank=True, related_name="impact_outcomes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OUTCOME_KINDS), name="outcome_kind_known"),
            models.CheckConstraint(condition=Q(unit__in=UNITS), name="outcome_unit_known"),
            models.CheckConstraint(
                condition=Q(credit_method__in=METHODS), name="outcome_credit_method_known"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=MAX_VALUE), name="outcome_value_in_range"
            ),
            models.CheckConstraint(
                condition=~Q(unit="rating") | Q(value__gte=1, value__lte=5),
                name="outcome_rating_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["owner", "occurred_on"], name="outcome_owner_day_idx")]

    def __str__(self) -> str:
        value = f"{float(self.value):,.2f}".rstrip("0").rstrip(".")
        return f"{self.title} ({value} {self.unit}, {self.occurred_on})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.value is not None:
            if self.value < 0:
                errors["value"] = "A value cannot be negative."
            elif self.value > MAX_VALUE:
                errors["value"] = "That value is too large."
            elif self.unit == "rating" and not 1 <= self.value <= 5:
                errors["value"] = "An impact rating goes from 1 to 5."
        if self.occurred_on and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = "An outcome is logged once it happened, not in the future."
        if self.evidence and len(self.evidence) > MAX_TEXT:
            errors["evidence"] = f"Keep the evidence under {MAX_TEXT} characters."
        if errors:
            raise ValidationError(errors)


class OutcomeContributor(models.Model):
    """Someone the owner says contributed, optionally reached through someone
    (``via``), with the share the owner declares (any scale; empty: none)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="contributors")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    via = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who connected you with them, if anyone.",
    )
    share = models.FloatField(null=True, blank=True, help_text="Declared share, any scale.")

    class Meta:
        ordering = ["outcome", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "person"], name="outcomecontributor_once_per_outcome"
            ),
            models.CheckConstraint(
                condition=~Q(person=F("via")), name="outcomecontributor_not_own_via"
            ),
            models.CheckConstraint(
                condition=Q(share__isnull=True) | Q(share__gte=0),
                name="outcomecontributor_share_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} contributed to {self.outcome}"

    def clean(self) -> None:
        if self.person_id is not None and self.person_id == self.via_id:
            raise ValidationError({"via": "Someone cannot connect you with themselves."})
        if self.share is not None and self.share < 0:
            raise ValidationError({"share": "A share cannot be negative."})


class ContributionPath(models.Model):
    """A chain of people from the outcome's owner to someone who made it possible.

    Derived by :func:`~bridgework.impact.services.outcome_log` from the linked
    introductions, contributors and interactions (``origin`` says which);
    its people are the :class:`PathStep` rows in order.
    """

    class Origin(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction"
        CONTRIBUTOR = "contributor", "Contributor"
        INTERACTION = "interaction", "Interaction"

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="paths")
    position = models.PositiveSmallIntegerField()
    origin = models.CharField(max_length=15, choices=Origin.choices)
    introduction = models.ForeignKey(
        "interactions.IntroductionRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["outcome", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "position"], name="contributionpath_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=["introduction", "contributor", "interaction"]),
                name="contributionpath_origin_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Path {self.position} of outcome {self.outcome_id} ({self.origin})"


class PathStep(models.Model):
    """One person on a contribution path; ``used_on`` is the day the hop from the
    previous person was first used (empty for the owner, at position 0)."""

    path = models.ForeignKey(ContributionPath, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    used_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["path", "position"]
        constraints = [
            models.UniqueConstraint(fields=["path", "position"], name="pathstep_unique_position"),
            models.UniqueConstraint(fields=["path", "person"], name="pathstep_person_once"),
            models.CheckConstraint(
                condition=Q(position=0, used_on__isnull=True) | Q(position__gt=0),
                name="pathstep_owner_has_no_hop_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Step {self.position} of path {self.path_id}: person {self.person_id}"


class EvaluationRun(CreatedAtModel):
    """One evaluation of a mentoring program against a comparison group.

    The program's mentees are compared with similar people who did not take
    part (matched on team, level, tenure and starting network), as a
    difference in differences of each measure between ``before_day`` (the day
    before the program started) and ``after_day``; see ``docs/impact.md`` §7.
    Its :class:`EvaluationResult` rows hold one measure each.
    """

    program = models.ForeignKey(
        "mentoring.Program", on_delete=models.CASCADE, related_name="impact_evaluations"
    )
    before_day = models.DateField()
    after_day = models.DateField()
    participants = models.PositiveIntegerField(help_text="Mentees evaluated.")
    pool = models.PositiveIntegerField(help_text="Non-participants they could be compared with.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(after_day__gt=F("before_day")), name="evaluationrun_after_later"
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.program} on {self.after_day}"


class EvaluationResult(models.Model):
    """The matched difference in differences of one measure in an :class:`EvaluationRun`.

    With verdict ``too_small`` or ``no_comparison`` the numbers are kept for
    analysts but pages show only the wording.
    """

    class Verdict(models.TextChoices):
        TOO_SMALL = "too_small", "Too small to conclude"
        NO_COMPARISON = "no_comparison", "No comparison group"
        NO_CLEAR_EFFECT = "no_clear_effect", "No clear effect"
        INCREASE = "increase", "Increase"
        DECREASE = "decrease", "Decrease"

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=40)
    measure_label = models.CharField(max_length=100)
    participants = models.PositiveIntegerField()
    comparison_people = models.PositiveIntegerField()
    treated_change = models.FloatField(null=True, blank=True)
    comparison_change = models.FloatField(null=True, blank=True)
    effect = models.FloatField(null=True, blank=True)
    standard_error = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    confidence = models.FloatField(default=0.95)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    wording = models.TextField()
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "measure"], name="evaluationresult_once"),
            models.CheckConstraint(
                condition=Q(
                    verdict__in=[
                        "too_small",
                        "no_comparison",
                        "no_clear_effect",
                        "increase",
                        "decrease",
                    ]
                ),
                name="evaluationresult_verdict_known",
            ),
            models.CheckConstraint(
                condition=Q(ci_low__isnull=True)
                | Q(ci_high__isnull=True)
                | Q(ci_low__lte=F("ci_high")),
                name="evaluationresult_interval_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_label}: {self.get_verdict_display()}"

    @property
    def is_finding(self) -> bool:
        """Whether the numbers may be shown as a result (not too small, a comparison exists)."""
        return self.verdict not in (self.Verdict.TOO_SMALL, self.Verdict.NO_COMPARISON)
