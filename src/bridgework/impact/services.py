"""Writes of the impact app: objectives, their sharing and plans, outcomes.

Every service is keyword-only, runs in one transaction, checks everything
before it writes (a ``ValidationError`` naming the field means nothing was
stored) and writes the audit log. Only an objective's owner changes it or
its plan, and only an outcome's owner changes the outcome; anyone else gets
:class:`~bridgework.core.errors.NotFoundError`, the same as for a missing
object.

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
    MAX_CADENCE_DAYS,
    MAX_TEXT,
    MAX_VALUE,
    ContributionPath,
    EvaluationResult,
    EvaluationRun,
    Objective,
    ObjectiveShare,
    Outcome,
    OutcomeContributor,
    PathStep,
    Stakeholder,
)
from bridgework.interactions.models import Interaction, IntroductionRequest
from bridgework.people.models import Organization, Person, Skill, Team

__all__ = [
    "ContributorIn",
    "MAX_CONTRIBUTORS",
    "MAX_LINKED",
    "objective_create",
    "objective_update",
    "objective_delete",
    "objective_share",
    "objective_unshare",
    "stakeholder_add",
    "stakeholder_update",
    "stakeholder_remove",
    "derive_paths",
    "outcome_log",
    "outcome_update",
    "outcome_delete",
    "program_evaluate",
]

#: At most this many contributors per outcome.
MAX_CONTRIBUTORS = 30
#: At most this many linked introductions, and this many linked interactions, per outcome.
MAX_LINKED = 30
_TITLE = 200
_MEASURE = 500
_STEP = 300


@dataclass(frozen=True)
class ContributorIn:
    """One contributor to an outcome: who, through whom (optional), declared share (optional)."""

    person: Person
    via: Person | None = None
    share: float | None = None


# ---- helpers -----------------------------------------------------------------------


def _own_person_id(actor: User) -> int:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotFoundError("Not found.")
    if actor.person_id is None:
        raise ValidationError(
            "Your login is not linked to a person, so you have no objectives or outcomes."
        )
    return actor.person_id


def _require_owner(actor: User, owner_id: int) -> None:
    if actor is None or not actor.is_authenticated or actor.person_id != owner_id:
        raise NotFoundError("Not found.")


def _text(value, *, field: str, limit: int, required: str | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: f"Keep it under {limit} characters (it has {len(text)})."})
    return text


def _day(value, *, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        raise ValidationError({field: "Give a date, not a date and time."})
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: f"{value!r} is not a date (use YYYY-MM-DD)."}) from None


def _distinct(items: Iterable, model, field: str) -> list:
    found = []
    for item in items or ():
        if not isinstance(item, model) or item.pk is None:
            raise ValidationError({field: f"Expected saved {model.__name__} records."})
        if item not in found:
            found.append(item)
    return found


# ---- objectives --------------------------------------------------------------------


def _objective_fields(
    *,
    owner_id: int,
    title,
    why,
    success_measure,
    target_date,
    started_on,
    scope,
    team,
    program=None,
    actor: User | None = None,
    status=None,
) -> dict:
    title = _text(title, field="title", limit=_TITLE, required="Say what you want to achieve.")
    why = _text(why, field="why", limit=MAX_TEXT)
    measure = _text(success_measure, field="success_measure", limit=_MEASURE)
    started = _day(started_on, field="started_on") or timezone.localdate()
    target = _day(target_date, field="target_date")
    if target is not None and target < started:
        raise ValidationError({"target_date": "The target date cannot be before the plan starts."})
    if scope not in Objective.Scope.values:
        raise ValidationError(
            {"scope": f"Choose whose objective it is: {', '.join(Objective.Scope.values)}."}
        )
    if scope == Objective.Scope.TEAM:
        if team is None:
            raise ValidationError({"team": "Choose the team whose objective it is."})
        owner_team = Person.objects.filter(pk=owner_id).values_list("team_id", flat=True).first()
        if team.pk != owner_team and team.lead_id != owner_id:
            raise ValidationError(
                {"team": "You can set objectives for your own team, or a team you lead."}
            )
    else:
        team = None
    if scope == Objective.Scope.PROGRAM:
        from bridgework.impact import programs

        if program is None:
            raise ValidationError({"program": "Choose the program whose objective it is."})
        if actor is None or not programs.manages_programs(actor):
            raise ValidationError({"program": "Only program managers set a program's objectives."})
    else:
        program = None
    fields = dict(
        title=title,
        why=why,
        success_measure=measure,
        target_date=target,
        started_on=started,
        scope=scope,
        team=team,
        program=program,
    )
    if status is not None:
        if status not in Objective.Status.values:
            raise ValidationError(
                {"status": f"Choose a status: {', '.join(Objective.Status.values)}."}
            )
        fields["status"] = status
    return fields


@transaction.atomic
def objective_create(
    *,
    actor: User,
    title: str,
    why: str = "",
    success_measure: str = "",
    target_date: dt.date | None = None,
    started_on: dt.date | None = None,
    scope: str = Objective.Scope.PERSON,
    team: Team | None = None,
    program=None,
    needed_skills: Iterable[Skill] = (),
    needed_organizations: Iterable[Organization] = (),
) -> Objective:
    """A new objective of the actor's own person (or of their team, ``scope="team"``,
    or, for a program manager, of a mentoring program, ``scope="program"``).

    ``started_on`` (default today) is when its relationship plan starts.
    """
    owner_id = _own_person_id(actor)
    fields = _objective_fields(
        owner_id=owner_id,
        title=title,
        why=why,
        success_measure=success_measure,
        target_date=target_date,
        started_on=started_on,
        scope=scope,
        team=team,
        program=program,
        actor=actor,
    )
    skills = _distinct(needed_skills, Skill, "needed_skills")
    organizations = _distinct(needed_organizations, Organization, "needed_organizations")
    objective = Objective(owner_id=owner_id, created_by=actor, **fields)
    objective.full_clean(validate_constraints=False)
    objective.save()
    objective.needed_skills.set(skills)
    objective.needed_organizations.set(organizations)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="objective",
        object_id=objective.pk,
        subject_person_id=owner_id,
        detail={"scope": objective.scope},
    )
    return objective


@transaction.atomic
def objective_update(
    *,
    actor: User,
    objective: Objective,
    title: str,
    why: str = "",
    success_measure: str = "",
    target_date: dt.date | None = None,
    started_on: dt.date | None = None,
    status: str = Objective.Status.ACTIVE,
    scope: str | None = None,
    team: Team | None = None,
    program=None,
    needed_skills: Iterable[Skill] = (),
    needed_organizations: Iterable[Organization] = (),
) -> Objective:
    """Change the owner's objective (every field is replaced; the scope, team and
    program stay when ``scope`` is None)."""
    _require_owner(actor, objective.owner_id)
    fields = _objective_fields(
        owner_id=objective.owner_id,
        title=title,
        why=why,
        success_measure=success_measure,
        target_date=target_date,
        started_on=started_on or objective.started_on,
        scope=objective.scope if scope is None else scope,
        team=objective.team if scope is None else team,
        program=objective.program if scope is None else program,
        actor=actor,
        status=status,
    )
    skills = _distinct(needed_skills, Skill, "needed_skills")
    organizations = _distinct(needed_organizations, Organization, "needed_organizations")
    for name, value in fields.items():
        setattr(objective, name, value)
    objective.full_clean(validate_constraints=False)
    objective.save()
    objective.needed_skills.set(skills)
    objective.needed_organizations.set(organizations)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="objective",
        object_id=objective.pk,
        subject_person_id=objective.owner_id,
        detail={"status": objective.status},
    )
    return objective


@transaction.atomic
def objective_delete(*, actor: User, objective: Objective) -> None:
    """Delete the owner's objective with its plan and shares (its outcomes stay, unlinked)."""
    _require_owner(actor, objective.owner_id)
    pk = objective.pk
    objective.delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="objective",
        object_id=pk,
        subject_person_id=actor.person_id,
    )


