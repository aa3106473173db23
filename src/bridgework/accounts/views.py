"""Account pages: sign-in and password flows (Django's auth views with our
templates, wired in ``urls.py``) and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bridgework.accounts import selectors, services
from bridgework.accounts.forms import ApiTokenCreateForm

__all__ = ["LogoutView", "api_tokens", "api_token_revoke"]


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are signed out.")
        return response


@never_cache
@login_required
def api_tokens(request):
    """List the viewer's API tokens and create one; the raw value is shown once."""
    form = ApiTokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        new_token = {"token": token, "raw": raw}
        form = ApiTokenCreateForm()
    tokens = selectors.api_token_list(viewer=request.user)
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
