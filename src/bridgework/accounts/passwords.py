"""A password change, however it happens, revokes the login's API tokens.

Our own forms and services change passwords through
``services.user_set_password``, which revokes in the actor's name. Other ways
exist: Django's ``changepassword`` and ``createsuperuser`` commands, the
shell, any code that calls ``user.set_password()`` and saves. Django tells
every configured password validator about each of them: ``User.save()`` calls
``password_validation.password_changed()`` whenever ``set_password()`` or
``set_unusable_password()`` came before it, and never for the silent re-hash
of a password on sign-in (a hasher upgrade is not a change). So the catch-all
is a "validator" that validates nothing and only listens.
"""

from __future__ import annotations

from bridgework.accounts.models import User
from bridgework.accounts.services import api_token_revoke_all

__all__ = ["ApiTokensRevokedOnPasswordChange"]


class ApiTokensRevokedOnPasswordChange:
    """Listed in ``AUTH_PASSWORD_VALIDATORS``; accepts every password."""

    def validate(self, password: str, user: User | None = None) -> None:
        return None

    def password_changed(self, password: str | None, user: User | None = None) -> None:
        if user is not None and user.pk is not None:
            api_token_revoke_all(actor=None, user=user, reason="password_changed")

    def get_help_text(self) -> str:
        # Shown with the other rules under every new-password field.
        return "Changing your password revokes all your API tokens."
