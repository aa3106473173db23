"""Reads of account data, each for the signed-in user asking."""

from __future__ import annotations

from django.db.models import QuerySet

from bridgework.accounts.guards import require_login
from bridgework.accounts.models import ApiToken, User

__all__ = ["api_token_list"]


def api_token_list(*, viewer: User) -> QuerySet[ApiToken]:
    """The viewer's own API tokens, newest first by the model's ordering."""
    require_login(viewer)
    return ApiToken.objects.filter(user=viewer)
