"""Stored runs of the organizational network analysis.

A run's tables (the DataFrames of ``core/graph/analysis.py``) are written as
Parquet files under ``BRIDGEWORK_DATA_DIR/analysis/run-<id>/``; each
person's metrics are also rows of :class:`PersonMetric`, so a profile page
reads one row. A run's files are written to a temporary folder and renamed
into place when complete, so a crash leaves the last good run readable.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from bridgework.web.models import CreatedAtModel


class AnalysisRun(CreatedAtModel):
    """One run of the network analysis over the stored ties, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    step = models.CharField(max_length=40, blank=True, help_text="The step running now.")
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    options = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True, help_text="Network-wide figures.")
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds per step.")
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            (
                "view_individual_metrics",
                "Can view anyone's individual network metrics (audited)",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="analysisrun_status_known",
            ),
            models.CheckConstraint(
                condition=Q(steps_done__lte=models.F("steps_total")) | Q(steps_total=0),
                name="analysisrun_steps_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"Network analysis #{self.pk} ({self.get_status_display().lower()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class PersonMetric(models.Model):
    """One person's network metrics in one analysis run (see ``docs/metrics``)."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="person_metrics")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="network_metrics"
    )
    degree = models.PositiveIntegerField(default=0)
    weighted_degree = models.FloatField(default=0.0)
    betweenness = models.FloatField(default=0.0)
    pagerank = models.FloatField(default=0.0)
    eigenvector = models.FloatField(default=0.0)
    k_core = models.PositiveIntegerField(default=0)
    constraint = models.FloatField(null=True, blank=True)
    effective_size = models.FloatField(null=True, blank=True)
    hierarchy = models.FloatField(null=True, blank=True)
    two_step_reach = models.PositiveIntegerField(default=0)
    community = models.PositiveIntegerField(default=0)
    brokerage = models.PositiveIntegerField(default=0, help_text="Open two-paths between groups.")
    roles = models.JSONField(default=dict, blank=True, help_text="Gould-Fernandez role counts.")
    diversity_team = models.FloatField(default=0.0)
    diversity_organization = models.FloatField(default=0.0)
    diversity_engagement = models.FloatField(default=0.0)
    people_cut_off = models.PositiveIntegerField(default=0)
    people_losing_a_group = models.PositiveIntegerField(default=0)
    group_links_lost = models.PositiveIntegerField(default=0)
    cross_group_ties = models.PositiveIntegerField(default=0)
    betweenness_rank = models.PositiveIntegerField(default=0, help_text="1 = highest.")
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["run", "person"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="personmetric_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"Metrics of person {self.person_id} in run {self.run_id}"
