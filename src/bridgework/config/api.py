"""The REST API under ``/api/``: one router per app, shared auth and error handling.

Authentication (every endpoint except ``POST /api/auth/token``):

* ``Authorization: Bearer bw_...`` with a token from ``POST /api/auth/token``;
* or the browser's Django session, with Django's CSRF check on unsafe methods.

Errors always answer ``{"detail": ...}``: 401 unauthenticated, 404 for a missing
object and for one the caller may not see (the same body, so nothing leaks),
422 for invalid input, where ``errors`` maps each field to its messages.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from bridgework import __version__
from bridgework.accounts.api import router as auth_router
from bridgework.accounts.services import api_token_authenticate
from bridgework.core.errors import NotFoundError
from bridgework.interactions.api import router as interactions_router
from bridgework.people.api import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    organizations_router,
    people_router,
    relationships_router,
    skills_router,
    teams_router,
)

__all__ = ["api"]


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer bw_...``: an API token of an active user."""

    def authenticate(self, request: HttpRequest, token: str):
        return api_token_authenticate(token)


class SessionAuthWithCsrf(SessionAuth):
    """The browser's signed-in session; unsafe methods need Django's CSRF token.

    Only a request that carries a signed-in session is CSRF-checked, so a call
    with a bad bearer token and no session is a plain 401, not a CSRF 403.
    """

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


DESCRIPTION = f"""
Bridgework's REST API: the open talent network, relationships and interactions.

**Authentication.** Obtain a token with `POST /api/auth/token` (username and
password) and send it as `Authorization: Bearer <token>`. Signed-in browsers may
use their session instead (with the `X-CSRFToken` header on writes).

**Pagination.** Lists take `page` (from 1) and `page_size` (default {PAGE_SIZE},
at most {MAX_PAGE_SIZE}) and answer `{{"items": [...], "count": <total>}}`.

**Privacy.** You see what the pages show you. A missing object and one you may
not see both answer 404 `{{"detail": "Not found."}}`. Private profile fields and
other people's private notes come back as `null`.

**Errors.** Invalid input answers 422 with `detail` (a list of problems) and
`errors` (field name → messages). Foreign keys are given as ids.
"""

api = NinjaAPI(
    title="Bridgework API",
    version=__version__,
    description=DESCRIPTION,
    auth=[BearerTokenAuth(), SessionAuthWithCsrf()],
    urls_namespace="api",
)

api.add_router("/auth/", auth_router)
api.add_router("/people/", "bridgework.network.api.expertise_router")
api.add_router("/people/", people_router)
api.add_router("/relationships/", relationships_router)
api.add_router("/interactions/", interactions_router)
api.add_router("/imports/", "bridgework.interactions.api.imports_router")
api.add_router("/introductions/", "bridgework.interactions.api.introductions_router")
api.add_router("/organizations/", organizations_router)
api.add_router("/teams/", teams_router)
api.add_router("/skills/", skills_router)
api.add_router("/network/", "bridgework.network.api.router")
api.add_router("/analysis/", "bridgework.analysis.api.router")
api.add_router("/mentoring/", "bridgework.mentoring.api.router")
api.add_router("/impact/", "bridgework.impact.api.router")


@api.exception_handler(NotFoundError)
def not_found(request: HttpRequest, exc: NotFoundError) -> HttpResponse:
    # Always the same body: a forbidden object must look exactly like a missing one.
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Authentication required: send 'Authorization: Bearer <token>' or sign in."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="bridgework"'
    return response


@api.exception_handler(DjangoValidationError)
def invalid_input(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the input: 422 naming each field (``__all__`` for the whole)."""
    if hasattr(exc, "error_dict"):
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
    else:
        errors = {NON_FIELD_ERRORS: list(exc.messages)}
    detail = [
        {
            "type": "value_error",
            "loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field],
            "msg": message,
        }
        for field, messages in errors.items()
        for message in messages
    ]
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


def _field_name(loc: list) -> str:
    """``["body", "payload", "closeness"]`` → ``"closeness"``; ``["query", "page"]`` → ``"page"``."""
    parts = [str(part) for part in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts[:1] in (["query"], ["path"], ["header"], ["cookie"], ["form"]):
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD_ERRORS


@api.exception_handler(NinjaValidationError)
def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """The request did not match the schema: ninja's ``detail`` plus the same ``errors`` map."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(list(error.get("loc", []))), []).append(error.get("msg", ""))
    return api.create_response(request, {"detail": exc.errors, "errors": errors}, status=422)
