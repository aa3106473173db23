"""REST API for people, relationships, organizations, teams and skills.

Every call goes through the selectors and services with ``request.auth`` as the
viewer, so the API enforces exactly the rules the pages do. A missing object
and one the caller may not see give the same 404.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from bridgework.accounts import policies
from bridgework.accounts.requests import ApiRequest
from bridgework.core.errors import NotFoundError
from bridgework.eventstore import StoreBusyError
from bridgework.people import rights, selectors, services
from bridgework.people.models import EngagementType, Organization, Person, Team
from bridgework.people.schemas import (
    OrganizationOut,
    PersonCreateIn,
    PersonDetailOut,
    PersonErasureOut,
    PersonMergeIn,
    PersonMergeOut,
    PersonOut,
    PersonSkillOut,
    PersonUpdateIn,
    RelationshipCreateIn,
    RelationshipOut,
    RelationshipUpdateIn,
    SkillOut,
    TeamOut,
)
from bridgework.web.apitypes import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    BoundedPageNumberPagination,
    ErrorOut,
    Id,
)

__all__ = [
    "PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "people_router",
    "merges_router",
    "relationships_router",
    "organizations_router",
    "teams_router",
    "skills_router",
    "people_by_id",
]

people_router = Router(tags=["people"])
#: Mounted before ``people_router``, whose ``/{person_id}`` would take ``/merges`` otherwise.
merges_router = Router(tags=["people"])
relationships_router = Router(tags=["relationships"])
organizations_router = Router(tags=["reference data"])
teams_router = Router(tags=["reference data"])
skills_router = Router(tags=["reference data"])


def _pages(func):
    return paginate(BoundedPageNumberPagination)(func)


def people_by_id(ids: Iterable[int], *, field: str, viewer=None) -> list[Person]:
    """The people with these ids, in the order given; unknown ids (and, given the
    ``viewer``, someone else's private contacts) are a 422 on ``field``."""
    ids = list(dict.fromkeys(ids))
    found = selectors.people_by_id(ids, viewer=viewer)
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError({field: f"No person with id {', '.join(missing)}."})
    return [found[pk] for pk in ids]


def _instance(model, pk: int | None, *, field: str):
    if pk is None:
        return None
    instance = model.objects.filter(pk=pk).first()
    if instance is None:
        raise ValidationError({field: f"No {model._meta.verbose_name} with id {pk}."})
    return instance


_FOREIGN_KEYS = {"organization": Organization, "team": Team, "manager": Person}


def _person_fields(data: dict) -> dict:
    """Turn the foreign-key ids of a person payload into objects."""
    for field, model in _FOREIGN_KEYS.items():
        if field in data:
            data[field] = _instance(model, data[field], field=field)
    return data


# People -----------------------------------------------------------------------


@people_router.get("/", response=list[PersonOut], summary="The directory")
@_pages
def person_list(
    request: ApiRequest,
    q: str = "",
    engagement_type: EngagementType | None = None,
    organization: Id | None = None,
    team: Id | None = None,
    skill: Id | None = None,
):
    """Everybody's public profile, paginated (``page``, ``page_size``).

    ``q`` matches name, title, e-mail, organization, team and skill; ``team``
    and ``skill`` include sub-teams and sub-skills.
    """
    return selectors.person_directory(
        viewer=request.auth,
        query=q,
        engagement_type=engagement_type,
        organization_id=organization,
        team_id=team,
        skill_id=skill,
    )


@people_router.get("/{person_id}", response=PersonDetailOut, summary="One person")
def person_detail(request: ApiRequest, person_id: int):
    """Public profile; private fields are null unless it is the caller or a people manager."""
    return selectors.access_person(viewer=request.auth, person_id=person_id)


@people_router.post("/", response={201: PersonDetailOut}, summary="Add a person")
def person_create(request: ApiRequest, payload: PersonCreateIn):
    """Only people analysts and admins add people (404 for everyone else)."""
    if not policies.can_manage_people(request.auth):
        raise NotFoundError("Not found.")
    data = _person_fields(payload.model_dump(exclude_unset=True))
    person = services.person_create(actor=request.auth, **data)
    return selectors.access_person(viewer=request.auth, person_id=person.pk)


@people_router.patch("/{person_id}", response=PersonDetailOut, summary="Change a person")
def person_update(request: ApiRequest, person_id: int, payload: PersonUpdateIn):
    """Change the fields given. Members edit only themselves, and only their public details."""
    person = selectors.access_person_for_edit(viewer=request.auth, person_id=person_id)
    data = _person_fields(payload.model_dump(exclude_unset=True))
    services.person_update(actor=request.auth, person=person, **data)
    return selectors.access_person(viewer=request.auth, person_id=person.pk)


@people_router.post(
    "/{person_id}/approve",
    response=PersonDetailOut,
    summary="Add a private contact to the directory",
)
def person_approve(request: ApiRequest, person_id: int):
    """List a private contact (``listed: false``, brought in by a member's own
    import) in the shared directory, for everyone signed in. People analysts
    and admins only (404 for everyone else); approving a listed person changes
    nothing."""
    if not policies.can_manage_people(request.auth):
        raise NotFoundError("Not found.")
    person = selectors.access_person(viewer=request.auth, person_id=person_id)
    services.person_approve(actor=request.auth, person=person)
    return selectors.access_person(viewer=request.auth, person_id=person.pk)


@people_router.get(
    "/{person_id}/skills", response=list[PersonSkillOut], summary="A person's skills"
)
def person_skill_list(request: ApiRequest, person_id: int):
    """One row per skill: the self-declared level and the endorsements."""
    person = selectors.access_person(viewer=request.auth, person_id=person_id)
    return selectors.person_skills(viewer=request.auth, person_id=person.pk)


# Relationships ------------------------------------------------------------------


@relationships_router.get("/", response=list[RelationshipOut], summary="Relationships")
@_pages
def relationship_list(request: ApiRequest, person: Id | None = None):
    """The relationships the caller is part of; with ``person``, those involving them too."""
    return selectors.relationship_list(viewer=request.auth, person_id=person)


@relationships_router.get(
    "/{relationship_id}", response=RelationshipOut, summary="One relationship"
)
def relationship_detail(request: ApiRequest, relationship_id: int):
    return selectors.access_relationship(viewer=request.auth, relationship_id=relationship_id)


@relationships_router.post("/", response={201: RelationshipOut}, summary="Declare a relationship")
def relationship_declare(request: ApiRequest, payload: RelationshipCreateIn):
    """Declare a tie from ``person`` (default: the caller's own person) to ``other``."""
    viewer = request.auth
    person_id = payload.person if payload.person is not None else viewer.person_id
    if person_id is None:
        raise ValidationError(
            {"person": "Your login is not linked to a person: say whose relationship this is."}
        )
    person = people_by_id([person_id], field="person", viewer=viewer)[0]
    other = people_by_id([payload.other], field="other", viewer=viewer)[0]
    rel = services.relationship_declare(
        actor=viewer,
        person=person,
        other=other,
        closeness=payload.closeness,
        context=payload.context,
        since=payload.since,
        private_note=payload.private_note,
    )
    return rel


@relationships_router.patch(
    "/{relationship_id}", response=RelationshipOut, summary="Change a relationship"
)
def relationship_update(request: ApiRequest, relationship_id: int, payload: RelationshipUpdateIn):
    """Only whoever declared it (or an admin, who cannot touch the private note)."""
    rel = selectors.access_relationship(
        viewer=request.auth, relationship_id=relationship_id, for_edit=True
    )
    return services.relationship_update(
        actor=request.auth, relationship=rel, **payload.model_dump(exclude_unset=True)
    )


@relationships_router.delete(
    "/{relationship_id}", response={204: None}, summary="Delete a relationship"
)
def relationship_delete(request: ApiRequest, relationship_id: int):
    rel = selectors.access_relationship(
        viewer=request.auth, relationship_id=relationship_id, for_edit=True
    )
    services.relationship_delete(actor=request.auth, relationship=rel)


# Merges (people managers; anyone else gets 404) ------------------------------------

#: What a merge or undo answers while an import or recomputation holds the event store.
STORE_BUSY = (
    "The event store is busy (an import or a recomputation holds it); nothing was "
    "changed. Try again in a few minutes."
)


def _merged(do, *, status: int = 201):
    """``status`` and the merge; a refusal is a 422 naming why (the API's
    ValidationError handler), a busy event store a 503: never a server error."""
    try:
        return Status(status, do())
    except StoreBusyError:
        return Status(503, {"detail": STORE_BUSY})


@merges_router.post(
    "/merges",
    response={201: PersonMergeOut, 503: ErrorOut},
    summary="Merge two people who are one",
)
def person_merge(request: ApiRequest, payload: PersonMergeIn):
    """Fold ``drop`` into ``keep`` (see docs/identity.md); undo with ``POST /merges/{id}/undo``.

    Refused with 422 and the reason when the two cannot be one person (both have
    a login, one mentors the other, ...): nothing is changed then.
    """
    keep = selectors.access_person_to_merge(viewer=request.auth, person_id=payload.keep)
    drop = selectors.access_person_to_merge(viewer=request.auth, person_id=payload.drop)
    return _merged(lambda: services.person_merge(actor=request.auth, keep=keep, drop=drop))


@merges_router.post(
    "/merges/{merge_id}/undo",
    response={200: PersonMergeOut, 503: ErrorOut},
    summary="Undo a merge",
)
def person_merge_undo(request: ApiRequest, merge_id: Id):
    """The dropped person comes back under their old id with everything that moved."""
    merge = selectors.access_person_merge(viewer=request.auth, merge_id=merge_id)

    def undo():
        services.person_merge_undo(actor=request.auth, merge=merge)
        return selectors.access_person_merge(viewer=request.auth, merge_id=merge_id)

    return _merged(undo, status=200)


@merges_router.post(
    "/matches/{review_id}/merge",
    response={201: PersonMergeOut, 503: ErrorOut},
    summary="Confirm a possible duplicate",
)
def match_review_merge(request: ApiRequest, review_id: Id):
    """The new person of a possible duplicate is merged into the one already there."""
    review = selectors.access_match_review(viewer=request.auth, review_id=review_id)
    return _merged(lambda: services.match_review_confirm(actor=request.auth, review=review))


# Reference data -----------------------------------------------------------------


@organizations_router.get("/", response=list[OrganizationOut], summary="Organizations")
@_pages
def organization_list(request: ApiRequest):
    return selectors.organization_list()


@teams_router.get("/", response=list[TeamOut], summary="Teams")
@_pages
def team_list(request: ApiRequest):
    return selectors.team_list()


@skills_router.get("/", response=list[SkillOut], summary="Skills")
@_pages
def skill_list(request: ApiRequest):
    return selectors.skill_list()


# Personal data rights (people/rights.py) ---------------------------------------------


@people_router.get(
    "/{person_id}/export",
    summary="Download everything held about a person",
    openapi_extra={
        "responses": {
            "200": {
                "description": "A zip: README.txt, a JSON file per part and a CSV per table.",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def person_export(request: ApiRequest, person_id: Id):
    """Your own data, or, for admins, anyone's (audited; then without the text of the
    person's private notes). Anyone else's answers 404."""
    person = rights.access_person_for_export(viewer=request.auth, person_id=person_id)
    response = HttpResponse(
        rights.person_data_export(actor=request.auth, person=person),
        content_type="application/zip",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{rights.person_data_export_name(person)}"'
    )
    return response


@people_router.post(
    "/{person_id}/erase",
    response={200: PersonErasureOut, 503: ErrorOut},
    summary="Erase a person and everything held about them",
)
def person_erase(request: ApiRequest, person_id: Id):
    """Admins only (anyone else: 404). Cannot be undone. Refused with 422 for your own
    person; 503 while the event store is busy (nothing erased then)."""
    person = rights.access_person_for_erasure(viewer=request.auth, person_id=person_id)
    try:
        return Status(200, rights.person_erase(actor=request.auth, person=person))
    except StoreBusyError:
        return Status(503, {"detail": STORE_BUSY})
