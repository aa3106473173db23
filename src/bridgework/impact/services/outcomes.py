"""Outcomes: logging, changing and deleting a result with what contributed to it.

:func:`outcome_log` also derives the outcome's **contribution paths** (the
chains of people the attribution methods split the credit over) from what
the owner linked, by these rules (``docs/impact-app.md``):

1. each linked introduction the owner asked for gives its path (owner →
   the person asked → … → the person met); the first hop is dated the day
   the owner asked, the others the day of the introduction;
2. each contributor not on such a path gives ``owner → contributor``, or
   ``owner → via → contributor`` when someone connected them;
3. each other participant of a linked interaction gives ``owner → them``.

A hop is dated by the first linked interaction in which its two people took
part; hops with no such interaction are dated the outcome's day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.impact.attribution import METHODS
from bridgework.core.impact.records import OUTCOME_KINDS, UNITS
from bridgework.impact.models import (
    MAX_TEXT,
    MAX_VALUE,
    ContributionPath,
    Objective,
    Outcome,
    OutcomeContributor,
    PathStep,
)
from bridgework.impact.selectors import objectives_for_outcomes
from bridgework.impact.services._common import (
    TITLE_LIMIT,
    clean_day,
    clean_text,
    distinct_records,
    own_person_id,
    require_owner,
)
from bridgework.interactions.models import Interaction, InteractionParticipant, IntroductionRequest
from bridgework.people.models import Person

__all__ = [
    "ContributorIn",
    "MAX_CONTRIBUTORS",
    "MAX_LINKED",
    "derive_paths",
    "outcome_log",
    "outcome_update",
    "outcome_delete",
]

#: At most this many contributors per outcome.
MAX_CONTRIBUTORS = 30
#: At most this many linked introductions, and this many linked interactions, per outcome.
MAX_LINKED = 30


@dataclass(frozen=True)
class ContributorIn:
    """One contributor to an outcome: who, through whom (optional), declared share (optional)."""

    person: Person
    via: Person | None = None
    share: float | None = None


def _value(value, unit: str) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError({"value": "Give the value as a number."})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": f"{value!r} is not a number."}) from None
    if not number.is_finite():
        raise ValidationError({"value": "Give a finite number."})
    if number < 0:
        raise ValidationError({"value": "A value cannot be negative."})
    if number > MAX_VALUE:
        raise ValidationError({"value": "That value is too large."})
    if unit == "rating" and not 1 <= number <= 5:
        raise ValidationError({"value": "An impact rating goes from 1 to 5."})
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({"value": "Give the value with at most two decimals."})
    return number


def _outcome_fields(
    *, owner_id: int, kind, title, value, unit, occurred_on, evidence, objective, credit_method
) -> dict:
    if kind not in OUTCOME_KINDS:
        raise ValidationError({"kind": f"Choose a kind of result: {', '.join(OUTCOME_KINDS)}."})
    if unit not in UNITS:
        raise ValidationError({"unit": f"Unknown unit {unit!r}: choose one of {', '.join(UNITS)}."})
    title = clean_text(
        title, field="title", limit=TITLE_LIMIT, required="Name the result in a few words."
    )
    number = _value(value, unit)
    day = clean_day(occurred_on, field="occurred_on")
    if day is None:
        raise ValidationError({"occurred_on": "Say when it happened."})
    if day > timezone.localdate():
        raise ValidationError(
            {"occurred_on": "An outcome is logged once it happened, not in the future."}
        )
    evidence = clean_text(evidence, field="evidence", limit=MAX_TEXT)
    if credit_method not in METHODS:
        raise ValidationError(
            {"credit_method": f"Choose an attribution method: {', '.join(METHODS)}."}
        )
    if objective is not None and objective.pk not in {
        o.pk for o in objectives_for_outcomes(owner_id=owner_id)
    }:
        raise ValidationError(
            {"objective": "Link one of your own objectives, or one of your team's."}
        )
    return dict(
        kind=kind,
        title=title,
        value=number,
        unit=unit,
        occurred_on=day,
        evidence=evidence,
        objective=objective,
        credit_method=credit_method,
    )


def _contributors(owner_id: int, contributors: Sequence[ContributorIn]) -> list[ContributorIn]:
    checked: list[ContributorIn] = []
    seen: set[int] = set()
    for item in contributors or ():
        person = item.person
        if person is None or person.pk is None:
            raise ValidationError({"contributors": "Choose who contributed."})
        if person.pk == owner_id:
            raise ValidationError(
                {"contributors": "List the people who helped you; you are the owner already."}
            )
        if person.pk in seen:
            raise ValidationError({"contributors": f"{person} is listed twice."})
        seen.add(person.pk)
        via = item.via
        if via is not None and via.pk in (person.pk, owner_id):
            via = None
        share = item.share
        if share not in (None, ""):
            try:
                share = float(share)
            except (TypeError, ValueError):
                raise ValidationError(
                    {"contributors": f"The share of {person} is not a number."}
                ) from None
            if not math.isfinite(share) or share < 0:
                raise ValidationError({"contributors": f"The share of {person} must be 0 or more."})
        else:
            share = None
        checked.append(ContributorIn(person=person, via=via, share=share))
    if len(checked) > MAX_CONTRIBUTORS:
        raise ValidationError({"contributors": f"List at most {MAX_CONTRIBUTORS} contributors."})
    return checked


def _introductions(owner_id: int, introductions) -> list[IntroductionRequest]:
    items = distinct_records(introductions, IntroductionRequest, "introductions")
    if len(items) > MAX_LINKED:
        raise ValidationError({"introductions": f"Link at most {MAX_LINKED} introductions."})
    made = (IntroductionRequest.Status.ACCEPTED, IntroductionRequest.Status.COMPLETED)
    for item in items:
        if item.requester_id != owner_id or item.status not in made:
            raise ValidationError(
                {"introductions": "Link introductions you asked for and that were made."}
            )
    return sorted(items, key=lambda r: (r.created_at, r.pk))


def _interactions(owner_id: int, interactions) -> list[Interaction]:
    items = distinct_records(interactions, Interaction, "interactions")
    if len(items) > MAX_LINKED:
        raise ValidationError({"interactions": f"Link at most {MAX_LINKED} interactions."})
    mine = set(
        Interaction.objects.filter(
            pk__in=[i.pk for i in items], participations__person_id=owner_id
        ).values_list("id", flat=True)
    )
    if any(i.pk not in mine for i in items):
        raise ValidationError({"interactions": "Link interactions you took part in."})
    return sorted(items, key=lambda i: (i.occurred_at, i.pk))


def _utc_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date()


def derive_paths(
    *,
    owner_id: int,
    occurred_on: dt.date,
    contributors: Sequence[ContributorIn],
    introductions: Sequence[IntroductionRequest],
    interactions: Sequence[Interaction],
) -> list[tuple[str, int | None, list[tuple[int, dt.date | None]]]]:
    """The contribution paths (rules in the module docs): ``(origin, introduction
    id, [(person id, hop date), ...])``, owner first with no hop date."""
    taking_part: dict[int, set[int]] = {}
    for interaction_id, person_id in InteractionParticipant.objects.filter(
        interaction_id__in=[i.pk for i in interactions]
    ).values_list("interaction_id", "person_id"):
        taking_part.setdefault(interaction_id, set()).add(person_id)
    met = [(_utc_day(i.occurred_at), taking_part.get(i.pk, set())) for i in interactions]

    def first_met(a: int, b: int) -> dt.date:
        days = [day for day, people in met if a in people and b in people]
        return min(days) if days else occurred_on

    paths: list[tuple[str, int | None, list[tuple[int, dt.date | None]]]] = []
    reached: set[int] = {owner_id}
    for request in introductions:
        chain = [p for p in (request.path or []) if isinstance(p, int)]
        if len(chain) < 3 or chain[0] != owner_id or len(set(chain)) != len(chain):
            chain = [owner_id, request.via_id, request.target_id]
        asked = _utc_day(request.created_at)
        made_at = request.interaction.occurred_at if request.interaction is not None else None
        introduced = _utc_day(made_at or request.responded_at or request.created_at)
        introduced = max(asked, introduced)
        steps = [(owner_id, None), (chain[1], asked)]
        steps += [(person, introduced) for person in chain[2:]]
        paths.append((ContributionPath.Origin.INTRODUCTION, request.pk, steps))
        reached.update(chain)
    for item in contributors:
        if item.person.pk in reached:
            continue
        chain = [owner_id, *([item.via.pk] if item.via is not None else []), item.person.pk]
        steps = [(owner_id, None)] + [
            (b, first_met(a, b)) for a, b in zip(chain, chain[1:], strict=False)
        ]
        paths.append((ContributionPath.Origin.CONTRIBUTOR, None, steps))
        reached.update(chain)
    for day, people in met:
        for person in sorted(people - reached):
            paths.append(
                (ContributionPath.Origin.INTERACTION, None, [(owner_id, None), (person, day)])
            )
            reached.add(person)
    return paths


def _write_paths(outcome: Outcome, paths) -> None:
    ContributionPath.objects.filter(outcome=outcome).delete()
    rows = ContributionPath.objects.bulk_create(
        ContributionPath(outcome=outcome, position=i, origin=origin, introduction_id=intro)
        for i, (origin, intro, _) in enumerate(paths)
    )
    PathStep.objects.bulk_create(
        PathStep(path=row, position=j, person_id=person, used_on=day)
        for row, (_, _, steps) in zip(rows, paths, strict=True)
        for j, (person, day) in enumerate(steps)
    )


def _write_links(outcome: Outcome, contributors, introductions, interactions) -> None:
    OutcomeContributor.objects.filter(outcome=outcome).delete()
    OutcomeContributor.objects.bulk_create(
        OutcomeContributor(outcome=outcome, person=c.person, via=c.via, share=c.share)
        for c in contributors
    )
    outcome.introductions.set(introductions)
    outcome.interactions.set(interactions)


@transaction.atomic
def outcome_log(
    *,
    actor: User | None,
    kind: str,
    title: str,
    value,
    unit: str,
    occurred_on: dt.date,
    evidence: str = "",
    objective: Objective | None = None,
    credit_method: str = "shapley",
    contributors: Sequence[ContributorIn] = (),
    introductions: Iterable[IntroductionRequest] = (),
    interactions: Iterable[Interaction] = (),
    owner: Person | None = None,
) -> Outcome:
    """Log a result of the actor's own person, with what contributed to it.

    ``value`` is non-negative in ``unit`` (``money``, ``hours`` saved, or a
    1-5 ``rating``), at most two decimals; ``occurred_on`` is not in the
    future; ``evidence`` is at most 2,000 characters. Linked introductions
    must be ones the actor asked for and that were made; linked interactions
    ones the actor took part in; a linked objective one of the actor's own
    (or their team's). The contribution paths are derived from the links
    (module docs). Anything wrong: a ``ValidationError`` and nothing stored.

    ``actor=None`` is the system (the demo, an import) logging a result of
    ``owner``; with an actor, ``owner`` is the actor's own person or omitted.
    """
    if actor is None:
        if owner is None or owner.pk is None:
            raise ValidationError({"owner": "Say whose result it is."})
        owner_id = owner.pk
    else:
        owner_id = own_person_id(actor)
        if owner is not None and owner.pk != owner_id:
            raise NotFoundError("Not found.")
    fields = _outcome_fields(
        owner_id=owner_id,
        kind=kind,
        title=title,
        value=value,
        unit=unit,
        occurred_on=occurred_on,
        evidence=evidence,
        objective=objective,
        credit_method=credit_method,
    )
    checked = _contributors(owner_id, contributors)
    requests = _introductions(owner_id, introductions)
    linked = _interactions(owner_id, interactions)
    outcome = Outcome(owner_id=owner_id, created_by=actor, **fields)
    outcome.full_clean(validate_constraints=False)
    outcome.save()
    _write_links(outcome, checked, requests, linked)
    _write_paths(
        outcome,
        derive_paths(
            owner_id=owner_id,
            occurred_on=outcome.occurred_on,
            contributors=checked,
            introductions=requests,
            interactions=linked,
        ),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="outcome",
        object_id=outcome.pk,
        subject_person_id=owner_id,
        detail={
            "unit": outcome.unit,
            "contributors": [c.person.pk for c in checked],
            "introductions": [r.pk for r in requests],
            "interactions": [i.pk for i in linked],
        },
    )
    return outcome


@transaction.atomic
def outcome_update(
    *,
    actor: User,
    outcome: Outcome,
    kind: str,
    title: str,
    value,
    unit: str,
    occurred_on: dt.date,
    evidence: str = "",
    objective: Objective | None = None,
    credit_method: str = "shapley",
    contributors: Sequence[ContributorIn] = (),
    introductions: Iterable[IntroductionRequest] = (),
    interactions: Iterable[Interaction] = (),
) -> Outcome:
    """Change the owner's outcome (every field and link is replaced; the
    contribution paths are derived again). Same rules as :func:`outcome_log`."""
    require_owner(actor, outcome.owner_id)
    owner_id = outcome.owner_id
    fields = _outcome_fields(
        owner_id=owner_id,
        kind=kind,
        title=title,
        value=value,
        unit=unit,
        occurred_on=occurred_on,
        evidence=evidence,
        objective=objective,
        credit_method=credit_method,
    )
    checked = _contributors(owner_id, contributors)
    requests = _introductions(owner_id, introductions)
    linked = _interactions(owner_id, interactions)
    for name, field_value in fields.items():
        setattr(outcome, name, field_value)
    outcome.full_clean(validate_constraints=False)
    outcome.save()
    _write_links(outcome, checked, requests, linked)
    _write_paths(
        outcome,
        derive_paths(
            owner_id=owner_id,
            occurred_on=outcome.occurred_on,
            contributors=checked,
            introductions=requests,
            interactions=linked,
        ),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="outcome",
        object_id=outcome.pk,
        subject_person_id=owner_id,
        detail={"contributors": [c.person.pk for c in checked]},
    )
    return outcome


@transaction.atomic
def outcome_delete(*, actor: User, outcome: Outcome) -> None:
    """Delete the owner's outcome with its links and paths."""
    require_owner(actor, outcome.owner_id)
    pk = outcome.pk
    outcome.delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="outcome",
        object_id=pk,
        subject_person_id=actor.person_id,
    )
