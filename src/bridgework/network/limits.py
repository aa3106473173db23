"""Per-login hourly limits on the queries that reveal the shape of other people's networks.

Warm-introduction paths and expertise searches each show who is tied to
whom along a path. One query is harmless; a loop over everyone maps the
network (issue 13, item 7: one member read 402 of 2,922 ties between other
people through ``/api/introductions/paths`` in 12 seconds). So each login
may make at most so many of each kind per hour, counted with django-ratelimit
in Django's cache, and the pages and the API answer 429 beyond that:

==============================  ====================================  =======
query                           setting (environment variable)        default
==============================  ====================================  =======
introduction paths              ``PATH_QUERIES_PER_HOUR``               60
                                (``BRIDGEWORK_PATH_QUERIES_PER_HOUR``)
expertise searches              ``EXPERTISE_QUERIES_PER_HOUR``          120
                                (``BRIDGEWORK_EXPERTISE_QUERIES_PER_HOUR``)
==============================  ====================================  =======

The defaults are far above what a person asks by hand (the expertise page
searches as one types, hence its larger allowance). The first refusal in a
window is written to the audit log; the queries themselves are audited by
their selectors. The count lives in Django's default cache: one process (the
embedded ``bridgework serve``) counts exactly; several web processes need a
shared cache (``CACHES``), or each counts on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_ratelimit.core import get_usage  # type: ignore[import-untyped]  # ships no types

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record

__all__ = [
    "QueryLimit",
    "PATH_QUERIES",
    "EXPERTISE_QUERIES",
    "limit_reached",
    "too_many_page",
    "too_many_json",
]


@dataclass(frozen=True)
class QueryLimit:
    """One kind of query and its hourly allowance per login."""

    group: str
    setting: str
    default: int
    #: What is counted, in words: "You have made 60 … in the last hour."
    noun: str

    @property
    def per_hour(self) -> int:
        return max(1, int(getattr(settings, self.setting, self.default)))

    def message(self, *, retry_after: int) -> str:
        minutes = max(1, math.ceil(retry_after / 60))
        return (
            f"You have reached the limit of {self.per_hour} {self.noun} an hour. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}: the limit keeps "
            "anyone from mapping other people's networks one query at a time."
        )


PATH_QUERIES = QueryLimit(
    group="bridgework.network.path_queries",
    setting="PATH_QUERIES_PER_HOUR",
    default=60,
    noun="introduction path look-ups",
)
EXPERTISE_QUERIES = QueryLimit(
    group="bridgework.network.expertise_queries",
    setting="EXPERTISE_QUERIES_PER_HOUR",
    default=120,
    noun="expertise searches",
)


def _login(request: HttpRequest) -> User | None:
    """The signed-in login: the API's ``auth`` (token or session), else the page's user."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, User):
        return auth
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _login_key(group: str, request: HttpRequest) -> str:
    login = _login(request)
    # Anonymous requests never get this far (pages need a login, the API a
    # token); should one, it shares a single allowance rather than none.
    return f"login:{login.pk}" if login is not None else "anonymous"


def limit_reached(request: HttpRequest, limit: QueryLimit) -> int | None:
    """Count one query of this kind for the requester.

    Returns ``None`` while within the allowance, else the seconds until the
    hour's window closes (the query must then not be answered). The first
    refusal in a window is audited.
    """
    usage = get_usage(
        request,
        group=limit.group,
        key=_login_key,
        rate=f"{limit.per_hour}/h",
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    retry_after = max(1, int(usage["time_left"]))
    if usage["count"] == usage["limit"] + 1:
        audit_record(
            actor=_login(request),
            action=AuditEntry.Action.VIEW,
            object_type="query_limit_reached",
            object_id=limit.group.rsplit(".", 1)[-1],
            detail={"per_hour": limit.per_hour},
        )
    return retry_after


def too_many_page(request: HttpRequest, limit: QueryLimit, *, retry_after: int) -> HttpResponse:
    """The 429 page (an htmx request gets the message alone, to swap in)."""
    partial = request.headers.get("HX-Request") == "true"
    response = render(
        request,
        "network/_too_many_queries.html" if partial else "network/too_many_queries.html",
        {"message": limit.message(retry_after=retry_after)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    patch_vary_headers(response, ["HX-Request"])
    return response


def too_many_json(limit: QueryLimit, *, retry_after: int) -> JsonResponse:
    """The API's 429 answer: ``{"detail": ...}`` like every other error."""
    response = JsonResponse({"detail": limit.message(retry_after=retry_after)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
