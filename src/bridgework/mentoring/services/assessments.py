"""Assessments of the mentee's behaviors: ask for one, open a round for every pair,
submit the ratings, and the daily schedule of rounds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.guards import require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.mentoring.models import (
    Assessment,
    AssessmentRating,
    Enrollment,
    MentoringRelationship,
    Program,
)
from bridgework.mentoring.services._common import (
    mail_on_commit,
    page_link,
    rating_level,
    require_manager,
    today_utc,
)
from bridgework.people.models import Person

__all__ = [
    "assessment_request",
    "assessment_round_open",
    "assessment_submit",
    "ASSESSMENT_ANSWER_DAYS",
    "assessment_rounds_schedule",
]


def _assessment_exists(enrollment: Enrollment, assessor_id: int, kind: str, round: str) -> bool:  # noqa: A002 - an assessment round, the domain's word
    return (
        round != Assessment.Round.CHECKIN
        and Assessment.objects.filter(
            enrollment=enrollment, assessor_id=assessor_id, kind=kind, round=round
        ).exists()
    )


def _new_assessment(
    *,
    actor: User | None,
    relationship: MentoringRelationship,
    kind: str,
    round: str,  # noqa: A002 - an assessment round, the domain's word
    assessor_id: int,
    due_on: dt.date | None,
) -> Assessment:
    assessment = Assessment(
        enrollment=relationship.mentee_enrollment,
        relationship=relationship,
        subject_id=relationship.mentee_id,
        assessor_id=assessor_id,
        kind=kind,
        round=round,
        framework_version=relationship.program.framework_version,
        due_on=due_on,
        requested_by=actor,
    )
    assessment.full_clean(validate_constraints=False)
    assessment.save()
    return assessment


@transaction.atomic
def assessment_request(
    *,
    actor: User,
    relationship: MentoringRelationship,
    kind: str,
    round: str,  # noqa: A002 - an assessment round, the domain's word
    assessor: Person | None = None,
    due_on: dt.date | None = None,
) -> Assessment:
    """Ask for an assessment of the mentee at a round, against the program's current
    framework version: ``self`` (by the mentee), ``mentor`` or ``peer`` (anyone else
    with a login, named by ``assessor``; they see only the form). The mentee, the
    mentor or a program manager asks; a peer is e-mailed the link."""
    require_login(actor)
    side = relationship.side_of(actor.person_id)
    if side is None and not policies.can_manage_mentoring(actor):
        raise NotFoundError("Not found.")
    if relationship.status != MentoringRelationship.Status.ACTIVE:
        raise ValidationError({"relationship": "Assess within an active relationship."})
    if kind not in Assessment.Kind.values:
        raise ValidationError({"kind": "Choose self, mentor or peer."})
    if round not in Assessment.Round.values:
        raise ValidationError({"round": f"Choose one of {', '.join(Assessment.Round.values)}."})
    if kind == Assessment.Kind.SELF:
        assessor_id = relationship.mentee_id
    elif kind == Assessment.Kind.MENTOR:
        assessor_id = relationship.mentor_id
    else:
        if side is None:
            raise ValidationError({"assessor": "The mentee or the mentor invites peers."})
        if assessor is None:
            raise ValidationError({"assessor": "Choose the peer who will assess."})
        if assessor.pk in (relationship.mentee_id, relationship.mentor_id):
            raise ValidationError(
                {"assessor": "A peer is someone other than the mentee and mentor."}
            )
        if not User.objects.filter(person=assessor, is_active=True).exists():
            raise ValidationError(
                {"assessor": f"{assessor} has no Bridgework login, so cannot fill in the form."}
            )
        assessor_id = assessor.pk
    if _assessment_exists(relationship.mentee_enrollment, assessor_id, kind, round):
        raise ValidationError(
            {"round": f"This {kind} assessment for the {round} round has been requested already."}
        )
    assessment = _new_assessment(
        actor=actor,
        relationship=relationship,
        kind=kind,
        round=round,
        assessor_id=assessor_id,
        due_on=due_on,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_assessment",
        object_id=assessment.pk,
        subject_person_id=relationship.mentee_id,
        detail={"kind": kind, "round": round, "assessor": assessor_id},
    )
    if assessor_id != actor.person_id:
        assessor_person = Person.objects.get(pk=assessor_id)
        mail_on_commit(
            to=assessor_person,
            subject=f"Please assess {relationship.mentee}'s relationship behaviors",
            body=(
                f"You are asked for a {assessment.get_kind_display().lower()} assessment of "
                f"{relationship.mentee} in {relationship.program.name} "
                f"({assessment.get_round_display().lower()}). It takes a few minutes: rate each "
                f"behavior from 1 to 5 against the rubric.\n\n{page_link('assessment_detail', assessment.pk)}\n"
            ),
        )
    return assessment


@transaction.atomic
def assessment_round_open(
    *,
    actor: User,
    program: Program,
    round: str,  # noqa: A002 - an assessment round, the domain's word
    due_on: dt.date | None = None,
) -> int:
    """Program managers: ask every active pair for a self and a mentor assessment at
    ``round`` (skipping those asked already). Returns how many were requested."""
    require_manager(actor)
    if round not in Assessment.Round.values:
        raise ValidationError({"round": f"Choose one of {', '.join(Assessment.Round.values)}."})
    created = 0
    relationships = program.relationships.filter(
        status=MentoringRelationship.Status.ACTIVE
    ).select_related("mentee", "mentor", "mentee_enrollment", "program__framework_version")
    for relationship in relationships:
        for kind, assessor_id in (
            (Assessment.Kind.SELF, relationship.mentee_id),
            (Assessment.Kind.MENTOR, relationship.mentor_id),
        ):
            if _assessment_exists(relationship.mentee_enrollment, assessor_id, kind, round):
                continue
            assessment = _new_assessment(
                actor=actor,
                relationship=relationship,
                kind=kind,
                round=round,
                assessor_id=assessor_id,
                due_on=due_on,
            )
            created += 1
            who = relationship.mentee if kind == Assessment.Kind.SELF else relationship.mentor
            about = "yourself" if kind == Assessment.Kind.SELF else str(relationship.mentee)
            mail_on_commit(
                to=who,
                subject=f"{program.name}: {assessment.get_round_display().lower()} assessment",
                body=(
                    f"It is time for the {assessment.get_round_display().lower()} assessment in "
                    f"{program.name}: rate {about} on each behavior from 1 to 5."
                    f"{f' Please answer by {due_on:%d %B}.' if due_on else ''}\n\n"
                    f"{page_link('assessment_detail', assessment.pk)}\n"
                ),
            )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_assessment_round",
        object_id=program.pk,
        detail={"round": round, "requested": created},
    )
    return created


@transaction.atomic
def assessment_submit(
    *,
    actor: User,
    assessment: Assessment,
    ratings: Mapping[str, int],
    notes: Mapping[str, str] | None = None,
    comment: str = "",
) -> Assessment:
    """The assessor rates every behavior of the assessment's framework version from 1
    to 5 against its rubric (optionally with what they observed). Submitted once."""
    require_login(actor)
    if actor.person_id is None or actor.person_id != assessment.assessor_id:
        raise NotFoundError("Not found.")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_submitted:
        raise ValidationError({"status": "This assessment has been submitted already."})
    keys = assessment.framework_version.behavior_keys
    ratings = {str(k): v for k, v in dict(ratings or {}).items()}
    notes = {str(k): (v or "").strip() for k, v in dict(notes or {}).items()}
    errors: dict[str, list[str]] = defaultdict(list)
    unknown = sorted(set(ratings) - set(keys))
    if unknown:
        errors["ratings"].append(f"Not a behavior of this framework: {', '.join(unknown)}.")
    missing = [k for k in keys if ratings.get(k) in (None, "")]
    if missing:
        labels = assessment.framework_version.labels
        errors["ratings"].append(
            f"Rate every behavior; missing: {', '.join(labels[k] for k in missing)}."
        )
    rows = []
    for key in keys:
        if key in missing:
            continue
        try:
            level = rating_level(ratings[key], key)
        except ValidationError:
            errors[key].append("Choose a level from 1 to 5.")
            continue
        note = notes.get(key, "")
        if len(note) > 500:
            errors[key].append("Keep the note under 500 characters.")
        rows.append(
            AssessmentRating(assessment=assessment, behavior_key=key, level=level, note=note)
        )
    if errors:
        raise ValidationError(dict(errors))
    AssessmentRating.objects.bulk_create(rows)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.comment = (comment or "").strip()
    assessment.save(update_fields=["status", "submitted_at", "comment"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_assessment",
        object_id=assessment.pk,
        subject_person_id=assessment.subject_id,
        detail={"submitted": True, "behaviors": len(rows)},
    )
    return assessment


#: Days an assessor has to answer an assessment the schedule asks for.
ASSESSMENT_ANSWER_DAYS = 14


def _round_due(relationship: MentoringRelationship, today: dt.date, asked: list) -> str | None:
    """The round an active pair owes now, or None: cohorts at the start, from the
    midpoint, and in the last two weeks; ongoing programs at the start and then
    every ``checkin_days`` after the last round asked for."""
    program = relationship.program
    rounds = {a.round for a in asked}
    if Assessment.Round.START not in rounds:
        return Assessment.Round.START
    if program.is_ongoing or program.end_date is None:
        last = max(a.created_at.date() for a in asked)
        return Assessment.Round.CHECKIN if (today - last).days >= program.checkin_days else None
    if today >= program.end_date - dt.timedelta(days=ASSESSMENT_ANSWER_DAYS):
        return None if Assessment.Round.END in rounds else Assessment.Round.END
    midpoint = program.midpoint  # known: the program has an end date
    if midpoint is not None and today >= midpoint and Assessment.Round.MIDPOINT not in rounds:
        return Assessment.Round.MIDPOINT
    return None


@transaction.atomic
def assessment_rounds_schedule(*, today: dt.date | None = None) -> int:
    """Ask every active pair of a running program for the self and mentor assessments
    its schedule says are due (see :func:`_round_due`), answerable within
    :data:`ASSESSMENT_ANSWER_DAYS` days; the assessors are e-mailed. Run daily by
    the reminders task; returns how many assessments it asked for."""
    today = today or today_utc()
    relationships = (
        MentoringRelationship.objects.filter(
            status=MentoringRelationship.Status.ACTIVE,
            program__status=Program.Status.ACTIVE,
            program__start_date__lte=today,
        )
        .select_related("program__framework_version", "mentee", "mentor", "mentee_enrollment")
        .order_by("id")
    )
    asked_by: dict[int, list] = defaultdict(list)
    for assessment in Assessment.objects.filter(
        enrollment_id__in=[r.mentee_enrollment_id for r in relationships],
        kind__in=[Assessment.Kind.SELF, Assessment.Kind.MENTOR],
    ).only("enrollment_id", "round", "created_at"):
        asked_by[assessment.enrollment_id].append(assessment)
    created = 0
    due_on = today + dt.timedelta(days=ASSESSMENT_ANSWER_DAYS)
    for relationship in relationships:
        round = _round_due(relationship, today, asked_by[relationship.mentee_enrollment_id])  # noqa: A001 - an assessment round, the domain's word
        if round is None:
            continue
        for kind, assessor in (
            (Assessment.Kind.SELF, relationship.mentee),
            (Assessment.Kind.MENTOR, relationship.mentor),
        ):
            if _assessment_exists(relationship.mentee_enrollment, assessor.pk, kind, round):
                continue
            assessment = _new_assessment(
                actor=None,
                relationship=relationship,
                kind=kind,
                round=round,
                assessor_id=assessor.pk,
                due_on=due_on,
            )
            created += 1
            about = "yourself" if kind == Assessment.Kind.SELF else str(relationship.mentee)
            mail_on_commit(
                to=assessor,
                subject=f"{relationship.program.name}: "
                f"{assessment.get_round_display().lower()} assessment",
                body=(
                    f"It is time for the {assessment.get_round_display().lower()} assessment "
                    f"in {relationship.program.name}: rate {about} on each behavior from 1 to 5 "
                    f"by {due_on:%d %B}.\n\n{page_link('assessment_detail', assessment.pk)}\n"
                ),
            )
    if created:
        audit_record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            object_type="mentoring_assessment_round",
            detail={"scheduled": created, "day": today.isoformat()},
        )
    return created
