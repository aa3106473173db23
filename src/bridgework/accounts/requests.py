"""The request types views and API endpoints receive, for type checking."""

from __future__ import annotations

from django.http import HttpRequest

from bridgework.accounts.models import User

__all__ = ["ApiRequest", "PageRequest"]


class ApiRequest(HttpRequest):
    """A request to ``/api/``: django-ninja puts the authenticated login in ``auth``
    (every endpoint but ``POST /api/auth/token`` requires one)."""

    auth: User


class PageRequest(HttpRequest):
    """A page request behind ``login_required``: ``user`` is a signed-in login."""

    user: User  # narrower than Django's User | AnonymousUser: login_required let it through
