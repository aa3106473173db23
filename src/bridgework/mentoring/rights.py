"""The mentoring app's part of a person's data rights (see :mod:`bridgework.people.rights`).

* **Export**: their enrollments, their mentoring relationships (as mentee or
  mentor) with agreements and sessions, the notes, feedback and fit checks
  they wrote (never a note someone else wrote, shared or not), their action
  items, the assessments of them and by them with their ratings, and the
  network snapshots taken of them.
* **Erasure**: all of that goes: their relationships (with the sessions,
  notes, agreements and plans of those pairs: a pair without one side is
  gone), their enrollments (with matching proposals), the assessments of and
  by them, their notes, feedback, fit checks, action items and snapshots;
  they leave others' preferred and excluded lists; a practice plan that named
  them as the counterpart no longer does.

Registered as a :class:`~bridgework.people.rights.PersonDataPart` by the app's
``ready()``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from bridgework.mentoring.models import (
    ActionItem,
    Assessment,
    Enrollment,
    FitCheck,
    MentoringRelationship,
    MentoringSession,
    NetworkSnapshot,
    PracticePlan,
    SessionFeedback,
    SessionNote,
)
from bridgework.people.models import Person
from bridgework.people.rights import WITHHELD_NOTE, PersonDataPart, Tables

__all__ = ["MENTORING_RIGHTS"]


def _enrollments(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "program": e.program.name,
            "role": e.get_role_display(),
            "status": e.get_status_display(),
            "goals": e.goals,
            "behaviors_to_develop": e.behaviors_to_develop,
            "self_levels": e.self_levels,
            "availability": e.availability,
            "time_zone": e.time_zone,
            "meeting_format": e.get_meeting_format_display(),
            "capacity": e.capacity,
            "enrolled_at": e.created_at,
            "withdrawn_at": e.withdrawn_at,
        }
        for e in Enrollment.objects.filter(person=person)
        .select_related("program")
        .order_by("created_at", "id")
    ]


def _pairs(person: Person) -> list[MentoringRelationship]:
    return list(
        MentoringRelationship.objects.filter(Q(mentee=person) | Q(mentor=person))
        .select_related("program", "mentee", "mentor", "agreement")
        .order_by("created_at", "id")
    )


def _relationship_row(pair: MentoringRelationship, person: Person) -> dict[str, Any]:
    mentee = pair.mentee_id == person.pk
    agreement = getattr(pair, "agreement", None)
    return {
        "id": pair.pk,
        "program": pair.program.name,
        "you_are": "mentee" if mentee else "mentor",
        "with": (pair.mentor if mentee else pair.mentee).full_name,
        "status": pair.get_status_display(),
        "how_matched": pair.get_origin_display(),
        "match_explanation": pair.match_explanation,
        "request_message": pair.request_message,
        "started_on": pair.started_on,
        "ended_on": pair.ended_on,
        "end_reason": pair.end_reason,
        "agreed_goals": agreement.goals if agreement else "",
        "agreed_cadence_days": agreement.cadence_days if agreement else None,
        "network_shared_with_mentor": agreement.share_network_with_mentor if agreement else None,
    }


def _export(person: Person, own: bool) -> Tables:
    pairs = _pairs(person)
    sessions = [
        {
            "relationship": s.relationship_id,
            "scheduled_at": s.scheduled_at,
            "duration_minutes": s.duration_minutes,
            "status": s.get_status_display(),
            "agenda": s.agenda,
            "behaviors_practiced": s.behaviors_practiced,
        }
        for s in MentoringSession.objects.filter(relationship__in=pairs).order_by(
            "scheduled_at", "id"
        )
    ]
    notes = [
        {
            "session": n.session_id,
            "shared_with_the_other_side": n.visibility == SessionNote.Visibility.SHARED,
            "text": n.text if own else WITHHELD_NOTE,
            "written_at": n.created_at,
        }
        for n in SessionNote.objects.filter(author=person).order_by("created_at", "id")
    ]
    feedback = [
        {"session": f.session_id, "rating": f.rating, "comment": f.comment, "at": f.created_at}
        for f in SessionFeedback.objects.filter(author=person).order_by("created_at", "id")
    ]
    fit_checks = [
        {
            "relationship": f.relationship_id,
            "fit": f.fit,
            "wants_rematch": f.wants_rematch,
            "comment": f.comment,
            "at": f.created_at,
        }
        for f in FitCheck.objects.filter(author=person).order_by("created_at", "id")
    ]
    action_items = [
        {
            "relationship": a.relationship_id,
            "title": a.title,
            "notes": a.notes,
            "due_on": a.due_on,
            "done_at": a.done_at,
        }
        for a in ActionItem.objects.filter(owner=person).order_by("created_at", "id")
    ]
    assessments = [
        {
            "id": a.pk,
            "program": a.enrollment.program.name,
            "of": "you" if a.subject_id == person.pk else a.subject.full_name,
            "by": "you" if a.assessor_id == person.pk else a.assessor.full_name,
            "kind": a.get_kind_display(),
            "round": a.get_round_display(),
            "status": a.get_status_display(),
            "ratings": {r.behavior_key: r.level for r in a.ratings.all()},
            "comment": a.comment,
            "submitted_at": a.submitted_at,
        }
        for a in Assessment.objects.filter(Q(subject=person) | Q(assessor=person))
        .select_related("enrollment__program", "subject", "assessor")
        .prefetch_related("ratings")
        .order_by("created_at", "id")
    ]
    snapshots = [
        {"day": s.day, "measures": s.measures}
        for s in NetworkSnapshot.objects.filter(person=person).order_by("day", "id")
    ]
    return {
        "enrollments": _enrollments(person),
        "relationships": [_relationship_row(pair, person) for pair in pairs],
        "sessions": sessions,
        "notes_you_wrote": notes,
        "feedback_you_gave": feedback,
        "fit_checks": fit_checks,
        "action_items": action_items,
        "assessments": assessments,
        "network_snapshots": snapshots,
    }


def _erase(person: Person) -> dict[str, int]:
    counts = {
        "assessments": Assessment.objects.filter(Q(subject=person) | Q(assessor=person)).delete()[
            0
        ],
        # A pair without one side is gone, with its sessions, notes and plans.
        "relationships_and_their_records": MentoringRelationship.objects.filter(
            Q(mentee=person) | Q(mentor=person)
        ).delete()[0],
        "notes": SessionNote.objects.filter(author=person).delete()[0],
        "feedback": SessionFeedback.objects.filter(author=person).delete()[0],
        "fit_checks": FitCheck.objects.filter(author=person).delete()[0],
        "action_items": ActionItem.objects.filter(owner=person).delete()[0],
        "practice_plans_unlinked": PracticePlan.objects.filter(counterpart=person).update(
            counterpart=None
        ),
        "network_snapshots": NetworkSnapshot.objects.filter(person=person).delete()[0],
    }
    lists = 0
    for name in ("preferred_mentors", "excluded_people"):
        through = getattr(Enrollment, name).through
        lists += through.objects.filter(person=person).delete()[0]
    counts["preference_lists"] = lists
    counts["enrollments"] = Enrollment.objects.filter(person=person).delete()[0]
    return counts


#: Exports a person's mentoring; erases it.
MENTORING_RIGHTS = PersonDataPart(
    name="mentoring",
    title="Your mentoring: programs, pairs, sessions, your notes, feedback and assessments.",
    tables={
        "enrollments": "The programs you enrolled in, as mentee or mentor, with your goals, "
        "levels, availability and preferences.",
        "relationships": "Your mentoring relationships: with whom, in which program, how you "
        "were matched, your agreement.",
        "sessions": "The sessions of your relationships: when, status, agenda, behaviors.",
        "notes_you_wrote": "Session notes you wrote (notes by the other side are theirs and "
        "not included).",
        "feedback_you_gave": "Your feedback on sessions.",
        "fit_checks": "Your fit checks of a pairing.",
        "action_items": "Action items you own.",
        "assessments": "Assessments of you (self, mentor and peer) and those you made of "
        "others, with ratings by behavior.",
        "network_snapshots": "The measures of your network taken to follow your progress.",
    },
    export=_export,
    erase=_erase,
    relations=frozenset(
        {
            (Enrollment, "person"),
            (MentoringRelationship, "mentee"),
            (MentoringRelationship, "mentor"),
            (FitCheck, "author"),
            (SessionNote, "author"),
            (SessionFeedback, "author"),
            (ActionItem, "owner"),
            (PracticePlan, "counterpart"),
            (Assessment, "subject"),
            (Assessment, "assessor"),
            (NetworkSnapshot, "person"),
        }
    ),
    order=20,
)
