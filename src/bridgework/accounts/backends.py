"""Sign-in backends, in the order ``AUTHENTICATION_BACKENDS`` lists them:

* :class:`LoginThrottleBackend`: django-axes' lockout check, which refuses a
  locked-out username or address before any password is looked at
  (``lockout.py`` has the rest of sign-in throttling);
* :class:`PersonModelBackend`: username and password (Django's model
  backend), loading the login's person with it: every page reads the
  viewer's person for its time zone.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from bridgework.accounts.models import User

__all__ = ["LoginThrottleBackend", "PersonModelBackend"]


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses sign-ins while their username or address is locked out.

    Every sign-in over the web (the login page, admin login, ``POST
    /api/auth/token``) passes its request to ``authenticate``. One without a
    request (the shell, a management command, the test client's ``login``)
    comes from someone already on the server and has no address to count by:
    django-axes would raise an error; it is let through to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        try:
            user = User.objects.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
