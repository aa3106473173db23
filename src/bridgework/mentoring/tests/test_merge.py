"""Merging two people moves their mentoring, refuses only real conflicts, and undoes exactly.

Mia (with a login) turns out to have a duplicate, "Mia M." (no login), who
was enrolled by the program manager and paired with Nora in a second
program, with a session, notes, feedback, an action item, a fit check and a
self-assessment. Merged, all of it is Mia's; undone, every table is as it was.
Two conflicts cannot be merged and must say why on the page and in the API
(422), never fail with a server error: both having a live mentor in the same
program, and one mentoring the other.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.services import api_token_create
from bridgework.mentoring import services
from bridgework.mentoring.models import (
    ActionItem,
    Assessment,
    Enrollment,
    FitCheck,
    MentoringRelationship,
    MentoringSession,
    SessionFeedback,
    SessionNote,
)
from bridgework.people.merge import person_merge, person_merge_undo
from bridgework.people.models import MatchReview, Person, PersonMerge

pytestmark = pytest.mark.django_db

TABLES = (
    Enrollment,
    MentoringRelationship,
    SessionNote,
    SessionFeedback,
    ActionItem,
    Assessment,
    FitCheck,
)


def everything() -> dict[str, list[dict]]:
    return {
        model.__name__: [
            {"pk": row.pk, **model_to_dict(row)} for row in model.objects.order_by("pk")
        ]
        for model in TABLES
    }


@pytest.fixture
def dup(org):
    return factories.PersonFactory(full_name="Mia M.", team=org.red)


def second_program(org):
    today = timezone.now().date()
    program = services.program_create(
        actor=org.pat,
        name="Second Circle",
        goal="Another cohort.",
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=60),
    )
    return services.program_set_enrollment(actor=org.pat, program=program, open=True)


def pair_up(org, program, mentee, mentor) -> MentoringRelationship:
    """A live pairing made by hand (the duplicate has no login to take part with)."""
    enrollments = {
        role: Enrollment.objects.filter(program=program, person=person, role=role).first()
        or services.enrollment_create(
            actor=org.pat,
            program=program,
            role=role,
            person=person,
            **({"capacity": 2} if role == "mentor" else {}),
        )
        for role, person in (("mentee", mentee), ("mentor", mentor))
    }
    return MentoringRelationship.objects.create(
        program=program,
        mentee=mentee,
        mentor=mentor,
        mentee_enrollment=enrollments["mentee"],
        mentor_enrollment=enrollments["mentor"],
        status=MentoringRelationship.Status.ACTIVE,
        started_on=timezone.now().date(),
    )


@pytest.fixture
def dup_with_history(org, dup):
    program = second_program(org)
    relationship = pair_up(org, program, dup, org.nora.person)
    session = MentoringSession.objects.create(
        relationship=relationship,
        scheduled_at=timezone.now() - dt.timedelta(days=3),
        status=MentoringSession.Status.HELD,
        logged_at=timezone.now() - dt.timedelta(days=3),
    )
    SessionNote.objects.create(session=session, author=dup, text="Practise the opening.")
    SessionFeedback.objects.create(session=session, author=dup, rating=4)
    ActionItem.objects.create(relationship=relationship, title="Call Ann", owner=dup)
    FitCheck.objects.create(relationship=relationship, author=dup, fit=4)
    Assessment.objects.create(
        enrollment=relationship.mentee_enrollment,
        relationship=relationship,
        subject=dup,
        assessor=dup,
        kind=Assessment.Kind.SELF,
        round=Assessment.Round.START,
        framework_version=program.framework_version,
    )
    return relationship


def test_merge_moves_everything_mentoring_and_undo_restores_every_table(
    org, dup, dup_with_history, analyst
):
    mia = org.mia.person
    before = everything()
    merge = person_merge(actor=analyst, keep=mia, drop=dup)

    relationship = MentoringRelationship.objects.get(pk=dup_with_history.pk)
    assert (relationship.mentee_id, relationship.mentee_enrollment.person_id) == (mia.pk, mia.pk)
    assert SessionNote.objects.get().author_id == mia.pk
    assert SessionFeedback.objects.get().author_id == mia.pk
    assert ActionItem.objects.get().owner_id == mia.pk
    assert FitCheck.objects.get().author_id == mia.pk
    assessment = Assessment.objects.get()
    assert (assessment.subject_id, assessment.assessor_id) == (mia.pk, mia.pk)

    person_merge_undo(actor=analyst, merge=merge)
    assert everything() == before


def test_two_enrollments_in_one_program_become_one_active_and_come_apart_again(
    org, program, enrolled, dup, analyst
):
    mia = org.mia.person
    theirs = services.enrollment_create(
        actor=org.pat, program=program, role="mentee", person=dup, goals="Meet the Acme team."
    )
    theirs.preferred_mentors.set([org.nora.person])
    # Mia had withdrawn from the program; her duplicate's enrollment is active.
    Enrollment.objects.filter(pk=enrolled["mentee"].pk).update(
        status=Enrollment.Status.WITHDRAWN, withdrawn_at=timezone.now() - dt.timedelta(days=2)
    )
    before = everything()
    preferred = list(theirs.preferred_mentors.values_list("id", flat=True))

    merge = person_merge(actor=analyst, keep=mia, drop=dup)
    [kept] = Enrollment.objects.filter(program=program, role="mentee", person=mia)
    assert kept.pk == enrolled["mentee"].pk and kept.goals == "Win the Acme renewal."
    assert kept.status == Enrollment.Status.ACTIVE and kept.withdrawn_at is None
    assert not Enrollment.objects.filter(pk=theirs.pk).exists()

    person_merge_undo(actor=analyst, merge=merge)
    assert everything() == before
    assert (
        list(Enrollment.objects.get(pk=theirs.pk).preferred_mentors.values_list("id", flat=True))
        == preferred
    )


def _api(client, user, url, data=None):
    _, raw = api_token_create(user=user, name="tests")
    return client.post(
        url, data or {}, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )


def _refused_everywhere(analyst, keep: Person, drop: Person, message: str) -> None:
    """The service, the merge page, the review page and the API all refuse with ``message``."""
    with pytest.raises(ValidationError) as refused:
        person_merge(actor=analyst, keep=keep, drop=drop)
    assert refused.value.messages == [message]
    page = Client()
    page.force_login(analyst)
    response = page.post(
        reverse("people:merge", args=[keep.pk]), {"keep": keep.pk, "drop": drop.pk}
    )
    assert response.status_code == 422 and message in response.content.decode()
    review = MatchReview.objects.create(new_person=drop, candidate=keep, reason="same name")
    response = page.post(reverse("people:match_review_merge", args=[review.pk]))
    assert response.status_code == 422 and message in response.content.decode()
    api = Client()
    for url, data in (
        ("/api/people/merges", {"keep": keep.pk, "drop": drop.pk}),
        (f"/api/people/matches/{review.pk}/merge", None),
    ):
        response = _api(api, analyst, url, data)
        assert response.status_code == 422
        assert [p["msg"] for p in response.json()["detail"]] == [message]
    assert Person.objects.filter(pk=drop.pk).exists() and not PersonMerge.objects.exists()


def test_two_live_mentors_in_one_program_refuse_the_merge_with_what_to_do(
    org, program, pair, dup, analyst
):
    relationship = pair_up(org, program, dup, org.nora.person)
    _refused_everywhere(
        analyst,
        org.mia.person,
        dup,
        "Mia Mentee and Mia M. each have a mentor in Relationship Builders (Max Mentor and "
        "Nora Mentor); a mentee has one mentor per program. End one of the two relationships "
        "first, then merge.",
    )
    relationship.refresh_from_db()
    assert relationship.mentee_id == dup.pk and relationship.is_live


def test_a_person_who_mentors_their_duplicate_is_not_merged_into_them(org, dup, analyst):
    program = second_program(org)
    pair_up(org, program, org.mia.person, dup)
    _refused_everywhere(
        analyst,
        org.mia.person,
        dup,
        "Mia M. mentors Mia Mentee in Second Circle: as one person they would mentor "
        "themself, so they cannot be merged. If they are one person, the pairing was a "
        "mistake: delete it in the admin first, then merge.",
    )
