"""Objectives: creating, changing and deleting one (of a person, a team or a
mentoring program), and sharing it read-only with a person or a team."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.impact import programs
from bridgework.impact.models import MAX_TEXT, Objective, ObjectiveShare
from bridgework.impact.services._common import (
    TITLE_LIMIT,
    clean_day,
    clean_text,
    distinct_records,
    own_person_id,
    require_owner,
)
from bridgework.people.models import Organization, Person, Skill, Team

__all__ = [
    "objective_create",
    "objective_update",
    "objective_delete",
    "objective_share",
    "objective_unshare",
]

_MEASURE = 500


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
    title = clean_text(
        title, field="title", limit=TITLE_LIMIT, required="Say what you want to achieve."
    )
    why = clean_text(why, field="why", limit=MAX_TEXT)
    measure = clean_text(success_measure, field="success_measure", limit=_MEASURE)
    started = clean_day(started_on, field="started_on") or timezone.localdate()
    target = clean_day(target_date, field="target_date")
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
    owner_id = own_person_id(actor)
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
    skills = distinct_records(needed_skills, Skill, "needed_skills")
    organizations = distinct_records(needed_organizations, Organization, "needed_organizations")
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
    require_owner(actor, objective.owner_id)
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
    skills = distinct_records(needed_skills, Skill, "needed_skills")
    organizations = distinct_records(needed_organizations, Organization, "needed_organizations")
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
    require_owner(actor, objective.owner_id)
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
    require_owner(actor, objective.owner_id)
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
    require_owner(actor, share.objective.owner_id)
    pk = share.pk
    share.delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="objective_share",
        object_id=pk,
        subject_person_id=actor.person_id,
    )
