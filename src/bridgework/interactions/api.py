"""REST API for logged interactions.

Reads go through :mod:`bridgework.interactions.selectors` and writes through
:mod:`bridgework.interactions.services` with ``request.auth`` as the viewer:
interactions the caller may not see are a 404, exactly as on the pages.
"""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from bridgework.interactions import selectors, services
from bridgework.interactions.schemas import InteractionCreateIn, InteractionOut, InteractionUpdateIn
from bridgework.people.api import MAX_PAGE_SIZE, PAGE_SIZE, people_by_id

__all__ = ["router"]

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
