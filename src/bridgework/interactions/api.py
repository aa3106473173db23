"""REST API for logged interactions, imports (``imports_router``) and warm
introductions (``introductions_router``).

Reads go through :mod:`bridgework.interactions.selectors` and writes through
:mod:`bridgework.interactions.services` with ``request.auth`` as the viewer:
interactions the caller may not see are a 404, exactly as on the pages.
"""

import json
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ValidationError as PydanticValidationError

from bridgework.accounts.requests import ApiRequest
from bridgework.interactions import selectors, services
from bridgework.interactions.models import ImportRun
from bridgework.interactions.schemas import (
    ImportOptionsIn,
    ImportReportOut,
    ImportRunOut,
    InteractionCreateIn,
    InteractionOut,
    InteractionUpdateIn,
    IntroductionCreateIn,
    IntroductionOut,
    IntroductionOutcomeIn,
    IntroductionPathOut,
    IntroductionRespondIn,
)
from bridgework.interactions.uploads import upload_refusal
from bridgework.network import limits
from bridgework.people.api import people_by_id
from bridgework.people.selectors import organization_list
from bridgework.web.apitypes import BoundedPageNumberPagination, ErrorOut, Id

__all__ = ["router", "imports_router", "introductions_router"]

router = Router(tags=["interactions"])


@router.get("/", response=list[InteractionOut], summary="Interactions")
@paginate(BoundedPageNumberPagination)
def interaction_list(request: ApiRequest, person: Id | None = None):
    """Interactions the caller took part in or logged, newest first.

    With ``person``, only those that person took part in too.
    """
    return selectors.interaction_list(viewer=request.auth, person_id=person)


@router.get("/{interaction_id}", response=InteractionOut, summary="One interaction")
def interaction_detail(request: ApiRequest, interaction_id: int):
    return selectors.access_interaction(viewer=request.auth, interaction_id=interaction_id)


@router.post("/", response={201: InteractionOut}, summary="Log an interaction")
def interaction_log(request: ApiRequest, payload: InteractionCreateIn):
    """Log a touchpoint. A member is always one of the participants."""
    interaction = services.interaction_log(
        actor=request.auth,
        channel=payload.channel,
        occurred_at=payload.occurred_at,
        participants=people_by_id(payload.participants, field="participants", viewer=request.auth),
        duration_minutes=payload.duration_minutes,
        private_note=payload.private_note,
    )
    return selectors.access_interaction(viewer=request.auth, interaction_id=interaction.pk)


@router.patch("/{interaction_id}", response=InteractionOut, summary="Change an interaction")
def interaction_update(request: ApiRequest, interaction_id: int, payload: InteractionUpdateIn):
    """Only whoever logged it (or an admin, who cannot touch the private note)."""
    interaction = selectors.access_interaction(
        viewer=request.auth, interaction_id=interaction_id, for_edit=True
    )
    fields = payload.model_dump(exclude_unset=True)
    if "participants" in fields:
        ids = fields.pop("participants")
        fields["participants"] = (
            None if ids is None else people_by_id(ids, field="participants", viewer=request.auth)
        )
    services.interaction_update(actor=request.auth, interaction=interaction, **fields)
    return selectors.access_interaction(viewer=request.auth, interaction_id=interaction.pk)


@router.delete("/{interaction_id}", response={204: None}, summary="Delete an interaction")
def interaction_delete(request: ApiRequest, interaction_id: int):
    interaction = selectors.access_interaction(
        viewer=request.auth, interaction_id=interaction_id, for_edit=True
    )
    services.interaction_delete(actor=request.auth, interaction=interaction)


imports_router = Router(tags=["imports"])


