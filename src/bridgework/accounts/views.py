"""Account pages: sign-in and password flows (Django's auth views with our
templates, wired in ``urls.py``) and API tokens."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bridgework.accounts import audit, selectors, services
from bridgework.accounts.forms import ApiTokenCreateForm, AuditFilterForm

__all__ = ["LogoutView", "api_tokens", "api_token_revoke", "audit_log", "audit_log_csv"]


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are signed out.")
        return response


@never_cache
@login_required
def api_tokens(request):
    """List the viewer's API tokens (with when each expires) and create one;
    the raw value is shown once."""
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
        {
            "form": form,
            "tokens": tokens,
            "new_token": new_token,
            "token_days": services.api_token_lifetime().days,
        },
    )


@require_POST
@login_required
def api_token_revoke(request, pk: int):
    services.api_token_revoke(user=request.user, token_id=pk)
    messages.success(request, "The token is revoked; programs using it can no longer sign in.")
    return redirect("accounts:tokens")


# ---- The audit log (admins; anyone else: 404) ------------------------------------------

AUDIT_PAGE_SIZE = 50


def _audit_filter_form(request) -> AuditFilterForm:
    return AuditFilterForm(
        request.GET or None, object_types=audit.audit_object_types(viewer=request.user)
    )


@never_cache
@login_required
def audit_log(request):
    """Who did or viewed what, about whom and when: filtered, paged, downloadable."""
    form = _audit_filter_form(request)
    entries = audit.audit_entry_list(viewer=request.user, filters=form.filters())
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"entry": entry, "detail": json.dumps(entry.detail, sort_keys=True) if entry.detail else ""}
        for entry in page.object_list
    ]
    return render(request, "accounts/audit_log.html", {"form": form, "page": page, "rows": rows})


@never_cache
@login_required
def audit_log_csv(request):
    """The filtered audit log as CSV (every cell safe to open in a spreadsheet); audited."""
    form = _audit_filter_form(request)
    filters = form.filters()
    entries = audit.audit_entry_list(viewer=request.user, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bridgework-audit-log.csv"'
    audit.audit_csv_write(
        response, viewer=request.user, filters=filters, entries=entries.iterator()
    )
    return response
