"""Reads of people, organizations, teams, skills and relationships.

Every read of personal data takes the viewer. A missing object and one the
viewer may not see raise the same :class:`~bridgework.core.errors.NotFoundError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.events.store import StoreBusyError
from bridgework.interactions.events import get_event_store
from bridgework.people.models import (
    MatchReview,
    Organization,
    Person,
    PersonEmail,
    PersonIdentity,
    PersonMerge,
    PersonSkill,
    Relationship,
    Skill,
    Team,
)

__all__ = [
    "PUBLIC_PROFILE_FIELDS",
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
    "EXPERTISE_RESULTS",
    "reach_label",
    "expertise_search",
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


def _require_login(viewer: User) -> None:
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        raise NotFoundError("Not found.")


def _public_people() -> QuerySet[Person]:
    return Person.objects.select_related("organization", "team").prefetch_related(
        Prefetch("emails", queryset=PersonEmail.objects.order_by("-is_primary", "address", "id"))
    )


def person_directory(
    *,
    viewer: User,
    query: str = "",
    engagement_type: str | None = None,
    organization_id: int | None = None,
    team_id: int | None = None,
    skill_id: int | None = None,
) -> QuerySet[Person]:
    """The directory: everybody's public profile, searchable and filterable.

    ``query`` matches name, title, e-mail address, organization, team and skill.
    Filtering by a team includes its sub-teams.
    """
    _require_login(viewer)
    people = _public_people()
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
    return _descendants(team_id, parents)


def _skill_and_descendants(skill_id: int) -> list[int]:
    parents = dict(Skill.objects.values_list("id", "parent_id"))
    return _descendants(skill_id, parents)


def _descendants(root: int, parents: dict[int, int | None]) -> list[int]:
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
    """One person's public profile, for any signed-in viewer."""
    _require_login(viewer)
    try:
        return _public_people().select_related("manager").get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


def access_person_for_edit(*, viewer: User, person_id: int) -> Person:
    """A person the viewer may edit: themselves, or anyone for people managers."""
    person = access_person(viewer=viewer, person_id=person_id)
    if not policies.can_edit_person(viewer, person.pk):
        raise NotFoundError("Not found.")
    return person


def person_skills(*, viewer: User, person_id: int) -> list[dict]:
    """A person's skills, one row per skill: self-declared level and endorsements."""
    _require_login(viewer)
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
    _require_login(viewer)
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
    _require_login(viewer)
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
    _require_login(viewer)
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
    store = get_event_store()
    store.lock_timeout = 2.0  # a page should not wait long for a running import
    try:
        return store.events(person_id=person_id).num_rows
    except StoreBusyError:
        return None


# ---- Expertise location ----------------------------------------------------------------

#: At most this many experts are returned.
EXPERTISE_RESULTS = 50


def reach_label(hops: int | None, *, max_hops: int = 3) -> str:
    """How far someone is from the viewer, in words.

    >>> [reach_label(h) for h in (0, 1, 2, 3)]
    ['you', 'direct tie', 'one introduction away', 'two introductions away']
    >>> reach_label(None)
    'not reachable within 3 hops'
    """
    if hops is None:
        return f"not reachable within {max_hops} hops"
    if hops == 0:
        return "you"
    if hops == 1:
        return "direct tie"
    words = {1: "one", 2: "two", 3: "three", 4: "four"}
    introductions = hops - 1
    return f"{words.get(introductions, introductions)} introduction{'s' if introductions > 1 else ''} away"


def _tokens(query: str) -> list[str]:
    return list(dict.fromkeys(term.lower() for term in query.split() if term.strip()))


def _hits(text: str, tokens: list[str]) -> list[str]:
    lowered = (text or "").lower()
    return [token for token in tokens if token in lowered]


