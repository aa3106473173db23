"""Account pages: sign-in and password flows (Django's auth views with our
templates, wired in ``urls.py``), API tokens, and small helpers the page
views of every app share."""

from __future__ import annotations

import functools
import zoneinfo

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bridgework.accounts import services
from bridgework.accounts.forms import ApiTokenCreateForm
from bridgework.people import selectors as people_selectors

__all__ = ["viewer_person", "in_viewer_time_zone", "LogoutView", "api_tokens", "api_token_revoke"]


def viewer_person(request):
    """The signed-in user's own person, or None; read once per request."""
    if not hasattr(request, "_bridgework_viewer_person"):
        person = None
        user = request.user
        if user.is_authenticated and user.person_id is not None:
            person = people_selectors.access_person(viewer=user, person_id=user.person_id)
        request._bridgework_viewer_person = person
    return request._bridgework_viewer_person


def _viewer_zone(request) -> zoneinfo.ZoneInfo:
    person = viewer_person(request)
    try:
        return zoneinfo.ZoneInfo(person.time_zone or "UTC") if person else zoneinfo.ZoneInfo("UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def in_viewer_time_zone(view):
    """Show and read dates and times in the viewer's own time zone.

    Forms read a ``datetime-local`` value in the current time zone, and
    templates show aware datetimes in it, so both follow the viewer's profile.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with timezone.override(_viewer_zone(request)):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response

    return wrapper


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are signed out.")
        return response


@never_cache
@login_required
@in_viewer_time_zone
def api_tokens(request):
    """List the viewer's API tokens and create one; the raw value is shown once."""
    form = ApiTokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        new_token = {"token": token, "raw": raw}
        form = ApiTokenCreateForm()
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@require_POST
@login_required
def api_token_revoke(request, pk: int):
    services.api_token_revoke(user=request.user, token_id=pk)
    messages.success(request, "The token is revoked; programs using it can no longer sign in.")
    return redirect("accounts:tokens")
