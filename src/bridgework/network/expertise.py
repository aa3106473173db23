"""Expertise location: who knows about something, ranked by how reachable they are.

Candidates come from the whole open talent network; each is scored by their
expertise and by the best warm path from the viewer over consenting ties,
never through someone who asked not to be an introducer (see
docs/introductions-and-expertise.md and
:mod:`bridgework.core.relationships.expertise`). The path is shown the way
introduction paths are: the people on it by name, a word for the viewer's own
tie, and nothing about the ties between other people — not even a reach
figure that could be divided back into their strengths. Every search is
written to the audit log.
"""

from __future__ import annotations

from django.db.models import Q

from bridgework.accounts.guards import require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.relationships.expertise import (
    ExpertCandidate,
    expertise_score,
    rank_experts,
)
from bridgework.network.preferences import introducers_opted_out
from bridgework.network.selectors import chance_percent, strength_label, tie_graph
from bridgework.people.consent import withdrawn_ids
from bridgework.people.models import Person, PersonSkill, Skill
from bridgework.people.selectors import tree_descendants

__all__ = ["EXPERTISE_RESULTS", "expertise_search", "reach_label"]

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
    contractors, freelancers, alumni, partners, clients and external contacts)
    who consent to analytics (someone who withdraws drops out at once; the
    directory still finds them by skill):

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
    (:func:`~bridgework.core.relationships.expertise.rank_experts`), never
    through someone who asked not to be an introducer (they are still found
    as experts); a viewer without a person reaches nobody. Each result::

        {"person": <Person>, "engagement": "Contractor", "matched": ["Python 4/5", …],
         "expertise": 0.74, "reach_percent": None, "hops": 2,
         "reach": "one introduction away",
         "path": [{"person": <Person>, "tie": "strong"}, {"person": <Person>, "tie": None}]}

    ``path`` follows the introductions privacy rule (see
    :func:`bridgework.interactions.selectors.introduction_paths`): the people
    on the path by name, the band word of the viewer's own first tie, and
    ``None`` for every tie between other people; ``reach_percent`` is the
    viewer's own tie strength rounded to 5 for a direct tie (100 for
    themselves), ``None`` further away and 0 when not reachable. Best first,
    at most ``limit``; empty when neither a skill nor words are given. Each
    search with a skill or words is audited (who asked, what, how many found).
    """
    require_login(viewer)
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
            tree_descendants(skill_id, {pk: parent for pk, (_, parent) in skills.items()})
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
    # Expertise location ranks people by their ties: only people in analytics now.
    candidate_ids -= withdrawn_ids() - {viewer.person_id}

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
        not_through=introducers_opted_out(),
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
            # My own first tie in a word; of ties between other people, nothing.
            first, *further = expert.path.nodes[1:]
            path = [{"person": people[first], "tie": strength_label(expert.path.strengths[0])}]
            path += [{"person": people[node], "tie": None} for node in further]
        results.append(
            {
                "person": person,
                "engagement_type": person.engagement_type,
                "engagement": person.get_engagement_type_display(),
                "matched": list(expert.matched),
                "expertise": round(expert.expertise, 2),
                "reach_percent": _reach_percent(expert.hops, expert.reach),
                "hops": expert.hops,
                "reach": reach_label(expert.hops, max_hops=max_hops),
                "path": path,
                "can_ask_introduction": expert.hops is None or expert.hops >= 2,
            }
        )
    audit_record(
        actor=viewer,
        action=AuditEntry.Action.VIEW,
        object_type="expertise_search",
        detail={
            "query": query[:200],
            "skill": skill_id,
            "results": len(results),
            "paths": sum(1 for row in results if row["path"]),
        },
    )
    return results


def _reach_percent(hops: int | None, reach: float) -> int | None:
    """The viewer's own tie (or themselves) as a percentage; ``None`` beyond a
    direct tie, where it would be a product of other people's tie strengths."""
    if hops is None:
        return 0
    if hops <= 1:
        return chance_percent(reach)
    return None


#: A source id no person has: a viewer without a person reaches nobody.
_NOBODY = -1


def _skill_match(name: str, level: int | None, endorsements: int) -> str:
    parts = [f"{name} {level}/5" if level else name]
    if endorsements:
        parts.append(f"{endorsements} endorsement{'s' if endorsements > 1 else ''}")
    return ", ".join(parts)
