"""Evaluating a mentoring program against a comparison group, stored as a run."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.impact import programs
from bridgework.impact.models import EvaluationResult, EvaluationRun

__all__ = ["program_evaluate"]


@transaction.atomic
def program_evaluate(*, actor: User | None, program, today: dt.date | None = None) -> EvaluationRun:
    """Evaluate a mentoring program now and store the run (``docs/impact.md`` §7).

    The program's active mentees are compared with similar non-participants
    (:func:`~bridgework.impact.programs.evaluate_cohort`; its mentors are kept
    out of the comparison pool) from the day before the program started to its
    end date, or ``today`` while it runs. Only its program managers, people
    analysts and admins may run it (``actor=None``: the system, e.g. the demo).
    """
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