def _import_options(raw: str) -> dict:
    try:
        data = json.loads(raw or "{}")
        options = ImportOptionsIn.model_validate(data)
    except json.JSONDecodeError:
        raise ValidationError({"options": "Send options as a JSON object."}) from None
    except PydanticValidationError as exc:
        raise ValidationError(
            {
                "options": [
                    f"{'.'.join(str(p) for p in e['loc']) or 'options'}: {e['msg']}"
                    for e in exc.errors()
                ]
            }
        ) from None
    return options.model_dump(exclude_defaults=True)


@imports_router.post("/", response={201: ImportRunOut, 413: ErrorOut}, summary="Start an import")
def import_start(
    request: ApiRequest,
    format: Form[str],  # noqa: A002 - the public query parameter is called format
    # None when no file is sent; typed without None so that the OpenAPI schema
    # keeps a plain array of files (``X | None`` would publish it as nullable).
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    options: Form[str] = "{}",
):
    """Upload files (multipart: ``format``, one or more ``files``, and ``options``
    as a JSON object) and queue their import; poll ``GET /api/imports/{id}``.

    People analysts and admins may import any format; anyone else whose login
    is linked to a person, only their own mailbox, calendar and contacts
    (``mbox``, ``maildir`` as a .zip, ``ics``, ``vcard``, ``linkedin``). Other
    formats answer 404. A member's import keeps only what they took part in,
    and the people it brings in are their private contacts.

    The files may be at most ``BRIDGEWORK_IMPORT_MAX_UPLOAD_MB_MEMBER`` MB in
    all for members, ``BRIDGEWORK_IMPORT_MAX_UPLOAD_MB_ANALYST`` for people
    analysts and admins: a larger upload is stopped while it streams in and
    answers 413. Zips are inspected (and refused if they look like a zip bomb)
    by the worker: see the run's ``error``.
    """
    refusal = upload_refusal(request)
    if refusal is not None:
        return Status(413, {"detail": refusal.message})
    run = services.import_start(
        actor=request.auth,
        format=format,
        uploaded_files=files or [],
        options=_import_options(options),
        origin=ImportRun.Origin.API,
    )
    return Status(201, selectors.access_import_run(viewer=request.auth, run_id=run.pk))


@imports_router.get("/", response=list[ImportRunOut], summary="Imports")
@paginate(BoundedPageNumberPagination)
def import_list(request: ApiRequest):
    """Imports the caller started, newest first (people analysts and admins: all)."""
    return selectors.import_run_list(viewer=request.auth)


@imports_router.get("/{run_id}", response=ImportRunOut, summary="An import's progress")
def import_detail(request: ApiRequest, run_id: int):
    return selectors.access_import_run(viewer=request.auth, run_id=run_id)


@imports_router.get("/{run_id}/report", response=ImportReportOut, summary="An import's report")
def import_report(request: ApiRequest, run_id: int):
    """Counts and the problems found (file, position, reason; never message content);
    ``report`` is null until the import has succeeded, ``error`` says why it failed."""
    return selectors.access_import_run(viewer=request.auth, run_id=run_id)


introductions_router = Router(tags=["introductions"])


@introductions_router.get(
    "/paths",
    response={200: list[IntroductionPathOut], 429: ErrorOut},
    summary="Paths to someone",
)
def introduction_paths(
    request: ApiRequest, person: Id | None = None, organization: Id | None = None
):
    """The best few paths (at most 3 hops) from the caller to a ``person``, or to
    anyone at an ``organization``; best first.

    Of the first step (the caller's own tie) everything is given; of later steps
    only the next person's public name, title and organization: that a tie
    exists, never its band or strength (``tie`` is null). ``chance`` is given
    for a direct tie only. People who asked not to be introducers are never on
    a path except as the target. Each caller may ask this many times an hour
    (``BRIDGEWORK_PATH_QUERIES_PER_HOUR``, default 60); beyond it, 429 with
    ``detail`` and ``Retry-After``. Every query is audited.
    """
    retry_after = limits.limit_reached(request, limits.PATH_QUERIES)
    if retry_after is not None:
        return limits.too_many_json(limits.PATH_QUERIES, retry_after=retry_after)
    return selectors.introduction_paths(
        viewer=request.auth, target_person_id=person, target_organization_id=organization
    )


