"""REST API for accounts: obtain and revoke API tokens, and who am I."""

import datetime as dt
from typing import Annotated

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Field, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from bridgework.accounts import audit, selectors, services
from bridgework.accounts.requests import ApiRequest
from bridgework.accounts.schemas import (
    AuditEntryOut,
    MeOut,
    TokenCreatedOut,
    TokenObtainIn,
    TokenOut,
)
from bridgework.web.apitypes import BoundedPageNumberPagination, Id

__all__ = ["router", "audit_router"]

router = Router(tags=["auth"])
#: The audit log for admins, mounted at ``/api/audit/``.
audit_router = Router(tags=["audit log"])


@router.post(
    "/token",
    auth=None,
    response={201: TokenCreatedOut},
    summary="Obtain an API token",
    openapi_extra={
        "responses": {
            "401": {"description": "Wrong username or password."},
            "429": {
                "description": "Too many failed sign-ins for this username or from this "
                'address: `{"detail": "Too many failed sign-ins; try again in N minutes."}` '
                "with a `Retry-After` header (seconds). The right password is refused too "
                "until then."
            },
        }
    },
)
def token_obtain(request: HttpRequest, payload: TokenObtainIn):
    """Exchange a username and password for a new bearer token.

    The only call that needs no authentication. The token is returned once;
    keep it, and send it as ``Authorization: Bearer <token>``. It expires
    after ``expires_at`` and is revoked when your password changes or your
    login is deactivated. Failed attempts count towards the sign-in lockout
    shared with the login page.
    """
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, "Wrong username or password.")
    token, raw = services.api_token_create(user=user, name=payload.name)
    return TokenCreatedOut(**TokenOut.model_validate(token).model_dump(), token=raw)


@router.get("/me", response=MeOut, summary="The signed-in user")
def me(request: ApiRequest):
    """Username, roles and person of whoever is calling."""
    return request.auth


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
def token_list(request: ApiRequest):
    """Your own tokens, newest first, expired ones included (``expired``);
    never their values."""
    return list(selectors.api_token_list(viewer=request.auth))


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of my API tokens")
def token_revoke(request: ApiRequest, token_id: int):
    """Revoke one of your own tokens; anyone else's answers 404."""
    services.api_token_revoke(user=request.auth, token_id=token_id)


@audit_router.get("/", response=list[AuditEntryOut], summary="The audit log")
@paginate(BoundedPageNumberPagination)
def audit_entry_list(
    request: ApiRequest,
    actor: Annotated[str, Field(max_length=150)] = "",
    action: Annotated[str, Field(max_length=10)] = "",
    object_type: Annotated[str, Field(max_length=50)] = "",
    object_id: Annotated[str, Field(max_length=64)] = "",
    subject: Id | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
):
    """Admins only (anyone else: 404), newest first, paginated. ``actor`` is a
    username or ``none`` (the command line, the system, erased logins);
    ``subject`` a person id; ``since`` and ``until`` days in UTC, both included."""
    filters = audit.AuditFilter(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        subject_person_id=subject,
        since=since,
        until=until,
    )
    return audit.audit_entry_list(viewer=request.auth, filters=filters)
