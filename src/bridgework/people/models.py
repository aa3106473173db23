"""The open talent network: organizations, teams, people, skills and declared relationships."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from bridgework.web.models import CreatedAtModel, TimestampedModel


class Organization(models.Model):
    """An organization: ours, or an external client, partner, supplier or community."""

    class Kind(models.TextChoices):
        OURS = "ours", "Our organization"
        CLIENT = "client", "Client"
        PARTNER = "partner", "Partner"
        SUPPLIER = "supplier", "Supplier"
        COMMUNITY = "community", "Community"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    email_domains = models.CharField(
        max_length=500,
        blank=True,
        help_text="Comma-separated e-mail domains of this organization, e.g. example.com.",
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ours(self) -> bool:
        return self.kind == self.Kind.OURS

    @property
    def domain_list(self) -> list[str]:
        return [d.strip().lower() for d in self.email_domains.split(",") if d.strip()]


class Team(models.Model):
    """A team in a hierarchy (division > department > team), with a lead."""

    name = models.CharField(max_length=200)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    lead = models.ForeignKey(
        "Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="teams_led"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "parent", "name"], name="team_unique_name_under_parent"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="team_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Team]:
        """Parents from the direct parent up to the root."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    @property
    def path(self) -> str:
        return " › ".join(t.name for t in [*reversed(self.ancestors()), self])

    def clean(self) -> None:
        parent = self.parent
        if parent is None:
            return
        if parent.pk == self.pk:
            raise ValidationError({"parent": "A team cannot be its own parent."})
        if self.pk is not None and any(t.pk == self.pk for t in parent.ancestors()):
            raise ValidationError(
                {"parent": "That parent is inside this team: it would make a cycle."}
            )
        if parent.organization_id != self.organization_id:
            raise ValidationError({"parent": "The parent team belongs to another organization."})


class EngagementType(models.TextChoices):
    """How a person is engaged with us: the open talent network, inside to out."""

    EMPLOYEE_FULL_TIME = "employee_ft", "Employee, full-time"
    EMPLOYEE_PART_TIME = "employee_pt", "Employee, part-time"
    CONTRACTOR = "contractor", "Contractor"
    FREELANCER = "freelancer", "Freelancer"
    ALUMNI = "alumni", "Alumni"
    PARTNER = "partner", "Partner"
    CLIENT = "client", "Client"
    EXTERNAL = "external", "External contact"


INTERNAL_ENGAGEMENTS = frozenset(
    {EngagementType.EMPLOYEE_FULL_TIME, EngagementType.EMPLOYEE_PART_TIME}
)
WORKFORCE_ENGAGEMENTS = INTERNAL_ENGAGEMENTS | {
    EngagementType.CONTRACTOR,
    EngagementType.FREELANCER,
}


class Person(TimestampedModel):
    """Someone in the open talent network: employee, contractor, alumnus, client or outsider."""

    class Level(models.IntegerChoices):
        INDIVIDUAL = 1, "Individual contributor"
        MANAGER = 2, "Manager"
        EXECUTIVE = 3, "Executive"

    full_name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, default="UTC")
    engagement_type = models.CharField(
        max_length=12, choices=EngagementType.choices, default=EngagementType.EXTERNAL
    )
    engagement_start = models.DateField(null=True, blank=True)
    engagement_end = models.DateField(null=True, blank=True)
    bio = models.TextField(blank=True)
    analytics_consent = models.BooleanField(
        default=True, help_text="Whether this person's ties are included in network analytics."
    )
    introduced_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="The source that first brought this person into the directory, "
        "e.g. 'mbox import #12' or 'demo'; empty when added by hand.",
    )
    introduced_by_import = models.PositiveIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Id of the import run that created this person (not a foreign key: "
        "imports live in another app and may be deleted).",
    )
    listed = models.BooleanField(
        default=True,
        db_index=True,
        help_text="In the shared directory. A person a member's import brought in is "
        "that member's private contact (not listed) until an organization import "
        "names them too or a people manager approves them.",
    )

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(engagement_end__isnull=True)
                | Q(engagement_start__isnull=True)
                | Q(engagement_end__gte=F("engagement_start")),
                name="person_engagement_ends_after_start",
            ),
            models.CheckConstraint(condition=~Q(manager=F("id")), name="person_not_own_manager"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=3),
                name="person_level_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def primary_email(self) -> str:
        emails = list(self.emails.all())
        for email in emails:
            if email.is_primary:
                return email.address
        return emails[0].address if emails else ""

    @property
    def is_alumnus(self) -> bool:
        """Alumni are people whose engagement with us has ended."""
        return self.engagement_type == EngagementType.ALUMNI

    @property
    def is_internal(self) -> bool:
        return self.engagement_type in INTERNAL_ENGAGEMENTS

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.now().date()
        if (
            self.engagement_start
            and self.engagement_end
            and self.engagement_end < self.engagement_start
        ):
            errors["engagement_end"] = "The engagement cannot end before it starts."
        if self.engagement_type == EngagementType.ALUMNI:
            if not self.engagement_end:
                errors["engagement_end"] = (
                    "An alumnus is someone whose engagement ended: give the end date."
                )
            elif self.engagement_end > today:
                errors["engagement_end"] = (
                    "An alumnus's engagement has ended: the end date cannot be in the future."
                )
        # Contractors and partners work in our teams while employed elsewhere;
        # only an employee's team must belong to their own organization.
        if (
            self.is_internal
            and self.organization_id
            and self.team is not None
            and self.team.organization_id != self.organization_id
        ):
            errors["team"] = "An employee's team must belong to their organization."
        if self.manager_id and self.pk and self.manager_id == self.pk:
            errors["manager"] = "A person cannot be their own manager."
        if self.time_zone:
            try:
                import zoneinfo

                zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                errors["time_zone"] = (
                    f"Unknown time zone {self.time_zone!r}; use a name like Europe/Paris."
                )
        if errors:
            raise ValidationError(errors)

    def engagement_ended(self, *, on: dt.date | None = None) -> bool:
        on = on or timezone.now().date()
        return self.engagement_end is not None and self.engagement_end < on


