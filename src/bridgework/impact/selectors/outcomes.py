"""Outcomes: who may see them, their attribution by every method, and what they may link to.

An outcome is seen by its owner, by anyone who may read its objective, and by
admins; every look at someone else's outcome is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.impact.attribution import METHODS, Attribution, round_credit
from bridgework.core.impact.records import Relationship
from bridgework.impact.credit import attributions, credited
from bridgework.impact.models import Objective, Outcome
from bridgework.impact.selectors._common import _forbid, _outcomes, _viewer_person, _visible_to
from bridgework.impact.selectors.objectives import objectives_for_outcomes
from bridgework.interactions.models import Interaction as InteractionRow
from bridgework.interactions.models import IntroductionRequest
from bridgework.people.models import Person

__all__ = [
    "LINKABLE_INTERACTIONS",
    "MethodColumn",
    "AttributionView",
    "outcome_list",
    "access_outcome",
    "outcome_attribution",
    "outcome_link_choices",
]

_METHOD_WORDS = {
    "declared": "Declared by the owner",
    "first_touch": "First touch",
    "last_touch": "Last touch",
    "shapley": "Shapley split",
}
_METHOD_EXPLANATIONS = {
    "declared": "The owner said how much each person contributed; the shares are scaled to add up "
    "to the value. A judgement: it can capture what no record shows, and it is as biased "
    "as any judgement.",
    "first_touch": "All the credit goes to the relationship used first on the paths to the "
    "result (the first hop: who opened the door). Relationships first used on the same day "
    "share it equally.",
    "last_touch": "All the credit goes to the relationship used last (who closed the deal). "
    "Relationships last used on the same day share it equally.",
    "shapley": "The fair split from game theory: add the relationships one by one in every "
    "possible order; each gets the share of orders in which it completes the first whole "
    "path to the result. A direct route is worth more than one that needs two relationships "
    "to hold; relationships playing the same part get the same.",
}


def outcome_list(*, viewer: User, objective: Objective | None = None) -> list[Outcome]:
    """The viewer's own outcomes, newest first; with ``objective`` (one the viewer may
    read), that objective's outcomes, whoever logged them."""
    require_login(viewer)
    if objective is not None:
        return list(_outcomes().filter(objective=objective))
    if viewer.person_id is None:
        return []
    return list(_outcomes().filter(owner_id=viewer.person_id))


def access_outcome(*, viewer: User, outcome_id: int, for_edit: bool = False) -> Outcome:
    """One outcome: its owner's; anyone who may read its objective; admins (audited)."""
    require_login(viewer)
    try:
        outcome = (
            _outcomes().prefetch_related("introductions", "interactions").get(pk=int(outcome_id))
        )
    except (Outcome.DoesNotExist, ValueError, TypeError):
        _forbid()
    if viewer.person_id is not None and outcome.owner_id == viewer.person_id:
        return outcome
    if for_edit:
        _forbid()
    allowed = False
    if outcome.objective_id is not None:
        person = _viewer_person(viewer)
        allowed = Objective.objects.filter(_visible_to(person), pk=outcome.objective_id).exists()
    require(allowed or policies.can_see_everyones_records(viewer))
    audit_record(
        actor=viewer,
        action=AuditEntry.Action.VIEW,
        object_type="outcome",
        object_id=outcome.pk,
        subject_person_id=outcome.owner_id,
    )
    return outcome


@dataclass(frozen=True)
class MethodColumn:
    """One attribution method's result, ready to show: credit per person and
    relationship (rounded so the parts add up), its note, and its explanation."""

    method: str
    label: str
    explanation: str
    available: bool
    note: str
    people: dict[int, float]
    relationships: dict[Relationship, float]
    used_for_return: bool