@transaction.atomic
def objective_share(
    *, actor: User, objective: Objective, person: Person | None = None, team: Team | None = None
) -> ObjectiveShare:
    """Share the owner's objective, read-only, with one person (a mentor) or one team.

    Sharing again with the same person or team returns the existing share.
    """
    _require_owner(actor, objective.owner_id)
    if (person is None) == (team is None):
        raise ValidationError("Share with one person or one team.")
    if person is not None and person.pk == objective.owner_id:
        raise ValidationError({"person": "The objective is yours already."})
    existing = ObjectiveShare.objects.filter(
        objective=objective, **({"person": person} if person else {"team": team})
    ).first()
    if existing is not None:
        return existing
    share = ObjectiveShare(objective=objective, person=person, team=team)
    share.full_clean(validate_constraints=False, validate_unique=False)
    share.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="objective_share",
        object_id=share.pk,
        subject_person_id=objective.owner_id,
        detail={
            "objective": objective.pk,
            "person": getattr(person, "pk", None),
            "team": getattr(team, "pk", None),
        },
    )
    return share


@transaction.atomic
def objective_unshare(*, actor: User, share: ObjectiveShare) -> None:
    """Stop sharing an objective with that person or team."""
    _require_owner(actor, share.objective.owner_id)
    pk = share.pk
    share.delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="objective_share",
        object_id=pk,
        subject_person_id=actor.person_id,
    )


