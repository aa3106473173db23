"""Reads of logged interactions, always on behalf of a viewer."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.guards import is_signed_in, require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.graph.paths import best_paths
from bridgework.core.ingest import readers
from bridgework.core.ingest.base import Reader
from bridgework.interactions.models import ImportRun, Interaction, IntroductionRequest
from bridgework.network.preferences import introducers_opted_out
from bridgework.network.selectors import chance_percent, strength_label, tie_between, tie_graph
from bridgework.people.consent import withdrawn_ids
from bridgework.people.models import Organization, Person

__all__ = [
    "interaction_list",
    "access_interaction",
    "people_gone_quiet",
    "MEMBER_FORMATS",
    "import_formats",
    "can_import",
    "import_run_list",
    "access_import_run",
    "INTRODUCTION_MAX_HOPS",
    "strength_label",
    "chance_percent",
    "introduction_paths",
    "introduction_list",
    "access_introduction",
    "introduction_path_people",
]

#: What anyone linked to a person may import: their own mailbox, calendar and contacts.
MEMBER_FORMATS = ("mbox", "maildir", "ics", "vcard", "linkedin")


def _interactions() -> QuerySet[Interaction]:
    return Interaction.objects.select_related("logged_by").prefetch_related(
        Prefetch("participants", queryset=Person.objects.select_related("team", "organization"))
    )


def interaction_list(*, viewer: User, person_id: int | None = None) -> QuerySet[Interaction]:
    """Interactions the viewer took part in or logged, newest first.

    Asked about another person, only the interactions the two share. Admins see
    everyone's; looking at another person's is audited.
    """
    require_login(viewer)
    items = _interactions()
    if policies.can_see_everyones_records(viewer):
        if person_id is not None:
            if person_id != viewer.person_id:
                audit_record(
                    actor=viewer,
                    action=AuditEntry.Action.VIEW,
                    object_type="interactions",
                    subject_person_id=person_id,
                )
            items = items.filter(participations__person_id=person_id)
        return items.distinct()
    mine = Q(logged_by=viewer)
    if viewer.person_id is not None:
        mine |= Q(participations__person_id=viewer.person_id)
    ids = Interaction.objects.filter(mine).values("id")
    items = items.filter(id__in=ids)
    if person_id is not None and person_id != viewer.person_id:
        items = items.filter(participations__person_id=person_id)
    return items.distinct()


def access_interaction(*, viewer: User, interaction_id: int, for_edit: bool = False) -> Interaction:
    try:
        interaction = interaction_list(viewer=viewer).get(pk=interaction_id)
    except (Interaction.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None
    if (
        for_edit
        and interaction.logged_by_id != viewer.pk
        and not policies.can_see_everyones_records(viewer)
    ):
        raise NotFoundError("Not found.")
    return interaction


def people_gone_quiet(
    *, viewer: User, quiet_for: dt.timedelta = dt.timedelta(days=60), limit: int = 10
) -> list[dict]:
    """People the viewer used to be in touch with but has not met for a while.

    Returns dicts ``{"person", "last_contact", "count"}``, longest silence first.
    """
    if viewer is None or not viewer.is_authenticated or viewer.person_id is None:
        return []
    me = viewer.person_id
    cutoff = timezone.now() - quiet_for
    my_interactions = Interaction.objects.filter(participations__person_id=me).values("id")
    rows = (
        Person.objects.filter(participations__interaction_id__in=my_interactions)
        .exclude(pk=me)
        .annotate(
            last_contact=Max("participations__interaction__occurred_at"),
            count=Count("participations__interaction", distinct=True),
        )
        .filter(last_contact__lt=cutoff)
        .select_related("team", "organization")
        .order_by("last_contact", "full_name")[:limit]
    )
    return [{"person": p, "last_contact": p.last_contact, "count": p.count} for p in rows]


def import_formats(*, viewer: User) -> dict[str, Reader]:
    """The formats the viewer may import, by name (only those with a reader).

    People analysts and admins: every format. Anyone else whose login is linked
    to a person: their own mailbox, calendar and contacts (:data:`MEMBER_FORMATS`).
    """
    if not is_signed_in(viewer):
        return {}
    available = readers()
    if policies.can_manage_people(viewer):
        return available
    if viewer.person_id is None:
        return {}
    return {name: r for name, r in available.items() if name in MEMBER_FORMATS}


def can_import(viewer: User) -> bool:
    return bool(import_formats(viewer=viewer))


def import_run_list(*, viewer: User) -> QuerySet[ImportRun]:
    """Imports the viewer started, newest first; people analysts and admins see all."""
    require_login(viewer)
    runs = ImportRun.objects.select_related("started_by")
    if policies.can_manage_people(viewer):
        return runs
    return runs.filter(started_by=viewer)


def access_import_run(*, viewer: User, run_id: int) -> ImportRun:
    """One import run, if the viewer may see it (the same error for missing and forbidden)."""
    try:
        return import_run_list(viewer=viewer).get(pk=run_id)
    except (ImportRun.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


# -- warm introductions ---------------------------------------------------------------
#
# What a member may see of other people's ties (issue 4, item 6, tightened by
# issue 13, item 7): of the first hop (me → the person I would ask) the member
# sees everything about their own tie: its strength, band, explanation and last
# contact. Of every later hop only the next person's public name, title and
# organization, and that a tie exists — no band, strength, counts, last contact
# or explanation, and no other tie of theirs. A path longer than one hop has no
# chance figure either: with my own strength known, the product of the
# strengths would give the others away. People who asked not to be introducers
# (network.preferences) are never on a path, except as the person to meet.

#: Introduction paths are at most this many hops long (me → … → the target).
INTRODUCTION_MAX_HOPS = 3
#: Paths shown per target.
INTRODUCTION_PATHS = 3


def introduction_paths(
    *,
    viewer: User,
    target_person_id: int | None = None,
    target_organization_id: int | None = None,
    k: int = INTRODUCTION_PATHS,
    max_hops: int = INTRODUCTION_MAX_HOPS,
) -> list[dict]:
    """The best few chains of ties from the viewer to a person, or to anyone at an organization.

    Paths maximize the product of tie strengths
    (:func:`~bridgework.core.graph.paths.best_paths` over the stored ties), use
    at most ``max_hops`` hops, never pass through people who have not
    consented to network analytics, and never pass through people who asked
    not to be introducers (they can still be the target). Best first; empty
    when the viewer has no person, no ties, or no path.

    Privacy rule: a member never sees ties of others beyond that they exist.
    Each path is a dict::

        {"person_ids": [me, via, …, target], "hops": 2, "chance": None,
         "direct": False, "via": <Person>, "target": <Person>,
         "steps": [
            {"person": <via>, "tie": "strong", "mine": True,
             "strength": 0.72, "explanation": "0.72: …", "last_contact": <datetime>},
            {"person": <target>, "tie": None, "mine": False,
             "strength": None, "explanation": None, "last_contact": None},
         ]}

    Only the first step (the viewer's own tie) carries its band word
    (:func:`strength_label`), ``strength``, ``explanation`` and
    ``last_contact``; later steps carry the next person (shown by public name,
    title and organization only) and nothing about the tie into them.
    ``chance`` is :func:`chance_percent` of the viewer's own tie on a direct
    path and ``None`` on longer ones. A missing target (or one the viewer may
    not see) raises :class:`NotFoundError`.

    Every query that gets this far is written to the audit log: who asked,
    the target, and how many paths were found (never the paths).
    """
    require_login(viewer)
    if (target_person_id is None) == (target_organization_id is None):
        raise ValidationError({"person": "Choose a person or an organization to be introduced to."})
    organization_id = None
    if target_person_id is not None:
        targets = set(
            Person.objects.filter(pk=_as_id(target_person_id)).values_list("id", flat=True)
        )
        if not targets:
            raise NotFoundError("Not found.")
    else:
        organization_id = _as_id(target_organization_id)
        if not Organization.objects.filter(pk=organization_id).exists():
            raise NotFoundError("Not found.")
        targets = set(
            Person.objects.filter(organization_id=organization_id).values_list("id", flat=True)
        )
    result = _paths_between(viewer.person_id, targets, k=k, max_hops=max_hops)
    audit_record(
        actor=viewer,
        action=AuditEntry.Action.VIEW,
        object_type="introduction_paths",
        object_id=organization_id if organization_id is not None else "",
        subject_person_id=next(iter(targets)) if organization_id is None else None,
        detail={
            **({"organization": organization_id} if organization_id is not None else {}),
            "paths": len(result),
        },
    )
    return result


def _paths_between(me: int | None, targets: set[int], *, k: int, max_hops: int) -> list[dict]:
    targets = targets - {me}
    if me is None or not targets:
        return []
    graph = tie_graph()
    if me not in graph:
        return []
    # Held back: whoever withdrew consent (the graph has no ties of theirs
    # anyway), and introducers who opted out unless they are whom I want to meet.
    held_back = withdrawn_ids() | (introducers_opted_out() - targets)
    paths = best_paths(graph, me, targets, max_hops=max_hops, k=k, exclude=held_back - {me})
    if not paths:
        return []
    people = Person.objects.select_related("organization").in_bulk(
        {node for path in paths for node in path.nodes}
    )
    my_ties = {path.nodes[1]: tie_between(me, path.nodes[1]) for path in paths}
    result = []
    for path in paths:
        first = path.nodes[1]
        steps = [_my_step(people[first], my_ties[first], path.strengths[0])]
        steps += [_their_step(people[node]) for node in path.nodes[2:]]
        direct = path.hops == 1
        result.append(
            {
                "person_ids": list(path.nodes),
                "hops": path.hops,
                "chance": chance_percent(path.score) if direct else None,
                "direct": direct,
                "via": steps[0]["person"],
                "target": steps[-1]["person"],
                "steps": steps,
            }
        )
    return result


def _my_step(person: Person, tie, strength: float) -> dict:
    """The viewer's own tie: everything about it."""
    return {
        "person": person,
        "tie": strength_label(tie.strength if tie is not None else strength),
        "mine": True,
        "strength": tie.strength if tie is not None else strength,
        "explanation": tie.explanation if tie is not None else "",
        "last_contact": tie.last_contact if tie is not None else None,
    }


def _their_step(person: Person) -> dict:
    """A tie between two other people: the next person, and nothing about the tie."""
    return {
        "person": person,
        "tie": None,
        "mine": False,
        "strength": None,
        "explanation": None,
        "last_contact": None,
    }


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFoundError("Not found.") from None


def _introductions() -> QuerySet[IntroductionRequest]:
    return IntroductionRequest.objects.select_related(
        "requester__organization",
        "via__organization",
        "target__organization",
        "target_organization",
    )


def introduction_list(*, viewer: User, role: str | None = None) -> QuerySet[IntroductionRequest]:
    """Introduction requests the viewer sent or was asked to make, newest first.

    ``role="sent"`` keeps the ones the viewer asked for, ``role="received"``
    the ones asked of them. Nobody else sees a request: not the people further
    down its path, and not admins (Django admin lists them read-only).
    """
    require_login(viewer)
    me = viewer.person_id
    if me is None:
        return IntroductionRequest.objects.none()
    if role == "sent":
        mine = Q(requester_id=me)
    elif role == "received":
        mine = Q(via_id=me)
    else:
        mine = Q(requester_id=me) | Q(via_id=me)
    return _introductions().filter(mine)


def access_introduction(*, viewer: User, request_id: int) -> IntroductionRequest:
    """One request the viewer sent or was asked to make (the same error for missing and forbidden)."""
    try:
        return introduction_list(viewer=viewer).get(pk=request_id)
    except (IntroductionRequest.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


def introduction_path_people(request: IntroductionRequest) -> list[Person | None]:
    """The people on a request's path, in order (names only are shown: see the privacy rule).

    The requester, the person asked and the target are the request's own
    parties. Anyone else on the path who has since withdrawn analytics consent
    comes back as ``None`` ("someone no longer in network analytics"): a
    withdrawal hides them from every path at once, stored ones included.
    """
    ids = [pk for pk in request.path or [] if isinstance(pk, int)]
    people = Person.objects.select_related("organization").in_bulk(ids)
    parties = {request.requester_id, request.via_id, request.target_id}
    return [
        people[pk] if pk in parties or people[pk].analytics_consent else None
        for pk in ids
        if pk in people
    ]
