"""Sign-in by username and password (Django's model backend), loading the
login's person with it: every page reads the viewer's person for its time zone."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from bridgework.accounts.models import User

__all__ = ["PersonModelBackend"]


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        try:
            user = User.objects.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
