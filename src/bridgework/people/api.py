"""REST API for people, relationships, organizations, teams and skills.

Every call goes through the selectors and services with ``request.auth`` as the
viewer, so the API enforces exactly the rules the pages do. A missing object
and one the caller may not see give the same 404.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from bridgework.accounts import policies
from bridgework.accounts.requests import ApiRequest
from bridgework.core.errors import NotFoundError
from bridgework.people import selectors, services
from bridgework.people.models import EngagementType, Organization, Person, Team
from bridgework.people.schemas import (
    OrganizationOut,
    PersonCreateIn,
    PersonDetailOut,
    PersonOut,
    PersonSkillOut,
    PersonUpdateIn,
    RelationshipCreateIn,
    RelationshipOut,
    RelationshipUpdateIn,
    SkillOut,
    TeamOut,
)

__all__ = [
    "PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "people_router",
    "relationships_router",
    "organizations_router",
    "teams_router",
    "skills_router",
    "people_by_id",
]

#: Every list answers ``{"items": [...], "count": <total>}`` for ``?page=N&page_size=M``.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

people_router = Router(tags=["people"])
relationships_router = Router(tags=["relationships"])
organizations_router = Router(tags=["reference data"])
teams_router = Router(tags=["reference data"])
skills_router = Router(tags=["reference data"])


def _pages(func):
    return paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)(func)


def people_by_id(ids: Iterable[int], *, field: str) -> list[Person]:
    """The people with these ids, in the order given; unknown ids are a 422 on ``field``."""
    ids = list(dict.fromkeys(ids))
    found = selectors.people_by_id(ids)
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
    organization: int | None = None,
    team: int | None = None,
    skill: int | None = None,
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
def relationship_list(request: ApiRequest, person: int | None = None):
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
    person = people_by_id([person_id], field="person")[0]
    other = people_by_id([payload.other], field="other")[0]
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