class PersonEmail(models.Model):
    """One of a person's e-mail addresses; an address belongs to one person only."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(max_length=254, unique=True)
    is_primary = models.BooleanField(default=False)
    added_by_import = models.PositiveIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Id of the import run that attached this address to an existing person, "
        "so a failed import can take it back.",
    )

    class Meta:
        ordering = ["-is_primary", "address", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_primary=True), name="person_one_primary_email"
            ),
        ]

    def __str__(self) -> str:
        return self.address

    def save(self, *args, **kwargs):
        # Addresses compare case-insensitively; storing them lower-case makes
        # the unique constraint mean what people expect.
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)


class PrivateContact(CreatedAtModel):
    """``person`` is one of ``owner``'s private contacts: someone the owner's own
    import (mailbox, calendar, address book) brought in who is not in the shared
    directory (:attr:`Person.listed` is false). Only the owner (and people
    managers) see them; two members who both know the same address are both
    owners of the one person.
    """

    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="private_contacts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="private_owners")
    import_run_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The import run that made the person a private contact of the owner, "
        "so a failed import can take it back.",
    )

    class Meta:
        ordering = ["owner", "person", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "person"], name="privatecontact_unique_pair"),
            models.CheckConstraint(
                condition=~Q(owner=F("person")), name="privatecontact_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} (private contact of {self.owner})"

    def clean(self) -> None:
        if self.owner_id and self.owner_id == self.person_id:
            raise ValidationError({"person": "Nobody is their own private contact."})


class Skill(models.Model):
    """A skill in the taxonomy; categories are skills with children."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="skill_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonSkill(CreatedAtModel):
    """A person's level in a skill: self-declared, or endorsed by someone else."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    endorsed_by = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="endorsements_given",
        help_text="Empty when the person declared the skill themselves.",
    )

    class Meta:
        ordering = ["person", "skill__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="personskill_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(endorsed_by=F("person")), name="personskill_no_self_endorsement"
            ),
            models.UniqueConstraint(
                fields=["person", "skill"],
                condition=Q(endorsed_by__isnull=True),
                name="personskill_one_self_declaration",
            ),
            models.UniqueConstraint(
                fields=["person", "skill", "endorsed_by"],
                condition=Q(endorsed_by__isnull=False),
                name="personskill_one_endorsement_per_endorser",
            ),
        ]

    def __str__(self) -> str:
        source = f"endorsed by {self.endorsed_by}" if self.endorsed_by_id else "self-declared"
        return f"{self.person}: {self.skill} {self.level}/5 ({source})"

    @property
    def is_self_declared(self) -> bool:
        return self.endorsed_by_id is None

    def clean(self) -> None:
        if self.endorsed_by_id is not None and self.endorsed_by_id == self.person_id:
            raise ValidationError({"endorsed_by": "People cannot endorse their own skills."})


class Relationship(TimestampedModel):
    """A tie someone declared between two people, with a note only they can read."""

    class Context(models.TextChoices):
        COLLEAGUE = "colleague", "Colleague"
        FORMER_COLLEAGUE = "former_colleague", "Former colleague"
        CLIENT = "client", "Client"
        PARTNER = "partner", "Partner"
        MENTOR = "mentor", "Mentor"
        FRIEND = "friend", "Friend"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_out")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_in")
    context = models.CharField(max_length=20, choices=Context.choices, default=Context.COLLEAGUE)
    closeness = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 = acquaintance, 5 = very close.",
    )
    since = models.DateField(null=True, blank=True)
    private_note = models.TextField(
        blank=True, help_text="Only whoever declared the tie can read this."
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="declared_relationships",
    )

    class Meta:
        ordering = ["person__full_name", "other__full_name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(person=F("other")), name="relationship_two_people"),
            models.CheckConstraint(
                condition=Q(closeness__gte=1, closeness__lte=5),
                name="relationship_closeness_1_to_5",
            ),
            models.UniqueConstraint(
                fields=["person", "other", "declared_by"], name="relationship_unique_per_declarer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.other} ({self.get_context_display()}, {self.closeness}/5)"

    def clean(self) -> None:
        if self.person_id and self.person_id == self.other_id:
            raise ValidationError({"other": "A relationship needs two different people."})
        if self.since and self.since > timezone.now().date():
            raise ValidationError({"since": "A relationship cannot start in the future."})

    def involves(self, person_id: int) -> bool:
        return person_id in (self.person_id, self.other_id)

    def counterpart_of(self, person_id: int) -> Person:
        return self.other if self.person_id == person_id else self.person


class PersonIdentity(CreatedAtModel):
    """A source's own stable id for a person: ``slack:U024BE7LH``, ``viva:<guid>``,
    ``linkedin:<profile url>``, ``vcard:<uid>``.

    The part before the first colon names the source. A key belongs to one person
    only, so the next import from that source finds the same person again.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identities")
    key = models.CharField(max_length=500, unique=True)
    import_run_id = models.PositiveIntegerField(
        null=True, blank=True, db_index=True, help_text="The import run that stored this key."
    )

    class Meta:
        ordering = ["key", "id"]
        verbose_name_plural = "person identities"

    def __str__(self) -> str:
        return self.key

    @property
    def source(self) -> str:
        return self.key.split(":", 1)[0]

    def clean(self) -> None:
        source, _, value = self.key.partition(":")
        if not source or not value:
            raise ValidationError(
                {"key": "A source key looks like 'source:id', e.g. 'slack:U024BE7LH'."}
            )


