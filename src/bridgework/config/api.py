"""The REST API under ``/api/``: one router per app, shared auth and error handling.

Authentication (every endpoint except ``POST /api/auth/token``):

* ``Authorization: Bearer bw_...`` with a token from ``POST /api/auth/token``;
* or the browser's Django session, with Django's CSRF check on unsafe methods.

Errors always answer ``{"detail": ...}``: 401 unauthenticated, 404 for a missing
object and for one the caller may not see (the same body, so nothing leaks),
422 for invalid input, where ``errors`` maps each field to its messages.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.core import signals
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern
from django.views import defaults
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from pydantic import ValidationError as PydanticValidationError

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
from bridgework.web.apitypes import ErrorOut, InvalidInputOut

__all__ = ["api", "document_errors", "page_not_found", "server_error"]

logger = logging.getLogger(__name__)


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

#: The errors every operation may answer, documented on each with their body
#: (``document_errors``). 401 on every operation that needs a login; 403 on
#: writes, where a browser session without a valid CSRF token is refused; 404 on
#: every operation that needs a login, because "not yours to see" answers exactly
#: like "missing"; 422 on every operation that takes input.
ERROR_RESPONSES: dict[str, tuple[type[Schema], str]] = {
    "401": (ErrorOut, "Not signed in: no valid bearer token and no signed-in session."),
    "403": (ErrorOut, "Refused: a browser session without a valid CSRF token."),
    "404": (ErrorOut, "Not found: missing, or not yours to see (the same answer for both)."),
    "422": (
        InvalidInputOut,
        "Invalid input: `detail` lists the problems, `errors` maps each field to its messages.",
    ),
}
_WRITES = {"post", "put", "patch", "delete"}


def _errors_of(method: str, operation: dict[str, Any]) -> list[str]:
    needs_login = bool(operation.get("security"))
    takes_input = bool(operation.get("parameters")) or "requestBody" in operation
    statuses = []
    if needs_login or "401" in operation["responses"]:
        statuses.append("401")
    if needs_login and method in _WRITES:
        statuses.append("403")
    if needs_login:
        statuses.append("404")
    if takes_input or method in _WRITES:
        statuses.append("422")
    return statuses


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers of every operation, with their JSON bodies, to an OpenAPI schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorOut, InvalidInputOut):
        generated = model.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema
        )
        components.update(generated.pop("$defs", {}))
        components[model.__name__] = generated
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            responses = {str(status): answer for status, answer in operation["responses"].items()}
            for status in _errors_of(method, operation):
                body, description = ERROR_RESPONSES[status]
                answer = responses.setdefault(status, {"description": description})
                answer["content"] = {
                    "application/json": {
                        "schema": {"$ref": REF_TEMPLATE.format(model=body.__name__)}
                    }
                }
            operation["responses"] = dict(sorted(responses.items()))
    return schema


class BridgeworkAPI(NinjaAPI):
    """django-ninja's API with every error in JSON and documented.

    The OpenAPI schema lists each operation's error answers (:func:`document_errors`);
    a method a path does not accept answers a JSON 405 instead of ninja's plain text.
    """

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema

    def _get_urls(self):
        return [self._json_405(pattern) for pattern in super()._get_urls()]

    def _json_405(self, pattern):
        if not isinstance(pattern, URLPattern):
            return pattern
        view = pattern.callback

        @functools.wraps(view)
        def view_with_json_405(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseNotAllowed):
                allowed = response["Allow"]
                response = self.create_response(
                    request,
                    {"detail": f"Method {request.method} not allowed here; use {allowed}."},
                    status=405,
                )
                response["Allow"] = allowed
            return response

        return URLPattern(pattern.pattern, view_with_json_405, pattern.default_args, pattern.name)


api = BridgeworkAPI(
    title="Bridgework API",
    version=__version__,
    description=DESCRIPTION,
    auth=[BearerTokenAuth(), SessionAuthWithCsrf()],
    urls_namespace="api",
)

api.add_router("/auth/", auth_router)
api.add_router("/audit/", "bridgework.accounts.api.audit_router")
api.add_router("/people/", "bridgework.network.api.expertise_router")
api.add_router("/people/", "bridgework.people.api.merges_router")
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


@api.exception_handler(Http404)
@api.exception_handler(NotFoundError)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
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


# ---- hostile input and the unforeseen: JSON too, never Django's HTML pages -----------------


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    """422 with the same body as any other invalid input, for the input as a whole."""
    problem = {"type": "value_error", "loc": [], "msg": message}
    return api.create_response(
        request, {"detail": [problem], "errors": {NON_FIELD_ERRORS: [message]}}, status=422
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
@api.exception_handler(ValueError)
def value_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A value the database cannot hold (an integer past 64 bits, a string too long
    for its column) or cannot read: the input's fault, so 422, not a server error.

    Logged as a warning: schemas should refuse such input before any query runs.
    """
    logger.warning("Refused input on %s %s: %r", request.method, request.path, exc)
    return _refused(request, "A value is out of range or of a kind that cannot be stored.")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Forbidden."}, status=403)


@api.exception_handler(SuspiciousOperation)
def bad_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """Django refused the request itself: too large (413), or malformed (400)."""
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return api.create_response(request, {"detail": "Request too large."}, status=413)
    return api.create_response(request, {"detail": "Bad request."}, status=400)


@api.exception_handler(PydanticValidationError)
@api.exception_handler(Exception)
def server_error_in_api(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unforeseen: logged with its traceback as Django logs a 500, answered in JSON.

    A pydantic ``ValidationError`` that reaches here is a response that did not fit
    its own schema (input is validated by ninja, as ``NinjaValidationError``): a
    server error, not the caller's. ``got_request_exception`` is sent as Django
    sends it, so error reporters (and the test client) still see the exception.
    """
    signals.got_request_exception.send(sender=None, request=request)
    logging.getLogger("django.request").error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    response = api.create_response(request, {"detail": SERVER_ERROR}, status=500)
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's flag: once
    return response


SERVER_ERROR = "Server error. It has been logged; please try again later."


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: JSON under ``/api/`` (an unknown API path), the usual page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: JSON under ``/api/`` (an error outside any endpoint), the page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": SERVER_ERROR}, status=500)
    return defaults.server_error(request)
