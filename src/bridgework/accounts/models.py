"""Users, their roles, API tokens and the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from bridgework.web.models import CreatedAtModel


class Role(models.TextChoices):
    """What a user may do; a user can hold several roles."""

    MEMBER = "member", "Member"
    MENTOR = "mentor", "Mentor"
    PROGRAM_MANAGER = "program_manager", "Program manager"
    LEADER = "leader", "Leader"
    PEOPLE_ANALYST = "people_analyst", "People analyst"
    ADMIN = "admin", "Admin"


class User(AbstractUser):
    """A login. Linked to at most one :class:`~bridgework.people.models.Person`."""

    person = models.OneToOneField(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        help_text="The person in the network this login belongs to.",
    )

    #: :attr:`roles`, once read; set back to None when the roles change.
    _roles_cache: frozenset[str] | None = None

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.username

    @property
    def roles(self) -> frozenset[str]:
        """Names of the roles this user holds (cached per instance)."""
        cached = self._roles_cache
        if cached is None:
            cached = frozenset(
                name for name in self.groups.values_list("name", flat=True) if name in Role.values
            )
            if self.is_superuser:
                cached = cached | {Role.ADMIN.value}
            self._roles_cache = cached
        return cached

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.roles

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)


def api_token_lifetime() -> dt.timedelta:
    """How long a new API token works: ``API_TOKEN_DAYS`` (at least one day)."""
    return dt.timedelta(days=max(1, int(settings.API_TOKEN_DAYS)))


def api_token_expiry() -> dt.datetime:
    """When a token made now stops working (the default of ``ApiToken.expires_at``)."""
    return timezone.now() + api_token_lifetime()


class ApiToken(CreatedAtModel):
    """A bearer token for the REST API. Only its SHA-256 digest is stored.

    A token works until ``expires_at`` (``API_TOKEN_DAYS`` after it was made),
    and is deleted (revoked) by its owner, by a change of its owner's password
    and by the deactivation of its owner (``accounts.services``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=8, help_text="First characters, to recognise it.")
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        default=api_token_expiry, help_text="After this moment the token no longer works."
    )

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, *, now: dt.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def expired(self) -> bool:
        """Whether the token no longer works because its time ran out."""
        return self.is_expired()

    @staticmethod
    def digest_of(raw_token: str) -> str:
        return hashlib.sha256(raw_token.encode()).hexdigest()


class AuditEntry(models.Model):
    """Who did or viewed what to whose personal data, and when."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        VIEW = "view", "Viewed"
        LOGIN = "login", "Logged in"
        MERGE = "merge", "Merged"
        IMPORT = "import", "Imported"
        LOCKOUT = "lockout", "Locked out"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True)
    subject_person_id = models.BigIntegerField(
        null=True, blank=True, db_index=True, help_text="Whose personal data was touched."
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"
