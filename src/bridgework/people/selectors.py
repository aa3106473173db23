"""Reads of people, organizations, teams, skills and relationships.

Every read of personal data takes the viewer. A missing object and one the
viewer may not see raise the same :class:`~bridgework.core.errors.NotFoundError`.

Who is in the directory: everyone listed (``Person.listed``). A person a
member's own import brought in is that member's private contact: seen by the
member (every member who imported them), by people managers, and by nobody
else, until an organization import names them or a people manager approves
them (:func:`visible_people`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from bridgework.accounts import policies
from bridgework.accounts.guards import require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.events.store import StoreBusyError
from bridgework.eventstore import PAGE_LOCK_TIMEOUT, get_event_store
from bridgework.people.models import (
    MatchReview,
    Organization,
    Person,
    PersonEmail,
    PersonIdentity,
    PersonMerge,
    PersonSkill,
    PrivateContact,
    Relationship,
    Skill,
    Team,
)

__all__ = [
    "tree_descendants",
    "PUBLIC_PROFILE_FIELDS",
    "visible_people",
    "private_contact_owners",
    "person_directory",
    "access_person",
    "access_person_for_edit",
    "person_skills",
    "relationship_list",
    "access_relationship",
    "visible_note",
    "organization_list",
    "team_list",
    "skill_list",
    "match_review_list",
    "match_review_pending_count",
    "access_match_review",
    "person_merge_list",
    "access_person_merge",
    "access_person_to_merge",
    "MergePreview",
    "merge_preview",
]

#: What every signed-in user may see about anyone in the directory.
PUBLIC_PROFILE_FIELDS = (
    "full_name",
    "title",
    "organization",
    "team",
    "manager",
    "level",
    "location",
    "time_zone",
    "engagement_type",
    "bio",
    "primary_email",
    "skills",
)


def _public_people() -> QuerySet[Person]:
    return Person.objects.select_related("organization", "team").prefetch_related(
        Prefetch("emails", queryset=PersonEmail.objects.order_by("-is_primary", "address", "id"))
    )


def _visible(people: QuerySet[Person], viewer: User) -> QuerySet[Person]:
    """``people`` narrowed to those the viewer may see: listed people, the viewer
    themselves and their own private contacts; everyone for people managers."""
    if policies.can_manage_people(viewer):
        return people
    me = viewer.person_id
    if me is None:
        return people.filter(listed=True)
    mine = PrivateContact.objects.filter(owner_id=me).values("person_id")
    return people.filter(Q(listed=True) | Q(pk=me) | Q(pk__in=mine))


def visible_people(*, viewer: User) -> QuerySet[Person]:
    """Everyone the viewer may see or name: the shared directory plus the
    viewer's own private contacts (everyone, for people managers). Other apps
    narrow their lists of people with it."""
    require_login(viewer)
    return _visible(Person.objects.all(), viewer)


def private_contact_owners(*, viewer: User, person: Person) -> list[Person]:
    """Whose private contact ``person`` is, for people managers (others: nobody;
    a member must not learn who else knows someone). Empty for a listed person."""
    if person.listed or not policies.can_manage_people(viewer):
        return []
    return list(Person.objects.filter(private_contacts__person=person).order_by("full_name", "id"))


def person_directory(
    *,
    viewer: User,
    query: str = "",
    engagement_type: str | None = None,
    organization_id: int | None = None,
    team_id: int | None = None,
    skill_id: int | None = None,
    listed: bool | None = None,
) -> QuerySet[Person]:
    """The directory: everybody's public profile, searchable and filterable.

    ``query`` matches name, title, e-mail address, organization, team and skill.
    Filtering by a team includes its sub-teams. Private contacts appear only
    to their owners and people managers; ``listed=False`` keeps only private
    contacts (people managers' list of people to approve).
    """
    require_login(viewer)
    people = _visible(_public_people(), viewer)
    if listed is not None:
        people = people.filter(listed=listed)
    for term in query.split():
        people = people.filter(
            Q(full_name__icontains=term)
            | Q(title__icontains=term)
            | Q(emails__address__icontains=term)
            | Q(organization__name__icontains=term)
            | Q(team__name__icontains=term)
            | Q(skills__skill__name__icontains=term)
        )
    if engagement_type:
        people = people.filter(engagement_type=engagement_type)
    if organization_id:
        people = people.filter(organization_id=organization_id)
    if team_id:
        people = people.filter(team_id__in=_team_and_descendants(team_id))
    if skill_id:
        people = people.filter(skills__skill_id__in=_skill_and_descendants(skill_id))
    return people.distinct().order_by("full_name", "id")


def _team_and_descendants(team_id: int) -> list[int]:
    parents = dict(Team.objects.values_list("id", "parent_id"))
    return tree_descendants(team_id, parents)


def _skill_and_descendants(skill_id: int) -> list[int]:
    parents = dict(Skill.objects.values_list("id", "parent_id"))
    return tree_descendants(skill_id, parents)


def tree_descendants(root: int, parents: Mapping[int, int | None]) -> list[int]:
    """``root`` and everything below it in a tree given as ``{node: parent}``
    (teams in teams, skills in skills), ``root`` first.

    >>> tree_descendants(1, {1: None, 2: 1, 3: 2, 4: None})
    [1, 2, 3]
    """
    children: dict[int | None, list[int]] = {}
    for node, parent in parents.items():
        children.setdefault(parent, []).append(node)
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.append(node)
        stack.extend(children.get(node, []))
    return found


def access_person(*, viewer: User, person_id: int) -> Person:
    """One person's public profile, for any signed-in viewer who may see them
    (someone else's private contact is "not found")."""
    require_login(viewer)
    try:
        return _visible(_public_people(), viewer).select_related("manager").get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


def people_by_id(ids: Iterable[int], *, viewer: User | None = None) -> dict[int, Person]:
    """The people with these ids, by id (unknown ids are left out): the public
    records every signed-in user may refer to, e.g. in an API payload. Given
    the ``viewer``, someone else's private contacts are left out too."""
    people = Person.objects.all() if viewer is None else _visible(Person.objects.all(), viewer)
    return people.in_bulk(list(ids))


def access_person_for_edit(*, viewer: User, person_id: int) -> Person:
    """A person the viewer may edit: themselves, or anyone for people managers."""
    person = access_person(viewer=viewer, person_id=person_id)
    if not policies.can_edit_person(viewer, person.pk):
        raise NotFoundError("Not found.")
    return person


def person_skills(*, viewer: User, person_id: int) -> list[dict]:
    """A person's skills, one row per skill: self-declared level and endorsements."""
    require_login(viewer)
    rows: dict[int, dict] = {}
    for ps in (
        PersonSkill.objects.filter(person_id=person_id)
        .select_related("skill", "endorsed_by")
        .order_by("skill__name", "id")
    ):
        row = rows.setdefault(ps.skill_id, {"skill": ps.skill, "level": None, "endorsements": []})
        if ps.endorsed_by_id is None:
            row["level"] = ps.level
        else:
            row["endorsements"].append({"by": ps.endorsed_by, "level": ps.level})
    return list(rows.values())


def _relationships() -> QuerySet[Relationship]:
    return Relationship.objects.select_related(
        "person",
        "other",
        "person__team",
        "other__team",
        "person__organization",
        "other__organization",
    )


def relationship_list(*, viewer: User, person_id: int | None = None) -> QuerySet[Relationship]:
    """Relationships the viewer may see.

    A person sees the relationships they are part of or declared; asked about someone else,
    only the relationships between the two of them. Admins see everyone's, and
    looking at another person's is audited.
    """
    require_login(viewer)
    rels = _relationships()
    if policies.can_see_everyones_records(viewer):
        if person_id is not None:
            if person_id != viewer.person_id:
                audit_record(
                    actor=viewer,
                    action=AuditEntry.Action.VIEW,
                    object_type="relationships",
                    subject_person_id=person_id,
                )
            rels = rels.filter(Q(person_id=person_id) | Q(other_id=person_id))
        return rels
    me = viewer.person_id
    # Whoever declared a tie (a people analyst may declare ties between others)
    # must still reach it to edit or delete it.
    mine = Q(declared_by=viewer)
    if me is not None:
        mine |= Q(person_id=me) | Q(other_id=me)
    rels = rels.filter(mine)
    if person_id is not None and person_id != me:
        rels = rels.filter(Q(person_id=person_id) | Q(other_id=person_id))
    return rels


def access_relationship(
    *, viewer: User, relationship_id: int, for_edit: bool = False
) -> Relationship:
    """One relationship; for editing, only the one who declared it (or an admin)."""
    require_login(viewer)
    try:
        rel = relationship_list(viewer=viewer).get(pk=relationship_id)
    except (Relationship.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None
    if (
        for_edit
        and rel.declared_by_id != viewer.pk
        and not policies.can_see_everyones_records(viewer)
    ):
        raise NotFoundError("Not found.")
    return rel


def visible_note(*, viewer: User, obj) -> str | None:
    """The private note on a relationship or interaction, only for its author."""
    author_id = getattr(obj, "declared_by_id", None) or getattr(obj, "logged_by_id", None)
    if viewer.is_authenticated and author_id == viewer.pk:
        return obj.private_note
    return None


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.all()


def team_list() -> QuerySet[Team]:
    return Team.objects.select_related("organization", "parent", "lead")


def skill_list() -> QuerySet[Skill]:
    return Skill.objects.select_related("parent")


# ---- Identity resolution: possible duplicates and merges ---------------------------
#
# For people managers only (others get "not found"). ``viewer=None`` is the
# command line, trusted like the services it feeds (see people/merge.py).


def _require_people_manager(viewer: User | None) -> None:
    if viewer is None:
        return
    require_login(viewer)
    if not policies.can_manage_people(viewer):
        raise NotFoundError("Not found.")


def _with_profile(prefix: str) -> list:
    return [
        Prefetch(
            f"{prefix}emails",
            queryset=PersonEmail.objects.order_by("-is_primary", "address", "id"),
        )
    ]


def match_review_list(*, viewer: User | None) -> QuerySet[MatchReview]:
    """Pending possible duplicates, newest first, both people with their addresses."""
    _require_people_manager(viewer)
    return (
        MatchReview.objects.filter(
            status=MatchReview.Status.PENDING,
            new_person__isnull=False,
            candidate__isnull=False,
        )
        .select_related("new_person__organization", "candidate__organization")
        .prefetch_related(*_with_profile("new_person__"), *_with_profile("candidate__"))
        .order_by("-created_at", "-id")
    )


def match_review_pending_count(*, viewer: User | None) -> int:
    _require_people_manager(viewer)
    return MatchReview.objects.filter(
        status=MatchReview.Status.PENDING, new_person__isnull=False, candidate__isnull=False
    ).count()


def access_match_review(*, viewer: User | None, review_id: int) -> MatchReview:
    _require_people_manager(viewer)
    try:
        return MatchReview.objects.select_related("new_person", "candidate").get(pk=review_id)
    except (MatchReview.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


def person_merge_list(*, viewer: User | None) -> QuerySet[PersonMerge]:
    """Every merge, newest first (undone ones too, marked)."""
    _require_people_manager(viewer)
    return PersonMerge.objects.select_related("keep", "merged_by", "undone_by").order_by(
        "-merged_at", "-id"
    )


def access_person_merge(*, viewer: User | None, merge_id: int) -> PersonMerge:
    _require_people_manager(viewer)
    try:
        return person_merge_list(viewer=viewer).get(pk=merge_id)
    except (PersonMerge.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


def access_person_to_merge(*, viewer: User | None, person_id: int) -> Person:
    """A person a people manager may merge with someone else."""
    _require_people_manager(viewer)
    try:
        return _public_people().get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


@dataclass(frozen=True)
class MergePreview:
    """What merging ``drop`` into ``keep`` would move; ``events`` is ``None`` when
    the event store is busy (an import is running) and could not be counted."""

    keep: Person
    drop: Person
    emails: list[str]
    identities: list[str]
    skills: int
    endorsements_given: int
    relationships: int
    interactions: int
    reports: int
    teams_led: list[str]
    login: str | None
    both_have_logins: bool
    events: int | None

    def rows(self) -> list[tuple[str, str]]:
        """``(what, how much)`` lines for a page or a terminal table."""
        return [
            ("E-mail addresses", ", ".join(self.emails) or "none"),
            ("Source keys", ", ".join(self.identities) or "none"),
            ("Skills and endorsements received", str(self.skills)),
            ("Endorsements given", str(self.endorsements_given)),
            ("Declared relationships", str(self.relationships)),
            ("Logged interactions", str(self.interactions)),
            ("Direct reports", str(self.reports)),
            ("Teams led", ", ".join(self.teams_led) or "none"),
            ("Login", self.login or "none"),
            (
                "Events in the event store",
                "unknown (the event store is busy)" if self.events is None else str(self.events),
            ),
        ]


def merge_preview(*, viewer: User | None, keep_id: int, drop_id: int) -> MergePreview:
    """What a merge of ``drop_id`` into ``keep_id`` would move, without changing anything."""
    keep = access_person_to_merge(viewer=viewer, person_id=keep_id)
    drop = access_person_to_merge(viewer=viewer, person_id=drop_id)
    logins = dict(
        User.objects.filter(person_id__in=[keep.pk, drop.pk]).values_list("person_id", "username")
    )
    return MergePreview(
        keep=keep,
        drop=drop,
        emails=[e.address for e in drop.emails.all()],
        identities=list(PersonIdentity.objects.filter(person=drop).values_list("key", flat=True)),
        skills=PersonSkill.objects.filter(person=drop).count(),
        endorsements_given=PersonSkill.objects.filter(endorsed_by=drop).count(),
        relationships=Relationship.objects.filter(Q(person=drop) | Q(other=drop)).count(),
        interactions=drop.participations.count(),
        reports=Person.objects.filter(manager=drop).count(),
        teams_led=[t.name for t in Team.objects.filter(lead=drop)],
        login=logins.get(drop.pk),
        both_have_logins=len(logins) == 2,
        events=_event_count(drop.pk),
    )


def _event_count(person_id: int) -> int | None:
    store = get_event_store(lock_timeout=PAGE_LOCK_TIMEOUT)
    try:
        return store.count_events(person_id=person_id)
    except StoreBusyError:
        return None
