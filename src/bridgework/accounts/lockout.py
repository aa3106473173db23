"""Sign-in throttling, in one place: lockout after repeated failures.

django-axes counts failed sign-ins on every way in (``/accounts/login/``,
``/admin/login/``, ``POST /api/auth/token``: all call Django's
``authenticate`` with the request). After ``LOGIN_FAILURE_LIMIT`` failures
for one username, or from one address, within ``LOGIN_COOLOFF_MINUTES``,
that username or address is locked out until the cool-off has passed since
the failures that locked it; while locked, the right password is refused too
(``backends.LoginThrottleBackend`` stops ``authenticate`` before any password
is checked) and refused attempts do not extend the lockout.

This module decides what a locked-out caller sees (:func:`lockout_response`,
django-axes' ``AXES_LOCKOUT_CALLABLE``: a page for browsers, JSON for the
API), writes each lockout to Bridgework's audit log
(:func:`audit_lockout`, connected in ``apps.py``), and lifts a username's
lockout when its owner proves who they are with a password-reset link
(:func:`lockout_lift`).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from bridgework.accounts import services

__all__ = [
    "audit_lockout",
    "lockout_ends_at",
    "lockout_lift",
    "lockout_message",
    "lockout_response",
]


def _cooloff() -> dt.timedelta:
    # django-axes' own setting (LOGIN_COOLOFF_MINUTES in settings.py), so both read one value.
    return settings.AXES_COOLOFF_TIME


def lockout_ends_at(
    *, username: str | None, ip_address: str | None, now: dt.datetime
) -> dt.datetime:
    """When the lockout of this username or address ends (``now`` if none).

    django-axes keeps one row per username, address and browser, holding its
    failures and the time of the last one; a row counts while that time is
    within the cool-off. A group of rows (those of the username, those of the
    address) locks while their failures add up to the limit, so it unlocks
    when the newest rows that still reach the limit age out.
    """
    cooloff = _cooloff()
    limit = settings.AXES_FAILURE_LIMIT
    ends = now
    groups = ([{"username": username}] if username else []) + (
        [{"ip_address": ip_address}] if ip_address else []
    )
    for group in groups:
        rows = AccessAttempt.objects.filter(**group, attempt_time__gte=now - cooloff).order_by(
            "-attempt_time"
        )
        failures = 0
        for attempt_time, count in rows.values_list("attempt_time", "failures_since_start"):
            failures += count
            if failures >= limit:
                ends = max(ends, attempt_time + cooloff)
                break
    return ends


def lockout_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-ins; try again in {minutes} {unit}."


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """What a locked-out sign-in gets: 429 with the minutes left, as a page
    or, under ``/api/``, as ``{"detail": ...}`` (never HTML)."""
    now = timezone.now()
    ends = lockout_ends_at(
        username=get_client_username(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None),
        now=now,
    )
    if ends <= now:  # counted rows just aged out: say the whole cool-off, never "0 minutes"
        ends = now + _cooloff()
    seconds = math.ceil((ends - now).total_seconds())
    message = lockout_message(max(1, math.ceil(seconds / 60)))
    match = getattr(request, "resolver_match", None)
    response: HttpResponse
    if match is not None and "api" in match.namespaces:
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request,
            "accounts/locked_out.html",
            {"message": message, "login_url": request.path},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


def audit_lockout(
    sender: object,
    *,
    request: HttpRequest,
    username: str | None,
    ip_address: str | None,
    **kwargs: object,
) -> None:
    """django-axes' ``user_locked_out`` signal: audit the failure that locked.

    The signal also fires for each attempt refused during a lockout; those
    carry no failure count (django-axes does not count them) and are not
    audited again, so a flood of attempts cannot flood the audit log.
    """
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    services.login_lockout_record(
        username=username, ip_address=ip_address, path=request.path, failures=failures
    )


def lockout_lift(*, username: str) -> int:
    """Forget the failed sign-ins naming ``username`` (after a password reset
    by e-mail link proved its owner). An address stays locked by the failures
    it made on other usernames."""
    return axes_reset(username=username)
