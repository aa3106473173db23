"""Programs: create, change, open or close enrollment, finish."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.mentoring.models import Program
from bridgework.mentoring.services._common import (
    LIVE,
    relationship_close,
    require_manager,
    today_utc,
)
from bridgework.mentoring.services.frameworks import framework_default_ensure

__all__ = ["program_create", "program_update", "program_set_enrollment", "program_finish"]

_PROGRAM_FIELDS = (
    "name",
    "goal",
    "framework_version",
    "kind",
    "start_date",
    "end_date",
    "matching_mode",
    "session_cadence_days",
    "assessment_cadence_days",
    "max_time_zone_difference_hours",
    "allow_repeat_pairing",
    "maximize_participation",
    "weight_behavior",
    "weight_network",
    "weight_skills",
    "weight_preferences",
)


def _program_save(program: Program) -> Program:
    program.name = (program.name or "").strip()
    program.goal = (program.goal or "").strip()
    if not program.goal:
        raise ValidationError({"goal": "Say what the program is for."})
    program.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:
        raise ValidationError({"name": "A program with this name exists already."}) from None
    return program


@transaction.atomic
def program_create(*, actor: User, name: str, goal: str, start_date: dt.date, **fields) -> Program:
    """Create a program (a draft until enrollment opens). ``fields``: any of
    ``framework_version`` (default: the default framework's latest), ``kind``,
    ``end_date``, ``matching_mode``, the cadences, the time-zone window,
    ``allow_repeat_pairing``, ``maximize_participation`` and the four
    ``weight_*``. Program managers and admins only."""
    require_manager(actor)
    unknown = set(fields) - set(_PROGRAM_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown program fields: {', '.join(sorted(unknown))}."})
    if fields.get("framework_version") is None:
        fields["framework_version"] = framework_default_ensure()
    if name is None or not str(name).strip():
        raise ValidationError({"name": "Give the program a name."})
    program = Program(name=name, goal=goal, start_date=start_date, created_by=actor, **fields)
    _program_save(program)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_program",
        object_id=program.pk,
        detail={"name": program.name},
    )
    return program


@transaction.atomic
def program_update(*, actor: User, program: Program, **fields) -> Program:
    """Change a program's settings (the same fields as :func:`program_create`)."""
    require_manager(actor)
    unknown = set(fields) - set(_PROGRAM_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown program fields: {', '.join(sorted(unknown))}."})
    if program.status == Program.Status.FINISHED:
        raise ValidationError({"status": "A finished program cannot be changed."})
    for name, value in fields.items():
        setattr(program, name, value)
    _program_save(program)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_program",
        object_id=program.pk,
        detail={"fields": sorted(fields)},
    )
    return program


@transaction.atomic
def program_set_enrollment(*, actor: User, program: Program, open: bool) -> Program:  # noqa: A002 - whether the program is open, as the model field is named
    """Open enrollment (a draft becomes active) or close it."""
    require_manager(actor)
    if program.status == Program.Status.FINISHED:
        raise ValidationError({"status": "The program has finished."})
    if open:
        program.status = Program.Status.ACTIVE
    program.enrollment_open = bool(open)
    program.save(update_fields=["status", "enrollment_open", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_program",
        object_id=program.pk,
        detail={"enrollment_open": program.enrollment_open},
    )
    return program


@transaction.atomic
def program_finish(*, actor: User, program: Program) -> Program:
    """End the program: enrollment closes and live relationships end (kept for the report)."""
    require_manager(actor)
    if program.status == Program.Status.FINISHED:
        return program
    today = today_utc()
    for relationship in program.relationships.filter(status__in=LIVE):
        relationship_close(relationship, reason="The program finished.", today=today)
    program.status = Program.Status.FINISHED
    program.enrollment_open = False
    program.finished_at = timezone.now()
    program.save(update_fields=["status", "enrollment_open", "finished_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_program",
        object_id=program.pk,
        detail={"status": "finished"},
    )
    return program
