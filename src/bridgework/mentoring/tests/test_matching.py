"""Program-manager matching (run, review, override, publish) and mentee self-matching."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from bridgework import factories
from bridgework.core.errors import NotFoundError
from bridgework.core.matching import pair_score
from bridgework.mentoring import selectors, services
from bridgework.mentoring.models import MatchingRun, MentoringRelationship, Program
from bridgework.mentoring.profiles import matching_pool

pytestmark = pytest.mark.django_db


def test_matching_proposes_the_optimum_explained_with_its_parts(org, program, enrolled):
    run = services.matching_run(actor=org.pat, program=program)
    [match] = run.matches.select_related("mentee__person", "mentor__person")
    assert match.mentor.person == org.max.person  # strong where Mia grows, reaches Green and Acme
    pool = matching_pool(program)
    mia = pool.mentees[0]
    max_ = next(m for m in pool.mentors if m.person_id == org.max.person_id)
    expected = pair_score(mia, max_, weights=program.matching_weights())
    assert match.total == pytest.approx(expected.total)
    assert match.components == pytest.approx(
        {
            "behavior": expected.behavior,
            "network": expected.network,
            "skills": expected.skills,
            "preferences": expected.preferences,
        }
    )
    assert match.explanation.startswith("Max Mentor for Mia Mentee, score")
    assert "Presenting yourself and your work" in match.explanation
    assert run.status == "proposed" and run.mentees == 1 and run.mentors == 2


def test_matching_is_for_program_managers_only(org, program, enrolled):
    with pytest.raises(NotFoundError):
        services.matching_run(actor=org.max, program=program)
    with pytest.raises(NotFoundError):
        selectors.matching_review(viewer=org.mia, program=program)


def test_a_veto_and_a_fix_change_the_next_run(org, program, enrolled):
    services.match_override_set(
        actor=org.pat,
        program=program,
        mentee=enrolled["mentee"],
        mentor=enrolled["max"],
        kind="veto",
    )
    run = services.matching_run(actor=org.pat, program=program)
    assert [m.mentor.person for m in run.matches.all()] == [org.nora.person]
    assert run.forbidden == [[org.mia.person_id, org.max.person_id]]
    services.match_override_set(
        actor=org.pat,
        program=program,
        mentee=enrolled["mentee"],
        mentor=enrolled["nora"],
        kind="fix",
    )
    again = services.matching_run(actor=org.pat, program=program)
    [match] = again.matches.all()
    assert match.fixed and match.mentor == enrolled["nora"]
    run.refresh_from_db()
    assert run.status == "superseded"
    review = selectors.matching_review(viewer=org.pat, program=program)
    assert review.run == again and len(review.overrides) == 2


def test_a_fix_that_breaks_a_hard_constraint_says_why(org, program, enrolled):
    manager = factories.UserFactory(username="rita", person=org.rita, roles=["member", "mentor"])
    rita = services.enrollment_create(actor=manager, program=program, role="mentor")
    with pytest.raises(ValidationError) as caught:
        services.match_override_set(
            actor=org.pat, program=program, mentee=enrolled["mentee"], mentor=rita, kind="fix"
        )
    assert "reporting line" in str(caught.value)


def test_publishing_creates_relationships_and_tells_the_pairs(
    org, program, enrolled, django_capture_on_commit_callbacks
):
    run = services.matching_run(actor=org.pat, program=program)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        [relationship] = services.matching_publish(actor=org.pat, run=run)
    assert relationship.status == "active" and relationship.origin == "matched"
    assert relationship.agreement.cadence_days == program.session_cadence_days
    assert relationship.agreement.share_network_with_mentor is False
    assert relationship.agreement.goals == "Win the Acme renewal."
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [org.mia.person.primary_email, org.max.person.primary_email]
    )
    assert "Why this match" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="under review"):
        services.matching_publish(actor=org.pat, run=run)
    # Matched mentees leave the pool; the next run has nobody to match.
    rerun = services.matching_run(actor=org.pat, program=program)
    assert rerun.mentees == 0 and not rerun.matches.exists()


def test_a_rematch_leaves_out_the_earlier_mentor(org, pair):
    services.relationship_end(actor=org.pat, relationship=pair, reason="Re-match")
    run = services.matching_run(actor=org.pat, program=pair.program)
    [match] = run.matches.all()
    assert match.mentor.person == org.nora.person


@pytest.fixture
def self_program(org, enrolled, program):
    Program.objects.filter(pk=program.pk).update(matching_mode="self")
    program.refresh_from_db()
    return program


def test_self_matching_ranks_and_explains_and_a_request_needs_the_mentor(
    org, self_program, django_capture_on_commit_callbacks
):
    suggestions = selectors.mentor_suggestions(viewer=org.mia, program=self_program)
    assert [s.mentor for s in suggestions] == [org.max.person, org.nora.person]
    assert suggestions[0].rank == 1 and "Max Mentor for Mia Mentee" in suggestions[0].explanation
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        relationship = services.relationship_request(
            actor=org.mia,
            program=self_program,
            mentor=org.max.person,
            message="You know Acme well.",
        )
    assert relationship.status == "requested" and relationship.origin == "self"
    assert mail.outbox[0].to == [org.max.person.primary_email]
    assert "You know Acme well." in mail.outbox[0].body
    # The request holds the place: Mia has no more suggestions, Max none left for others.
    assert selectors.mentor_suggestions(viewer=org.mia, program=self_program) == []
    with pytest.raises(NotFoundError):
        services.relationship_respond(actor=org.mia, relationship=relationship, accept=True)
    accepted = services.relationship_respond(actor=org.max, relationship=relationship, accept=True)
    assert accepted.status == "active" and accepted.started_on is not None


def test_a_mentee_cannot_request_a_mentor_outside_the_rules(org, self_program):
    manager = factories.UserFactory(username="rita", person=org.rita, roles=["member", "mentor"])
    services.enrollment_create(actor=manager, program=self_program, role="mentor")
    with pytest.raises(ValidationError, match="not among your suggestions"):
        services.relationship_request(actor=org.mia, program=self_program, mentor=org.rita)
    with pytest.raises(ValidationError, match="Join the program as a mentee"):
        services.relationship_request(actor=org.oscar, program=self_program, mentor=org.max.person)


def test_declining_frees_the_mentee_to_ask_someone_else(org, self_program):
    relationship = services.relationship_request(
        actor=org.mia, program=self_program, mentor=org.max.person
    )
    services.relationship_respond(actor=org.max, relationship=relationship, accept=False)
    assert MentoringRelationship.objects.get(pk=relationship.pk).status == "declined"
    assert [s.mentor for s in selectors.mentor_suggestions(viewer=org.mia, program=self_program)][
        :1
    ] == [org.max.person]


def test_manager_mode_programs_refuse_self_requests(org, program, enrolled):
    with pytest.raises(ValidationError, match="program manager matches"):
        services.relationship_request(actor=org.mia, program=program, mentor=org.max.person)
    assert MatchingRun.objects.count() == 0