class MatchReview(CreatedAtModel):
    """An uncertain identity match, listed for a people manager to confirm or dismiss.

    An import that meets someone who *may* be a person already in the directory
    (same name and organization, or the same name elsewhere) creates a new person
    and this review: confirming merges the new person into the candidate,
    dismissing keeps them apart.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        MERGED = "merged", "Merged"
        DISMISSED = "dismissed", "Not the same person"

    #: Reasons an import lists a possible duplicate.
    SAME_NAME_AND_ORGANIZATION = "same name and organization"
    SAME_NAME_OTHER_ORGANIZATION = "same name, different organization"
    SAME_NAME_NO_ORGANIZATION = "same name, neither has an organization"

    # SET_NULL, not CASCADE: a review decided by merging outlives the person
    # merged away (its side becomes empty), as a record of the decision.
    new_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="match_reviews_as_new",
        help_text="The person the import created; empty once merged away.",
    )
    candidate = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="match_reviews_as_candidate",
        help_text="The person already in the directory who may be the same.",
    )
    reason = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    import_run_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["new_person", "candidate"], name="matchreview_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(new_person=F("candidate")), name="matchreview_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.new_person} ≟ {self.candidate} ({self.reason}, {self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def clean(self) -> None:
        if self.new_person_id and self.new_person_id == self.candidate_id:
            raise ValidationError({"candidate": "A person cannot be their own duplicate."})


class PersonMerge(models.Model):
    """Two people found to be one: ``dropped_person_id`` was folded into ``keep``.

    ``snapshot`` holds everything needed to undo the merge: the dropped person's
    own row, which e-mails, identities, skills, relationships, participations,
    reports, team leads, reviews and login moved (their ids and original
    values) and the rows deleted as duplicates. The event store keeps the old
    sender and recipients of changed events under ``events_merge_id``.
    """

    keep = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merges_kept",
        help_text="Empty when the kept person was deleted (or merged away) later.",
    )
    dropped_person_id = models.BigIntegerField(db_index=True)
    snapshot = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    events_merge_id = models.CharField(max_length=50, blank=True)
    events_changed = models.PositiveIntegerField(
        default=0, help_text="Events and source ties that named the dropped person."
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now, db_index=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(keep=F("dropped_person_id")), name="personmerge_two_people"
            ),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True) | Q(undone_at__gte=F("merged_at")),
                name="personmerge_undone_after_merged",
            ),
        ]

    def __str__(self) -> str:
        state = " (undone)" if self.undone_at else ""
        return (
            f"Merge #{self.pk}: {self.dropped_name} into {self.keep or 'a deleted person'}{state}"
        )

    @property
    def dropped_name(self) -> str:
        fields = (self.snapshot or {}).get("person", {}).get("fields", {})
        return fields.get("full_name") or f"person #{self.dropped_person_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