# ---- the relationship plan ---------------------------------------------------------


def _plan_fields(*, target_strength, cadence_days, next_step, reason) -> dict:
    if target_strength in ("", None):
        target = None
    else:
        try:
            target = float(target_strength)
        except (TypeError, ValueError):
            raise ValidationError({"target_strength": "Give a number from 0 to 1."}) from None
        if not math.isfinite(target) or not 0 < target <= 1:
            raise ValidationError(
                {"target_strength": "A target tie strength lies above 0 and at most 1."}
            )
    if cadence_days in ("", None):
        cadence = None
    else:
        try:
            cadence = int(cadence_days)
        except (TypeError, ValueError):
            raise ValidationError({"cadence_days": "Give a number of days."}) from None
        if not 1 <= cadence <= MAX_CADENCE_DAYS:
            raise ValidationError(
                {"cadence_days": f"Choose a cadence from 1 to {MAX_CADENCE_DAYS} days."}
            )
    return {
        "target_strength": target,
        "cadence_days": cadence,
        "next_step": _text(next_step, field="next_step", limit=_STEP),
        "reason": _text(reason, field="reason", limit=_STEP),
    }


@transaction.atomic
def stakeholder_add(
    *,
    actor: User,
    objective: Objective,
    person: Person,
    origin: str = Stakeholder.Origin.ADDED,
    reason: str = "",
    target_strength: float | None = None,
    cadence_days: int | None = None,
    next_step: str = "",
) -> Stakeholder:
    """Put someone in the objective's plan: accept Bridgework's proposal
    (``origin="proposed"``, with its reason) or add them by hand.

    Someone removed earlier comes back with the new values.
    """
    _require_owner(actor, objective.owner_id)
    if person is None or person.pk is None:
        raise ValidationError({"person": "Choose someone to add."})
    if person.pk == objective.owner_id:
        raise ValidationError({"person": "You cannot be a stakeholder in your own plan."})
    if origin not in Stakeholder.Origin.values:
        raise ValidationError({"origin": "A stakeholder is proposed or added by hand."})
    fields = _plan_fields(
        target_strength=target_strength,
        cadence_days=cadence_days,
        next_step=next_step,
        reason=reason,
    )
    stakeholder = Stakeholder.objects.filter(objective=objective, person=person).first()
    if stakeholder is None:
        stakeholder = Stakeholder(objective=objective, person=person, origin=origin)
    stakeholder.status = Stakeholder.Status.ACCEPTED
    for name, value in fields.items():
        setattr(stakeholder, name, value)
    stakeholder.full_clean(validate_constraints=False, validate_unique=False)
    stakeholder.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="stakeholder",
        object_id=stakeholder.pk,
        subject_person_id=person.pk,
        detail={"objective": objective.pk, "origin": stakeholder.origin},
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *,
    actor: User,
    stakeholder: Stakeholder,
    target_strength: float | None = None,
    cadence_days: int | None = None,
    next_step: str = "",
    reason: str | None = None,
) -> Stakeholder:
    """Change a stakeholder's target strength, cadence and next step (``reason``:
    kept when None)."""
    _require_owner(actor, stakeholder.objective.owner_id)
    fields = _plan_fields(
        target_strength=target_strength,
        cadence_days=cadence_days,
        next_step=next_step,
        reason=stakeholder.reason if reason is None else reason,
    )
    for name, value in fields.items():
        setattr(stakeholder, name, value)
    stakeholder.full_clean(validate_constraints=False, validate_unique=False)
    stakeholder.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="stakeholder",
        object_id=stakeholder.pk,
        subject_person_id=stakeholder.person_id,
        detail=fields,
    )
    return stakeholder


