"""The guards every selector and service starts with: who is asking, and may they.

Permission rules themselves live in :mod:`bridgework.accounts.policies`; these
turn a rule's answer into the one error a caller sees. Reads and writes of
personal data answer a missing and a forbidden object alike with
:class:`~bridgework.core.errors.NotFoundError` ("not found"), so nobody can
probe for what exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bridgework.core.errors import NotFoundError

if TYPE_CHECKING:
    from bridgework.accounts.models import User

__all__ = ["is_signed_in", "require", "require_login"]


def is_signed_in(user: Any) -> bool:
    """A real, active login (not ``None``, not anonymous, not deactivated)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def require_login(user: User | None) -> None:
    """Raise "not found" unless ``user`` is a signed-in, active login."""
    if not is_signed_in(user):
        raise NotFoundError("Not found.")


def require(allowed: bool) -> None:
    """Raise "not found" unless ``allowed`` (the answer of a policy)."""
    if not allowed:
        raise NotFoundError("Not found.")