@introductions_router.get("/", response=list[IntroductionOut], summary="Introduction requests")
@paginate(BoundedPageNumberPagination)
def introduction_list(request: ApiRequest, role: Literal["sent", "received"] | None = None):
    """Requests the caller sent (``role=sent``), was asked to make
    (``role=received``), or both; newest first."""
    return selectors.introduction_list(viewer=request.auth, role=role)


def _introduction_target(payload: IntroductionCreateIn):
    if payload.person is not None and payload.organization is None:
        return people_by_id([payload.person], field="person")[0]
    if payload.organization is not None and payload.person is None:
        organization = organization_list().filter(pk=payload.organization).first()
        if organization is None:
            raise ValidationError(
                {"organization": f"No organization with id {payload.organization}."}
            )
        return organization
    raise ValidationError({"person": "Give a person or an organization (one of them)."})


@introductions_router.post(
    "/", response={201: IntroductionOut, 429: ErrorOut}, summary="Ask for an introduction"
)
def introduction_request(request: ApiRequest, payload: IntroductionCreateIn):
    """Ask the second person on ``path`` to introduce you to its last person.

    The path starts with you, ends at ``person`` (or at someone at
    ``organization``), has at most 3 hops, every hop is a known tie, and nobody
    before the target asked not to be an introducer; otherwise 422 and nothing
    is saved. The person asked is told by e-mail. Each ask counts against the
    hourly path queries (429 beyond them).
    """
    retry_after = limits.limit_reached(request, limits.PATH_QUERIES)
    if retry_after is not None:
        return limits.too_many_json(limits.PATH_QUERIES, retry_after=retry_after)
    intro = services.introduction_request(
        actor=request.auth,
        target=_introduction_target(payload),
        path_person_ids=payload.path,
        message=payload.message,
    )
    return Status(201, selectors.access_introduction(viewer=request.auth, request_id=intro.pk))


@introductions_router.get(
    "/{request_id}", response=IntroductionOut, summary="One introduction request"
)
def introduction_detail(request: ApiRequest, request_id: int):
    return selectors.access_introduction(viewer=request.auth, request_id=request_id)


@introductions_router.post(
    "/{request_id}/respond", response=IntroductionOut, summary="Accept or decline"
)
def introduction_respond(request: ApiRequest, request_id: int, payload: IntroductionRespondIn):
    """Only the person asked may answer (404 for anyone else), once. Accepting
    records the introduction as an interaction of channel ``introduction``."""
    intro = selectors.access_introduction(viewer=request.auth, request_id=request_id)
    services.introduction_respond(
        actor=request.auth, request=intro, accept=payload.accept, note=payload.note
    )
    return selectors.access_introduction(viewer=request.auth, request_id=intro.pk)


@introductions_router.post(
    "/{request_id}/withdraw", response=IntroductionOut, summary="Withdraw a request"
)
def introduction_withdraw(request: ApiRequest, request_id: int):
    """Only the requester, and only while nobody has answered."""
    intro = selectors.access_introduction(viewer=request.auth, request_id=request_id)
    services.introduction_withdraw(actor=request.auth, request=intro)
    return selectors.access_introduction(viewer=request.auth, request_id=intro.pk)


@introductions_router.post(
    "/{request_id}/outcome", response=IntroductionOut, summary="Record the outcome"
)
def introduction_outcome(request: ApiRequest, request_id: int, payload: IntroductionOutcomeIn):
    """The requester or the person asked, once the introduction was accepted."""
    intro = selectors.access_introduction(viewer=request.auth, request_id=request_id)
    services.introduction_record_outcome(actor=request.auth, request=intro, outcome=payload.outcome)
    return selectors.access_introduction(viewer=request.auth, request_id=intro.pk)