def expertise_search(
    *,
    viewer: User,
    query: str = "",
    skill_id: int | None = None,
    max_hops: int = 3,
    limit: int = EXPERTISE_RESULTS,
) -> list[dict]:
    """People with the expertise asked for, ranked by expertise and by how
    reachable they are from the viewer.

    Candidates come from the whole open talent network (employees,
    contractors, freelancers, alumni, partners, clients and external contacts):

    * ``skill_id``: everyone holding the skill or one of its sub-skills, by
      self-declaration or endorsement;
    * ``query``: everyone whose skills' names, title or bio contain a word of
      the query (case-insensitive);
    * both: people matching the skill *and* the words.

    A candidate's expertise is
    :func:`~bridgework.core.relationships.expertise.expertise_score` of

    * ``levels``: their self-declared levels in the matched skills (the skill
      and its sub-skills, and skills whose name contains a query word);
    * ``endorsements``: how many endorsements they received for those skills;
    * ``text_hits``: for each query word, one hit each if it occurs in their
      title, in their bio, and in the name of any skill they hold.

    Reach is the strength of the best chain of stored ties from the viewer
    (:func:`~bridgework.core.relationships.expertise.rank_experts`); a viewer
    without a person reaches nobody. Each result::

        {"person": <Person>, "engagement": "Contractor", "matched": ["Python 4/5", …],
         "expertise": 0.74, "reach_percent": 60, "hops": 2,
         "reach": "one introduction away",
         "path": [{"person": <Person>, "tie": "strong"}, …]}

    ``path`` follows the introductions privacy rule (see
    :func:`bridgework.interactions.selectors.introduction_paths`): the people
    on the path by name and a coarse word for each tie, nothing else; and
    ``reach_percent`` is rounded to 5 like a path's chance. Best first, at
    most ``limit``; empty when neither a skill nor words are given.
    """
    from bridgework.core.relationships.expertise import (
        ExpertCandidate,
        expertise_score,
        rank_experts,
    )
    from bridgework.interactions.selectors import chance_percent, strength_label
    from bridgework.network.selectors import tie_graph

    _require_login(viewer)
    tokens = _tokens(query)
    if not tokens and not skill_id:
        return []
    skills = {
        pk: (name, parent)
        for pk, name, parent in Skill.objects.values_list("id", "name", "parent_id")
    }
    wanted_skills: set[int] = set()
    if skill_id:
        if skill_id not in skills:
            return []
        wanted_skills = set(
            _descendants(skill_id, {pk: parent for pk, (_, parent) in skills.items()})
        )
    named_skills = {pk for pk, (name, _) in skills.items() if _hits(name, tokens)}
    matched_skills = wanted_skills | named_skills

    levels: dict[int, dict[int, int]] = {}
    endorsements: dict[int, dict[int, int]] = {}
    holders_of_wanted: set[int] = set()
    text: dict[int, set[tuple[str, str]]] = {}
    for person_id, skill, level, endorser in PersonSkill.objects.filter(
        skill_id__in=matched_skills
    ).values_list("person_id", "skill_id", "level", "endorsed_by_id"):
        if endorser is None:
            levels.setdefault(person_id, {})[skill] = level
        else:
            counts = endorsements.setdefault(person_id, {})
            counts[skill] = counts.get(skill, 0) + 1
        if skill in wanted_skills:
            holders_of_wanted.add(person_id)
        for token in _hits(skills[skill][0], tokens):
            text.setdefault(person_id, set()).add((token, "skill"))
    if tokens:
        words = Q()
        for token in tokens:
            words |= Q(title__icontains=token) | Q(bio__icontains=token)
        for person_id, title, bio in Person.objects.filter(words).values_list("id", "title", "bio"):
            found = text.setdefault(person_id, set())
            found.update((token, "title") for token in _hits(title, tokens))
            found.update((token, "bio") for token in _hits(bio, tokens))
    if skill_id and tokens:
        candidate_ids = holders_of_wanted & {pk for pk, found in text.items() if found}
    elif skill_id:
        candidate_ids = holders_of_wanted
    else:
        candidate_ids = {pk for pk, found in text.items() if found}

    candidates = []
    for person_id in candidate_ids:
        own = levels.get(person_id, {})
        endorsed = endorsements.get(person_id, {})
        found = text.get(person_id, set())
        matched = [
            _skill_match(skills[skill][0], own.get(skill), endorsed.get(skill, 0))
            for skill in sorted(set(own) | set(endorsed), key=lambda pk: skills[pk][0].lower())
        ]
        for where in ("title", "bio"):
            words_found = sorted(token for token, field in found if field == where)
            if words_found:
                matched.append(f"{where}: {', '.join(words_found)}")
        candidates.append(
            ExpertCandidate(
                person_id=person_id,
                expertise=expertise_score(list(own.values()), sum(endorsed.values()), len(found)),
                matched=tuple(matched),
            )
        )
    graph = tie_graph()
    me = viewer.person_id
    ranked = rank_experts(
        candidates,
        graph=graph,
        source=me if me is not None else _NOBODY,
        max_hops=max_hops,
    )[:limit]
    on_paths = {node for expert in ranked if expert.path for node in expert.path.nodes}
    people = Person.objects.select_related("organization", "team").in_bulk(
        {expert.person_id for expert in ranked} | on_paths
    )
    results = []
    for expert in ranked:
        person = people[expert.person_id]
        path = []
        if expert.path is not None and expert.hops:
            path = [
                {"person": people[node], "tie": strength_label(strength)}
                for node, strength in zip(expert.path.nodes[1:], expert.path.strengths, strict=True)
            ]
        results.append(
            {
                "person": person,
                "engagement_type": person.engagement_type,
                "engagement": person.get_engagement_type_display(),
                "matched": list(expert.matched),
                "expertise": round(expert.expertise, 2),
                "reach_percent": chance_percent(expert.reach) if expert.reach else 0,
                "hops": expert.hops,
                "reach": reach_label(expert.hops, max_hops=max_hops),
                "path": path,
                "can_ask_introduction": expert.hops is None or expert.hops >= 2,
            }
        )
    return results


#: A source id no person has: a viewer without a person reaches nobody.
_NOBODY = -1


def _skill_match(name: str, level: int | None, endorsements: int) -> str:
    parts = [f"{name} {level}/5" if level else name]
    if endorsements:
        parts.append(f"{endorsements} endorsement{'s' if endorsements > 1 else ''}")
    return ", ".join(parts)