@dataclass(frozen=True)
class AttributionView:
    """Every method side by side for one outcome."""

    outcome: Outcome
    columns: list[MethodColumn]
    people: list[Person]
    relationships: list[tuple[Relationship, Person, Person]]
    paths: list[list[Person]]
    used_method: str

    def person_rows(self) -> list[tuple[Person, list[float | None]]]:
        return [
            (p, [c.people.get(p.pk) if c.available else None for c in self.columns])
            for p in self.people
        ]

    def relationship_rows(self) -> list[tuple[Person, Person, list[float | None]]]:
        return [
            (
                a,
                b,
                [
                    c.relationships.get(r) if c.available and c.method != "declared" else None
                    for c in self.columns
                ],
            )
            for r, a, b in self.relationships
        ]


def _rounded(credit: dict) -> dict:
    return round_credit(credit, decimals=2) if credit else {}


def outcome_attribution(*, viewer: User, outcome: Outcome) -> AttributionView:
    """All four methods on an outcome the viewer may read (:func:`access_outcome`)."""
    computed = attributions(outcome)
    used = credited(outcome, computed=computed).method
    people_ids: list[int] = []
    relationship_keys: list[Relationship] = []
    for split in computed.values():
        if split is None:
            continue
        people_ids.extend(p for p in split.people if p not in people_ids)
        relationship_keys.extend(r for r in split.relationships if r not in relationship_keys)
    paths = [[s.person_id for s in path.steps.all()] for path in outcome.paths.all()]
    wanted = (
        set(people_ids)
        | {p for path in paths for p in path}
        | {p for r in relationship_keys for p in r.people}
    )
    people = Person.objects.select_related("organization").in_bulk(wanted)
    columns = []
    for method in METHODS:
        attribution: Attribution | None = computed[method]
        columns.append(
            MethodColumn(
                method=method,
                label=_METHOD_WORDS[method],
                explanation=_METHOD_EXPLANATIONS[method],
                available=attribution is not None,
                note=attribution.note if attribution is not None else _missing_note(method),
                people=_rounded(attribution.people) if attribution else {},
                relationships=_rounded(attribution.relationships) if attribution else {},
                used_for_return=method == used,
            )
        )
    owner_first = sorted(
        (p for p in people_ids if p in people),
        key=lambda p: (p != outcome.owner_id, people_ids.index(p)),
    )
    return AttributionView(
        outcome=outcome,
        columns=columns,
        people=[people[p] for p in owner_first],
        relationships=[
            (r, people[r.person_a], people[r.person_b])
            for r in relationship_keys
            if r.person_a in people and r.person_b in people
        ],
        paths=[[people[p] for p in path if p in people] for path in paths],
        used_method=used,
    )


def _missing_note(method: str) -> str:
    if method == "declared":
        return "Not available: no shares were declared for the contributors."
    return "Not available: no contribution path (link an introduction, an interaction or a contributor)."


#: The outcome form offers at most this many of the viewer's latest interactions.
LINKABLE_INTERACTIONS = 200


def outcome_link_choices(*, viewer: User, linked: Iterable[int] = ()) -> dict:
    """What the viewer may link to an outcome: their objectives, the introductions they
    asked for that were made, and their latest interactions (at most
    :data:`LINKABLE_INTERACTIONS`, plus those in ``linked``, already linked)."""
    require_login(viewer)
    me = viewer.person_id
    if me is None:
        return {"objectives": [], "introductions": [], "interactions": []}
    latest = list(
        InteractionRow.objects.filter(participations__person_id=me)
        .order_by("-occurred_at", "-id")
        .values_list("id", flat=True)[:LINKABLE_INTERACTIONS]
    )
    ids = set(latest) | set(
        InteractionRow.objects.filter(
            pk__in=list(linked), participations__person_id=me
        ).values_list("id", flat=True)
    )
    return {
        "objectives": objectives_for_outcomes(owner_id=me),
        "introductions": list(
            IntroductionRequest.objects.filter(
                requester_id=me, status__in=["accepted", "completed"]
            )
            .select_related("via", "target")
            .order_by("-created_at", "-id")
        ),
        "interactions": list(
            InteractionRow.objects.filter(pk__in=ids)
            .prefetch_related("participants")
            .order_by("-occurred_at", "-id")
        ),
    }
