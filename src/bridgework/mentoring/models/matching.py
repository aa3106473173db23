"""The program manager's matching: runs of optimal matching, the pairs a run
proposed, and the manager's decisions to fix or veto a pair."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from bridgework.mentoring.models.programs import Enrollment, Program
from bridgework.web.models import CreatedAtModel

__all__ = ["MatchOverride", "MatchingRun", "ProposedMatch"]


class MatchingRun(CreatedAtModel):
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


class MatchOverride(CreatedAtModel):
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
