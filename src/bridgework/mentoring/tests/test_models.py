"""The models' named constraints and invariants hold in the database itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bridgework.mentoring.models import (
    Assessment,
    AssessmentRating,
    Enrollment,
    FitCheck,
    MentoringRelationship,
    PracticePlan,
    Program,
    SessionFeedback,
)

pytestmark = pytest.mark.django_db


def _fails(make, name: str) -> None:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        make()
    # SQLite names the failed CHECK; PostgreSQL names the constraint too.
    assert name in str(caught.value) or "constraint" in str(caught.value).lower()


def test_program_constraints(program):
    def update(**fields):
        return lambda: Program.objects.filter(pk=program.pk).update(**fields)

    _fails(update(end_date=program.start_date - dt.timedelta(days=1)), "program_ends_after_start")
    _fails(update(end_date=None), "program_cohort_has_end")
    _fails(update(status="draft"), "program_enrollment_open_only_when_active")
    _fails(update(session_cadence_days=0), "program_cadence_1_to_90")
    _fails(update(weight_network=-1), "program_weights_not_negative")
    _fails(update(max_time_zone_difference_hours=13), "program_time_zone_window_0_to_12")
    program.end_date = None
    with pytest.raises(ValidationError) as caught:
        program.clean()
    assert "end_date" in caught.value.message_dict
    assert str(program) == "Relationship Builders"
    assert program.midpoint is None


def test_enrollment_constraints(org, enrolled):
    mentee = enrolled["mentee"]
    _fails(
        lambda: Enrollment.objects.filter(pk=mentee.pk).update(capacity=2),
        "enrollment_capacity_mentors_only",
    )
    _fails(
        lambda: Enrollment.objects.create(
            program=mentee.program, person=mentee.person, role="mentee"
        ),
        "enrollment_once_per_role",
    )
    mentee.self_levels = {"presenting_yourself": 7}
    with pytest.raises(ValidationError) as caught:
        mentee.clean()
    assert "self_levels" in caught.value.message_dict
    mentee.self_levels = {}
    mentee.behaviors_to_develop = ["juggling"]
    with pytest.raises(ValidationError) as caught:
        mentee.clean()
    assert "juggling" in str(caught.value)
    assert str(mentee) == "Mia Mentee (mentee) in Relationship Builders"


def test_relationship_constraints(org, pair):
    _fails(
        lambda: MentoringRelationship.objects.create(
            program=pair.program,
            mentee=pair.mentee,
            mentor=org.nora.person,
            mentee_enrollment=pair.mentee_enrollment,
            mentor_enrollment=pair.mentor_enrollment,
        ),
        "mentoringrelationship_one_live_per_mentee",
    )
    _fails(
        lambda: MentoringRelationship.objects.filter(pk=pair.pk).update(mentor=pair.mentee),
        "relationship_mentor_is_not_mentee",
    )
    _fails(
        lambda: MentoringRelationship.objects.filter(pk=pair.pk).update(
            ended_on=timezone.now().date()
        ),
        "mentoringrelationship_ended_on_only_when_over",
    )
    assert pair.side_of(org.mia.person_id) == "mentee"
    assert pair.side_of(org.max.person_id) == "mentor"
    assert pair.side_of(org.pat.person_id) is None


def test_feedback_fit_practice_and_assessment_constraints(org, pair):
    session = pair.sessions.create(scheduled_at=timezone.now(), status="held")
    _fails(
        lambda: SessionFeedback.objects.create(session=session, author=pair.mentee, rating=6),
        "sessionfeedback_rating_1_to_5",
    )
    _fails(
        lambda: FitCheck.objects.create(relationship=pair, author=pair.mentee, fit=0),
        "fitcheck_fit_1_to_5",
    )
    _fails(
        lambda: PracticePlan.objects.create(
            relationship=pair,
            behavior_key="presenting_yourself",
            conversation="x",
            status="reflected",
        ),
        "practiceplan_reflected_has_reflection",
    )
    version = pair.program.framework_version
    base = dict(
        enrollment=pair.mentee_enrollment,
        relationship=pair,
        subject=pair.mentee,
        round="start",
        framework_version=version,
    )
    _fails(
        lambda: Assessment.objects.create(**base, assessor=pair.mentor, kind="self"),
        "assessment_self_is_by_the_subject",
    )
    _fails(
        lambda: Assessment.objects.create(
            **base, assessor=pair.mentee, kind="self", status="submitted"
        ),
        "assessment_submitted_at_when_submitted",
    )
    assessment = Assessment.objects.create(**base, assessor=pair.mentee, kind="self")
    _fails(
        lambda: Assessment.objects.create(**base, assessor=pair.mentee, kind="self"),
        "assessment_once_per_round",
    )
    _fails(
        lambda: AssessmentRating.objects.create(assessment=assessment, behavior_key="x", level=0),
        "assessmentrating_level_1_to_5",
    )
    assert "Self assessment of Mia Mentee" in str(assessment)
