"""REST API for accounts: obtain and revoke API tokens, and who am I."""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from bridgework.accounts import selectors, services
from bridgework.accounts.requests import ApiRequest
from bridgework.accounts.schemas import MeOut, TokenCreatedOut, TokenObtainIn, TokenOut

__all__ = ["router"]

router = Router(tags=["auth"])


@router.post(
    "/token",
    auth=None,
    response={201: TokenCreatedOut},
    summary="Obtain an API token",
    openapi_extra={"responses": {"401": {"description": "Wrong username or password."}}},
)
def token_obtain(request: HttpRequest, payload: TokenObtainIn):
    """Exchange a username and password for a new bearer token.

    The only call that needs no authentication. The token is returned once;
    keep it, and send it as ``Authorization: Bearer <token>``.
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
    return list(selectors.api_token_list(viewer=request.auth))


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of my API tokens")
def token_revoke(request: ApiRequest, token_id: int):
    services.api_token_revoke(user=request.auth, token_id=token_id)
