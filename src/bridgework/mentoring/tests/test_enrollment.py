"""Joining a program with a profile, and the matching profiles built from it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bridgework import factories
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import services
from bridgework.mentoring.models import Assessment, AssessmentRating, Enrollment
from bridgework.mentoring.profiles import matching_pool, utc_offset_hours

pytestmark = pytest.mark.django_db


def test_members_join_as_mentees_and_mentors_need_the_role(org, program):
    enrollment = services.enrollment_create(
        actor=org.oscar, program=program, role="mentee", behaviors_to_develop=["giving_value_first"]
    )
    assert enrollment.person == org.oscar.person and enrollment.capacity == 0
    with pytest.raises(ValidationError, match="mentor role"):
        services.enrollment_create(actor=org.oscar, program=program, role="mentor")
    with pytest.raises(ValidationError, match="already enrolled"):
        services.enrollment_create(actor=org.oscar, program=program, role="mentee")
    mentor = services.enrollment_create(actor=org.max, program=program, role="mentor")
    assert mentor.capacity == 2  # the default for mentors
    mentor = services.enrollment_update(actor=org.max, enrollment=mentor, capacity=0)
    mentor = services.enrollment_update(actor=org.max, enrollment=mentor, goals="Not this round")
    assert mentor.capacity == 0  # a mentor may take no mentees this round, and it stays so


def test_enrollment_is_closed_unless_open_and_others_need_a_manager(org, program):
    services.program_set_enrollment(actor=org.pat, program=program, open=False)
    with pytest.raises(ValidationError, match="closed"):
        services.enrollment_create(actor=org.oscar, program=program, role="mentee")
    with pytest.raises(NotFoundError):
        services.enrollment_create(
            actor=org.oscar, program=program, role="mentee", person=org.petra.person
        )
    enrollment = services.enrollment_create(
        actor=org.pat, program=program, role="mentee", person=org.petra.person
    )
    assert enrollment.person == org.petra.person


def test_profiles_are_validated(org, program):
    with pytest.raises(ValidationError) as caught:
        services.enrollment_create(
            actor=org.oscar, program=program, role="mentee", behaviors_to_develop=["juggling"]
        )
    assert "juggling" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.enrollment_create(
            actor=org.oscar, program=program, role="mentee", time_zone="Mars/Base"
        )
    assert "time_zone" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.enrollment_create(
            actor=org.oscar, program=program, role="mentee", excluded_people=[org.oscar.person]
        )
    assert not Enrollment.objects.filter(person=org.oscar.person).exists()


def test_withdrawing_needs_the_relationship_ended_first(org, pair):
    mentee = pair.mentee_enrollment
    with pytest.raises(ValidationError, match="End the mentoring relationship"):
        services.enrollment_withdraw(actor=org.mia, enrollment=mentee)
    services.relationship_end(actor=org.mia, relationship=pair, reason="Moving on")
    assert services.enrollment_withdraw(actor=org.mia, enrollment=mentee).status == "withdrawn"
    with pytest.raises(NotFoundError):
        services.enrollment_update(actor=org.oscar, enrollment=mentee, goals="x")


def test_the_matching_pool_reads_profiles_ties_and_reporting_lines(org, program, enrolled):
    factories.PersonSkillFactory(person=org.max.person, skill=factories.SkillFactory(name="SQL"))
    pool = matching_pool(program)
    [mia] = pool.mentees
    assert mia.person_id == org.mia.person_id
    assert dict(mia.wants_to_grow) == {
        "presenting_yourself": 1.0,
        "reaching_beyond_your_circle": 1.0,
    }
    assert mia.needed_groups == {"Green", "Acme"}
    assert mia.reached_groups == {"Red", "Ourco"}  # her strong tie to Petra, in Red at Ourco
    assert mia.reporting_line == {org.rita.pk}
    assert mia.team == "Red" and mia.organization == "Ourco"
    assert mia.utc_offset_hours == utc_offset_hours("Europe/London")
    by_id = {m.person_id: m for m in pool.mentors}
    max_ = by_id[org.max.person_id]
    # Max's ties: Gil (Green, 0.8) and Ann (Acme, 0.6): reach = min(1, sum / 2).
    assert max_.group_reach["Green"] == pytest.approx(0.4)
    assert max_.group_reach["Acme"] == pytest.approx(0.3)
    assert max_.skills == {"SQL"} and max_.capacity == 1
    assert max_.behavior_levels["presenting_yourself"] == 5
    assert pool.names[org.max.person_id] == "Max Mentor"
    assert pool.labels["giving_value_first"] == "Giving value first"


def test_submitted_assessments_replace_self_ratings(org, pair):
    assessment = Assessment.objects.create(
        enrollment=pair.mentee_enrollment,
        relationship=pair,
        subject=pair.mentee,
        assessor=pair.mentor,
        kind="mentor",
        round="start",
        framework_version=pair.program.framework_version,
        status="submitted",
        submitted_at=pair.created_at,
    )
    AssessmentRating.objects.create(
        assessment=assessment, behavior_key="presenting_yourself", level=4
    )
    pool = matching_pool(pair.program, unmatched_only=False)
    [mia] = [m for m in pool.mentees if m.person_id == org.mia.person_id]
    assert mia.behavior_levels == {"presenting_yourself": 4, "reaching_beyond_your_circle": 2}
