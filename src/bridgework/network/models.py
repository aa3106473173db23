"""Ties computed from the event store, personal relationship portfolios and nudges.

:class:`Tie` rows are *results*: :func:`~bridgework.network.services.ties_recompute`
replaces them from the event store (see ``docs/network-app.md``). They are read
through :mod:`bridgework.network.selectors`, which shows a member only their
own ties. :class:`PortfolioEntry` and :class:`Nudge` belong to one person (the
owner) and are only ever shown to them; :class:`NetworkPreference` is what a
person allows of their place in the network (e.g. not to be an introducer).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from bridgework.web.models import CreatedAtModel, TimestampedModel

#: Longest cadence a person may set for a relationship (two years).
MAX_CADENCE_DAYS = 730


class Band(models.TextChoices):
    """Tie-strength bands (see ``core/relationships/strength.py``)."""

    STRONG = "strong", "Strong"
    REGULAR = "regular", "Regular"
    OCCASIONAL = "occasional", "Occasional"
    DORMANT = "dormant", "Dormant"


#: Bands that count as an *active* relationship against the ~150 a person can keep up.
ACTIVE_BANDS = frozenset({Band.STRONG, Band.REGULAR, Band.OCCASIONAL})


class Trend(models.TextChoices):
    RISING = "rising", "Rising"
    STEADY = "steady", "Steady"
    COOLING = "cooling", "Cooling"


class TieQuerySet(models.QuerySet):
    def consented(self) -> TieQuerySet:
        """Only ties between two people who both consent to analytics.

        Every read of ties outside the recomputation goes through
        :func:`bridgework.network.selectors.consented_ties`, which applies this.
        """
        return self.filter(person_a__analytics_consent=True, person_b__analytics_consent=True)


class Tie(models.Model):
    """The computed tie between two people, stored once per unordered pair.

    ``person_a`` always has the smaller id. ``features`` holds the aggregated
    columns of ``core.events.ties.aggregate_ties`` (timestamps as ISO strings)
    and ``components`` the parts of the strength formula, so every number on
    a page can be explained.
    """

    person_a = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="ties_as_a"
    )
    person_b = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="ties_as_b"
    )
    strength = models.FloatField(help_text="0-1, see docs/metrics/tie-strength.md.")
    band = models.CharField(max_length=10, choices=Band.choices)
    trend = models.CharField(max_length=10, choices=Trend.choices, default=Trend.STEADY)
    explanation = models.CharField(max_length=500, blank=True)
    first_contact = models.DateTimeField(null=True, blank=True)
    last_contact = models.DateTimeField(null=True, blank=True)
    events = models.PositiveIntegerField(default=0, help_text="Events between the two.")
    closeness = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Declared closeness 1-5 (the higher of the two sides)."
    )
    features = models.JSONField(default=dict, blank=True)
    components = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    objects = TieQuerySet.as_manager()

    class Meta:
        ordering = ["-strength", "person_a", "person_b"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="tie_person_a_before_person_b"
            ),
            models.UniqueConstraint(fields=["person_a", "person_b"], name="tie_unique_pair"),
            models.CheckConstraint(
                condition=Q(strength__gte=0, strength__lte=1), name="tie_strength_0_to_1"
            ),
            models.CheckConstraint(condition=Q(band__in=Band.values), name="tie_band_known"),
            models.CheckConstraint(condition=Q(trend__in=Trend.values), name="tie_trend_known"),
        ]
        indexes = [models.Index(fields=["person_b"], name="tie_person_b_idx")]

    def __str__(self) -> str:
        return f"{self.person_a_id} – {self.person_b_id}: {self.strength:.2f} ({self.band})"

    def clean(self) -> None:
        if (
            self.person_a_id is not None
            and self.person_b_id is not None
            and self.person_a_id >= self.person_b_id
        ):
            raise ValidationError(
                {"person_b": "A tie is stored once, with the smaller person id first."}
            )
        if self.strength is not None and not 0 <= self.strength <= 1:
            raise ValidationError({"strength": "Tie strength lies between 0 and 1."})

    def other_id(self, person_id: int) -> int:
        """The id of the person at the other end from ``person_id``."""
        return self.person_b_id if self.person_a_id == person_id else self.person_a_id

    @property
    def is_active(self) -> bool:
        return self.band in ACTIVE_BANDS


class Tier(models.TextChoices):
    """How much a relationship matters to its owner; each has a default cadence."""

    CORE = "core", "Core"
    STRATEGIC = "strategic", "Strategic"
    WIDER = "wider", "Wider network"


class PortfolioEntry(models.Model):
    """One relationship someone manages actively: its tier and, optionally, their own cadence."""

    owner = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="portfolio_entries"
    )
    other = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(max_length=10, choices=Tier.choices)
    cadence_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Keep in touch at least every this many days; empty: the tier's default.",
    )
    note = models.CharField(max_length=500, blank=True, help_text="Only the owner reads this note.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["owner", "tier", "other", "id"]
        verbose_name_plural = "portfolio entries"
        constraints = [
            models.UniqueConstraint(fields=["owner", "other"], name="portfolioentry_unique_pair"),
            models.CheckConstraint(
                condition=~Q(owner=F("other")), name="portfolioentry_two_people"
            ),
            models.CheckConstraint(
                condition=Q(tier__in=Tier.values), name="portfolioentry_tier_known"
            ),
            models.CheckConstraint(
                condition=Q(cadence_days__isnull=True)
                | Q(cadence_days__gte=1, cadence_days__lte=MAX_CADENCE_DAYS),
                name="portfolioentry_cadence_1_to_730",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} → {self.other_id}: {self.get_tier_display()}"

    def clean(self) -> None:
        if self.owner_id is not None and self.owner_id == self.other_id:
            raise ValidationError({"other": "Your portfolio holds other people, not yourself."})
        if self.cadence_days is not None and not 1 <= self.cadence_days <= MAX_CADENCE_DAYS:
            raise ValidationError(
                {"cadence_days": f"Choose a cadence from 1 to {MAX_CADENCE_DAYS} days."}
            )


class Nudge(TimestampedModel):
    """A suggestion to get in touch with someone, for one owner.

    Refreshed after every recomputation; a dismissed nudge stays dismissed while
    it applies, a snoozed one is hidden until ``snoozed_until``.
    """

    class Kind(models.TextChoices):
        OVERDUE = "overdue", "Overdue"
        COOLING = "cooling", "Cooling"
        FOLLOW_UP = "follow_up", "Follow up"
        BRIDGE = "bridge", "Bridge at risk"

    owner = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="nudges")
    other = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=500)
    priority = models.FloatField(default=0.0, help_text="Higher first.")
    due_since = models.DateField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["owner", "-priority", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "other", "kind"], name="nudge_unique_per_kind"
            ),
            models.CheckConstraint(condition=~Q(owner=F("other")), name="nudge_two_people"),
            models.CheckConstraint(
                condition=Q(kind__in=["overdue", "cooling", "follow_up", "bridge"]),
                name="nudge_kind_known",
            ),
        ]
        indexes = [models.Index(fields=["owner", "dismissed_at"], name="nudge_owner_active_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} nudge for {self.owner_id} about {self.other_id}"

    def clean(self) -> None:
        if self.owner_id is not None and self.owner_id == self.other_id:
            raise ValidationError({"other": "A nudge is about someone else."})

    def is_active(self, *, now) -> bool:
        return self.dismissed_at is None and (
            self.snoozed_until is None or self.snoozed_until <= now
        )


class TieRecompute(CreatedAtModel):
    """One recomputation of ties from the event store, with its progress.

    ``full`` replaces every tie; ``incremental`` replaces the ties touching
    ``people`` (after a logged interaction). Progress counts scored pairs.
    """

    class Kind(models.TextChoices):
        FULL = "full", "Full"
        INCREMENTAL = "incremental", "Incremental"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    people = models.JSONField(
        default=list, blank=True, help_text="Person ids of an incremental recomputation."
    )
    reason = models.CharField(max_length=100, blank=True, help_text="What started it.")
    pairs_done = models.PositiveIntegerField(default=0)
    pairs_total = models.PositiveIntegerField(default=0)
    ties_written = models.PositiveIntegerField(default=0)
    ties_deleted = models.PositiveIntegerField(default=0)
    bands = models.JSONField(default=dict, blank=True, help_text="Ties written per band.")
    nudges = models.PositiveIntegerField(default=0, help_text="Active nudges after the refresh.")
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["full", "incremental"]), name="tierecompute_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="tierecompute_status_known",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=["succeeded", "failed"]),
                name="tierecompute_finished_only_when_done",
            ),
            models.CheckConstraint(
                condition=Q(pairs_done__lte=F("pairs_total")),
                name="tierecompute_done_at_most_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} tie recomputation #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.pairs_total:
            return 0
        return min(100, int(100 * self.pairs_done / self.pairs_total))

    @property
    def seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 2)


class NetworkPreference(TimestampedModel):
    """What one person allows Bridgework to do with their place in the network.

    ``introducer_opt_out``: never put them on anyone's introduction or
    expertise path as a go-between, and never let anyone ask them for an
    introduction. They can still be the person someone wants to meet. Only
    they set it (``network.preferences.network_preference_set``); no row
    means the defaults.
    """

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="network_preference"
    )
    introducer_opt_out = models.BooleanField(
        default=False,
        help_text="Do not suggest me as an introducer, nor let anyone ask me for one.",
    )

    class Meta:
        ordering = ["person"]

    def __str__(self) -> str:
        state = "not an introducer" if self.introducer_opt_out else "introducer"
        return f"{self.person_id}: {state}"
