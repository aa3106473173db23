"""REST API for logged interactions, and for imports (``imports_router``).

Reads go through :mod:`bridgework.interactions.selectors` and writes through
:mod:`bridgework.interactions.services` with ``request.auth`` as the viewer:
interactions the caller may not see are a 404, exactly as on the pages.
"""

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ValidationError as PydanticValidationError

from bridgework.interactions import selectors, services
from bridgework.interactions.models import ImportRun
from bridgework.interactions.schemas import (
    ImportOptionsIn,
    ImportReportOut,
    ImportRunOut,
    InteractionCreateIn,
    InteractionOut,
    InteractionUpdateIn,
)
from bridgework.people.api import MAX_PAGE_SIZE, PAGE_SIZE, people_by_id

__all__ = ["router", "imports_router"]

router = Router(tags=["interactions"])


@router.get("/", response=list[InteractionOut], summary="Interactions")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def interaction_list(request: HttpRequest, person: int | None = None):
    """Interactions the caller took part in or logged, newest first.

    With ``person``, only those that person took part in too.
    """
    return selectors.interaction_list(viewer=request.auth, person_id=person)


@router.get("/{interaction_id}", response=InteractionOut, summary="One interaction")
def interaction_detail(request: HttpRequest, interaction_id: int):
    return selectors.access_interaction(viewer=request.auth, interaction_id=interaction_id)


@router.post("/", response={201: InteractionOut}, summary="Log an interaction")
def interaction_log(request: HttpRequest, payload: InteractionCreateIn):
    """Log a touchpoint. A member is always one of the participants."""
    interaction = services.interaction_log(
        actor=request.auth,
        channel=payload.channel,
        occurred_at=payload.occurred_at,
        participants=people_by_id(payload.participants, field="participants"),
        duration_minutes=payload.duration_minutes,
        private_note=payload.private_note,
    )
    return selectors.access_interaction(viewer=request.auth, interaction_id=interaction.pk)


@router.patch("/{interaction_id}", response=InteractionOut, summary="Change an interaction")
def interaction_update(request: HttpRequest, interaction_id: int, payload: InteractionUpdateIn):
    """Only whoever logged it (or an admin, who cannot touch the private note)."""
    interaction = selectors.access_interaction(
        viewer=request.auth, interaction_id=interaction_id, for_edit=True
    )
    fields = payload.model_dump(exclude_unset=True)
    if "participants" in fields:
        ids = fields.pop("participants")
        fields["participants"] = None if ids is None else people_by_id(ids, field="participants")
    services.interaction_update(actor=request.auth, interaction=interaction, **fields)
    return selectors.access_interaction(viewer=request.auth, interaction_id=interaction.pk)


@router.delete("/{interaction_id}", response={204: None}, summary="Delete an interaction")
def interaction_delete(request: HttpRequest, interaction_id: int):
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


@imports_router.post("/", response={201: ImportRunOut}, summary="Start an import")
def import_start(
    request: HttpRequest,
    format: Form[str],
    files: File[list[UploadedFile]] = None,
    options: Form[str] = "{}",
):
    """Upload files (multipart: ``format``, one or more ``files``, and ``options``
    as a JSON object) and queue their import; poll ``GET /api/imports/{id}``.

    People analysts and admins may import any format; anyone else whose login
    is linked to a person, only their own mailbox, calendar and contacts
    (``mbox``, ``maildir`` as a .zip, ``ics``, ``vcard``, ``linkedin``). Other
    formats answer 404.
    """
    run = services.import_start(
        actor=request.auth,
        format=format,
        uploaded_files=files or [],
        options=_import_options(options),
        origin=ImportRun.Origin.API,
    )
    return selectors.access_import_run(viewer=request.auth, run_id=run.pk)


@imports_router.get("/", response=list[ImportRunOut], summary="Imports")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def import_list(request: HttpRequest):
    """Imports the caller started, newest first (people analysts and admins: all)."""
    return selectors.import_run_list(viewer=request.auth)


@imports_router.get("/{run_id}", response=ImportRunOut, summary="An import's progress")
def import_detail(request: HttpRequest, run_id: int):
    return selectors.access_import_run(viewer=request.auth, run_id=run_id)


@imports_router.get("/{run_id}/report", response=ImportReportOut, summary="An import's report")
def import_report(request: HttpRequest, run_id: int):
    """Counts and the problems found (file, position, reason; never message content);
    ``report`` is null until the import has succeeded, ``error`` says why it failed."""
    return selectors.access_import_run(viewer=request.auth, run_id=run_id)