@transaction.atomic
def stakeholder_remove(*, actor: User, stakeholder: Stakeholder) -> Stakeholder:
    """Take someone out of the plan. The row stays, marked removed, so Bridgework
    does not propose them again; adding them later brings them back."""
    _require_owner(actor, stakeholder.objective.owner_id)
    stakeholder.status = Stakeholder.Status.DISMISSED
    stakeholder.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="stakeholder",
        object_id=stakeholder.pk,
        subject_person_id=stakeholder.person_id,
        detail={"status": stakeholder.status},
    )
    return stakeholder


# ---- outcomes ----------------------------------------------------------------------


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
    title = _text(title, field="title", limit=_TITLE, required="Name the result in a few words.")
    number = _value(value, unit)
    day = _day(occurred_on, field="occurred_on")
    if day is None:
        raise ValidationError({"occurred_on": "Say when it happened."})
    if day > timezone.localdate():
        raise ValidationError(
            {"occurred_on": "An outcome is logged once it happened, not in the future."}
        )
    evidence = _text(evidence, field="evidence", limit=MAX_TEXT)
    if credit_method not in METHODS:
        raise ValidationError(
            {"credit_method": f"Choose an attribution method: {', '.join(METHODS)}."}
        )
    if objective is not None:
        from bridgework.impact.selectors import objectives_for_outcomes

        if objective.pk not in {o.pk for o in objectives_for_outcomes(owner_id=owner_id)}:
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
    items = _distinct(introductions, IntroductionRequest, "introductions")
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
    items = _distinct(interactions, Interaction, "interactions")
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
    from bridgework.interactions.models import InteractionParticipant

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
        made_at = request.interaction.occurred_at if request.interaction_id else None
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
    actor: User,
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
        owner_id = _own_person_id(actor)
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
    _require_owner(actor, outcome.owner_id)
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
    _require_owner(actor, outcome.owner_id)
    pk = outcome.pk
    outcome.delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="outcome",
        object_id=pk,
        subject_person_id=actor.person_id,
    )


# ---- program evaluation ------------------------------------------------------------


@transaction.atomic
def program_evaluate(*, actor: User | None, program, today: dt.date | None = None) -> EvaluationRun:
    """Evaluate a mentoring program now and store the run (``docs/impact.md`` §7).

    The program's active mentees are compared with similar non-participants
    (:func:`~bridgework.impact.programs.evaluate_cohort`; its mentors are kept
    out of the comparison pool) from the day before the program started to its
    end date, or ``today`` while it runs. Only its program managers, people
    analysts and admins may run it (``actor=None``: the system, e.g. the demo).
    """
    from bridgework.impact import programs

    if actor is not None and not programs.can_evaluate(viewer=actor, program=program):
        raise NotFoundError("Not found.")
    today = today or timezone.localdate()
    if program.start_date >= today:
        raise ValidationError({"program": "The program has not started yet: nothing to evaluate."})
    end = min(program.end_date or today, today)
    _, mentees = programs.program_participants(roles=("mentee",)).get(program.pk, ("", set()))
    _, everyone = programs.program_participants().get(program.pk, ("", set()))
    enrolled = set(program.enrollments.values_list("person_id", flat=True))
    results, participants, pool = programs.evaluate_cohort(
        mentees, start=program.start_date, end=end, exclude=(everyone | enrolled) - set(mentees)
    )
    run = EvaluationRun.objects.create(
        program=program,
        before_day=program.start_date - dt.timedelta(days=1),
        after_day=end,
        participants=participants,
        pool=pool,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    EvaluationResult.objects.bulk_create(
        EvaluationResult(
            run=run,
            position=i,
            measure=item.measure,
            measure_label=item.label,
            participants=item.evaluation.participants,
            comparison_people=item.evaluation.comparison_people,
            treated_change=item.evaluation.treated_change,
            comparison_change=item.evaluation.comparison_change,
            effect=item.evaluation.effect,
            standard_error=item.evaluation.standard_error,
            ci_low=item.evaluation.ci_low,
            ci_high=item.evaluation.ci_high,
            confidence=item.evaluation.confidence,
            verdict=item.evaluation.verdict,
            wording=item.evaluation.wording,
            notes=list(item.evaluation.notes),
        )
        for i, item in enumerate(results)
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="program_evaluation",
        object_id=run.pk,
        detail={"program": program.pk, "participants": participants, "pool": pool},
    )
    return run
