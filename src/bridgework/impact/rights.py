"""The impact app's part of a person's data rights (see :mod:`bridgework.people.rights`).

* **Export**: their objectives with the relationship plan (the stakeholders
  they chose), the objectives others shared with them (title and owner), and
  their outcomes with who they credited.
* **Erasure**: their objectives and outcomes go (with plans, shares and
  credit); they leave other people's plans, shares and credit lists, and the
  contribution paths of others' outcomes are derived again without them (a
  path that still runs through them, through an interaction they took part
  in, say, is removed).

Registered as a :class:`~bridgework.people.rights.PersonDataPart` by the app's
``ready()``.
"""

from __future__ import annotations

from django.db.models import Q

from bridgework.impact.models import (
    ContributionPath,
    Objective,
    ObjectiveShare,
    Outcome,
    OutcomeContributor,
    PathStep,
    Stakeholder,
)
from bridgework.impact.services.outcomes import ContributorIn, derive_paths
from bridgework.people.models import Person
from bridgework.people.rights import PersonDataPart, Tables

__all__ = ["IMPACT_RIGHTS"]


def _export(person: Person, own: bool) -> Tables:
    objectives = list(
        Objective.objects.filter(owner=person)
        .select_related("team", "program")
        .order_by("created_at", "id")
    )
    return {
        "objectives": [
            {
                "id": o.pk,
                "title": o.title,
                "why": o.why,
                "success_measure": o.success_measure,
                "scope": o.get_scope_display(),
                "status": o.get_status_display(),
                "started_on": o.started_on,
                "target_date": o.target_date,
            }
            for o in objectives
        ],
        "stakeholders": [
            {
                "objective": s.objective_id,
                "person": s.person.full_name,
                "status": s.get_status_display(),
                "reason": s.reason,
                "target_strength": s.target_strength,
                "cadence_days": s.cadence_days,
                "next_step": s.next_step,
            }
            for s in Stakeholder.objects.filter(objective__in=objectives)
            .select_related("person")
            .order_by("objective", "id")
        ],
        "shared_with_you": [
            {
                "objective": s.objective.title,
                "owner": s.objective.owner.full_name,
                "at": s.shared_at,
            }
            for s in ObjectiveShare.objects.filter(person=person)
            .select_related("objective__owner")
            .order_by("shared_at", "id")
        ],
        "outcomes": [
            {
                "id": o.pk,
                "title": o.title,
                "kind": o.get_kind_display(),
                "value": o.value,
                "unit": o.unit,
                "occurred_on": o.occurred_on,
                "objective": o.objective_id,
                "evidence": o.evidence,
                "credited": [
                    {"person": c.person.full_name, "share": c.share}
                    for c in o.contributors.select_related("person").order_by("id")
                ],
            }
            for o in Outcome.objects.filter(owner=person).order_by("occurred_on", "id")
        ],
    }


def _derive_again(outcome_ids: list[int], person_id: int) -> int:
    """Derive the paths of these outcomes from their links as they are now; a path
    still through the person is removed. Returns the paths removed."""
    for outcome in Outcome.objects.filter(pk__in=outcome_ids).prefetch_related(
        "introductions__interaction", "interactions"
    ):
        contributors = [
            ContributorIn(person=c.person, via=c.via, share=c.share)
            for c in outcome.contributors.select_related("person", "via").order_by("id")
        ]
        paths = derive_paths(
            owner_id=outcome.owner_id,
            occurred_on=outcome.occurred_on,
            contributors=contributors,
            introductions=sorted(outcome.introductions.all(), key=lambda r: (r.created_at, r.pk)),
            interactions=sorted(outcome.interactions.all(), key=lambda i: (i.occurred_at, i.pk)),
        )
        ContributionPath.objects.filter(outcome=outcome).delete()
        rows = ContributionPath.objects.bulk_create(
            ContributionPath(outcome=outcome, position=i, origin=origin, introduction_id=intro)
            for i, (origin, intro, _) in enumerate(paths)
        )
        PathStep.objects.bulk_create(
            PathStep(path=row, position=j, person_id=p, used_on=day)
            for row, (_, _, steps) in zip(rows, paths, strict=True)
            for j, (p, day) in enumerate(steps)
        )
    return ContributionPath.objects.filter(steps__person_id=person_id).distinct().delete()[0]


def _erase(person: Person) -> dict[str, int]:
    others = sorted(
        set(
            Outcome.objects.filter(
                Q(contributors__person=person)
                | Q(contributors__via=person)
                | Q(paths__steps__person=person)
            )
            .exclude(owner=person)
            .values_list("id", flat=True)
        )
    )
    counts = {
        "objectives": Objective.objects.filter(owner=person).delete()[0],
        "outcomes": Outcome.objects.filter(owner=person).delete()[0],
        "shares_with_them": ObjectiveShare.objects.filter(person=person).delete()[0],
        "in_others_plans": Stakeholder.objects.filter(person=person).delete()[0],
        "credited_in_others_outcomes": OutcomeContributor.objects.filter(person=person).delete()[0],
        "named_as_connector": OutcomeContributor.objects.filter(via=person).update(via=None),
    }
    # Introductions naming them go with the interactions part; derived paths must
    # not wait for that: links to those introductions are cut here first.
    for outcome in Outcome.objects.filter(pk__in=others):
        outcome.introductions.remove(
            *outcome.introductions.filter(Q(requester=person) | Q(via=person) | Q(target=person))
        )
    counts["paths_removed"] = _derive_again(others, person.pk)
    return counts


#: Exports a person's objectives and outcomes; erases them and their credit.
IMPACT_RIGHTS = PersonDataPart(
    name="impact",
    title="Your objectives, relationship plans and outcomes.",
    tables={
        "objectives": "Your objectives: what, why, how success is measured, status, dates.",
        "stakeholders": "The relationship plans of your objectives: who matters, why, the "
        "strength you aim for, the next step.",
        "shared_with_you": "Objectives other people shared with you.",
        "outcomes": "Your outcomes: what happened, its value, evidence, and whom you credited.",
    },
    export=_export,
    erase=_erase,
    relations=frozenset(
        {
            (Objective, "owner"),
            (Outcome, "owner"),
            (ObjectiveShare, "person"),
            (Stakeholder, "person"),
            (OutcomeContributor, "person"),
            (OutcomeContributor, "via"),
            (PathStep, "person"),
        }
    ),
    order=10,
)
