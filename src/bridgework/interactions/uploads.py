"""Uploads cut off while they stream in, at the uploader's own limit.

Django reads a multipart body when a view (or the CSRF check) first touches
``request.POST`` or ``request.FILES``, handing each file's bytes to its upload
handlers as they arrive. :class:`UploadLimitMiddleware` puts an
:class:`UploadLimitHandler` first in that chain for every multipart request,
with the limit of whoever sends it
(:func:`~bridgework.interactions.services.import_files.upload_limit`: people
analysts and admins more than members). The handler stops the upload
(``StopUpload``: the rest of the body is never read, nothing is kept) as soon as

* the request declares a body larger than the limit (``Content-Length``, which
  also caps what Django will ever read), before the first byte of any file,
  or
* the files' bytes received so far pass the limit,

and notes the refusal on the request (:func:`upload_refusal`). The import
page shows it as an error on the form, the API as a 413, and the middleware
answers 413 for any other view that did not look. The web server's own limit
(``bridgework serve``: Waitress's ``max_request_body_size``) is the largest
role's limit plus :data:`FORM_ALLOWANCE`, so it never refuses what a people
analyst may send and refuses anything larger before Django sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from bridgework.accounts.models import User
from bridgework.accounts.services import api_token_authenticate
from bridgework.interactions.services import upload_limit

__all__ = [
    "FORM_ALLOWANCE",
    "UploadRefusal",
    "UploadLimitHandler",
    "UploadLimitMiddleware",
    "upload_refusal",
    "refusal_message",
]

#: What a multipart body may hold besides its files (the form's fields and the
#: parts' headers): a body declaring more than the limit plus this is refused
#: before any file is read.
FORM_ALLOWANCE = 1 << 20

_ATTRIBUTE = "bridgework_upload_refusal"


@dataclass(frozen=True)
class UploadRefusal:
    """Why an upload was stopped: the uploader's limit and what the request declared."""

    limit: int
    declared: int

    @property
    def message(self) -> str:
        return refusal_message(self.limit)


def refusal_message(limit: int) -> str:
    """The words shown for an upload over ``limit`` bytes."""
    size = f"{limit / 2**20:,.0f} MB" if limit >= 2**20 else f"{limit:,} bytes"
    return (
        f"The upload is larger than your limit of {size} for one import, "
        "so it was not read. Import the files in smaller parts (e.g. one year at a time), "
        "or ask a people analyst to import them."
    )


def upload_refusal(request: HttpRequest) -> UploadRefusal | None:
    """The refusal of this request's upload, if it was stopped (reads the body
    first, so ask after ``request.POST`` / ``request.FILES`` or instead of them)."""
    if request.method in ("POST", "PUT", "PATCH") and _is_multipart(request):
        request.FILES  # noqa: B018 - parsing the body is what sets the refusal
    return getattr(request, _ATTRIBUTE, None)


def _is_multipart(request: HttpRequest) -> bool:
    return request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class UploadLimitHandler(FileUploadHandler):
    """Stops a multipart upload at ``limit`` bytes of files (see the module docs).

    It keeps no data itself: every chunk passes on to the next handler (memory
    or a temporary file, as Django decides) until the limit is passed.
    """

    def __init__(self, request: HttpRequest, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large_declared = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The fields before the first file (the CSRF token among them) are still
        # read, so the page can answer with its form; no file byte is.
        self.too_large_declared = content_length > self.limit + FORM_ALLOWANCE
        return None

    def new_file(self, *args, **kwargs) -> None:
        if self.too_large_declared:
            self._refuse()
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        assert self.request is not None  # noqa: S101 - handlers are always made for a request
        setattr(
            self.request,
            _ATTRIBUTE,
            UploadRefusal(limit=self.limit, declared=_declared_length(self.request)),
        )
        # connection_reset: do not read (and throw away) the rest of the body.
        raise StopUpload(connection_reset=True)


def _uploader(request: HttpRequest) -> User | None:
    """Who sends the request: the signed-in session, else an API bearer token."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return api_token_authenticate(token.strip())
    return None


def _too_large_response(request: HttpRequest, refusal: UploadRefusal) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": refusal.message}, status=413)
    return HttpResponse(
        render_to_string(
            "interactions/upload_too_large.html", {"message": refusal.message}, request=request
        ),
        status=413,
    )


class UploadLimitMiddleware:
    """Puts an :class:`UploadLimitHandler` with the uploader's limit first in
    every multipart request's upload handlers; answers 413 for a stopped upload
    that the view did not answer itself. Goes after the authentication
    middleware (it needs the signed-in user) and works before any view or
    CSRF check reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (request.method in ("POST", "PUT", "PATCH") and _is_multipart(request)):
            return self.get_response(request)
        uploader = _uploader(request)
        # Anyone not known (yet) gets a member's limit, the smaller one.
        limit = (
            upload_limit(uploader)
            if uploader is not None
            else int(settings.IMPORT_MAX_UPLOAD_BYTES_MEMBER)
        )
        request.upload_handlers = [
            UploadLimitHandler(request, limit=limit),
            *request.upload_handlers,
        ]
        response = self.get_response(request)
        refusal = getattr(request, _ATTRIBUTE, None)
        if refusal is not None and response.status_code != 413:
            return _too_large_response(request, refusal)
        return response
